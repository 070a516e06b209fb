// `kubectl-sidecarset status` and `kubectl-sidecarset plan NAME` against one real control plane (no
// webhook, no controller: the test writes what they would). The SidecarSet is stored as the webhook
// admits it; the pods are created with the sidecars and annotations the webhook would have given them
// (made by `kubectl-sidecarset inject`, offline) and given the status of running, ready pods.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod, SidecarSet } from '@sidecarset/api';
import { admitSidecarSet } from '@sidecarset/core';
import { freePort, issueCertificate, startControlPlane, type ControlPlane } from '@sidecarset/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { injectOffline, runningAndReadyStatus, FIRST_ROUND_PLAN } from './injectedPods.js';
import { FIXTURES, runCli } from './runCli.js';

const PLAN_FIXTURES = join(FIXTURES, 'plan');
const STATUS = { matchedPods: 3, updatedPods: 1, readyPods: 3, updatedReadyPods: 1, latestRevision: 'log-agent-1', observedGeneration: 1 };

let plane: ControlPlane;

async function kubectl(args: string[], input?: string): Promise<string> {
  const run = await plane.kubectl(args, input);
  if (run.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

const cli = (args: string[]) => runCli([...args, '--kubeconfig', plane.kubeconfigPath]);

/** A kubeconfig for the same API server with other credentials or another server address. */
function kubeconfigFile(name: string, edit: (config: KubeconfigDocument) => void): string {
  const config = parse(readFileSync(plane.kubeconfigPath, 'utf8')) as KubeconfigDocument;
  edit(config);
  const path = join(plane.dir, `${name}.kubeconfig`);
  writeFileSync(path, stringify(config), { mode: 0o600 });
  return path;
}

interface KubeconfigDocument {
  clusters: { cluster: { server: string } }[];
  users: { user: Record<string, string> }[];
}

beforeAll(async () => {
  plane = await startControlPlane({ scheduler: false });

  // log-agent 1.1 (new.yaml), as the webhook would store it, with the status its controller would write.
  const newSpec = parse(readFileSync(join(PLAN_FIXTURES, 'new.yaml'), 'utf8')) as SidecarSet;
  await kubectl(['apply', '-f', '-'], JSON.stringify(admitSidecarSet(newSpec)));
  await kubectl(['patch', 'sidecarset', 'log-agent', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: STATUS })]);

  // 5 pods in "shop" injected with log-agent 1.0 (old.yaml) and one pod it never injected.
  await kubectl(['create', 'namespace', 'shop']);
  await kubectl(['create', 'namespace', 'other']);
  const injected = await injectOffline('pods.yaml', 'old.yaml', PLAN_FIXTURES);
  const notInjected: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'plain', namespace: 'other', labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'registry.example/web:3.2' }] } };
  const pods = [...injected, notInjected];
  await waitForDefaultServiceAccounts(['shop', 'other']);
  await kubectl(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: pods }));
  for (const pod of pods) {
    const { name, namespace } = pod.metadata!;
    await kubectl(['patch', 'pod', name!, '-n', namespace!, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: runningAndReadyStatus(pod) })]);
  }
});

afterAll(() => plane?.stop());

/** The ServiceAccount admission refuses pods until kube-controller-manager has made "default". */
async function waitForDefaultServiceAccounts(namespaces: string[]): Promise<void> {
  for (const namespace of namespaces) {
    for (let attempt = 0; (await plane.kubectl(['get', 'serviceaccount', 'default', '-n', namespace])).code !== 0; attempt++) {
      if (attempt > 300) throw new Error(`no default ServiceAccount in ${namespace} after 30s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe('status', () => {
  it('prints a table with the counts, revision, paused flag and whether the status is for the current spec', async () => {
    const run = await cli(['status']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').map((line) => line.split(/\s{2,}/))).toEqual([
      ['NAME', 'MATCHED', 'UPDATED', 'READY', 'UPDATED-READY', 'REVISION', 'PAUSED', 'OBSERVED'],
      ['log-agent', '3', '1', '3', '1', 'log-agent-1', 'false', 'yes'],
      [''],
    ]);
  });

  it('after a spec change the controller has not seen, OBSERVED says stale', async () => {
    await kubectl(['create', '-f', '-'], JSON.stringify(admitSidecarSet({ ...sidecarSetNamed('changed'), status: undefined } as SidecarSet)));
    await kubectl(['patch', 'sidecarset', 'changed', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: STATUS })]);
    await kubectl(['patch', 'sidecarset', 'changed', '--type=merge', '-p', JSON.stringify({ spec: { updateStrategy: { paused: true } } })]);
    const run = await cli(['status', 'changed']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[1]!.split(/\s+/)).toEqual(['changed', '3', '1', '3', '1', 'log-agent-1', 'true', 'stale']);
    await kubectl(['delete', 'sidecarset', 'changed']);
  });

  it.each([
    ['-o json, NAME: the SidecarSet as stored', ['status', 'log-agent', '-o', 'json'], (text: string) => JSON.parse(text) as unknown],
    ['-o yaml, NAME: the SidecarSet as stored', ['status', 'log-agent', '-o', 'yaml'], (text: string) => parse(text) as unknown],
  ])('%s', async (_name, args, read) => {
    const run = await cli(args);
    expect(run.code).toBe(0);
    expect(read(run.stdout)).toMatchObject({ apiVersion: 'apps.kruise.io/v1alpha1', kind: 'SidecarSet', metadata: { name: 'log-agent', generation: 1 }, status: STATUS });
  });

  it.each([
    ['-o json', (text: string) => JSON.parse(text) as unknown],
    ['-o yaml', (text: string) => parse(text) as unknown],
  ])('%s without NAME: a v1 List of every SidecarSet', async (flag, read) => {
    const run = await cli(['status', ...flag.split(' ')]);
    expect(run.code).toBe(0);
    const list = read(run.stdout) as { apiVersion: string; kind: string; items: SidecarSet[] };
    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'List' });
    expect(list.items.map((s) => [s.kind, s.metadata?.name, s.status?.matchedPods])).toEqual([['SidecarSet', 'log-agent', 3]]);
  });

  it('a SidecarSet that does not exist: exit 1, one line on stderr', async () => {
    const run = await cli(['status', 'missing']);
    expect(run).toEqual({ code: 1, stdout: '', stderr: 'error: sidecarset "missing" not found\n' });
  });
});

/** Each pod's creation time in ms, by "namespace/name". */
async function creationTimes(): Promise<Map<string, number>> {
  const list = JSON.parse(await kubectl(['get', 'pods', '-A', '-o', 'json'])) as { items: { metadata: { namespace: string; name: string; creationTimestamp: string } }[] };
  return new Map(list.items.map(({ metadata }) => [`${metadata.namespace}/${metadata.name}`, Date.parse(metadata.creationTimestamp)]));
}

describe('plan NAME', () => {
  it('reads log-agent and the pods it injected in every namespace: 2 to update, 3 waiting for the budget', async () => {
    const run = await cli(['plan', 'log-agent', '-o', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // The pods are the offline fixtures' (FIRST_ROUND_PLAN), but the API server stamps their creation
    // time: newer pods go first, so which two go first depends on the seconds they were created in.
    const plan = JSON.parse(run.stdout) as typeof FIRST_ROUND_PLAN;
    const { next, waiting, ...counts } = plan;
    const { next: fixtureNext, waiting: fixtureWaiting, ...fixtureCounts } = FIRST_ROUND_PLAN;
    expect(counts).toEqual(fixtureCounts);
    expect(next).toHaveLength(fixtureNext.length);
    expect(waiting.map((w) => w.reason)).toEqual(fixtureWaiting.map((w) => w.reason));
    expect([...next, ...waiting.map((w) => w.pod)].sort()).toEqual([...fixtureNext, ...fixtureWaiting.map((w) => w.pod)].sort());
    const created = await creationTimes();
    const oldestNext = Math.min(...next.map((pod) => created.get(pod)!));
    for (const { pod } of waiting) expect(created.get(pod)!, `${pod} waits although newer than a pod that goes`).toBeLessThanOrEqual(oldestNext);
  });

  it('gives the same plan as offline over the same SidecarSet and pods', async () => {
    const sidecarSet = await kubectl(['get', 'sidecarset', 'log-agent', '-o', 'yaml']);
    const pods = await kubectl(['get', 'pods', '-A', '-o', 'yaml']);
    const sidecarSetFile = join(plane.dir, 'log-agent.yaml');
    const podsFile = join(plane.dir, 'pods.yaml');
    writeFileSync(sidecarSetFile, sidecarSet);
    writeFileSync(podsFile, pods);
    const offline = await runCli(['plan', '--sidecarset', sidecarSetFile, '--pods', podsFile, '-o', 'json']);
    const online = await cli(['plan', 'log-agent', '-o', 'json']);
    expect(offline.stderr).toBe('');
    // Offline sees the pod it never injected too (selected, not injected); the cluster plan lists only injected pods.
    const { waiting, ...counts } = JSON.parse(offline.stdout) as { waiting: { pod: string }[] };
    const { waiting: onlineWaiting, ...onlineCounts } = JSON.parse(online.stdout) as { waiting: { pod: string }[] };
    expect(counts).toEqual(onlineCounts);
    expect(waiting.filter((w) => w.pod !== 'other/plain')).toEqual(onlineWaiting);
  });

  it('-o table: the summary, then POD / ACTION / UPGRADE / REASON', async () => {
    const run = await cli(['plan', 'log-agent']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('SidecarSet log-agent: 5 matched, 0 updated (0 ready), 0 unavailable, budget 2; next round: 2 to update, 3 waiting\n');
    expect(run.stdout).toMatch(/^POD\s+ACTION\s+UPGRADE\s+REASON$/m);
    const { next } = JSON.parse((await cli(['plan', 'log-agent', '-o', 'json'])).stdout) as { next: string[] };
    for (const pod of next) expect(run.stdout).toMatch(new RegExp(`^${pod.replace('/', '\\/')}\\s+update\\s+image swap$`, 'm'));
  });

  it('a SidecarSet that does not exist: exit 1, one line on stderr', async () => {
    const run = await cli(['plan', 'missing']);
    expect(run).toEqual({ code: 1, stdout: '', stderr: 'error: sidecarset "missing" not found\n' });
  });
});

describe('cluster errors: exit 1, one clear line on stderr', () => {
  it('an API server that cannot be reached is named', async () => {
    const server = `https://127.0.0.1:${await freePort()}`; // nothing listens there
    const unreachable = kubeconfigFile('unreachable', (config) => (config.clusters[0]!.cluster.server = server));
    for (const args of [['status'], ['plan', 'log-agent']]) {
      const run = await runCli([...args, '--kubeconfig', unreachable]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr.startsWith(`error: cannot reach the API server at ${server}: `)).toBe(true);
      expect(run.stderr).toMatch(/ECONNREFUSED.*\n$/);
      expect(run.stderr.split('\n')).toHaveLength(2); // one line
    }
  });

  it('credentials RBAC does not allow: Forbidden, with what was refused', async () => {
    const nobody = await issueCertificate(plane.ca, { commonName: 'nobody', usage: 'client' });
    const b64 = (pem: string) => Buffer.from(pem).toString('base64');
    const forbidden = kubeconfigFile('nobody', (config) => {
      config.users[0]!.user = { 'client-certificate-data': b64(nobody.certificate), 'client-key-data': b64(nobody.privateKey) };
    });
    const run = await runCli(['status', '--kubeconfig', forbidden]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: Forbidden: .*"nobody" cannot list resource "sidecarsets".*\n$/);
  });

  it('a --context the kubeconfig does not have', async () => {
    const run = await cli(['status', '--context', 'nope']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('error: context "nope" not found in kubeconfig (available: sidecarset-envtest)\n');
  });

  it('a --kubeconfig file that does not exist', async () => {
    const run = await runCli(['status', '--kubeconfig', join(plane.dir, 'absent.kubeconfig')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: cannot load kubeconfig .*absent\.kubeconfig: .*\n$/);
  });
});

function sidecarSetNamed(name: string): SidecarSet {
  return {
    apiVersion: 'apps.kruise.io/v1alpha1',
    kind: 'SidecarSet',
    metadata: { name },
    spec: { selector: { matchLabels: { app: name } }, containers: [{ name: 'agent', image: 'registry.example/agent:1.0' }] },
  };
}

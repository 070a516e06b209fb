// `kubectl-sidecarset inject` with seed 000's log agent (ECI_SIDECAR_CONTAINER=true): native sidecars
// as the webhook decides them, from --node-version or Node documents in --sidecarsets; unknown
// versions or an old node: a regular container and the webhook's warning on stderr, exit 0.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { runCli } from './runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'inject-native-'));
// Seed 000's last SidecarSet (000-filebeat-sidecarset-3.yaml) without its two volumes, which have tests of their own.
const SEED_000_ECI = join(dir, 'filebeat-sidecarset.yaml');
writeFileSync(
  SEED_000_ECI,
  JSON.stringify({
    apiVersion: 'apps.kruise.io/v1alpha1',
    kind: 'SidecarSet',
    metadata: { name: 'filebeat-sidecarset' },
    spec: {
      selector: { matchLabels: { 'serverless.alibabacloud.com/virtual-node': 'true' } },
      updateStrategy: { type: 'NotUpdate' },
      containers: [{ name: 'filebeat', image: 'busybox', imagePullPolicy: 'IfNotPresent', args: ['/bin/sh', '-c', 'cat /etc/filebeat.yml && sleep 36000'], env: [{ name: 'ECI_SIDECAR_CONTAINER', value: 'true' }] }],
    },
  }),
);
const NODES = join(dir, 'nodes.yaml');
writeFileSync(
  NODES,
  [
    { apiVersion: 'v1', kind: 'Node', metadata: { name: 'old-0', labels: { pool: 'old' } }, status: { nodeInfo: { kubeletVersion: 'v1.28.15' } } },
    { apiVersion: 'v1', kind: 'Node', metadata: { name: 'new-0', labels: { pool: 'new' } }, status: { nodeInfo: { kubeletVersion: 'v1.31.4' } } },
  ].map((d) => JSON.stringify(d)).join('\n---\n'),
);
const pod = (spec: object = {}) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'echo-server', labels: { app: 'echo-server', 'serverless.alibabacloud.com/virtual-node': 'true' } },
    spec: { containers: [{ name: 'echo-server', image: 'hashicorp/http-echo' }], ...spec },
  });
const inject = (stdin: string, ...args: string[]) => runCli(['inject', '-f', '-', '--sidecarsets', SEED_000_ECI, '--now', '2025-01-02T03:04:05Z', ...args], { stdin });

describe('inject: native sidecars', () => {
  it('--node-version 1.29+: filebeat is an initContainer with restartPolicy Always, no warning', async () => {
    const run = await inject(pod(), '--node-version', 'v1.30.2');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = parse(run.stdout) as Pod;
    expect(out.spec!.initContainers!.map((c) => [c.name, c.restartPolicy])).toEqual([['filebeat', 'Always']]);
    expect(out.spec!.containers.map((c) => c.name)).toEqual(['echo-server']);
  });

  it('--node-version 1.28: a regular container, and the warning on stderr', async () => {
    const run = await inject(pod(), '--node-version', 'v1.28.3');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^Warning: <stdin>: document 1 .*"filebeat" injected as a regular container.*API server runs v1\.28\.3.*not guaranteed/);
    expect((parse(run.stdout) as Pod).spec!.containers.map((c) => c.name)).toEqual(['filebeat', 'echo-server']);
  });

  it('no version known: regular, with the warning', async () => {
    const run = await inject(pod());
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('not known');
    expect((parse(run.stdout) as Pod).spec!.initContainers).toBeUndefined();
  });

  it('Node documents: a nodeSelector on the new pool is native, a pod pinned to the old node is not', async () => {
    const onNew = await inject(pod({ nodeSelector: { pool: 'new' } }), '--sidecarsets', NODES);
    expect(onNew.stderr).toBe('');
    expect((parse(onNew.stdout) as Pod).spec!.initContainers!.map((c) => c.name)).toEqual(['filebeat']);
    const onOld = await inject(pod({ nodeName: 'old-0' }), '--sidecarsets', NODES);
    expect(onOld.stderr).toContain('"old-0" (kubelet v1.28.15)');
    expect((parse(onOld.stdout) as Pod).spec!.containers.map((c) => c.name)).toEqual(['filebeat', 'echo-server']);
  });

  it('a Job template: the template gets the native sidecar', async () => {
    const job = JSON.stringify({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once' }, spec: { template: { metadata: { labels: { 'serverless.alibabacloud.com/virtual-node': 'true' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'batch:1' }] } } } });
    const run = await inject(job, '--node-version', 'v1.36.3');
    expect(run.code).toBe(0);
    const [out] = parseAllDocuments(run.stdout).map((d) => d.toJS() as { spec: { template: { spec: Pod['spec'] } } });
    expect(out!.spec.template.spec!.initContainers!.map((c) => [c.name, c.restartPolicy])).toEqual([['filebeat', 'Always']]);
  });

  it('a Node document without a kubelet version is an input error naming the field', async () => {
    const bad = join(dir, 'bad-node.yaml');
    writeFileSync(bad, JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' } }));
    const run = await inject(pod(), '--sidecarsets', bad);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('status.nodeInfo.kubeletVersion');
  });
});

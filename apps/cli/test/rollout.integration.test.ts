// `kubectl-sidecarset rollout ...` on a real control plane with kwok kubelets, the real webhook and the
// real controller: the built CLI pauses a rollout (status then says blocked, exit 1), resumes it
// (status --watch follows it to the end, exit 0), lists the revisions and undoes to the first one
// (the pods' sidecars go back to its image in place); `explain pod` on one of the pods on the way.
import type { Pod, SidecarSet } from '@sidecarset/api';
import { registerSidecarsetWebhook, startControlPlane, startSidecarsetController, startSidecarsetWebhook, untilWebhookInjects, type ControlPlane } from '@sidecarset/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './runCli.js';

const V1 = 'registry.example/logger:1.0';
const V2 = 'registry.example/logger:2.0';
const NAME = 'roll';
const NAMESPACE = 'roll';
const REPLICAS = 3;

let plane: ControlPlane;
const cli = (...args: string[]) => runCli([...args, '--kubeconfig', plane.kubeconfigPath]);

async function apply(object: unknown): Promise<void> {
  const { code, stderr } = await plane.kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=test', '-f', '-'], JSON.stringify(object));
  if (code !== 0) throw new Error(`apply failed: ${stderr}`);
}

async function getJson<T>(...args: string[]): Promise<T> {
  const { code, stdout, stderr } = await plane.kubectl(['get', ...args, '-o', 'json']);
  if (code !== 0) throw new Error(`kubectl get ${args.join(' ')}: ${stderr}`);
  return JSON.parse(stdout) as T;
}

const sidecarSet = () => getJson<SidecarSet>('sidecarset', NAME);
const pods = async () => (await getJson<{ items: Pod[] }>('pods', '-n', NAMESPACE, '-l', `app=${NAME}`)).items.filter((p) => !p.metadata?.deletionTimestamp);
/** Pods whose logger runs `image` and is ready. */
const runningImage = (list: Pod[], image: string) => list.filter((p) => p.status?.containerStatuses?.some((s) => s.name === 'logger' && s.image === image && s.ready)).length;
const setImage = (image: string) => plane.kubectl(['patch', 'sidecarset', NAME, '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/containers/0/image', value: image }])]);

beforeAll(async () => {
  plane = await startControlPlane({ kwok: { nodes: 2 } });
  const webhook = await startSidecarsetWebhook(plane);
  await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
  await startSidecarsetController(plane);
  await plane.kubectl(['create', 'namespace', NAMESPACE]);
  await apply({
    apiVersion: 'apps.kruise.io/v1alpha1',
    kind: 'SidecarSet',
    metadata: { name: NAME },
    spec: { selector: { matchLabels: { app: NAME } }, updateStrategy: { type: 'RollingUpdate', maxUnavailable: 1 }, containers: [{ name: 'logger', image: V1 }] },
  });
  await untilWebhookInjects(plane.kubectl, { namespace: NAMESPACE, labels: { app: NAME }, container: 'logger' });
  await apply({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: NAMESPACE },
    spec: {
      replicas: REPLICAS,
      selector: { matchLabels: { app: NAME } },
      template: { metadata: { labels: { app: NAME }, annotations: { 'sidecarset.dev/kwok-restart-delay': '1s' } }, spec: { containers: [{ name: 'app', image: 'registry.example/app:1.0' }] } },
    },
  });
  await until(async () => runningImage(await pods(), V1) === REPLICAS, 180_000, `${REPLICAS} pods running the ${V1} sidecar`);
}, 600_000);

afterAll(() => plane?.stop());

/** expect.poll for hooks (where it may not be used). */
async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('kubectl-sidecarset rollout', () => {
  it('status: complete once every pod has the sidecar (exit 0); a missing SidecarSet or a bad --timeout exit 1', async () => {
    await expect.poll(async () => (await cli('rollout', 'status', NAME)).stdout, { timeout: 60_000, interval: 1000 }).toBe(`sidecarset "${NAME}" successfully rolled out: 3 of 3 pods updated and ready\n`);
    const json = await cli('rollout', 'status', NAME, '-o', 'json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ state: 'complete', matched: 3, updated: 3, updatedReady: 3 });
    expect(await cli('rollout', 'status', 'nope')).toEqual({ code: 1, stdout: '', stderr: 'error: sidecarset "nope" not found\n' });
    expect((await cli('rollout', 'status', NAME, '--watch', '--timeout', 'soon')).code).toBe(1);
  }, 120_000);

  it('pause: a new image is not rolled out and status --watch says blocked (exit 1); pause twice is refused', async () => {
    expect(await cli('rollout', 'pause', NAME)).toEqual({ code: 0, stdout: `sidecarset.apps.kruise.io/${NAME} paused\n`, stderr: '' });
    expect((await sidecarSet()).spec.updateStrategy?.paused).toBe(true);
    expect(await cli('rollout', 'pause', NAME)).toMatchObject({ code: 1, stderr: `error: sidecarset "${NAME}" is already paused\n` });
    expect((await setImage(V2)).code).toBe(0);
    const status = await cli('rollout', 'status', NAME, '--watch', '--timeout', '60s');
    expect(status.code).toBe(1);
    expect(status.stdout).toContain(`sidecarset "${NAME}" rollout blocked: 0 of 3 pods updated, 3 waiting (3: rollout paused (updateStrategy.paused))`);
    expect(runningImage(await pods(), V1)).toBe(REPLICAS);

    // explain, on one of those pods: selected, injected, behind because the rollout is paused.
    const podName = (await pods())[0]!.metadata!.name!;
    const explained = await cli('explain', 'pod', podName, '-n', NAMESPACE, '-o', 'json');
    expect(explained).toMatchObject({ code: 0, stderr: '' });
    const explanation = JSON.parse(explained.stdout) as { pod: string; sidecarSets: { name: string; selects: boolean; injection: { verdict: string }; injectedNow: boolean; upToDate?: { ok: boolean; reason: string } }[]; injectedNow: { containers: string[] }; wouldInject: { containers: string[] } };
    expect(explanation.pod).toBe(`${NAMESPACE}/${podName}`);
    expect(explanation.sidecarSets).toEqual([
      { name: NAME, selects: true, near: false, checks: [{ field: 'spec.selector', requirement: `app=${NAME}`, holds: true }], injection: { verdict: 'injects' }, injectedNow: true, upToDate: { ok: false, reason: expect.stringMatching(/: rollout paused \(updateStrategy\.paused\)$/) } },
    ]);
    expect(explanation.injectedNow.containers).toEqual([`logger=${V1}`]);
    expect(explanation.wouldInject.containers).toEqual([`logger=${V2}`]);
    const table = await cli('explain', 'pod', podName, '-n', NAMESPACE);
    expect(table.stdout).toContain(`Would inject now:   ${NAME}  containers: logger=${V2}`);
    expect(await cli('explain', 'pod', 'nope', '-n', NAMESPACE)).toMatchObject({ code: 1, stderr: `error: pod "nope" not found in namespace "${NAMESPACE}"\n` });
  }, 180_000);

  it('resume: status --watch follows the rollout to its end (exit 0); resume twice is refused', async () => {
    expect(await cli('rollout', 'resume', NAME)).toEqual({ code: 0, stdout: `sidecarset.apps.kruise.io/${NAME} resumed\n`, stderr: '' });
    expect((await sidecarSet()).spec.updateStrategy?.paused).toBeUndefined();
    expect(await cli('rollout', 'resume', NAME)).toMatchObject({ code: 1, stderr: `error: sidecarset "${NAME}" is not paused\n` });
    const status = await cli('rollout', 'status', NAME, '--watch', '--timeout', '180s');
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    // The progress lines before it depend on how fast the controller is; the last one does not.
    expect(status.stdout.trim().split('\n').at(-1)).toBe(`sidecarset "${NAME}" successfully rolled out: 3 of 3 pods updated and ready`);
    expect(runningImage(await pods(), V2)).toBe(REPLICAS);
    const explained = JSON.parse((await cli('explain', 'pod', (await pods())[0]!.metadata!.name!, '-n', NAMESPACE, '-o', 'json')).stdout) as { sidecarSets: { upToDate?: { ok: boolean } }[] };
    expect(explained.sidecarSets[0]!.upToDate?.ok).toBe(true);
  }, 300_000);

  it('history lists both revisions, the current one marked; undo goes back to revision 1 and the pods follow', async () => {
    const history = await cli('rollout', 'history', NAME);
    expect(history.code).toBe(0);
    const rows = history.stdout.trim().split('\n').slice(2); // the name, the header
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(new RegExp(`^1\\s+${NAME}-\\S+\\s+logger=${V1.replace(/[.]/g, '\\.')}`));
    expect(rows[1]).toMatch(new RegExp(`^2\\s+${NAME}-\\S+\\s+\\*\\s+logger=${V2.replace(/[.]/g, '\\.')}`));
    const json = JSON.parse((await cli('rollout', 'history', NAME, '-o', 'json')).stdout) as { revisions: { revision: number; current: boolean }[] };
    expect(json.revisions.map((r) => [r.revision, r.current])).toEqual([[1, false], [2, true]]);
    expect(await cli('rollout', 'undo', NAME, '--to-revision', '9')).toMatchObject({ code: 1, stderr: expect.stringContaining('unable to find the specified revision 9') });

    const undo = await cli('rollout', 'undo', NAME);
    expect(undo).toMatchObject({ code: 0, stderr: '' });
    expect(undo.stdout).toMatch(new RegExp(`^sidecarset.apps.kruise.io/${NAME} rolled back to revision 1 \\(${NAME}-\\S+\\)\\n$`));
    const restored = await sidecarSet();
    expect(restored.spec.containers?.[0]?.image).toBe(V1);
    expect(restored.spec.updateStrategy?.maxUnavailable).toBe(1); // the rest of the spec kept
    expect((await cli('rollout', 'status', NAME, '--watch', '--timeout', '180s')).code).toBe(0);
    expect(runningImage(await pods(), V1)).toBe(REPLICAS);
    expect((await cli('rollout', 'undo', NAME, '--to-revision', '1')).stdout).toBe(`sidecarset.apps.kruise.io/${NAME} skipped rollback (current spec already matches revision 1)\n`);
  }, 300_000);
});

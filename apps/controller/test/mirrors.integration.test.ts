// Mirrors of cross-namespace ConfigMaps and Secrets (issue 10, docs/design/cross-namespace-mirrors.md)
// on the real control plane: the real webhook rewrites the pods, the real controller (as its
// ServiceAccount, with the RBAC of deploy/manifests/controller.yaml) keeps the mirrors, kwok runs the
// pods. Seed 000 end to end; a source update reaches the mirror; a mirror edited or deleted by someone
// else is restored; a Secret mirror keeps data and type, goes when its last pod goes, and its data
// never appears in a log line; a squatted mirror name is not overwritten, adopted or mounted (the pod
// stays gated, the binding says Conflict, the pod gets an Event); a forged pod annotation gets no
// mirror; the binding deleted: every mirror gone and new pods denied.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigMap, Pod, Secret, SidecarSetResourceBinding } from '@sidecarset/api';
import { registerSidecarsetWebhook, startControlPlane, startSidecarsetController, startSidecarsetWebhook, untilWebhookInjects, type ControlPlane, type SidecarsetController, type SidecarsetWebhook } from '@sidecarset/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply, eventually, getJson } from './rolloutHarness.js';

const SEEDS = join(import.meta.dirname, '../../../packages/api/test/fixtures/seeds');
const CLI = join(import.meta.dirname, '../../cli/dist/main.js');
const MIRROR = 'mirror.kube-system.filebeat-config';
const SECRET_MIRROR = 'mirror.kube-system.log-token';
const GATE = 'sidecarset.dev/mirrors';
/** Plain text that must never appear in a log: the Secret's value, and its base64 as the API carries it. */
const SECRET_VALUE = 'sk-9f3c1e7a-never-log-me-4b2d';
const SECRET_BASE64 = Buffer.from(SECRET_VALUE).toString('base64');

let plane: ControlPlane;
let webhook: SidecarsetWebhook;
let controller: SidecarsetController;
/** Controllers killed by a test: their logs are checked too. */
const retired: SidecarsetController[] = [];
beforeAll(async () => {
  plane = await startControlPlane({ kwok: { nodes: 2 } });
  // Debug logs: the most a log could hold of a Secret (both processes read LOG_LEVEL).
  process.env.LOG_LEVEL = 'debug';
  webhook = await startSidecarsetWebhook(plane);
  await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
  controller = await startSidecarsetController(plane);
}, 180_000);
afterAll(() => plane?.stop());

const kubectl = async (...args: string[]) => {
  const result = await plane.kubectl(args);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
};
const applyFile = (file: string) => kubectl('apply', '-f', join(SEEDS, file));
/** The object, or undefined when it does not exist. */
async function find<T>(...args: string[]): Promise<T | undefined> {
  const { code, stdout, stderr } = await plane.kubectl(['get', ...args, '-o', 'json']);
  if (code !== 0) {
    if (stderr.includes('NotFound')) return undefined;
    throw new Error(stderr);
  }
  return JSON.parse(stdout) as T;
}
const namespace = (name: string) => apply(plane, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const binding = () => getJson<SidecarSetResourceBinding>(plane, 'sidecarsetresourcebinding', 'filebeat-sidecarset-resourcebinding', '-n', 'kube-system');
const condition = (b: SidecarSetResourceBinding, type: string) => b.status?.conditions?.find((c) => c.type === type);
const gated = (pod: Pod) => pod.spec?.schedulingGates?.some((g) => g.name === GATE) ?? false;
const recorded = (b: SidecarSetResourceBinding | undefined, ns: string, name: string) => b?.status?.mirrors?.find((m) => m.namespace === ns && m.name === name);

/** A pod the seed's SidecarSet selects (the label ACK puts on pods of virtual nodes). */
function seedPod(ns: string, name: string, extra: Partial<Pod['metadata']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { app: 'echo-server', 'serverless.alibabacloud.com/virtual-node': 'true' }, ...extra },
    spec: { automountServiceAccountToken: false, containers: [{ name: 'echo-server', image: 'hashicorp/http-echo', args: ['-listen=:8080', '-text="hello world"'] }] },
  };
}
const createPod = (pod: Pod) => plane.kubectl(['create', '-f', '-'], JSON.stringify(pod));

/** Milliseconds from now until `check` holds, polling every 25 ms. */
async function timeUntil<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string): Promise<number> {
  const started = performance.now();
  await eventually(read, check, 60_000, what);
  return performance.now() - started;
}

const FILEBEAT_YML = 'filebeat.inputs:\n- type: log\n  paths:\n    - /var/log/std/*.log\n';

describe('mirrors of cross-namespace ConfigMaps and Secrets', () => {
  it('seed 000 end to end: the pod mounts a mirror with the source data, recorded in the binding, and is ungated', async () => {
    await apply(plane, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'filebeat-config', namespace: 'kube-system', labels: { 'k8s-app': 'filebeat' } }, data: { 'filebeat.yml': FILEBEAT_YML } });
    await applyFile('000-filebeat-sidecarset.yaml');
    await applyFile('000-filebeat-sidecarset-resourcebinding.yaml');
    await eventually(binding, (b) => (b.metadata?.finalizers ?? []).includes('sidecarset.dev/mirrors'), 30_000, 'the binding gets the mirrors finalizer');
    // The webhook has both the SidecarSet and the binding in its caches (a pod admitted before would get no sidecar).
    await untilWebhookInjects(plane.kubectl, { namespace: 'default', labels: seedPod('default', 'probe').metadata!.labels!, container: 'filebeat' });

    const created = await createPod(seedPod('default', 'echo-server'));
    expect(created.code, created.stderr).toBe(0);
    const createdAt = performance.now();
    const mirror = await eventually(() => find<ConfigMap>('configmap', MIRROR, '-n', 'default'), (m) => m !== undefined, 30_000, 'the mirror in default');
    const mirrorMs = performance.now() - createdAt;
    console.log(`pod CREATE -> mirror exists: ${mirrorMs.toFixed(0)} ms (issue 10 asks for 2 s)`);
    expect(mirror!.data).toEqual({ 'filebeat.yml': FILEBEAT_YML });
    expect(mirror!.metadata?.labels).toMatchObject({ 'sidecarset.dev/mirror': 'true', 'sidecarset.dev/mirror-source-namespace': 'kube-system' });
    expect(mirror!.metadata?.annotations).toMatchObject({ 'sidecarset.dev/mirror-source': 'ConfigMap/kube-system/filebeat-config', 'sidecarset.dev/mirror-bindings': 'filebeat-sidecarset-resourcebinding' });

    const pod = await getJson<Pod>(plane, 'pod', 'echo-server', '-n', 'default');
    expect(pod.spec?.volumes?.find((v) => v.name === 'config')?.configMap?.name).toBe(MIRROR);
    expect(pod.metadata?.annotations?.['sidecarset.dev/mirrors']).toBe('ConfigMap/kube-system/filebeat-config');

    const ready = await eventually(binding, (b) => condition(b, 'Ready')?.status === 'True' && recorded(b, 'default', MIRROR) !== undefined, 30_000, 'binding Ready with the mirror recorded');
    expect(recorded(ready, 'default', MIRROR)).toEqual({ kind: 'ConfigMap', namespace: 'default', name: MIRROR, uid: mirror!.metadata?.uid });
    expect(ready.status?.mirrorCount).toBe(1);
    expect(ready.status?.observedGeneration).toBe(ready.metadata?.generation);
    expect(condition(ready, 'Conflict')?.status).toBe('False');
    expect(condition(ready, 'SourceMissing')?.status).toBe('False');
    const running = await eventually(() => getJson<Pod>(plane, 'pod', 'echo-server', '-n', 'default'), (p) => !gated(p) && p.status?.phase === 'Running', 60_000, 'gate lifted, pod running');
    expect(running.spec?.nodeName).toBeTruthy();

    const columns = await kubectl('get', 'sidecarsetresourcebinding', '-n', 'kube-system');
    expect(columns).toMatch(/MIRRORS\s+READY/);
    expect(columns).toMatch(/filebeat-sidecarset-resourcebinding\s+1\s+True/);

    // kubectl-sidecarset status shows the binding and its mirror.
    const cli = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'status', '--kubeconfig', plane.kubeconfigPath], { stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.once('exit', (code) => resolve({ code, stdout }));
    });
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/kube-system\/filebeat-sidecarset-resourcebinding\s+filebeat-sidecarset\s+True\s+1\s+False\s+False\s+yes/);
    expect(cli.stdout).toMatch(new RegExp(`kube-system/filebeat-sidecarset-resourcebinding\\s+ConfigMap\\s+default\\s+${MIRROR.replace(/\./g, '\\.')}`));
  }, 120_000);

  it('a source update reaches the mirror', async () => {
    const updated = `${FILEBEAT_YML}# updated\n`;
    await kubectl('patch', 'configmap', 'filebeat-config', '-n', 'kube-system', '--type=merge', '-p', JSON.stringify({ data: { 'filebeat.yml': updated } }));
    const ms = await timeUntil(() => find<ConfigMap>('configmap', MIRROR, '-n', 'default'), (m) => m?.data?.['filebeat.yml'] === updated, 'the mirror updated');
    console.log(`source update -> mirror updated: ${ms.toFixed(0)} ms (issue 10 asks for 5 s)`);
    await kubectl('patch', 'configmap', 'filebeat-config', '-n', 'kube-system', '--type=merge', '-p', JSON.stringify({ data: { 'filebeat.yml': FILEBEAT_YML }, binaryData: { 'logo.bin': Buffer.from([0, 1, 2, 255]).toString('base64') } }));
    await eventually(() => find<ConfigMap>('configmap', MIRROR, '-n', 'default'), (m) => m?.data?.['filebeat.yml'] === FILEBEAT_YML && m.binaryData?.['logo.bin'] === 'AAEC/w==', 30_000, 'binaryData copied');
  }, 90_000);

  it('a mirror edited or deleted by someone else is restored', async () => {
    const before = await getJson<ConfigMap>(plane, 'configmap', MIRROR, '-n', 'default');
    await kubectl('patch', 'configmap', MIRROR, '-n', 'default', '--type=merge', '-p', JSON.stringify({ data: { 'filebeat.yml': 'tampered', extra: 'x' } }));
    const restored = await eventually(() => find<ConfigMap>('configmap', MIRROR, '-n', 'default'), (m) => m?.data?.['filebeat.yml'] === FILEBEAT_YML && m.data.extra === undefined, 30_000, 'edit undone');
    expect(restored!.metadata?.uid).toBe(before.metadata?.uid);

    await kubectl('delete', 'configmap', MIRROR, '-n', 'default', '--wait=true');
    const recreated = await eventually(() => find<ConfigMap>('configmap', MIRROR, '-n', 'default'), (m) => m !== undefined && m.metadata?.uid !== before.metadata?.uid, 30_000, 'deleted mirror created again');
    expect(recreated!.data?.['filebeat.yml']).toBe(FILEBEAT_YML);
    await eventually(binding, (b) => recorded(b, 'default', MIRROR)?.uid === recreated!.metadata?.uid, 30_000, 'the new UID recorded');
  }, 90_000);

  it('a Secret mirror keeps data and type, and goes when the last pod that needs it goes', async () => {
    await namespace('apps');
    await apply(plane, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'log-token', namespace: 'kube-system' }, type: 'kubernetes.io/basic-auth', stringData: { username: 'shipper', password: SECRET_VALUE } });
    await apply(plane, {
      apiVersion: 'apps.kruise.io/v1alpha1',
      kind: 'SidecarSet',
      metadata: { name: 'token-sidecarset' },
      spec: {
        selector: { matchLabels: { app: 'token-user' } },
        updateStrategy: { type: 'NotUpdate' },
        containers: [{ name: 'shipper', image: 'busybox', volumeMounts: [{ name: 'token', mountPath: '/etc/token', readOnly: true }] }],
        volumes: [{ name: 'token', secret: { secretName: 'kube-system/log-token' } }],
      },
    });
    await apply(plane, {
      apiVersion: 'sidecarset.alibabacloud.com/v1alpha1',
      kind: 'SidecarSetResourceBinding',
      metadata: { name: 'token-binding', namespace: 'kube-system' },
      spec: { subjects: [{ kind: 'SidecarSet', name: 'token-sidecarset' }], resourceRefs: [{ kind: 'Secret', name: 'log-token' }] },
    });
    const pod = seedPod('apps', 'token-user');
    pod.metadata!.labels = { app: 'token-user' };
    const created = await eventually(() => createPod(pod), (r) => r.code === 0, 30_000, 'pod admitted (the webhook has seen the binding)');
    expect(created.code).toBe(0);
    const mirror = await eventually(() => find<Secret>('secret', SECRET_MIRROR, '-n', 'apps'), (m) => m !== undefined, 30_000, 'the Secret mirror');
    const source = await getJson<Secret>(plane, 'secret', 'log-token', '-n', 'kube-system');
    expect(mirror!.data).toEqual(source.data);
    expect(mirror!.data?.password).toBe(SECRET_BASE64);
    expect(mirror!.type).toBe('kubernetes.io/basic-auth');
    await eventually(() => getJson<Pod>(plane, 'pod', 'token-user', '-n', 'apps'), (p) => !gated(p), 30_000, 'gate lifted');

    await kubectl('delete', 'pod', 'token-user', '-n', 'apps', '--wait=false', '--grace-period=0', '--force');
    await eventually(() => find<Secret>('secret', SECRET_MIRROR, '-n', 'apps'), (m) => m === undefined, 30_000, 'the mirror deleted with its last pod');
  }, 120_000);

  it('a squatted mirror name is not overwritten, adopted or mounted: the pod stays gated, Conflict, Event; freed, the mirror comes', async () => {
    await namespace('squat');
    await apply(plane, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: MIRROR, namespace: 'squat' }, data: { 'filebeat.yml': 'output: attacker.example' } });
    const squatter = await getJson<ConfigMap>(plane, 'configmap', MIRROR, '-n', 'squat');
    const created = await createPod(seedPod('squat', 'victim'));
    expect(created.code, created.stderr).toBe(0);
    const conflicted = await eventually(binding, (b) => condition(b, 'Conflict')?.status === 'True', 30_000, 'binding Conflict');
    expect(condition(conflicted, 'Conflict')?.message).toContain(`ConfigMap squat/${MIRROR}`);
    expect(condition(conflicted, 'Ready')?.status).toBe('False');
    expect(recorded(conflicted, 'squat', MIRROR)).toBeUndefined();
    const events = await eventually(
      async () => (await getJson<{ items: { reason: string; message: string }[] }>(plane, 'events', '-n', 'squat', '--field-selector', 'involvedObject.name=victim')).items,
      (items) => items.some((e) => e.reason === 'MirrorConflict'),
      30_000,
      'an Event on the waiting pod',
    );
    expect(events.find((e) => e.reason === 'MirrorConflict')?.message).toContain(`ConfigMap squat/${MIRROR}`);
    await new Promise((r) => setTimeout(r, 3000)); // several reconciles later
    const still = await getJson<ConfigMap>(plane, 'configmap', MIRROR, '-n', 'squat');
    expect(still.metadata?.uid).toBe(squatter.metadata?.uid);
    expect(still.data).toEqual({ 'filebeat.yml': 'output: attacker.example' });
    expect(still.metadata?.labels?.['sidecarset.dev/mirror']).toBeUndefined();
    const victim = await getJson<Pod>(plane, 'pod', 'victim', '-n', 'squat');
    expect(gated(victim)).toBe(true);
    expect(victim.spec?.nodeName).toBeUndefined();
    expect(victim.status?.conditions?.find((c) => c.type === 'PodScheduled')?.reason).toBe('SchedulingGated');

    // A squatter that copies our labels and annotations is not trusted either.
    await kubectl('label', 'configmap', MIRROR, '-n', 'squat', 'sidecarset.dev/mirror=true', 'sidecarset.dev/mirror-source-namespace=kube-system');
    await new Promise((r) => setTimeout(r, 2000));
    expect((await getJson<ConfigMap>(plane, 'configmap', MIRROR, '-n', 'squat')).data).toEqual({ 'filebeat.yml': 'output: attacker.example' });
    expect(gated(await getJson<Pod>(plane, 'pod', 'victim', '-n', 'squat'))).toBe(true);

    await kubectl('delete', 'configmap', MIRROR, '-n', 'squat', '--wait=true');
    const mirror = await eventually(() => find<ConfigMap>('configmap', MIRROR, '-n', 'squat'), (m) => m?.data?.['filebeat.yml'] === FILEBEAT_YML, 30_000, 'our mirror once the name is free');
    await eventually(binding, (b) => condition(b, 'Conflict')?.status === 'False' && recorded(b, 'squat', MIRROR)?.uid === mirror!.metadata?.uid, 30_000, 'conflict cleared');
    await eventually(() => getJson<Pod>(plane, 'pod', 'victim', '-n', 'squat'), (p) => !gated(p), 30_000, 'gate lifted');
  }, 150_000);

  it('a mirror created just before a crash (UID recorded nowhere) is recognised by the binding-UID annotation only the controller may set', async () => {
    await namespace('crash');
    const bindingUid = (await binding()).metadata!.uid!;
    const marked = (name: string) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name,
        namespace: 'crash',
        labels: { 'sidecarset.dev/mirror': 'true', 'sidecarset.dev/mirror-source-namespace': 'kube-system' },
        annotations: { 'sidecarset.dev/mirror-source': 'ConfigMap/kube-system/filebeat-config', 'sidecarset.dev/mirror-binding-uid': bindingUid },
      },
      data: { 'filebeat.yml': 'output: attacker.example' },
    });
    // Nobody else, not even the cluster admin, can make an object look like that.
    const forged = await plane.kubectl(['create', '-f', '-'], JSON.stringify(marked(MIRROR)));
    expect(forged.code).not.toBe(0);
    expect(forged.stderr).toContain('only the controller may set, change or remove it');
    await kubectl('create', 'configmap', 'plain', '-n', 'crash', '--from-literal=k=v');
    const annotated = await plane.kubectl(['annotate', 'configmap', 'plain', '-n', 'crash', `sidecarset.dev/mirror-binding-uid=${bindingUid}`]);
    expect(annotated.code).not.toBe(0);

    // The crash: the controller dies; what it had created (as its identity) has no UID in the binding's status.
    await controller.kill();
    retired.push(controller);
    const leftover = await plane.kubectl(['--kubeconfig', controller.kubeconfigPath, 'create', '-f', '-', '-o', 'json'], JSON.stringify({ ...marked(MIRROR), data: { 'filebeat.yml': 'stale' } }));
    expect(leftover.code, leftover.stderr).toBe(0);
    const leftoverUid = (JSON.parse(leftover.stdout) as ConfigMap).metadata!.uid!;
    expect(recorded(await binding(), 'crash', MIRROR)).toBeUndefined();
    expect((await createPod(seedPod('crash', 'after-crash'))).code).toBe(0);

    controller = await startSidecarsetController(plane); // takes the Lease once the dead one's expires
    const adopted = await eventually(binding, (b) => recorded(b, 'crash', MIRROR)?.uid === leftoverUid, 60_000, 'the leftover recorded as ours');
    expect(condition(adopted, 'Conflict')?.message ?? '').not.toContain(`crash/${MIRROR}`);
    const mirror = await getJson<ConfigMap>(plane, 'configmap', MIRROR, '-n', 'crash');
    expect(mirror.metadata?.uid).toBe(leftoverUid);
    expect(mirror.data?.['filebeat.yml']).toBe(FILEBEAT_YML);
    await eventually(() => getJson<Pod>(plane, 'pod', 'after-crash', '-n', 'crash'), (p) => !gated(p), 30_000, 'gate lifted');
  }, 150_000);

  it('a pod that forges the mirrors annotation (and the volume, outside the selector) gets no mirror', async () => {
    await namespace('forged');
    const forged: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'forger',
        namespace: 'forged',
        labels: { app: 'forger' },
        annotations: { 'sidecarset.dev/mirrors': 'ConfigMap/kube-system/filebeat-config', 'kruise.io/sidecarset-injected-list': 'filebeat-sidecarset' },
      },
      spec: {
        automountServiceAccountToken: false,
        containers: [{ name: 'app', image: 'busybox', volumeMounts: [{ name: 'config', mountPath: '/etc/stolen' }] }],
        volumes: [{ name: 'config', configMap: { name: MIRROR } }],
      },
    };
    const created = await createPod(forged);
    expect(created.code, created.stderr).toBe(0);
    await eventually(() => getJson<Pod>(plane, 'pod', 'forger', '-n', 'forged'), (p) => p.status?.phase === 'Running', 60_000, 'forged pod running');
    await new Promise((r) => setTimeout(r, 3000));
    expect(await find<ConfigMap>('configmap', MIRROR, '-n', 'forged')).toBeUndefined();
    expect(recorded(await binding(), 'forged', MIRROR)).toBeUndefined();
  }, 90_000);

  it('the binding deleted: every mirror it backs is gone, and new pods are denied', async () => {
    await kubectl('delete', 'sidecarsetresourcebinding', 'filebeat-sidecarset-resourcebinding', '-n', 'kube-system', '--wait=false');
    for (const ns of ['default', 'squat']) await eventually(() => find<ConfigMap>('configmap', MIRROR, '-n', ns), (m) => m === undefined, 30_000, `mirror in ${ns} deleted`);
    await eventually(() => find<SidecarSetResourceBinding>('sidecarsetresourcebinding', 'filebeat-sidecarset-resourcebinding', '-n', 'kube-system'), (b) => b === undefined, 30_000, 'binding gone (finalizer removed)');
    const denied = await eventually(() => createPod(seedPod('default', 'too-late')), (r) => r.code !== 0, 30_000, 'new pod denied');
    expect(denied.stderr).toContain('no SidecarSetResourceBinding in namespace kube-system');
  }, 90_000);

  it("the controller's identity writes only mirrors (RBAC, narrowed by the manifest's ValidatingAdmissionPolicy)", async () => {
    const asController = (args: string[], input?: string) => plane.kubectl(['--kubeconfig', controller.kubeconfigPath, ...args], input);
    const configMap = (name: string, labels: Record<string, string> = {}) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels }, data: { a: 'b' } });
    const notMirror = await eventually(() => asController(['create', '-f', '-'], configMap('app-settings', { 'sidecarset.dev/mirror': 'true' })), (r) => r.code !== 0, 30_000, 'a ConfigMap not named as a mirror refused');
    expect(notMirror.stderr).toContain('writes only mirrors');
    const unlabelled = await asController(['create', '-f', '-'], configMap('mirror.kube-system.unlabelled'));
    expect(unlabelled.code).not.toBe(0);
    expect(unlabelled.stderr).toContain('sidecarset.dev/mirror=true');
    const mirrorShaped = await asController(['create', '-f', '-'], configMap('mirror.kube-system.shaped', { 'sidecarset.dev/mirror': 'true' }));
    expect(mirrorShaped.code, mirrorShaped.stderr).toBe(0);
    await kubectl('create', 'configmap', 'precious', '-n', 'default', '--from-literal=k=v');
    const deleteOther = await asController(['delete', 'configmap', 'precious', '-n', 'default']);
    expect(deleteOther.code).not.toBe(0);
    expect(deleteOther.stderr).toContain('writes only mirrors');
    expect(await asController(['delete', 'configmap', 'mirror.kube-system.shaped', '-n', 'default'])).toMatchObject({ code: 0 });
    expect((await asController(['get', 'configmap', 'precious', '-n', 'default'])).code).toBe(0);
  }, 60_000);

  it("a Secret's data appears in no log line of the controller or the webhook", () => {
    for (const process of [...retired.map((c) => c.process), controller.process, webhook.process]) {
      const log = readFileSync(process.logFile, 'utf8');
      expect(log.length, `${process.name} logged`).toBeGreaterThan(0);
      expect(log.includes(SECRET_VALUE), `${process.name} log holds the Secret's value`).toBe(false);
      expect(log.includes(SECRET_BASE64), `${process.name} log holds the Secret's value in base64`).toBe(false);
      const warnings = log.split('\n').filter((line) => /"level":(40|50|60)/.test(line));
      console.log(`${process.name}: ${log.split('\n').length} log lines, ${warnings.length} warnings or errors${warnings.length ? `:\n${warnings.slice(-10).join('\n')}` : ''}`);
    }
  });
});

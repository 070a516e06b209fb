// Issue 10, admission side, through the real API server and the real webhook (its ServiceAccount
// with the RBAC of deploy/manifests/webhook.yaml, which reads bindings but no ConfigMap or Secret):
// seed 000's SidecarSet and binding give a pod whose volume names the mirror, with the mirrors
// annotation and scheduling gate; without an authorising binding (none, one in another namespace,
// one that does not list the Secret) the pod is denied naming what is missing; a pod's forged
// annotation and its own volume naming a mirror decide nothing; a pod with spec.nodeName waits for
// the binding's status.mirrors; a SidecarSet applied before its binding gets a warning.
import { join } from 'node:path';
import type { Pod, SidecarSet } from '@sidecarset/api';
import { registerSidecarsetWebhook, startControlPlane, startSidecarsetWebhook, type ControlPlane, type SidecarsetWebhook } from '@sidecarset/envtest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const SEEDS = join(import.meta.dirname, '../../../packages/api/test/fixtures/seeds');
const SIDECARSET = join(SEEDS, '000-filebeat-sidecarset.yaml');
const BINDING = join(SEEDS, '000-filebeat-sidecarset-resourcebinding.yaml');
const MIRROR = 'mirror.kube-system.filebeat-config';
const MISSING = 'no SidecarSetResourceBinding in namespace kube-system lists SidecarSet "filebeat-sidecarset" and ConfigMap "filebeat-config"';

let plane: ControlPlane;
let webhook: SidecarsetWebhook;

beforeAll(async () => {
  plane = await startControlPlane({ scheduler: false });
  webhook = await startSidecarsetWebhook(plane);
  await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
});
afterAll(async () => {
  await webhook?.stop();
  await plane?.stop();
});
afterEach(async () => {
  await plane.kubectl(['delete', 'sidecarsets', '--all', '--wait=true']);
  await plane.kubectl(['delete', 'sidecarsetresourcebindings', '--all', '--all-namespaces', '--wait=true']);
  await plane.kubectl(['delete', 'pods', '--all', '-n', 'default', '--grace-period=0', '--force', '--wait=false']);
});

async function kubectlOk(args: string[], input?: string): Promise<{ stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await plane.kubectl(args, input);
  if (code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${stderr}`);
  return { stdout, stderr };
}
const getPod = async (name: string): Promise<Pod> => JSON.parse((await kubectlOk(['get', 'pod', name, '-n', 'default', '-o', 'json'])).stdout) as Pod;
const echoPod = (name: string, spec: Partial<NonNullable<Pod['spec']>> = {}, annotations: Record<string, string> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: { app: 'echo-server', 'serverless.alibabacloud.com/virtual-node': 'true' }, annotations },
  spec: { containers: [{ name: 'echo-server', image: 'hashicorp/http-echo' }], ...spec },
});
const createPod = (pod: Pod, ...extra: string[]) => plane.kubectl(['create', '-f', '-', ...extra], JSON.stringify(pod));
const binding = (namespace: string, refs: { kind: 'ConfigMap' | 'Secret'; name: string }[]) => ({
  apiVersion: 'sidecarset.alibabacloud.com/v1alpha1',
  kind: 'SidecarSetResourceBinding',
  metadata: { name: 'filebeat-sidecarset-resourcebinding', namespace },
  spec: { subjects: [{ kind: 'SidecarSet', name: 'filebeat-sidecarset' }], resourceRefs: refs },
});

/**
 * Bindings applied so far are in the webhook's cache once it has seen one applied after them: the
 * watch delivers them in order. The sentinel authorises a SidecarSet of its own; its pod passes then.
 */
async function untilWebhookSeesBindingsSoFar(): Promise<void> {
  const sentinel = JSON.parse((await kubectlOk(['create', '--dry-run=client', '-o', 'json', '-f', SIDECARSET])).stdout) as SidecarSet;
  sentinel.metadata = { name: 'sentinel' };
  sentinel.spec.selector = { matchLabels: { app: 'sentinel' } };
  sentinel.spec.containers![0]!.name = 'sentinel';
  await kubectlOk(['apply', '-f', '-'], JSON.stringify(sentinel));
  const sentinelBinding = { ...binding('kube-system', [{ kind: 'ConfigMap', name: 'filebeat-config' }]), metadata: { name: 'sentinel', namespace: 'kube-system' } };
  sentinelBinding.spec.subjects = [{ kind: 'SidecarSet', name: 'sentinel' }];
  await kubectlOk(['apply', '-f', '-'], JSON.stringify(sentinelBinding));
  const probe = echoPod('sentinel-probe');
  probe.metadata!.labels = { app: 'sentinel' };
  await expect.poll(async () => (await createPod(probe, '--dry-run=server')).code, { timeout: 30_000, interval: 200 }).toBe(0);
}

/** The webhook's binding cache is a watch: wait until a dry-run pod CREATE passes (or fails) as the binding now says. */
async function untilWebhookSees(admitted: boolean): Promise<void> {
  await expect
    .poll(async () => (await createPod(echoPod('probe'), '--dry-run=server')).code === 0, { timeout: 30_000, interval: 200 })
    .toBe(admitted);
}

describe('seed 000: a ConfigMap of kube-system through its mirror', () => {
  it('applying the SidecarSet before its binding warns which binding it lacks; with the binding the pod mounts the mirror, gated', async () => {
    const applied = await kubectlOk(['apply', '-f', SIDECARSET]);
    expect(applied.stderr).toContain(`Warning: spec.volumes[0].configMap.name: ConfigMap kube-system/filebeat-config: ${MISSING} yet`);

    await kubectlOk(['apply', '-f', BINDING]);
    await untilWebhookSees(true);
    const reapplied = await kubectlOk(['apply', '-f', SIDECARSET]);
    expect(reapplied.stderr).not.toContain('Warning');

    await kubectlOk(['create', '-f', '-'], JSON.stringify(echoPod('echo')));
    const stored = await getPod('echo');
    expect(stored.spec!.containers.map((c) => c.name)).toEqual(['filebeat', 'echo-server']);
    expect(stored.spec!.volumes!.find((v) => v.name === 'config')).toEqual({ name: 'config', configMap: { name: MIRROR, defaultMode: 420 } });
    expect(stored.metadata!.annotations!['sidecarset.dev/mirrors']).toBe('ConfigMap/kube-system/filebeat-config');
    expect(stored.spec!.schedulingGates).toEqual([{ name: 'sidecarset.dev/mirrors' }]);
  });

  it('a pod that forges the mirrors annotation and brings its own volume naming a mirror: the annotation is rebuilt, its volume left as written', async () => {
    await kubectlOk(['apply', '-f', SIDECARSET]);
    await kubectlOk(['apply', '-f', BINDING]);
    await untilWebhookSees(true);
    const own = { name: 'stolen', secret: { secretName: 'mirror.kube-system.root-creds' } };
    await kubectlOk(['create', '-f', '-'], JSON.stringify(echoPod('forger', { volumes: [own] }, { 'sidecarset.dev/mirrors': 'Secret/kube-system/root-creds' })));
    const stored = await getPod('forger');
    expect(stored.metadata!.annotations!['sidecarset.dev/mirrors']).toBe('ConfigMap/kube-system/filebeat-config');
    expect(stored.spec!.volumes!.find((v) => v.name === 'stolen')).toEqual({ ...own, secret: { ...own.secret, defaultMode: 420 } });
    expect(stored.spec!.volumes!.find((v) => v.name === 'config')!.configMap!.name).toBe(MIRROR);
  });
});

describe('without an authorising binding the pod is denied, naming what is missing', () => {
  it.each([
    { name: 'no binding at all', bindings: [] as object[] },
    { name: 'a binding in another namespace (default) cannot authorise an object of kube-system', bindings: [binding('default', [{ kind: 'ConfigMap', name: 'filebeat-config' }])] },
  ])('$name', async ({ bindings }) => {
    await kubectlOk(['apply', '-f', SIDECARSET]);
    for (const b of bindings) await kubectlOk(['apply', '-f', '-'], JSON.stringify(b));
    await untilWebhookSeesBindingsSoFar();
    const { code, stderr } = await createPod(echoPod('denied'));
    expect(code).not.toBe(0);
    expect(stderr).toContain(`SidecarSet "filebeat-sidecarset" spec.volumes[0].configMap.name: volume "config" refers to ConfigMap kube-system/filebeat-config, but ${MISSING}`);
    expect((await plane.kubectl(['get', 'pod', 'denied', '-n', 'default'])).code).not.toBe(0);
  });

  it('a SidecarSet referring to a Secret of a bound namespace that the binding does not list', async () => {
    const sidecarSet = JSON.parse((await kubectlOk(['create', '--dry-run=client', '-o', 'json', '-f', SIDECARSET])).stdout) as SidecarSet;
    sidecarSet.spec.volumes!.push({ name: 'creds', secret: { secretName: 'kube-system/root-creds' } });
    sidecarSet.spec.containers![0]!.volumeMounts!.push({ name: 'creds', mountPath: '/etc/creds', readOnly: true });
    const applied = await kubectlOk(['apply', '-f', '-'], JSON.stringify(sidecarSet));
    expect(applied.stderr).toContain('Warning: spec.volumes[1].secret.secretName: Secret kube-system/root-creds');
    await kubectlOk(['apply', '-f', BINDING]);
    await expect
      .poll(async () => (await createPod(echoPod('creds'), '--dry-run=server')).stderr, { timeout: 30_000, interval: 200 })
      .toContain('volume "creds" refers to Secret kube-system/root-creds, but no SidecarSetResourceBinding in namespace kube-system lists SidecarSet "filebeat-sidecarset" and Secret "root-creds"');
    const { stderr } = await createPod(echoPod('creds'));
    expect(stderr).not.toContain('volume "config"'); // the ConfigMap is authorised; only the Secret is named
  });

  it('revoking: once the binding is deleted new pods are denied again', async () => {
    await kubectlOk(['apply', '-f', SIDECARSET]);
    await kubectlOk(['apply', '-f', BINDING]);
    await untilWebhookSees(true);
    await kubectlOk(['delete', '-f', BINDING]);
    await untilWebhookSees(false);
    expect((await createPod(echoPod('after'))).stderr).toContain(MISSING);
  });
});

describe('a pod with spec.nodeName (it cannot carry a scheduling gate)', () => {
  it("is denied (saying how to create it instead) until the binding's status records the mirror in its namespace; then admitted without a gate", async () => {
    await kubectlOk(['apply', '-f', SIDECARSET]);
    await kubectlOk(['apply', '-f', BINDING]);
    await untilWebhookSees(true);
    const placed = echoPod('placed', { nodeName: 'node-1' });
    const denied = await createPod(placed);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain(`whose mirror ${MIRROR} in namespace default is not ready yet`);
    expect(denied.stderr).toContain('create it without spec.nodeName');

    const status = { status: { mirrors: [{ kind: 'ConfigMap', namespace: 'default', name: MIRROR, uid: '00000000-0000-0000-0000-000000000001' }] } };
    await kubectlOk(['patch', 'sidecarsetresourcebinding', 'filebeat-sidecarset-resourcebinding', '-n', 'kube-system', '--subresource=status', '--type=merge', '-p', JSON.stringify(status)]);
    await expect.poll(async () => (await createPod(placed, '--dry-run=server')).code, { timeout: 30_000, interval: 200 }).toBe(0);
    await kubectlOk(['create', '-f', '-'], JSON.stringify(placed));
    const stored = await getPod('placed');
    expect(stored.spec!.schedulingGates).toBeUndefined();
    expect(stored.spec!.volumes!.find((v) => v.name === 'config')!.configMap!.name).toBe(MIRROR);
    expect(stored.metadata!.annotations!['sidecarset.dev/mirrors']).toBe('ConfigMap/kube-system/filebeat-config');
  });
});

describe('SidecarSet validation of NAMESPACE/NAME', () => {
  it.each([
    ['Kube_System/filebeat-config', 'the namespace "Kube_System"'],
    ['kube-system/', 'the name "" must not be empty'],
    ['a/b/c', 'NAMESPACE/NAME takes exactly one "/"'],
  ])('%s is refused with a field error', async (value, reason) => {
    const sidecarSet = JSON.parse((await kubectlOk(['create', '--dry-run=client', '-o', 'json', '-f', SIDECARSET])).stdout) as SidecarSet;
    sidecarSet.spec.volumes![0]!.configMap!.name = value;
    const { code, stderr } = await plane.kubectl(['apply', '-f', '-'], JSON.stringify(sidecarSet));
    expect(code).not.toBe(0);
    expect(stderr).toContain('spec.volumes[0].configMap.name');
    expect(stderr).toContain(reason);
  });
});

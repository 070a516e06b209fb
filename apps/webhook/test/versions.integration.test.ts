// One SidecarSet written as apps.kruise.io/v1alpha1 (a `namespace`, the custom-version label) and as
// v1beta1 (the namespaceSelector and customVersion OpenKruise's conversion makes of them), through the
// real API server, our webhook and its /convert: both are stored alike (defaults and hash annotations),
// an invalid one is refused with the same field errors in either version, and pods get the same sidecars.
import type { Pod, SidecarSet } from '@sidecarset/api';
import { registerSidecarsetWebhook, startControlPlane, startSidecarsetWebhook, type ControlPlane } from '@sidecarset/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CUSTOM_VERSION = 'apps.kruise.io/sidecarset-custom-version';
let plane: ControlPlane;

const spec = (app: string) => ({
  selector: { matchLabels: { app } },
  updateStrategy: { partition: '20%' },
  containers: [{ name: 'agent', image: 'registry.example/agent:1.0', env: [{ name: 'LEVEL', value: 'info' }], volumeMounts: [{ name: 'logs', mountPath: '/logs' }] }],
  initContainers: [{ name: 'proxy', image: 'registry.example/proxy:1.0', restartPolicy: 'Always' }],
  volumes: [{ name: 'logs', emptyDir: {} }],
});
const asAlpha = (name: string, app: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name, labels: { [CUSTOM_VERSION]: 'v1' } },
  spec: { ...spec(app), namespace: 'shop', ...extra },
});
const asBeta = (name: string, app: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps.kruise.io/v1beta1',
  kind: 'SidecarSet',
  metadata: { name },
  spec: { ...spec(app), namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, customVersion: 'v1', ...extra },
});

async function kubectl(args: string[], input?: string): Promise<string> {
  const { code, stdout, stderr } = await plane.kubectl(args, input);
  if (code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${stderr}`);
  return stdout;
}
const read = async (version: string, name: string) => JSON.parse(await kubectl(['get', `sidecarsets.${version}.apps.kruise.io`, name, '-o', 'json'])) as SidecarSet;
/**
 * What may differ between two objects written apart: identity, times, managers, the name given; and
 * the status, which only the v1alpha1-written one has before any controller runs (OpenKruise's
 * conversion, which /convert follows, writes Go's zero status when it stores a v1alpha1 object).
 */
const comparable = (s: SidecarSet) => {
  const { uid: _u, resourceVersion: _r, creationTimestamp: _c, managedFields: _m, name: _n, annotations, ...metadata } = s.metadata!;
  const { 'kubectl.kubernetes.io/last-applied-configuration': _l, ...kept } = annotations ?? {};
  const { status: _s, ...rest } = s;
  return { ...rest, metadata: { ...metadata, annotations: kept } };
};
/** A pod's spec without its ServiceAccount token volume, whose name is random. */
const withoutToken = (pod: Pod) => {
  const notToken = (v: { name: string }) => !v.name.startsWith('kube-api-access-');
  const mounts = <C extends { volumeMounts?: { name: string }[] }>(c: C) => ({ ...c, volumeMounts: c.volumeMounts?.filter(notToken) });
  return { ...pod.spec, volumes: pod.spec?.volumes?.filter(notToken), containers: pod.spec?.containers.map(mounts), initContainers: pod.spec?.initContainers?.map(mounts) };
};

beforeAll(async () => {
  plane = await startControlPlane({ scheduler: false });
  const webhook = await startSidecarsetWebhook(plane);
  await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
  await kubectl(['create', 'namespace', 'shop']);
}, 120_000);
afterAll(() => plane?.stop());

describe('a SidecarSet behaves the same whichever version it is written in', () => {
  it('is stored alike: defaults, hash annotations, namespaceSelector and customVersion, read through either version', async () => {
    await kubectl(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [asAlpha('written-alpha', 'a'), asBeta('written-beta', 'b')] }));
    for (const version of ['v1alpha1', 'v1beta1']) {
      const [alpha, beta] = [await read(version, 'written-alpha'), await read(version, 'written-beta')];
      expect(alpha.metadata?.annotations?.['kruise.io/sidecarset-hash']).toMatch(/^[a-z0-9]{64}$/);
      const sameSelector = (s: SidecarSet) => ({ ...comparable(s), spec: { ...s.spec, selector: {} } });
      expect(sameSelector(alpha)).toEqual(sameSelector(beta));
    }
    expect((await read('v1beta1', 'written-alpha')).spec).toMatchObject({ customVersion: 'v1', namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, updateStrategy: { type: 'RollingUpdate', maxUnavailable: 1 } });
  });

  it('an invalid one is refused with the same field errors in either version', async () => {
    const broken = { containers: [{ name: 'agent', image: '' }] };
    const messages = [];
    for (const manifest of [asAlpha('broken', 'c', broken), asBeta('broken', 'c', broken)]) {
      const result = await plane.kubectl(['create', '-f', '-'], JSON.stringify(manifest));
      expect(result.code).not.toBe(0);
      messages.push(result.stderr.replace(/v1(alpha|beta)1/g, 'VERSION'));
    }
    expect(messages[0]).toContain('spec.containers[0].image');
    expect(messages[1]).toBe(messages[0]);
  });

  it('pods get the same sidecars', async () => {
    const pod = (app: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${app}`, namespace: 'shop', labels: { app } }, spec: { containers: [{ name: 'app', image: 'registry.example/app:1.0' }] } });
    const injected = async (app: string) => JSON.parse(await kubectl(['create', '--dry-run=server', '-o', 'json', '-f', '-'], JSON.stringify(pod(app)))) as Pod;
    const [a, b] = [await injected('a'), await injected('b')];
    expect(a.spec?.containers.map((c) => c.name)).toEqual(['agent', 'app']);
    expect(a.spec?.initContainers?.map((c) => c.name)).toEqual(['proxy']);
    expect(withoutToken(b)).toEqual(withoutToken(a));
    const hashes = (p: Pod, name: string) => JSON.parse(p.metadata!.annotations!['kruise.io/sidecarset-hash']!)[name] as { hash: string };
    expect(hashes(b, 'written-beta').hash).toBe(hashes(a, 'written-alpha').hash);
  });
});

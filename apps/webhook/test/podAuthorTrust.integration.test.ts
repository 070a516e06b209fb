// Issue 8's pod-author and pin defects, each through the real API server and the real webhook: a pod
// that forges "already injected" still gets the sidecar as its SidecarSet defines it; a status in the
// CREATE body does not skip injection; a name clash across containers/initContainers is denied with a
// message naming the SidecarSet and both containers (never a pod the API server refuses); a revision
// pin that cannot resolve is refused when the SidecarSet is applied, and a pin that stops resolving
// denies pods naming the SidecarSet and the revision.
import type { Pod, SidecarSet } from '@sidecarset/api';
import { registerSidecarsetWebhook, startControlPlane, startSidecarsetWebhook, type ControlPlane, type SidecarsetWebhook } from '@sidecarset/envtest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

let plane: ControlPlane;
let webhook: SidecarsetWebhook;

beforeAll(async () => {
  plane = await startControlPlane({ scheduler: false }); // the controller-manager makes the default ServiceAccount
  webhook = await startSidecarsetWebhook(plane);
  await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
});
afterAll(async () => {
  await webhook?.stop();
  await plane?.stop();
});
afterEach(async () => {
  await plane.kubectl(['delete', 'sidecarsets', '--all', '--wait=true']);
  await plane.kubectl(['delete', 'pods', '--all', '-n', 'default', '--grace-period=0', '--force', '--wait=false']);
});

async function kubectlOk(args: string[], input?: string): Promise<string> {
  const { code, stdout, stderr } = await plane.kubectl(args, input);
  if (code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${stderr}`);
  return stdout;
}
const apply = (object: object) => plane.kubectl(['apply', '-f', '-'], JSON.stringify(object));
const getPod = async (name: string): Promise<Pod> => JSON.parse(await kubectlOk(['get', 'pod', name, '-n', 'default', '-o', 'json'])) as Pod;

const proxySet = (spec: Partial<SidecarSet['spec']> = {}, metadata: SidecarSet['metadata'] = { name: 'proxy' }): SidecarSet => ({
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata,
  spec: { selector: { matchLabels: { app: 'web' } }, containers: [{ name: 'proxy', image: 'proxy:1.0' }], ...spec },
});
const webPod = (name: string, spec: Partial<NonNullable<Pod['spec']>> = {}, extra: Partial<Pod> = {}, annotations: Record<string, string> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: { app: 'web' }, annotations },
  spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec },
  ...extra,
});
const sidecarAnnotations = (pod: Pod): Record<string, string> =>
  Object.fromEntries(Object.entries(pod.metadata?.annotations ?? {}).filter(([key]) => key.startsWith('kruise.io/sidecarset-')));

describe('a pod author cannot dodge or replace a required sidecar', () => {
  it.each([
    { name: "an injected pod's annotations copied, with its own container named like the sidecar", own: true, forged: true, status: undefined },
    { name: "an injected pod's annotations copied, without the sidecar", own: false, forged: true, status: undefined },
    { name: 'its own container named like the sidecar', own: true, forged: false, status: undefined },
    { name: 'status.phase Succeeded in the CREATE body', own: false, forged: false, status: { phase: 'Succeeded' } },
  ])('$name: the stored pod runs the SidecarSet\'s sidecar', async ({ own, forged, status }) => {
    expect((await apply(proxySet())).code).toBe(0);
    const genuine = JSON.parse(await kubectlOk(['create', '-f', '-', '-o', 'json'], JSON.stringify(webPod('genuine')))) as Pod;
    const containers = own ? [{ name: 'proxy', image: 'attacker/own-proxy:1', command: ['sh', '-c', 'exfiltrate'] }, { name: 'app', image: 'nginx' }] : undefined;
    const forgedPod = webPod('forged', containers ? { containers } : {}, status ? { status } : {}, forged ? sidecarAnnotations(genuine) : {});
    await kubectlOk(['create', '-f', '-'], JSON.stringify(forgedPod));

    const stored = await getPod('forged');
    const proxies = stored.spec!.containers.filter((c) => c.name === 'proxy');
    expect(proxies).toHaveLength(1);
    expect(proxies[0]).toMatchObject({ image: 'proxy:1.0', env: [{ name: 'IS_INJECTED', value: 'true' }] });
    expect(proxies[0]!.command).toBeUndefined();
    expect(stored.metadata!.annotations!['kruise.io/sidecarset-injected-list']).toBe('proxy');
  });

  it('forged entries for a SidecarSet that does not inject the pod are dropped', async () => {
    expect((await apply(proxySet())).code).toBe(0);
    const forged = '{"paused-one":{"updateTimestamp":"2020-01-01T00:00:00Z","hash":"x","sidecarSetName":"paused-one","sidecarList":["app"]}}';
    await kubectlOk(['create', '-f', '-'], JSON.stringify(webPod('forged-other', {}, {}, { 'kruise.io/sidecarset-injected-list': 'paused-one', 'kruise.io/sidecarset-hash': forged })));
    const stored = await getPod('forged-other');
    expect(stored.metadata!.annotations!['kruise.io/sidecarset-injected-list']).toBe('proxy');
    expect(Object.keys(JSON.parse(stored.metadata!.annotations!['kruise.io/sidecarset-hash']!))).toEqual(['proxy']);
  });
});

describe('container names that clash across containers and initContainers', () => {
  it("a sidecar container named like the pod's initContainer: denied, naming the SidecarSet and both containers", async () => {
    expect((await apply(proxySet())).code).toBe(0);
    const { code, stderr } = await plane.kubectl(['create', '-f', '-'], JSON.stringify(webPod('clash', { initContainers: [{ name: 'proxy', image: 'busybox' }] })));
    expect(code).not.toBe(0);
    expect(stderr).toContain('The Pod "clash" is invalid: spec.initContainers[0].name: SidecarSet "proxy" injects a container named "proxy" (its spec.containers[0]), and this pod has an initContainer of that name');
    expect(stderr).not.toContain('Duplicate value'); // the webhook's message, not the API server's refusal of a bad patch
    expect((await plane.kubectl(['get', 'pod', 'clash', '-n', 'default'])).code).not.toBe(0);
  });

  it('a native sidecar initContainer named like an app container: denied the same way', async () => {
    expect((await apply(proxySet({ containers: [], initContainers: [{ name: 'app', image: 'agent:1', restartPolicy: 'Always' }] }))).code).toBe(0);
    const { code, stderr } = await plane.kubectl(['create', '-f', '-'], JSON.stringify(webPod('clash-native')));
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/SidecarSet "proxy" injects an initContainer named "app"/);
  });
});

describe('injectionStrategy.revision pins', () => {
  it('a revisionName that no revision has is refused when the SidecarSet is applied', async () => {
    const { code, stderr } = await apply(proxySet({ injectionStrategy: { revision: { revisionName: 'proxy-doesnotexist' } } }));
    expect(code).not.toBe(0);
    expect(stderr).toContain('spec.injectionStrategy.revision.revisionName');
    expect(stderr).toContain('no ControllerRevision "proxy-doesnotexist" is recorded for SidecarSet "proxy"');
  });

  it("another SidecarSet's revision is refused, naming its owner", async () => {
    await kubectlOk(['create', 'namespace', 'sidecarset-system'], undefined).catch(() => '');
    const foreign = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name: 'other-abc', namespace: 'sidecarset-system', labels: { 'kruise.io/sidecarset-name': 'other' } },
      revision: 1,
      data: { spec: { $patch: 'replace', containers: [{ name: 'proxy', image: 'attacker/proxy:1' }] } },
    };
    await kubectlOk(['apply', '-f', '-'], JSON.stringify(foreign));
    // The webhook's revision cache is a watch: give it a moment to see the new revision.
    await expect
      .poll(async () => (await apply(proxySet({ injectionStrategy: { revision: { revisionName: 'other-abc' } } }))).stderr, { timeout: 10_000 })
      .toContain('ControllerRevision "other-abc" belongs to SidecarSet "other", not to "proxy"');
  });

  it('a pin that does not resolve when a pod is created denies it naming the SidecarSet and the version', async () => {
    // Accepted: the SidecarSet is applied with the custom version it pins (the controller records it
    // next; none runs here, so the revision never appears).
    const set = proxySet({ injectionStrategy: { revision: { customVersion: 'v2' } } }, { name: 'proxy', labels: { 'apps.kruise.io/sidecarset-custom-version': 'v2' } });
    expect((await apply(set)).code).toBe(0);
    const { code, stderr } = await plane.kubectl(['create', '-f', '-'], JSON.stringify(webPod('pinned')));
    expect(code).not.toBe(0);
    expect(stderr).toContain('pod not created: SidecarSet "proxy" spec.injectionStrategy.revision.customVersion');
    expect(stderr).toContain('customVersion "v2"');
    expect(stderr).not.toMatch(/Pod "pinned" is invalid/);
  });
});

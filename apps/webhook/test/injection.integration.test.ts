// Injection end to end: the real API server calls the real webhook (its binary, over TLS, through
// the shipped webhook configurations) and stores pods with their sidecars.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod, SidecarSet } from '@sidecarset/api';
import { registerSidecarsetWebhook, startControlPlane, startSidecarsetWebhook, untilWebhookInjects, type ControlPlane, type SidecarsetWebhook } from '@sidecarset/envtest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const SEEDS = join(import.meta.dirname, '../../../packages/api/test/fixtures/seeds');

let plane: ControlPlane;
let webhook: SidecarsetWebhook;

beforeAll(async () => {
  plane = await startControlPlane({ kwok: { nodes: 2 } });
  webhook = await startSidecarsetWebhook(plane);
  await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
});
afterAll(async () => {
  await webhook?.stop();
  await plane?.stop();
});
afterEach(async () => {
  await plane.kubectl(['delete', 'sidecarsets', '--all', '--wait=true']);
  await plane.kubectl(['delete', 'pods,deployments', '--all', '-n', 'default', '--grace-period=0', '--force', '--wait=false']);
});

async function kubectlOk(...args: string[]): Promise<string> {
  const { code, stdout, stderr } = await plane.kubectl(args);
  if (code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${stderr}`);
  return stdout;
}
const getJson = async <T>(...args: string[]): Promise<T> => JSON.parse(await kubectlOk('get', ...args, '-o', 'json')) as T;

describe('pods created through the API server carry their sidecars', () => {
  it('seed 002: sidecar1 goes before the app container, with its volume, env and annotations', async () => {
    await kubectlOk('apply', '-f', join(SEEDS, '002-test-sidecarset.yaml'));
    const stored = await getJson<SidecarSet>('sidecarset', 'test-sidecarset');
    expect(stored.metadata?.annotations?.['kruise.io/sidecarset-hash']).toBeTruthy();

    await kubectlOk('apply', '-n', 'default', '-f', join(FIXTURES, 'nginx-pod.yaml'));
    const pod = await getJson<Pod>('pod', 'test-pod', '-n', 'default');
    expect(pod.spec?.containers.map((c) => c.name)).toEqual(['sidecar1', 'app']);
    const sidecar = pod.spec!.containers[0]!;
    expect(sidecar).toMatchObject({ image: 'centos:6.7', command: ['sleep', '999d'], volumeMounts: expect.arrayContaining([{ name: 'log-volume', mountPath: '/var/log' }]) });
    expect(sidecar.env).toContainEqual({ name: 'IS_INJECTED', value: 'true' });
    expect(pod.spec?.volumes?.map((v) => v.name)).toContain('log-volume');
    expect(pod.metadata?.annotations?.['kruise.io/sidecarset-injected-list']).toBe('test-sidecarset');
    const hash = JSON.parse(pod.metadata!.annotations!['kruise.io/sidecarset-hash']!) as Record<string, { hash: string; sidecarList: string[] }>;
    expect(hash['test-sidecarset']).toMatchObject({ hash: stored.metadata!.annotations!['kruise.io/sidecarset-hash'], sidecarList: ['sidecar1'] });
  });

  it("seed 004's logtail example: TZ transferred from nginx, the pod's own nginx-log volume kept", async () => {
    await kubectlOk('apply', '-f', join(FIXTURES, 'logtail-sidecarset.yaml'));
    await kubectlOk('apply', '-n', 'default', '-f', join(FIXTURES, 'logtail-pod.yaml'));
    const pod = await getJson<Pod>('pod', 'test-pod', '-n', 'default');
    const logtail = pod.spec!.containers.find((c) => c.name === 'logtail')!;
    expect(logtail.env).toEqual(expect.arrayContaining([{ name: 'TZ', value: 'Asia/Shanghai' }, { name: 'IS_INJECTED', value: 'true' }]));
    expect(logtail.resources).toEqual({ limits: { memory: '512Mi' }, requests: { cpu: '10m', memory: '30Mi' } });
    expect(pod.spec!.volumes!.filter((v) => v.name === 'nginx-log')).toEqual([{ name: 'nginx-log', emptyDir: {} }]);
    expect(pod.spec!.containers.find((c) => c.name === 'nginx')!.image).toBe('log-service/docker-log-test:latest');
  });

  it("seed 000's filebeat example (stdlog volume, no cross-namespace ConfigMap) into the echo-server pod", async () => {
    await kubectlOk('apply', '-f', join(SEEDS, '000-filebeat-sidecarset-2.yaml'));
    await kubectlOk('apply', '-n', 'default', '-f', join(FIXTURES, 'echo-server-pod.yaml'));
    const pod = await getJson<Pod>('pod', 'echo-server', '-n', 'default');
    expect(pod.spec!.containers.map((c) => c.name)).toEqual(['filebeat', 'echo-server']);
    // No stdlog CSIDriver in this cluster: the kubelet's pod log directory instead (stdlog.integration.test.ts).
    expect(pod.spec!.volumes).toContainEqual({ name: 'stdlog', hostPath: { path: '/var/log/pods', type: 'Directory' } });
  });

  it('every pod of a Deployment is injected', async () => {
    await kubectlOk('apply', '-f', join(SEEDS, '002-test-sidecarset.yaml'));
    await untilWebhookInjects(plane.kubectl, { namespace: 'default', labels: { app: 'nginx' }, container: 'sidecar1' });
    await kubectlOk('apply', '-n', 'default', '-f', join(FIXTURES, 'nginx-deployment.yaml'));
    await expect
      .poll(async () => (await getJson<{ items: Pod[] }>('pods', '-n', 'default', '-l', 'app=nginx')).items.length, { timeout: 30_000 })
      .toBe(3);
    const pods = (await getJson<{ items: Pod[] }>('pods', '-n', 'default', '-l', 'app=nginx')).items;
    for (const pod of pods) expect(pod.spec?.containers.map((c) => c.name)).toEqual(['sidecar1', 'app']);
    const deployment = await getJson<{ spec: { template: { spec: Pod['spec'] } } }>('deployment', 'web', '-n', 'default');
    expect(deployment.spec.template.spec!.containers.map((c) => c.name)).toEqual(['app']); // the template is untouched
  });
});

describe('SidecarSets are checked before they are stored', () => {
  it('kubectl apply of an invalid SidecarSet fails with field messages and stores nothing', async () => {
    const invalid = readFileSync(join(SEEDS, '002-test-sidecarset.yaml'), 'utf8').replace('    image: centos:6.7\n', '').replace('name: test-sidecarset', 'name: no-image');
    const { code, stderr } = await plane.kubectl(['apply', '-f', '-'], invalid);
    expect(code).not.toBe(0);
    expect(stderr).toContain('The SidecarSet "no-image" is invalid');
    expect(stderr).toContain('spec.containers[0].image');
    expect((await plane.kubectl(['get', 'sidecarset', 'no-image'])).code).not.toBe(0);
  });

  it('an OpenKruise 1.9 resourcesPolicy passes our CRD under its own field names and sizes the sidecar from the pod it is injected into', async () => {
    const policy = { targetContainersMode: 'sum', resourcesExpr: { limits: { cpu: 'max(cpu*50%, 50m)', memory: 'memory / 4' }, requests: { cpu: 'cpu*10%' } } };
    const sidecarSet = { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'SidecarSet', metadata: { name: 'sized' }, spec: { selector: { matchLabels: { app: 'nginx' } }, containers: [{ name: 'proxy', image: 'proxy:1', resourcesPolicy: policy }] } };
    const applied = await plane.kubectl(['apply', '-f', '-'], JSON.stringify(sidecarSet));
    expect(applied.code, applied.stderr).toBe(0);
    const stored = await getJson<SidecarSet>('sidecarset', 'sized');
    expect(stored.spec.containers![0]!.resourcesPolicy).toEqual({ ...policy, targetContainersNameRegex: '.*' }); // the CRD's default
    const app = (name: string, cpu: string, memory: string) => ({ name, image: 'nginx:1.25', resources: { limits: { cpu, memory } } });
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'sized-pod', namespace: 'default', labels: { app: 'nginx' } }, spec: { containers: [app('web', '1', '1Gi'), app('worker', '500m', '512Mi')] } };
    const created = await plane.kubectl(['apply', '-n', 'default', '-f', '-'], JSON.stringify(pod));
    expect(created.code, created.stderr).toBe(0);
    const injected = await getJson<Pod>('pod', 'sized-pod', '-n', 'default');
    const proxy = injected.spec!.containers.find((c) => c.name === 'proxy')!;
    // limits from the sum of web and worker (1500m, 1536Mi); requests: cpu computed, memory defaulted from the limit by the API server
    expect(proxy.resources).toEqual({ limits: { cpu: '750m', memory: '384Mi' }, requests: { cpu: '150m', memory: '384Mi' } });

    // The old spelling is not OpenKruise's: the API server's strict decoding refuses it, as with OpenKruise's CRD.
    const misspelt = { ...sidecarSet, spec: { ...sidecarSet.spec, containers: [{ name: 'proxy', image: 'proxy:1', resourcesPolicy: { targetContainerMode: 'sum', resourceExpr: {} } }] } };
    const old = await plane.kubectl(['apply', '-f', '-'], JSON.stringify(misspelt));
    expect(old.code).not.toBe(0);
    expect(old.stderr).toMatch(/unknown field "spec.containers\[0\].resourcesPolicy.(targetContainerMode|resourceExpr)"/);
  });

  it('a resourcesPolicy expression OpenKruise refuses is refused when the SidecarSet is applied', async () => {
    const sidecarSet = {
      apiVersion: 'apps.kruise.io/v1alpha1',
      kind: 'SidecarSet',
      metadata: { name: 'badly-sized' },
      spec: { selector: { matchLabels: { app: 'nginx' } }, containers: [{ name: 'proxy', image: 'proxy:1', resourcesPolicy: { targetContainersMode: 'max', resourcesExpr: { limits: { memory: 'cpu * 2' } } } }] },
    };
    const { code, stderr } = await plane.kubectl(['apply', '-f', '-'], JSON.stringify(sidecarSet));
    expect(code).not.toBe(0);
    expect(stderr).toContain('spec.containers[0].resourcesPolicy.resourcesExpr.limits.memory');
    expect(stderr).toContain('undefined variable: cpu');
  });

  it('a second SidecarSet injecting the same container name into the same pods is rejected', async () => {
    await kubectlOk('apply', '-f', join(SEEDS, '002-test-sidecarset.yaml'));
    const clash = readFileSync(join(SEEDS, '002-test-sidecarset.yaml'), 'utf8').replace('name: test-sidecarset', 'name: clashing-sidecarset');
    const { code, stderr } = await plane.kubectl(['apply', '-f', '-'], clash);
    expect(code).not.toBe(0);
    expect(stderr).toContain('spec.containers[0].name');
    expect(stderr).toContain('test-sidecarset');
  });
});

describe('with the webhook down (failurePolicy Fail)', () => {
  it('pod creation is refused with a clear message and nothing is created', async () => {
    await webhook.stop();
    const { code, stderr } = await plane.kubectl(['apply', '-n', 'default', '-f', join(FIXTURES, 'nginx-pod.yaml')]);
    expect(code).not.toBe(0);
    expect(stderr).toContain('failed calling webhook "mutate-pods.sidecarset.dev"');
    const lookup = await plane.kubectl(['get', 'pod', 'test-pod', '-n', 'default']);
    expect(lookup.stderr).toContain('NotFound');
  });
});

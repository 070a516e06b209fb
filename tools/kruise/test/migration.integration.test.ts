// Moving a live cluster from OpenKruise v1.9.0 to Sidecarset and back (issue 13), on one kwok control
// plane, by the README's steps ("Migrating from OpenKruise"):
//   under OpenKruise: three SidecarSets, written in both versions (`logging` as v1alpha1 with a
//   `namespace`, which OpenKruise stores as a namespaceSelector; `mesh` as v1beta1 with a
//   customVersion; `pinned` as v1beta1, pinned by injectionStrategy.revision.customVersion to the
//   revision of its first spec, its rollout paused), MIGRATION_PODS pods (default 200) injected by it,
//   and `logging`'s image change rolled out as far as a partition of half the pods lets it;
//   the move: OpenKruise's webhook configurations and manager gone, our webhook (revisions read from
//   kruise-system, where OpenKruise keeps them: --revision-namespace) and our CRD (v1beta1 stored, so
//   it replaces OpenKruise's on a live cluster) with its conversion pointed at our /convert, then our
//   controller (--namespace kruise-system);
// asserted: our controller, once it has reconciled every SidecarSet, has written to no pod (each pod
// keeps its resourceVersion) and reports the status counts OpenKruise reported; a new pod gets the
// sidecars OpenKruise gave the same pod (a dry run before the move); a new `pinned` pod still gets the
// pinned revision's image; then `logging`'s partition to 0 and another image change both complete.
// The way back: our webhook configurations and processes gone, OpenKruise's CRD put back over ours
// (keeping every SidecarSet) and OpenKruise started: it rewrites no pod, reports the same counts, and
// injects new pods as we did.
import type { Pod, SidecarSet } from '@sidecarset/api';
import { CRD_DIR, installCrds, MANIFESTS_DIR, registerSidecarsetWebhook, startControlPlane, startSidecarsetController, startSidecarsetWebhook, type ControlPlane } from '@sidecarset/envtest';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { KRUISE_NAMESPACE, startOpenKruise, type OpenKruise } from '../src/index.js';

const PODS = Number(process.env.MIGRATION_PODS ?? 200);
const PINNED_PODS = 5;
const NAMESPACE = 'moved';
const INJECTED_LIST = 'kruise.io/sidecarset-injected-list';
const HASH = 'kruise.io/sidecarset-hash';
const SIDECARSETS = 'sidecarsets.v1beta1.apps.kruise.io';
/**
 * Its PodUnavailableBudget controller off: it waits for CloneSet and StatefulSet CRDs this plane does
 * not have, and on a loaded machine its cache-sync timeout stopped the whole manager mid-test.
 */
const KRUISE_ARGS = ['--feature-gates=PodUnavailableBudgetDeleteGate=false,PodUnavailableBudgetUpdateGate=false'];
const NO_CONVERSION = JSON.stringify([{ op: 'replace', path: '/spec/conversion', value: { strategy: 'None' } }]);

const logging = (image: string, partition: number): SidecarSet =>
  ({
    apiVersion: 'apps.kruise.io/v1alpha1',
    kind: 'SidecarSet',
    metadata: { name: 'logging' },
    spec: {
      selector: { matchLabels: { app: 'moved' } },
      namespace: NAMESPACE,
      updateStrategy: { type: 'RollingUpdate', partition, maxUnavailable: '50%' },
      containers: [{ name: 'log-agent', image, env: [{ name: 'LEVEL', value: 'info' }], volumeMounts: [{ name: 'logs', mountPath: '/var/log/app' }] }],
      volumes: [{ name: 'logs', emptyDir: {} }],
    },
  }) as SidecarSet;
const MESH = {
  apiVersion: 'apps.kruise.io/v1beta1',
  kind: 'SidecarSet',
  metadata: { name: 'mesh' },
  spec: {
    selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['moved'] }] },
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': NAMESPACE } },
    customVersion: 'mesh-1',
    containers: [{ name: 'proxy', image: 'registry.example/proxy:1.0', podInjectPolicy: 'AfterAppContainer', ports: [{ containerPort: 15001, name: 'proxy' }] }],
  },
};
const pinned = (image: string, version: string, pin: boolean) => ({
  apiVersion: 'apps.kruise.io/v1beta1',
  kind: 'SidecarSet',
  metadata: { name: 'pinned' },
  spec: {
    selector: { matchLabels: { app: 'pinned' } },
    customVersion: version,
    updateStrategy: { paused: true },
    ...(pin ? { injectionStrategy: { revision: { customVersion: 'pin-1', policy: 'Always' } } } : {}),
    containers: [{ name: 'pinned-agent', image }],
  },
});

let plane: ControlPlane;
let kruise: OpenKruise | undefined;
let logs = (): string => '';

async function kubectl(args: string[], input?: string): Promise<string> {
  const result = await plane.kubectl(args, input);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr.trim()}\n--- last logs:\n${logs()}`);
  return result.stdout;
}
const getJson = async <T>(...args: string[]): Promise<T> => JSON.parse(await kubectl(['get', ...args, '-o', 'json'])) as T;
const sidecarSet = (name: string) => getJson<SidecarSet>(SIDECARSETS, name);
const podsOf = async (app: string) => (await getJson<{ items: Pod[] }>('pods', '-n', NAMESPACE, '-l', `app=${app}`)).items;
const apply = (...objects: unknown[]) => kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));

async function eventually<T>(what: string, timeoutMs: number, read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(value).slice(0, 600)}\n--- last logs:\n${logs()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const ready = (pod: Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const counts = (s: SidecarSet) => ({ matchedPods: s.status?.matchedPods, updatedPods: s.status?.updatedPods, readyPods: s.status?.readyPods, updatedReadyPods: s.status?.updatedReadyPods });
const versions = (list: Pod[]) => Object.fromEntries(list.map((p) => [p.metadata!.name!, p.metadata!.resourceVersion]));
const images = (pod: Pod) => Object.fromEntries((pod.spec?.containers ?? []).map((c) => [c.name, c.image]));
const podManifest = (name: string, app: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: NAMESPACE, labels: { app }, annotations: { 'sidecarset.dev/kwok-restart-delay': '1s' } },
  spec: { nodeName: `kwok-node-${name.length % 2}`, containers: [{ name: 'app', image: 'registry.example/app:1.0' }] },
});
/** A pod as the pod webhook in place would create it (dry run): containers, env, volumes, annotations other than timestamps. */
async function dryRunPod(app: string): Promise<unknown> {
  const pod = JSON.parse(await kubectl(['create', '--dry-run=server', '-o', 'json', '-f', '-'], JSON.stringify(podManifest('probe', app)))) as Pod;
  const hashes = JSON.parse(pod.metadata?.annotations?.[HASH] ?? '{}') as Record<string, { updateTimestamp?: string }>;
  for (const entry of Object.values(hashes)) delete entry.updateTimestamp;
  // Without the ServiceAccount token volume, whose name is random for every pod.
  const notToken = (v: { name: string }) => !v.name.startsWith('kube-api-access-');
  const containers = pod.spec?.containers.map((c) => ({ ...c, volumeMounts: c.volumeMounts?.filter(notToken) }));
  return { containers, volumes: pod.spec?.volumes?.filter(notToken), injected: pod.metadata?.annotations?.[INJECTED_LIST], hashes };
}
async function createPods(prefix: string, app: string, count: number): Promise<void> {
  const items = Array.from({ length: count }, (_, i) => podManifest(`${prefix}-${i}`, app));
  for (let i = 0; i < items.length; i += 50) await kubectl(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: items.slice(i, i + 50) }));
}

/** Sum of a Prometheus counter over the series whose labels include every one given. */
function metricSum(text: string, name: string, labels: string[]): number {
  return text
    .split('\n')
    .filter((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && labels.every((label) => l.includes(label)))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}
/** Writes to pod objects (PATCH and PUT, not the status kwok writes) the API server served, from every client. */
const podObjectWrites = (text: string) =>
  ['PATCH', 'PUT'].reduce((sum, verb) => sum + metricSum(text, 'apiserver_request_total', ['resource="pods"', 'subresource=""', `verb="${verb}"`, 'dry_run=""']), 0);
const apiServerMetrics = async () => kubectl(['get', '--raw', '/metrics']);
/** Our controller's /metrics, on the port its first log lines name. */
function metricsReader(logText: string): () => Promise<string> {
  const port = /"port":(\d+)/.exec(logText.split('\n').find((l) => l.includes('health server listening')) ?? '')?.[1];
  if (!port) throw new Error('the controller did not log its health port');
  return async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
}

/** The Roles of our two manifests, also in kruise-system: they follow --revision-namespace and --namespace there (README). */
function rolesInKruiseSystem(): unknown[] {
  return ['webhook.yaml', 'controller.yaml'].flatMap((file) =>
    parseAllDocuments(readFileSync(join(MANIFESTS_DIR, file), 'utf8'))
      .map((d) => d.toJS() as { kind?: string; metadata: { namespace?: string } } | null)
      .filter((o): o is { kind: string; metadata: { namespace?: string } } => o?.kind === 'Role' || o?.kind === 'RoleBinding')
      .map((o) => ({ ...o, metadata: { ...o.metadata, namespace: KRUISE_NAMESPACE } })),
  );
}

beforeAll(async () => {
  plane = await startControlPlane({ installCrds: false, scheduler: false, kwok: { nodes: 2 } });
  kruise = await startOpenKruise(plane, { extraArgs: KRUISE_ARGS });
  logs = () => kruise?.logs(20) ?? '';
}, 300_000);
afterAll(() => plane?.stop());

describe('moving a cluster from OpenKruise v1.9.0 to Sidecarset and back', () => {
  const theirs: Record<string, SidecarSet> = {};
  let podsBefore: Pod[] = [];
  let dryRunBefore: unknown;
  let pinnedDryRunBefore: unknown;

  it(`under OpenKruise: SidecarSets in both versions, ${PODS} pods injected, a rollout stopped by its partition, a pinned revision`, async () => {
    await kubectl(['create', 'namespace', NAMESPACE]);
    await eventually('the default ServiceAccount', 60_000, () => plane.kubectl(['get', 'serviceaccount', 'default', '-n', NAMESPACE]), (r) => r.code === 0);
    await apply(logging('registry.example/log-agent:1.0', PODS / 2), MESH, pinned('registry.example/pinned-agent:1.0', 'pin-1', false));
    // (Its SidecarSet controller starts only after minutes of discovery retries for kinds not installed.)
    await eventually("OpenKruise's revision of pinned's first spec", 400_000, () => getJson<{ items: unknown[] }>('controllerrevisions', '-n', KRUISE_NAMESPACE, '-l', 'apps.kruise.io/sidecarset-custom-version=pin-1'), (l) => l.items.length === 1);
    await apply(pinned('registry.example/pinned-agent:2.0', 'pin-2', true));
    await eventually("OpenKruise's webhook to cache the SidecarSets", 60_000, () => dryRunPod('moved'), (pod) => (pod as { injected?: string }).injected === 'logging,mesh');
    await createPods('web', 'moved', PODS);
    await createPods('pinned', 'pinned', PINNED_PODS);
    await eventually('pods injected and ready', 300_000, () => podsOf('moved'), (list) => list.length === PODS && list.every((p) => ready(p) && p.metadata?.annotations?.[INJECTED_LIST] === 'logging,mesh'));
    expect((await podsOf('pinned')).map((p) => images(p)['pinned-agent'])).toEqual(Array(PINNED_PODS).fill('registry.example/pinned-agent:1.0'));

    await apply(logging('registry.example/log-agent:2.0', PODS / 2));
    theirs.logging = await eventually("OpenKruise's rollout of logging to stop at its partition", 300_000, () => sidecarSet('logging'), (s) =>
      s.status?.observedGeneration === s.metadata?.generation && s.status?.updatedPods === PODS / 2 && s.status?.updatedReadyPods === PODS / 2 && s.status?.readyPods === PODS);
    theirs.mesh = await eventually("OpenKruise's status of mesh", 60_000, () => sidecarSet('mesh'), (s) => s.status?.readyPods === PODS && s.status?.updatedPods === PODS);
    theirs.pinned = await eventually("OpenKruise's status of pinned", 60_000, () => sidecarSet('pinned'), (s) => s.status?.observedGeneration === s.metadata?.generation && s.status?.matchedPods === PINNED_PODS);
    await new Promise((r) => setTimeout(r, 3000)); // and it stays there
    podsBefore = [...(await podsOf('moved')), ...(await podsOf('pinned'))];
    expect(podsBefore.filter((p) => images(p)['log-agent'] === 'registry.example/log-agent:2.0')).toHaveLength(PODS / 2);
    // What a new pod gets from OpenKruise, to compare with what it gets from us.
    dryRunBefore = await dryRunPod('moved');
    pinnedDryRunBefore = await dryRunPod('pinned');
    expect((pinnedDryRunBefore as { containers: { name: string; image: string }[] }).containers.find((c) => c.name === 'pinned-agent')?.image).toBe('registry.example/pinned-agent:1.0');
  }, 900_000);

  it('after the move our controller writes to no pod, reports the same counts, and new pods get the same sidecars, pinned revision included', async () => {
    // 1. OpenKruise's SidecarSet webhooks and controller stop (its webhook configurations go first).
    await kruise!.stop();
    kruise = undefined;
    const podWritesAtMove = podObjectWrites(await apiServerMetrics());
    // 2. Our Roles where OpenKruise keeps revisions, and our webhook reading revisions there.
    await apply(...rolesInKruiseSystem());
    // Our SidecarSetResourceBinding CRD, which OpenKruise does not have: our webhook and controller watch bindings.
    const bindings = join(plane.dir, 'our-binding-crd');
    mkdirSync(bindings, { recursive: true });
    copyFileSync(join(CRD_DIR, 'sidecarset.alibabacloud.com_sidecarsetresourcebindings.yaml'), join(bindings, 'sidecarset.alibabacloud.com_sidecarsetresourcebindings.yaml'));
    await installCrds(plane.kubectl, bindings);
    const webhook = await startSidecarsetWebhook(plane, { extraArgs: [`--revision-namespace=${KRUISE_NAMESPACE}`] });
    logs = () => webhook.logs().split('\n').slice(-20).join('\n');
    // 3. Our CRDs: the SidecarSet one replaces OpenKruise's (both store v1beta1), then our webhook
    // configurations and the conversion pointed at our /convert.
    // (The conversion OpenKruise's manager pointed at itself by URL goes first: a URL next to the
    // Service our CRD names is invalid. In a cluster it names a Service too, and only its caBundle changes.)
    await kubectl(['patch', 'crd', 'sidecarsets.apps.kruise.io', '--type=json', '-p', NO_CONVERSION]);
    const crds = join(plane.dir, 'our-crds');
    mkdirSync(crds, { recursive: true });
    copyFileSync(join(CRD_DIR, 'apps.kruise.io_sidecarsets.yaml'), join(crds, 'apps.kruise.io_sidecarsets.yaml'));
    await kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=sidecarset-envtest', '-f', crds]);
    await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
    // 4. Our controller, its revisions where OpenKruise's are.
    const controller = await startSidecarsetController(plane, { extraArgs: [`--namespace=${KRUISE_NAMESPACE}`] });
    logs = () => controller.logs().split('\n').slice(-20).join('\n');

    // Both versions are served by our CRD, and v1alpha1 shows logging's namespace as OpenKruise stored it.
    const alpha = await getJson<SidecarSet>('sidecarsets.v1alpha1.apps.kruise.io', 'logging');
    expect(alpha.spec.namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': NAMESPACE } });
    expect((await sidecarSet('mesh')).spec).toMatchObject({ customVersion: 'mesh-1' });

    // Reconciled: our controller's own count of successful reconciles covers every SidecarSet, several times.
    const metrics = metricsReader(controller.logs());
    await eventually('our controller to reconcile every SidecarSet (3 SidecarSets)', 120_000, metrics, (text) => metricSum(text, 'controller_runtime_reconcile_total', []) >= 3);
    await new Promise((r) => setTimeout(r, 5000)); // more resyncs while logging's rollout is incomplete
    const podsAfter = [...(await podsOf('moved')), ...(await podsOf('pinned'))];
    expect(versions(podsAfter), 'pods written after the move').toEqual(versions(podsBefore));
    // The counter also holds the controller's SidecarSet status and ControllerRevision writes: only the pod kinds count here.
    const ours = await metrics();
    const podWrites = ['pod-upgrade', 'pod-resize', 'pod-condition'].reduce((sum, kind) => sum + metricSum(ours, 'sidecarset_pod_writes_total', [`kind="${kind}"`]), 0);
    expect(podWrites, 'pod writes our controller counted').toBe(0);
    expect(podObjectWrites(await apiServerMetrics()), 'PATCH/PUT of pod objects the API server served since OpenKruise stopped').toBe(podWritesAtMove);
    for (const name of ['logging', 'mesh', 'pinned']) expect(counts(await sidecarSet(name)), name).toEqual(counts(theirs[name]!));

    expect(await dryRunPod('moved')).toEqual(dryRunBefore);
    expect(await dryRunPod('pinned')).toEqual(pinnedDryRunBefore);
  }, 600_000);

  it('under Sidecarset, the rollout finishes (partition 0) and an image change completes', async () => {
    await apply(logging('registry.example/log-agent:2.0', 0));
    await eventually('logging at partition 0 everywhere', 600_000, () => sidecarSet('logging'), (s) => s.status?.observedGeneration === s.metadata?.generation && s.status?.updatedReadyPods === PODS);
    await apply(logging('registry.example/log-agent:3.0', 0));
    await eventually('logging 3.0 everywhere', 600_000, () => sidecarSet('logging'), (s) => s.status?.observedGeneration === s.metadata?.generation && s.status?.updatedReadyPods === PODS);
    const list = await podsOf('moved');
    expect(list.filter((p) => images(p)['log-agent'] === 'registry.example/log-agent:3.0' && ready(p))).toHaveLength(PODS);
    expect(list.every((p) => images(p).proxy === 'registry.example/proxy:1.0')).toBe(true);
  }, 1_300_000);

  it('and back to OpenKruise: no pod rewritten, the same counts, new pods injected as we inject them', async () => {
    const ours = { logging: await sidecarSet('logging'), mesh: await sidecarSet('mesh'), pinned: await sidecarSet('pinned') };
    const oursDryRun = await dryRunPod('moved');
    const before = [...(await podsOf('moved')), ...(await podsOf('pinned'))];
    // Our webhook configurations and processes gone; OpenKruise's CRD and manager back, SidecarSets kept.
    await kubectl(['delete', 'mutatingwebhookconfiguration/sidecarset-mutating', 'validatingwebhookconfiguration/sidecarset-validating', '--ignore-not-found']);
    for (const process of plane.processes.filter((p) => /^sidecarset-(webhook|controller)/.test(p.name))) await process.stop();
    await kubectl(['patch', 'crd', 'sidecarsets.apps.kruise.io', '--type=json', '-p', NO_CONVERSION]);
    kruise = await startOpenKruise(plane, { keepSidecarSets: true, extraArgs: KRUISE_ARGS });
    logs = () => kruise?.logs(20) ?? '';
    await eventually("OpenKruise's status of every SidecarSet", 120_000, () => Promise.all(['logging', 'mesh', 'pinned'].map(sidecarSet)), (list) => list.every((s) => s.status?.observedGeneration === s.metadata?.generation));
    await new Promise((r) => setTimeout(r, 8000));
    const after = [...(await podsOf('moved')), ...(await podsOf('pinned'))];
    expect(versions(after), 'pods written by OpenKruise after the move back').toEqual(versions(before));
    for (const name of ['logging', 'mesh', 'pinned'] as const) expect(counts(await sidecarSet(name)), name).toEqual(counts(ours[name]));
    expect(await dryRunPod('moved')).toEqual(oursDryRun);
    expect(await dryRunPod('pinned')).toEqual(pinnedDryRunBefore);
  }, 600_000);
});

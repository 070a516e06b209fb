// Conversion between apps.kruise.io/v1alpha1 and v1beta1, differentially: the same SidecarSets
// (conversion/conversionCases.ts) created, each in the version it is written in, through the API
// server of a control plane running the real OpenKruise v1.9.0 (its CRD, webhooks and conversion
// webhook) and through that of a control plane running our webhook on our CRD (its /convert) and our
// controller; once each side's controller has written the status of every SidecarSet, each is read
// back through both versions on both planes, and the reads must be equal, latestRevision included;
// so must the ControllerRevisions both controllers wrote (name, labels, annotations, data bytes).
import { registerSidecarsetWebhook, SIDECARSET_NAMESPACE, startControlPlane, startSidecarsetController, startSidecarsetWebhook, type ControlPlane } from '@sidecarset/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenKruise } from '../src/index.js';
import { CONVERSION_CASES } from './conversion/conversionCases.js';

let theirs: ControlPlane;
let ours: ControlPlane;
const VERSIONS = ['v1alpha1', 'v1beta1'] as const;

async function kubectl(plane: ControlPlane, args: string[], input?: string): Promise<string> {
  const result = await plane.kubectl(args, input);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr.trim()}`);
  return result.stdout;
}

type Json = Record<string, unknown> & { metadata: Record<string, unknown>; status?: Record<string, unknown> };

/** What the two planes cannot share: identity, times, versions, field managers. */
function comparable(object: Json): Json {
  const { uid: _u, resourceVersion: _r, creationTimestamp: _c, managedFields: _m, ...metadata } = object.metadata;
  return { ...object, metadata };
}

const read = async (plane: ControlPlane, version: string, name: string): Promise<Json> =>
  comparable(JSON.parse(await kubectl(plane, ['get', `sidecarsets.${version}.apps.kruise.io`, name, '-o', 'json'])) as Json);

beforeAll(async () => {
  [theirs, ours] = await Promise.all([startControlPlane({ installCrds: false, scheduler: false }), startControlPlane({ scheduler: false })]);
  await startOpenKruise(theirs);
  const webhook = await startSidecarsetWebhook(ours);
  await registerSidecarsetWebhook(ours, webhook.url, webhook.caBundle);
  await startSidecarsetController(ours);
  for (const plane of [theirs, ours]) await kubectl(plane, ['create', 'namespace', 'shop']);
}, 300_000);
afterAll(async () => {
  await Promise.all([theirs?.stop(), ours?.stop()]);
});

describe('SidecarSets read through both versions: OpenKruise v1.9.0 and Sidecarset agree', () => {
  it('creates every case on both planes, in the version it is written in', async () => {
    for (const { name, manifest } of CONVERSION_CASES) {
      const [a, b] = await Promise.all([theirs, ours].map((plane) => plane.kubectl(['create', '-f', '-'], JSON.stringify(manifest))));
      expect({ name, theirs: a!.code === 0 ? 'created' : a!.stderr.trim(), ours: b!.code === 0 ? 'created' : b!.stderr.trim() }).toEqual({ name, theirs: 'created', ours: 'created' });
    }
    for (const plane of [theirs, ours]) {
      await eventually('every status written by its controller', 90_000, async () => {
        const list = JSON.parse(await kubectl(plane, ['get', 'sidecarsets.v1beta1.apps.kruise.io', '-o', 'json'])) as { items: Json[] };
        return list.items.length === CONVERSION_CASES.length && list.items.every((s) => s.status?.observedGeneration === s.metadata.generation);
      });
    }
  }, 180_000);

  it.each(CONVERSION_CASES.flatMap((c) => VERSIONS.map((version) => [c.name, version] as const)))('%s read as %s is the same object', async (name, version) => {
    const [a, b] = await Promise.all([read(theirs, version, name), read(ours, version, name)]);
    expect(b).toEqual(a);
  }, 60_000);

  it('both controllers wrote the same ControllerRevisions: names, labels, annotations and data', async () => {
    const [a, b] = await Promise.all([revisions(theirs, 'kruise-system'), revisions(ours, SIDECARSET_NAMESPACE)]);
    expect(a.size).toBe(CONVERSION_CASES.length);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [name, revision] of a) expect({ name, ...b.get(name) }).toEqual({ name, ...revision });
  }, 60_000);

  it('a v1alpha1 namespace is read back as a namespaceSelector through both versions (the lossy case), on both planes', async () => {
    for (const plane of [theirs, ours]) {
      const alpha = await read(plane, 'v1alpha1', 'alpha-namespace');
      expect(alpha.spec).not.toHaveProperty('namespace');
      expect((alpha.spec as Json).namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'shop' } });
      const beta = await read(plane, 'v1beta1', 'alpha-custom-version');
      expect((beta.spec as Json).customVersion).toBe('v3');
      expect(beta.metadata.labels).toEqual({ team: 'a' });
    }
  });
});

type Revision = { metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }; data: unknown; revision: number };

/** Each plane's ControllerRevisions by name: what a controller moving in must find as its own. */
async function revisions(plane: ControlPlane, namespace: string): Promise<Map<string, Omit<Revision, 'metadata'> & { labels?: Record<string, string>; annotations?: Record<string, string> }>> {
  const list = JSON.parse(await kubectl(plane, ['get', 'controllerrevisions', '-n', namespace, '-o', 'json'])) as { items: Revision[] };
  return new Map(list.items.map((r) => [r.metadata.name, { labels: r.metadata.labels, annotations: r.metadata.annotations, data: r.data, revision: r.revision }]));
}

async function eventually(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

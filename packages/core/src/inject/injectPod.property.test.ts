// Properties of injectPod over generated pods and SidecarSets.
import type { Container, Pod, SidecarContainer, SidecarSet } from '@sidecarset/api';
import fc from 'fast-check';
import jsonpatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { injectPod, type InjectionContext } from './injectPod.js';

const ctx: InjectionContext = { namespace: 'default', namespaceLabels: { team: 'a' }, revisions: [], now: '2024-01-02T03:04:05Z' };

const containerName = fc.constantFrom('app', 'web', 'side-a', 'side-b', 'log');
const volumeName = fc.constantFrom('data', 'logs', 'cfg');
const env = fc.array(fc.record({ name: fc.constantFrom('TZ', 'LANG', 'POD_NAME', 'IS_INJECTED'), value: fc.constantFrom('true', 'x', 'Asia/Shanghai') }), { maxLength: 3 });
const mounts = fc.array(
  fc.record({ name: volumeName, mountPath: fc.constantFrom('/data', '/var/log', '/cfg', '/x'), subPathExpr: fc.option(fc.constantFrom('a/$(POD_NAME)', '$(TZ)'), { nil: undefined }) }),
  { maxLength: 3 },
);
const devices = fc.array(fc.record({ name: volumeName, devicePath: fc.constantFrom('/dev/a', '/dev/b') }), { maxLength: 2 });
const volumes = fc.uniqueArray(fc.record({ name: volumeName, emptyDir: fc.constantFrom({}, { medium: 'Memory' }) }), { selector: (v) => v.name, maxLength: 3 });
const secrets = fc.array(fc.record({ name: fc.constantFrom('reg-a', 'reg-b') }), { maxLength: 2 });
const labels = fc.dictionary(fc.constantFrom('app', 'tier', 'canary'), fc.constantFrom('web', 'db', 'true'), { maxKeys: 3 });

const strip = <T extends object>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const container: fc.Arbitrary<Container> = fc.record(
  { name: containerName, image: fc.constantFrom('nginx', 'redis'), env, volumeMounts: mounts, volumeDevices: devices },
  { requiredKeys: ['name', 'image'] },
);
const sidecar: fc.Arbitrary<SidecarContainer> = fc.record(
  {
    name: containerName,
    image: fc.constantFrom('side:1', 'side:2'),
    env,
    volumeMounts: mounts,
    podInjectPolicy: fc.constantFrom('BeforeAppContainer' as const, 'AfterAppContainer' as const),
    restartPolicy: fc.constant('Always'),
    shareVolumePolicy: fc.record({ type: fc.constantFrom('enabled' as const, 'disabled' as const) }),
    shareVolumeDevicePolicy: fc.record({ type: fc.constantFrom('enabled' as const, 'disabled' as const) }),
    transferEnv: fc.array(
      fc.record(
        { sourceContainerName: containerName, envName: fc.constantFrom('TZ', 'LANG'), envNames: fc.array(fc.constantFrom('TZ', 'POD_NAME'), { maxLength: 2 }) },
        { requiredKeys: [] },
      ),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: ['name', 'image'] },
);

// Sidecar initContainers are mostly named init-*, like the pod's own; one in eight takes a name that
// may clash with a pod container in the other list.
const initSidecar = fc
  .tuple(sidecar, fc.integer({ min: 0, max: 7 }))
  .map(([c, roll]) => (roll > 0 ? { ...c, name: `init-${c.name}` } : c));

const sidecarSet: fc.Arbitrary<SidecarSet> = fc
  .record({
    name: fc.constantFrom('alpha', 'beta', 'gamma'),
    selector: fc.constantFrom<Record<string, string>>({ app: 'web' }, { app: 'web' }, { app: 'web', tier: 'db' }, { canary: 'true' }),
    namespaceSelector: fc.option(fc.constantFrom({ matchLabels: { team: 'a' } }, { matchLabels: { team: 'b' } }), { nil: undefined }),
    containers: fc.uniqueArray(sidecar, { selector: (c) => c.name, minLength: 1, maxLength: 2 }),
    initContainers: fc.uniqueArray(initSidecar, { selector: (c) => c.name, maxLength: 2 }),
    volumes,
    imagePullSecrets: secrets,
    patchPodMetadata: fc.array(
      fc.record({
        annotations: fc.dictionary(fc.constantFrom('example.com/a', 'example.com/b'), fc.constantFrom('{"x":1,"a":{"b":2}}', '{"a":null}', '{}')),
        patchPolicy: fc.constantFrom('Retain' as const, 'Overwrite' as const, 'MergePatchJson' as const),
      }),
      { maxLength: 2 },
    ),
    paused: fc.constantFrom(false, false, false, true),
  })
  // A valid SidecarSet names each sidecar once across both lists; SidecarSets may still clash with each other.
  .filter(({ containers, initContainers }) => !containers.some((c) => initContainers.some((i) => i.name === c.name)))
  .map(({ name, selector, namespaceSelector, paused, ...spec }) =>
    strip<SidecarSet>({
      metadata: { name },
      spec: { selector: { matchLabels: selector }, namespaceSelector, injectionStrategy: { paused }, ...spec },
    }),
  );

const pod: fc.Arbitrary<Pod> = fc
  .record({
    labels,
    annotations: fc.dictionary(fc.constantFrom('example.com/a', 'other'), fc.constantFrom('{"a":{"c":3}}', '{"z":[1]}')),
    containers: fc.uniqueArray(container, { selector: (c) => c.name, minLength: 1, maxLength: 3 }),
    initContainers: fc.uniqueArray(container, { selector: (c) => `init-${c.name}`, maxLength: 1 }),
    volumes,
    imagePullSecrets: secrets,
  })
  .map(({ labels: extra, annotations, initContainers, ...spec }) =>
    strip<Pod>({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default', labels: { ...extra, app: 'web' }, annotations },
      spec: { ...spec, initContainers: initContainers.map((c) => ({ ...c, name: `init-${c.name}` })) },
    }),
  );

/** Valid SidecarSets that select the same pods do not share container names: rename a later set's clashing ones. */
function withoutCrossSetClashes(sets: SidecarSet[]): SidecarSet[] {
  const taken = new Set<string>();
  return sets.map((set) => {
    const rename = (c: SidecarContainer): SidecarContainer => (taken.has(c.name) ? { ...c, name: `${set.metadata!.name}-${c.name}` } : c);
    const spec = { ...set.spec, containers: (set.spec.containers ?? []).map(rename), initContainers: (set.spec.initContainers ?? []).map(rename) };
    for (const c of [...spec.containers, ...spec.initContainers]) taken.add(c.name);
    return { ...set, spec };
  });
}

// One case in four keeps clashes between SidecarSets, to exercise the clash checks.
const sidecarSets = fc
  .tuple(fc.uniqueArray(sidecarSet, { selector: (s) => s.metadata!.name!, minLength: 1, maxLength: 3 }), fc.constantFrom(false, false, false, true))
  .map(([sets, keepClashes]) => (keepClashes ? sets : withoutCrossSetClashes(sets)));

/**
 * The SidecarSets without what, as OpenKruise defines it, reads the pod as it first comes and so
 * differs on a second pass: while a sidecar replaces a same-name pod container, sidecars share that
 * container's mounts; transferEnv from a container that is itself a sidecar; IS_INJECTED set to another value
 * (the container then looks like an app container); MergePatchJson, which writes a value the pod
 * lacks as given and re-encodes it (keys sorted) when it merges.
 */
function withoutFirstPassOnlyFeatures(p: Pod, sets: SidecarSet[]): SidecarSet[] {
  const all = (s: SidecarSet) => [...(s.spec.containers ?? []), ...(s.spec.initContainers ?? [])];
  const sidecarNames = new Set(sets.flatMap((s) => all(s).map((c) => c.name)));
  const podNames = new Set(p.spec!.containers.map((c) => c.name));
  const replacesOne = sets.some((s) => (s.spec.containers ?? []).some((c) => podNames.has(c.name)));
  const clean = (c: SidecarContainer): SidecarContainer => ({
    ...c,
    env: (c.env ?? []).filter((e) => e.name !== 'IS_INJECTED' || e.value === 'true'),
    transferEnv: (c.transferEnv ?? []).filter((t) => !t.sourceContainerName || !sidecarNames.has(t.sourceContainerName)),
    ...(replacesOne ? { shareVolumePolicy: { type: 'disabled' as const }, shareVolumeDevicePolicy: { type: 'disabled' as const } } : {}),
  });
  return sets.map((s) => ({
    ...s,
    spec: {
      ...s.spec,
      containers: (s.spec.containers ?? []).map(clean),
      initContainers: (s.spec.initContainers ?? []).map(clean),
      patchPodMetadata: (s.spec.patchPodMetadata ?? []).map((m) => (m.patchPolicy === 'MergePatchJson' ? { ...m, patchPolicy: 'Overwrite' as const } : m)),
    },
  }));
}

describe('injectPod properties', () => {
  it('generates pods that get injected often enough to mean something', () => {
    const samples = fc.sample(fc.tuple(pod, sidecarSets), { numRuns: 300, seed: 42 });
    const results = samples.map(([p, sets]) => injectPod(p, sets, ctx));
    const injecting = results.filter((r) => r.injected.length > 0).length;
    expect(injecting).toBeGreaterThan(100);
  });

  it('applying `patch` to the input gives exactly `pod`', () => {
    fc.assert(
      fc.property(pod, sidecarSets, (p, sets) => {
        const result = injectPod(p, sets, ctx);
        const applied = jsonpatch.applyPatch(structuredClone(p), structuredClone(result.patch) as jsonpatch.Operation[], true, false).newDocument;
        expect(applied).toEqual(strip(result.pod));
      }),
      { numRuns: 400 },
    );
  });

  it('injecting twice equals injecting once', () => {
    fc.assert(
      fc.property(pod, sidecarSets, (p, generated) => {
        const sets = withoutFirstPassOnlyFeatures(p, generated);
        const once = injectPod(p, sets, ctx);
        const twice = injectPod(once.pod, sets, { ...ctx, now: '2031-01-01T00:00:00Z' });
        expect(twice.patch).toEqual([]);
        expect(twice.pod).toEqual(once.pod);
        if (once.errors.length === 0) expect(twice.injected).toEqual(once.injected);
      }),
      { numRuns: 400 },
    );
  });

  it('an injected pod never names a container twice across containers and initContainers', () => {
    fc.assert(
      fc.property(pod, sidecarSets, (p, sets) => {
        const result = injectPod(p, sets, ctx);
        const names = [...result.pod.spec!.containers, ...(result.pod.spec!.initContainers ?? [])].map((c) => c.name);
        expect(new Set(names).size).toBe(names.length);
        if (result.errors.length > 0) expect(result.errors.every((e) => e.type === 'Duplicate' || e.sidecarSet)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('app containers are never changed except by a same-name sidecar', () => {
    fc.assert(
      fc.property(pod, sidecarSets, (p, sets) => {
        const result = injectPod(p, sets, ctx);
        const applied = new Set(result.injected);
        const sidecarNames = new Set(sets.filter((s) => applied.has(s.metadata!.name!)).flatMap((s) => (s.spec.containers ?? []).map((c) => c.name)));
        const out = result.pod.spec!.containers;
        const kept = out.filter((c) => p.spec!.containers.some((a) => a.name === c.name) && !sidecarNames.has(c.name));
        const expected = p.spec!.containers.filter((c) => !sidecarNames.has(c.name));
        expect(kept).toEqual(expected); // same containers, same order, unchanged
        // and a replaced container keeps its position among the pod's containers
        const podNames = p.spec!.containers.map((c) => c.name);
        expect(out.map((c) => c.name).filter((n) => podNames.includes(n))).toEqual(podNames);
      }),
      { numRuns: 400 },
    );
  });

  it('never mutates its inputs', () => {
    fc.assert(
      fc.property(pod, sidecarSets, (p, sets) => {
        const before = structuredClone({ p, sets });
        injectPod(p, sets, ctx);
        expect({ p, sets }).toEqual(before);
      }),
      { numRuns: 200 },
    );
  });
});

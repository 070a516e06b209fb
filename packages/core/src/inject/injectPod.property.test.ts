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

const sidecarSet: fc.Arbitrary<SidecarSet> = fc
  .record({
    name: fc.constantFrom('alpha', 'beta', 'gamma'),
    selector: fc.constantFrom<Record<string, string>>({ app: 'web' }, { app: 'web' }, { app: 'web', tier: 'db' }, { canary: 'true' }),
    namespaceSelector: fc.option(fc.constantFrom({ matchLabels: { team: 'a' } }, { matchLabels: { team: 'b' } }), { nil: undefined }),
    containers: fc.uniqueArray(sidecar, { selector: (c) => c.name, minLength: 1, maxLength: 2 }),
    initContainers: fc.uniqueArray(sidecar, { selector: (c) => c.name, maxLength: 2 }),
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

const sidecarSets = fc.uniqueArray(sidecarSet, { selector: (s) => s.metadata!.name!, minLength: 1, maxLength: 3 });

describe('injectPod properties', () => {
  it('generates pods that get injected often enough to mean something', () => {
    const samples = fc.sample(fc.tuple(pod, sidecarSets), { numRuns: 300, seed: 42 });
    const results = samples.map(([p, sets]) => injectPod(p, sets, ctx));
    const injecting = results.filter((r) => r.injected.length > 0).length;
    expect(injecting).toBeGreaterThan(120);
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
      fc.property(pod, sidecarSets, (p, sets) => {
        const once = injectPod(p, sets, ctx);
        const twice = injectPod(once.pod, sets, { ...ctx, now: '2031-01-01T00:00:00Z' });
        expect(twice.patch).toEqual([]);
        expect(twice.pod).toEqual(once.pod);
        expect(twice.injected).toEqual([]);
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

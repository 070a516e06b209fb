// Properties of the stdlog rewrite through injectPod, over generated pods and stdlog SidecarSets.
import type { Container, EnvVar, Pod, SidecarContainer, SidecarSet, Volume } from '@sidecarset/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { injectPod, type InjectionContext } from '../inject/injectPod.js';
import { podShapeErrors } from '../inject/podShape.js';
import { rewriteStdlogVolumes } from './rewriteStdlogVolumes.js';
import { isStdlogCsiVolume, isStdlogHostPathVolume, STDLOG_CSI_DRIVER, STDLOG_POD_ENV, STDLOG_SUBPATH_EXPR } from './stdlogVolume.js';

const strip = <T extends object>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const volumeName = fc.constantFrom('stdlog', 'logs', 'data');
const mount = fc.record(
  {
    name: volumeName,
    mountPath: fc.constantFrom('/var/log/std', '/logs', '/data'),
    readOnly: fc.boolean(),
    subPath: fc.constantFrom('echo-server', 'a$b'),
    subPathExpr: fc.constantFrom('$(WHICH)', 'x'),
  },
  { requiredKeys: ['name', 'mountPath'] },
).map((m) => (m.subPath !== undefined && m.subPathExpr !== undefined ? { ...m, subPathExpr: undefined } : m));
const env: fc.Arbitrary<EnvVar[]> = fc.uniqueArray(
  fc.oneof(
    fc.record({ name: fc.constantFrom('WHICH', 'TZ'), value: fc.constantFrom('echo-server', 'UTC') }),
    // Our own variables, written the same way (kept) or otherwise (an error).
    fc.constantFrom(...STDLOG_POD_ENV).map((e) => ({ name: e.name, valueFrom: { fieldRef: { fieldPath: e.fieldPath } } })),
    fc.record({ name: fc.constantFrom(...STDLOG_POD_ENV.map((e) => e.name)), value: fc.constant('fixed') }),
  ),
  { selector: (e) => e.name, maxLength: 3 },
);
const sidecar: fc.Arbitrary<SidecarContainer> = fc.record(
  { name: fc.constantFrom('filebeat', 'shipper', 'agent'), image: fc.constant('busybox'), env, volumeMounts: fc.array(mount, { maxLength: 3 }) },
  { requiredKeys: ['name', 'image'] },
);
const sidecarSetVolume: fc.Arbitrary<Volume> = fc.oneof(
  volumeName.map((name) => ({ name, csi: { driver: STDLOG_CSI_DRIVER } })),
  volumeName.map((name) => ({ name, emptyDir: {} })),
);
const sidecarSet: fc.Arbitrary<SidecarSet> = fc
  .record({
    containers: fc.uniqueArray(sidecar, { selector: (c) => c.name, minLength: 1, maxLength: 2 }),
    initContainers: fc.uniqueArray(sidecar.map((c) => ({ ...c, name: `init-${c.name}`, restartPolicy: 'Always' })), { selector: (c) => c.name, maxLength: 1 }),
    volumes: fc.uniqueArray(sidecarSetVolume, { selector: (v) => v.name, maxLength: 3 }),
  })
  .map((spec) => strip<SidecarSet>({ metadata: { name: 'filebeat-sidecarset' }, spec: { selector: { matchLabels: { app: 'echo-server' } }, ...spec } }));

const podVolume: fc.Arbitrary<Volume> = fc.oneof(
  volumeName.map((name) => ({ name, emptyDir: {} })),
  volumeName.map((name) => ({ name, csi: { driver: STDLOG_CSI_DRIVER } })),
  volumeName.map((name) => ({ name, hostPath: { path: '/var/log/pods', type: 'Directory' } })),
);
const appContainer: fc.Arbitrary<Container> = fc.record(
  { name: fc.constantFrom('echo-server', 'web', 'filebeat'), image: fc.constant('app'), volumeMounts: fc.array(mount, { maxLength: 2 }) },
  { requiredKeys: ['name', 'image'] },
);
const pod: fc.Arbitrary<Pod> = fc
  .record({
    containers: fc.uniqueArray(appContainer, { selector: (c) => c.name, minLength: 1, maxLength: 2 }),
    volumes: fc.uniqueArray(podVolume, { selector: (v) => v.name, maxLength: 2 }),
  })
  .map((spec) => strip<Pod>({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'echo-server', namespace: 'default', labels: { app: 'echo-server' } }, spec }));

const context: fc.Arbitrary<InjectionContext> = fc.record({
  namespace: fc.constant('default'),
  namespaceLabels: fc.constantFrom<Record<string, string>>({}, { 'pod-security.kubernetes.io/enforce': 'privileged' }, { 'pod-security.kubernetes.io/enforce': 'baseline' }),
  revisions: fc.constant([]),
  now: fc.constant('2025-04-29T03:26:06Z'),
  csiDrivers: fc.constantFrom(new Set<string>(), new Set(['other.csi.example.com']), new Set([STDLOG_CSI_DRIVER])),
});

const allContainers = (p: Pod): Container[] => [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])];

describe('stdlog rewrite properties', () => {
  it('injecting the injected pod again changes nothing', () => {
    fc.assert(
      fc.property(pod, sidecarSet, context, (p, s, ctx) => {
        const once = injectPod(p, [s], ctx);
        fc.pre(once.errors.length === 0);
        const twice = injectPod(once.pod, [s], ctx);
        expect(twice.errors).toEqual([]);
        expect(twice.patch).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('the rewritten spec rewritten again is the same object', () => {
    fc.assert(
      fc.property(pod, sidecarSet, context, (p, s, ctx) => {
        const stdlogCtx = { ...ctx, sidecarNames: new Set(allContainers({ spec: s.spec as Pod['spec'] }).map((c) => c.name)) };
        const once = rewriteStdlogVolumes('filebeat-sidecarset', s.spec, p, stdlogCtx);
        fc.pre(once.errors.length === 0);
        expect(rewriteStdlogVolumes('filebeat-sidecarset', once.spec, p, stdlogCtx).spec).toBe(once.spec);
      }),
      { numRuns: 400 },
    );
  });

  it("never touches the pod's own volumes; the output pod has the shape the API server needs", () => {
    fc.assert(
      fc.property(pod, sidecarSet, context, (p, s, ctx) => {
        const input = structuredClone(p);
        const result = injectPod(p, [s], ctx);
        expect(p).toEqual(input);
        const out = result.pod;
        const own = input.spec!.volumes ?? [];
        expect((out.spec!.volumes ?? []).slice(0, own.length)).toEqual(own);
        expect(podShapeErrors(out)).toEqual([]);
        // Each container's variable names are unique among ours, and every mount of an injected
        // hostPath is narrowed and read-only, in a container that defines the variables it reads.
        const injectedHostPaths = new Set((out.spec!.volumes ?? []).slice(own.length).filter(isStdlogHostPathVolume).map((v) => v.name));
        for (const container of allContainers(out)) {
          for (const name of STDLOG_POD_ENV.map((e) => e.name)) expect((container.env ?? []).filter((e) => e.name === name).length).toBeLessThanOrEqual(1);
          for (const m of container.volumeMounts ?? []) {
            if (!injectedHostPaths.has(m.name)) continue;
            expect(m.readOnly).toBe(true);
            expect(m.subPath).toBeUndefined();
            expect(m.subPathExpr!.startsWith(STDLOG_SUBPATH_EXPR)).toBe(true);
            for (const e of STDLOG_POD_ENV) expect(container.env).toContainEqual(expect.objectContaining({ name: e.name, valueFrom: { fieldRef: expect.objectContaining({ fieldPath: e.fieldPath }) } }));
          }
        }
        // Without the driver, no stdlog csi volume is injected.
        if (!ctx.csiDrivers!.has(STDLOG_CSI_DRIVER)) expect((out.spec!.volumes ?? []).slice(own.length).filter(isStdlogCsiVolume)).toEqual([]);
      }),
      { numRuns: 600 },
    );
  });
});

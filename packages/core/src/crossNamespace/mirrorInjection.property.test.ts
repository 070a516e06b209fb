// Properties of the mirror step over generated SidecarSets, bindings and pods: what the pod brings is
// never rewritten; every injected reference is a valid mirror name; a denial leaves the pod as it was
// and names a source no binding authorises; the annotation lists exactly the sources mounted through
// mirrors, and the gate goes with it; injecting twice equals injecting once.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Pod, SidecarSet, SidecarSetResourceBinding, Volume } from '@sidecarset/api';
import { injectPod, type InjectionContext } from '../inject/injectPod.js';
import { dns1123Subdomain } from '../validation/k8sNames.js';
import { bindingAuthorises } from './authorisingBindings.js';
import { mirrorName } from './mirrorName.js';
import { sourceKey, type CrossNamespaceSource } from './source.js';

const SIDECARSET = 'agent';
const sourceArb: fc.Arbitrary<CrossNamespaceSource> = fc.record({
  kind: fc.constantFrom('ConfigMap' as const, 'Secret' as const),
  namespace: fc.constantFrom('kube-system', 'ops', 'default'),
  name: fc.constantFrom('cfg', 'tls', 'a.b', 'x'.repeat(240)),
});
const ref = (s: CrossNamespaceSource): string => `${s.namespace}/${s.name}`;
const volumeOf = (name: string, sources: CrossNamespaceSource[], projected: boolean): Volume => {
  if (projected || sources.length > 1) {
    return { name, projected: { sources: sources.map((s) => (s.kind === 'ConfigMap' ? { configMap: { name: ref(s) } } : { secret: { name: ref(s) } })) } };
  }
  const s = sources[0]!;
  return s.kind === 'ConfigMap' ? { name, configMap: { name: ref(s) } } : { name, secret: { secretName: ref(s) } };
};

const worldArb = fc
  .record({
    volumes: fc.array(fc.record({ sources: fc.array(sourceArb, { minLength: 1, maxLength: 2 }), projected: fc.boolean(), mounted: fc.boolean() }), { minLength: 1, maxLength: 4 }),
    // Per source of the volumes, in order: authorised (most are), and its mirror recorded in status.
    grants: fc.array(fc.record({ authorised: fc.oneof(fc.constant(true), fc.constant(true), fc.constant(true), fc.constant(false)), recorded: fc.boolean() }), { minLength: 8, maxLength: 8 }),
    // Bindings that must authorise nothing here: another namespace, or another SidecarSet.
    decoys: fc.array(fc.record({ namespace: fc.constantFrom('kube-system', 'ops', 'default'), subject: fc.constantFrom(SIDECARSET, 'other'), ref: sourceArb }), { maxLength: 2 }),
    ownVolumes: fc.array(fc.record({ shadow: fc.boolean(), mirrorOf: sourceArb }), { maxLength: 2 }),
    nodeName: fc.boolean(),
    forged: fc.boolean(),
  })
  .map((w) => {
    const volumes = w.volumes.map((v, i) => ({ volume: volumeOf(`v${i}`, v.sources, v.projected), mounted: v.mounted }));
    const sidecarSet: SidecarSet = {
      metadata: { name: SIDECARSET },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        containers: [{ name: 'agent', image: 'agent:1', volumeMounts: volumes.filter((v) => v.mounted).map((v) => ({ name: v.volume.name, mountPath: `/m/${v.volume.name}` })) }],
        volumes: volumes.map((v) => v.volume),
      },
    } as SidecarSet;
    const sources = w.volumes.flatMap((v) => v.sources);
    const bindings = sources.flatMap((source, i): SidecarSetResourceBinding[] => {
      const grant = w.grants[i] ?? { authorised: true, recorded: true };
      if (!grant.authorised) return [];
      return [
        {
          metadata: { namespace: source.namespace, name: `b${i}` },
          spec: { subjects: [{ kind: 'SidecarSet', name: SIDECARSET }], resourceRefs: [{ kind: source.kind, name: source.name }] },
          ...(grant.recorded ? { status: { mirrors: [{ kind: source.kind, namespace: 'web', name: mirrorName(source), uid: 'u' }] } } : {}),
        } as SidecarSetResourceBinding,
      ];
    });
    for (const [i, d] of w.decoys.entries()) {
      // A decoy in the source's namespace for another SidecarSet, or for this one in a namespace that is not the source's.
      const namespace = d.subject === SIDECARSET ? (d.ref.namespace === 'ops' ? 'default' : 'ops') : d.ref.namespace;
      bindings.push({ metadata: { namespace, name: `d${i}` }, spec: { subjects: [{ kind: 'SidecarSet', name: d.subject }], resourceRefs: [{ kind: d.ref.kind, name: d.ref.name }] } } as SidecarSetResourceBinding);
    }
    const ownVolumes = w.ownVolumes.map((o, i): Volume => ({ name: o.shadow ? `v${i}` : `own${i}`, configMap: { name: mirrorName(o.mirrorOf) } }));
    const pod: Pod = {
      metadata: { name: 'p', namespace: 'web', labels: { app: 'web' }, ...(w.forged ? { annotations: { 'sidecarset.dev/mirrors': 'Secret/kube-system/root' } } : {}) },
      spec: { containers: [{ name: 'app', image: 'app' }], ...(ownVolumes.length ? { volumes: ownVolumes } : {}), ...(w.nodeName ? { nodeName: 'n1' } : {}) },
    } as Pod;
    return { sidecarSet, bindings, pod, sources };
  });

const ctxOf = (bindings: SidecarSetResourceBinding[]): InjectionContext => ({ namespace: 'web', namespaceLabels: {}, revisions: [], now: '2030-01-01T00:00:00Z', bindings });
/** `[kind, name]` of each ConfigMap and Secret reference in the volume. */
const refsIn = (volume: Volume): [string, string][] => [
  ...(volume.configMap?.name ? [['ConfigMap', volume.configMap.name] as [string, string]] : []),
  ...(volume.secret?.secretName ? [['Secret', volume.secret.secretName] as [string, string]] : []),
  ...(volume.projected?.sources ?? []).flatMap((p): [string, string][] => [
    ...(p.configMap?.name ? [['ConfigMap', p.configMap.name] as [string, string]] : []),
    ...(p.secret?.name ? [['Secret', p.secret.name] as [string, string]] : []),
  ]),
];

describe('mirror step properties', () => {
  it('holds over generated worlds', () => {
    fc.assert(
      fc.property(worldArb, ({ sidecarSet, bindings, pod, sources }) => {
        const input = structuredClone(pod);
        const result = injectPod(pod, [sidecarSet], ctxOf(bindings));
        expect(pod).toEqual(input);
        if (result.errors.length > 0) {
          expect(result.pod).toBe(pod);
          for (const error of result.errors) {
            const named = sources.find((s) => error.reason.includes(`${s.kind} ${ref(s)}`));
            expect(named).toBeDefined();
            if (!error.reason.includes('bypasses the scheduler')) expect(bindings.some((b) => bindingAuthorises(b, SIDECARSET, named!))).toBe(false);
          }
          return;
        }
        const own = new Set(pod.spec?.volumes ?? []);
        const ownNames = new Set((pod.spec?.volumes ?? []).map((v) => v.name));
        for (const volume of pod.spec?.volumes ?? []) expect(result.pod.spec?.volumes).toContainEqual(volume);
        const injected = (result.pod.spec?.volumes ?? []).filter((v) => !own.has(v) && !ownNames.has(v.name));
        const byMirror = new Map(sources.map((s) => [`${s.kind}:${mirrorName(s)}`, s]));
        const mounted = new Set<string>();
        for (const volume of injected) {
          for (const [kind, name] of refsIn(volume)) {
            expect(name).not.toContain('/');
            expect(dns1123Subdomain(name)).toEqual([]);
            mounted.add(sourceKey(byMirror.get(`${kind}:${name}`)!));
          }
        }
        const annotation = result.pod.metadata?.annotations?.['sidecarset.dev/mirrors'];
        if (ownNames.size === 0) expect(annotation ?? '').toBe([...mounted].sort().join(','));
        else for (const key of mounted) expect(annotation?.split(',')).toContain(key);
        const gated = (result.pod.spec?.schedulingGates ?? []).some((g) => g.name === 'sidecarset.dev/mirrors');
        expect(gated).toBe(annotation !== undefined && !pod.spec?.nodeName);

        const twice = injectPod(result.pod, [sidecarSet], { ...ctxOf(bindings), now: '2031-01-01T00:00:00Z' });
        expect(twice.errors).toEqual([]);
        expect(twice.patch).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });
});

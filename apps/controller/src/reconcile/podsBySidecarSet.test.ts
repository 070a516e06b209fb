import type { Namespace, Pod, SidecarSet } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { PodsBySidecarSet } from './podsBySidecarSet.js';

const INJECTED = 'kruise.io/sidecarset-injected-list';

function sidecarSet(name: string, spec: Partial<SidecarSet['spec']> = {}): SidecarSet {
  return { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'SidecarSet', metadata: { name }, spec: { selector: { matchLabels: { app: 'web' } }, containers: [], ...spec } };
}

function pod(namespace: string, name: string, options: { injected?: string; labels?: Record<string, string> } = {}): Pod {
  return {
    metadata: { namespace, name, labels: options.labels ?? { app: 'web' }, annotations: options.injected === undefined ? {} : { [INJECTED]: options.injected } },
    spec: { containers: [] },
  };
}

const namespace = (name: string, labels: Record<string, string>): Namespace => ({ metadata: { name, labels } });

/** An index over a mutable world of SidecarSets and namespace labels, as the informers keep them. */
function world(sets: SidecarSet[], namespaces: Record<string, Record<string, string>> = { apps: { team: 'a' }, other: { team: 'b' } }) {
  const bySidecarSet = new Map(sets.map((s) => [s.metadata!.name!, s]));
  const labels = new Map(Object.entries(namespaces));
  const index = new PodsBySidecarSet({ sidecarSet: (name) => bySidecarSet.get(name), namespaceLabels: (name) => labels.get(name) });
  const names = (name: string) => index.podsOf(name).map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`).sort();
  return { index, bySidecarSet, labels, names };
}

describe('PodsBySidecarSet: a SidecarSet acts only on pods it selects now and injected', () => {
  const cases: { name: string; sidecarSet: SidecarSet; pod: Pod; acts: boolean }[] = [
    { name: 'injected and selected', sidecarSet: sidecarSet('log'), pod: pod('apps', 'a', { injected: 'log' }), acts: true },
    { name: 'one of several SidecarSets in the injected list', sidecarSet: sidecarSet('log'), pod: pod('apps', 'a', { injected: 'aaa,log,zzz' }), acts: true },
    { name: 'selected but not injected', sidecarSet: sidecarSet('log'), pod: pod('apps', 'a'), acts: false },
    { name: 'injected list names another SidecarSet', sidecarSet: sidecarSet('log'), pod: pod('apps', 'a', { injected: 'logger' }), acts: false },
    { name: 'forged injected list, labels the selector does not match', sidecarSet: sidecarSet('log'), pod: pod('apps', 'a', { injected: 'log', labels: { app: 'db' } }), acts: false },
    { name: 'forged injected list, namespace outside spec.namespace', sidecarSet: sidecarSet('log', { namespace: 'apps' }), pod: pod('other', 'a', { injected: 'log' }), acts: false },
    { name: 'injected, inside spec.namespace', sidecarSet: sidecarSet('log', { namespace: 'apps' }), pod: pod('apps', 'a', { injected: 'log' }), acts: true },
    { name: 'forged injected list, namespace the namespaceSelector does not select', sidecarSet: sidecarSet('log', { namespaceSelector: { matchLabels: { team: 'a' } } }), pod: pod('other', 'a', { injected: 'log' }), acts: false },
    { name: 'injected, namespace the namespaceSelector selects', sidecarSet: sidecarSet('log', { namespaceSelector: { matchLabels: { team: 'a' } } }), pod: pod('apps', 'a', { injected: 'log' }), acts: true },
    {
      name: 'namespace not yet cached is outside even a NotIn namespaceSelector',
      sidecarSet: sidecarSet('log', { namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['b'] }] } }),
      pod: pod('unseen', 'a', { injected: 'log' }),
      acts: false,
    },
    { name: 'namespace not yet cached, no namespaceSelector', sidecarSet: sidecarSet('log'), pod: pod('unseen', 'a', { injected: 'log' }), acts: true },
    { name: 'an empty selector selects nothing', sidecarSet: sidecarSet('log', { selector: {} }), pod: pod('apps', 'a', { injected: 'log' }), acts: false },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.acts ? 'counted and reconciled' : 'left alone'}`, () => {
      const { index, names } = world([c.sidecarSet]);
      const touched = index.applyPod({ type: 'add', object: c.pod });
      expect(names('log')).toEqual(c.acts ? [`${c.pod.metadata?.namespace}/a`] : []);
      expect(touched).toEqual(c.acts ? ['log'] : []);
    });
  }
});

describe('PodsBySidecarSet: scope follows changes', () => {
  const scoped = () => sidecarSet('log', { namespaceSelector: { matchLabels: { team: 'a' } } });

  it('a namespace relabelled into the namespaceSelector brings its pods in, and out again', () => {
    const { index, labels, names } = world([scoped()]);
    index.applyPod({ type: 'add', object: pod('other', 'a', { injected: 'log' }) });
    expect(names('log')).toEqual([]);
    labels.set('other', { team: 'a' });
    expect(index.applyNamespace({ type: 'update', old: namespace('other', { team: 'b' }), object: namespace('other', { team: 'a' }) })).toEqual(['log']);
    expect(names('log')).toEqual(['other/a']);
    labels.set('other', { team: 'b' });
    expect(index.applyNamespace({ type: 'update', old: namespace('other', { team: 'a' }), object: namespace('other', { team: 'b' }) })).toEqual(['log']);
    expect(names('log')).toEqual([]);
  });

  it('a namespace event asks only for SidecarSets with a namespaceSelector and injected pods there', () => {
    const { index } = world([scoped(), sidecarSet('plain'), sidecarSet('elsewhere', { namespaceSelector: { matchLabels: { team: 'a' } } })]);
    index.applyPod({ type: 'add', object: pod('other', 'a', { injected: 'log,plain' }) });
    index.applyPod({ type: 'add', object: pod('apps', 'b', { injected: 'elsewhere' }) });
    expect(index.applyNamespace({ type: 'update', old: namespace('other', { team: 'b' }), object: namespace('other', { team: 'c' }) })).toEqual(['log']);
    expect(index.applyNamespace({ type: 'update', old: namespace('other', { team: 'b' }), object: namespace('other', { team: 'b' }) })).toEqual([]); // labels unchanged
    expect(index.applyNamespace({ type: 'add', object: namespace('other', { team: 'b' }) })).toEqual(['log']); // first seen
    expect(index.applyNamespace({ type: 'resync', object: namespace('other', { team: 'b' }) })).toEqual([]);
  });

  it('a SidecarSet whose selector changes reads its pods anew (no re-indexing)', () => {
    const { index, bySidecarSet, names } = world([sidecarSet('log')]);
    index.applyPod({ type: 'add', object: pod('apps', 'a', { injected: 'log' }) });
    index.applyPod({ type: 'add', object: pod('apps', 'b', { injected: 'log', labels: { app: 'db' } }) });
    expect(names('log')).toEqual(['apps/a']);
    bySidecarSet.set('log', sidecarSet('log', { selector: { matchLabels: { app: 'db' } } }));
    expect(names('log')).toEqual(['apps/b']);
    bySidecarSet.set('log', sidecarSet('log', { namespace: 'other', selector: { matchLabels: { app: 'db' } } }));
    expect(names('log')).toEqual([]);
  });

  it('a pod relabelled out of the selector asks for a reconcile (it leaves the counts), then none while out', () => {
    const { index, names } = world([sidecarSet('log')]);
    const inside = pod('apps', 'a', { injected: 'log' });
    const outside = pod('apps', 'a', { injected: 'log', labels: { app: 'db' } });
    index.applyPod({ type: 'add', object: inside });
    expect(index.applyPod({ type: 'update', old: inside, object: outside })).toEqual(['log']);
    expect(names('log')).toEqual([]);
    expect(index.applyPod({ type: 'update', old: outside, object: { ...outside, status: { phase: 'Running' } } })).toEqual([]);
    expect(index.applyPod({ type: 'delete', object: outside })).toEqual([]);
  });

  it('an annotation that drops a SidecarSet removes the pod from it; delete removes it', () => {
    const { index, names } = world([sidecarSet('log'), sidecarSet('mesh')]);
    const both = pod('apps', 'a', { injected: 'log,mesh' });
    const one = pod('apps', 'a', { injected: 'mesh' });
    index.applyPod({ type: 'add', object: both });
    expect(index.applyPod({ type: 'update', old: both, object: one }).sort()).toEqual(['log', 'mesh']);
    expect(names('log')).toEqual([]);
    expect(names('mesh')).toEqual(['apps/a']);
    expect(index.applyPod({ type: 'delete', object: one })).toEqual(['mesh']);
    expect(names('mesh')).toEqual([]);
  });

  it('a SidecarSet not (or no longer) in the cache has no pods and is not asked for', () => {
    const { index, bySidecarSet, names } = world([sidecarSet('log')]);
    bySidecarSet.delete('log');
    expect(index.applyPod({ type: 'add', object: pod('apps', 'a', { injected: 'log' }) })).toEqual([]);
    expect(names('log')).toEqual([]);
    bySidecarSet.set('log', sidecarSet('log'));
    expect(names('log')).toEqual(['apps/a']); // indexed all along: its own add event reconciles it
  });
});

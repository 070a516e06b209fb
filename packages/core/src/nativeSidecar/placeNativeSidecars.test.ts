// Native sidecars where the pod's nodes can run them, regular containers and a warning elsewhere.
import type { Pod, SidecarSet } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { injectPod, type InjectionContext } from '../inject/injectPod.js';
import { parseKubeVersion, supportsNativeSidecars } from './kubeletVersion.js';
import { nativeSidecarSupport } from './nativeSidecarSupport.js';
import type { NodeVersions } from './nodeVersions.js';

const ECI = { name: 'ECI_SIDECAR_CONTAINER', value: 'true' };
const INJECTED = { name: 'IS_INJECTED', value: 'true' };

const sidecarSet = (extra: Partial<SidecarSet['spec']> = {}, annotations?: Record<string, string>): SidecarSet => ({
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name: 'filebeat', ...(annotations ? { annotations } : {}) },
  spec: { selector: { matchLabels: { app: 'job' } }, containers: [{ name: 'filebeat', image: 'busybox', env: [ECI] }], ...extra },
});

const pod = (spec: Partial<Pod['spec']> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', labels: { app: 'job' } },
  spec: { containers: [{ name: 'app', image: 'app:1' }], initContainers: [{ name: 'setup', image: 'setup:1' }], ...spec },
});

const nodes: NodeVersions = {
  nodes: [
    { name: 'new-0', labels: { pool: 'new' }, kubeletVersion: 'v1.36.3' },
    { name: 'new-1', labels: { pool: 'new' }, kubeletVersion: 'v1.29.0-eks-1' },
    { name: 'old-0', labels: { pool: 'old' }, kubeletVersion: 'v1.28.15' },
  ],
  apiServerVersion: 'v1.36.3',
};

const inject = (p: Pod, s: SidecarSet, nodeVersions?: NodeVersions) => {
  const ctx: InjectionContext = { namespace: 'default', namespaceLabels: {}, revisions: [], now: '2026-01-01T00:00:00Z', ...(nodeVersions ? { nodeVersions } : {}) };
  return injectPod(p, [s], ctx);
};

describe('kubelet versions', () => {
  it.each([
    ['v1.29.0', true],
    ['v1.28.15', false],
    ['v1.30.1-eks-abcdef', true],
    ['v1.28.2+k3s1', false],
    ['1.31', true],
    ['v2.0.0', true],
    ['kwok', false],
    ['', false],
    ['v1.2999999.0', false],
    [`v1.30${'0'.repeat(100_000)}`, false],
  ])('%s supports native sidecars: %s', (text, expected) => {
    expect(supportsNativeSidecars(parseKubeVersion(text))).toBe(expected);
  });
});

describe('placement', () => {
  it('ECI_SIDECAR_CONTAINER on new nodes: an initContainer with restartPolicy Always, ahead of the pod\'s own', () => {
    const result = inject(pod({ nodeSelector: { pool: 'new' } }), sidecarSet(), nodes);
    expect(result.warnings).toEqual([]);
    expect(result.pod.spec?.containers.map((c) => c.name)).toEqual(['app']);
    expect(result.pod.spec?.initContainers).toEqual([
      { name: 'filebeat', image: 'busybox', env: [ECI, INJECTED], restartPolicy: 'Always' },
      { name: 'setup', image: 'setup:1' },
    ]);
  });

  it('podInjectPolicy AfterAppContainer: behind the pod\'s own initContainers, still before the app', () => {
    const s = sidecarSet({ containers: [{ name: 'filebeat', image: 'busybox', env: [ECI], podInjectPolicy: 'AfterAppContainer' }] });
    const result = inject(pod({ nodeName: 'new-0' }), s, nodes);
    expect(result.pod.spec?.initContainers?.map((c) => [c.name, c.restartPolicy])).toEqual([['setup', undefined], ['filebeat', 'Always']]);
  });

  it('the SidecarSet annotation makes every container native, without the env', () => {
    const s = sidecarSet({ containers: [{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }] }, { 'sidecarset.dev/native-sidecars': 'true' });
    const result = inject(pod({ nodeName: 'new-1' }), s, nodes);
    expect(result.pod.spec?.initContainers?.map((c) => [c.name, c.restartPolicy])).toEqual([['a', 'Always'], ['b', 'Always'], ['setup', undefined]]);
    expect(result.pod.spec?.containers.map((c) => c.name)).toEqual(['app']);
  });

  it('only the containers asking are moved; others stay regular', () => {
    const s = sidecarSet({ containers: [{ name: 'agent', image: 'a' }, { name: 'filebeat', image: 'busybox', env: [ECI] }] });
    const result = inject(pod({ nodeName: 'new-0' }), s, nodes);
    expect(result.pod.spec?.containers.map((c) => c.name)).toEqual(['agent', 'app']);
    expect(result.pod.spec?.initContainers?.map((c) => c.name)).toEqual(['filebeat', 'setup']);
  });

  it('a pod pinned to an old node: a regular container and a warning naming the node', () => {
    const result = inject(pod({ nodeName: 'old-0' }), sidecarSet(), nodes);
    expect(result.pod.spec?.containers.map((c) => c.name)).toEqual(['filebeat', 'app']);
    expect(result.pod.spec?.initContainers?.map((c) => c.name)).toEqual(['setup']);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain('"old-0" (kubelet v1.28.15)');
    expect(result.warnings[0]).toContain('not guaranteed');
  });

  it('no nodeSelector: every node counts, and one old node keeps it regular', () => {
    const result = inject(pod(), sidecarSet(), nodes);
    expect(result.pod.spec?.containers.map((c) => c.name)).toEqual(['filebeat', 'app']);
    expect(result.warnings[0]).toContain('old-0');
  });

  it('no node known: the API server\'s version decides', () => {
    expect(nativeSidecarSupport(pod(), { nodes: [], apiServerVersion: 'v1.30.0' })).toEqual({ native: true });
    expect(nativeSidecarSupport(pod({ nodeSelector: { pool: 'none' } }), { ...nodes, apiServerVersion: 'v1.28.0' }).native).toBe(false);
    expect(nativeSidecarSupport(pod({ nodeName: 'gone' }), { nodes: [], apiServerVersion: 'v1.36.3' })).toEqual({ native: true });
    expect(nativeSidecarSupport(pod(), { nodes: [] }).native).toBe(false);
  });

  it('versions not known at all: regular, with a warning', () => {
    const result = inject(pod({ nodeName: 'new-0' }), sidecarSet());
    expect(result.pod.spec?.containers.map((c) => c.name)).toEqual(['filebeat', 'app']);
    expect(result.warnings[0]).toContain('not known');
  });

  it('OpenKruise YAML without the env or the annotation is untouched, even on new nodes', () => {
    const plain = sidecarSet({ containers: [{ name: 'filebeat', image: 'busybox' }] });
    expect(inject(pod({ nodeName: 'new-0' }), plain, nodes)).toEqual(inject(pod({ nodeName: 'new-0' }), plain));
    expect(inject(pod({ nodeName: 'new-0' }), plain, nodes).warnings).toEqual([]);
  });

  it('ECI_SIDECAR_CONTAINER=false asks for nothing', () => {
    const s = sidecarSet({ containers: [{ name: 'filebeat', image: 'busybox', env: [{ name: 'ECI_SIDECAR_CONTAINER', value: 'false' }] }] });
    const result = inject(pod({ nodeName: 'new-0' }), s, nodes);
    expect(result.pod.spec?.containers.map((c) => c.name)).toEqual(['filebeat', 'app']);
    expect(result.warnings).toEqual([]);
  });

  it('many old nodes: the warning names three and counts the rest', () => {
    const many: NodeVersions = { nodes: Array.from({ length: 1000 }, (_, i) => ({ name: `old-${i}`, labels: {}, kubeletVersion: 'v1.27.0' })) };
    const warning = inject(pod(), sidecarSet(), many).warnings[0]!;
    expect(warning).toContain('and 997 more');
    expect(warning.length).toBeLessThan(600);
  });
});

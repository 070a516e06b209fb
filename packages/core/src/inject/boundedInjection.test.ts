// Injection costs bounded work whatever the pod's author wrote: JSON in annotations is parsed only
// within a budget, and lookups into the pod's own lists are indexed once, not searched per item.
// Each case ran for seconds (or more) before; here it must finish within a generous second.
import type { Pod, SidecarSet } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { SIDECARSET_HASH_ANNOTATION } from '../annotations.js';
import { parseSidecarSetHashes } from './podSidecarSetAnnotations.js';
import { injectPod, type InjectionContext } from './injectPod.js';
import { podShapeErrors } from './podShape.js';

/** CPU time of this process in ms: a stall guard that the machine's other load does not move (speed is bench/'s job). */
const cpuMs = (): number => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};

const ctx: InjectionContext = { namespace: 'default', namespaceLabels: {}, revisions: [], now: '2024-05-01T10:00:00Z' };

const sidecarSet = (container: Record<string, unknown> = {}, spec: Partial<SidecarSet['spec']> = {}): SidecarSet => ({
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name: 's' },
  spec: { selector: { matchLabels: { app: 'web' } }, containers: [{ name: 'sidecar', image: 'sidecar:1', ...container }], ...spec },
});

const pod = (spec: Partial<NonNullable<Pod['spec']>> = {}, annotations: Record<string, string> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-0', namespace: 'default', labels: { app: 'web' }, annotations },
  spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec },
});

function quickly<T>(fn: () => T): T {
  const started = cpuMs();
  const result = fn();
  expect(cpuMs() - started).toBeLessThan(1000);
  return result;
}

const env = (count: number) => Array.from({ length: count }, (_, i) => ({ name: `V${i}`, value: `${i}` }));

describe('annotation JSON a pod brings is read only within a budget', () => {
  it.each([
    ['a million JSON objects', `[${'{},'.repeat(1_000_000)}{}]`, /longer than 262144 characters/],
    ['100,000 values within 256 KiB', `[${'0,'.repeat(100_000)}0]`, /more than 20000 values/],
    ['nesting 10,000 deep', `${'['.repeat(10_000)}${']'.repeat(10_000)}`, /nests deeper than 32 levels/],
  ])('a hash annotation of %s is refused at once', (_name, value, reason) => {
    expect(quickly(() => parseSidecarSetHashes(value))).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('a pod carrying such a hash annotation is still injected, at once', () => {
    const result = quickly(() => injectPod(pod({}, { [SIDECARSET_HASH_ANNOTATION]: `[${'{},'.repeat(1_000_000)}{}]` }), [sidecarSet()], ctx));
    expect(result.injected).toEqual(['s']);
  });

  it('a MergePatchJson onto a pod annotation of 100,000 values is an error naming the annotation, at once', () => {
    const set = sidecarSet({}, { patchPodMetadata: [{ patchPolicy: 'MergePatchJson', annotations: { cfg: '{"a":1}' } }] });
    const result = quickly(() => injectPod(pod({}, { cfg: `[${'0,'.repeat(100_000)}0]` }), [set], ctx));
    expect(result.errors).toEqual([expect.objectContaining({ path: 'spec.patchPodMetadata[0].annotations[cfg]', reason: expect.stringMatching(/pod's value has more than 20000 values/) })]);
  });
});

describe("the pod's own lists are indexed once", () => {
  it('transferEnv of 5,000 names from a container with 50,000 variables', () => {
    const names = Array.from({ length: 5_000 }, (_, i) => `V${i * 10}`);
    const set = sidecarSet({ transferEnv: [{ sourceContainerName: 'app', envNames: names }] });
    const result = quickly(() => injectPod(pod({ containers: [{ name: 'app', image: 'nginx', env: env(50_000) }] }), [set], ctx));
    const sidecar = result.pod.spec!.containers.find((c) => c.name === 'sidecar')!;
    expect(sidecar.env).toHaveLength(5_001); // IS_INJECTED and each transferred variable
  });

  it('shared mounts: 5,000 subPathExpr variables looked up among 50,000', () => {
    const mounts = Array.from({ length: 5_000 }, (_, i) => ({ name: 'v', mountPath: `/m/${i}`, subPathExpr: `$(V${i * 10})` }));
    const set = sidecarSet({ shareVolumePolicy: { type: 'enabled' } });
    const result = quickly(() => injectPod(pod({ containers: [{ name: 'app', image: 'nginx', env: env(50_000), volumeMounts: mounts }] }), [set], ctx));
    const sidecar = result.pod.spec!.containers.find((c) => c.name === 'sidecar')!;
    expect(sidecar.volumeMounts).toHaveLength(5_000);
    expect(sidecar.env).toHaveLength(5_001);
  });
});

describe('podShapeErrors: the shape injection reads, checked first', () => {
  it.each<[string, unknown, string[]]>([
    ['a well-formed pod', pod(), []],
    ['labels that are a list', { metadata: { labels: ['app'] } }, ['metadata.labels TypeInvalid']],
    ['an annotation value that is a number', { metadata: { annotations: { a: 1 } } }, ['metadata.annotations[a] TypeInvalid']],
    ['containers that are a string', { spec: { containers: 'app' } }, ['spec.containers TypeInvalid']],
    ['a container without a name', { spec: { containers: [{ image: 'nginx' }] } }, ['spec.containers[0].name Required']],
    ['an init container that is a string', { spec: { initContainers: ['init'] } }, ['spec.initContainers[0] TypeInvalid']],
    ['an env list that is an object', { spec: { containers: [{ name: 'a', env: { A: '1' } }] } }, ['spec.containers[0].env TypeInvalid']],
    ['a mount without a mountPath', { spec: { containers: [{ name: 'a', volumeMounts: [{ name: 'v' }] }] } }, ['spec.containers[0].volumeMounts[0].mountPath Required']],
    ['a pull secret named by a number', { spec: { imagePullSecrets: [{ name: 1 }] } }, ['spec.imagePullSecrets[0].name TypeInvalid']],
    ['a phase that is an object', { status: { phase: {} } }, ['status.phase TypeInvalid']],
  ])('%s', (_name, value, expected) => {
    expect(podShapeErrors(value).map((e) => `${e.path} ${e.type}`)).toEqual(expected);
  });
});

// The hot-upgrade injection step on its own: the working-twin map injection starts from, how it is
// written, and the twins of one or two HotUpgrade sidecars.
import type { Pod, SidecarSet } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { injectPod } from '../inject/injectPod.js';
import { encodeWorkingContainers, parseWorkingContainers, podContainerNames, WORKING_HOT_UPGRADE_CONTAINER_ANNOTATION, workingAndIdle } from './hotUpgradeNames.js';

const hot = (name: string, container: string, extra: Record<string, unknown> = {}): SidecarSet => ({
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    containers: [{ name: container, image: `${container}:1`, upgradeStrategy: { upgradeType: 'HotUpgrade', hotUpgradeEmptyImage: `${container}:empty` }, ...extra }],
  },
});
const pod = (annotations?: Record<string, string>): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', labels: { app: 'web' }, ...(annotations && { annotations }) },
  spec: { containers: [{ name: 'app', image: 'web:1' }] },
});
const inject = (p: Pod, sets: SidecarSet[]) => injectPod(p, sets, { namespace: 'default', namespaceLabels: {}, revisions: [], now: '2025-01-01T00:00:00Z' });

describe('the working-twin annotation', () => {
  it.each([
    ['absent', undefined, {}],
    ['not JSON', 'not json', {}],
    ['not an object', '["envoy-1"]', {}],
    ['an entry that is not a string is left out, the rest kept (as Go unmarshals it)', '{"a":1,"b":"b-2"}', { b: 'b-2' }],
  ])('%s', (_name, value, expected) => expect(Object.fromEntries(parseWorkingContainers(value))).toEqual(expected));

  it('is written with sorted keys, as Go writes a map', () => {
    expect(encodeWorkingContainers(new Map([['z', 'z-1'], ['a', 'a-2']]))).toBe('{"a":"a-2","z":"z-1"}');
  });

  it('names NAME-1 working only when it says so', () => {
    expect(workingAndIdle('envoy', new Map([['envoy', 'envoy-1']]))).toEqual({ working: 'envoy-1', idle: 'envoy-2' });
    expect(workingAndIdle('envoy', new Map())).toEqual({ working: 'envoy-2', idle: 'envoy-1' });
  });

  it('a cold sidecar is one pod container, a hot one two', () => {
    expect(podContainerNames({ name: 'a' })).toEqual(['a']);
    expect(podContainerNames({ name: 'a', upgradeStrategy: { upgradeType: 'HotUpgrade' } })).toEqual(['a-1', 'a-2']);
  });
});

describe('injection of HotUpgrade sidecars', () => {
  it("starts from the pod's map and adds every hot sidecar of every SidecarSet", () => {
    const result = inject(pod({ [WORKING_HOT_UPGRADE_CONTAINER_ANNOTATION]: '{"other":"other-2"}' }), [hot('b', 'envoy'), hot('a', 'agent')]);
    expect(result.errors).toEqual([]);
    expect(result.pod.metadata!.annotations![WORKING_HOT_UPGRADE_CONTAINER_ANNOTATION]).toBe('{"agent":"agent-1","envoy":"envoy-1","other":"other-2"}');
    expect(result.pod.spec!.containers.map((c) => `${c.name}=${c.image}`)).toEqual(['agent-1=agent:1', 'agent-2=agent:empty', 'envoy-1=envoy:1', 'envoy-2=envoy:empty', 'app=web:1']);
  });

  it('a pod that brings a container named like a twin gets the twin in its place', () => {
    const p = pod();
    p.spec!.containers.push({ name: 'envoy-2', image: 'mine:1' });
    const result = inject(p, [hot('a', 'envoy')]);
    expect(result.pod.spec!.containers.map((c) => `${c.name}=${c.image}`)).toEqual(['envoy-1=envoy:1', 'app=web:1', 'envoy-2=envoy:empty']);
  });

  it('a pod initContainer named like a twin is a clash, named', () => {
    const p = pod();
    p.spec!.initContainers = [{ name: 'envoy-1', image: 'init:1' }];
    const result = inject(p, [hot('a', 'envoy')]);
    expect(result.errors.map((e) => e.path)).toEqual(['spec.initContainers[0].name']);
  });

  it('both twins carry the resources and env the sidecar gets, then the version env', () => {
    const result = inject(pod(), [hot('a', 'envoy', { env: [{ name: 'MODE', value: 'x' }], resources: { limits: { cpu: '1' } } })]);
    for (const twin of result.pod.spec!.containers.slice(0, 2)) {
      expect(twin.resources).toEqual({ limits: { cpu: '1' } });
      expect(twin.env!.map((e) => e.name)).toEqual(['MODE', 'IS_INJECTED', 'SIDECARSET_VERSION', 'SIDECARSET_VERSION_ALT']);
    }
  });
});

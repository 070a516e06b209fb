// A SidecarSet container that injection placed as a native sidecar is still rolled out in place: the
// rollout finds it among the pod's initContainers, counts the pod and patches that initContainer's image.
import type { Pod, SidecarSet } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { injectPod } from '../inject/injectPod.js';
import { planRollout } from '../rollout/planRollout.js';
import { podUpgradePatch } from '../rollout/podUpgradePatch.js';
import { sidecarSetHashAnnotations } from '../hash/sidecarSetHash.js';

const NOW = new Date('2026-01-01T00:10:00Z');
const sidecarSet = (image: string): SidecarSet => {
  const set: SidecarSet = {
    apiVersion: 'apps.kruise.io/v1alpha1',
    kind: 'SidecarSet',
    metadata: { name: 'filebeat', generation: 1 },
    spec: { selector: { matchLabels: { app: 'web' } }, containers: [{ name: 'filebeat', image, env: [{ name: 'ECI_SIDECAR_CONTAINER', value: 'true' }] }], updateStrategy: { type: 'RollingUpdate', maxUnavailable: 1 } },
  };
  return { ...set, metadata: { ...set.metadata, annotations: sidecarSetHashAnnotations(set) } };
};

function nativePod(set: SidecarSet): Pod {
  const base: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0', namespace: 'default', labels: { app: 'web' }, resourceVersion: '5' }, spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'web:1' }] } };
  const injected = injectPod(base, [set], { namespace: 'default', namespaceLabels: {}, revisions: [], now: '2026-01-01T00:00:00Z', nodeVersions: { nodes: [{ name: 'n1', labels: {}, kubeletVersion: 'v1.33.0' }] } });
  expect(injected.pod.spec?.initContainers?.[0]).toMatchObject({ name: 'filebeat', restartPolicy: 'Always' });
  const status = (name: string, image: string) => ({ name, image, imageID: `docker.io/library/${image}@sha256:${'a'.repeat(64)}`, ready: true, restartCount: 0, started: true, state: { running: { startedAt: '2026-01-01T00:00:01Z' } } });
  return {
    ...injected.pod,
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], initContainerStatuses: [status('filebeat', 'filebeat:1')], containerStatuses: [status('app', 'web:1')] },
  };
}

describe('a native-placed sidecar under rollout', () => {
  it('is counted and upgraded in place through its initContainer', () => {
    const pod = nativePod(sidecarSet('filebeat:1'));
    const next = sidecarSet('filebeat:2');
    const plan = planRollout(next, [pod], NOW);
    expect(plan.notUpgradable).toEqual([]);
    expect(plan.next).toEqual(['default/web-0']);
    const patch = podUpgradePatch(next, pod, NOW);
    expect(patch).toContainEqual({ op: 'replace', path: '/spec/initContainers/0/image', value: 'filebeat:2' });
    expect(patch.some((op) => op.path.startsWith('/spec/containers/'))).toBe(false);
  });
});

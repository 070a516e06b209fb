// A sidecar sized by a resourcesPolicy carries resources computed from its own pod's containers, so
// they differ from pod to pod and from the SidecarSet (which has none): they never make a pod
// not upgradable. The policy itself is covered by the recorded without-image hash, as in OpenKruise.
import type { Pod, SidecarSet } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION } from '../annotations.js';
import { injectPod } from '../inject/injectPod.js';
import { notUpgradableReason } from './notUpgradableReason.js';

const sidecarSet = (image: string, expression = 'cpu*50%'): SidecarSet => ({
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name: 'mesh' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    containers: [{ name: 'proxy', image, resourcesPolicy: { targetContainersMode: 'sum', targetContainersNameRegex: '.*', resourcesExpr: { limits: { cpu: expression } } } }],
  },
});
const appPod = (cpu: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `web-${cpu}`, namespace: 'default', labels: { app: 'web' } },
  spec: { containers: [{ name: 'app', image: 'app:1', resources: { limits: { cpu }, requests: { cpu } } }] },
});
const injected = (pod: Pod, set: SidecarSet): Pod => injectPod(pod, [set], { namespace: 'default', namespaceLabels: {}, revisions: [], now: '2024-05-01T10:00:00Z' }).pod;
/** The pod with a recorded without-image hash that matches nothing (as a pod injected by another build records), so containers are compared. */
const withForeignHash = (pod: Pod): Pod => {
  const annotations = { ...pod.metadata!.annotations! };
  annotations[SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION] = annotations[SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]!.replace(/"hash":"[^"]+"/, '"hash":"recorded-elsewhere"');
  return { ...pod, metadata: { ...pod.metadata, annotations } };
};

describe('notUpgradableReason with a resourcesPolicy sidecar', () => {
  it.each(['1', '3', '250m'])('a pod whose app asks %s cpu is upgradable to a new image', (cpu) => {
    const pod = injected(appPod(cpu), sidecarSet('proxy:1'));
    expect(pod.spec!.containers.find((c) => c.name === 'proxy')!.resources?.limits?.cpu).toBeDefined();
    expect(notUpgradableReason(sidecarSet('proxy:2'), pod)).toBeUndefined();
    expect(notUpgradableReason(sidecarSet('proxy:2'), withForeignHash(pod))).toBeUndefined();
  });

  it('a changed policy changes the without-image hash; the running sidecar keeps the resources it was given', () => {
    const pod = injected(appPod('2'), sidecarSet('proxy:1'));
    expect(notUpgradableReason(sidecarSet('proxy:2', 'cpu*25%'), pod)).toBeUndefined();
  });
});

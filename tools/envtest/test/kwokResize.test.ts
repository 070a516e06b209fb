// The kwok stages that play the kubelet's part of an in-place resize (pods/resize, Kubernetes 1.33+),
// against a real API server: containers report the resources they run with from the start; a resize
// that fits is allocated (allocatedResources, PodResizeInProgress) and then in force (status
// resources, condition gone) without a restart, for app containers and native sidecars alike; one
// beyond the node's allocatable gets PodResizePending Infeasible and changes nothing else, once.
import { CoreV1Api, type V1ContainerStatus, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../src/index.js';

const NS = 'kwok-resize';
let plane: ControlPlane;
let core: CoreV1Api;

beforeAll(async () => {
  plane = await startControlPlane({ kwok: { nodes: 1 } });
  core = plane.kubeConfig.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: NS } } });
}, 180_000);
afterAll(() => plane?.stop());

async function eventually<T>(fn: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function kubectl(args: string[], input?: string): Promise<string> {
  const result = await plane.kubectl(args, input);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

const getPod = (name: string): Promise<V1Pod> => core.readNamespacedPod({ name, namespace: NS });
const status = (pod: V1Pod, name: string): V1ContainerStatus =>
  [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].find((s) => s.name === name)!;
const condition = (pod: V1Pod, type: string) => pod.status?.conditions?.find((c) => c.type === type);
const isReady = (pod: V1Pod) => condition(pod, 'Ready')?.status === 'True';

const small = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } };

async function runningPod(name: string, annotations: Record<string, string> = {}): Promise<V1Pod> {
  await kubectl(['apply', '-f', '-'], JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, annotations: { 'sidecarset.dev/kwok-resize-delay': '500ms', ...annotations } },
    spec: {
      initContainers: [{ name: 'proxy', image: 'example.com/proxy:v1', restartPolicy: 'Always', resources: small }],
      containers: [{ name: 'app', image: 'nginx:1.25', resources: small }, { name: 'logger', image: 'example.com/logger:v1', resources: small }],
    },
  }));
  return eventually(async () => {
    const pod = await getPod(name);
    expect(isReady(pod)).toBe(true);
    return pod;
  });
}

/** Patches the pods/resize subresource as the controller does (JSON patch). */
const resize = (name: string, ops: object[]) => kubectl(['patch', 'pod', name, '-n', NS, '--subresource=resize', '--type=json', '-p', JSON.stringify(ops)]);

describe('kwok resize stages', () => {
  it('containers report their resources from the start (resources and allocatedResources)', async () => {
    const pod = await runningPod('reports');
    for (const name of ['proxy', 'app', 'logger']) {
      expect(status(pod, name).resources).toEqual(small);
      expect(status(pod, name).allocatedResources).toEqual(small.requests);
    }
  }, 60_000);

  it('a resize that fits: allocated and in progress, then in force, no restart; other containers untouched', async () => {
    const before = await runningPod('fits');
    const bigger = { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } };
    await resize('fits', [{ op: 'replace', path: '/spec/containers/1/resources', value: bigger }, { op: 'replace', path: '/spec/initContainers/0/resources', value: bigger }]);
    const after = await eventually(async () => {
      const pod = await getPod('fits');
      expect(status(pod, 'logger').resources).toEqual(bigger);
      expect(status(pod, 'proxy').resources).toEqual(bigger);
      expect(condition(pod, 'PodResizeInProgress')).toBeUndefined();
      return pod;
    });
    expect(status(after, 'logger').allocatedResources).toEqual(bigger.requests);
    expect(status(after, 'proxy').allocatedResources).toEqual(bigger.requests);
    for (const name of ['proxy', 'app', 'logger']) {
      expect(status(after, name).restartCount).toBe(0);
      expect(status(after, name).containerID).toBe(status(before, name).containerID);
    }
    expect(status(after, 'app').resources).toEqual(small);
    expect(isReady(after)).toBe(true);
    expect(condition(after, 'PodResizePending')).toBeUndefined();
    // The events say what happened (the 500ms delay may be too short for a poll to see the condition).
    const events = await kubectl(['get', 'events', '-n', NS, '--field-selector', 'involvedObject.name=fits', '-o', 'jsonpath={.items[*].reason}']);
    expect(events).toContain('ResizeCompleted');
  }, 90_000);

  it('the API server itself refuses a resize beyond the node\'s allocatable (403)', async () => {
    await runningPod('forbidden');
    const refused = await plane.kubectl(['patch', 'pod', 'forbidden', '-n', NS, '--subresource=resize', '--type=json', '-p',
      JSON.stringify([{ op: 'replace', path: '/spec/containers/1/resources', value: { requests: { cpu: '100', memory: '64Mi' }, limits: { cpu: '100', memory: '128Mi' } } }])]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Forbidden');
  }, 60_000);

  it('a resize beyond what the kubelet can give: PodResizePending Infeasible for this generation, resources kept; a smaller one then goes through', async () => {
    await runningPod('infeasible', { 'sidecarset.dev/kwok-resize-max-cpu': '1' });
    await resize('infeasible', [{ op: 'replace', path: '/spec/containers/1/resources', value: { requests: { cpu: '2', memory: '64Mi' }, limits: { cpu: '2', memory: '128Mi' } } }]);
    const refused = await eventually(async () => {
      const pod = await getPod('infeasible');
      const pending = condition(pod, 'PodResizePending');
      expect(pending).toMatchObject({ status: 'True', reason: 'Infeasible' });
      expect((pending as { observedGeneration?: number }).observedGeneration).toBe(pod.metadata?.generation);
      return pod;
    });
    expect(status(refused, 'logger').resources).toEqual(small);
    expect(status(refused, 'logger').allocatedResources).toEqual(small.requests);
    expect(condition(refused, 'PodResizeInProgress')).toBeUndefined();
    // Decided once: no further writes while nothing changes.
    await new Promise((r) => setTimeout(r, 3000));
    expect((await getPod('infeasible')).metadata?.resourceVersion).toBe(refused.metadata?.resourceVersion);

    const fits = { requests: { cpu: '300m', memory: '64Mi' }, limits: { cpu: '300m', memory: '128Mi' } };
    await resize('infeasible', [{ op: 'replace', path: '/spec/containers/1/resources', value: fits }]);
    const after = await eventually(async () => {
      const pod = await getPod('infeasible');
      expect(status(pod, 'logger').resources).toEqual(fits);
      expect(condition(pod, 'PodResizePending')).toBeUndefined();
      expect(condition(pod, 'PodResizeInProgress')).toBeUndefined();
      return pod;
    });
    expect(status(after, 'logger').restartCount).toBe(0);
  }, 90_000);

  it('an image change and a resize together: the container restarts once and keeps the new resources', async () => {
    await runningPod('both');
    const bigger = { requests: { cpu: '400m', memory: '64Mi' }, limits: { cpu: '400m', memory: '128Mi' } };
    await resize('both', [{ op: 'replace', path: '/spec/containers/1/resources', value: bigger }]);
    await kubectl(['patch', 'pod', 'both', '-n', NS, '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/containers/1/image', value: 'example.com/logger:v2' }])]);
    const after = await eventually(async () => {
      const pod = await getPod('both');
      expect(status(pod, 'logger')).toMatchObject({ image: 'example.com/logger:v2', restartCount: 1, ready: true, resources: bigger, allocatedResources: bigger.requests });
      expect(condition(pod, 'PodResizeInProgress')).toBeUndefined();
      expect(isReady(pod)).toBe(true);
      return pod;
    });
    expect(status(after, 'app').restartCount).toBe(0);
  }, 90_000);
});

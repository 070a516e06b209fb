// The lifecycle stages of tools/envtest/kwok/stages.yaml on a real control plane: nodes report the
// kubelet versions they are given (old and new), a Job pod's app containers exit while an injected
// regular sidecar keeps it open, a swap of that sidecar to an exit image ends it with the image's exit
// code and the pod's phase follows, and native sidecars start before the app and stop after it.
import { BatchV1Api, CoreV1Api, type V1ContainerStatus, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlPlaneKubernetesVersion, startControlPlane, type ControlPlane } from '../src/index.js';

const NS = 'kwok-lifecycle';
const OLD = 'v1.28.15';
const INJECTED = { name: 'IS_INJECTED', value: 'true' };

let plane: ControlPlane;
let core: CoreV1Api;
let batch: BatchV1Api;

async function eventually<T>(fn: () => Promise<T>, timeoutMs = 30_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}

async function kubectl(args: string[], input?: string): Promise<string> {
  const result = await plane.kubectl(args, input);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

const status = (pod: V1Pod, name: string): V1ContainerStatus => {
  const found = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].find((s) => s.name === name);
  if (!found) throw new Error(`no status for container ${name} in pod ${pod.metadata?.name}`);
  return found;
};

function job(name: string, spec: object, annotations: Record<string, string> = {}): object {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: NS },
    spec: { backoffLimit: 0, template: { metadata: { annotations: { 'sidecarset.dev/kwok-job-duration': '1s', ...annotations } }, spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 5, ...spec } } },
  };
}

async function jobPod(name: string): Promise<V1Pod> {
  return eventually(async () => {
    const pods = (await core.listNamespacedPod({ namespace: NS, labelSelector: `batch.kubernetes.io/job-name=${name}` })).items;
    expect(pods).toHaveLength(1);
    return pods[0]!;
  });
}

beforeAll(async () => {
  plane = await startControlPlane({ kwok: { nodes: 2, nodeVersions: [OLD] }, log: (line) => console.error(`[envtest] ${line}`) });
  core = plane.kubeConfig.makeApiClient(CoreV1Api);
  batch = plane.kubeConfig.makeApiClient(BatchV1Api);
  await core.createNamespace({ body: { metadata: { name: NS } } });
  await eventually(() => core.readNamespacedServiceAccount({ name: 'default', namespace: NS }), 60_000);
}, 600_000);

afterAll(async () => {
  await plane?.stop();
});

describe('kwok lifecycle stages', () => {
  it('nodes report the kubelet versions given, in nodeInfo and a label; the rest the control plane\'s', async () => {
    const nodes = await eventually(async () => {
      const list = (await core.listNode({ labelSelector: 'sidecarset.dev/kwok-node=true' })).items;
      expect(list.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))).toHaveLength(2);
      return list;
    });
    const byName = Object.fromEntries(nodes.map((n) => [n.metadata!.name!, n]));
    expect(byName['kwok-node-0']!.status?.nodeInfo?.kubeletVersion).toBe(OLD);
    expect(byName['kwok-node-0']!.metadata?.labels?.['sidecarset.dev/kwok-kubelet-version']).toBe(OLD);
    expect(byName['kwok-node-1']!.status?.nodeInfo?.kubeletVersion).toBe(controlPlaneKubernetesVersion());
  }, 60_000);

  it('a Job pod\'s injected regular sidecar keeps running after the app exits; an exit-image swap ends it and the Job completes', async () => {
    await kubectl(['apply', '-f', '-'], JSON.stringify(job('held', {
      containers: [
        { name: 'agent', image: 'busybox', command: ['/bin/sh', '-c', 'sleep 36000'], env: [INJECTED] },
        { name: 'main', image: 'example.com/job:v1' },
      ],
    })));
    const held = await eventually(async () => {
      const p = await jobPod('held');
      expect(status(p, 'main').state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
      return p;
    });
    // Held open: a second look, a while later, still finds the pod Running with its sidecar.
    await new Promise((r) => setTimeout(r, 3000));
    const still = await core.readNamespacedPod({ name: held.metadata!.name!, namespace: NS });
    expect(still.status?.phase).toBe('Running');
    expect(status(still, 'agent').state?.running).toBeTruthy();
    expect(still.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');

    await kubectl(['patch', 'pod', '-n', NS, held.metadata!.name!, '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/containers/0/image', value: 'sidecarset/exit:1' }])]);
    const done = await eventually(async () => {
      const p = await core.readNamespacedPod({ name: held.metadata!.name!, namespace: NS });
      expect(p.status?.phase).toBe('Succeeded');
      return p;
    });
    expect(status(done, 'agent')).toMatchObject({ image: 'sidecarset/exit:1', restartCount: 1, state: { terminated: { exitCode: 0 } } });
    await eventually(async () => expect((await batch.readNamespacedJob({ name: 'held', namespace: NS })).status?.succeeded).toBe(1));
  }, 90_000);

  it('an exit image that exits 1 (sidecarset.dev/kwok-exit-image-code) fails the pod: restartPolicy Never counts every container', async () => {
    await kubectl(['apply', '-f', '-'], JSON.stringify(job('fails', {
      containers: [
        { name: 'main', image: 'example.com/job:v1' },
        { name: 'agent', image: 'busybox', env: [INJECTED] },
      ],
    }, { 'sidecarset.dev/kwok-exit-image-code': '1' })));
    const p = await eventually(async () => {
      const p = await jobPod('fails');
      expect(status(p, 'main').state?.terminated).toBeTruthy();
      return p;
    });
    await kubectl(['patch', 'pod', '-n', NS, p.metadata!.name!, '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/containers/1/image', value: 'example.com/tools/exit:2' }])]);
    const failed = await eventually(async () => {
      const got = await core.readNamespacedPod({ name: p.metadata!.name!, namespace: NS });
      expect(got.status?.phase).toBe('Failed');
      return got;
    });
    expect(status(failed, 'agent').state?.terminated?.exitCode).toBe(1);
  }, 90_000);

  it('native sidecars start before the app containers and stop after them; the Job completes', async () => {
    await kubectl(['apply', '-f', '-'], JSON.stringify(job('native', {
      initContainers: [{ name: 'agent', image: 'busybox', restartPolicy: 'Always', env: [INJECTED] }],
      containers: [{ name: 'main', image: 'example.com/job:v1' }],
    }, { 'sidecarset.dev/kwok-start-delay': '1s' })));
    await eventually(async () => expect((await batch.readNamespacedJob({ name: 'native', namespace: NS })).status?.succeeded).toBe(1));
    const p = await jobPod('native');
    expect(p.status?.phase).toBe('Succeeded');
    const agent = status(p, 'agent').state?.terminated;
    const main = status(p, 'main').state?.terminated;
    expect(agent?.exitCode).toBe(0);
    expect(Date.parse(agent!.startedAt!.toString())).toBeLessThan(Date.parse(main!.startedAt!.toString()));
    expect(Date.parse(agent!.finishedAt!.toString())).toBeGreaterThanOrEqual(Date.parse(main!.finishedAt!.toString()));
  }, 90_000);

  it('an image change that is not an exit image still restarts the container (running again)', async () => {
    await kubectl(['apply', '-f', '-'], JSON.stringify(job('restart', {
      containers: [
        { name: 'main', image: 'example.com/job:v1' },
        { name: 'agent', image: 'busybox:1', env: [INJECTED] },
      ],
    }, { 'sidecarset.dev/kwok-job-duration': '600s' })));
    const p = await eventually(async () => {
      const got = await jobPod('restart');
      expect(status(got, 'agent').state?.running).toBeTruthy();
      return got;
    });
    await kubectl(['patch', 'pod', '-n', NS, p.metadata!.name!, '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/containers/1/image', value: 'busybox:2' }])]);
    const restarted = await eventually(async () => {
      const got = await core.readNamespacedPod({ name: p.metadata!.name!, namespace: NS });
      expect(status(got, 'agent')).toMatchObject({ image: 'busybox:2', restartCount: 1, ready: true });
      return got;
    });
    expect(status(restarted, 'agent').state?.running).toBeTruthy();
  }, 90_000);
});

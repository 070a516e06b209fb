// The committed kwok stages (tools/envtest/kwok/stages.yaml) against a real control plane: nodes stay
// Ready, pods run with realistic statuses, in-place image changes restart only the changed container,
// the never-ready marker image, Job completion and pod deletion. Everything is read from the API server.
import { AppsV1Api, BatchV1Api, CoordinationV1Api, CoreV1Api, type V1ContainerStatus, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../src/index.js';

const NS = 'kwok-stages';
const IMAGE_ID = /^[a-z0-9.:-]+(\/[a-z0-9._-]+)+@sha256:[0-9a-f]{64}$/;

let plane: ControlPlane;
let core: CoreV1Api;
let apps: AppsV1Api;
let batch: BatchV1Api;
let leases: CoordinationV1Api;

/** Polls fn until it returns without throwing (and returns its value), or rethrows its last error. */
async function eventually<T>(fn: () => Promise<T>, timeoutMs = 20_000, intervalMs = 200): Promise<T> {
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

const timings: Record<string, number> = {};
function timed(name: string, fn: () => Promise<void>, timeoutMs = 60_000): void {
  it(name, async () => {
    const started = Date.now();
    try {
      await fn();
    } finally {
      timings[name] = Date.now() - started;
    }
  }, timeoutMs);
}

async function kubectl(args: string[], input?: string): Promise<string> {
  const result = await plane.kubectl(args, input);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

const apply = (manifest: object): Promise<string> => kubectl(['apply', '-f', '-'], JSON.stringify(manifest));
const getPod = (name: string): Promise<V1Pod> => core.readNamespacedPod({ name, namespace: NS });
const condition = (pod: V1Pod, type: string): string | undefined => pod.status?.conditions?.find((c) => c.type === type)?.status;
const status = (pod: V1Pod, name: string): V1ContainerStatus => {
  const found = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].find((s) => s.name === name);
  if (!found) throw new Error(`no status for container ${name} in pod ${pod.metadata?.name}`);
  return found;
};

function expectRunningReady(pod: V1Pod): void {
  expect(pod.status?.phase).toBe('Running');
  for (const type of ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready']) expect(condition(pod, type), type).toBe('True');
  expect(pod.status?.podIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  expect(pod.status?.hostIP).toMatch(/^127\.\d+\.\d+\.\d+$/);
  expect(pod.status?.startTime).toBeTruthy();
  expect(pod.status?.containerStatuses).toHaveLength(pod.spec!.containers.length);
  for (const c of pod.spec!.containers) {
    const s = status(pod, c.name);
    expect(s).toMatchObject({ image: c.image, ready: true, started: true, restartCount: 0 });
    expect(s.imageID).toMatch(IMAGE_ID);
    expect(s.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(s.state?.running?.startedAt).toBeTruthy();
  }
}

function pod(name: string, spec: object, annotations: Record<string, string> = {}): object {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, annotations }, spec: { terminationGracePeriodSeconds: 5, ...spec } };
}

beforeAll(async () => {
  plane = await startControlPlane({ kwok: { nodes: 3 }, log: (line) => console.error(`[envtest] ${line}`) });
  core = plane.kubeConfig.makeApiClient(CoreV1Api);
  apps = plane.kubeConfig.makeApiClient(AppsV1Api);
  batch = plane.kubeConfig.makeApiClient(BatchV1Api);
  leases = plane.kubeConfig.makeApiClient(CoordinationV1Api);
  await core.createNamespace({ body: { metadata: { name: NS } } });
  // Pods are rejected until kube-controller-manager created the namespace's default ServiceAccount.
  await eventually(() => core.readNamespacedServiceAccount({ name: 'default', namespace: NS }), 60_000);
}, 600_000);

afterAll(async () => {
  await plane?.stop();
  console.error(`[kwokStages] test timings (ms): ${JSON.stringify(timings)}`);
});

describe('kwok stages', () => {
  timed('nodes are Ready, untainted, with addresses, and keep heartbeating', async () => {
    const nodes = await eventually(async () => {
      const list = (await core.listNode({ labelSelector: 'sidecarset.dev/kwok-node=true' })).items;
      expect(list).toHaveLength(3);
      for (const n of list) {
        expect(n.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
        // the node lifecycle controller removes the not-ready taint once the node is Ready
        expect(n.spec?.taints ?? []).toEqual([]);
      }
      return list;
    });
    for (const n of nodes) {
      expect(n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address).toMatch(/^127\.\d+\.\d+\.\d+$/);
      expect(n.status?.allocatable).toMatchObject({ cpu: '64', pods: '500' });
    }
    const renewTime = async (): Promise<number> => {
      const lease = await leases.readNamespacedLease({ name: 'kwok-node-0', namespace: 'kube-node-lease' });
      return new Date(lease.spec!.renewTime as unknown as string).getTime();
    };
    const first = await eventually(renewTime);
    await eventually(async () => expect(await renewTime()).toBeGreaterThan(first), 25_000, 1000);
  });

  timed('a Deployment runs Ready pods with image IDs, and scaling down deletes pods', async () => {
    await apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: NS },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }, { name: 'proxy', image: 'example.com/proxy:v1' }] },
        },
      },
    });
    await eventually(async () => {
      const d = await apps.readNamespacedDeployment({ name: 'web', namespace: NS });
      expect(d.status?.readyReplicas).toBe(3);
      expect(d.status?.availableReplicas).toBe(3);
    });
    const pods = (await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=web' })).items;
    expect(pods).toHaveLength(3);
    for (const p of pods) expectRunningReady(p);
    const first = pods[0]!;
    expect(status(first, 'nginx').imageID).toMatch(/^docker\.io\/library\/nginx@sha256:/);
    expect(status(first, 'proxy').imageID).toMatch(/^example\.com\/proxy@sha256:/);
    // kwok draws pod IPs per node from one shared range (our nodes have no podCIDR), so two pods on
    // different nodes may get the same one: assert each has an address, not that they differ.
    for (const p of pods) expect(p.status?.podIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

    await kubectl(['scale', '-n', NS, 'deployment/web', '--replicas=1']);
    await eventually(async () => {
      const left = (await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=web' })).items;
      expect(left).toHaveLength(1);
    });
  });

  timed('native sidecar init containers run (started, ready), regular init containers complete', async () => {
    await apply(pod('with-sidecar', {
      initContainers: [
        { name: 'setup', image: 'busybox:1.36' },
        { name: 'sidecar', image: 'example.com/sidecar:v1', restartPolicy: 'Always' },
      ],
      containers: [{ name: 'app', image: 'nginx:1.25' }],
    }));
    const p = await eventually(async () => {
      const p = await getPod('with-sidecar');
      expect(condition(p, 'Ready')).toBe('True');
      return p;
    });
    expectRunningReady(p);
    expect(status(p, 'setup')).toMatchObject({ ready: true, started: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } });
    const sidecar = status(p, 'sidecar');
    expect(sidecar).toMatchObject({ image: 'example.com/sidecar:v1', ready: true, started: true, restartCount: 0 });
    expect(sidecar.imageID).toMatch(/^example\.com\/sidecar@sha256:[0-9a-f]{64}$/);
    expect(sidecar.state?.running?.startedAt).toBeTruthy();

    // in-place change of the native sidecar's image restarts only the sidecar
    await kubectl(['patch', 'pod', '-n', NS, 'with-sidecar', '--type=json', '-p',
      JSON.stringify([{ op: 'replace', path: '/spec/initContainers/1/image', value: 'example.com/sidecar:v2' }])]);
    const after = await eventually(async () => {
      const p = await getPod('with-sidecar');
      expect(status(p, 'sidecar')).toMatchObject({ image: 'example.com/sidecar:v2', restartCount: 1, ready: true });
      expect(condition(p, 'Ready')).toBe('True');
      return p;
    });
    expect(status(after, 'sidecar').imageID).not.toBe(sidecar.imageID);
    expect(status(after, 'setup').restartCount).toBe(0);
    expect(status(after, 'app').restartCount).toBe(0);
  });

  timed('an in-place image change restarts that container only; other spec changes are rejected', async () => {
    await apply(pod('inplace', {
      containers: [{ name: 'app', image: 'nginx:1.25', env: [{ name: 'A', value: '1' }] }, { name: 'sidecar', image: 'example.com/sidecar:v1' }],
    }, { 'sidecarset.dev/kwok-restart-delay': '2s' }));
    const before = await eventually(async () => {
      const p = await getPod('inplace');
      expectRunningReady(p);
      return p;
    });
    await kubectl(['patch', 'pod', '-n', NS, 'inplace', '--type=json', '-p',
      JSON.stringify([{ op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.26' }])]);
    // restarted, not ready yet (restart delay 2s): the pod is not Ready meanwhile
    const restarting = await eventually(async () => {
      const p = await getPod('inplace');
      expect(status(p, 'app')).toMatchObject({ image: 'nginx:1.26', restartCount: 1, ready: false, started: true });
      expect(condition(p, 'Ready')).toBe('False');
      expect(condition(p, 'ContainersReady')).toBe('False');
      return p;
    }, 10_000, 100);
    const app = status(restarting, 'app');
    expect(app.imageID).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    expect(app.imageID).not.toBe(status(before, 'app').imageID);
    expect(app.containerID).not.toBe(status(before, 'app').containerID);
    expect(app.lastState?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed', containerID: status(before, 'app').containerID });
    // ... then ready again
    const ready = await eventually(async () => {
      const p = await getPod('inplace');
      expect(status(p, 'app').ready).toBe(true);
      expect(condition(p, 'Ready')).toBe('True');
      return p;
    }, 10_000, 100);
    expect(status(ready, 'app').restartCount).toBe(1);
    expect(status(ready, 'sidecar')).toMatchObject({ restartCount: 0, ready: true, imageID: status(before, 'sidecar').imageID });

    // only images may change in place: the API server rejects anything else
    const rejected = await plane.kubectl(['patch', 'pod', '-n', NS, 'inplace', '--type=json', '-p',
      JSON.stringify([{ op: 'replace', path: '/spec/containers/0/env/0/value', value: '2' }])]);
    expect(rejected.code).not.toBe(0);
    expect(rejected.stderr).toMatch(/Forbidden: pod updates may not change fields other than/);
  });

  timed('the never-ready marker image starts but never becomes ready', async () => {
    await apply(pod('never-ready', {
      containers: [{ name: 'app', image: 'nginx:1.25' }, { name: 'sidecar', image: 'busybox:1.0-never-ready' }],
    }, { 'sidecarset.dev/kwok-restart-delay': '500ms' }));
    await eventually(async () => {
      const p = await getPod('never-ready');
      expect(p.status?.phase).toBe('Running');
      expect(status(p, 'sidecar')).toMatchObject({ started: true, ready: false });
    });
    await new Promise((r) => setTimeout(r, 1500));
    const p = await getPod('never-ready');
    expect(status(p, 'sidecar').ready).toBe(false);
    expect(status(p, 'app').ready).toBe(true);
    expect(condition(p, 'Ready')).toBe('False');
    expect(p.status?.conditions?.find((c) => c.type === 'Ready')?.message).toBe('containers with unready status: [sidecar]');

    // a normal image makes it ready (after the restart delay)
    await kubectl(['patch', 'pod', '-n', NS, 'never-ready', '--type=json', '-p',
      JSON.stringify([{ op: 'replace', path: '/spec/containers/1/image', value: 'busybox:1.0' }])]);
    await eventually(async () => {
      const p = await getPod('never-ready');
      expect(status(p, 'sidecar')).toMatchObject({ image: 'busybox:1.0', restartCount: 1, ready: true });
      expect(condition(p, 'Ready')).toBe('True');
    });
    // and back to a never-ready image: restarted, not ready
    await kubectl(['patch', 'pod', '-n', NS, 'never-ready', '--type=json', '-p',
      JSON.stringify([{ op: 'replace', path: '/spec/containers/1/image', value: 'example.com/sidecar:never-ready' }])]);
    await eventually(async () => {
      const p = await getPod('never-ready');
      expect(status(p, 'sidecar')).toMatchObject({ image: 'example.com/sidecar:never-ready', restartCount: 2, ready: false });
      expect(condition(p, 'Ready')).toBe('False');
    });
    await new Promise((r) => setTimeout(r, 1000));
    expect(status(await getPod('never-ready'), 'sidecar').ready).toBe(false);
    expect(status(await getPod('never-ready'), 'app').restartCount).toBe(0);
  });

  timed('a Job pod exits 0 after its duration and the Job completes', async () => {
    const started = Date.now();
    await apply({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'once', namespace: NS },
      spec: {
        backoffLimit: 0,
        template: {
          metadata: { annotations: { 'sidecarset.dev/kwok-job-duration': '2s' } },
          spec: {
            restartPolicy: 'Never',
            initContainers: [{ name: 'sidecar', image: 'example.com/sidecar:v1', restartPolicy: 'Always' }],
            containers: [{ name: 'main', image: 'busybox:1.36' }],
          },
        },
      },
    });
    const job = await eventually(async () => {
      const job = await batch.readNamespacedJob({ name: 'once', namespace: NS });
      expect(job.status?.succeeded).toBe(1);
      expect(job.status?.conditions?.find((c) => c.type === 'Complete')?.status).toBe('True');
      return job;
    }, 30_000);
    expect(job.status?.failed ?? 0).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    const pods = (await core.listNamespacedPod({ namespace: NS, labelSelector: 'batch.kubernetes.io/job-name=once' })).items;
    expect(pods).toHaveLength(1);
    const p = pods[0]!;
    expect(p.status?.phase).toBe('Succeeded');
    expect(status(p, 'main').state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(status(p, 'sidecar').state?.terminated?.exitCode).toBe(0);
  });
});

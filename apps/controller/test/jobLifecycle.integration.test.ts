// Issue 12 on the real control plane: sidecars that start before the app and exit after it, and Jobs
// that finish although their log agent runs forever. The real webhook (its ServiceAccount, the RBAC
// of its manifest: it watches Nodes) decides native or regular from the kwok nodes' kubelet versions
// (two nodes report v1.28.15, two the control plane's 1.36); the real controller (started with
// --exit-image) swaps regular sidecars of finished Job pods to the exit image; kwok plays the kubelet
// (tools/envtest/kwok/README.md: app containers exit, injected sidecars run until stopped, a container
// swapped to an exit image exits 0 or the code its pod's annotation names).
import type { Pod } from '@sidecarset/api';
import { KWOK_KUBELET_VERSION_LABEL, controlPlaneKubernetesVersion, registerSidecarsetWebhook, startControlPlane, startSidecarsetController, startSidecarsetWebhook, untilWebhookInjects, type ControlPlane } from '@sidecarset/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply, eventually, getJson } from './rolloutHarness.js';

const OLD = 'v1.28.15';
const NEW = controlPlaneKubernetesVersion();
const EXIT_IMAGE = 'sidecarset/exit:1';
const NS = 'jobs';

let plane: ControlPlane;

const kubectl = async (args: string[], input?: string): Promise<{ stdout: string; stderr: string }> => {
  const result = await plane.kubectl(args, input);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
  return result;
};

/** Seed 000's filebeat, as a log agent asking to start first and exit last, and to stop with a Job. */
function agentSidecarSet(name: string, selector: Record<string, string>, env: { name: string; value: string }[]): object {
  return {
    apiVersion: 'apps.kruise.io/v1alpha1',
    kind: 'SidecarSet',
    metadata: { name },
    spec: {
      selector: { matchLabels: selector },
      updateStrategy: { type: 'NotUpdate' },
      containers: [{ name: 'filebeat', image: 'busybox', imagePullPolicy: 'IfNotPresent', args: ['/bin/sh', '-c', 'cat /etc/filebeat.yml && sleep 36000'], env }],
    },
  };
}
const ECI = { name: 'ECI_SIDECAR_CONTAINER', value: 'true' };
const TERMINATE = { name: 'KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT', value: 'true' };
const IGNORE = { name: 'KRUISE_TERMINATE_SIDECAR_IGNORE_EXIT_CODE', value: 'true' };

interface PodTemplateOptions {
  labels: Record<string, string>;
  kubelet: string;
  annotations?: Record<string, string>;
}
const podTemplate = ({ labels, kubelet, annotations = {} }: PodTemplateOptions) => ({
  metadata: { labels, annotations: { 'sidecarset.dev/kwok-job-duration': '1s', ...annotations } },
  spec: {
    restartPolicy: 'Never',
    automountServiceAccountToken: false,
    nodeSelector: { [KWOK_KUBELET_VERSION_LABEL]: kubelet },
    containers: [{ name: 'main', image: 'registry.example/batch:1', args: ['run-once'] }],
  },
});
const job = (name: string, template: object, completions = 3, parallelism = 2, backoffLimit = 0) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: NS },
  spec: { completions, parallelism, backoffLimit, template },
});

interface Job {
  status?: { succeeded?: number; failed?: number; conditions?: { type: string; status: string }[] };
}
const jobDone = (j: Job) => (j.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
const jobPods = async (name: string) => (await getJson<{ items: Pod[] }>(plane, 'pods', '-n', NS, '-l', `batch.kubernetes.io/job-name=${name}`)).items;
const containerStatus = (pod: Pod, name: string) => [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].find((s) => s.name === name);

beforeAll(async () => {
  // kwok-node-0 and -1 are old (no native sidecars), -2 and -3 new.
  plane = await startControlPlane({ kwok: { nodes: 4, nodeVersions: [OLD, OLD] } });
  const webhook = await startSidecarsetWebhook(plane);
  await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
  await startSidecarsetController(plane, { extraArgs: [`--exit-image=${EXIT_IMAGE}`] });
  await kubectl(['create', 'namespace', NS]);
  await eventually(() => plane.kubectl(['get', 'serviceaccount', 'default', '-n', NS]), (r) => r.code === 0, 60_000, 'the default ServiceAccount');
  await apply(plane, agentSidecarSet('log-agent', { sidecar: 'log-agent' }, [ECI, TERMINATE]));
  await apply(plane, agentSidecarSet('log-agent-ignore', { sidecar: 'log-agent-ignore' }, [TERMINATE, IGNORE]));
  await apply(plane, agentSidecarSet('log-agent-strict', { sidecar: 'log-agent-strict' }, [TERMINATE]));
  // The webhook's caches must hold the SidecarSets (and the nodes) before any pod is created.
  await untilWebhookInjects(plane.kubectl, { namespace: NS, labels: { sidecar: 'log-agent' }, container: 'filebeat', spec: { nodeName: 'kwok-node-2' } });
  // The CronJob runs every minute from now on; its runs are checked last.
  await apply(plane, {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly', namespace: NS },
    spec: { schedule: '* * * * *', successfulJobsHistoryLimit: 5, jobTemplate: { spec: { backoffLimit: 0, template: podTemplate({ labels: { sidecar: 'log-agent' }, kubelet: OLD }) } } },
  });
}, 300_000);
afterAll(() => plane?.stop());

describe('sidecar lifecycle (issue 12)', () => {
  it('a Job (completions 3, parallelism 2) with an ECI_SIDECAR_CONTAINER log agent completes on new nodes: native sidecars', async () => {
    await apply(plane, job('native', podTemplate({ labels: { sidecar: 'log-agent' }, kubelet: NEW })));
    const done = await eventually(() => getJson<Job>(plane, 'job', 'native', '-n', NS), jobDone, 120_000, 'job native to finish');
    expect(done.status?.succeeded).toBe(3);
    expect(done.status?.failed ?? 0).toBe(0);
    const pods = await jobPods('native');
    expect(pods.filter((p) => p.status?.phase === 'Succeeded')).toHaveLength(3);
    for (const pod of pods) {
      expect(pod.spec?.initContainers?.map((c) => [c.name, c.restartPolicy])).toEqual([['filebeat', 'Always']]);
      expect(pod.spec?.containers.map((c) => c.name)).toEqual(['main']);
      expect(containerStatus(pod, 'filebeat')?.state?.terminated?.exitCode).toBe(0);
      expect(containerStatus(pod, 'filebeat')?.restartCount).toBe(0); // stopped by the kubelet, not swapped
    }
  }, 150_000);

  it('the same Job on old nodes completes through the exit-image swap (KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT)', async () => {
    await apply(plane, job('swapped', podTemplate({ labels: { sidecar: 'log-agent' }, kubelet: OLD })));
    const done = await eventually(() => getJson<Job>(plane, 'job', 'swapped', '-n', NS), jobDone, 120_000, 'job swapped to finish');
    expect(done.status?.succeeded).toBe(3);
    const pods = await jobPods('swapped');
    for (const pod of pods.filter((p) => p.status?.phase === 'Succeeded')) {
      expect(pod.spec?.initContainers ?? []).toEqual([]);
      expect(pod.spec?.containers.map((c) => [c.name, c.image])).toEqual([['filebeat', EXIT_IMAGE], ['main', 'registry.example/batch:1']]);
      expect(containerStatus(pod, 'filebeat')).toMatchObject({ image: EXIT_IMAGE, restartCount: 1, state: { terminated: { exitCode: 0 } } });
    }
    const events = await getJson<{ items: { reason?: string; involvedObject?: { name?: string } }[] }>(plane, 'events', '-n', NS, '--field-selector', 'reason=SidecarExitImage');
    expect(new Set(events.items.map((e) => e.involvedObject?.name))).toEqual(new Set(pods.map((p) => p.metadata?.name)));
  }, 150_000);

  it('KRUISE_TERMINATE_SIDECAR_IGNORE_EXIT_CODE: the phase follows the app (Succeeded) though the swapped sidecar exits 1; without it the pod fails', async () => {
    const failingExit = { 'sidecarset.dev/kwok-exit-image-code': '1' };
    await apply(plane, job('ignored', podTemplate({ labels: { sidecar: 'log-agent-ignore' }, kubelet: OLD, annotations: failingExit }), 1, 1));
    await apply(plane, job('strict', podTemplate({ labels: { sidecar: 'log-agent-strict' }, kubelet: OLD, annotations: failingExit }), 1, 1));
    const ignored = await eventually(() => getJson<Job>(plane, 'job', 'ignored', '-n', NS), jobDone, 120_000, 'job ignored to finish');
    const strict = await eventually(() => getJson<Job>(plane, 'job', 'strict', '-n', NS), jobDone, 120_000, 'job strict to finish');
    expect(ignored.status?.succeeded).toBe(1);
    const [pod] = await jobPods('ignored');
    expect(pod?.status?.phase).toBe('Succeeded');
    expect(pod?.status?.conditions?.find((c) => c.type === 'SidecarTerminated')?.status).toBe('True');
    expect(strict.status?.failed).toBe(1);
    const [strictPod] = await jobPods('strict');
    expect(strictPod?.status?.phase).toBe('Failed');
    expect(containerStatus(strictPod!, 'filebeat')?.state?.terminated?.exitCode).toBe(1);
  }, 150_000);

  it("a Deployment's pods get the native sidecar ahead of the app, started first", async () => {
    await apply(plane, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'echo-server', namespace: NS },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'echo-server' } },
        template: {
          metadata: { labels: { app: 'echo-server', sidecar: 'log-agent' }, annotations: { 'sidecarset.dev/kwok-start-delay': '1s' } },
          spec: { nodeSelector: { [KWOK_KUBELET_VERSION_LABEL]: NEW }, containers: [{ name: 'echo-server', image: 'hashicorp/http-echo', args: ['-listen=:8080'] }] },
        },
      },
    });
    const pods = await eventually(
      async () => (await getJson<{ items: Pod[] }>(plane, 'pods', '-n', NS, '-l', 'app=echo-server')).items,
      (items) => items.length === 2 && items.every((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')),
      90_000,
      'two Ready echo-server pods',
    );
    for (const pod of pods) {
      expect(pod.spec?.initContainers?.map((c) => [c.name, c.restartPolicy])).toEqual([['filebeat', 'Always']]);
      expect(pod.spec?.containers.map((c) => c.name)).toEqual(['echo-server']);
      const sidecarStarted = Date.parse(String(containerStatus(pod, 'filebeat')?.state?.running?.startedAt));
      const appStarted = Date.parse(String(containerStatus(pod, 'echo-server')?.state?.running?.startedAt));
      expect(sidecarStarted).toBeLessThan(appStarted);
    }
  }, 120_000);

  it('a pod pinned to an old node gets a regular container, and its creator the warning', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pinned-old', namespace: NS, labels: { sidecar: 'log-agent' } }, spec: { nodeName: 'kwok-node-0', containers: [{ name: 'main', image: 'registry.example/app:1' }] } };
    const created = await kubectl(['create', '-f', '-'], JSON.stringify(pod));
    expect(created.stderr).toMatch(/Warning: SidecarSet "log-agent": "filebeat" injected as a regular container, not a native sidecar.*"kwok-node-0" \(kubelet v1\.28\.15\).*not guaranteed/);
    const stored = await getJson<Pod>(plane, 'pod', 'pinned-old', '-n', NS);
    expect(stored.spec?.containers.map((c) => c.name)).toEqual(['filebeat', 'main']);
    expect(stored.spec?.initContainers ?? []).toEqual([]);
    // Pinned to a new node: native, no warning.
    const onNew = { ...pod, metadata: { ...pod.metadata, name: 'pinned-new' }, spec: { ...pod.spec, nodeName: 'kwok-node-3' } };
    const createdNew = await kubectl(['create', '-f', '-'], JSON.stringify(onNew));
    expect(createdNew.stderr).not.toContain('Warning');
    expect((await getJson<Pod>(plane, 'pod', 'pinned-new', '-n', NS)).spec?.initContainers?.map((c) => c.name)).toEqual(['filebeat']);
  }, 60_000);

  it("the CronJob's runs complete (exit-image path, old nodes)", async () => {
    interface CronJob {
      status?: { lastSuccessfulTime?: string; active?: unknown[] };
    }
    await eventually(() => getJson<CronJob>(plane, 'cronjob', 'nightly', '-n', NS), (c) => c.status?.lastSuccessfulTime !== undefined, 150_000, 'a successful CronJob run');
    const jobs = (await getJson<{ items: (Job & { metadata?: { ownerReferences?: { kind: string }[] } })[] }>(plane, 'jobs', '-n', NS)).items.filter((j) => j.metadata?.ownerReferences?.some((o) => o.kind === 'CronJob'));
    const finished = jobs.filter(jobDone);
    expect(finished.length).toBeGreaterThanOrEqual(1);
    expect(finished.every((j) => j.status?.succeeded === 1)).toBe(true);
  }, 180_000);
});

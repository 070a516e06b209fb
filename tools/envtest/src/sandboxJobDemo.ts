// What `npm start` shows for issue 12: seed 000's filebeat log agent (ECI_SIDECAR_CONTAINER=true:
// start before the app, exit after it) on a Job. The sandbox's nodes report the control plane's
// kubelet version (1.29+), so the webhook injects it as a native sidecar; the app containers exit, the
// kubelet (kwok) stops filebeat after them, and the Job completes although filebeat's command is
// `sleep 36000`. Seed 000's two volumes (a kube-system ConfigMap, the stdlog CSI volume) are left out:
// they have demos and tests of their own.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { kubectlOk, until, type Kubectl } from './sandboxDemo.js';
import { untilWebhookInjects } from './webhookInjects.js';

const SEED_000 = join(import.meta.dirname, '../../../packages/api/test/fixtures/seeds/000-filebeat-sidecarset-3.yaml');
const NAME = 'demo-job-filebeat';

interface SeedSidecarSet {
  spec: { containers: { name: string; volumeMounts?: unknown[] }[] };
}

function sidecarSet(): object {
  const seed = parse(readFileSync(SEED_000, 'utf8')) as SeedSidecarSet;
  const containers = seed.spec.containers.map(({ volumeMounts: _volumeMounts, ...container }) => container);
  return {
    apiVersion: 'apps.kruise.io/v1alpha1',
    kind: 'SidecarSet',
    metadata: { name: NAME },
    // Disjoint from seed 000's own SidecarSet (its virtual-node pods), which also names a container filebeat.
    spec: {
      selector: { matchLabels: { app: 'job-demo' }, matchExpressions: [{ key: 'serverless.alibabacloud.com/virtual-node', operator: 'DoesNotExist' }] },
      updateStrategy: { type: 'NotUpdate' },
      containers,
    },
  };
}

const JOB = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'job-demo', namespace: 'default' },
  spec: {
    completions: 2,
    parallelism: 2,
    template: {
      metadata: { labels: { app: 'job-demo' }, annotations: { 'sidecarset.dev/kwok-job-duration': '2s' } },
      spec: { restartPolicy: 'Never', containers: [{ name: 'batch', image: 'busybox', command: ['sh', '-c', 'echo work done'] }] },
    },
  },
};

export async function runJobDemo(kubectl: Kubectl, say: (line: string) => void): Promise<void> {
  say('demo (seed 000, Jobs): a SidecarSet with seed 000\'s filebeat (ECI_SIDECAR_CONTAINER=true, command "cat /etc/filebeat.yml && sleep 36000")');
  await kubectlOk(kubectl, ['apply', '-f', '-'], JSON.stringify(sidecarSet()));
  await untilWebhookInjects(kubectl, { namespace: 'default', labels: { app: 'job-demo' }, container: 'filebeat' });
  say('demo: creating Job job-demo (completions 2, parallelism 2), its pods selected by the SidecarSet');
  await kubectlOk(kubectl, ['apply', '-f', '-'], JSON.stringify(JOB));
  const pods = ['get', 'pods', '-n', 'default', '-l', 'batch.kubernetes.io/job-name=job-demo', '-o'];
  const placed = await until(kubectl, [...pods, 'jsonpath={range .items[*]}{.spec.initContainers[*].name}:{.spec.initContainers[*].restartPolicy} {end}'], (out) => out.split(' ').filter(Boolean).length >= 1, 'the Job\'s pods');
  say(`demo: the Job's pods carry filebeat as a native sidecar (initContainers name:restartPolicy): ${placed}`);
  const done = await until(kubectl, ['get', 'job', 'job-demo', '-n', 'default', '-o', 'jsonpath={.status.succeeded}'], (out) => out === '2', 'job-demo to complete', 120_000);
  const states = await kubectlOk(kubectl, [...pods, 'jsonpath={range .items[*]}{.metadata.name} {.status.phase}, filebeat exit {.status.initContainerStatuses[0].state.terminated.exitCode}; {end}']);
  say(`demo: job-demo complete (${done}/2 succeeded): ${states.trim()} (filebeat stopped by the kubelet after the app)`);
}

// What `npm start` shows of seed 000 (issue 10), with the seed's YAML unchanged: the filebeat
// ConfigMap in kube-system, the SidecarSet mounting it as `kube-system/filebeat-config` (applied before
// its binding: the admission warning says which binding it lacks) and the stdlog volume, the
// SidecarSetResourceBinding that allows it, then the echo-server Deployment in default. Its pod mounts
// the mirror the controller made in default (same data) instead of the unmountable cross-namespace
// name, and its filebeat sidecar gets the pod log directory in place of the Alibaba Cloud CSI driver.
//
// One stand-in for the platform: on ACK a pod labelled `alibabacloud.com/eci: "true"` runs on a
// virtual node and carries `serverless.alibabacloud.com/virtual-node: "true"`, the label the seed's
// SidecarSet selects. The sandbox has no virtual nodes, so a MutatingAdmissionPolicy adds that label
// to such pods (admission policies run before webhooks, so ours sees it).
import { join } from 'node:path';
import type { ControlPlane } from './controlPlane.js';
import { untilWebhookInjects } from './webhookInjects.js';

const SEEDS = join(import.meta.dirname, '../../../packages/api/test/fixtures/seeds');
const DEMO = join(import.meta.dirname, '../demo/seed000');
export const SEED_000_FILES = {
  configMap: join(DEMO, 'filebeat-config.yaml'),
  sidecarSet: join(SEEDS, '000-filebeat-sidecarset-3.yaml'),
  binding: join(SEEDS, '000-filebeat-sidecarset-resourcebinding-2.yaml'),
  deployment: join(DEMO, 'echo-server.yaml'),
};
export const SEED_000_MIRROR = 'mirror.kube-system.filebeat-config';

const VIRTUAL_NODE_STAND_IN = [
  {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingAdmissionPolicy',
    metadata: { name: 'sandbox-virtual-node-label' },
    spec: {
      matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }] },
      matchConditions: [{ name: 'eci-pod', expression: "has(object.metadata.labels) && object.metadata.labels[?'alibabacloud.com/eci'].orValue('') == 'true'" }],
      failurePolicy: 'Fail',
      reinvocationPolicy: 'IfNeeded',
      mutations: [
        {
          patchType: 'JSONPatch',
          jsonPatch: { expression: "[JSONPatch{op: 'add', path: '/metadata/labels/serverless.alibabacloud.com~1virtual-node', value: 'true'}]" },
        },
      ],
    },
  },
  {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingAdmissionPolicyBinding',
    metadata: { name: 'sandbox-virtual-node-label' },
    spec: { policyName: 'sandbox-virtual-node-label' },
  },
];

type Kubectl = ControlPlane['kubectl'];

async function kubectlOk(kubectl: Kubectl, args: string[], input?: string): Promise<{ stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await kubectl(args, input);
  if (code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${stderr.trim()}`);
  return { stdout: stdout.trim(), stderr: stderr.trim() };
}

async function until(kubectl: Kubectl, args: string[], check: (out: string) => boolean, what: string, timeoutMs = 90_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { stdout } = await kubectl(args);
    if (check(stdout.trim())) return stdout.trim();
    if (Date.now() > deadline) throw new Error(`sandbox demo (seed 000): timed out waiting for ${what} (last: ${stdout.trim()})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function runSeed000Demo(kubectl: Kubectl, say: (line: string) => void): Promise<void> {
  await kubectlOk(kubectl, ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: VIRTUAL_NODE_STAND_IN }));
  say('demo (seed 000): a MutatingAdmissionPolicy stands in for ACK virtual nodes: pods labelled alibabacloud.com/eci=true get serverless.alibabacloud.com/virtual-node=true');
  say('demo (seed 000): kubectl apply -f filebeat-config.yaml (ConfigMap kube-system/filebeat-config)');
  await kubectlOk(kubectl, ['apply', '-f', SEED_000_FILES.configMap]);
  say('demo: kubectl apply -f sidecarset.yaml (volume config: configMap kube-system/filebeat-config; volume stdlog: csi stdlogplugin.csi.alibabacloud.com)');
  const applied = await kubectlOk(kubectl, ['apply', '-f', SEED_000_FILES.sidecarSet]);
  for (const line of applied.stderr.split('\n').filter((l) => l.startsWith('Warning:'))) say(`demo:   ${line}`);
  say('demo: kubectl apply -f sidecarset-resourcebinding.yaml (kube-system grants filebeat-sidecarset ConfigMap filebeat-config)');
  await kubectlOk(kubectl, ['apply', '-f', SEED_000_FILES.binding]);
  // The Deployment's pods carry alibabacloud.com/eci=true; the policy above adds the label the SidecarSet selects.
  await untilWebhookInjects(kubectl, { namespace: 'default', labels: { app: 'echo-server', 'alibabacloud.com/eci': 'true' }, container: 'filebeat' });
  say('demo: kubectl apply -f echo-server.yaml (Deployment in default)');
  await kubectlOk(kubectl, ['apply', '-f', SEED_000_FILES.deployment]);

  // The ReplicaSet controller retries a pod the webhook denied while its binding cache was behind.
  const pods = ['get', 'pods', '-n', 'default', '-l', 'app=echo-server', '-o'];
  // filebeat sets ECI_SIDECAR_CONTAINER=true: a native sidecar (an init container that keeps running) on kubelets 1.29+.
  const readiness = 'jsonpath={range .items[*]}{.metadata.name} {.status.initContainerStatuses[*].ready} {.status.containerStatuses[*].ready}{"\\n"}{end}';
  const ready = await until(kubectl, [...pods, readiness], (out) => /^\S+ true true$/m.test(out), 'echo-server 2/2 ready');
  const podName = ready.split('\n').find((l) => l.endsWith(' true true'))!.split(' ')[0]!;
  const pod = JSON.parse((await kubectlOk(kubectl, ['get', 'pod', podName, '-n', 'default', '-o', 'json'])).stdout) as {
    spec: { initContainers?: { name: string }[]; containers: { name: string }[]; volumes?: { name: string; configMap?: { name: string }; hostPath?: { path: string } }[] };
  };
  const names = (list: { name: string }[] | undefined) => (list ?? []).map((c) => c.name).join(', ');
  say(`demo: ${podName} is Running (2/2 ready) with native sidecar [${names(pod.spec.initContainers)}] and containers [${names(pod.spec.containers)}]: filebeat was injected`);
  const volume = (name: string) => pod.spec.volumes?.find((v) => v.name === name);
  say(`demo: its volume config mounts ConfigMap "${volume('config')?.configMap?.name}" (the mirror in default; a kubelet cannot mount kube-system/filebeat-config)`);
  say(`demo: its volume stdlog is hostPath ${volume('stdlog')?.hostPath?.path} (no stdlog CSI driver here), narrowed to this pod's logs: filebeat reads /var/log/std/echo-server/0.log`);
  const [source, mirror] = await Promise.all(
    [['-n', 'kube-system', 'filebeat-config'], ['-n', 'default', SEED_000_MIRROR]].map(async (args) => (await kubectlOk(kubectl, ['get', 'configmap', ...args, '-o', 'jsonpath={.data.filebeat\\.yml}'])).stdout),
  );
  say(`demo: kubectl get configmap ${SEED_000_MIRROR} -n default: ${mirror === source ? 'the same filebeat.yml as kube-system/filebeat-config' : 'DIFFERS from its source'} (${mirror!.length} bytes)`);
  const columns = await until(
    kubectl,
    ['get', 'sidecarsetresourcebinding', 'filebeat-sidecarset-resourcebinding', '-n', 'kube-system', '--no-headers'],
    (out) => /\bTrue\b/.test(out),
    'the binding Ready',
  );
  say(`demo: kubectl get sidecarsetresourcebinding -n kube-system (NAME MIRRORS READY AGE): ${columns.replace(/\s+/g, ' ')}`);
}

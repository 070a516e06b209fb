// Seed 000's stdlog volume through the real API server: the webhook (its binary, as its manifest's
// ServiceAccount) rewrites `csi: {driver: stdlogplugin.csi.alibabacloud.com}` to the kubelet's pod log
// directory where no such CSIDriver exists, keeps it where one does (seen through its CSIDriver watch),
// and denies pods in a namespace whose Pod Security level forbids hostPath volumes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod } from '@sidecarset/api';
import { registerSidecarsetWebhook, startControlPlane, startSidecarsetWebhook, type ControlPlane, type SidecarsetWebhook } from '@sidecarset/envtest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const SEEDS = join(import.meta.dirname, '../../../packages/api/test/fixtures/seeds');
const DRIVER = 'stdlogplugin.csi.alibabacloud.com';
const CSI_DRIVER = JSON.stringify({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'CSIDriver',
  metadata: { name: DRIVER },
  spec: { attachRequired: false, podInfoOnMount: true, volumeLifecycleModes: ['Ephemeral'] },
});

let plane: ControlPlane;
let webhook: SidecarsetWebhook;

async function kubectlOk(args: string[], input?: string): Promise<string> {
  const { code, stdout, stderr } = await plane.kubectl(args, input);
  if (code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${stderr}`);
  return stdout;
}
const getPod = async (namespace: string): Promise<Pod> => JSON.parse(await kubectlOk(['get', 'pod', 'echo-server', '-n', namespace, '-o', 'json'])) as Pod;
/** The pod the webhook would make now (the fixture under another name), without storing it. */
async function dryRunPod(namespace: string): Promise<Pod> {
  const probe = parse(readFileSync(join(FIXTURES, 'echo-server-pod.yaml'), 'utf8')) as Pod;
  probe.metadata!.name = 'echo-server-probe';
  return JSON.parse(await kubectlOk(['create', '--dry-run=server', '-n', namespace, '-f', '-', '-o', 'json'], JSON.stringify(probe))) as Pod;
}

beforeAll(async () => {
  plane = await startControlPlane({ kwok: { nodes: 1 } });
  webhook = await startSidecarsetWebhook(plane);
  await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
  // Seed 000's stdlog example: filebeat reads /var/log/std/filebeat/0.log.
  await kubectlOk(['apply', '-f', join(SEEDS, '000-filebeat-sidecarset-2.yaml')]);
  await kubectlOk(['create', 'namespace', 'logs-baseline']);
  await kubectlOk(['label', 'namespace', 'logs-baseline', 'pod-security.kubernetes.io/enforce=baseline']);
  await kubectlOk(['create', 'namespace', 'logs-privileged']);
  await kubectlOk(['label', 'namespace', 'logs-privileged', 'pod-security.kubernetes.io/enforce=privileged']);
}, 180_000);
afterAll(async () => {
  await webhook?.stop();
  await plane?.stop();
});
afterEach(async () => {
  await plane.kubectl(['delete', 'csidriver', DRIVER, '--ignore-not-found', '--wait=true']);
  for (const namespace of ['default', 'logs-privileged']) {
    await plane.kubectl(['delete', 'pod', 'echo-server', '-n', namespace, '--ignore-not-found', '--grace-period=0', '--force', '--wait=false']);
  }
});

const POD_ENV = [
  { name: 'SIDECARSET_POD_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
  { name: 'SIDECARSET_POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
  { name: 'SIDECARSET_POD_UID', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.uid' } } },
];

describe("seed 000's stdlog volume on a cluster without its CSI driver", () => {
  for (const namespace of ['default', 'logs-privileged']) {
    it(`namespace ${namespace}: the stored pod mounts the kubelet's pod log directory, narrowed to itself, read-only`, async () => {
      await kubectlOk(['apply', '-n', namespace, '-f', join(FIXTURES, 'echo-server-pod.yaml')]);
      const pod = await getPod(namespace);
      expect(pod.spec!.containers.map((c) => c.name)).toEqual(['filebeat', 'echo-server']);
      expect(pod.spec!.volumes).toContainEqual({ name: 'stdlog', hostPath: { path: '/var/log/pods', type: 'Directory' } });
      expect(pod.spec!.volumes!.some((v) => v.csi)).toBe(false);
      const filebeat = pod.spec!.containers[0]!;
      expect(filebeat.volumeMounts).toContainEqual({
        name: 'stdlog',
        mountPath: '/var/log/std',
        readOnly: true,
        subPathExpr: '$(SIDECARSET_POD_NAMESPACE)_$(SIDECARSET_POD_NAME)_$(SIDECARSET_POD_UID)',
      });
      expect(filebeat.env).toEqual([...POD_ENV, { name: 'IS_INJECTED', value: 'true' }]);
      // What the kubelet expands the subPathExpr to: its pod log directory's name for this pod.
      expect(`${pod.metadata!.namespace}_${pod.metadata!.name}_${pod.metadata!.uid}`).toMatch(new RegExp(`^${namespace}_echo-server_[0-9a-f-]{36}$`));
    });
  }

  it('a namespace enforcing Pod Security "baseline": denied, naming the SidecarSet, the volume and the level', async () => {
    const { code, stderr } = await plane.kubectl(['apply', '-n', 'logs-baseline', '-f', join(FIXTURES, 'echo-server-pod.yaml')]);
    expect(code).not.toBe(0);
    expect(stderr).toContain('admission webhook "mutate-pods.sidecarset.dev" denied the request');
    expect(stderr).toContain('SidecarSet "filebeat-sidecarset"');
    expect(stderr).toContain('volume "stdlog"');
    expect(stderr).toContain('namespace "logs-baseline" enforces Pod Security level "baseline"');
    const listed = JSON.parse(await kubectlOk(['get', 'pods', '-n', 'logs-baseline', '-o', 'json'])) as { items: Pod[] };
    expect(listed.items).toEqual([]);
  });
});

describe('with a CSIDriver stdlogplugin.csi.alibabacloud.com in the cluster', () => {
  it('the csi volume is kept as written, and rewritten again once the CSIDriver is deleted', async () => {
    await kubectlOk(['apply', '-f', '-'], CSI_DRIVER);
    // The webhook learns of the driver through its watch: the pod it would make keeps the volume.
    await expect.poll(async () => (await dryRunPod('default')).spec!.volumes, { timeout: 20_000, interval: 200 }).toContainEqual({ name: 'stdlog', csi: { driver: DRIVER } });

    await kubectlOk(['apply', '-n', 'default', '-f', join(FIXTURES, 'echo-server-pod.yaml')]);
    const pod = await getPod('default');
    expect(pod.spec!.volumes).toContainEqual({ name: 'stdlog', csi: { driver: DRIVER } });
    const filebeat = pod.spec!.containers.find((c) => c.name === 'filebeat')!;
    expect(filebeat.volumeMounts).toContainEqual({ name: 'stdlog', mountPath: '/var/log/std', readOnly: true });
    expect(filebeat.env).toEqual([{ name: 'IS_INJECTED', value: 'true' }]);

    // Where the driver is installed, hostPath is not needed, so Pod Security does not decide.
    const baseline = await dryRunPod('logs-baseline');
    expect(baseline.spec!.volumes).toContainEqual({ name: 'stdlog', csi: { driver: DRIVER } });

    await kubectlOk(['delete', 'csidriver', DRIVER, '--wait=true']);
    await expect
      .poll(async () => (await dryRunPod('default')).spec!.volumes, { timeout: 20_000, interval: 200 })
      .toContainEqual({ name: 'stdlog', hostPath: { path: '/var/log/pods', type: 'Directory' } });
  });
});

// `kubectl-sidecarset inject` with seed 000's stdlog SidecarSet: the rewrite the webhook makes on a
// cluster without the stdlog CSI driver (the default offline), none with --csi-driver naming it, and
// the denial of a namespace whose Pod Security level forbids hostPath (from --namespace-labels).
import { join } from 'node:path';
import type { Pod } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from './runCli.js';

const SEED_000 = join(import.meta.dirname, '../../../packages/api/test/fixtures/seeds/000-filebeat-sidecarset-2.yaml');
const DRIVER = 'stdlogplugin.csi.alibabacloud.com';
const ECHO_SERVER = JSON.stringify({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'echo-server', labels: { app: 'echo-server', 'serverless.alibabacloud.com/virtual-node': 'true' } },
  spec: { containers: [{ name: 'echo-server', image: 'hashicorp/http-echo' }] },
});

const inject = (...args: string[]) => runCli(['inject', '-f', '-', '--sidecarsets', SEED_000, '--now', '2025-01-02T03:04:05Z', ...args], { stdin: ECHO_SERVER });
async function injected(...args: string[]): Promise<Pod> {
  const run = await inject(...args);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return parse(run.stdout) as Pod;
}

describe('inject: seed 000 stdlog volume', () => {
  it('by default (no CSIDriver assumed): the hostPath of the pod log directory, filebeat narrowed to the pod', async () => {
    const pod = await injected();
    expect(pod.spec!.volumes).toEqual([{ name: 'stdlog', hostPath: { path: '/var/log/pods', type: 'Directory' } }]);
    const filebeat = pod.spec!.containers.find((c) => c.name === 'filebeat')!;
    expect(filebeat.volumeMounts).toEqual([
      { name: 'stdlog', mountPath: '/var/log/std', readOnly: true, subPathExpr: '$(SIDECARSET_POD_NAMESPACE)_$(SIDECARSET_POD_NAME)_$(SIDECARSET_POD_UID)' },
    ]);
    expect(filebeat.env!.map((e) => e.name)).toEqual(['SIDECARSET_POD_NAMESPACE', 'SIDECARSET_POD_NAME', 'SIDECARSET_POD_UID', 'IS_INJECTED']);
  });

  it('--csi-driver naming the driver (among others): the csi volume as written', async () => {
    const pod = await injected('--csi-driver', 'other.csi.example.com', '--csi-driver', DRIVER);
    expect(pod.spec!.volumes).toEqual([{ name: 'stdlog', csi: { driver: DRIVER } }]);
  });

  it('-n shop labelled enforce=baseline: exit 1, the reason on stderr', async () => {
    const run = await inject('-n', 'shop', '--namespace-labels', 'pod-security.kubernetes.io/enforce=baseline');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('spec.volumes[0]: volume "stdlog" of SidecarSet "filebeat-sidecarset"');
    expect(run.stderr).toContain('namespace "shop" enforces Pod Security level "baseline"');
  });
});

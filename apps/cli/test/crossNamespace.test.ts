// `kubectl-sidecarset inject` with seed 000's cross-namespace ConfigMap, offline: the binding read
// from --sidecarsets gives the rewrites the webhook makes (the mirror's name, the mirrors annotation,
// the scheduling gate); without an authorising binding, exit 1 naming the one that is missing.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const CLI = join(import.meta.dirname, '../dist/main.js');
const DIR = join(import.meta.dirname, 'fixtures/cross-namespace');
const SEEDS = join(import.meta.dirname, '../../../packages/api/test/fixtures/seeds');
const SIDECARSET = join(SEEDS, '000-filebeat-sidecarset.yaml');
const BINDING = join(SEEDS, '000-filebeat-sidecarset-resourcebinding.yaml');
const MISSING = 'no SidecarSetResourceBinding in namespace kube-system lists SidecarSet "filebeat-sidecarset" and ConfigMap "filebeat-config"';

function inject(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'inject', ...args, '--now', '2025-01-02T03:04:05Z'], { cwd: DIR });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject).on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

interface PodLike {
  metadata: { annotations?: Record<string, string> };
  spec: { volumes?: { name: string; configMap?: { name: string; defaultMode?: number } }[]; schedulingGates?: { name: string }[]; template?: PodLike };
}

describe.concurrent('inject: NAMESPACE/NAME volumes (seed 000)', () => {
  it('with the binding: the Pod and the Deployment template mount the mirror, annotated and gated', async () => {
    const run = await inject(['-f', 'echo-server.yaml', '--sidecarsets', SIDECARSET, '--sidecarsets', BINDING]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [pod, deployment] = parseAllDocuments(run.stdout).map((d) => d.toJS() as PodLike);
    for (const injected of [pod!, deployment!.spec.template!]) {
      expect(injected.spec.volumes).toEqual([{ name: 'config', configMap: { name: 'mirror.kube-system.filebeat-config', defaultMode: 420 } }]);
      expect(injected.metadata.annotations?.['sidecarset.dev/mirrors']).toBe('ConfigMap/kube-system/filebeat-config');
      expect(injected.spec.schedulingGates).toEqual([{ name: 'sidecarset.dev/mirrors' }]);
    }
  });

  it.each([
    ['without a binding', []],
    ['with a binding in another namespace', ['--sidecarsets', 'binding-in-default.yaml']],
  ])('%s: exit 1, stderr names the missing binding for each pod, nothing on stdout', async (_, extra) => {
    const run = await inject(['-f', 'echo-server.yaml', '--sidecarsets', SIDECARSET, ...extra]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('echo-server.yaml');
    for (const line of lines) expect(line).toContain(`spec.volumes[0].configMap.name: volume "config" refers to ConfigMap kube-system/filebeat-config, but ${MISSING}`);
  });

  it('an invalid binding in --sidecarsets: exit 1 naming its file and field', async () => {
    const run = await inject(['-f', 'echo-server.yaml', '--sidecarsets', SIDECARSET, '--sidecarsets', 'invalid-binding.yaml']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('invalid-binding.yaml');
    expect(run.stderr).toContain('spec.resourceRefs[0].name');
  });
});

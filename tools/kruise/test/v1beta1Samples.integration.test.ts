// `kubectl apply` of OpenKruise v1.9.0's SidecarSet samples written as apps.kruise.io/v1beta1, in the
// sandbox (`npm start`: tools/envtest's dist/sandbox.js, demos off), through its API server and our
// webhook. OpenKruise 1.9 ships its samples as v1alpha1 only (config/samples/apps_v1alpha1_sidecarset.yaml
// and the guestbook tutorial's docs/tutorial/v1/guestbook-sidecar.yaml in its module, read here from
// the Go module cache tools/kruise/build.sh filled); their v1beta1 form is the same YAML with the new
// apiVersion. The tutorial's SidecarSet is applied, read back through both versions, and injects a pod;
// the config sample (whose resourcesPolicy misspells targetContainersMode and resourcesExpr, fields of
// OpenKruise's own CRD) is refused by kubectl's strict field validation, naming those fields.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ensureBinaries, untilWebhookInjects } from '@sidecarset/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const SANDBOX = join(import.meta.dirname, '../../envtest/dist/sandbox.js');
const MODULE = join(execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim(), 'github.com/openkruise/kruise@v1.9.0');
const asV1beta1 = (file: string): Record<string, unknown>[] =>
  parseAllDocuments(readFileSync(join(MODULE, file), 'utf8'))
    .map((d) => d.toJS() as Record<string, unknown> | null)
    .filter((o): o is Record<string, unknown> => o?.kind === 'SidecarSet')
    .map((o) => ({ ...o, apiVersion: 'apps.kruise.io/v1beta1' }));

function runKubectlWith(binary: string, args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const process = execFile(binary, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }));
    if (input !== undefined) process.stdin!.end(input);
  });
}

let child: ReturnType<typeof spawn> | undefined;
let dir = '';
let kubectl: (args: string[], input?: string) => Promise<{ code: number; stdout: string; stderr: string }>;

beforeAll(async () => {
  const binDir = await ensureBinaries();
  dir = mkdtempSync(join(tmpdir(), 'sidecarset-samples-sandbox-'));
  child = spawn(process.execPath, [SANDBOX], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SIDECARSET_SANDBOX_DIR: dir, SIDECARSET_SANDBOX_DEMO: '0' } });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child!.stdout! }).once('line', resolve);
    child!.once('exit', () => reject(new Error(`sandbox exited early:\n${stderr}`)));
  });
  const kubeconfig = /^export KUBECONFIG=(\S+)$/.exec(line)?.[1];
  if (!kubeconfig) throw new Error(`unexpected first line: ${line}`);
  kubectl = (args, input) => runKubectlWith(join(binDir, 'kubectl'), ['--kubeconfig', kubeconfig, ...args], input);
}, 600_000);
afterAll(() => {
  child?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("OpenKruise v1.9.0's SidecarSet samples as v1beta1, in the sandbox", () => {
  it('the guestbook tutorial SidecarSet applies, reads back through both versions, and injects its pods', async () => {
    const [sample] = asV1beta1('docs/tutorial/v1/guestbook-sidecar.yaml');
    expect(sample).toBeDefined();
    const applied = await kubectl(['apply', '-f', '-'], JSON.stringify(sample));
    expect(applied.stderr).toBe('');
    expect(applied.stdout.trim()).toBe('sidecarset.apps.kruise.io/guestbook-sidecar created');
    for (const version of ['v1alpha1', 'v1beta1']) {
      const read = JSON.parse((await kubectl(['get', `sidecarsets.${version}.apps.kruise.io`, 'guestbook-sidecar', '-o', 'json'])).stdout) as { apiVersion: string; spec: { containers: { name: string }[] }; metadata: { annotations?: Record<string, string> } };
      expect(read.apiVersion).toBe(`apps.kruise.io/${version}`);
      expect(read.spec.containers.map((c) => c.name)).toEqual(['guestbook-sidecar']);
      expect(read.metadata.annotations?.['kruise.io/sidecarset-hash']).toMatch(/^[a-z0-9]{64}$/);
    }
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'guestbook', namespace: 'default', labels: { 'app.kubernetes.io/name': 'guestbook-with-sidecar' } }, spec: { containers: [{ name: 'guestbook', image: 'openkruise/guestbook:v1' }] } };
    // The webhook's informers take the SidecarSet a moment after it is stored.
    await untilWebhookInjects(kubectl, { namespace: 'default', labels: pod.metadata.labels, container: 'guestbook-sidecar' });
    const created = await kubectl(['create', '--dry-run=server', '-o', 'json', '-f', '-'], JSON.stringify(pod));
    expect(created.stderr).toBe('');
    const injected = JSON.parse(created.stdout) as { spec: { containers: { name: string }[] }; metadata: { annotations: Record<string, string> } };
    expect(injected.spec.containers.map((c) => c.name)).toEqual(['guestbook-sidecar', 'guestbook']);
    expect(injected.metadata.annotations['kruise.io/sidecarset-injected-list']).toBe('guestbook-sidecar');
  }, 120_000);

  it('the config sample is refused, naming its misspelt resourcesPolicy fields', async () => {
    const [sample] = asV1beta1('config/samples/apps_v1alpha1_sidecarset.yaml');
    const applied = await kubectl(['apply', '-f', '-'], JSON.stringify({ ...sample, metadata: { name: 'config-sample' } }));
    expect(applied.code).not.toBe(0);
    expect(applied.stderr).toContain('targetContainerMode');
    expect(applied.stderr).toContain('resourceExpr');
  }, 120_000);
});

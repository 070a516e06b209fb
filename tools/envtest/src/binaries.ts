// Locates the control-plane binaries, building them from source first when the cache lacks them
// (tools/envtest/build.sh: idempotent, prints progress on stderr and the bin directory last).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const BINARIES = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', 'kwok'] as const;
export type Binary = (typeof BINARIES)[number];

const BUILD_SCRIPT = join(import.meta.dirname, '../build.sh');
let pending: Promise<string> | undefined;

/** The directory holding every binary; builds them on first use. Set SIDECARSET_ENVTEST_BIN to skip. */
export function ensureBinaries(): Promise<string> {
  pending ??= locate();
  return pending;
}

async function locate(): Promise<string> {
  const preset = process.env.SIDECARSET_ENVTEST_BIN;
  if (preset) {
    const missing = BINARIES.filter((b) => !existsSync(join(preset, b)));
    if (missing.length) throw new Error(`SIDECARSET_ENVTEST_BIN=${preset} lacks ${missing.join(', ')}`);
    return preset;
  }
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [BUILD_SCRIPT], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const dir = stdout.trim().split('\n').pop() ?? '';
      if (code === 0 && dir && existsSync(join(dir, 'kube-apiserver'))) resolve(dir);
      else reject(new Error(`tools/envtest/build.sh failed (exit ${code}); its progress is above`));
    });
  });
}

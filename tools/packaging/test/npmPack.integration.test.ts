// `npm pack` of every publishable package in a copy of the repository as a fresh clone has it (no
// dist/ anywhere: prepack must build), what the tarballs hold, and the packed CLI installed into an
// empty prefix and run as `kubectl sidecarset` through kubectl's plugin discovery (kubectl from
// tools/envtest).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureBinaries } from '@sidecarset/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const PUBLISHABLE = ['packages/api', 'packages/core', 'packages/pki', 'apps/cli', 'apps/controller', 'apps/webhook'];
const NODE_DIR = dirname(join(ROOT, 'node_modules/node/bin/node'));

let work: string;
let clone: string;
let packs: Record<string, { filename: string; files: string[]; manifest: Record<string, unknown> }>;
let kubectl: string;

/**
 * The repository's files (tracked, and new ones not ignored) copied without any dist/, and its
 * installed node_modules linked in, the workspace links pointing into the copy: what `npm ci` in a
 * fresh clone leaves, without installing again.
 */
function freshClone(into: string): void {
  execFileSync('bash', ['-c', 'git ls-files -z --cached --others --exclude-standard | grep -zv "^deploy/chart/sidecarset/files/crds$" | xargs -0 tar -cf - --no-recursion | tar -xf - -C "$1"', 'copy', into], { cwd: ROOT, maxBuffer: 256 << 20 });
  execFileSync('cp', ['-a', join(ROOT, 'deploy/chart/sidecarset/files/crds'), join(into, 'deploy/chart/sidecarset/files/')]);
  mkdirSync(join(into, 'node_modules/@sidecarset'), { recursive: true });
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (entry !== '@sidecarset') symlinkSync(join(ROOT, 'node_modules', entry), join(into, 'node_modules', entry));
  }
  for (const entry of readdirSync(join(ROOT, 'node_modules/@sidecarset'))) {
    const target = execFileSync('readlink', [join(ROOT, 'node_modules/@sidecarset', entry)], { encoding: 'utf8' }).trim();
    symlinkSync(target, join(into, 'node_modules/@sidecarset', entry));
  }
  // Workspaces with dependencies of their own (versions that differ from the hoisted ones).
  for (const dir of ['packages', 'apps', 'tools']) {
    for (const ws of readdirSync(join(ROOT, dir))) {
      const own = join(ROOT, dir, ws, 'node_modules');
      if (existsSync(own) && existsSync(join(into, dir, ws))) symlinkSync(own, join(into, dir, ws, 'node_modules'));
    }
  }
}

beforeAll(async () => {
  kubectl = join(await ensureBinaries(), 'kubectl');
  work = mkdtempSync(join(tmpdir(), 'sidecarset-pack-'));
  clone = join(work, 'clone');
  mkdirSync(clone);
  freshClone(clone);
  for (const dir of PUBLISHABLE) expect(existsSync(join(clone, dir, 'dist')), `${dir}/dist in the copy`).toBe(false);
  mkdirSync(join(work, 'packs'));
  const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', join(work, 'packs'), ...PUBLISHABLE.flatMap((d) => ['-w', d])], {
    cwd: clone,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', PATH: `${join(clone, 'node_modules/.bin')}:${NODE_DIR}:${process.env.PATH}` },
  });
  if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.stderr.slice(-4000)}`);
  // prepack's build output comes first on stdout; npm's JSON array starts at a line of its own.
  const results = JSON.parse(packed.stdout.slice(packed.stdout.search(/^\[$/m))) as { name: string; filename: string; files: { path: string }[] }[];
  packs = {};
  for (const result of results) {
    const manifest = JSON.parse(execFileSync('tar', ['-xzOf', join(work, 'packs', result.filename), 'package/package.json'], { encoding: 'utf8' })) as Record<string, unknown>;
    packs[result.name] = { filename: join(work, 'packs', result.filename), files: result.files.map((f) => f.path), manifest };
  }
}, 1_800_000);
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm pack from a fresh clone', () => {
  it('packs every publishable package', () => {
    expect(Object.keys(packs).sort()).toEqual(['@sidecarset/api', '@sidecarset/cli', '@sidecarset/controller', '@sidecarset/core', '@sidecarset/pki', '@sidecarset/webhook']);
  });

  it.each(PUBLISHABLE)('%s: built code (prepack built it), README and package.json, no tests or sources', (dir) => {
    const name = `@sidecarset/${dir.split('/')[1]}`;
    const { files } = packs[name]!;
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts']));
    if (dir.startsWith('apps/')) expect(files).toContain('dist/main.js');
    expect(files.filter((f) => /\.test\.|^src\/|^test\//.test(f))).toEqual([]);
  });

  it.each(PUBLISHABLE)('%s: names its repository, license and Node.js engine', (dir) => {
    const { manifest } = packs[`@sidecarset/${dir.split('/')[1]}`]!;
    expect(manifest.license).toBe('Apache-2.0');
    expect(manifest.engines).toEqual({ node: expect.stringMatching(/^>=2[2-9]/) });
    expect(manifest.repository).toMatchObject({ type: 'git', directory: dir });
  });
});

describe('the packed CLI', () => {
  let prefix: string;
  beforeAll(() => {
    prefix = join(work, 'prefix');
    mkdirSync(prefix);
    // Our packages come from their tarballs only: the scope's registry is a closed loopback port, so
    // nothing of that name could ever come from a registry instead. Third-party dependencies come
    // from npm's cache or registry as usual.
    const installed = spawnSync('npm', ['install', '--prefix', prefix, '--no-save', '--prefer-offline', '--no-audit', '--no-fund', '--@sidecarset:registry=http://127.0.0.1:9/',
      packs['@sidecarset/cli']!.filename, packs['@sidecarset/api']!.filename, packs['@sidecarset/core']!.filename], { encoding: 'utf8', cwd: prefix });
    if (installed.status !== 0) throw new Error(`npm install of the packed CLI failed:\n${installed.stderr}`);
  }, 600_000);

  it('runs as `kubectl sidecarset --help` through kubectl\'s plugin discovery', () => {
    const env = { HOME: work, PATH: `${join(prefix, 'node_modules/.bin')}:${NODE_DIR}:/usr/bin:/bin` };
    const list = spawnSync(kubectl, ['plugin', 'list', '--name-only'], { encoding: 'utf8', env });
    expect(list.stdout.split('\n')).toContain('kubectl-sidecarset');
    const help = spawnSync(kubectl, ['sidecarset', '--help'], { encoding: 'utf8', env });
    expect(help.stderr).toBe('');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: kubectl-sidecarset');
    expect(help.stdout).toMatch(/^\s+status /m);
    const version = spawnSync(kubectl, ['sidecarset', '--version'], { encoding: 'utf8', env });
    expect(version.stdout.trim()).toBe(packs['@sidecarset/cli']!.manifest.version);
  });
});

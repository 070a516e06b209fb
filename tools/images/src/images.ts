// The images of tools/images/build.sh, for tests: build (or find) them, and say whether podman can
// run a container on this machine at all.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BUILD = join(import.meta.dirname, '../build.sh');

export interface BuiltImage {
  /** e.g. localhost/sidecarset/webhook:0.1.0 */
  name: string;
  sizeBytes: number;
}

/** Builds what changed (installing buildah and podman first where missing) and returns the images by app. */
export function buildImages(): Record<string, BuiltImage> {
  const out = execFileSync('bash', [BUILD, '--no-app-build'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const images: Record<string, BuiltImage> = {};
  for (const line of out.trim().split('\n')) {
    const [name, size] = line.split(' ');
    const app = /\/sidecarset\/([a-z]+):/.exec(name ?? '')?.[1];
    if (app && size) images[app] = { name: name!, sizeBytes: Number(size) };
  }
  return images;
}

/** The containers.conf this machine's podman needs (runc, cgroupfs, no default ulimits). */
export function containersConf(): string {
  return execFileSync('bash', [BUILD, '--conf'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

/** Why podman cannot run containers here (tools missing and not installable, or podman broken), or undefined. */
export function podmanUnusableReason(): string | undefined {
  const tools = spawnSync('bash', [BUILD, '--tools'], { encoding: 'utf8' });
  if (tools.status !== 0) return `buildah/podman are not available: ${tools.stderr.trim().split('\n').pop()}`;
  const info = spawnSync('podman', ['info', '--format', '{{.Host.OCIRuntime.Name}}'], { encoding: 'utf8', env: { ...process.env, CONTAINERS_CONF: tools.stdout.trim() } });
  if (info.status !== 0) return `podman cannot run here: ${info.stderr.trim().split('\n').pop()}`;
  return undefined;
}

// Where tools/kruise/build.sh put OpenKruise's manager and manifests for the current pins. Never builds:
// tests run in a network namespace without the Go module proxy, so the build runs before them
// (root `npm test` runs build.sh first).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const BUILD_SCRIPT = join(import.meta.dirname, '../build.sh');

export interface KruiseBuild {
  dir: string;
  manager: string;
  /** OpenKruise's own CRDs (config/crd/bases of its module). */
  crdDir: string;
  /** Its webhook configuration templates (config/webhook/manifests.yaml of its module). */
  webhookManifests: string;
  /** go/manager/cmd/<name> binaries: OpenKruise's own functions, for tests that compare ours with them. */
  oracle(name: 'calculator' | 'whitelist'): string;
}

export function kruiseBuild(): KruiseBuild {
  const dir = execFileSync('bash', [BUILD_SCRIPT, '--print-dir'], { encoding: 'utf8' }).trim().split('\n').at(-1)!;
  const build = {
    dir,
    manager: join(dir, 'bin/kruise-manager'),
    crdDir: join(dir, 'config/crd'),
    webhookManifests: join(dir, 'config/webhook/manifests.yaml'),
    oracle: (name: 'calculator' | 'whitelist') => join(dir, 'bin', name),
  };
  for (const path of [build.manager, build.crdDir, build.webhookManifests]) {
    if (!existsSync(path)) {
      throw new Error(`${path} is missing: OpenKruise is not built. Run \`bash tools/kruise/build.sh\` first (root \`npm test\` does; a cold build takes about 11 minutes)`);
    }
  }
  return build;
}

// Builds dist/ so that the tests run the kubectl-sidecarset binary users get.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export default function buildCli(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(import.meta.dirname, '../tsconfig.build.json')], { stdio: 'inherit' });
}

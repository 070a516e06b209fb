// The Node.js flags a Deployment in deploy/manifests gives its container (env NODE_OPTIONS), so that
// tests, the sandbox and the benchmarks run a Sidecarset process as it is deployed: with the same
// heap limits, which is what its memory figures depend on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const MANIFESTS = join(import.meta.dirname, '../../../deploy/manifests');

interface ContainerLike {
  name?: string;
  env?: { name?: string; value?: string }[];
}

export function deployedNodeOptions(manifest: string, container: string): string[] {
  for (const document of parseAllDocuments(readFileSync(join(MANIFESTS, manifest), 'utf8'))) {
    const object = document.toJS() as { kind?: string; spec?: { template?: { spec?: { containers?: ContainerLike[] } } } } | null;
    if (object?.kind !== 'Deployment') continue;
    const found = object.spec?.template?.spec?.containers?.find((c) => c.name === container);
    const value = found?.env?.find((e) => e.name === 'NODE_OPTIONS')?.value;
    if (found) return value?.split(/\s+/).filter(Boolean) ?? [];
  }
  throw new Error(`no Deployment container "${container}" in deploy/manifests/${manifest}`);
}

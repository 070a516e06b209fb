// deploy/manifests is the chart deploy/chart/sidecarset rendered with its default values for the
// namespace sidecarset-system: one file per template, so that `kubectl apply -f deploy/manifests`
// installs what `helm install` does (CRDs from crds/ first). Runs with plain node (no build):
//   node tools/helm/src/generateManifests.ts           # write deploy/manifests
//   node tools/helm/src/generateManifests.ts --check   # exit 1 when deploy/manifests differs
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../../..');
export const CHART_DIR = join(ROOT, 'deploy/chart/sidecarset');
export const MANIFESTS_DIR = join(ROOT, 'deploy/manifests');
/** The namespace the plain manifests install into (the envtest harness and the docs assume it). */
export const MANIFESTS_NAMESPACE = 'sidecarset-system';
/** Values for the plain manifests: a Namespace object; the CRDs stay in crds/ (npm run codegen). */
const MANIFEST_VALUES = ['createNamespace=true', 'crds.install=false'];

/** The helm binary tools/helm/build.sh builds (or finds cached): its last line of output. */
export function helmBinary(): string {
  const out = execFileSync('bash', [join(ROOT, 'tools/helm/build.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').pop()!;
}

/** Splits `helm template` output into its documents, grouped by the template file that rendered them. */
export function documentsBySource(rendered: string): Map<string, string[]> {
  const bySource = new Map<string, string[]>();
  for (const document of rendered.split(/^---\s*$/m)) {
    const source = /^# Source: [^/]+\/templates\/(.+)$/m.exec(document)?.[1];
    const body = document.replace(/^# Source: .*\n/m, '').trim();
    if (!source || !body || /^(#.*\n?)*$/.test(body)) continue; // a template that rendered nothing
    bySource.set(source, [...(bySource.get(source) ?? []), body]);
  }
  return bySource;
}

/** What Helm stamps on objects it manages; plain manifests are not, so these labels are dropped. */
const HELM_ONLY_LABELS = /^\s*(app\.kubernetes\.io\/managed-by: Helm|helm\.sh\/chart: .*)\n/gm;

export function renderManifests(helm: string): Map<string, string> {
  const rendered = execFileSync(helm, ['template', 'sidecarset', CHART_DIR, '--namespace', MANIFESTS_NAMESPACE, ...MANIFEST_VALUES.flatMap((v) => ['--set', v])], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const files = new Map<string, string>();
  for (const [source, documents] of documentsBySource(rendered.replace(HELM_ONLY_LABELS, ''))) {
    const header = `# Generated from deploy/chart/sidecarset/templates/${source} by tools/helm/src/generateManifests.ts\n# (default values, namespace ${MANIFESTS_NAMESPACE}). Do not edit: change the chart and run npm run manifests.\n`;
    files.set(source, `${header}${documents.join('\n---\n')}\n`);
  }
  return files;
}

/** Files of deploy/manifests that differ from the chart's rendering (missing, extra or changed). */
export function manifestDrift(files: Map<string, string>): string[] {
  const present = readdirSync(MANIFESTS_DIR).filter((f) => f.endsWith('.yaml'));
  const drift = present.filter((f) => !files.has(f)).map((f) => `${f}: not rendered by the chart`);
  for (const [file, text] of files) {
    if (!present.includes(file)) drift.push(`${file}: missing`);
    else if (readFileSync(join(MANIFESTS_DIR, file), 'utf8') !== text) drift.push(`${file}: differs from the chart`);
  }
  return drift;
}

if (import.meta.main) {
  const files = renderManifests(helmBinary());
  if (process.argv.includes('--check')) {
    const drift = manifestDrift(files);
    for (const line of drift) console.error(`deploy/manifests/${line}`);
    if (drift.length > 0) console.error('run: npm run manifests');
    process.exit(drift.length > 0 ? 1 : 0);
  }
  for (const [file, text] of files) writeFileSync(join(MANIFESTS_DIR, file), text);
  console.log(`wrote ${[...files.keys()].map((f) => `deploy/manifests/${f}`).join(', ')}`);
}

// Installs the repository's crds/*.yaml with the built kubectl and waits until they are served.
// (Not through client-node's typed API: its model serializer drops the x-kubernetes-* keys of
// schemas written in wire form.)
//
// A CRD converted by a webhook Service (the SidecarSet CRD: v1alpha1 served, v1beta1 stored) is
// installed with `strategy: None` instead: a loopback control plane has no Service network, and tests
// that run no webhook still write SidecarSets. registerSidecarsetWebhook (sidecarsetWebhook.ts) then
// points the conversion at the running webhook's /convert over TLS.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const CRD_DIR = join(import.meta.dirname, '../../../crds');

type Kubectl = (args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;

export async function installCrds(kubectl: Kubectl, dir = CRD_DIR, timeoutMs = 30_000): Promise<void> {
  const staged = withoutServiceConversion(dir);
  try {
    const applied = await kubectl(['apply', '--server-side', '--field-manager=sidecarset-envtest', '-f', staged]);
    if (applied.code !== 0) throw new Error(`installing ${dir} failed: ${applied.stderr.trim()}`);
  } finally {
    rmSync(staged, { recursive: true, force: true });
  }
  // Not `kubectl wait`: right after creation .status.conditions is null and it fails instead of waiting.
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const listed = await kubectl(['get', '-f', dir, '-o', 'json']);
    if (listed.code === 0 && allEstablished(JSON.parse(listed.stdout) as Crd | { items: Crd[] })) return;
    if (Date.now() > deadline) throw new Error(`CRDs in ${dir} not established after ${timeoutMs} ms ${listed.stderr.trim()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

type Crd = { status?: { conditions?: { type: string; status: string }[] } };

// `kubectl get -f` answers one object for one file and a List for several.
function allEstablished(answer: Crd | { items: Crd[] }): boolean {
  const crds = 'items' in answer ? answer.items : [answer];
  return crds.length > 0 && crds.every((crd) => crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'));
}

type CrdDocument = { metadata?: { labels?: Record<string, string> }; spec?: { conversion?: { strategy?: string; webhook?: { clientConfig?: { service?: unknown } } } } };

/** A copy of the CRD files of `dir` in which our CRDs' conversion webhook reached through a Service is `strategy: None` (OpenKruise's manager points its own at itself). */
function withoutServiceConversion(dir: string): string {
  const out = mkdtempSync(join(tmpdir(), 'sidecarset-crds-'));
  for (const file of readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f))) {
    const documents = parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((d) => d.toJS() as CrdDocument | null).filter((d) => d !== null);
    for (const crd of documents) {
      if (crd.metadata?.labels?.['app.kubernetes.io/part-of'] === 'sidecarset' && crd.spec?.conversion?.webhook?.clientConfig?.service) crd.spec.conversion = { strategy: 'None' };
    }
    writeFileSync(join(out, `${file}.json`), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: documents }));
  }
  return out;
}

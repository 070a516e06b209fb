// Installs the repository's crds/*.yaml with the built kubectl and waits until they are served.
// (Not through client-node's typed API: its model serializer drops the x-kubernetes-* keys of
// schemas written in wire form.)
import { join } from 'node:path';

export const CRD_DIR = join(import.meta.dirname, '../../../crds');

type Kubectl = (args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;

export async function installCrds(kubectl: Kubectl, dir = CRD_DIR, timeoutMs = 30_000): Promise<void> {
  const applied = await kubectl(['apply', '--server-side', '--field-manager=sidecarset-envtest', '-f', dir]);
  if (applied.code !== 0) throw new Error(`installing ${dir} failed: ${applied.stderr.trim()}`);
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

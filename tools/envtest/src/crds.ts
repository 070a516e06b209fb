// Installs the repository's crds/*.yaml with the built kubectl and waits until they are served.
// (Not through client-node's typed API: its model serializer drops the x-kubernetes-* keys of
// schemas written in wire form.)
import { join } from 'node:path';

export const CRD_DIR = join(import.meta.dirname, '../../../crds');

type Kubectl = (args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;

export async function installCrds(kubectl: Kubectl, dir = CRD_DIR, timeoutMs = 30_000): Promise<void> {
  const applied = await kubectl(['apply', '--server-side', '--field-manager=sidecarset-envtest', '-f', dir]);
  if (applied.code !== 0) throw new Error(`installing ${dir} failed: ${applied.stderr.trim()}`);
  const established = await kubectl(['wait', '--for=condition=Established', `--timeout=${Math.ceil(timeoutMs / 1000)}s`, '-f', dir]);
  if (established.code !== 0) throw new Error(`CRDs in ${dir} not established: ${established.stderr.trim()}`);
}

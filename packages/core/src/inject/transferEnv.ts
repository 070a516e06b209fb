// transferEnv: environment variables a sidecar copies from a pod container at injection, as
// OpenKruise's GetSidecarTransferEnvs reads them. The source is sourceContainerName, or the value of
// sourceContainerNameFrom.fieldRef (metadata.labels['k'] or metadata.annotations['k']); the names are
// envName plus envNames, de-duplicated and sorted. A missing source container, an unreadable fieldRef
// or a missing variable copies nothing. The sidecar's own variables win (see sidecarContainerForPod).
import type { Container, EnvVar, Pod, TransferEnvVar } from '@sidecarset/api';

const SUBSCRIPTED_PATH = /^(metadata\.labels|metadata\.annotations)\['(.*)'\]$/s;

/** The container name a fieldRef points at, or undefined when the path is not a label or annotation subscript. */
export function containerNameFromFieldPath(fieldPath: string, pod: Pod): string | undefined {
  const match = SUBSCRIPTED_PATH.exec(fieldPath);
  if (!match) return undefined;
  const source = match[1] === 'metadata.labels' ? pod.metadata?.labels : pod.metadata?.annotations;
  return source?.[match[2]!];
}

function sourceContainerName(transfer: TransferEnvVar, pod: Pod): string | undefined {
  const fieldRef = transfer.sourceContainerNameFrom?.fieldRef;
  if (fieldRef) return containerNameFromFieldPath(fieldRef.fieldPath, pod);
  return transfer.sourceContainerName;
}

/** The last variable of each name in the container (Kruise indexes them in a map, so the last wins). */
function lastEnvByName(container: Container): Map<string, EnvVar> {
  const byName = new Map<string, EnvVar>();
  for (const env of container.env ?? []) byName.set(env.name, env);
  return byName;
}

export function transferredEnv(transfers: readonly TransferEnvVar[] | undefined, pod: Pod): EnvVar[] {
  if (!transfers || transfers.length === 0) return [];
  const out: EnvVar[] = [];
  const containers = pod.spec?.containers ?? [];
  // Indexed once per source container: the pod's author decides how many variables there are.
  const envOf = new Map<Container, Map<string, EnvVar>>();
  for (const transfer of transfers) {
    const source = sourceContainerName(transfer, pod);
    if (!source) continue;
    const container = containers.find((c) => c.name === source);
    if (!container) continue;
    let byName = envOf.get(container);
    if (!byName) envOf.set(container, (byName = lastEnvByName(container)));
    const names = new Set<string>(transfer.envNames ?? []);
    if (transfer.envName) names.add(transfer.envName);
    for (const name of [...names].sort()) {
      const env = byName.get(name);
      if (env) out.push(env);
    }
  }
  return out;
}

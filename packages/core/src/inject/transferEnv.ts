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

/** The last variable of that name in the container (Kruise indexes them in a map, so the last wins). */
function lastEnv(container: Container, name: string): EnvVar | undefined {
  const env = container.env;
  if (!env) return undefined;
  for (let i = env.length - 1; i >= 0; i--) if (env[i]!.name === name) return env[i];
  return undefined;
}

export function transferredEnv(transfers: readonly TransferEnvVar[] | undefined, pod: Pod): EnvVar[] {
  if (!transfers || transfers.length === 0) return [];
  const out: EnvVar[] = [];
  const containers = pod.spec?.containers ?? [];
  for (const transfer of transfers) {
    const source = sourceContainerName(transfer, pod);
    if (!source) continue;
    const container = containers.find((c) => c.name === source);
    if (!container) continue;
    const names = new Set<string>(transfer.envNames ?? []);
    if (transfer.envName) names.add(transfer.envName);
    for (const name of [...names].sort()) {
      const env = lastEnv(container, name);
      if (env) out.push(env);
    }
  }
  return out;
}

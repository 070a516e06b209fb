// Which regular containers of a Job pod are sidecars to stop when the app is done, read from the
// container's env as OpenKruise's SidecarTerminator reads it:
//   KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT=true (any case)     stop it once the app containers end;
//   KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT_WITH_IMAGE=IMAGE    stop it by swapping to IMAGE (also marks it a sidecar);
//   KRUISE_TERMINATE_SIDECAR_IGNORE_EXIT_CODE=true (any case)  its exit code does not decide the pod's phase.
// Native sidecars (initContainers with restartPolicy Always) are stopped by the kubelet and not read.
import type { Container } from '@sidecarset/api';

export const TERMINATE_SIDECAR_ENV = 'KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT';
export const TERMINATE_SIDECAR_WITH_IMAGE_ENV = 'KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT_WITH_IMAGE';
export const IGNORE_EXIT_CODE_ENV = 'KRUISE_TERMINATE_SIDECAR_IGNORE_EXIT_CODE';

export interface JobSidecar {
  name: string;
  /** Index in spec.containers. */
  index: number;
  /** The image its env names for the swap, if any. */
  withImage?: string;
  ignoreExitCode: boolean;
}

/** Image references are at most this long (the pod's own image field is not bounded by the API server; ours is). */
export const IMAGE_REFERENCE_LIMIT = 4096;

const envValue = (container: Container, name: string): string | undefined => (container.env ?? []).find((e) => e.name === name)?.value;
const isTrue = (value: string | undefined): boolean => value?.toLowerCase() === 'true';

export function jobSidecarOf(container: Container, index: number): JobSidecar | undefined {
  const terminate = isTrue(envValue(container, TERMINATE_SIDECAR_ENV));
  const withImage = envValue(container, TERMINATE_SIDECAR_WITH_IMAGE_ENV) || undefined;
  if (!terminate && !withImage) return undefined;
  return {
    name: container.name,
    index,
    ...(withImage ? { withImage: withImage.slice(0, IMAGE_REFERENCE_LIMIT) } : {}),
    // OpenKruise honours it only together with the terminate variable.
    ignoreExitCode: terminate && isTrue(envValue(container, IGNORE_EXIT_CODE_ENV)),
  };
}

// Which sidecars ask to be native sidecars: a container whose env sets ECI_SIDECAR_CONTAINER=true
// (seed 000: "the sidecar exits after the app"), or every container of a SidecarSet annotated
// sidecarset.dev/native-sidecars: "true" (ours). OpenKruise YAML without either is injected as
// OpenKruise injects it.
import type { SidecarContainer, SidecarSet } from '@sidecarset/api';

export const ECI_SIDECAR_CONTAINER_ENV = 'ECI_SIDECAR_CONTAINER';
export const NATIVE_SIDECARS_ANNOTATION = 'sidecarset.dev/native-sidecars';

export function sidecarSetAsksNative(sidecarSet: SidecarSet): boolean {
  return sidecarSet.metadata?.annotations?.[NATIVE_SIDECARS_ANNOTATION] === 'true';
}

/** The container's own env decides: the first ECI_SIDECAR_CONTAINER, "true" in any case, as ECI reads it. */
export function containerAsksNative(container: SidecarContainer): boolean {
  const env = (container.env ?? []).find((e) => e.name === ECI_SIDECAR_CONTAINER_ENV);
  return env?.value?.toLowerCase() === 'true';
}

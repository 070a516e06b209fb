// Injection step: a HotUpgrade sidecar becomes two containers, as OpenKruise's webhook injects it
// (injectHotUpgradeContainers): NAME-1 is the container as built for the pod, renamed, and works;
// NAME-2 is the same container on hotUpgradeEmptyImage, idle. Both get SIDECARSET_VERSION and
// SIDECARSET_VERSION_ALT appended to their env, read from their version annotations. The pod gets
// version "1"/alt "0" for NAME-1, "0"/"1" for NAME-2, and NAME -> NAME-1 in the working-container
// annotation (the map the pod brought, plus the sidecars injected now). A cold sidecar passes through.
import type { Container, EnvVar, SidecarContainer } from '@sidecarset/api';
import {
  encodeWorkingContainers,
  hotUpgradeEmptyImage,
  isHotUpgrade,
  SIDECARSET_VERSION_ALT_ENV,
  SIDECARSET_VERSION_ENV,
  twinNames,
  versionAltAnnotation,
  versionAnnotation,
  WORKING_HOT_UPGRADE_CONTAINER_ANNOTATION,
} from './hotUpgradeNames.js';

/** The env a twin reads its versions from (setSidecarContainerVersionEnv). */
export const twinVersionEnv = (twin: string): EnvVar[] => [
  { name: SIDECARSET_VERSION_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${versionAnnotation(twin)}']` } } },
  { name: SIDECARSET_VERSION_ALT_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${versionAltAnnotation(twin)}']` } } },
];

/** `container` renamed to `twin`, on `image`, with the version env appended. */
export function twinContainer<C extends Container | SidecarContainer>(container: C, twin: string, image: string | undefined): C {
  return { ...container, name: twin, ...(image !== undefined && { image }), env: [...(container.env ?? []), ...twinVersionEnv(twin)] };
}

/**
 * The pod containers for one sidecar: `[container]` for a cold one; the twins for a HotUpgrade one,
 * whose annotations go into `annotations` and whose working twin into `working`.
 */
export function hotUpgradeTwins(
  container: Container,
  sidecar: SidecarContainer,
  working: Map<string, string>,
  annotations: Record<string, string>,
): Container[] {
  if (!isHotUpgrade(sidecar)) return [container];
  const [name1, name2] = twinNames(sidecar.name);
  annotations[versionAnnotation(name1)] = '1';
  annotations[versionAltAnnotation(name1)] = '0';
  annotations[versionAnnotation(name2)] = '0';
  annotations[versionAltAnnotation(name2)] = '1';
  working.set(sidecar.name, name1);
  annotations[WORKING_HOT_UPGRADE_CONTAINER_ANNOTATION] = encodeWorkingContainers(working);
  return [twinContainer(container, name1, undefined), twinContainer(container, name2, hotUpgradeEmptyImage(sidecar))];
}

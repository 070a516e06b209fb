// The names OpenKruise gives a HotUpgrade sidecar's parts (pkg/control/sidecarcontrol/util_hotupgrade.go):
// a sidecar NAME runs as two pod containers NAME-1 and NAME-2 ("twins"); the pod annotation
// kruise.io/sidecarset-working-hotupgrade-container maps NAME to the twin that works now (JSON, e.g.
// {"envoy":"envoy-1"}); version.sidecarset.kruise.io/<twin> and versionalt.sidecarset.kruise.io/<twin>
// hold each twin's version and its sibling's, read by the twins through the env vars
// SIDECARSET_VERSION and SIDECARSET_VERSION_ALT. "0" marks the empty (idle) twin, "1" a first injection,
// and an upgrade writes the SidecarSet's resourceVersion.
import type { SidecarContainer } from '@sidecarset/api';
import { goJsonStringify } from '../hash/goJson.js';

export const WORKING_HOT_UPGRADE_CONTAINER_ANNOTATION = 'kruise.io/sidecarset-working-hotupgrade-container';
export const SIDECARSET_VERSION_ENV = 'SIDECARSET_VERSION';
export const SIDECARSET_VERSION_ALT_ENV = 'SIDECARSET_VERSION_ALT';

export const versionAnnotation = (twin: string): string => `version.sidecarset.kruise.io/${twin}`;
export const versionAltAnnotation = (twin: string): string => `versionalt.sidecarset.kruise.io/${twin}`;

export const twinNames = (sidecar: string): [string, string] => [`${sidecar}-1`, `${sidecar}-2`];

/** The pod containers a sidecar of spec.containers becomes: itself, or its twins. */
export const podContainerNames = (sidecar: Pick<SidecarContainer, 'name' | 'upgradeStrategy'>): string[] => (isHotUpgrade(sidecar) ? twinNames(sidecar.name) : [sidecar.name]);

export const isHotUpgrade = (sidecar: Pick<SidecarContainer, 'upgradeStrategy'>): boolean => sidecar.upgradeStrategy?.upgradeType === 'HotUpgrade';

export const hotUpgradeEmptyImage = (sidecar: Pick<SidecarContainer, 'upgradeStrategy'>): string => sidecar.upgradeStrategy?.hotUpgradeEmptyImage ?? '';

/**
 * The working-container annotation as OpenKruise reads it into a map[string]string: not JSON, or not
 * an object, reads as empty; entries whose value is not a string are left out (Go's Unmarshal skips
 * them and keeps the rest).
 */
export function parseWorkingContainers(value: string | undefined): Map<string, string> {
  const working = new Map<string, string>();
  if (value === undefined) return working;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return working;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return working;
  for (const [name, twin] of Object.entries(parsed)) if (typeof twin === 'string') working.set(name, twin);
  return working;
}

/** As Go's json.Marshal writes a map[string]string. */
export const encodeWorkingContainers = (working: ReadonlyMap<string, string>): string => goJsonStringify(Object.fromEntries(working));

/**
 * The twin that works now and the other one (GetPodHotUpgradeContainers): NAME-1 works when the
 * annotation says so, otherwise NAME-2 (also when the annotation is absent or names neither).
 */
export function workingAndIdle(sidecar: string, working: ReadonlyMap<string, string>): { working: string; idle: string } {
  const [name1, name2] = twinNames(sidecar);
  return working.get(sidecar) === name1 ? { working: name1, idle: name2 } : { working: name2, idle: name1 };
}

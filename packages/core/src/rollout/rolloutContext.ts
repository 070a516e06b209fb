// What the rollout reads from a SidecarSet, computed once per plan rather than once per pod: its name
// and hashes, the sidecars that can be updated in place (containers, and initContainers that are
// native sidecars), the SidecarSet as the webhook defaults it (to compare with injected containers),
// and the selector scope.
import type { SidecarContainer, SidecarSet } from '@sidecarset/api';
import { defaultSidecarSet } from '../defaults/defaultSidecarSet.js';
import { currentSidecarSetHash, currentSidecarSetHashWithoutImage, isNativeSidecar } from '../hash/sidecarSetHash.js';
import { NO_CAPABILITIES, upgradeKindsFor, type RolloutCapabilities, type UpgradeKind } from './upgradeKinds/index.js';

export interface RolloutSidecar {
  name: string;
  /** The sidecar with the webhook's defaults applied. */
  spec: SidecarContainer;
  /** Where it lives in the pod. */
  kind: 'containers' | 'initContainers';
  /** The upgrade kinds that bring it in place (upgradeKinds/), chosen once per SidecarSet. */
  upgradeKinds: UpgradeKind[];
}

export interface RolloutContext {
  sidecarSet: SidecarSet;
  name: string;
  hash: string;
  hashWithoutImage: string;
  sidecars: RolloutSidecar[];
  sidecarNames: ReadonlySet<string>;
  /** The name and sidecars as JSON: what a pod's differences from them are remembered under. */
  sidecarsKey: string;
  /** The SidecarSet without namespaceSelector: the caller has already listed pods from the namespaces it selects. */
  scope: SidecarSet;
  /** What the cluster offers (pods/resize): decides which kinds handle the sidecars. */
  capabilities: RolloutCapabilities;
}

/**
 * By SidecarSet object: podUpgradePatch asks for each pod of a round, and defaulting and hashing the
 * SidecarSet was most of a round's CPU. The core never mutates its inputs; callers do not either.
 */
const contexts = new WeakMap<SidecarSet, RolloutContext[]>();

export function rolloutContext(sidecarSet: SidecarSet, capabilities: RolloutCapabilities = NO_CAPABILITIES): RolloutContext {
  let known = contexts.get(sidecarSet);
  if (!known) contexts.set(sidecarSet, (known = []));
  let context = known.find((c) => c.capabilities.podResize === capabilities.podResize && c.capabilities.refusedResizes === capabilities.refusedResizes);
  if (!context) known.push((context = newRolloutContext(sidecarSet, capabilities)));
  return context;
}

function newRolloutContext(sidecarSet: SidecarSet, capabilities: RolloutCapabilities): RolloutContext {
  const defaulted = defaultSidecarSet(sidecarSet);
  const specs: Omit<RolloutSidecar, 'upgradeKinds'>[] = [];
  for (const spec of defaulted.spec.initContainers ?? []) {
    if (isNativeSidecar(spec)) specs.push({ name: spec.name, spec, kind: 'initContainers' });
  }
  for (const spec of defaulted.spec.containers ?? []) specs.push({ name: spec.name, spec, kind: 'containers' });
  const sidecars = specs.map((sidecar) => ({ ...sidecar, upgradeKinds: upgradeKindsFor(sidecar, capabilities) }));
  const { namespaceSelector: _namespaceSelector, ...scopeSpec } = sidecarSet.spec;
  return {
    sidecarSet,
    name: sidecarSet.metadata?.name ?? '',
    hash: currentSidecarSetHash(sidecarSet),
    hashWithoutImage: currentSidecarSetHashWithoutImage(sidecarSet),
    sidecars,
    sidecarNames: new Set(sidecars.map((sidecar) => sidecar.name)),
    sidecarsKey: JSON.stringify([sidecarSet.metadata?.name ?? '', capabilities.podResize, specs]),
    scope: { ...sidecarSet, spec: scopeSpec },
    capabilities,
  };
}

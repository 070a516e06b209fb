// spec.injectionStrategy.revision pins new pods to a recorded ControllerRevision. A pin that does not
// resolve would deny every matching pod later, so it is refused when the SidecarSet is applied, where
// the caller knows the recorded revisions. A revisionName must name a revision of this SidecarSet
// (labelled with its name), never another SidecarSet's. A customVersion may name the version this
// very SidecarSet is being applied with: the controller records that revision right after.
import type { ControllerRevision, FieldError, SidecarSet } from '@sidecarset/api';
import { CUSTOM_VERSION_LABEL } from '../annotations.js';
import { customVersionRevisions, SIDECARSET_NAME_LABEL } from '../revision/resolveInjectionRevision.js';
import { invalid, isObject } from './fieldErrors.js';

export function validateRevisionPin(sidecarSet: SidecarSet, revisions: readonly ControllerRevision[]): FieldError[] {
  const strategy: unknown = sidecarSet.spec?.injectionStrategy;
  const pin: unknown = isObject(strategy) ? strategy.revision : undefined;
  if (!isObject(pin)) return [];
  const name = sidecarSet.metadata?.name ?? '';
  const path = 'spec.injectionStrategy.revision';
  if (typeof pin.revisionName === 'string' && pin.revisionName !== '') {
    const named = revisions.find((revision) => revision.metadata?.name === pin.revisionName);
    if (!named) {
      return [invalid(`${path}.revisionName`, pin.revisionName, `no ControllerRevision "${pin.revisionName}" is recorded for SidecarSet "${name}"; \`kubectl get controllerrevisions -A -l ${SIDECARSET_NAME_LABEL}=${name}\` lists the recorded ones`)];
    }
    const owner = named.metadata?.labels?.[SIDECARSET_NAME_LABEL];
    if (owner !== name) {
      return [invalid(`${path}.revisionName`, pin.revisionName, `ControllerRevision "${pin.revisionName}" belongs to ${owner ? `SidecarSet "${owner}"` : 'no SidecarSet'}, not to "${name}": a SidecarSet can only pin one of its own revisions`)];
    }
    return [];
  }
  if (typeof pin.customVersion === 'string' && pin.customVersion !== '') {
    if (sidecarSet.metadata?.labels?.[CUSTOM_VERSION_LABEL] === pin.customVersion) return [];
    if (customVersionRevisions(name, pin.customVersion, revisions).length > 0) return [];
    return [invalid(`${path}.customVersion`, pin.customVersion, `no ControllerRevision of SidecarSet "${name}" is labelled ${CUSTOM_VERSION_LABEL}=${pin.customVersion}`)];
  }
  return [];
}

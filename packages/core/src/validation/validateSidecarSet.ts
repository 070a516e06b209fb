// Every rule a SidecarSet must satisfy, each reported at its exact field path and all of them at once
// (never stopping at the first), for the validating webhook and for the offline CLI alike. The CRD
// schema checks types and enums too, but a SidecarSet read from a file never went through it.
import type { ControllerRevision, FieldError, SidecarSet } from '@sidecarset/api';
import { forbidden, invalid, invalidEach, isNonEmptyString, isObject, listAt, required, tooLong, typeInvalid } from './fieldErrors.js';
import { validateIntOrPercent } from './intOrPercent.js';
import { dns1123Label, dns1123Subdomain, isNonNegativeInteger } from './k8sNames.js';
import { validateAgainstOthers } from './validateAgainstOthers.js';
import { validatePatchPodMetadata } from './validatePatchPodMetadata.js';
import { validateRevisionPin } from './validateRevisionPin.js';
import { validateSidecarContainers } from './validateSidecarContainers.js';
import { isStoredNamespaceSelector } from '../version/storedNamespace.js';
import { validateInjectionStrategy, validateRequiredSelector, validateUpdateStrategy } from './validateStrategies.js';
import { validateUpdate } from './validateUpdate.js';
import { validateVolumes } from './validateVolumes.js';

/**
 * The name is a DNS subdomain (the API server's rule) without dots, of 63 characters at most: OpenKruise
 * v1.9.0 allows only [a-zA-Z0-9-] (its validateSidecarSetName) and writes the name as a label value.
 */
export const SIDECARSET_NAME_MAX = 63;

/**
 * Validates `next`, the SidecarSet being created (`previous` undefined) or updated, against the
 * other SidecarSets of the cluster (`others`; the one of the same name is ignored). With `revisions`
 * (the recorded SidecarSet ControllerRevisions), a revision pin must resolve.
 */
export function validateSidecarSet(
  next: SidecarSet,
  previous: SidecarSet | undefined,
  others: readonly SidecarSet[],
  revisions?: readonly ControllerRevision[],
): FieldError[] {
  const errors: FieldError[] = [...validateSidecarSetName(next.metadata?.name, 'metadata.name')];
  const spec: unknown = next.spec;
  if (!isObject(spec)) {
    errors.push(spec === undefined || spec === null ? required('spec', 'a SidecarSet needs a spec with a selector and containers') : typeInvalid('spec', spec, 'must be an object'));
    return errors;
  }

  errors.push(...validateRequiredSelector(spec.selector, 'spec.selector', 'pick the pods to inject into, e.g. selector: {matchLabels: {app: nginx}}'));

  if (spec.namespace !== undefined && spec.namespace !== null && spec.namespace !== '') {
    if (typeof spec.namespace !== 'string') errors.push(typeInvalid('spec.namespace', spec.namespace, 'must be a string'));
    else errors.push(...invalidEach('spec.namespace', spec.namespace, dns1123Label(spec.namespace)));
  }
  if (spec.namespaceSelector !== undefined && spec.namespaceSelector !== null) {
    // Both are taken when the selector is the one v1beta1 stored for that namespace (kubectl apply of a v1alpha1 manifest after the round trip).
    if (isNonEmptyString(spec.namespace) && !isStoredNamespaceSelector(spec.namespace, spec.namespaceSelector)) {
      errors.push(
        forbidden(
          'spec.namespaceSelector',
          'may not be used together with spec.namespace: keep spec.namespace for one namespace, or a namespaceSelector (e.g. matchLabels: {kubernetes.io/metadata.name: ns-1}) for several',
        ),
      );
    }
    errors.push(...validateRequiredSelector(spec.namespaceSelector, 'spec.namespaceSelector', ''));
  }

  const volumeNames = validateVolumes(spec.volumes, 'spec.volumes', errors);
  const initContainers = listAt(spec.initContainers, 'spec.initContainers', []);
  const containers = listAt(spec.containers, 'spec.containers', []);
  if (initContainers.length === 0 && containers.length === 0 && Array.isArray(spec.containers ?? []) && Array.isArray(spec.initContainers ?? [])) {
    errors.push(required('spec.containers', 'a SidecarSet needs at least one container (or initContainer) to inject'));
  }
  validateSidecarContainers(spec.initContainers, spec.containers, volumeNames, errors, blockVolumeNamesOf(spec.volumes));

  listAt(spec.imagePullSecrets, 'spec.imagePullSecrets', errors).forEach((secret, index) => {
    if (!isObject(secret) || !isNonEmptyString(secret.name)) errors.push(required(`spec.imagePullSecrets[${index}].name`, 'the name of the pull Secret is required'));
  });

  errors.push(...validateUpdateStrategy(spec.updateStrategy, 'spec.updateStrategy'));
  errors.push(...validateLegacyStrategy(spec.strategy));
  errors.push(...validateInjectionStrategy(spec.injectionStrategy, 'spec.injectionStrategy'));
  if (revisions) errors.push(...validateRevisionPin(next, revisions));
  if (spec.revisionHistoryLimit !== undefined && spec.revisionHistoryLimit !== null && !isNonNegativeInteger(spec.revisionHistoryLimit)) {
    errors.push(invalid('spec.revisionHistoryLimit', spec.revisionHistoryLimit, 'must be a whole number, 0 or more'));
  }
  errors.push(...validatePatchPodMetadata(spec.patchPodMetadata, 'spec.patchPodMetadata'));

  if (previous) errors.push(...validateUpdate(next, previous));
  errors.push(...validateAgainstOthers(next, others));
  return errors;
}

export function validateSidecarSetName(name: unknown, path: string): FieldError[] {
  if (name === undefined || name === null || name === '') return [required(path, 'a SidecarSet needs a name')];
  if (typeof name !== 'string') return [typeInvalid(path, name, 'must be a string')];
  const errors = invalidEach(path, name, dns1123Subdomain(name).filter((m) => !m.startsWith('must be no more than')));
  if (name.includes('.')) errors.push(invalid(path, name, "must not contain dots: a SidecarSet name consists of lower case alphanumeric characters or '-' (e.g. 'logtail-v2')"));
  if (name.length > SIDECARSET_NAME_MAX) {
    errors.push(tooLong(path, name, `must be no more than ${SIDECARSET_NAME_MAX} characters: the name is also written as a label value`));
  }
  return errors;
}

/** The early OpenKruise spelling spec.strategy.rollingUpdate.maxUnavailable (seed 002). */
function validateLegacyStrategy(strategy: unknown): FieldError[] {
  if (strategy === undefined || strategy === null) return [];
  if (!isObject(strategy)) return [typeInvalid('spec.strategy', strategy, 'must be an object; prefer spec.updateStrategy')];
  const rolling = strategy.rollingUpdate;
  if (rolling === undefined || rolling === null) return [];
  if (!isObject(rolling)) return [typeInvalid('spec.strategy.rollingUpdate', rolling, 'must be an object; prefer spec.updateStrategy')];
  return validateIntOrPercent(rolling.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable');
}

/** The volumes a volumeDevice may name: the block-capable sources (persistentVolumeClaim, ephemeral). */
function blockVolumeNamesOf(volumes: unknown): Set<string> {
  const names = new Set<string>();
  for (const volume of Array.isArray(volumes) ? volumes : []) {
    if (isObject(volume) && typeof volume.name === 'string' && (isObject(volume.persistentVolumeClaim) || isObject(volume.ephemeral))) names.add(volume.name);
  }
  return names;
}

// SidecarSetResourceBinding: which SidecarSets may mount which ConfigMaps and Secrets of the binding's
// namespace. Small on purpose: non-empty lists, known kinds, valid names, nothing listed twice.
import type { FieldError, SidecarSetResourceBinding } from '@sidecarset/api';
import { duplicate, invalidEach, isNonEmptyString, isObject, listAt, notSupported, required, typeInvalid } from './fieldErrors.js';
import { dns1123Label, dns1123Subdomain } from './k8sNames.js';
import { validateSidecarSetName } from './validateSidecarSet.js';

const RESOURCE_KINDS = ['ConfigMap', 'Secret'];

export function validateResourceBinding(binding: SidecarSetResourceBinding): FieldError[] {
  const errors: FieldError[] = [];
  const name = binding.metadata?.name;
  if (!isNonEmptyString(name)) errors.push(required('metadata.name', 'a SidecarSetResourceBinding needs a name'));
  else errors.push(...invalidEach('metadata.name', name, dns1123Subdomain(name)));
  const namespace = binding.metadata?.namespace;
  if (isNonEmptyString(namespace)) errors.push(...invalidEach('metadata.namespace', namespace, dns1123Label(namespace)));

  const spec: unknown = binding.spec;
  if (!isObject(spec)) return [...errors, required('spec', 'a binding needs spec.subjects and spec.resourceRefs')];

  const subjects = listAt(spec.subjects, 'spec.subjects', errors);
  if (subjects.length === 0) errors.push(required('spec.subjects', 'name at least one SidecarSet, e.g. [{kind: SidecarSet, name: filebeat-sidecarset}]'));
  const seenSubjects = new Set<string>();
  subjects.forEach((subject, index) => {
    const at = `spec.subjects[${index}]`;
    if (!isObject(subject)) return void errors.push(typeInvalid(at, subject, 'must be an object {kind: SidecarSet, name}'));
    if (subject.kind !== 'SidecarSet') errors.push(notSupported(`${at}.kind`, subject.kind, ['SidecarSet']));
    errors.push(...validateSidecarSetName(subject.name, `${at}.name`));
    if (typeof subject.name === 'string') {
      if (seenSubjects.has(subject.name)) errors.push(duplicate(`${at}.name`, subject.name, `SidecarSet "${subject.name}" is listed twice`));
      seenSubjects.add(subject.name);
    }
  });

  const refs = listAt(spec.resourceRefs, 'spec.resourceRefs', errors);
  if (refs.length === 0) errors.push(required('spec.resourceRefs', 'name at least one ConfigMap or Secret, e.g. [{kind: ConfigMap, name: filebeat-config}]'));
  const seenRefs = new Set<string>();
  refs.forEach((ref, index) => {
    const at = `spec.resourceRefs[${index}]`;
    if (!isObject(ref)) return void errors.push(typeInvalid(at, ref, 'must be an object {kind: ConfigMap | Secret, name}'));
    if (typeof ref.kind !== 'string' || !RESOURCE_KINDS.includes(ref.kind)) errors.push(notSupported(`${at}.kind`, ref.kind, RESOURCE_KINDS));
    if (!isNonEmptyString(ref.name)) errors.push(required(`${at}.name`, `the name of the ${String(ref.kind ?? 'resource')} in this namespace is required`));
    else {
      errors.push(
        ...invalidEach(`${at}.name`, ref.name, ref.name.includes('/') ? ['must be a name in the binding\'s own namespace, without "<namespace>/"'] : dns1123Subdomain(ref.name)),
      );
      const id = `${String(ref.kind)}/${ref.name}`;
      if (seenRefs.has(id)) errors.push(duplicate(`${at}.name`, ref.name, `${String(ref.kind)} "${ref.name}" is listed twice`));
      seenRefs.add(id);
    }
  });
  return errors;
}

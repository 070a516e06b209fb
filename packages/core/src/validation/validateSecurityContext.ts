// A sidecar's securityContext, as the API server validates a pod container's (ValidateSecurityContext
// of Kubernetes 1.32, which OpenKruise runs over its fake pod of the sidecars): user and group IDs in
// range, procMount, seccomp and AppArmor profiles that say where their localhost profile is, and no
// allowPrivilegeEscalation: false together with privileged or CAP_SYS_ADMIN.
import type { FieldError } from '@sidecarset/api';
import { checkEnum, invalid, isNonEmptyString, isObject, required, typeInvalid } from './fieldErrors.js';

const MAX_ID = 2147483647;
const PROC_MOUNTS = ['Default', 'Unmasked'];
const PROFILE_TYPES = ['Localhost', 'RuntimeDefault', 'Unconfined'];

export function validateSecurityContext(context: unknown, path: string): FieldError[] {
  if (context === undefined || context === null) return [];
  if (!isObject(context)) return [typeInvalid(path, context, 'must be an object')];
  const errors: FieldError[] = [];
  for (const field of ['runAsUser', 'runAsGroup']) {
    const id = context[field];
    if (id !== undefined && id !== null && (!Number.isInteger(id) || (id as number) < 0 || (id as number) > MAX_ID)) {
      errors.push(invalid(`${path}.${field}`, id, `must be between 0 and ${MAX_ID}, inclusive`));
    }
  }
  errors.push(...checkEnum(`${path}.procMount`, context.procMount, PROC_MOUNTS));
  errors.push(...validateProfile(context.seccompProfile, `${path}.seccompProfile`, 'seccomp'));
  errors.push(...validateProfile(context.appArmorProfile, `${path}.appArmorProfile`, 'AppArmor'));
  if (context.allowPrivilegeEscalation === false) {
    if (context.privileged === true) errors.push(invalid(path, undefined, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    const added = isObject(context.capabilities) && Array.isArray(context.capabilities.add) ? context.capabilities.add : [];
    if (added.includes('CAP_SYS_ADMIN')) errors.push(invalid(path, undefined, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
  }
  return errors;
}

function validateProfile(profile: unknown, path: string, what: string): FieldError[] {
  if (profile === undefined || profile === null) return [];
  if (!isObject(profile)) return [typeInvalid(path, profile, 'must be an object {type, localhostProfile}')];
  if (profile.type === undefined || profile.type === null || profile.type === '') return [required(`${path}.type`, `type is required when the ${what} profile is set`)];
  const errors = checkEnum(`${path}.type`, profile.type, PROFILE_TYPES);
  const local = profile.localhostProfile;
  if (profile.type === 'Localhost') {
    if (!isNonEmptyString(local) || local.trim() === '') errors.push(required(`${path}.localhostProfile`, `must be set when the ${what} type is Localhost`));
  } else if (local !== undefined && local !== null) {
    errors.push(invalid(`${path}.localhostProfile`, local, `can only be set when the ${what} type is Localhost`));
  }
  return errors;
}

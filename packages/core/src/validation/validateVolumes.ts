// spec.volumes, validated as the API server validates a pod's volumes (ValidateVolumes): unique
// DNS-label names, exactly one source each, and the required fields of the common sources.
import type { FieldError } from '@sidecarset/api';
import { volumeSourcesOf } from '../defaults/defaultSidecarSet.js';
import { checkEnum, duplicate, forbidden, invalidEach, invalid, isNonEmptyString, isObject, listAt, required, typeInvalid } from './fieldErrors.js';
import { configMapKey, dns1123Label, dns1123Subdomain } from './k8sNames.js';
import { compareQuantities, readQuantity } from './quantity.js';
import { validateSourceRef } from '../crossNamespace/validateSourceRef.js';

const HOST_PATH_TYPES = ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'];
const MAX_FILE_MODE = 0o777;

/** Validates the volumes and returns their names (for volumeMounts to refer to). */
export function validateVolumes(volumes: unknown, path: string, errors: FieldError[]): Set<string> {
  const names = new Set<string>();
  listAt(volumes, path, errors).forEach((volume, index) => {
    const at = `${path}[${index}]`;
    if (!isObject(volume)) {
      errors.push(typeInvalid(at, volume, 'a volume must be an object with a name and one source, e.g. {name: logs, emptyDir: {}}'));
      return;
    }
    const name = volume.name;
    if (!isNonEmptyString(name)) {
      errors.push(required(`${at}.name`, 'every volume needs a name, for volumeMounts to refer to'));
    } else {
      errors.push(...invalidEach(`${at}.name`, name, dns1123Label(name)));
      if (names.has(name)) errors.push(duplicate(`${at}.name`, name, `another volume of this SidecarSet is already named "${name}"`));
      names.add(name);
    }
    errors.push(...validateVolumeSource(volume, at));
  });
  return names;
}

function validateVolumeSource(volume: Record<string, unknown>, path: string): FieldError[] {
  const sources = volumeSourcesOf(volume as never);
  if (sources.length === 0) return [required(path, 'must specify a volume type, e.g. emptyDir: {}, configMap: {name: ...} or hostPath: {path: ...}')];
  if (sources.length > 1) {
    return [forbidden(`${path}.${sources[1]}`, `may not specify more than 1 volume type: this volume already has ${sources[0]}; split it into two volumes`)];
  }
  const source = sources[0]!;
  const at = `${path}.${source}`;
  const value = volume[source];
  if (!isObject(value)) return [typeInvalid(at, value, 'must be an object')];
  const errors: FieldError[] = [];
  switch (source) {
    case 'hostPath':
      if (!isNonEmptyString(value.path)) errors.push(required(`${at}.path`, 'the path on the node is required'));
      else if (value.path.split(/[\\/]/).includes('..')) errors.push(invalid(`${at}.path`, value.path, "must not contain '..'"));
      errors.push(...checkEnum(`${at}.type`, value.type, HOST_PATH_TYPES));
      break;
    case 'emptyDir':
      // medium is not checked: the Pod API (and so OpenKruise) takes any string, the kubelet decides.
      errors.push(...validateNonNegativeQuantity(value.sizeLimit, `${at}.sizeLimit`));
      break;
    case 'configMap':
      // A plain name is not checked further; <namespace>/<name> (a SidecarSetResourceBinding's source) is.
      if (!isNonEmptyString(value.name)) errors.push(required(`${at}.name`, 'the ConfigMap name is required'));
      errors.push(...validateSourceRef(value.name, `${at}.name`));
      errors.push(...validateKeyToPaths(value.items, `${at}.items`), ...validateMode(value.defaultMode, `${at}.defaultMode`));
      break;
    case 'secret':
      if (!isNonEmptyString(value.secretName)) errors.push(required(`${at}.secretName`, 'the Secret name is required'));
      errors.push(...validateSourceRef(value.secretName, `${at}.secretName`));
      errors.push(...validateKeyToPaths(value.items, `${at}.items`), ...validateMode(value.defaultMode, `${at}.defaultMode`));
      break;
    case 'persistentVolumeClaim':
      if (!isNonEmptyString(value.claimName)) errors.push(required(`${at}.claimName`, 'the PersistentVolumeClaim name is required'));
      break;
    case 'csi':
      if (!isNonEmptyString(value.driver)) errors.push(required(`${at}.driver`, 'the CSI driver name is required'));
      else if (value.driver.length > 63) errors.push(invalid(`${at}.driver`, value.driver, 'must be no more than 63 characters'));
      else errors.push(...invalidEach(`${at}.driver`, value.driver, dns1123Subdomain(value.driver.toLowerCase())));
      break;
    case 'nfs':
      if (!isNonEmptyString(value.server)) errors.push(required(`${at}.server`, 'the NFS server is required'));
      if (!isNonEmptyString(value.path)) errors.push(required(`${at}.path`, 'the exported path is required'));
      else if (!value.path.startsWith('/')) errors.push(invalid(`${at}.path`, value.path, 'must be an absolute path'));
      break;
    case 'downwardAPI':
      errors.push(...validateMode(value.defaultMode, `${at}.defaultMode`));
      listAt(value.items, `${at}.items`, errors).forEach((item, j) => errors.push(...validateDownwardItem(item, `${at}.items[${j}]`)));
      break;
    case 'projected':
      errors.push(...validateMode(value.defaultMode, `${at}.defaultMode`));
      listAt(value.sources, `${at}.sources`, errors).forEach((projection, j) => {
        const where = `${at}.sources[${j}]`;
        const kinds = isObject(projection) ? Object.keys(projection).filter((k) => projection[k] !== undefined && projection[k] !== null) : [];
        if (kinds.length === 0) errors.push(required(where, 'must specify one source: configMap, secret, downwardAPI, serviceAccountToken, ...'));
        else if (kinds.length > 1) errors.push(forbidden(`${where}.${kinds[1]}`, `may not specify more than 1 source (already has ${kinds[0]})`));
        if (isObject(projection) && isObject(projection.configMap)) errors.push(...validateSourceRef(projection.configMap.name, `${where}.configMap.name`));
        if (isObject(projection) && isObject(projection.secret)) errors.push(...validateSourceRef(projection.secret.name, `${where}.secret.name`));
      });
      errors.push(...projectedPathConflicts(value.sources, `${at}.sources`));
      break;
    case 'ephemeral':
      if (!isObject(value.volumeClaimTemplate)) errors.push(required(`${at}.volumeClaimTemplate`, 'an ephemeral volume needs a volumeClaimTemplate'));
      break;
    case 'image':
      if (!isNonEmptyString(value.reference)) errors.push(required(`${at}.reference`, 'the image reference is required'));
      break;
  }
  return errors;
}

function validateKeyToPaths(items: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  listAt(items, path, errors).forEach((item, j) => {
    const at = `${path}[${j}]`;
    if (!isObject(item)) return void errors.push(typeInvalid(at, item, 'must be an object {key, path}'));
    if (!isNonEmptyString(item.key)) errors.push(required(`${at}.key`, 'the key to project is required'));
    else errors.push(...invalidEach(`${at}.key`, item.key, configMapKey(item.key)));
    errors.push(...validateRelativePath(item.path, `${at}.path`, true), ...validateMode(item.mode, `${at}.mode`));
  });
  return errors;
}

function validateDownwardItem(item: unknown, path: string): FieldError[] {
  if (!isObject(item)) return [typeInvalid(path, item, 'must be an object {path, fieldRef | resourceFieldRef}')];
  const errors = [...validateRelativePath(item.path, `${path}.path`, true), ...validateMode(item.mode, `${path}.mode`)];
  const hasField = isObject(item.fieldRef);
  const hasResource = isObject(item.resourceFieldRef);
  if (hasField === hasResource) {
    errors.push(invalid(path, undefined, 'must specify exactly one of fieldRef and resourceFieldRef'));
  }
  // In a volume (unlike an env var) there is no container to default to.
  if (hasResource && !isNonEmptyString((item.resourceFieldRef as Record<string, unknown>).containerName)) {
    errors.push(required(`${path}.resourceFieldRef.containerName`, 'the container whose resources to project is required in a volume'));
  }
  return errors;
}

/** Two sources of a projected volume may not write one path (the API server: "conflicting duplicate paths"). */
function projectedPathConflicts(sources: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  (Array.isArray(sources) ? sources : []).forEach((projection: unknown, j) => {
    if (!isObject(projection)) return;
    const paths: unknown[] = [];
    for (const kind of ['configMap', 'secret', 'downwardAPI']) {
      const source = projection[kind];
      if (isObject(source) && Array.isArray(source.items)) for (const item of source.items) if (isObject(item)) paths.push(item.path);
    }
    for (const kind of ['serviceAccountToken', 'clusterTrustBundle']) {
      const source = projection[kind];
      if (isObject(source)) paths.push(source.path);
    }
    for (const p of paths) {
      if (typeof p !== 'string' || p === '') continue;
      if (seen.has(p)) errors.push(invalid(`${path}[${j}]`, p, `conflicting duplicate paths: another source of this projected volume already writes ${p}`));
      seen.add(p);
    }
  });
  return errors;
}

/** A path below a volume or mount: relative, without '..' elements. */
export function validateRelativePath(value: unknown, path: string, isRequired: boolean): FieldError[] {
  if (value === undefined || value === null || value === '') return isRequired ? [required(path, 'a relative path is required')] : [];
  if (typeof value !== 'string') return [typeInvalid(path, value, 'must be a string')];
  const errors: FieldError[] = [];
  if (value.startsWith('/')) errors.push(invalid(path, value, 'must be a relative path'));
  if (value.split(/[\\/]/).includes('..')) errors.push(invalid(path, value, "must not contain '..'"));
  return errors;
}

function validateMode(mode: unknown, path: string): FieldError[] {
  if (mode === undefined || mode === null) return [];
  if (!Number.isInteger(mode) || (mode as number) < 0 || (mode as number) > MAX_FILE_MODE) {
    return [invalid(path, mode, 'must be a number between 0 and 0777 (octal), both inclusive; in YAML write 0644 or 420')];
  }
  return [];
}

export function validateNonNegativeQuantity(value: unknown, path: string): FieldError[] {
  if (value === undefined || value === null) return [];
  const reading = readQuantity(value);
  if (!reading.ok) return [invalid(path, value, reading.reason)];
  return compareQuantities(reading.quantity, { mantissa: 0n, exponent: 0, format: 'DecimalSI' }) < 0 ? [invalid(path, value, 'must be greater than or equal to 0')] : [];
}

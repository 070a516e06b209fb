// The sidecar containers, validated as the API server validates a pod's containers (OpenKruise does
// it by building a fake pod of the SidecarSet's initContainers, containers and volumes and calling
// ValidatePod; here each rule is written out, so every error names the SidecarSet's own field).
import type { FieldError } from '@sidecarset/api';
import { checkEnum, duplicate, forbidden, invalid, invalidEach, isNonEmptyString, isObject, keyPath, listAt, notSupported, required, typeInvalid } from './fieldErrors.js';
import { configMapKey, dns1123Label, envVarName, isNonNegativeInteger, isPortNumber, portName, qualifiedName } from './k8sNames.js';
import { compareQuantities, parseQuantity, type Quantity } from './quantity.js';
import { containerResourceNameErrors, isExtendedResource, isHugePagesResource, isOvercommitAllowed } from './resourceNames.js';
import { validateSecurityContext } from './validateSecurityContext.js';
import { validateNonNegativeQuantity, validateRelativePath } from './validateVolumes.js';

export type ContainerKind = 'container' | 'initContainer';

export interface ContainerContext {
  kind: ContainerKind;
  /** Names of spec.volumes: volumeMounts and volumeDevices must refer to one. */
  volumeNames: ReadonlySet<string>;
  /** Names of the volumes a volumeDevice may use (persistentVolumeClaim or ephemeral); all of them when absent. */
  blockVolumeNames?: ReadonlySet<string>;
}

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const MOUNT_PROPAGATIONS = ['None', 'HostToContainer', 'Bidirectional'];
const RECURSIVE_READ_ONLY = ['Disabled', 'IfPossible', 'Enabled'];
const FIELD_PATHS = [
  'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName',
  'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
];
const SUBSCRIPTED_FIELD_PATH = /^metadata\.(labels|annotations)\['(.*)'\]$/;
const RESOURCE_FIELDS = ['limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage'];

/** A container of a pod, as the API server validates it (name uniqueness is checked by the caller). */
export function validateContainer(container: Record<string, unknown>, path: string, context: ContainerContext): FieldError[] {
  const errors: FieldError[] = [];
  const name = container.name;
  if (!isNonEmptyString(name)) errors.push(required(`${path}.name`, 'every container needs a name'));
  else errors.push(...invalidEach(`${path}.name`, name, dns1123Label(name)));

  const image = container.image;
  if (image === undefined || image === null || image === '') errors.push(required(`${path}.image`, 'the image to run is required, e.g. busybox:1.36'));
  else if (typeof image !== 'string') errors.push(typeInvalid(`${path}.image`, image, 'must be a string'));
  else if (image.trim() !== image) errors.push(invalid(`${path}.image`, image, 'must not have leading or trailing whitespace'));

  errors.push(
    ...checkEnum(`${path}.imagePullPolicy`, container.imagePullPolicy, PULL_POLICIES),
    ...checkEnum(`${path}.terminationMessagePolicy`, container.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES),
  );

  const nativeSidecar = context.kind === 'initContainer' && container.restartPolicy === 'Always';
  if (container.restartPolicy !== undefined && container.restartPolicy !== null) {
    if (context.kind === 'container') {
      errors.push(forbidden(`${path}.restartPolicy`, 'may not be set for non-init containers; a native sidecar is an initContainer with restartPolicy: Always'));
    } else if (container.restartPolicy !== 'Always') {
      errors.push(notSupported(`${path}.restartPolicy`, container.restartPolicy, ['Always']));
    }
  }
  if (context.kind === 'initContainer' && !nativeSidecar) {
    for (const field of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
      if (container[field] !== undefined && container[field] !== null) {
        errors.push(forbidden(`${path}.${field}`, 'may not be set for init containers without restartPolicy: Always (only a native sidecar keeps running)'));
      }
    }
  }

  errors.push(...validatePorts(container.ports, `${path}.ports`));
  errors.push(...validateEnv(container.env, `${path}.env`));
  errors.push(...validateEnvFrom(container.envFrom, `${path}.envFrom`));
  errors.push(...validateVolumeMounts(container.volumeMounts, `${path}.volumeMounts`, context.volumeNames));
  errors.push(...validateVolumeDevices(container.volumeDevices, `${path}.volumeDevices`, context.volumeNames, context.blockVolumeNames));
  errors.push(...validateSecurityContext(container.securityContext, `${path}.securityContext`));
  errors.push(...validateResizePolicy(container.resizePolicy, `${path}.resizePolicy`));
  errors.push(...validateResources(container.resources, `${path}.resources`));
  if (context.kind === 'container' || nativeSidecar) {
    errors.push(...validateProbe(container.livenessProbe, `${path}.livenessProbe`, 'liveness'));
    errors.push(...validateProbe(container.readinessProbe, `${path}.readinessProbe`, 'readiness'));
    errors.push(...validateProbe(container.startupProbe, `${path}.startupProbe`, 'startup'));
    errors.push(...validateLifecycle(container.lifecycle, `${path}.lifecycle`));
  }
  return errors;
}

function validatePorts(ports: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  listAt(ports, path, errors).forEach((port, index) => {
    const at = `${path}[${index}]`;
    if (!isObject(port)) return void errors.push(typeInvalid(at, port, 'must be an object {containerPort, protocol, name}'));
    if (port.containerPort === undefined || port.containerPort === null) errors.push(required(`${at}.containerPort`, 'the port number is required'));
    else if (!isPortNumber(port.containerPort)) errors.push(invalid(`${at}.containerPort`, port.containerPort, 'must be between 1 and 65535, inclusive'));
    if (port.hostPort !== undefined && port.hostPort !== null && port.hostPort !== 0 && !isPortNumber(port.hostPort)) {
      errors.push(invalid(`${at}.hostPort`, port.hostPort, 'must be between 1 and 65535, inclusive'));
    }
    errors.push(...checkEnum(`${at}.protocol`, port.protocol, PROTOCOLS));
    if (port.name !== undefined && port.name !== null && port.name !== '') {
      if (typeof port.name !== 'string') errors.push(typeInvalid(`${at}.name`, port.name, 'must be a string'));
      else {
        errors.push(...invalidEach(`${at}.name`, port.name, portName(port.name)));
        if (names.has(port.name)) errors.push(duplicate(`${at}.name`, port.name, `another port of this container is already named "${port.name}"`));
        names.add(port.name);
      }
    }
  });
  return errors;
}

function validateEnv(env: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  listAt(env, path, errors).forEach((variable, index) => {
    const at = `${path}[${index}]`;
    if (!isObject(variable)) return void errors.push(typeInvalid(at, variable, 'must be an object {name, value | valueFrom}'));
    if (!isNonEmptyString(variable.name)) errors.push(required(`${at}.name`, 'every environment variable needs a name'));
    else errors.push(...invalidEach(`${at}.name`, variable.name, envVarName(variable.name)));
    if (variable.value !== undefined && variable.value !== null && typeof variable.value !== 'string') {
      errors.push(typeInvalid(`${at}.value`, variable.value, 'must be a string; quote it, e.g. "true" or "8080"'));
    }
    if (variable.valueFrom === undefined || variable.valueFrom === null) return;
    if (isNonEmptyString(variable.value)) {
      errors.push(invalid(`${at}.valueFrom`, undefined, 'may not be specified when `value` is not empty; keep one of them'));
    }
    errors.push(...validateEnvVarSource(variable.valueFrom, `${at}.valueFrom`));
  });
  return errors;
}

function validateEnvVarSource(source: unknown, path: string): FieldError[] {
  if (!isObject(source)) return [typeInvalid(path, source, 'must be an object')];
  const kinds = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'].filter((k) => source[k] !== undefined && source[k] !== null);
  if (kinds.length === 0) return [required(path, 'must specify one of: fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef')];
  if (kinds.length > 1) return [forbidden(`${path}.${kinds[1]}`, `may not have more than one field specified at a time (already has ${kinds[0]})`)];
  const kind = kinds[0]!;
  const value = source[kind];
  const at = `${path}.${kind}`;
  if (!isObject(value)) return [typeInvalid(at, value, 'must be an object')];
  switch (kind) {
    case 'fieldRef':
      return validateFieldRef(value, at);
    case 'resourceFieldRef':
      return isNonEmptyString(value.resource) && RESOURCE_FIELDS.includes(value.resource)
        ? []
        : [notSupported(`${at}.resource`, value.resource, RESOURCE_FIELDS)];
    case 'configMapKeyRef':
    case 'secretKeyRef': {
      const errors: FieldError[] = [];
      if (!isNonEmptyString(value.name)) errors.push(required(`${at}.name`, `the ${kind === 'configMapKeyRef' ? 'ConfigMap' : 'Secret'} name is required`));
      if (!isNonEmptyString(value.key)) errors.push(required(`${at}.key`, 'the key to read is required'));
      else errors.push(...invalidEach(`${at}.key`, value.key, configMapKey(value.key)));
      return errors;
    }
    default:
      return [];
  }
}

function validateFieldRef(fieldRef: Record<string, unknown>, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (fieldRef.apiVersion !== undefined && fieldRef.apiVersion !== null && fieldRef.apiVersion !== 'v1') {
    errors.push(notSupported(`${path}.apiVersion`, fieldRef.apiVersion, ['v1']));
  }
  const fieldPath = fieldRef.fieldPath;
  if (!isNonEmptyString(fieldPath)) return [...errors, required(`${path}.fieldPath`, 'the pod field to read is required, e.g. metadata.name')];
  const subscripted = SUBSCRIPTED_FIELD_PATH.exec(fieldPath);
  if (subscripted) {
    const [, map, key] = subscripted as unknown as [string, string, string];
    errors.push(...invalidEach(`${path}.fieldPath`, fieldPath, qualifiedName(map === 'annotations' ? key.toLowerCase() : key)));
  } else if (!FIELD_PATHS.includes(fieldPath)) {
    errors.push(notSupported(`${path}.fieldPath`, fieldPath, [...FIELD_PATHS, "metadata.labels['<key>']", "metadata.annotations['<key>']"]));
  }
  return errors;
}

function validateEnvFrom(envFrom: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  listAt(envFrom, path, errors).forEach((source, index) => {
    const at = `${path}[${index}]`;
    if (!isObject(source)) return void errors.push(typeInvalid(at, source, 'must be an object'));
    if (isNonEmptyString(source.prefix)) errors.push(...invalidEach(`${at}.prefix`, source.prefix, envVarName(source.prefix)));
    const kinds = ['configMapRef', 'secretRef'].filter((k) => source[k] !== undefined && source[k] !== null);
    if (kinds.length === 0) errors.push(required(at, 'must specify one of: configMapRef or secretRef'));
    else if (kinds.length > 1) errors.push(forbidden(`${at}.secretRef`, 'may not have more than one field specified at a time'));
    else {
      const ref = source[kinds[0]!];
      if (!isObject(ref) || !isNonEmptyString(ref.name)) errors.push(required(`${at}.${kinds[0]}.name`, 'the name of the object to read is required'));
    }
  });
  return errors;
}

function validateVolumeMounts(mounts: unknown, path: string, volumeNames: ReadonlySet<string>): FieldError[] {
  const errors: FieldError[] = [];
  const mountPaths = new Set<string>();
  listAt(mounts, path, errors).forEach((mount, index) => {
    const at = `${path}[${index}]`;
    if (!isObject(mount)) return void errors.push(typeInvalid(at, mount, 'must be an object {name, mountPath}'));
    if (!isNonEmptyString(mount.name)) errors.push(required(`${at}.name`, 'the name of the volume to mount is required'));
    else if (!volumeNames.has(mount.name)) {
      errors.push(
        invalid(`${at}.name`, mount.name, `no volume named "${mount.name}" in spec.volumes; declare it there (a pod volume of the same name still wins at injection)`),
      );
    }
    const mountPath = mount.mountPath;
    if (!isNonEmptyString(mountPath)) errors.push(required(`${at}.mountPath`, 'where to mount the volume in the container is required'));
    else {
      if (!isAbsolutePath(mountPath)) errors.push(invalid(`${at}.mountPath`, mountPath, 'must be an absolute path, e.g. /var/log'));
      if (mountPaths.has(mountPath)) errors.push(duplicate(`${at}.mountPath`, mountPath, 'must be unique: another mount of this container already uses it'));
      mountPaths.add(mountPath);
    }
    errors.push(...validateRelativePath(mount.subPath, `${at}.subPath`, false));
    if (isNonEmptyString(mount.subPath) && isNonEmptyString(mount.subPathExpr)) {
      errors.push(invalid(`${at}.subPathExpr`, mount.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
    }
    errors.push(...validateRelativePath(mount.subPathExpr, `${at}.subPathExpr`, false));
    errors.push(...checkEnum(`${at}.mountPropagation`, mount.mountPropagation, MOUNT_PROPAGATIONS));
    errors.push(...checkEnum(`${at}.recursiveReadOnly`, mount.recursiveReadOnly, RECURSIVE_READ_ONLY));
    if (mount.recursiveReadOnly !== undefined && mount.recursiveReadOnly !== 'Disabled' && mount.readOnly !== true) {
      errors.push(forbidden(`${at}.recursiveReadOnly`, 'may only be specified when readOnly is true'));
    }
  });
  return errors;
}

const isAbsolutePath = (value: string): boolean => value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value) || value.startsWith('\\');

function validateVolumeDevices(devices: unknown, path: string, volumeNames: ReadonlySet<string>, blockVolumeNames: ReadonlySet<string> | undefined): FieldError[] {
  const errors: FieldError[] = [];
  const devicePaths = new Set<string>();
  listAt(devices, path, errors).forEach((device, index) => {
    const at = `${path}[${index}]`;
    if (!isObject(device)) return void errors.push(typeInvalid(at, device, 'must be an object {name, devicePath}'));
    if (!isNonEmptyString(device.name)) errors.push(required(`${at}.name`, 'the name of the volume is required'));
    else if (!volumeNames.has(device.name)) errors.push(invalid(`${at}.name`, device.name, `no volume named "${device.name}" in spec.volumes`));
    else if (blockVolumeNames && !blockVolumeNames.has(device.name)) {
      errors.push(invalid(`${at}.name`, device.name, 'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'));
    }
    if (!isNonEmptyString(device.devicePath)) errors.push(required(`${at}.devicePath`, 'the device path in the container is required'));
    else {
      if (devicePaths.has(device.devicePath)) errors.push(duplicate(`${at}.devicePath`, device.devicePath, 'must be unique'));
      devicePaths.add(device.devicePath);
    }
  });
  return errors;
}

const RESIZE_RESOURCES = ['cpu', 'memory'];
const RESIZE_RESTART_POLICIES = ['NotRequired', 'RestartContainer'];

function validateResizePolicy(policies: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  listAt(policies, path, errors).forEach((policy, index) => {
    const at = `${path}[${index}]`;
    if (!isObject(policy)) return void errors.push(typeInvalid(at, policy, 'must be an object {resourceName, restartPolicy}'));
    if (!isNonEmptyString(policy.resourceName)) errors.push(required(`${at}.resourceName`, 'cpu or memory'));
    else {
      errors.push(...checkEnum(`${at}.resourceName`, policy.resourceName, RESIZE_RESOURCES));
      if (seen.has(policy.resourceName)) errors.push(duplicate(`${at}.resourceName`, policy.resourceName, 'is listed twice'));
      seen.add(policy.resourceName);
    }
    if (!isNonEmptyString(policy.restartPolicy)) errors.push(required(`${at}.restartPolicy`, 'NotRequired or RestartContainer'));
    else errors.push(...checkEnum(`${at}.restartPolicy`, policy.restartPolicy, RESIZE_RESTART_POLICIES));
  });
  return errors;
}

function validateResources(resources: unknown, path: string): FieldError[] {
  if (resources === undefined || resources === null) return [];
  if (!isObject(resources)) return [typeInvalid(path, resources, 'must be an object {requests, limits}')];
  const errors: FieldError[] = [];
  const read = (field: 'limits' | 'requests') => {
    const list = resources[field];
    const parsed = new Map<string, ReturnType<typeof parseQuantity>>();
    if (list === undefined || list === null) return parsed;
    if (!isObject(list)) {
      errors.push(typeInvalid(`${path}.${field}`, list, 'must be a map of resource names to quantities, e.g. {cpu: 100m, memory: 128Mi}'));
      return parsed;
    }
    for (const [name, value] of Object.entries(list)) {
      const at = keyPath(`${path}.${field}`, name);
      errors.push(...invalidEach(at, name, containerResourceNameErrors(name)));
      const before = errors.length;
      errors.push(...validateNonNegativeQuantity(value, at));
      const quantity = errors.length === before ? parseQuantity(value) : undefined;
      if (quantity && isExtendedResource(name) && !isWholeNumber(quantity)) errors.push(invalid(at, value, 'must be an integer: an extended resource is counted in whole units'));
      if (errors.length === before) parsed.set(name, quantity);
    }
    return parsed;
  };
  const limits = read('limits');
  const requests = read('requests');
  for (const [name, request] of requests) {
    const limit = limits.get(name);
    const at = keyPath(`${path}.requests`, name);
    const raw = (resources.requests as Record<string, unknown>)[name];
    if (!isOvercommitAllowed(name) && !limits.has(name) && !(isObject(resources.limits) && name in resources.limits)) {
      errors.push(required(keyPath(`${path}.limits`, name), `a limit is required for ${name}: an extended resource or huge pages cannot be overcommitted (set the limit equal to the request)`));
    } else if (request && limit && !isOvercommitAllowed(name) && compareQuantities(request, limit) !== 0) {
      errors.push(invalid(at, raw, `must be equal to ${name} limit of ${String((resources.limits as Record<string, unknown>)[name])}: it cannot be overcommitted`));
    } else if (request && limit && compareQuantities(request, limit) > 0) {
      errors.push(invalid(at, raw, `must be less than or equal to ${name} limit of ${String((resources.limits as Record<string, unknown>)[name])}`));
    }
  }
  // A claim names an entry of pod.spec.resourceClaims, which a SidecarSet cannot add (OpenKruise
  // validates the sidecars in a pod that has none, and refuses every claim).
  listAt(resources.claims, `${path}.claims`, errors).forEach((claim, index) => {
    const name = isObject(claim) ? claim.name : undefined;
    errors.push(invalid(`${path}.claims[${index}]`, name, 'must be one of the names in pod.spec.resourceClaims, which a SidecarSet cannot add'));
  });
  const names = [...limits.keys(), ...requests.keys()];
  if (names.some(isHugePagesResource) && !names.some((n) => n === 'cpu' || n === 'memory')) {
    errors.push(forbidden(path, 'huge pages require a cpu or memory request or limit too'));
  }
  return errors;
}

/** Whether a quantity is a whole number (1, 2k, 3Mi; not 500m). */
function isWholeNumber(quantity: Quantity): boolean {
  if (quantity.exponent >= 0) return true;
  return quantity.mantissa % 10n ** BigInt(-quantity.exponent) === 0n;
}

type ProbeKind = 'liveness' | 'readiness' | 'startup';

function validateProbe(probe: unknown, path: string, kind: ProbeKind): FieldError[] {
  if (probe === undefined || probe === null) return [];
  if (!isObject(probe)) return [typeInvalid(path, probe, 'must be an object')];
  const errors = validateHandler(probe, path, ['exec', 'httpGet', 'tcpSocket', 'grpc']);
  for (const field of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    const value = probe[field];
    if (value !== undefined && value !== null && !isNonNegativeInteger(value)) errors.push(invalid(`${path}.${field}`, value, 'must be an integer greater than or equal to 0'));
  }
  if (kind !== 'readiness' && probe.successThreshold !== undefined && probe.successThreshold !== null && probe.successThreshold !== 0 && probe.successThreshold !== 1) {
    errors.push(invalid(`${path}.successThreshold`, probe.successThreshold, `must be 1 for a ${kind} probe`));
  } else if (kind === 'startup' && probe.successThreshold !== 1) {
    // OpenKruise defaults the liveness and readiness probes (successThreshold 1), not the startup
    // probe, and then validates it as a pod's: unset is 0, which it refuses.
    errors.push(invalid(`${path}.successThreshold`, probe.successThreshold ?? 0, 'must be 1 for a startup probe; OpenKruise does not default it, so write successThreshold: 1'));
  }
  const grace = probe.terminationGracePeriodSeconds;
  if (grace !== undefined && grace !== null) {
    if (kind === 'readiness') errors.push(invalid(`${path}.terminationGracePeriodSeconds`, grace, 'must not be set for readinessProbes'));
    else if (!Number.isInteger(grace) || (grace as number) <= 0) errors.push(invalid(`${path}.terminationGracePeriodSeconds`, grace, 'must be greater than 0'));
  }
  return errors;
}

function validateLifecycle(lifecycle: unknown, path: string): FieldError[] {
  if (lifecycle === undefined || lifecycle === null) return [];
  if (!isObject(lifecycle)) return [typeInvalid(path, lifecycle, 'must be an object {postStart, preStop}')];
  const errors: FieldError[] = [];
  for (const hook of ['postStart', 'preStop']) {
    const handler = lifecycle[hook];
    if (handler === undefined || handler === null) continue;
    if (!isObject(handler)) errors.push(typeInvalid(`${path}.${hook}`, handler, 'must be an object'));
    else errors.push(...validateHandler(handler, `${path}.${hook}`, ['exec', 'httpGet', 'tcpSocket', 'sleep']));
  }
  return errors;
}

const SLEEP_MAX_SECONDS = 30;

function validateHandler(handler: Record<string, unknown>, path: string, kinds: readonly string[]): FieldError[] {
  const present = kinds.filter((k) => handler[k] !== undefined && handler[k] !== null);
  if (present.length === 0) return [required(path, `must specify a handler type: one of ${kinds.join(', ')}`)];
  if (present.length > 1) return [forbidden(`${path}.${present[1]}`, `may not specify more than 1 handler type (already has ${present[0]})`)];
  const kind = present[0]!;
  const action = handler[kind];
  const at = `${path}.${kind}`;
  if (!isObject(action)) return [typeInvalid(at, action, 'must be an object')];
  switch (kind) {
    case 'exec':
      return Array.isArray(action.command) && action.command.length > 0 ? [] : [required(`${at}.command`, 'the command to run is required')];
    case 'httpGet':
      return [...validateNamedPort(action.port, `${at}.port`), ...checkEnum(`${at}.scheme`, action.scheme, ['HTTP', 'HTTPS'])];
    case 'tcpSocket':
      return validateNamedPort(action.port, `${at}.port`);
    case 'grpc':
      return isPortNumber(action.port) ? [] : [invalid(`${at}.port`, action.port, 'must be between 1 and 65535, inclusive')];
    case 'sleep':
      // OpenKruise validates the sidecars in a pod whose terminationGracePeriodSeconds is the default 30.
      return Number.isInteger(action.seconds) && (action.seconds as number) > 0 && (action.seconds as number) <= SLEEP_MAX_SECONDS
        ? []
        : [invalid(at, action.seconds, `seconds must be greater than 0 and at most ${SLEEP_MAX_SECONDS} (the default terminationGracePeriodSeconds OpenKruise validates against)`)];
    default:
      return [];
  }
}

function validateNamedPort(port: unknown, path: string): FieldError[] {
  if (port === undefined || port === null || port === '') return [required(path, 'a port number or port name is required')];
  if (typeof port === 'number') return isPortNumber(port) ? [] : [invalid(path, port, 'must be between 1 and 65535, inclusive')];
  if (typeof port === 'string') return invalidEach(path, port, portName(port));
  return [typeInvalid(path, port, 'must be a port number or a port name')];
}

// spec.initContainers and spec.containers: each validated as a pod container, plus the SidecarSet-only
// fields (podInjectPolicy, upgradeStrategy, shareVolumePolicy, transferEnv, resourcesPolicy), names
// unique across both lists (they end up in one pod), and no two containers claiming one hostPort.
import type { FieldError } from '@sidecarset/api';
import { checkEnum, duplicate, forbidden, invalid, invalidEach, isNonEmptyString, isObject, listAt, required, typeInvalid } from './fieldErrors.js';
import { dns1123Label, envVarName, qualifiedName } from './k8sNames.js';
import { validateContainer, type ContainerKind } from './validateContainers.js';
import { validateResourcesPolicy } from './validateResourcesPolicy.js';

const INJECT_POLICIES = ['BeforeAppContainer', 'AfterAppContainer'];
const UPGRADE_TYPES = ['ColdUpgrade', 'HotUpgrade'];
const SHARE_POLICIES = ['enabled', 'disabled'];
const TRANSFER_FIELD_PATH = /^metadata\.(labels|annotations)\['(.+)'\]$/;

interface Named {
  path: string;
  container: Record<string, unknown>;
}

export function validateSidecarContainers(
  initContainers: unknown,
  containers: unknown,
  volumeNames: ReadonlySet<string>,
  errors: FieldError[],
  blockVolumeNames?: ReadonlySet<string>,
): void {
  const all: Named[] = [];
  const lists: [ContainerKind, unknown, string][] = [
    ['initContainer', initContainers, 'spec.initContainers'],
    ['container', containers, 'spec.containers'],
  ];
  for (const [kind, list, path] of lists) {
    listAt(list, path, errors).forEach((container, index) => {
      const at = `${path}[${index}]`;
      if (!isObject(container)) return void errors.push(typeInvalid(at, container, 'a container must be an object with at least a name and an image'));
      errors.push(...validateContainer(container, at, { kind, volumeNames, ...(blockVolumeNames && { blockVolumeNames }) }));
      errors.push(...validateSidecarFields(container, at, kind));
      all.push({ path: at, container });
    });
  }
  errors.push(...uniqueNames(all), ...uniqueHostPorts(all));
}

function uniqueNames(all: readonly Named[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Map<string, string>();
  const claim = (name: string, path: string, what: string) => {
    const first = seen.get(name);
    if (first !== undefined) {
      errors.push(duplicate(path, name, `${what} "${name}" is already used by ${first}; every container of a pod needs its own name`));
    } else seen.set(name, path.replace(/\.(name|upgradeStrategy\.upgradeType)$/, ''));
  };
  for (const { path, container } of all) if (isNonEmptyString(container.name)) claim(container.name, `${path}.name`, 'container name');
  // A HotUpgrade sidecar runs as two containers, <name>-1 and <name>-2.
  for (const { path, container } of all) {
    if (!isHotUpgrade(container) || !isNonEmptyString(container.name)) continue;
    for (const twin of [`${container.name}-1`, `${container.name}-2`]) {
      claim(twin, `${path}.upgradeStrategy.upgradeType`, `HotUpgrade runs this sidecar as "${container.name}-1" and "${container.name}-2", but the name`);
    }
  }
  return errors;
}

function uniqueHostPorts(all: readonly Named[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Map<string, string>();
  for (const { path, container } of all) {
    if (!Array.isArray(container.ports)) continue;
    container.ports.forEach((port: unknown, index) => {
      if (!isObject(port) || typeof port.hostPort !== 'number' || port.hostPort === 0) return;
      const key = `${String(port.hostIP ?? '')}/${port.hostPort}/${String(port.protocol ?? 'TCP')}`;
      const at = `${path}.ports[${index}].hostPort`;
      const first = seen.get(key);
      if (first) errors.push(duplicate(at, port.hostPort, `host port ${port.hostPort}/${String(port.protocol ?? 'TCP')} is already claimed by ${first}`));
      else seen.set(key, at);
    });
  }
  return errors;
}

const isHotUpgrade = (container: Record<string, unknown>): boolean =>
  isObject(container.upgradeStrategy) && container.upgradeStrategy.upgradeType === 'HotUpgrade';

function validateSidecarFields(container: Record<string, unknown>, path: string, kind: ContainerKind): FieldError[] {
  const errors: FieldError[] = [...checkEnum(`${path}.podInjectPolicy`, container.podInjectPolicy, INJECT_POLICIES)];

  for (const field of ['shareVolumePolicy', 'shareVolumeDevicePolicy']) {
    const policy = container[field];
    if (policy === undefined || policy === null) continue;
    if (!isObject(policy)) errors.push(typeInvalid(`${path}.${field}`, policy, `must be an object, e.g. ${field}: {type: enabled}`));
    else errors.push(...checkEnum(`${path}.${field}.type`, policy.type, SHARE_POLICIES));
  }

  const upgrade = container.upgradeStrategy;
  if (upgrade !== undefined && upgrade !== null) {
    if (!isObject(upgrade)) errors.push(typeInvalid(`${path}.upgradeStrategy`, upgrade, 'must be an object {upgradeType, hotUpgradeEmptyImage}'));
    else {
      errors.push(...checkEnum(`${path}.upgradeStrategy.upgradeType`, upgrade.upgradeType, UPGRADE_TYPES));
      if (upgrade.upgradeType === 'HotUpgrade') errors.push(...validateHotUpgrade(container, upgrade, path, kind));
    }
  }

  listAt(container.transferEnv, `${path}.transferEnv`, errors).forEach((transfer, index) =>
    errors.push(...validateTransferEnv(transfer, `${path}.transferEnv[${index}]`)),
  );
  errors.push(...validateResourcesPolicy(container, `${path}.resourcesPolicy`, kind));
  return errors;
}

function validateHotUpgrade(container: Record<string, unknown>, upgrade: Record<string, unknown>, path: string, kind: ContainerKind): FieldError[] {
  const at = `${path}.upgradeStrategy`;
  if (kind === 'initContainer') {
    return [forbidden(`${at}.upgradeType`, 'HotUpgrade is for long-running sidecars in spec.containers; an init container cannot be hot-upgraded: use ColdUpgrade')];
  }
  const errors: FieldError[] = [];
  const empty = upgrade.hotUpgradeEmptyImage;
  if (!isNonEmptyString(empty)) {
    errors.push(required(`${at}.hotUpgradeEmptyImage`, 'HotUpgrade needs an empty image for the idle twin container, e.g. openkruise/hotupgrade-sample:empty'));
  } else if (empty === container.image) {
    errors.push(invalid(`${at}.hotUpgradeEmptyImage`, empty, 'must differ from the sidecar image: the idle twin runs this image while the other one serves'));
  }
  if (isNonEmptyString(container.name) && container.name.length + 2 > 63) {
    errors.push(invalid(`${path}.name`, container.name, 'must be no more than 61 characters with HotUpgrade, which adds "-1" and "-2"'));
  }
  return errors;
}

function validateTransferEnv(transfer: unknown, path: string): FieldError[] {
  if (!isObject(transfer)) return [typeInvalid(path, transfer, 'must be an object {sourceContainerName, envName}')];
  const errors: FieldError[] = [];
  const hasName = transfer.sourceContainerName !== undefined && transfer.sourceContainerName !== null && transfer.sourceContainerName !== '';
  const from = transfer.sourceContainerNameFrom;
  const hasFrom = from !== undefined && from !== null;
  if (!hasName && !hasFrom) {
    errors.push(required(`${path}.sourceContainerName`, 'name the app container to copy from, in sourceContainerName or sourceContainerNameFrom'));
  } else if (hasName && hasFrom) {
    errors.push(forbidden(`${path}.sourceContainerNameFrom`, 'may not be set together with sourceContainerName; keep one of them'));
  }
  if (hasName) {
    if (typeof transfer.sourceContainerName !== 'string') errors.push(typeInvalid(`${path}.sourceContainerName`, transfer.sourceContainerName, 'must be a string'));
    else errors.push(...invalidEach(`${path}.sourceContainerName`, transfer.sourceContainerName, dns1123Label(transfer.sourceContainerName)));
  }
  if (hasFrom) errors.push(...validateSourceContainerNameFrom(from, `${path}.sourceContainerNameFrom`));

  const hasEnvName = transfer.envName !== undefined && transfer.envName !== null && transfer.envName !== '';
  const envNames = listAt(transfer.envNames, `${path}.envNames`, errors);
  if (!hasEnvName && envNames.length === 0) errors.push(required(`${path}.envName`, 'name the variable to copy in envName, or several in envNames'));
  if (hasEnvName) {
    if (typeof transfer.envName !== 'string') errors.push(typeInvalid(`${path}.envName`, transfer.envName, 'must be a string'));
    else errors.push(...invalidEach(`${path}.envName`, transfer.envName, envVarName(transfer.envName)));
  }
  const seen = new Set<string>();
  envNames.forEach((name, index) => {
    const at = `${path}.envNames[${index}]`;
    if (!isNonEmptyString(name)) return void errors.push(required(at, 'must be a non-empty variable name'));
    errors.push(...invalidEach(at, name, envVarName(name)));
    if (seen.has(name)) errors.push(duplicate(at, name, `"${name}" is listed twice`));
    seen.add(name);
  });
  return errors;
}

function validateSourceContainerNameFrom(from: unknown, path: string): FieldError[] {
  if (!isObject(from)) return [typeInvalid(path, from, 'must be an object {fieldRef: {fieldPath}}')];
  const fieldRef = from.fieldRef;
  if (!isObject(fieldRef)) return [required(`${path}.fieldRef`, "a fieldRef is required, e.g. fieldPath: metadata.labels['app-container']")];
  const errors: FieldError[] = [];
  if (fieldRef.apiVersion !== undefined && fieldRef.apiVersion !== null && fieldRef.apiVersion !== '' && fieldRef.apiVersion !== 'v1') {
    errors.push(invalid(`${path}.fieldRef.apiVersion`, fieldRef.apiVersion, 'must be v1'));
  }
  const fieldPath = fieldRef.fieldPath;
  if (!isNonEmptyString(fieldPath)) return [...errors, required(`${path}.fieldRef.fieldPath`, "the pod field holding the container name is required, e.g. metadata.labels['app-container']")];
  const match = TRANSFER_FIELD_PATH.exec(fieldPath);
  if (!match) {
    errors.push(
      invalid(`${path}.fieldRef.fieldPath`, fieldPath, "must be metadata.labels['<key>'] or metadata.annotations['<key>']: the value of that label or annotation names the source container"),
    );
  } else {
    const [, map, key] = match as unknown as [string, string, string];
    errors.push(...invalidEach(`${path}.fieldRef.fieldPath`, fieldPath, qualifiedName(map === 'annotations' ? key.toLowerCase() : key)));
  }
  return errors;
}


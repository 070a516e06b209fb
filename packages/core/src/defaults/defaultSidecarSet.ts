// What the mutating webhook writes on a SidecarSet at CREATE and UPDATE: the defaults of OpenKruise's
// SetDefaultsSidecarSet, including the container and volume defaults it borrows from Kubernetes
// (SetDefaults_Container, probes, ports, field selectors, resource lists, volume sources), with each
// sidecar container then in the shape OpenKruise's webhook stores (goStruct.ts), so that a SidecarSet
// stored here reads, and hashes, like one stored by OpenKruise. Pure: returns a new object.
import type {
  Container,
  HTTPGetAction,
  ObjectFieldSelector,
  Probe,
  SidecarContainer,
  SidecarSet,
  SidecarSetSpec,
  Volume,
} from '@sidecarset/api';
import { goStructValue } from '../hash/goStruct.js';
import { SIDECAR_CONTAINER_STRUCTS } from '../hash/goSidecarContainer.js';
import { SIDECARSET_SPEC_STRUCTS } from '../hash/goSidecarSetSpec.js';
import { canonicalQuantity } from '../validation/quantity.js';
import { defaultImagePullPolicy } from './imagePullPolicy.js';

export const DEFAULT_REVISION_HISTORY_LIMIT = 10;
export const DEFAULT_MAX_UNAVAILABLE = 1;
/** 0644, the default file mode of Secret, ConfigMap, downward API and projected volumes. */
export const DEFAULT_VOLUME_FILE_MODE = 0o644;

export function defaultSidecarSet(sidecarSet: SidecarSet): SidecarSet {
  const out = structuredClone(sidecarSet);
  const spec: SidecarSetSpec = (out.spec ??= {});

  const updateStrategy = (spec.updateStrategy ??= {});
  // Early OpenKruise spelled it spec.strategy.rollingUpdate.maxUnavailable (seed 002); keep what it meant.
  const legacy = spec.strategy?.rollingUpdate?.maxUnavailable;
  if (updateStrategy.maxUnavailable === undefined && legacy !== undefined && legacy !== null) updateStrategy.maxUnavailable = legacy;
  updateStrategy.type ||= 'RollingUpdate';
  updateStrategy.maxUnavailable ??= DEFAULT_MAX_UNAVAILABLE;
  updateStrategy.partition ??= 0;

  if (Array.isArray(spec.initContainers)) spec.initContainers = spec.initContainers.map((c) => storedSidecarContainer(c, 'AfterAppContainer'));
  if (Array.isArray(spec.containers)) spec.containers = spec.containers.map((c) => storedSidecarContainer(c, 'BeforeAppContainer'));
  for (const volume of spec.volumes ?? []) defaultVolume(volume);

  spec.revisionHistoryLimit ??= DEFAULT_REVISION_HISTORY_LIMIT;
  for (const patch of spec.patchPodMetadata ?? []) patch.patchPolicy ||= 'Retain';

  const injectionStrategy = (spec.injectionStrategy ??= {});
  if (injectionStrategy.revision) injectionStrategy.revision.policy ||= 'Always';
  // The whole spec as OpenKruise's webhook writes it back (it re-encodes its Go struct): no empty
  // lists (`volumes: []`), no `paused: false`, canonical quantities in volumes; unknown members kept.
  if (isObject(out.spec)) out.spec = goStructValue(out.spec, 'SidecarSetSpec', SIDECARSET_SPEC_STRUCTS) as SidecarSetSpec;
  return out;
}

/**
 * A sidecar container defaulted, then written as OpenKruise's webhook writes it back (it stores its Go
 * struct re-encoded): `resources: {}` and other zero structs present, empty optional fields left out.
 */
function storedSidecarContainer(container: SidecarContainer, injectPolicy: 'BeforeAppContainer' | 'AfterAppContainer'): SidecarContainer {
  if (!isObject(container)) return container;
  defaultSidecarContainer(container, injectPolicy);
  return goStructValue(container, 'SidecarContainer', SIDECAR_CONTAINER_STRUCTS) as SidecarContainer;
}

function defaultSidecarContainer(container: SidecarContainer, injectPolicy: 'BeforeAppContainer' | 'AfterAppContainer'): void {
  if (!isObject(container)) return;
  container.podInjectPolicy ||= injectPolicy;
  const upgradeStrategy = (container.upgradeStrategy ??= {});
  upgradeStrategy.upgradeType ||= 'ColdUpgrade';
  const shareVolumePolicy = (container.shareVolumePolicy ??= {});
  if (isObject(shareVolumePolicy)) shareVolumePolicy.type ||= 'disabled';
  // shareVolumeDevicePolicy stays unset, as in OpenKruise: unset means disabled.
  for (const transfer of container.transferEnv ?? []) {
    const fieldRef = transfer?.sourceContainerNameFrom?.fieldRef;
    if (fieldRef) defaultFieldSelector(fieldRef);
  }
  defaultContainer(container);
}

/** SetDefaults_Container and the parts of a container OpenKruise defaults. */
function defaultContainer(container: Container): void {
  container.imagePullPolicy ||= defaultImagePullPolicy(container.image);
  container.terminationMessagePath ||= '/dev/termination-log';
  container.terminationMessagePolicy ||= 'File';
  for (const port of container.ports ?? []) if (isObject(port)) port.protocol ||= 'TCP';
  for (const env of container.env ?? []) {
    const fieldRef = env?.valueFrom?.fieldRef;
    if (fieldRef) defaultFieldSelector(fieldRef);
  }
  if (container.resources) {
    canonicalResourceList(container.resources.limits);
    canonicalResourceList(container.resources.requests);
  }
  // OpenKruise defaults the liveness and readiness probes only (not the startup probe).
  for (const probe of [container.livenessProbe, container.readinessProbe]) if (probe) defaultProbe(probe);
  for (const handler of [container.lifecycle?.postStart, container.lifecycle?.preStop]) {
    if (handler?.httpGet) defaultHttpGet(handler.httpGet);
  }
}

function defaultProbe(probe: Probe): void {
  if (!isObject(probe)) return;
  probe.timeoutSeconds ||= 1;
  probe.periodSeconds ||= 10;
  probe.successThreshold ||= 1;
  probe.failureThreshold ||= 3;
  if (probe.httpGet) defaultHttpGet(probe.httpGet);
}

function defaultHttpGet(action: HTTPGetAction): void {
  if (!isObject(action)) return;
  action.path ||= '/';
  action.scheme ||= 'HTTP';
}

function defaultFieldSelector(selector: ObjectFieldSelector): void {
  if (isObject(selector)) selector.apiVersion ||= 'v1';
}

/** Quantities are stored in canonical form, rounded up to milli (SetDefaults_ResourceList). */
function canonicalResourceList(list: Record<string, number | string> | undefined): void {
  if (!isObject(list)) return;
  for (const [name, value] of Object.entries(list)) {
    const canonical = canonicalQuantity(value, true);
    if (canonical !== undefined) list[name] = canonical; // an unreadable quantity is left for validation to report
  }
}

const VOLUME_SOURCES = [
  'awsElasticBlockStore', 'azureDisk', 'azureFile', 'cephfs', 'cinder', 'configMap', 'csi', 'downwardAPI', 'emptyDir',
  'ephemeral', 'fc', 'flexVolume', 'flocker', 'gcePersistentDisk', 'gitRepo', 'glusterfs', 'hostPath', 'image', 'iscsi',
  'nfs', 'persistentVolumeClaim', 'photonPersistentDisk', 'portworxVolume', 'projected', 'quobyte', 'rbd', 'scaleIO',
  'secret', 'storageos', 'vsphereVolume',
] as const satisfies readonly (keyof Volume)[];

/** The names of the volume sources a volume sets. */
export const volumeSourcesOf = (volume: Volume): string[] =>
  VOLUME_SOURCES.filter((source) => volume[source] !== undefined && volume[source] !== null);

/** OpenKruise's SetDefaultPodVolumes. */
function defaultVolume(volume: Volume): void {
  if (!isObject(volume)) return;
  if (volumeSourcesOf(volume).length === 0) volume.emptyDir = {};
  if (isObject(volume.hostPath)) volume.hostPath.type ??= '';
  if (isObject(volume.secret)) volume.secret.defaultMode ??= DEFAULT_VOLUME_FILE_MODE;
  if (isObject(volume.configMap)) volume.configMap.defaultMode ??= DEFAULT_VOLUME_FILE_MODE;
  if (isObject(volume.downwardAPI)) {
    volume.downwardAPI.defaultMode ??= DEFAULT_VOLUME_FILE_MODE;
    for (const item of volume.downwardAPI.items ?? []) if (item?.fieldRef) defaultFieldSelector(item.fieldRef);
  }
  if (isObject(volume.projected)) {
    volume.projected.defaultMode ??= DEFAULT_VOLUME_FILE_MODE;
    for (const source of volume.projected.sources ?? []) {
      for (const item of source?.downwardAPI?.items ?? []) if (item?.fieldRef) defaultFieldSelector(item.fieldRef);
      if (isObject(source?.serviceAccountToken)) source.serviceAccountToken.expirationSeconds ??= 3600;
    }
  }
}

function isObject<T>(value: T): value is T & object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A volume with OpenKruise's volume defaults applied (a new object). */
export function defaultedVolume(volume: Volume): Volume {
  const out = structuredClone(volume);
  defaultVolume(out);
  return out;
}

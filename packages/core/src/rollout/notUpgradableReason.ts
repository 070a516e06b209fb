// Why a pod's injected sidecars cannot be brought to the SidecarSet in place. The API server lets a
// running pod change only its containers' images (and, through pods/resize, their resources), so
// OpenKruise upgrades a pod only when the without-image hash recorded on it equals the SidecarSet's
// (IsSidecarSetUpgradable). When the hashes differ we look at the containers themselves, which names
// what differs and also accepts pods whose containers do match (a pod injected by OpenKruise records
// a hash computed over Go's JSON, which is not ours). A pod container is compared with what injection
// would put there now (sidecarContainerForPod over the SidecarSet as the webhook defaults it, with the
// stdlog rewrite when the pod has it), leaving out the fields the sidecar's upgrade kinds change in
// place and what injection adds to a container: IS_INJECTED, transferred variables, the variables and
// mounts shared from app containers, the ServiceAccount token mount, and the defaults the API server
// gives a pod container.
// The reason names each field (env and mounts down to the variable or path), says what can change in
// place, and that the pod keeps its sidecar until it is recreated; resources on a cluster without
// pods/resize say so.
import type { Container, Pod, SidecarContainer, SidecarSet } from '@sidecarset/api';
import { SIDECARSET_HASH_ANNOTATION, SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION } from '../annotations.js';
import { defaultSidecarSet } from '../defaults/defaultSidecarSet.js';
import { readSidecarSetHashes } from '../inject/podSidecarSetAnnotations.js';
import { SIDECAR_ENV_KEY, sharedVolumeDevices, sharedVolumeMounts } from '../inject/sharedVolumes.js';
import { sidecarContainerForPod } from '../inject/sidecarContainerForPod.js';
import { stdlogSidecarInPod } from '../stdlog/rewriteStdlogVolumes.js';
import { transferredEnv } from '../inject/transferEnv.js';
import { jsonEqual } from '../patch/jsonEqual.js';
import { rolloutContext, type RolloutContext, type RolloutSidecar } from './rolloutContext.js';
import type { CarrierContainer, RolloutCapabilities } from './upgradeKinds/index.js';
import { resourceDifferences } from './upgradeKinds/resizeResources.js';

const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Fields a SidecarSet container has and a pod container does not. */
const SIDECARSET_ONLY_FIELDS = ['podInjectPolicy', 'upgradeStrategy', 'shareVolumePolicy', 'shareVolumeDevicePolicy', 'transferEnv', 'resourcesPolicy'];

/**
 * undefined when only fields that change in place differ (or nothing does); otherwise what differs, e.g.
 * "container sidecar1: env LEVEL differs; only image changes in place, so the pod keeps its sidecar until it is recreated".
 */
export function notUpgradableReason(sidecarSet: SidecarSet, pod: Pod, capabilities?: RolloutCapabilities): string | undefined {
  return notUpgradableReasonWith(rolloutContext(sidecarSet, capabilities), pod);
}

export function notUpgradableReasonWith(ctx: RolloutContext, pod: Pod): string | undefined {
  const recorded = readSidecarSetHashes(pod.metadata?.annotations?.[SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]);
  if (recorded.ok && recorded.hashes.get(ctx.name)?.hash === ctx.hashWithoutImage) return undefined;
  return rememberedDifferences(ctx, pod);
}

/**
 * Pods from an informer's cache are replaced on change, never modified, and the planner looks at
 * every pod on every pass: a pod object's differences from one set of sidecars are computed once.
 */
const differencesByPod = new WeakMap<Pod, Map<string, string | undefined>>();

function rememberedDifferences(ctx: RolloutContext, pod: Pod): string | undefined {
  let known = differencesByPod.get(pod);
  if (known?.has(ctx.sidecarsKey)) return known.get(ctx.sidecarsKey);
  const differences = containerDifferences(ctx, pod);
  if (!known) differencesByPod.set(pod, (known = new Map()));
  if (known.size > 4) known.clear(); // a few SidecarSet specs at a time, not every one ever seen
  known.set(ctx.sidecarsKey, differences);
  return differences;
}

/** The differences between the pod's sidecars and the SidecarSet's, ignoring images; undefined when there are none. */
export function containerDifferences(ctx: RolloutContext, pod: Pod): string | undefined {
  const problems: string[] = [];
  const inPlaceAnywhere = new Set<string>();
  let resourcesDiffer = false;
  for (const sidecar of ctx.sidecars) {
    const inPlace = new Set<string>(sidecar.upgradeKinds.flatMap((kind) => kind.inPlaceFields));
    for (const field of inPlace) inPlaceAnywhere.add(field);
    const carriers = carriersOf(sidecar, pod);
    if (carriers.length === 0) {
      problems.push(`container ${sidecar.name} is not in the pod (a sidecar is added only when a pod is created)`);
      continue;
    }
    for (const carrier of carriers) {
      const actual = (pod.spec?.[carrier.list] ?? []).find((container) => container.name === carrier.name)!;
      const fields = differingFields(carrier.expected, actual, pod, ctx.sidecarSet.spec.volumes, inPlace);
      if (fields.some((field) => field.startsWith('resources'))) resourcesDiffer = true;
      if (fields.length > 0) problems.push(`container ${carrier.name}: ${listing(fields)} ${fields.length === 1 ? 'differs' : 'differ'}`);
    }
  }
  for (const name of recordedSidecarList(ctx.name, pod)) {
    if (!ctx.sidecarNames.has(name)) problems.push(`container ${name} was removed from the SidecarSet (a container cannot be removed from a running pod)`);
  }
  if (problems.length === 0) return undefined;
  const inPlace = [...inPlaceAnywhere].sort();
  const changes = inPlace.length === 0 ? '' : `only ${listing(inPlace)} ${inPlace.length === 1 ? 'changes' : 'change'} in place`;
  // Resources would change in place through pods/resize, had the API server served it.
  const noResize = resourcesDiffer && !ctx.capabilities.podResize ? ' (resources too, through pods/resize, but this API server does not serve it: Kubernetes 1.33+)' : '';
  const keeps = changes ? `${changes}${noResize}, so the pod keeps its sidecar until it is recreated` : 'the pod keeps its sidecar until it is recreated';
  return `${problems.join('; ')}; ${keeps}`;
}

/** The pod containers that carry `sidecar`, as its upgrade kinds find them (the first kind that finds any). */
export function carriersOf(sidecar: RolloutSidecar, pod: Pod): CarrierContainer[] {
  for (const kind of sidecar.upgradeKinds) {
    const carriers = kind.carriers(sidecar, pod);
    if (carriers.length > 0) return carriers;
  }
  return [];
}

function recordedSidecarList(name: string, pod: Pod): string[] {
  const recorded = readSidecarSetHashes(pod.metadata?.annotations?.[SIDECARSET_HASH_ANNOTATION]);
  return recorded.ok ? (recorded.hashes.get(name)?.sidecarList ?? []) : [];
}

const listing = (fields: string[]): string =>
  fields.length === 1 ? fields[0]! : `${fields.slice(0, -1).join(', ')} and ${fields[fields.length - 1]}`;

function differingFields(
  carrierSpec: SidecarContainer,
  actual: Container,
  pod: Pod,
  volumes: SidecarSet['spec']['volumes'],
  inPlace: ReadonlySet<string>,
): string[] {
  const expected = sidecarContainerForPod(stdlogSidecarInPod(carrierSpec, volumes, pod), pod);
  // What injection adds without the SidecarSet saying so: dropped from both sides before comparing.
  const ownEnv = new Set((carrierSpec.env ?? []).map((env) => env.name));
  const addedEnv = new Set([SIDECAR_ENV_KEY]);
  const shared = sharedVolumeMounts(carrierSpec, pod);
  for (const env of [...transferredEnv(carrierSpec.transferEnv, pod), ...shared.env]) if (!ownEnv.has(env.name)) addedEnv.add(env.name);
  const ownMounts = new Set((carrierSpec.volumeMounts ?? []).map((mount) => mount.mountPath));
  const addedMounts = new Set(shared.mounts.map((mount) => mount.mountPath).filter((path) => !ownMounts.has(path)));
  // The API server's ServiceAccount admission mounts the token into every container of the pod.
  if (!ownMounts.has(SERVICE_ACCOUNT_MOUNT_PATH)) addedMounts.add(SERVICE_ACCOUNT_MOUNT_PATH);
  const ownDevices = new Set((carrierSpec.volumeDevices ?? []).map((device) => device.devicePath));
  const addedDevices = new Set(sharedVolumeDevices(carrierSpec, pod).map((device) => device.devicePath).filter((path) => !ownDevices.has(path)));

  const normalise = (container: Container): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...container };
    for (const field of inPlace) delete out[field];
    for (const field of SIDECARSET_ONLY_FIELDS) delete out[field];
    // Computed from the pod's own containers at creation (resourcesPolicy): the policy itself is compared, by the hash.
    if (carrierSpec.resourcesPolicy) delete out['resources'];
    out['env'] = container.env?.filter((env) => !addedEnv.has(env.name));
    out['volumeMounts'] = container.volumeMounts?.filter((mount) => !addedMounts.has(mount.mountPath));
    out['volumeDevices'] = container.volumeDevices?.filter((device) => !addedDevices.has(device.devicePath));
    return pruneEmpty(withPodDefaults(out)) as Record<string, unknown>;
  };
  const want = normalise(expected);
  const have = normalise(defaultedLikeSidecar(actual));
  const fields = new Set([...Object.keys(want), ...Object.keys(have)]);
  return [...fields]
    .filter((field) => !jsonEqual(want[field], have[field]))
    .sort()
    .map((field) => describeField(field, want[field], have[field]));
}

/** The field, down to the entries that differ where a container has a list of named ones. */
function describeField(field: string, want: unknown, have: unknown): string {
  const keyed = (key: string) => (list: unknown) => new Map(((list as Record<string, unknown>[] | undefined) ?? []).map((item) => [String(item[key]), item]));
  const changedKeys = (key: string): string[] => {
    const [a, b] = [keyed(key)(want), keyed(key)(have)];
    return [...new Set([...a.keys(), ...b.keys()])].filter((k) => !jsonEqual(a.get(k), b.get(k))).sort();
  };
  const bounded = (items: string[]) => (items.length > 5 ? `${items.slice(0, 5).join(', ')} and ${items.length - 5} more` : items.join(', '));
  if (field === 'env') {
    const names = changedKeys('name');
    return names.length > 0 ? `env ${bounded(names)}` : 'env (order)';
  }
  if (field === 'volumeMounts') {
    const paths = changedKeys('mountPath');
    return paths.length > 0 ? `volumeMounts ${bounded(paths)}` : 'volumeMounts (order)';
  }
  if (field === 'resources') {
    const which = resourceDifferences(want as never, have as never);
    const detail = which.length > 0 ? `resources (${bounded(which)})` : 'resources';
    return detail;
  }
  return field;
}

/** The pod container with the same defaults the webhook gives a SidecarSet container. */
function defaultedLikeSidecar(container: Container): Container {
  return defaultSidecarSet({ spec: { containers: [container] } }).spec.containers![0]!;
}

/** Defaults the API server adds to a pod container beyond the SidecarSet's: requests from limits, startupProbe. */
function withPodDefaults(container: Record<string, unknown>): Record<string, unknown> {
  const resources = container['resources'] as { limits?: Record<string, unknown>; requests?: Record<string, unknown> } | undefined;
  if (resources?.limits) {
    const requests = { ...resources.limits, ...resources.requests };
    container['resources'] = { ...resources, requests };
  }
  const startup = container['startupProbe'] as Record<string, unknown> | undefined;
  if (startup && typeof startup === 'object') {
    container['startupProbe'] = { timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3, ...startup };
  }
  return container;
}

/** Drops undefined, empty arrays and empty objects, which read the same as absent. */
function pruneEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pruneEmpty);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const pruned = pruneEmpty(item);
    if (pruned === undefined) continue;
    if (Array.isArray(pruned) && pruned.length === 0) continue;
    if (typeof pruned === 'object' && pruned !== null && !Array.isArray(pruned) && Object.keys(pruned).length === 0) continue;
    out[key] = pruned;
  }
  return out;
}

// Injects the SidecarSets that select a pod, as OpenKruise's pod mutating webhook does on CREATE.
// Order: SidecarSets by name. For each one applied: patchPodMetadata, initContainers (sorted by name
// over all SidecarSets; Before ones ahead of the pod's own, After ones behind), containers ([Before...,
// app..., After...], a same-name pod container replaced in place; a sidecar with a resourcesPolicy
// gets the resources it computes from the pod's own containers), the SidecarSet volumes its sidecars
// mount (a pod volume of the same name wins), imagePullSecrets (de-duplicated by name), and the
// injected-list / hash annotations.
//
// Nothing the pod brings decides what is injected: this runs on CREATE, where a pod's author writes
// every field. Its sidecarset annotations and status are not trusted (the API server resets status
// and deletionTimestamp after admission, and anyone can copy the annotations from an injected pod),
// so every SidecarSet that selects the pod is applied again and its containers replace same-name pod
// containers. Injecting twice still changes nothing: the second run rebuilds the same containers,
// and an annotation entry that only differs in updateTimestamp keeps the pod's timestamp.
// A sidecar whose name is taken in the other list (a container named like a pod initContainer, or
// the reverse), or that two SidecarSets both inject, is an error: that pod could not be stored.
//
// Pure: the input pod is never mutated; the result shares unchanged subtrees with the inputs (the pod
// and the SidecarSets), so treat it as immutable.
import type {
  Container,
  ControllerRevision,
  FieldError,
  JsonPatchOperation,
  LocalObjectReference,
  Pod,
  PodSpec,
  SidecarContainer,
  SidecarSet,
  SidecarSetResourceBinding,
  Volume,
} from '@sidecarset/api';
import {
  INJECTED_LIST_ANNOTATION,
  SIDECARSET_HASH_ANNOTATION,
  SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION,
} from '../annotations.js';
import { currentSidecarSetHash, currentSidecarSetHashWithoutImage, isNativeSidecar } from '../hash/sidecarSetHash.js';
import { pickSidecarSetsForPod, sidecarSetName } from '../match/pickSidecarSetsForPod.js';
import { podNamespace } from '../match/sidecarSetMatchesPod.js';
import { jsonPatch } from '../patch/jsonPatch.js';
import { resolveInjectionRevision } from '../revision/resolveInjectionRevision.js';
import { mergeByKey, uniqueByKey } from './mergeByKey.js';
import { patchPodMetadata } from './patchPodMetadata.js';
import { placeSidecarContainers, type PlacedContainer } from './placeSidecarContainers.js';
import { findContainerNameClashes, type InjectedContainer } from './containerNameClashes.js';
import { keepRecordedTimestamps } from './keepRecordedTimestamps.js';
import { encodeSidecarSetHashes, formatInjectedList, toMetav1Time, type SidecarSetHashes } from './podSidecarSetAnnotations.js';
import { sidecarContainerForPod } from './sidecarContainerForPod.js';
import { injectedSidecarNames, withPolicyResources } from './policyResources.js';
import { mirrorInjectedVolumes, type VolumeOrigin } from '../crossNamespace/mirrorInjectedVolumes.js';
import { markPodMirrors } from '../crossNamespace/markPodMirrors.js';
import { rewriteStdlogVolumes } from '../stdlog/rewriteStdlogVolumes.js';
import { placeNativeSidecars } from '../nativeSidecar/placeNativeSidecars.js';
import type { NodeVersions } from '../nativeSidecar/nodeVersions.js';
import { hotUpgradeTwins, parseWorkingContainers, podContainerNames, WORKING_HOT_UPGRADE_CONTAINER_ANNOTATION } from '../hotUpgrade/index.js';

export interface InjectionContext {
  /** The admission request's namespace, used when the pod has none. */
  namespace: string;
  /** Labels of the pod's Namespace, for spec.namespaceSelector. */
  namespaceLabels: Record<string, string>;
  /** ControllerRevisions of SidecarSets (from Kruise's namespace), for injectionStrategy.revision. */
  revisions: ControllerRevision[];
  /** ISO timestamp written as updateTimestamp. */
  now: string;
  /**
   * A random source returning numbers in [0, 1), as Kruise's rand.Float64(): called once for each
   * SidecarSet with injectionStrategy.revision.policy Partial and a percentage partition that reaches
   * the draw, so each SidecarSet draws on its own. Without it such pods get the latest spec.
   */
  draw?: () => number;
  /**
   * SidecarSetResourceBindings (any namespace): a SidecarSet volume naming NAMESPACE/NAME is injected
   * only when one in NAMESPACE authorises it (crossNamespace/). Absent: none, so such a pod is denied.
   */
  bindings?: readonly SidecarSetResourceBinding[];
  /** Names of the cluster's CSIDrivers: a stdlog volume whose driver is not among them is rewritten (stdlog/). Absent: none. */
  csiDrivers?: ReadonlySet<string>;
  /**
   * Kubelet versions of the nodes and the API server's version: sidecars asking to be native sidecars
   * become ones only where the pod's nodes run 1.29+ (nativeSidecar/). Absent: unknown, so they stay
   * regular containers, with a warning.
   */
  nodeVersions?: NodeVersions;
}

/** Why a SidecarSet that selects the pod was not applied: a small fixed set, safe as a metric label. */
export type SkipCode = 'InjectionPaused' | 'NoContainers';

export interface SkippedSidecarSet {
  sidecarSet: string;
  code: SkipCode;
  reason: string;
}

/**
 * A reason to deny the pod. With `sidecarSet` the path is a field of that SidecarSet (a pinned revision
 * that does not resolve, a metadata patch that cannot apply); without it, a field of the pod.
 */
export interface InjectionError extends FieldError {
  sidecarSet?: string;
}

export interface InjectionResult {
  /** The mutated pod; the input itself when nothing changed. */
  pod: Pod;
  /** RFC 6902 operations from the input pod to `pod`. */
  patch: JsonPatchOperation[];
  /** SidecarSet names applied, in order. */
  injected: string[];
  /** SidecarSets that select the pod but were not applied, with why. */
  skipped: SkippedSidecarSet[];
  /** When non-empty the pod must be denied; `pod` is then the input, unchanged. */
  errors: InjectionError[];
  /** Admission warnings for the pod's author (e.g. a sidecar that asked to be native and is not). */
  warnings: string[];
}

interface Application {
  name: string;
  /** The SidecarSet as injected: the live one or the revision injectionStrategy.revision pins. */
  sidecarSet: SidecarSet;
  hash: string;
}

const unchanged = (pod: Pod, skipped: SkippedSidecarSet[], errors: InjectionError[] = []): InjectionResult => ({
  pod,
  patch: [],
  injected: [],
  skipped,
  errors,
  warnings: [],
});

/** Container names recorded in the hash annotation's sidecarList: native-sidecar initContainers and containers, sorted. */
export function sidecarListOf(sidecarSet: SidecarSet): string[] {
  const names = new Set<string>();
  for (const c of sidecarSet.spec.initContainers ?? []) if (isNativeSidecar(c)) names.add(c.name);
  for (const c of sidecarSet.spec.containers ?? []) names.add(c.name);
  return [...names].sort();
}

/** The SidecarSets to apply, each at the revision it injects; paused and empty ones are skipped. */
function chooseApplications(pod: Pod, matched: readonly SidecarSet[], ctx: InjectionContext): { applications: Application[]; skipped: SkippedSidecarSet[]; errors: InjectionError[] } {
  const applications: Application[] = [];
  const skipped: SkippedSidecarSet[] = [];
  const errors: InjectionError[] = [];
  for (const live of matched) {
    const name = sidecarSetName(live);
    if (live.spec.injectionStrategy?.paused) {
      skipped.push({ sidecarSet: name, code: 'InjectionPaused', reason: 'injection is paused (spec.injectionStrategy.paused)' });
      continue;
    }
    const resolved = resolveInjectionRevision(live, pod, ctx.revisions, ctx.draw);
    if (!resolved.ok) {
      errors.push({ ...resolved.error, sidecarSet: name });
      continue;
    }
    if (!resolved.sidecarSet.spec.containers?.length && !resolved.sidecarSet.spec.initContainers?.length) {
      skipped.push({ sidecarSet: name, code: 'NoContainers', reason: 'has no containers or initContainers to inject' });
      continue;
    }
    applications.push({ name, sidecarSet: resolved.sidecarSet, hash: currentSidecarSetHash(resolved.sidecarSet) });
  }
  return { applications, skipped, errors };
}

export function injectPod(pod: Pod, sidecarSets: readonly SidecarSet[], ctx: InjectionContext): InjectionResult {
  const namespace = podNamespace(pod, ctx.namespace);
  const matched = pickSidecarSetsForPod(pod, sidecarSets, namespace, ctx.namespaceLabels);
  if (matched.length === 0) return unchanged(pod, []);

  const { applications, skipped, errors } = chooseApplications(pod, matched, ctx);
  if (errors.length > 0) return unchanged(pod, skipped, errors);
  if (applications.length === 0) return unchanged(pod, skipped);

  const podAnnotations = pod.metadata?.annotations ?? {};
  const annotations: Record<string, string> = { ...podAnnotations };
  for (const { name, sidecarSet } of applications) {
    errors.push(...patchPodMetadata(annotations, sidecarSet.spec.patchPodMetadata, name).map((error) => ({ ...error, sidecarSet: name })));
  }
  if (errors.length > 0) return unchanged(pod, skipped, errors);

  const initContainers: (PlacedContainer & { order: number })[] = [];
  const containers: PlacedContainer[] = [];
  const injectedContainers: InjectedContainer[] = [];
  const volumes: Volume[] = [];
  const volumeOrigins = new Map<Volume, VolumeOrigin>();
  const secrets: LocalObjectReference[] = [];
  const hashes: SidecarSetHashes = new Map();
  const hashesWithoutImage: SidecarSetHashes = new Map();
  const updateTimestamp = toMetav1Time(ctx.now);
  const sidecarNames = injectedSidecarNames(applications.map((a) => a.sidecarSet));
  const warnings: string[] = [];
  // HotUpgrade twins (hotUpgrade/): the working-container map starts from the pod's, as in OpenKruise.
  const workingTwins = parseWorkingContainers(podAnnotations[WORKING_HOT_UPGRADE_CONTAINER_ANNOTATION]);
  const twinAnnotations: Record<string, string> = {};

  for (const { name, sidecarSet, hash } of applications) {
    const otherSidecarSets = applications.filter((other) => other.name !== name).map((other) => ({ name: other.name, spec: other.sidecarSet.spec }));
    const stdlog = rewriteStdlogVolumes(name, sidecarSet.spec, pod, { namespace, namespaceLabels: ctx.namespaceLabels, csiDrivers: ctx.csiDrivers, sidecarNames, otherSidecarSets });
    errors.push(...stdlog.errors);
    const placement = placeNativeSidecars(sidecarSet, stdlog.spec, pod, ctx.nodeVersions);
    warnings.push(...placement.warnings);
    const spec = placement.spec;
    const sidecarSetVolumes = new Map<string, Volume>();
    for (const volume of spec.volumes ?? []) sidecarSetVolumes.set(volume.name, volume);
    const addVolumesOf = (sidecar: SidecarContainer): void => {
      for (const ref of [...(sidecar.volumeMounts ?? []), ...(sidecar.volumeDevices ?? [])]) {
        const volume = sidecarSetVolumes.get(ref.name);
        if (volume) volumes.push(volume);
        if (volume && !volumeOrigins.has(volume)) volumeOrigins.set(volume, { sidecarSet: name, index: (spec.volumes ?? []).indexOf(volume) });
      }
    };
    /** The container for this pod, with the resources its resourcesPolicy computes; undefined (and an error) when that fails. */
    const build = (sidecar: SidecarContainer, list: 'initContainers' | 'containers', index: number): Container | undefined => {
      const step = withPolicyResources(sidecarContainerForPod(sidecar, pod), sidecar, `spec.${list}[${index}]`, pod, sidecarNames);
      if (step.ok) return step.container;
      errors.push({ ...step.error, sidecarSet: name });
      return undefined;
    };
    for (const [index, sidecar] of (spec.initContainers ?? []).entries()) {
      addVolumesOf(sidecar);
      injectedContainers.push({ sidecarSet: name, list: 'initContainers', index, name: sidecar.name });
      const container = build(sidecar, 'initContainers', index);
      if (container) initContainers.push({ container, policy: sidecar.podInjectPolicy ?? 'AfterAppContainer', order: initContainers.length });
    }
    secrets.push(...(spec.imagePullSecrets ?? []));
    for (const [index, sidecar] of (spec.containers ?? []).entries()) {
      addVolumesOf(sidecar);
      for (const podName of podContainerNames(sidecar)) injectedContainers.push({ sidecarSet: name, list: 'containers', index, name: podName });
      const container = build(sidecar, 'containers', index);
      const policy = sidecar.podInjectPolicy ?? 'BeforeAppContainer';
      if (container) for (const twin of hotUpgradeTwins(container, sidecar, workingTwins, twinAnnotations)) containers.push({ container: twin, policy });
    }
    const sidecarList = sidecarListOf(sidecarSet);
    const controllerRevision = sidecarSet.status?.latestRevision;
    hashes.set(name, { updateTimestamp, hash, sidecarSetName: name, sidecarList, ...(controllerRevision ? { controllerRevision } : {}) });
    hashesWithoutImage.set(name, {
      updateTimestamp,
      hash: currentSidecarSetHashWithoutImage(sidecarSet),
      sidecarSetName: name,
      sidecarList: sidecarList.slice(),
    });
  }

  if (errors.length > 0) return unchanged(pod, skipped, errors);
  const podSpec = pod.spec ?? { containers: [] };
  errors.push(...findContainerNameClashes(podSpec, injectedContainers));
  if (errors.length > 0) return unchanged(pod, skipped, errors);

  const spec = { ...podSpec };
  initContainers.sort((a, b) => (a.container.name < b.container.name ? -1 : a.container.name > b.container.name ? 1 : a.order - b.order));
  if (initContainers.length > 0) spec.initContainers = placeSidecarContainers(podSpec.initContainers ?? [], initContainers);
  if (containers.length > 0) spec.containers = placeSidecarContainers(podSpec.containers ?? [], containers);
  if (volumes.length > 0) spec.volumes = mergeByKey(podSpec.volumes ?? [], volumes, (v) => v.name);
  // Only volumes a SidecarSet brings can name a source: a pod without volumes keeps having none.
  const mirrored = spec.volumes
    ? mirrorInjectedVolumes(spec.volumes, volumeOrigins, { bindings: ctx.bindings ?? [], namespace, ...(podSpec.nodeName ? { nodeName: podSpec.nodeName } : {}) })
    : { volumes: undefined, sources: [], errors: [] };
  if (mirrored.errors.length > 0) return unchanged(pod, skipped, mirrored.errors);
  if (mirrored.volumes !== spec.volumes) spec.volumes = mirrored.volumes;
  if (secrets.length > 0) spec.imagePullSecrets = uniqueByKey(podSpec.imagePullSecrets ?? [], secrets, (s) => s.name ?? '');
  // Rebuilt from what is injected now: entries the pod brought for other SidecarSets are dropped.
  annotations[SIDECARSET_HASH_ANNOTATION] = encodeSidecarSetHashes(keepRecordedTimestamps(hashes, podAnnotations[SIDECARSET_HASH_ANNOTATION]));
  annotations[SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION] = encodeSidecarSetHashes(
    keepRecordedTimestamps(hashesWithoutImage, podAnnotations[SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]),
  );
  annotations[INJECTED_LIST_ANNOTATION] = formatInjectedList(applications.map((a) => a.name));
  Object.assign(annotations, twinAnnotations);
  const gatedSpec = markPodMirrors(annotations, spec as PodSpec, mirrored.sources);

  const result: Pod = { ...pod, metadata: { ...pod.metadata, annotations }, spec: gatedSpec as Pod['spec'] };
  const patch = jsonPatch(pod, result);
  const injected = applications.map((a) => a.name);
  return { pod: patch.length === 0 ? pod : result, patch, injected, skipped, errors: [], warnings };
}

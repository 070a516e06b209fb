// Injects the SidecarSets that select a pod, as OpenKruise's pod mutating webhook does on CREATE.
// Order: SidecarSets by name. For each one applied: patchPodMetadata, initContainers (sorted by name
// over all SidecarSets; Before ones ahead of the pod's own, After ones behind), containers ([Before...,
// app..., After...], a same-name pod container replaced in place), the SidecarSet volumes its sidecars
// mount (a pod volume of the same name wins), imagePullSecrets (de-duplicated by name), and the
// injected-list / hash annotations. A SidecarSet already recorded on the pod at the same hash, with its
// containers present, is skipped, so injecting twice changes nothing the second time.
//
// Pure: the input pod is never mutated; the result shares unchanged subtrees with the inputs (the pod
// and the SidecarSets), so treat it as immutable.
import type {
  ControllerRevision,
  FieldError,
  JsonPatchOperation,
  LocalObjectReference,
  Pod,
  SidecarContainer,
  SidecarSet,
  Volume,
} from '@sidecarset/api';
import {
  INJECTED_LIST_ANNOTATION,
  SIDECARSET_HASH_ANNOTATION,
  SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION,
} from '../annotations.js';
import { currentSidecarSetHash, currentSidecarSetHashWithoutImage, isNativeSidecar } from '../hash/sidecarSetHash.js';
import { podInactiveReason } from '../match/podActivity.js';
import { pickSidecarSetsForPod, sidecarSetName } from '../match/pickSidecarSetsForPod.js';
import { podNamespace } from '../match/sidecarSetMatchesPod.js';
import { jsonPatch } from '../patch/jsonPatch.js';
import { resolveInjectionRevision } from '../revision/resolveInjectionRevision.js';
import { mergeByKey, uniqueByKey } from './mergeByKey.js';
import { patchPodMetadata } from './patchPodMetadata.js';
import { placeSidecarContainers, type PlacedContainer } from './placeSidecarContainers.js';
import {
  encodeSidecarSetHashes,
  formatInjectedList,
  parseInjectedList,
  parseSidecarSetHashes,
  toMetav1Time,
  type SidecarSetHashes,
} from './podSidecarSetAnnotations.js';
import { sidecarContainerForPod } from './sidecarContainerForPod.js';

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
   * A number in [0, 1) the caller draws for this pod; used only by injectionStrategy.revision.policy
   * Partial with a percentage partition (Kruise's rand.Float64()). Without it such pods get the latest spec.
   */
  draw?: number;
}

export interface SkippedSidecarSet {
  sidecarSet: string;
  reason: string;
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
  errors: FieldError[];
}

interface Application {
  name: string;
  /** The SidecarSet as injected: the live one or the revision injectionStrategy.revision pins. */
  sidecarSet: SidecarSet;
  hash: string;
}

const unchanged = (pod: Pod, skipped: SkippedSidecarSet[], errors: FieldError[] = []): InjectionResult => ({
  pod,
  patch: [],
  injected: [],
  skipped,
  errors,
});

const podHasContainer = (pod: Pod, name: string): boolean =>
  (pod.spec?.containers ?? []).some((c) => c.name === name) || (pod.spec?.initContainers ?? []).some((c) => c.name === name);

/** Container names recorded in the hash annotation's sidecarList: native-sidecar initContainers and containers, sorted. */
export function sidecarListOf(sidecarSet: SidecarSet): string[] {
  const names = new Set<string>();
  for (const c of sidecarSet.spec.initContainers ?? []) if (isNativeSidecar(c)) names.add(c.name);
  for (const c of sidecarSet.spec.containers ?? []) names.add(c.name);
  return [...names].sort();
}

function hashAnnotationError(key: string, reason: string, value: string | undefined): FieldError {
  return { path: `metadata.annotations[${key}]`, type: 'Invalid', reason: `pod annotation ${key} ${reason}`, value };
}

export function injectPod(pod: Pod, sidecarSets: readonly SidecarSet[], ctx: InjectionContext): InjectionResult {
  const namespace = podNamespace(pod, ctx.namespace);
  const matched = pickSidecarSetsForPod(pod, sidecarSets, namespace, ctx.namespaceLabels);
  if (matched.length === 0) return unchanged(pod, []);

  const skipped: SkippedSidecarSet[] = [];
  const inactive = podInactiveReason(pod);
  if (inactive) return unchanged(pod, matched.map((s) => ({ sidecarSet: sidecarSetName(s), reason: inactive })));

  const podAnnotations = pod.metadata?.annotations ?? {};
  const hashValue = podAnnotations[SIDECARSET_HASH_ANNOTATION];
  const withoutImageValue = podAnnotations[SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION];
  const parsedHashes = parseSidecarSetHashes(hashValue);
  const parsedWithoutImage = parseSidecarSetHashes(withoutImageValue);
  const errors: FieldError[] = [];
  if (!parsedHashes.ok) errors.push(hashAnnotationError(SIDECARSET_HASH_ANNOTATION, parsedHashes.reason, hashValue));
  if (!parsedWithoutImage.ok) {
    errors.push(hashAnnotationError(SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION, parsedWithoutImage.reason, withoutImageValue));
  }
  if (!parsedHashes.ok || !parsedWithoutImage.ok) return unchanged(pod, [], errors);
  const hashes: SidecarSetHashes = parsedHashes.hashes;
  const hashesWithoutImage: SidecarSetHashes = parsedWithoutImage.hashes;
  const injectedBefore = parseInjectedList(podAnnotations[INJECTED_LIST_ANNOTATION]);

  const applications: Application[] = [];
  for (const live of matched) {
    const name = sidecarSetName(live);
    if (live.spec.injectionStrategy?.paused) {
      skipped.push({ sidecarSet: name, reason: 'injection is paused (spec.injectionStrategy.paused)' });
      continue;
    }
    const resolved = resolveInjectionRevision(live, pod, ctx.revisions, ctx.draw);
    if (!resolved.ok) {
      errors.push(resolved.error);
      continue;
    }
    if (!resolved.sidecarSet.spec.containers?.length && !resolved.sidecarSet.spec.initContainers?.length) {
      skipped.push({ sidecarSet: name, reason: 'has no containers or initContainers to inject' });
      continue;
    }
    const hash = currentSidecarSetHash(resolved.sidecarSet);
    if (
      injectedBefore.includes(name) &&
      hashes.get(name)?.hash === hash &&
      (resolved.sidecarSet.spec.containers ?? []).every((c) => podHasContainer(pod, c.name))
    ) {
      skipped.push({ sidecarSet: name, reason: `already injected at hash ${hash}` });
      continue;
    }
    applications.push({ name, sidecarSet: resolved.sidecarSet, hash });
  }
  if (errors.length > 0) return unchanged(pod, skipped, errors);
  if (applications.length === 0) return unchanged(pod, skipped);

  const annotations: Record<string, string> = { ...podAnnotations };
  for (const { name, sidecarSet } of applications) {
    errors.push(...patchPodMetadata(annotations, sidecarSet.spec.patchPodMetadata, name));
  }
  if (errors.length > 0) return unchanged(pod, skipped, errors);

  const initContainers: (PlacedContainer & { order: number })[] = [];
  const containers: PlacedContainer[] = [];
  const volumes: Volume[] = [];
  const secrets: LocalObjectReference[] = [];
  const injectedNames = new Set(injectedBefore);
  const updateTimestamp = toMetav1Time(ctx.now);

  for (const { name, sidecarSet, hash } of applications) {
    injectedNames.add(name);
    const spec = sidecarSet.spec;
    const sidecarSetVolumes = new Map<string, Volume>();
    for (const volume of spec.volumes ?? []) sidecarSetVolumes.set(volume.name, volume);
    const addVolumesOf = (sidecar: SidecarContainer): void => {
      for (const ref of [...(sidecar.volumeMounts ?? []), ...(sidecar.volumeDevices ?? [])]) {
        const volume = sidecarSetVolumes.get(ref.name);
        if (volume) volumes.push(volume);
      }
    };
    for (const sidecar of spec.initContainers ?? []) {
      addVolumesOf(sidecar);
      initContainers.push({
        container: sidecarContainerForPod(sidecar, pod),
        policy: sidecar.podInjectPolicy ?? 'AfterAppContainer',
        order: initContainers.length,
      });
    }
    secrets.push(...(spec.imagePullSecrets ?? []));
    for (const sidecar of spec.containers ?? []) {
      addVolumesOf(sidecar);
      containers.push({ container: sidecarContainerForPod(sidecar, pod), policy: sidecar.podInjectPolicy ?? 'BeforeAppContainer' });
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

  const podSpec = pod.spec ?? { containers: [] };
  const spec = { ...podSpec };
  initContainers.sort((a, b) => (a.container.name < b.container.name ? -1 : a.container.name > b.container.name ? 1 : a.order - b.order));
  if (initContainers.length > 0) spec.initContainers = placeSidecarContainers(podSpec.initContainers ?? [], initContainers);
  if (containers.length > 0) spec.containers = placeSidecarContainers(podSpec.containers ?? [], containers);
  if (volumes.length > 0) spec.volumes = mergeByKey(podSpec.volumes ?? [], volumes, (v) => v.name);
  if (secrets.length > 0) spec.imagePullSecrets = uniqueByKey(podSpec.imagePullSecrets ?? [], secrets, (s) => s.name ?? '');
  annotations[SIDECARSET_HASH_ANNOTATION] = encodeSidecarSetHashes(hashes);
  annotations[SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION] = encodeSidecarSetHashes(hashesWithoutImage);
  annotations[INJECTED_LIST_ANNOTATION] = formatInjectedList(injectedNames);

  const result: Pod = { ...pod, metadata: { ...pod.metadata, annotations }, spec: spec as Pod['spec'] };
  const patch = jsonPatch(pod, result);
  if (patch.length === 0) return { pod, patch, injected: applications.map((a) => a.name), skipped, errors: [] };
  return { pod: result, patch, injected: applications.map((a) => a.name), skipped, errors: [] };
}

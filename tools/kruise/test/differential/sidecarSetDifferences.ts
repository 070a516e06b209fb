// Every way the SidecarSet OpenKruise stores may differ from the one ours stores, and every kind of
// SidecarSet one side admits and the other refuses, for the differential SidecarSet suite
// (../differentialSidecarSets.integration.test.ts), each with its reason. The sibling of
// ./deliberateDifferences.ts (which is about injected pods).
//
// Both stored SidecarSets go through `normaliseStoredSidecarSet`; what is left, the hash annotations
// included (never normalised), must be equal as JSON. An admission difference is named by the
// invalid-SidecarSet breaker that shows it (./invalidSidecarSets.ts); the suite checks that each
// listed difference still happens (a stale entry fails as a mismatch does).
import type { SidecarSet } from '@sidecarset/api';

export interface StoredContext {
  /** The SidecarSet as sent, before either webhook. */
  input: SidecarSet;
  side: 'openkruise' | 'ours';
}

type Normalisation = { name: string; apply: (stored: SidecarSet, context: StoredContext) => void };

const NAMESPACE_LABEL = 'kubernetes.io/metadata.name';

// ---------------------------------------------------------------------------------------------
// Stored object, deliberate
// ---------------------------------------------------------------------------------------------
const STORED_DELIBERATE: Normalisation[] = [
  {
    // Set by the API server per object and per write; not a webhook's doing.
    name: 'server-set metadata (uid, resourceVersion, creationTimestamp, managedFields, generation)',
    apply: (stored) => {
      const m = stored.metadata as Record<string, unknown>;
      for (const key of ['uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'generation']) delete m[key];
    },
  },
  {
    // OpenKruise's plane runs its SidecarSet controller in the same manager, which writes status
    // (observedGeneration, matchedPods...) soon after the create; ours runs only the webhook here.
    name: 'status (written by the controller, not the webhook)',
    apply: (stored) => {
      delete (stored as { status?: unknown }).status;
    },
  },
  {
    // OpenKruise stores v1beta1 and converts a v1alpha1 `spec.namespace: X` to
    // `namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: X}}` (its ConvertTo; a
    // namespaceSelector written next to it is dropped), and reads it back as that selector only;
    // ours stores the v1alpha1 object as written. Both select the pods of namespace X. Compared in
    // OpenKruise's form.
    name: 'v1alpha1 spec.namespace read back as a namespaceSelector',
    apply: (stored, context) => {
      const spec = stored.spec;
      if (context.side !== 'ours' || typeof spec?.namespace !== 'string' || spec.namespace === '') return;
      spec.namespaceSelector = { matchLabels: { [NAMESPACE_LABEL]: spec.namespace } };
      delete spec.namespace;
    },
  },
  {
    // docs/differences-from-openkruise.md, seed 002's legacy spec.strategy: OpenKruise's CRD prunes
    // it (maxUnavailable stays the default 1), ours keeps it and reads its maxUnavailable (2).
    name: "seed 002's legacy spec.strategy (and the maxUnavailable it sets)",
    apply: (stored, context) => {
      if ((context.input.spec as { strategy?: unknown } | undefined)?.strategy === undefined) return;
      delete (stored.spec as { strategy?: unknown }).strategy;
      if (context.input.spec.updateStrategy?.maxUnavailable === undefined) delete stored.spec.updateStrategy?.maxUnavailable;
    },
  },
  {
    // docs/differences-from-openkruise.md, fields newer than OpenKruise's Kubernetes (k8s.io/api
    // v0.32): ours stores them as written, OpenKruise's webhook re-encodes its Go struct and drops them.
    name: 'sidecar fields newer than Kubernetes 1.32 (lifecycle.stopSignal, env valueFrom.fileKeyRef), kept by ours',
    apply: (stored, context) => {
      if (context.side !== 'ours') return;
      for (const c of sidecarsOf(stored)) {
        if (c.lifecycle) delete (c.lifecycle as { stopSignal?: unknown }).stopSignal;
        for (const e of c.env ?? []) if (e.valueFrom) delete (e.valueFrom as { fileKeyRef?: unknown }).fileKeyRef;
      }
    },
  },
  {
    // docs/differences-from-openkruise.md, `grpc.service`: OpenKruise's webhook writes the null its Go
    // type has (a pointer without omitempty) and its schemaless container field keeps it; ours leaves it out.
    name: 'probe grpc.service null (OpenKruise)',
    apply: (stored, context) => {
      if (context.side !== 'openkruise') return;
      for (const c of sidecarsOf(stored)) {
        for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
          const grpc = probe?.grpc as { service?: unknown } | undefined;
          if (grpc && grpc.service === null) delete grpc.service;
        }
      }
    },
  },
  {
    // The same row: an ephemeral volume's claim template metadata, a metav1.ObjectMeta, gets the
    // `creationTimestamp: null` its Go type writes (a struct, never omitted); ours leaves it out.
    name: 'ephemeral volumeClaimTemplate.metadata.creationTimestamp null (OpenKruise)',
    apply: (stored, context) => {
      if (context.side !== 'openkruise') return;
      for (const volume of stored.spec?.volumes ?? []) {
        const metadata = volume.ephemeral?.volumeClaimTemplate?.metadata as { creationTimestamp?: unknown } | undefined;
        if (metadata && metadata.creationTimestamp === null) delete metadata.creationTimestamp;
      }
    },
  },
];

const sidecarsOf = (s: SidecarSet) => [...(s.spec?.containers ?? []), ...(s.spec?.initContainers ?? [])];

// ---------------------------------------------------------------------------------------------
// Stored object, known and not yet fixed (found by this suite; each with a regression case)
// ---------------------------------------------------------------------------------------------
const STORED_KNOWN_NOT_YET_FIXED: Normalisation[] = [];

export const STORED_NORMALISATIONS = { deliberate: STORED_DELIBERATE, knownNotYetFixed: STORED_KNOWN_NOT_YET_FIXED };

/** A copy of `stored` with every listed difference removed; `hits` counts the normalisations that changed something. */
export function normaliseStoredSidecarSet(stored: SidecarSet, context: StoredContext, hits?: Map<string, number>): SidecarSet {
  const copy = structuredClone(stored);
  for (const [section, normalisations] of Object.entries(STORED_NORMALISATIONS)) {
    for (const n of normalisations) {
      const before = hits ? JSON.stringify(copy) : '';
      n.apply(copy, context);
      const key = `${section}: ${n.name} (${context.side})`;
      if (hits && JSON.stringify(copy) !== before) hits.set(key, (hits.get(key) ?? 0) + 1);
    }
  }
  return copy;
}

// ---------------------------------------------------------------------------------------------
// Admission: what one side admits and the other refuses, deliberately
// ---------------------------------------------------------------------------------------------
export interface AdmissionDifference {
  /** What OpenKruise v1.9.0 does with such a SidecarSet (ours does the other). */
  openkruise: 'admits' | 'refuses';
  reason: string;
}

/**
 * Keyed by id; a breaker of ./invalidSidecarSets.ts names the id it shows. Every entry here is also
 * a row of docs/differences-from-openkruise.md.
 */
export const ADMISSION_DIFFERENCES = {
  'enum-typo': {
    openkruise: 'admits',
    reason:
      "Values outside the enums of updateStrategy.type, patchPolicy, upgradeType, shareVolumeDevicePolicy.type, and an initContainer's podInjectPolicy and shareVolumePolicy.type: OpenKruise's CRD has no enum for them and its webhook checks only some (a container's podInjectPolicy and shareVolumePolicy), so a typo is stored and then acts as some other value (updateStrategy.type Rollingupdate rolls pods without the checks RollingUpdate gets). Ours refuses it at apply, naming the field and the allowed values.",
  },
  'not-update-strategy': {
    openkruise: 'admits',
    reason:
      "With updateStrategy.type NotUpdate OpenKruise skips every check of the rest of updateStrategy (partition, maxUnavailable, selector, priorityStrategy, scatterStrategy); ours checks them whatever the type, so switching the type back to RollingUpdate later cannot be refused for a field nobody touched.",
  },
  'percent-over-100': {
    openkruise: 'admits',
    reason: 'A partition or maxUnavailable over 100% means no more than 100%; ours refuses it rather than guess whether 150% was meant as 15%.',
  },
  'transfer-env-incomplete': {
    openkruise: 'admits',
    reason:
      'A transferEnv entry without a source container (sourceContainerName or sourceContainerNameFrom) or without a variable (envName or envNames) copies nothing at injection; OpenKruise stores it silently, ours refuses it naming the missing field.',
  },
  'hot-upgrade-rules': {
    openkruise: 'admits',
    reason:
      'HotUpgrade without hotUpgradeEmptyImage (or with it equal to the image) on a container, or HotUpgrade on an initContainer: OpenKruise stores it and then injects a twin container without an image (the pod is refused) or ignores the HotUpgrade; ours refuses the SidecarSet.',
  },
  'namespace-and-selector': {
    openkruise: 'admits',
    reason:
      "spec.namespace together with spec.namespaceSelector: OpenKruise's v1alpha1 conversion keeps the namespace and drops the selector without a word; ours refuses the pair, naming both fields.",
  },
  'namespace-not-a-name': {
    openkruise: 'admits',
    reason: "A spec.namespace that no namespace can have (e.g. upper case): OpenKruise checks it only as a label value; ours as a namespace name (DNS label), since it selects nothing otherwise.",
  },
  'revision-history-negative': {
    openkruise: 'admits',
    reason: 'A negative revisionHistoryLimit: OpenKruise does not check it; ours refuses it (it counts revisions to keep).',
  },
  'pull-secret-unnamed': {
    openkruise: 'admits',
    reason: 'An imagePullSecrets entry without a name: OpenKruise copies it into every pod; ours refuses it at apply.',
  },
  'order-key-not-a-label-key': {
    openkruise: 'admits',
    reason: 'priorityStrategy.orderPriority[].orderedKey that is not a label key (or a scatterStrategy value that is not a label value): it can never match a pod label; ours refuses it.',
  },
  'merge-patch-json-not-json': {
    openkruise: 'admits',
    reason:
      'patchPodMetadata with MergePatchJson and a value that is not a JSON object: OpenKruise stores it and then fails or skips at every injection; ours refuses it at apply.',
  },
  'cross-list-name-in-other': {
    openkruise: 'admits',
    reason:
      "A container named like an initContainer of another SidecarSet that can select the same pods (or the reverse): OpenKruise compares containers with containers and initContainers with initContainers only, and the pod both select is refused later (Duplicate value); ours refuses the SidecarSet.",
  },
  'native-sidecar-rolling': {
    openkruise: 'refuses',
    reason:
      "A native sidecar (an initContainer with restartPolicy: Always) in a SidecarSet with updateStrategy RollingUpdate (the default): OpenKruise refuses it ('The initContainer in-place upgrade is not currently supported'); ours upgrades native sidecars in place (docs/DESIGN.md, Beyond OpenKruise), so it admits them.",
  },
  'pin-own-custom-version': {
    openkruise: 'refuses',
    reason:
      "injectionStrategy.revision.customVersion equal to the SidecarSet's own apps.kruise.io/sidecarset-custom-version label before any revision is recorded (at create): OpenKruise looks for a ControllerRevision and finds none; ours admits it (docs/differences-from-openkruise.md, the revision pin row: the SidecarSet's own version needs no recorded revision), so the same YAML does not depend on whether the controller has run yet.",
  },
  'transfer-env-unclear': {
    openkruise: 'admits',
    reason:
      'A transferEnv entry with both sourceContainerName and sourceContainerNameFrom (one of them is silently ignored), or naming a source container or variable that cannot exist (Bad_Name, A=B): OpenKruise does not check these names; ours refuses them, naming the field.',
  },
  'overlap-exact': {
    openkruise: 'admits',
    reason:
      "Whether two SidecarSets can select the same pod: OpenKruise's IsSelectorOverlapping takes a selector that requires a key (Exists) the other does not mention for disjoint, so it admits a volume, container or Overwrite clash between {app: web, tier Exists} and {app: web}, which a pod labelled app=web,tier=x gets both of; ours decides overlap exactly and refuses the clash.",
  },
} as const satisfies Record<string, AdmissionDifference>;

export type AdmissionDifferenceId = keyof typeof ADMISSION_DIFFERENCES;

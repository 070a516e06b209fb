// Every way the pod OpenKruise's webhook returns may differ from ours, for the differential
// injection suite (../differentialInjection.integration.test.ts), each with its reason. Both
// returned pods go through `normalisePod`; what is left must be equal as JSON.
//
// Three sections:
//   deliberate            differences we keep (server-set fields, time stamps, orders OpenKruise
//                         leaves to its cache, rows of docs/differences-from-openkruise.md);
//   known, being fixed    differences issue 9 lists, fixed in packages/core by another engineer now:
//                         remove the normalisation when the fix lands;
//   known, not yet fixed  differences this suite found that are not deliberate, with the exact
//                         difference and a regression case in ./regressionCases.ts.
import type { Container, Pod, SidecarSet } from '@sidecarset/api';

export const HASH = 'kruise.io/sidecarset-hash';
export const HASH_WITHOUT_IMAGE = 'kruise.io/sidecarset-hash-without-image';
export const INJECTED_LIST = 'kruise.io/sidecarset-injected-list';

export interface NormaliseContext {
  /** The SidecarSets both sides hold, in any order. */
  sidecarSets: readonly SidecarSet[];
  /** Which side the pod came from (some known differences are one-sided). */
  side: 'openkruise' | 'ours';
  /** The pod as created, before either webhook. */
  input: Pod;
}

type Normalisation = { name: string; apply: (pod: Pod, context: NormaliseContext) => void };

// ---------------------------------------------------------------------------------------------
// Deliberate
// ---------------------------------------------------------------------------------------------
const DELIBERATE: Normalisation[] = [
  {
    // docs/differences-from-openkruise.md, "Native sidecars where the nodes can run them": a SidecarSet
    // container with env ECI_SIDECAR_CONTAINER=true (seed 000), or every container of a SidecarSet
    // annotated sidecarset.dev/native-sidecars: "true", is injected by ours as a native sidecar
    // (initContainers, restartPolicy Always) when the pod's nodes run 1.29+ (this suite's planes have
    // no node and a 1.36 API server); OpenKruise injects a regular container. Our pod's native sidecars
    // are moved back where OpenKruise puts them (Before: ahead of the app containers, After: behind),
    // before the order normalisation below. Applied first.
    name: 'sidecars asking to be native are native sidecars on ours',
    apply: (pod, context) => {
      if (context.side !== 'ours' || !pod.spec?.initContainers) return;
      const asked = new Map<string, string>();
      for (const s of context.sidecarSets) {
        const all = s.metadata?.annotations?.['sidecarset.dev/native-sidecars'] === 'true';
        for (const c of s.spec.containers ?? []) {
          if (all || c.env?.find((e) => e.name === 'ECI_SIDECAR_CONTAINER')?.value?.toLowerCase() === 'true') asked.set(c.name, c.podInjectPolicy ?? 'BeforeAppContainer');
        }
      }
      const moved = pod.spec.initContainers.filter((c) => c.restartPolicy === 'Always' && asked.has(c.name));
      if (moved.length === 0) return;
      pod.spec.initContainers = pod.spec.initContainers.filter((c) => !moved.includes(c));
      if (pod.spec.initContainers.length === 0 && !context.input.spec?.initContainers) delete pod.spec.initContainers;
      const regular = moved.map(({ restartPolicy: _restartPolicy, ...c }) => c as Container);
      const before = regular.filter((c) => asked.get(c.name) === 'BeforeAppContainer');
      const after = regular.filter((c) => asked.get(c.name) !== 'BeforeAppContainer');
      pod.spec.containers = [...before, ...pod.spec.containers, ...after];
    },
  },
  {
    // Set by the API server per request; not the webhook's doing.
    name: 'server-set metadata (uid, creationTimestamp, resourceVersion, managedFields)',
    apply: (pod) => {
      const m = pod.metadata as Record<string, unknown>;
      for (const key of ['uid', 'creationTimestamp', 'resourceVersion', 'managedFields', 'generation']) delete m[key];
    },
  },
  {
    // The ServiceAccount admission plugin names the token volume kube-api-access-<5 random characters>.
    name: 'kube-api-access-* volume name',
    apply: (pod) => {
      const rename = (name: string): string => name.replace(/^kube-api-access-[a-z0-9]{5}$/, 'kube-api-access-xxxxx');
      for (const volume of pod.spec?.volumes ?? []) volume.name = rename(volume.name);
      for (const container of allContainers(pod)) for (const mount of container.volumeMounts ?? []) mount.name = rename(mount.name);
    },
  },
  {
    // The time of the injection (OpenKruise: time.Now() of its webhook; ours: the admission's clock).
    name: 'updateTimestamp and controllerRevision of each hash annotation entry',
    apply: (pod) => {
      for (const key of [HASH, HASH_WITHOUT_IMAGE]) {
        const value = pod.metadata?.annotations?.[key];
        if (value === undefined) continue;
        try {
          const entries = JSON.parse(value) as Record<string, Record<string, unknown>>;
          for (const entry of Object.values(entries)) {
            if (!entry || typeof entry !== 'object') continue;
            delete entry.updateTimestamp;
            // The SidecarSet's status.latestRevision when the webhook's cache had it: OpenKruise's
            // manager runs its controller, which writes it while a world's pods are created (so it
            // is there or not by timing); our plane in this suite runs no controller.
            delete entry.controllerRevision;
          }
          pod.metadata!.annotations![key] = JSON.stringify(sortKeys(entries));
        } catch {
          // not JSON: compared as is
        }
      }
    },
  },
  {
    // Containers from several SidecarSets: OpenKruise takes the SidecarSets in its cache's list order
    // (a map's), ours in a deterministic order (issue 9: "containers from several SidecarSets come in
    // a deterministic order here"). Within one SidecarSet the order is the spec's on both sides, so
    // each run of adjacent injected sidecars is ordered by (SidecarSet name, position in its spec).
    name: 'order of sidecars from several SidecarSets',
    apply: (pod, context) => {
      const rank = sidecarRank(context.sidecarSets);
      if (pod.spec?.containers) pod.spec.containers = sortRuns(pod.spec.containers, (c) => rank.get(`c/${c.name}`));
      if (pod.spec?.initContainers) pod.spec.initContainers = sortRuns(pod.spec.initContainers, (c) => rank.get(`i/${c.name}`));
    },
  },
  {
    // The same order decides which injected volumes and pull secrets come first: OpenKruise lists
    // the SidecarSets of the pod's namespace, then the cluster-scoped ones, each in its cache's order
    // (pkg/webhook/pod/mutating/sidecarset.go), and appends their volumes and imagePullSecrets in
    // that order; ours appends them in its deterministic order. The pod's own stay first, in place.
    name: 'order of volumes and imagePullSecrets added from several SidecarSets',
    apply: (pod, context) => {
      const ownVolumes = new Set((context.input.spec?.volumes ?? []).map((v) => v.name));
      const ownSecrets = new Set((context.input.spec?.imagePullSecrets ?? []).map((s) => s.name ?? ''));
      if (pod.spec?.volumes) pod.spec.volumes = ownFirstThenByName(pod.spec.volumes, (v) => v.name, ownVolumes);
      if (pod.spec?.imagePullSecrets) pod.spec.imagePullSecrets = ownFirstThenByName(pod.spec.imagePullSecrets, (s) => s.name ?? '', ownSecrets);
    },
  },
  {
    // docs/differences-from-openkruise.md, "On pod CREATE, every SidecarSet that selects the pod is
    // injected again, whatever the pod carries": the injected-list and hash annotations are rebuilt
    // from what is injected now, so entries the pod brought for SidecarSets not injected now are
    // dropped; OpenKruise keeps them. Here: entries the pod brought for a SidecarSet that does not
    // exist on either side are dropped from both pods.
    name: 'injection annotations the pod brought for SidecarSets that do not exist',
    apply: (pod, context) => {
      const existing = new Set(context.sidecarSets.map((s) => s.metadata!.name!));
      const brought = new Set([
        ...(context.input.metadata?.annotations?.[INJECTED_LIST] ?? '').split(',').filter(Boolean),
        ...[HASH, HASH_WITHOUT_IMAGE].flatMap((key) => Object.keys(parseObject(context.input.metadata?.annotations?.[key]) ?? {})),
      ]);
      const gone = (name: string) => brought.has(name) && !existing.has(name);
      const annotations = pod.metadata?.annotations;
      if (!annotations) return;
      if (annotations[INJECTED_LIST] !== undefined) {
        const list = annotations[INJECTED_LIST].split(',').filter((name) => !gone(name));
        if (list.length) annotations[INJECTED_LIST] = list.join(',');
        else delete annotations[INJECTED_LIST];
      }
      for (const key of [HASH, HASH_WITHOUT_IMAGE]) {
        const entries = parseObject(annotations[key]);
        if (!entries) continue;
        for (const name of Object.keys(entries)) if (gone(name)) delete entries[name];
        if (Object.keys(entries).length) annotations[key] = JSON.stringify(sortKeys(entries));
        else delete annotations[key];
      }
    },
  },
];

function parseObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The items named in `own` in their order, then the others sorted by name. */
function ownFirstThenByName<T>(items: T[], nameOf: (item: T) => string, own: Set<string>): T[] {
  const isOwn = (item: T) => own.has(nameOf(item)) || nameOf(item).startsWith('kube-api-access-');
  return [...items.filter(isOwn), ...items.filter((i) => !isOwn(i)).sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0))];
}

// ---------------------------------------------------------------------------------------------
// Known, being fixed (issue 9, item 5; packages/core)
// ---------------------------------------------------------------------------------------------
// Issue 9's list, as far as this suite meets it: IS_INJECTED appended even when the sidecar sets it
// was fixed in a4f91c3 (now a regression case, no normalisation); resourcesPolicy is generated and
// computed alike on both sides (no normalisation; regression cases resources-policy-*); Partial
// draws and the patchPodMetadata whitelist are not generated here (see the suite's header). Empty now.
const KNOWN_BEING_FIXED: Normalisation[] = [];

// ---------------------------------------------------------------------------------------------
// Known, not yet fixed (found by this suite; each has a regression case in ./regressionCases.ts)
// ---------------------------------------------------------------------------------------------
const KNOWN_NOT_YET_FIXED: Normalisation[] = [];

export const NORMALISATIONS = { deliberate: DELIBERATE, knownBeingFixed: KNOWN_BEING_FIXED, knownNotYetFixed: KNOWN_NOT_YET_FIXED };

/**
 * A copy of `pod` with every listed difference removed. `hits` counts, by section and name, the
 * normalisations that changed something (so a report shows which ones the cases needed).
 */
export function normalisePod(pod: Pod, context: NormaliseContext, hits?: Map<string, number>): Pod {
  const copy = structuredClone(pod);
  for (const [section, normalisations] of Object.entries(NORMALISATIONS)) {
    for (const n of normalisations) {
      const before = hits ? JSON.stringify(copy) : '';
      n.apply(copy, context);
      if (hits && JSON.stringify(copy) !== before) hits.set(`${section}: ${n.name} (${context.side})`, (hits.get(`${section}: ${n.name} (${context.side})`) ?? 0) + 1);
    }
  }
  return copy;
}

function allContainers(pod: Pod): Container[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
}

/** `c/<name>` and `i/<name>` -> the sidecar's rank by (SidecarSet name, position in its list). */
function sidecarRank(sidecarSets: readonly SidecarSet[]): Map<string, number> {
  const rank = new Map<string, number>();
  const sorted = [...sidecarSets].sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1));
  let n = 0;
  for (const set of sorted) {
    for (const c of set.spec.containers ?? []) {
      // A HotUpgrade sidecar is injected as its twins NAME-1, NAME-2, in that order on both sides.
      const names = c.upgradeStrategy?.upgradeType === 'HotUpgrade' ? [`${c.name}-1`, `${c.name}-2`] : [c.name];
      for (const name of names) rank.set(`c/${name}`, n++);
    }
    for (const c of set.spec.initContainers ?? []) rank.set(`i/${c.name}`, n++);
  }
  return rank;
}

/** Sorts each maximal run of adjacent items that have a rank by it; unranked items stay where they are. */
function sortRuns<T>(items: T[], rankOf: (item: T) => number | undefined): T[] {
  const out: T[] = [];
  let run: T[] = [];
  const flush = () => {
    out.push(...run.sort((a, b) => rankOf(a)! - rankOf(b)!));
    run = [];
  };
  for (const item of items) {
    if (rankOf(item) === undefined) {
      flush();
      out.push(item);
    } else run.push(item);
  }
  flush();
  return out;
}

function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])])) as T;
}

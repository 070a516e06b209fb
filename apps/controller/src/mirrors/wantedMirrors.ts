// Which mirrors one source namespace should have, from what nobody but admins and the API server
// write: the SidecarSets' volumes, the bindings of that namespace, and the specs of the live pods each
// SidecarSet selects now (PodsBySidecarSet's scope) whose volumes refer to the mirror's name.
// Annotations a pod carries (sidecarset.dev/mirrors) decide nothing.
import type { Pod, SidecarSet, SidecarSetResourceBinding, Volume } from '@sidecarset/api';
import { authorisingBindings, crossNamespaceSources, isPodActive, mirrorName, sourceKey, type CrossNamespaceSource, type SourceKind } from '@sidecarset/core';

/** A mirror's identity: kind (its source's), the pod namespace it lives in, and its name. */
export interface MirrorRef {
  kind: SourceKind;
  namespace: string;
  name: string;
}

export const mirrorKey = (ref: MirrorRef): string => `${ref.kind}/${ref.namespace}/${ref.name}`;

export interface WantedMirror extends MirrorRef {
  source: CrossNamespaceSource;
  /** Names of the live bindings authorising it (for some SidecarSet whose pods need it), sorted. */
  bindings: string[];
  /** The pods that need it. */
  pods: Pod[];
}

/** The names of `kind` the volume refers to (direct or projected). */
function namesIn(volume: Volume, kind: SourceKind): string[] {
  const names: string[] = [];
  if (kind === 'ConfigMap') {
    if (volume.configMap?.name) names.push(volume.configMap.name);
    for (const s of volume.projected?.sources ?? []) if (s.configMap?.name) names.push(s.configMap.name);
  } else {
    if (volume.secret?.secretName) names.push(volume.secret.secretName);
    for (const s of volume.projected?.sources ?? []) if (s.secret?.name) names.push(s.secret.name);
  }
  return names;
}

/** Whether the pod's own spec has a volume referring to the `kind` object named `name`. */
export const podRefersTo = (pod: Pod, kind: SourceKind, name: string): boolean => (pod.spec?.volumes ?? []).some((v) => namesIn(v, kind).includes(name));

/** Bindings that are not being deleted: a binding being deleted authorises nothing. */
export const liveBindings = (bindings: readonly SidecarSetResourceBinding[]): SidecarSetResourceBinding[] => bindings.filter((b) => !b.metadata?.deletionTimestamp);

/** The sources of `sidecarSet`, each once. */
export function uniqueSources(sidecarSet: SidecarSet): CrossNamespaceSource[] {
  const seen = new Map<string, CrossNamespaceSource>();
  for (const { source } of crossNamespaceSources(sidecarSet)) seen.set(sourceKey(source), source);
  return [...seen.values()];
}

/** The sources of `sidecarSet` in `namespace`, each once. */
export const sourcesIn = (sidecarSet: SidecarSet, namespace: string): CrossNamespaceSource[] => uniqueSources(sidecarSet).filter((s) => s.namespace === namespace);

/**
 * The wanted mirrors of the sources in `sourceNamespace`, keyed by mirrorKey. `bindings` are that
 * namespace's; `podsOf` gives the pods a SidecarSet selects now and was injected into.
 */
export function wantedMirrors(
  sourceNamespace: string,
  sidecarSets: readonly SidecarSet[],
  bindings: readonly SidecarSetResourceBinding[],
  podsOf: (sidecarSet: string) => Pod[],
): Map<string, WantedMirror> {
  const live = liveBindings(bindings);
  const wanted = new Map<string, WantedMirror>();
  for (const sidecarSet of sidecarSets) {
    const setName = sidecarSet.metadata?.name ?? '';
    const sources = sourcesIn(sidecarSet, sourceNamespace)
      .map((source) => ({ source, name: mirrorName(source), by: authorisingBindings(live, setName, source).map((b) => b.metadata?.name ?? '') }))
      .filter((s) => s.by.length > 0);
    if (sources.length === 0) continue;
    for (const pod of podsOf(setName)) {
      if (!isPodActive(pod)) continue;
      for (const { source, name, by } of sources) {
        if (!podRefersTo(pod, source.kind, name)) continue;
        const ref = { kind: source.kind, namespace: pod.metadata?.namespace ?? '', name };
        const key = mirrorKey(ref);
        let mirror = wanted.get(key);
        if (!mirror) wanted.set(key, (mirror = { ...ref, source, bindings: [], pods: [] }));
        for (const b of by) if (!mirror.bindings.includes(b)) mirror.bindings.push(b);
        if (!mirror.pods.includes(pod)) mirror.pods.push(pod);
      }
    }
  }
  for (const mirror of wanted.values()) mirror.bindings.sort();
  return wanted;
}

// The pods each SidecarSet's reconcile acts on: those it selects now (spec.namespace,
// spec.namespaceSelector over the namespace's labels and spec.selector, decided by the webhook's own
// sidecarSetMatchesPod) AND that were injected with it (kruise.io/sidecarset-injected-list). The
// annotation alone decides nothing, since a pod's author can write it: a pod outside the SidecarSet's
// scope is never counted, conditioned, evented or patched.
//
// Kept current from informer events and indexed by SidecarSet, then namespace, so that a reconcile
// reads one SidecarSet's injected pods without scanning the cluster's, a pod event touches only the
// SidecarSets its annotation names, and a namespace's label change only the SidecarSets with a
// namespaceSelector and injected pods there. Scope is evaluated when read, against the SidecarSet and
// the namespace labels of that moment, so a changed selector needs no re-indexing: the SidecarSet's
// own event asks for its reconcile.
import type { InformerEvent, Namespace, Pod, SidecarSet } from '@sidecarset/api';
import { INJECTED_LIST_ANNOTATION, parseInjectedList, sidecarSetMatchesPod } from '@sidecarset/core';

export interface PodScope {
  sidecarSet(name: string): SidecarSet | undefined;
  /** A namespace's labels; undefined while the cache has not seen the namespace. */
  namespaceLabels(namespace: string): Record<string, string> | undefined;
}

type Labels = Record<string, string> | undefined;

const podKey = (pod: Pod): string => `${pod.metadata?.namespace}/${pod.metadata?.name}`;
const injectedInto = (pod: Pod): string[] => parseInjectedList(pod.metadata?.annotations?.[INJECTED_LIST_ANNOTATION]);

function sameLabels(a: Labels, b: Labels): boolean {
  const x = Object.entries(a ?? {});
  return x.length === Object.keys(b ?? {}).length && x.every(([key, value]) => b?.[key] === value);
}

export class PodsBySidecarSet {
  /** SidecarSet name -> namespace -> pod key -> pod, for every pod whose annotation names the SidecarSet. */
  private readonly injected = new Map<string, Map<string, Map<string, Pod>>>();

  constructor(private readonly scope: PodScope) {}

  /** Applies a pod event; returns the SidecarSets that selected the pod before it or select it now. */
  applyPod(event: InformerEvent<Pod>): string[] {
    const old = event.type === 'update' ? event.old : undefined;
    const pod = event.object;
    const namespace = pod.metadata?.namespace ?? '';
    const key = podKey(pod);
    const before = old ? injectedInto(old) : [];
    const after = injectedInto(pod);
    for (const name of before) if (!after.includes(name)) this.remove(name, namespace, key);
    for (const name of after) {
      if (event.type === 'delete') {
        this.remove(name, namespace, key);
        continue;
      }
      let byNamespace = this.injected.get(name);
      if (!byNamespace) this.injected.set(name, (byNamespace = new Map()));
      let pods = byNamespace.get(namespace);
      if (!pods) byNamespace.set(namespace, (pods = new Map()));
      pods.set(key, pod);
    }
    const touched: string[] = [];
    for (const name of new Set([...before, ...after])) {
      if (this.selects(name, pod, namespace) || (old !== undefined && this.selects(name, old, namespace))) touched.push(name);
    }
    return touched;
  }

  /**
   * Applies a namespace event; returns the SidecarSets whose scope it may change: those with a
   * namespaceSelector and injected pods in that namespace, when its labels changed (or it came or went).
   */
  applyNamespace(event: InformerEvent<Namespace>): string[] {
    if (event.type === 'resync') return [];
    if (event.type === 'update' && sameLabels(event.old.metadata?.labels, event.object.metadata?.labels)) return [];
    const namespace = event.object.metadata?.name ?? '';
    const touched: string[] = [];
    for (const [name, byNamespace] of this.injected) {
      if (byNamespace.has(namespace) && this.scope.sidecarSet(name)?.spec.namespaceSelector) touched.push(name);
    }
    return touched;
  }

  /** The pods the SidecarSet selects now and was injected into. */
  podsOf(name: string): Pod[] {
    const sidecarSet = this.scope.sidecarSet(name);
    const byNamespace = this.injected.get(name);
    if (!sidecarSet || !byNamespace) return [];
    const selected: Pod[] = [];
    for (const [namespace, pods] of byNamespace) {
      const labels = this.scope.namespaceLabels(namespace);
      if (!this.selectsNamespace(sidecarSet, namespace, labels)) continue;
      for (const pod of pods.values()) if (sidecarSetMatchesPod(sidecarSet, pod, namespace, labels)) selected.push(pod);
    }
    return selected;
  }

  /** The SidecarSets the pod was injected with that select it now. */
  sidecarSetsOf(pod: Pod): string[] {
    const namespace = pod.metadata?.namespace ?? '';
    return injectedInto(pod).filter((name) => this.selects(name, pod, namespace));
  }

  private selects(name: string, pod: Pod, namespace: string): boolean {
    const sidecarSet = this.scope.sidecarSet(name);
    if (!sidecarSet) return false;
    const labels = this.scope.namespaceLabels(namespace);
    return this.selectsNamespace(sidecarSet, namespace, labels) && sidecarSetMatchesPod(sidecarSet, pod, namespace, labels);
  }

  /**
   * A namespace the cache has not seen yet is out of scope of a namespaceSelector (unknown labels are
   * not "no labels": a NotIn or DoesNotExist selector would match them); its add event re-evaluates.
   */
  private selectsNamespace(sidecarSet: SidecarSet, namespace: string, labels: Labels): boolean {
    if (sidecarSet.spec.namespace && sidecarSet.spec.namespace !== namespace) return false; // the pods of a whole namespace skipped at once
    return labels !== undefined || !sidecarSet.spec.namespaceSelector;
  }

  private remove(name: string, namespace: string, key: string): void {
    const byNamespace = this.injected.get(name);
    const pods = byNamespace?.get(namespace);
    if (!pods) return;
    pods.delete(key);
    if (pods.size === 0) byNamespace!.delete(namespace);
    if (byNamespace!.size === 0) this.injected.delete(name);
  }
}

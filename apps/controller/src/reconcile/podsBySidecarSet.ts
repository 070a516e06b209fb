// Which pods each SidecarSet has injected, kept current from the pod informer's events so that a
// reconcile of one SidecarSet reads its pods without scanning every pod of the cluster.
import type { InformerEvent, Pod } from '@sidecarset/api';
import { INJECTED_LIST_ANNOTATION, parseInjectedList } from '@sidecarset/core';

const podKey = (pod: Pod): string => `${pod.metadata?.namespace}/${pod.metadata?.name}`;
const injectedInto = (pod: Pod): string[] => parseInjectedList(pod.metadata?.annotations?.[INJECTED_LIST_ANNOTATION]);

export class PodsBySidecarSet {
  private readonly index = new Map<string, Map<string, Pod>>();

  /** Applies an informer event; returns the SidecarSets whose pods changed. */
  apply(event: InformerEvent<Pod>): string[] {
    const before = event.type === 'update' ? injectedInto(event.old) : [];
    const after = injectedInto(event.object);
    const key = podKey(event.object);
    for (const name of before) if (!after.includes(name)) this.index.get(name)?.delete(key);
    for (const name of after) {
      let pods = this.index.get(name);
      if (!pods) this.index.set(name, (pods = new Map()));
      if (event.type === 'delete') pods.delete(key);
      else pods.set(key, event.object);
    }
    return [...new Set([...before, ...after])];
  }

  podsOf(sidecarSet: string): Pod[] {
    return [...(this.index.get(sidecarSet)?.values() ?? [])];
  }
}

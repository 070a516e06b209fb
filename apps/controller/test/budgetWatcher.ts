// A watcher of a rollout's budget for any upgrade kind: a real watch on the pods (no state change is
// missed between samples) that, after every event, counts the pods the caller's predicate calls
// "updated but unavailable" and keeps the largest count seen and every pod that was ever counted.
import { pathInformer, type Pod } from '@sidecarset/api';
import type { ControlPlane } from '@sidecarset/envtest';

export function watchBudget(plane: ControlPlane, namespace: string, selector: string, isUnavailableUpdated: (pod: Pod) => boolean) {
  const informer = pathInformer<Pod>(plane.kubeConfig, `/api/v1/namespaces/${namespace}/pods`, { labelSelector: selector });
  let max = 0;
  let events = 0;
  const seenUnavailable = new Set<string>();
  informer.subscribe(() => {
    events++;
    const unavailable = informer.list().filter((p) => !p.metadata?.deletionTimestamp && isUnavailableUpdated(p));
    max = Math.max(max, unavailable.length);
    for (const pod of unavailable) seenUnavailable.add(pod.metadata?.name ?? '');
  });
  informer.start();
  return {
    synced: () => informer.waitForSync(),
    async stop() {
      await informer.stop();
      return { max, events, seenUnavailable };
    },
  };
}

export const isPodReady = (pod: Pod): boolean => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

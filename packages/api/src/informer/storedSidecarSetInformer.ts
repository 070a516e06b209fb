// SidecarSets read in the version they are stored in, apps.kruise.io/v1beta1, and handed over in the
// shape the caller works on (the apps: the core's v1alpha1 shape, through its toV1alpha1, the same
// conversion /convert applies). Reading the stored version needs no conversion webhook: the webhook's
// own cache must fill before it is ready behind its Service, and through v1alpha1 that fill would wait
// for /convert, which the API server reaches only through that Service.
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubernetesObject } from '../client/customResourceClient.js';
import { SidecarSetV1beta1Client } from '../client/sidecarSetV1beta1Client.js';
import type { WatchEvent } from '../client/watchEvent.js';
import type { SidecarSetV1Beta1 } from '../generated/index.js';
import { Informer, type InformerOptions } from './informer.js';

export function storedSidecarSetInformer<T extends KubernetesObject>(kubeConfig: KubeConfig, toShape: (stored: SidecarSetV1Beta1) => T, options?: InformerOptions): Informer<T> {
  const client = new SidecarSetV1beta1Client(kubeConfig);
  return new Informer<T>((signal) => mapWatchEvents(client.watch({ signal }), toShape), options);
}

export async function* mapWatchEvents<S, T>(events: AsyncIterable<WatchEvent<S>>, map: (object: S) => T): AsyncIterable<WatchEvent<T>> {
  for await (const event of events) {
    if (event.type === 'RELISTED') yield { ...event, items: event.items.map(map) };
    else if (event.type === 'BOOKMARK') yield event;
    else yield { type: event.type, object: map(event.object) };
  }
}

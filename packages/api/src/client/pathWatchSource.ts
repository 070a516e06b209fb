// A WatchSource for any collection path (`/api/v1/namespaces`, `/apis/apps/v1/namespaces/x/
// controllerrevisions`): list pages through `continue`, watch with bookmarks, all in wire JSON.
import { type KubeConfig, Watch } from '@kubernetes/client-node';
import type { ListMeta } from '../generated/index.js';
import { requestJson } from './rawRequest.js';
import type { WatchSource } from './resumableWatch.js';

export interface PathWatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  pageSize?: number;
}

export function pathWatchSource<T>(kubeConfig: KubeConfig, path: string, options: PathWatchOptions = {}): WatchSource<T> {
  const watcher = new Watch(kubeConfig);
  const selectors = { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector };
  return {
    async connect(resourceVersion, onLine, onEnd) {
      const controller = await watcher.watch(path, { ...selectors, allowWatchBookmarks: true, resourceVersion }, onLine, onEnd);
      return () => controller.abort();
    },
    async list() {
      const items: T[] = [];
      let page: { items: T[]; metadata?: ListMeta } | undefined;
      let token: string | undefined;
      do {
        page = await requestJson<{ items: T[]; metadata?: ListMeta }>(kubeConfig, 'GET', path, { ...selectors, limit: options.pageSize ?? 500, continue: token });
        items.push(...page.items);
        token = page.metadata?.continue || undefined;
      } while (token);
      return { items, resourceVersion: page.metadata?.resourceVersion ?? '' };
    },
  };
}

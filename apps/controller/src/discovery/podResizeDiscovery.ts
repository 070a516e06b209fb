// Whether the API server serves the pods/resize subresource (Kubernetes 1.33+), from API discovery
// (GET /api/v1, which every authenticated client may read), and the capabilities the core's
// rollout gets from it. Asked at start and again every refreshMs (a control plane upgraded under a
// running controller), never per reconcile. A failed lookup keeps the last answer (at start: none,
// so resources stay "not upgradable" until discovery succeeds, today's behaviour).
import type { KubeConfig } from '@kubernetes/client-node';
import { requestJson } from '@sidecarset/api';
import type { RolloutCapabilities } from '@sidecarset/core';

interface APIResourceList {
  resources?: { name?: string; verbs?: string[] }[];
}

/** pods/resize is listed, and patchable, in the core group's resources. */
export function servesPodResize(list: APIResourceList): boolean {
  return (list.resources ?? []).some((resource) => resource.name === 'pods/resize' && (resource.verbs ?? []).includes('patch'));
}

export interface PodResizeDiscovery {
  /** The same object for the controller's life (the core caches per capabilities object); its fields change in place. */
  readonly capabilities: RolloutCapabilities & { refusedResizes: Map<string, string> };
  /** Looks once; resolves with whether pods/resize is served. */
  refresh(): Promise<boolean>;
  start(refreshMs: number, onChange: (served: boolean) => void): void;
  stop(): void;
}

/** Refusals remembered at most (per pod and SidecarSet hash); the oldest go first. */
const MAX_REFUSALS = 50_000;

export function podResizeDiscovery(kubeConfig: KubeConfig, options: { disabled?: boolean; onError?: (error: unknown) => void } = {}): PodResizeDiscovery {
  const refusedResizes = new BoundedMap(MAX_REFUSALS);
  const capabilities = { podResize: false, refusedResizes };
  let timer: NodeJS.Timeout | undefined;
  const refresh = async (): Promise<boolean> => {
    if (options.disabled) return (capabilities.podResize = false);
    try {
      capabilities.podResize = servesPodResize(await requestJson<APIResourceList>(kubeConfig, 'GET', '/api/v1'));
    } catch (error) {
      options.onError?.(error);
    }
    return capabilities.podResize;
  };
  return {
    capabilities,
    refresh,
    start(refreshMs, onChange) {
      timer = setInterval(() => {
        const before = capabilities.podResize;
        void refresh().then((served) => served !== before && onChange(served));
      }, refreshMs);
      timer.unref();
    },
    stop: () => clearInterval(timer),
  };
}

class BoundedMap extends Map<string, string> {
  constructor(private readonly limit: number) {
    super();
  }
  override set(key: string, value: string): this {
    if (!this.has(key) && this.size >= this.limit) this.delete(this.keys().next().value!);
    return super.set(key, value);
  }
}

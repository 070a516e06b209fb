// Labels of a namespace the webhook's watch has not delivered yet. A pod may be created a moment
// after its namespace, before the Namespace watch event arrives (rare on loopback, common on a busy
// cluster); guessing "only the name label" would let such a pod dodge a namespaceSelector. So the
// namespace is read from the API server once, with a short deadline, and remembered briefly.
// Bounded for hostile callers: names are checked before any request, concurrent lookups are capped,
// and the memory holds a fixed number of entries.
import type { KubeConfig } from '@kubernetes/client-node';
import { requestJson, type Namespace } from '@sidecarset/api';

export type NamespaceLookupResult = { ok: true; labels: Record<string, string> } | { ok: false; reason: string };

export interface NamespaceLookupOptions {
  timeoutMs?: number;
  maxInFlight?: number;
  maxRemembered?: number;
  rememberMs?: number;
  now?: () => number;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export type NamespaceReader = (name: string, signal: AbortSignal) => Promise<Namespace>;

export const apiServerNamespaceReader = (kubeConfig: KubeConfig): NamespaceReader => (name, signal) =>
  requestJson<Namespace>(kubeConfig, 'GET', `/api/v1/namespaces/${name}`, {}, undefined, 'application/json', signal);

export function namespaceLookup(read: NamespaceReader, options: NamespaceLookupOptions = {}): (name: string) => Promise<NamespaceLookupResult> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const maxInFlight = options.maxInFlight ?? 8;
  const maxRemembered = options.maxRemembered ?? 1024;
  const rememberMs = options.rememberMs ?? 30_000;
  const now = options.now ?? Date.now;
  const remembered = new Map<string, { labels: Record<string, string>; until: number }>();
  const inFlight = new Map<string, Promise<NamespaceLookupResult>>();

  const fetchLabels = async (name: string): Promise<NamespaceLookupResult> => {
    try {
      const namespace = await read(name, AbortSignal.timeout(timeoutMs));
      const labels = namespace.metadata?.labels ?? {};
      if (remembered.size >= maxRemembered) remembered.delete(remembered.keys().next().value!);
      remembered.set(name, { labels, until: now() + rememberMs });
      return { ok: true, labels };
    } catch (error) {
      const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'the API server did not return it';
      return { ok: false, reason };
    } finally {
      inFlight.delete(name);
    }
  };

  return (name) => {
    if (!DNS1123_LABEL.test(name)) return Promise.resolve({ ok: false, reason: 'not a valid namespace name' });
    const known = remembered.get(name);
    if (known && known.until > now()) return Promise.resolve({ ok: true, labels: known.labels });
    const pending = inFlight.get(name);
    if (pending) return pending;
    if (inFlight.size >= maxInFlight) return Promise.resolve({ ok: false, reason: 'too many namespace lookups at once' });
    const lookup = fetchLabels(name);
    inFlight.set(name, lookup);
    return lookup;
  };
}

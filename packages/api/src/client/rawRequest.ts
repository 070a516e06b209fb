// Requests by path with the KubeConfig's credentials, returning the wire JSON untouched. The typed
// core APIs of client-node turn timestamps into Date objects; the injection core wants the wire shape.
import { ApiException, type KubeConfig } from '@kubernetes/client-node';
import { fetch } from 'undici';
import { authorizeRequest } from './connectionPool.js';
import { toKubernetesApiError } from './toKubernetesApiError.js';

export type Query = Record<string, string | number | boolean | undefined>;

/** A request body already written as JSON text, sent byte for byte (e.g. bytes another controller compares). */
export class JsonText {
  constructor(readonly text: string) {}
}

export async function requestJson<T>(
  kubeConfig: KubeConfig,
  method: 'GET' | 'PATCH' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  query: Query = {},
  body?: unknown,
  contentType = 'application/json',
  signal?: AbortSignal,
): Promise<T> {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw toKubernetesApiError(new Error('the kubeconfig has no current cluster'));
  const url = new URL(cluster.server.replace(/\/$/, '') + path);
  for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
  try {
    const authorized = await authorizeRequest(kubeConfig, url, method);
    const headers: Record<string, string> = { ...authorized.headers, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = contentType;
    const response = await fetch(url, {
      method,
      headers,
      dispatcher: authorized.dispatcher as never,
      ...(signal ? { signal } : {}),
      ...(body !== undefined ? { body: body instanceof JsonText ? body.text : JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (!response.ok) throw new ApiException(response.status, response.statusText, text, Object.fromEntries(response.headers.entries()));
    return JSON.parse(text) as T;
  } catch (e) {
    throw toKubernetesApiError(e);
  }
}

// Credentials and a kept-alive connection pool for requests by path. client-node 2.0 builds a new
// undici Agent, so a new TLS connection, for every request it authenticates; a controller patching
// thousands of pods then pays a handshake per write and holds the idle sockets and TLS state of
// every recent request. Here the credentials still come from the KubeConfig on every request (a
// rotated token or certificate file is seen), but requests share one pool per KubeConfig for as
// long as its TLS material stays the same.
import type { RequestOptions } from 'node:https';
import { type Configuration, createConfiguration, HttpMethod, type KubeConfig, RequestContext, type SecurityAuthentication, ServerConfiguration } from '@kubernetes/client-node';
import { Agent, type Dispatcher } from 'undici';

export interface AuthorizedRequest {
  headers: Record<string, string>;
  /** undefined: undici's global dispatcher (plain HTTP without TLS settings). */
  dispatcher: Dispatcher | undefined;
}

type TlsMaterial = Pick<RequestOptions, 'ca' | 'cert' | 'key' | 'pfx' | 'passphrase' | 'rejectUnauthorized' | 'servername'>;
const TLS_FIELDS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

interface Pool {
  tls: TlsMaterial;
  agent: Agent;
}

const pools = new WeakMap<KubeConfig, Pool>();

export async function authorizeRequest(kubeConfig: KubeConfig, url: URL, method: string): Promise<AuthorizedRequest> {
  if (kubeConfig.getCurrentCluster()?.proxyUrl) return proxiedRequest(kubeConfig, url, method);
  const options: RequestOptions = {};
  await kubeConfig.applyToHTTPSOptions(options);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) if (value !== undefined) headers[name] = String(value);
  if (options.auth) headers['Authorization'] = `Basic ${Buffer.from(options.auth).toString('base64')}`;
  return { headers, dispatcher: pooledAgent(kubeConfig, options) };
}

function pooledAgent(kubeConfig: KubeConfig, options: RequestOptions): Agent | undefined {
  const tls: TlsMaterial = {};
  for (const field of TLS_FIELDS) if (options[field] !== undefined) (tls as Record<string, unknown>)[field] = options[field];
  if (Object.keys(tls).length === 0) return undefined;
  const pool = pools.get(kubeConfig);
  if (pool && sameTls(pool.tls, tls)) return pool.agent;
  // New or rotated credentials: a new pool; the old one finishes what it has in flight, then closes.
  void pool?.agent.close().catch(() => undefined);
  const agent = new Agent({ connect: { ...tls, keepAlive: true, keepAliveInitialDelay: 30_000 } as never });
  pools.set(kubeConfig, { tls, agent });
  return agent;
}

function sameTls(a: TlsMaterial, b: TlsMaterial): boolean {
  return TLS_FIELDS.every((field) => sameValue(a[field], b[field]));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  return a === b;
}

/** Through a proxy, client-node's own per-request dispatcher (proxy agents are its business). */
async function proxiedRequest(kubeConfig: KubeConfig, url: URL, method: string): Promise<AuthorizedRequest> {
  const context = new RequestContext(url.toString(), HttpMethod[method as keyof typeof HttpMethod]);
  await kubeConfig.applySecurityAuthentication(context);
  return { headers: context.getHeaders(), dispatcher: context.getDispatcher() as Dispatcher | undefined };
}

/** One of client-node's generated API classes, authenticating through the shared pool. */
export function pooledApiClient<T>(kubeConfig: KubeConfig, apiClientType: new (configuration: Configuration) => T): T {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const authentication: SecurityAuthentication = {
    getName: () => 'kubeconfig authentication over a shared connection pool',
    async applySecurityAuthentication(context) {
      const authorized = await authorizeRequest(kubeConfig, new URL(context.getUrl()), context.getHttpMethod());
      for (const [name, value] of Object.entries(authorized.headers)) context.setHeaderParam(name, value);
      if (authorized.dispatcher) context.setDispatcher(authorized.dispatcher as never);
    },
  };
  return new apiClientType(createConfiguration({ baseServer: new ServerConfiguration(cluster.server, {}), authMethods: { default: authentication } }));
}

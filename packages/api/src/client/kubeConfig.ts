// Finds and loads a kubeconfig the way kubectl does, and fails with a KubeConfigError that says
// what is missing instead of client-node's silent fallback to http://localhost:8080.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

export interface KubeConfigOptions {
  /** Path to a kubeconfig file (`--kubeconfig`); wins over KUBECONFIG and ~/.kube/config. */
  kubeconfig?: string;
  /** Context to use instead of the file's current-context (`--context`). */
  context?: string;
}

export type KubeConfigErrorReason =
  /** No explicit path, no KUBECONFIG, no ~/.kube/config and not running in a Pod. */
  | 'NoConfiguration'
  /** A kubeconfig file could not be read or parsed. */
  | 'Unreadable'
  /** The requested context (or the file's current-context) is not in the kubeconfig. */
  | 'ContextNotFound'
  /** Neither `context` nor the file's current-context names a context. */
  | 'NoCurrentContext'
  /** The selected context points at a cluster the kubeconfig does not define. */
  | 'ClusterNotFound';

export class KubeConfigError extends Error {
  override readonly name = 'KubeConfigError';

  constructor(
    readonly reason: KubeConfigErrorReason,
    message: string,
    readonly details: { path?: string; context?: string; availableContexts?: readonly string[] } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Where the configuration comes from, in kubectl's order of precedence. */
export type KubeConfigSource =
  | { kind: 'files'; paths: string[] }
  | { kind: 'in-cluster' }
  | { kind: 'none'; searched: string[] };

export interface KubeConfigEnvironment {
  /** Value of KUBECONFIG, a PATH-style list of files. */
  kubeconfigEnv: string | undefined;
  homeDir: string | undefined;
  fileExists: (path: string) => boolean;
  /** True inside a Pod with a mounted service account token. */
  inCluster: boolean;
}

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export function processKubeConfigEnvironment(): KubeConfigEnvironment {
  return {
    kubeconfigEnv: process.env['KUBECONFIG'],
    homeDir: homedir() || undefined,
    fileExists: existsSync,
    inCluster: Boolean(process.env['KUBERNETES_SERVICE_HOST']) && existsSync(SERVICE_ACCOUNT_TOKEN),
  };
}

/** Explicit path, else every file in KUBECONFIG, else ~/.kube/config if present, else in-cluster. */
export function chooseKubeConfigSource(explicitPath: string | undefined, environment: KubeConfigEnvironment): KubeConfigSource {
  if (explicitPath) return { kind: 'files', paths: [explicitPath] };
  const fromEnv = (environment.kubeconfigEnv ?? '').split(delimiter).filter((path) => path !== '');
  if (fromEnv.length > 0) return { kind: 'files', paths: fromEnv };
  const searched: string[] = [];
  if (environment.homeDir) {
    const homeConfig = join(environment.homeDir, '.kube', 'config');
    if (environment.fileExists(homeConfig)) return { kind: 'files', paths: [homeConfig] };
    searched.push(homeConfig);
  }
  if (environment.inCluster) return { kind: 'in-cluster' };
  searched.push(`in-cluster service account (${SERVICE_ACCOUNT_TOKEN})`);
  return { kind: 'none', searched };
}

/**
 * Loads the kubeconfig kubectl would use and selects `options.context` if given. Throws
 * KubeConfigError when nothing is found, a file is unreadable, or the context/cluster is missing.
 */
export function loadKubeConfig(
  options: KubeConfigOptions = {},
  environment: KubeConfigEnvironment = processKubeConfigEnvironment(),
): KubeConfig {
  const source = chooseKubeConfigSource(options.kubeconfig, environment);
  const config = new KubeConfig();
  switch (source.kind) {
    case 'none':
      throw new KubeConfigError(
        'NoConfiguration',
        `no kubeconfig found: pass --kubeconfig, set KUBECONFIG, or create one of: ${source.searched.join(', ')}`,
      );
    case 'in-cluster':
      config.loadFromCluster();
      break;
    case 'files':
      loadFiles(config, source.paths);
      break;
  }
  selectContext(config, options.context);
  return config;
}

/** Several KUBECONFIG files merge as in kubectl: the first file to set a name wins. */
function loadFiles(config: KubeConfig, paths: readonly string[]): void {
  paths.forEach((path, index) => {
    const target = index === 0 ? config : new KubeConfig();
    try {
      target.loadFromFile(path);
    } catch (cause) {
      const why = cause instanceof Error ? cause.message : String(cause);
      throw new KubeConfigError('Unreadable', `cannot load kubeconfig ${path}: ${why}`, { path }, { cause });
    }
    if (target !== config) mergeMissing(config, target);
  });
}

function mergeMissing(into: KubeConfig, from: KubeConfig): void {
  const has = (list: readonly { name: string }[], name: string) => list.some((item) => item.name === name);
  for (const cluster of from.clusters) if (!has(into.clusters, cluster.name)) into.addCluster(cluster);
  for (const user of from.users) if (!has(into.users, user.name)) into.addUser(user);
  for (const context of from.contexts) if (!has(into.contexts, context.name)) into.addContext(context);
  if (!into.currentContext && from.currentContext) into.setCurrentContext(from.currentContext);
}

function selectContext(config: KubeConfig, requested: string | undefined): void {
  const name = requested || config.getCurrentContext();
  const availableContexts = config.getContexts().map((context) => context.name);
  if (!name) {
    throw new KubeConfigError('NoCurrentContext', 'kubeconfig has no current-context; pass --context', {
      availableContexts,
    });
  }
  const context = config.getContextObject(name);
  if (!context) {
    const known = availableContexts.length > 0 ? availableContexts.join(', ') : 'none';
    throw new KubeConfigError('ContextNotFound', `context "${name}" not found in kubeconfig (available: ${known})`, {
      context: name,
      availableContexts,
    });
  }
  config.setCurrentContext(name);
  if (!config.getCluster(context.cluster)) {
    throw new KubeConfigError('ClusterNotFound', `context "${name}" refers to cluster "${context.cluster}", which is not defined`, {
      context: name,
    });
  }
}

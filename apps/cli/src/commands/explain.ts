// `kubectl-sidecarset explain pod NAME [-n NS]`: why a pod has (or lacks) its sidecars, and whether they
// are up to date (explain/explainPod.ts). From the cluster, or offline: `explain -f pod.yaml
// --sidecarsets PATH...` with the SidecarSets (and ControllerRevisions, Namespaces) in files.
import type { ControllerRevision, Pod, SidecarSet } from '@sidecarset/api/offline';
import { parseManifests } from '@sidecarset/api/offline';
import { Command, Option } from 'commander';
import { clusterErrorMessage } from '../cluster/clusterErrorMessage.js';
import { connectCluster, loadClusterApi, type ClusterFlags } from '../cluster/connectCluster.js';
import { explainPod, type PodExplanation } from '../explain/explainPod.js';
import { renderExplanation } from '../explain/renderExplanation.js';
import { renderOutput } from '../inject/renderOutput.js';
import { loadSidecarSetSources } from '../inject/loadSidecarSetSources.js';
import { formatInputError } from '../inject/inputErrors.js';
import { fileSystemReader, ioErrorMessage, type ManifestFileReader } from '../inject/manifestFiles.js';
import { namespaceLabelsFor, parseNamespaceLabelsFlag } from '../inject/namespaceLabels.js';
import { processOutput } from '../processIo.js';

export interface ExplainOptions extends ClusterFlags {
  namespace?: string;
  filename?: string;
  sidecarsets?: string[];
  namespaceLabels?: string;
  revisionNamespace: string;
  output: 'table' | 'json' | 'yaml';
}

export interface ExplainIo {
  files: ManifestFileReader;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  now: () => Date;
}

const EXAMPLES = `
Examples:
  # Why does web-0 have (or lack) its sidecars, and are they up to date?
  kubectl-sidecarset explain pod web-0 -n shop

  # Offline: a pod manifest against SidecarSets (and ControllerRevisions, Namespaces) in files
  kubectl-sidecarset explain -f pod.yaml --sidecarsets sidecarsets/ --namespace-labels team=shop

Every SidecarSet that selects the pod, or would with one requirement fewer ("nearly"), is listed
with each requirement of spec.namespace, spec.namespaceSelector and spec.selector, and what the
webhook does for a pod created now: injects, skips (injectionStrategy.paused, no containers),
denies (the webhook's error), with the revision injectionStrategy.revision pins. Then the sidecars
the pod has against those it would get now, and for each SidecarSet injected into it whether its
sidecars are current (the pod's kruise.io/sidecarset-hash against the SidecarSet's) and, if not,
why the rollout has not updated it (as \`plan\` says).

Exit status: 0 on success; 1 when the pod or a file cannot be read, with the reason on stderr.
`;

export function explainCommand(io: ExplainIo = processIo): Command {
  return new Command('explain')
    .usage('pod NAME [-n NAMESPACE] [-o table|json|yaml] [--kubeconfig FILE] [--context CONTEXT]\n       kubectl-sidecarset explain -f POD_FILE --sidecarsets PATH... [--namespace-labels k=v,...]')
    .summary('explain why a pod has or lacks its sidecars, and whether they are up to date')
    .description('Explain, for one pod, which SidecarSets select it (or nearly do), what each injects and why, and whether its sidecars are up to date.')
    .argument('[kind]', 'pod')
    .argument('[name]', 'the pod, read from the cluster')
    .option('-n, --namespace <namespace>', 'the pod\'s namespace (default: "default")')
    .option('-f, --filename <file>', 'offline: a file holding the pod (its first Pod document)')
    .option('--sidecarsets <paths...>', 'offline: files or directories with the SidecarSets (and ControllerRevisions, Namespaces)')
    .option('--namespace-labels <labels>', "offline: labels of the pod's namespace, k=v,...")
    .option('--revision-namespace <namespace>', "namespace of the SidecarSets' ControllerRevisions", 'sidecarset-system')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json', 'yaml']).default('table'))
    .option('--kubeconfig <file>', 'path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)')
    .option('--context <context>', 'the kubeconfig context to use (default: its current-context)')
    .addHelpText('after', EXAMPLES)
    .showHelpAfterError("(run 'kubectl-sidecarset explain --help' for usage)")
    .action(async (kind: string | undefined, name: string | undefined, options: ExplainOptions) => {
      process.exitCode = await runExplain(kind, name, options, io);
    });
}

export async function runExplain(kind: string | undefined, name: string | undefined, options: ExplainOptions, io: ExplainIo): Promise<number> {
  const usage = (message: string) => (io.stderr(`error: ${message}\n(run 'kubectl-sidecarset explain --help' for usage)\n`), 1);
  let explanation: PodExplanation | number;
  if (options.filename !== undefined) {
    if (kind !== undefined) return usage('give pod NAME (from the cluster) or -f FILE (offline), not both');
    explanation = explainOffline(options, io);
  } else {
    if (kind === undefined || !['pod', 'pods', 'po'].includes(kind)) return usage(kind === undefined ? 'give pod NAME, or -f FILE' : `only pods are explained, got "${kind}"`);
    if (name === undefined) return usage('give the pod\'s NAME');
    explanation = await explainFromCluster(name, options, io);
  }
  if (typeof explanation === 'number') return explanation;
  io.stdout(options.output === 'table' ? renderExplanation(explanation) : renderOutput([explanation], options.output));
  return 0;
}

function explainOffline(options: ExplainOptions, io: ExplainIo): PodExplanation | number {
  const fail = (location: string, message: string) => (io.stderr(`${formatInputError({ location, message })}\n`), 1);
  let text: string;
  try {
    text = io.files.read(options.filename!);
  } catch (error) {
    return fail(options.filename!, ioErrorMessage(error));
  }
  const pod = parseManifests(text).find((d) => (d.value as { kind?: unknown } | null)?.kind === 'Pod')?.value as Pod | undefined;
  if (!pod) return fail(options.filename!, 'no Pod document');
  const sources = loadSidecarSetSources(options.sidecarsets ?? [], io.files);
  if (sources.errors.length) {
    io.stderr(sources.errors.map((e) => `${formatInputError(e)}\n`).join(''));
    return 1;
  }
  const flagLabels = options.namespaceLabels === undefined ? undefined : parseNamespaceLabelsFlag(options.namespaceLabels);
  if (flagLabels && 'error' in flagLabels) return fail('--namespace-labels', flagLabels.error);
  const namespace = pod.metadata?.namespace || options.namespace || 'default';
  const withNamespace: Pod = { ...pod, metadata: { ...pod.metadata, namespace } };
  const namespaceLabels = namespaceLabelsFor(namespace, { flagNamespace: namespace, flagLabels, documents: sources.namespaceLabels });
  return explainPod(withNamespace, sources.sidecarSets, { namespaceLabels, revisions: sources.revisions, now: io.now() });
}

async function explainFromCluster(name: string, options: ExplainOptions, io: ExplainIo): Promise<PodExplanation | number> {
  const api = await loadClusterApi();
  let server = '';
  const namespace = options.namespace || 'default';
  try {
    const cluster = await connectCluster(options, api);
    server = cluster.server;
    let pod: Pod;
    try {
      pod = await api.requestJson<Pod>(cluster.kubeConfig, 'GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`);
    } catch (error) {
      if (api.isNotFound(error) && error.status.details?.name) {
        io.stderr(`error: pod "${name}" not found in namespace "${namespace}"\n`);
        return 1;
      }
      throw error;
    }
    const sidecarSets: SidecarSet[] = (await new api.SidecarSetClient(cluster.kubeConfig).listAll()).items;
    // Read what the webhook reads; where RBAC does not allow it, explain without it.
    const optional = async <T>(read: () => Promise<T>, fallback: T): Promise<T> => {
      try {
        return await read();
      } catch (error) {
        if (api.isForbidden(error) || api.isNotFound(error)) return fallback;
        throw error;
      }
    };
    const namespaceLabels = await optional(async () => (await api.requestJson<{ metadata?: { labels?: Record<string, string> } }>(cluster.kubeConfig, 'GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}`)).metadata?.labels ?? {}, undefined);
    const revisions = await optional(
      async () => (await api.requestJson<{ items?: ControllerRevision[] }>(cluster.kubeConfig, 'GET', `/apis/apps/v1/namespaces/${encodeURIComponent(options.revisionNamespace)}/controllerrevisions`)).items ?? [],
      [] as ControllerRevision[],
    );
    return explainPod(pod, sidecarSets, { namespaceLabels, revisions, now: io.now() });
  } catch (error) {
    io.stderr(`error: ${clusterErrorMessage(api, error, server)}\n`);
    return 1;
  }
}

const processIo: ExplainIo = { files: fileSystemReader, ...processOutput, now: () => new Date() };

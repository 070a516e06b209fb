// `kubectl-sidecarset status [NAME]`: the SidecarSets of a cluster and how far their rollouts are, as
// their controller last wrote it. Output on stdout, exit 0; or one line on stderr, exit 1.
import type { SidecarSet, SidecarSetResourceBinding } from '@sidecarset/api/offline';
import { Command, Option } from 'commander';
import { clusterErrorMessage } from '../cluster/clusterErrorMessage.js';
import { connectCluster, loadClusterApi, type ClusterApi, type ClusterFlags, type KubeConfig } from '../cluster/connectCluster.js';
import { renderOutput } from '../inject/renderOutput.js';
import { bindingsOf, renderBindingTables } from '../status/bindingTables.js';
import { renderStatusTable } from '../status/statusTable.js';
import { processOutput } from '../processIo.js';

export type StatusFormat = 'table' | 'json' | 'yaml';

export interface StatusOptions extends ClusterFlags {
  output: StatusFormat;
}

export interface StatusIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const EXAMPLES = `
Examples:
  # Every SidecarSet of the current context
  kubectl-sidecarset status

  # One SidecarSet, as JSON, in another cluster
  kubectl-sidecarset status logging-agent -o json --kubeconfig ~/.kube/prod --context prod-eu

Columns: MATCHED, UPDATED, READY and UPDATED-READY count pods (status.*Pods), REVISION is
status.latestRevision, PAUSED spec.updateStrategy.paused, OBSERVED "yes" when the status describes
the current spec (status.observedGeneration is metadata.generation), "stale" otherwise.
In table output, the SidecarSetResourceBindings (of the SidecarSet named, or all) follow: READY,
CONFLICT and SOURCE-MISSING are their conditions, MIRRORS the copies of their ConfigMaps and Secrets
the controller keeps in pods' namespaces, each listed below (namespace and name).

Exit status: 0 on success; 1 when the SidecarSet is not found or the cluster cannot be read, with
one line on stderr.
`;

export function statusCommand(io: StatusIo = processIo): Command {
  return new Command('status')
    .usage('[NAME] [-o table|json|yaml] [--kubeconfig FILE] [--context CONTEXT]')
    .summary('show the rollout status of SidecarSets in the cluster')
    .description('Show the SidecarSets of the cluster, or the one named, with the rollout status their controller last wrote.')
    .argument('[name]', 'the SidecarSet to show (default: all)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json', 'yaml']).default('table'))
    .option('--kubeconfig <file>', 'path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)')
    .option('--context <context>', 'the kubeconfig context to use (default: its current-context)')
    .addHelpText('after', EXAMPLES)
    .showHelpAfterError("(run 'kubectl-sidecarset status --help' for usage)")
    .action(async (name: string | undefined, options: StatusOptions) => {
      process.exitCode = await runStatus(name, options, io);
    });
}

/** Runs the command; returns the exit code. */
export async function runStatus(name: string | undefined, options: StatusOptions, io: StatusIo): Promise<number> {
  const api = await loadClusterApi();
  let server = '';
  let sidecarSets: SidecarSet[];
  let bindings: SidecarSetResourceBinding[] = [];
  try {
    const cluster = await connectCluster(options, api);
    server = cluster.server; // before the first request: its errors name the server
    if (options.output === 'table') bindings = await listBindings(api, cluster.kubeConfig);
    const client = new api.SidecarSetClient(cluster.kubeConfig);
    if (name === undefined) {
      sidecarSets = (await client.listAll()).items;
    } else {
      try {
        sidecarSets = [await client.get(name)];
      } catch (error) {
        // A 404 naming the object: it does not exist (without a name: the resource itself is not served).
        if (api.isNotFound(error) && error.status.details?.name) {
          io.stderr(`error: sidecarset "${name}" not found\n`);
          return 1;
        }
        throw error;
      }
    }
  } catch (error) {
    io.stderr(`error: ${clusterErrorMessage(api, error, server)}\n`);
    return 1;
  }

  if (options.output === 'table') {
    if (sidecarSets.length === 0) {
      io.stderr('No resources found\n'); // as kubectl get says it, on stderr, exit 0
      return 0;
    }
    io.stdout(renderStatusTable(sidecarSets) + renderBindingTables(bindingsOf(bindings, name)));
    return 0;
  }
  const document = name === undefined ? { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: sidecarSets } : sidecarSets[0];
  io.stdout(renderOutput([document], options.output));
  return 0;
}

/** Every binding; none where the resource is not served or not readable (a cluster without issue 10's CRD or rights). */
async function listBindings(api: ClusterApi, kubeConfig: KubeConfig): Promise<SidecarSetResourceBinding[]> {
  try {
    return (await new api.SidecarSetResourceBindingClient(kubeConfig).listAll('')).items;
  } catch (error) {
    if (api.isNotFound(error) || api.isForbidden(error)) return [];
    throw error;
  }
}

const processIo: StatusIo = processOutput;

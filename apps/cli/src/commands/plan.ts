// `kubectl-sidecarset plan`: what the next round of a SidecarSet's rollout does, computed by the same
// planRollout the controller runs: which pods it updates, and why every other one waits. Against the
// cluster (`plan NAME`), or offline from files (`--sidecarset FILE --pods FILE`). Output on stdout,
// exit 0; or every problem on stderr, exit 1.
import type { Pod, SidecarSet } from '@sidecarset/api/offline';
import { planRollout, podSidecarStatus, podUpgradeKinds, type RolloutCapabilities } from '@sidecarset/core';
import { Command, Option } from 'commander';
import { clusterErrorMessage } from '../cluster/clusterErrorMessage.js';
import { connectCluster, loadClusterApi, type ClusterFlags } from '../cluster/connectCluster.js';
import { listInjectedPods } from '../cluster/listInjectedPods.js';
import { podsInScope } from '../cluster/podsInScope.js';
import { clusterServesPodResize } from '../cluster/servesPodResize.js';
import { formatInputError, type InputError } from '../inject/inputErrors.js';
import { ioErrorMessage, type ManifestFileReader } from '../inject/manifestFiles.js';
import { loadPlanSidecarSet, parsePlanPods } from '../plan/loadPlanFiles.js';
import { planReport, renderPlan, type PlanFormat } from '../plan/planReport.js';
import { processInput, processOutput } from '../processIo.js';

export interface PlanOptions extends ClusterFlags {
  sidecarset?: string;
  pods?: string;
  output: PlanFormat;
  /** Offline: whether the target cluster serves pods/resize (with NAME it is discovered). */
  podResize?: boolean;
}

export interface PlanIo {
  files: ManifestFileReader;
  readStdin: () => Promise<string>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  now: () => Date;
}

const STDIN_NAME = '<stdin>';

const EXAMPLES = `
Examples:
  # The next round of logging-agent's rollout in the current context's cluster
  kubectl-sidecarset plan logging-agent

  # The same, offline: a new version of the SidecarSet against the pods of a cluster
  kubectl get pods -A -o yaml > pods.yaml
  kubectl-sidecarset plan --sidecarset logging-agent.yaml --pods pods.yaml -o json

JSON output: {"matched", "updated", "updatedReady", "unavailable", "budget", "next": ["ns/name", ...],
"waiting": [{"pod": "ns/name", "reason": "..."}], "upgrades": {"ns/name": ["image swap", "resize"]}}.
UPGRADE (upgrades) says how each pod that will be changed is changed: an image swap, a resize of its
sidecars' resources through pods/resize (where the API server serves it: discovered with NAME,
--pod-resize offline), both, or a hot upgrade.

Exit status: 0 on success; 1 on bad input (unparsable files, not exactly one valid SidecarSet, a
SidecarSet not found) or when the cluster cannot be read, with one line per problem on stderr.
`;

export function planCommand(io: PlanIo = processIo): Command {
  return new Command('plan')
    .usage('NAME [-o table|json] [--kubeconfig FILE] [--context CONTEXT]\n       kubectl-sidecarset plan --sidecarset FILE --pods FILE|- [-o table|json]')
    .summary("show what the next round of a SidecarSet's rollout updates, and why other pods wait")
    .description(
      "Show what the next round of a SidecarSet's in-place rollout does, as the controller plans it: the pods it updates, " +
        'and why each other pod waits. With NAME, the SidecarSet and the pods it has injected (all namespaces) are read ' +
        'from the cluster; with --sidecarset and --pods, from files, offline.',
    )
    .argument('[name]', 'the SidecarSet, read from the cluster')
    .option('--sidecarset <file>', 'offline: a file (YAML or JSON) holding exactly one SidecarSet, admitted as the cluster would store it')
    .option('--pods <file>', 'offline: the pods, YAML or JSON, one or more documents or a List (kubectl get pods -A -o yaml); "-" reads stdin')
    .option('--pod-resize', 'offline: the cluster serves pods/resize (Kubernetes 1.33+), so resources change in place')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--kubeconfig <file>', 'path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)')
    .option('--context <context>', 'the kubeconfig context to use (default: its current-context)')
    .addHelpText('after', EXAMPLES)
    .showHelpAfterError("(run 'kubectl-sidecarset plan --help' for usage)")
    .action(async (name: string | undefined, options: PlanOptions) => {
      process.exitCode = await runPlan(name, options, io);
    });
}

/** Runs the command; returns the exit code. */
export async function runPlan(name: string | undefined, options: PlanOptions, io: PlanIo): Promise<number> {
  const fail = (errors: readonly InputError[]): number => {
    io.stderr(errors.map((e) => `${formatInputError(e)}\n`).join(''));
    return 1;
  };
  const offline = options.sidecarset !== undefined || options.pods !== undefined;
  if (name !== undefined && offline) return usageError(io, 'give a SidecarSet NAME (from the cluster) or --sidecarset and --pods (offline), not both');
  if (name === undefined && !offline) return usageError(io, 'give a SidecarSet NAME (from the cluster), or --sidecarset FILE and --pods FILE (offline)');

  let inputs: { sidecarSet: SidecarSet; pods: Pod[]; podResize: boolean } | number;
  if (name !== undefined) inputs = await readCluster(name, options, io);
  else {
    if (options.sidecarset === undefined) return usageError(io, '--pods needs --sidecarset FILE: the SidecarSet to plan for');
    if (options.pods === undefined) return usageError(io, '--sidecarset needs --pods FILE: the pods to plan for');
    const { sidecarSet, errors } = loadPlanSidecarSet(options.sidecarset, io.files);
    const pods = await readPods(options.pods, io);
    if (errors.length > 0 || pods.errors.length > 0 || !sidecarSet) return fail([...errors, ...pods.errors]);
    inputs = { sidecarSet, pods: pods.pods, podResize: options.podResize === true };
  }
  if (typeof inputs === 'number') return inputs;

  const capabilities: RolloutCapabilities = { podResize: inputs.podResize };
  const plan = planRollout(inputs.sidecarSet, inputs.pods, io.now(), capabilities);
  io.stdout(renderPlan(inputs.sidecarSet.metadata?.name ?? '', planReport(plan, upgradesOf(inputs.sidecarSet, inputs.pods, capabilities)), options.output));
  return 0;
}

/** How each pod not yet updated and upgradable would be changed (the pods a rollout will take). */
function upgradesOf(sidecarSet: SidecarSet, pods: Pod[], capabilities: RolloutCapabilities): Record<string, string[]> {
  const upgrades: Record<string, string[]> = {};
  for (const pod of pods) {
    const status = podSidecarStatus(sidecarSet, pod, capabilities);
    if (status.updated || !status.upgradable) continue;
    const kinds = podUpgradeKinds(sidecarSet, pod, capabilities);
    if (kinds.length > 0) upgrades[`${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`] = kinds;
  }
  return upgrades;
}

function usageError(io: PlanIo, message: string): number {
  io.stderr(`error: ${message}\n(run 'kubectl-sidecarset plan --help' for usage)\n`);
  return 1;
}

async function readPods(file: string, io: PlanIo): Promise<{ pods: Pod[]; errors: InputError[] }> {
  const name = file === '-' ? STDIN_NAME : file;
  try {
    return parsePlanPods(name, file === '-' ? await io.readStdin() : io.files.read(file));
  } catch (error) {
    return { pods: [], errors: [{ location: name, message: ioErrorMessage(error) }] };
  }
}

/** The SidecarSet as stored and the pods it has injected; or, after printing why, the exit code. */
async function readCluster(name: string, flags: ClusterFlags, io: PlanIo): Promise<{ sidecarSet: SidecarSet; pods: Pod[]; podResize: boolean } | number> {
  const api = await loadClusterApi();
  let server = '';
  try {
    const cluster = await connectCluster(flags, api);
    server = cluster.server;
    let sidecarSet: SidecarSet;
    try {
      sidecarSet = await new api.SidecarSetClient(cluster.kubeConfig).get(name);
    } catch (error) {
      if (api.isNotFound(error) && error.status.details?.name) {
        io.stderr(`error: sidecarset "${name}" not found\n`);
        return 1;
      }
      throw error;
    }
    try {
      const pods = await podsInScope(cluster, sidecarSet, await listInjectedPods(cluster, name));
      return { sidecarSet, pods, podResize: await clusterServesPodResize(cluster) };
    } catch (error) {
      io.stderr(`error: ${clusterErrorMessage(api, error, server, 'pods')}\n`);
      return 1;
    }
  } catch (error) {
    io.stderr(`error: ${clusterErrorMessage(api, error, server)}\n`);
    return 1;
  }
}

const processIo: PlanIo = { ...processInput, ...processOutput, now: () => new Date() };

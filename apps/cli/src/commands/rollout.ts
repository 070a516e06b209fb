// `kubectl-sidecarset rollout status|pause|resume|history|undo NAME`, as `kubectl rollout` does them for
// Deployments: status from the same planRollout the controller runs (rollout/rolloutProgress.ts),
// pause and resume through spec.updateStrategy.paused, history and undo from the SidecarSet's
// ControllerRevisions (rollout/revisionHistory.ts). Output on stdout; errors on stderr, exit 1.
import type { ControllerRevision, SidecarSet } from '@sidecarset/api/offline';
import { planRollout, SIDECARSET_NAME_LABEL } from '@sidecarset/core';
import { Command, Option } from 'commander';
import { clusterErrorMessage } from '../cluster/clusterErrorMessage.js';
import { connectCluster, loadClusterApi, type Cluster, type ClusterFlags } from '../cluster/connectCluster.js';
import { listInjectedPods } from '../cluster/listInjectedPods.js';
import { podsInScope } from '../cluster/podsInScope.js';
import { renderOutput } from '../inject/renderOutput.js';
import { renderTable } from '../output/renderTable.js';
import { processOutput } from '../processIo.js';
import { historyOf, undoPatch, undoTarget } from '../rollout/revisionHistory.js';
import { parseDuration } from '../rollout/parseDuration.js';
import { rolloutProgress, type RolloutProgress } from '../rollout/rolloutProgress.js';

export interface RolloutIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
}

type Format = 'table' | 'json' | 'yaml';

interface CommonOptions extends ClusterFlags {
  output: Format;
  revisionNamespace: string;
}

const SIDECARSETS = '/apis/apps.kruise.io/v1alpha1/sidecarsets';
const KIND = 'sidecarset.apps.kruise.io';

/** A failure already explained on stderr. */
class Reported extends Error {}

async function withCluster(flags: ClusterFlags, io: RolloutIo, run: (cluster: Cluster) => Promise<number>): Promise<number> {
  const api = await loadClusterApi();
  let server = '';
  try {
    const cluster = await connectCluster(flags, api);
    server = cluster.server;
    return await run(cluster);
  } catch (error) {
    if (!(error instanceof Reported)) io.stderr(`error: ${clusterErrorMessage(api, error, server)}\n`);
    return 1;
  }
}

async function readSidecarSet(cluster: Cluster, name: string, io: RolloutIo): Promise<SidecarSet> {
  try {
    return await cluster.api.requestJson<SidecarSet>(cluster.kubeConfig, 'GET', `${SIDECARSETS}/${encodeURIComponent(name)}`);
  } catch (error) {
    if (cluster.api.isNotFound(error) && error.status.details?.name) {
      io.stderr(`error: sidecarset "${name}" not found\n`);
      throw new Reported();
    }
    throw error;
  }
}

async function readRevisions(cluster: Cluster, name: string, namespace: string): Promise<ControllerRevision[]> {
  const list = await cluster.api.requestJson<{ items?: ControllerRevision[] }>(cluster.kubeConfig, 'GET', `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/controllerrevisions`, {
    labelSelector: `${SIDECARSET_NAME_LABEL}=${name}`,
  });
  return list.items ?? [];
}

const mergePatch = (cluster: Cluster, name: string, body: unknown) =>
  cluster.api.requestJson<SidecarSet>(cluster.kubeConfig, 'PATCH', `${SIDECARSETS}/${encodeURIComponent(name)}`, {}, body, 'application/merge-patch+json');

async function progressOf(cluster: Cluster, name: string, io: RolloutIo): Promise<RolloutProgress> {
  const sidecarSet = await readSidecarSet(cluster, name, io);
  const pods = await podsInScope(cluster, sidecarSet, await listInjectedPods(cluster, name));
  return rolloutProgress(sidecarSet, planRollout(sidecarSet, pods, io.now()));
}

const clusterOptions = (command: Command, formats: Format[] = ['table', 'json', 'yaml']): Command =>
  command
    .addOption(new Option('-o, --output <format>', 'output format').choices(formats).default('table'))
    .option('--kubeconfig <file>', 'path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)')
    .option('--context <context>', 'the kubeconfig context to use (default: its current-context)')
    .option('--revision-namespace <namespace>', "namespace of the SidecarSets' ControllerRevisions (the controller's --revision-namespace)", 'sidecarset-system');

export interface StatusOptions extends CommonOptions {
  watch?: boolean;
  timeout: string;
}

/** Exit 0: complete (or still progressing, without --watch); 1: blocked, timed out, or an error. */
export async function runRolloutStatus(name: string, options: StatusOptions, io: RolloutIo): Promise<number> {
  const timeoutMs = parseDuration(options.timeout);
  if (timeoutMs === undefined) {
    io.stderr(`error: --timeout must be a duration such as 30s, 5m or 1h (0: no limit), got ${JSON.stringify(options.timeout)}\n`);
    return 1;
  }
  return withCluster(options, io, async (cluster) => {
    const deadline = timeoutMs > 0 ? io.now().getTime() + timeoutMs : Infinity;
    let last = '';
    for (;;) {
      const progress = await progressOf(cluster, name, io);
      const finished = !options.watch || progress.state !== 'progressing';
      if (options.output === 'table') {
        if (progress.message !== last) io.stdout(`${progress.message}\n`);
        if (finished && progress.state === 'blocked') for (const { reason, pods } of progress.reasons) io.stdout(`  ${pods} pod${pods === 1 ? '' : 's'}: ${reason}\n`);
      }
      last = progress.message;
      if (finished) {
        if (options.output !== 'table') io.stdout(renderOutput([progress], options.output));
        return progress.state === 'blocked' ? 1 : 0;
      }
      if (io.now().getTime() >= deadline) {
        io.stderr(`error: timed out waiting for the rollout of sidecarset "${name}" (${options.timeout}): ${progress.message}\n`);
        return 1;
      }
      await io.sleep(1000);
    }
  });
}

/** pause: true; resume: false. kubectl refuses to pause what is paused, and to resume what is not. */
export async function runRolloutPause(name: string, paused: boolean, options: ClusterFlags, io: RolloutIo): Promise<number> {
  return withCluster(options, io, async (cluster) => {
    const sidecarSet = await readSidecarSet(cluster, name, io);
    if (Boolean(sidecarSet.spec.updateStrategy?.paused) === paused) {
      io.stderr(`error: sidecarset "${name}" is ${paused ? 'already paused' : 'not paused'}\n`);
      return 1;
    }
    await mergePatch(cluster, name, { metadata: { resourceVersion: sidecarSet.metadata?.resourceVersion }, spec: { updateStrategy: { paused: paused ? true : null } } });
    io.stdout(`${KIND}/${name} ${paused ? 'paused' : 'resumed'}\n`);
    return 0;
  });
}

export async function runRolloutHistory(name: string, options: CommonOptions & { revision?: string }, io: RolloutIo): Promise<number> {
  return withCluster(options, io, async (cluster) => {
    const sidecarSet = await readSidecarSet(cluster, name, io);
    const revisions = await readRevisions(cluster, name, options.revisionNamespace);
    if (options.revision !== undefined) {
      const wanted = Number(options.revision);
      const found = revisions.find((r) => r.revision === wanted);
      if (!found) {
        io.stderr(`error: unable to find the specified revision ${options.revision} of sidecarset "${name}"\n`);
        return 1;
      }
      io.stdout(renderOutput([found], options.output === 'table' ? 'yaml' : options.output));
      return 0;
    }
    const entries = historyOf(sidecarSet, revisions);
    if (options.output !== 'table') {
      io.stdout(renderOutput([{ sidecarSet: name, revisions: entries }], options.output));
      return 0;
    }
    if (!entries.length) {
      io.stderr(`No rollout history found for sidecarset "${name}" in namespace ${options.revisionNamespace}\n`);
      return 0;
    }
    io.stdout(`${KIND}/${name}\n${renderTable(['REVISION', 'NAME', 'CURRENT', 'IMAGES', 'CREATED'], entries.map((e) => [String(e.revision), e.name, e.current ? '*' : '', e.images.join(',') || '<none>', e.created]))}`);
    return 0;
  });
}

export async function runRolloutUndo(name: string, options: CommonOptions & { toRevision?: string }, io: RolloutIo): Promise<number> {
  const toRevision = options.toRevision === undefined ? undefined : Number(options.toRevision);
  if (toRevision !== undefined && (!Number.isInteger(toRevision) || toRevision < 0)) {
    io.stderr(`error: --to-revision must be a revision number (0: the previous one), got ${JSON.stringify(options.toRevision)}\n`);
    return 1;
  }
  return withCluster(options, io, async (cluster) => {
    const sidecarSet = await readSidecarSet(cluster, name, io);
    const revisions = await readRevisions(cluster, name, options.revisionNamespace);
    const target = undoTarget(sidecarSet, revisions, toRevision);
    if (!target.ok) {
      io.stderr(`error: ${target.reason}\n`);
      return 1;
    }
    const current = historyOf(sidecarSet, [target.revision])[0]!;
    if (current.current) {
      io.stdout(`${KIND}/${name} skipped rollback (current spec already matches revision ${target.number})\n`);
      return 0;
    }
    const updated = await mergePatch(cluster, name, undoPatch(sidecarSet, target.revision));
    if (options.output !== 'table') io.stdout(renderOutput([updated], options.output));
    else io.stdout(`${KIND}/${name} rolled back to revision ${target.number} (${target.revision.metadata?.name})\n`);
    return 0;
  });
}

const EXAMPLES = `
Examples:
  kubectl-sidecarset rollout status logging-agent --watch --timeout 10m   # CI: exit 0 once complete
  kubectl-sidecarset rollout pause logging-agent
  kubectl-sidecarset rollout resume logging-agent
  kubectl-sidecarset rollout history logging-agent
  kubectl-sidecarset rollout undo logging-agent --to-revision 2

rollout status: "complete" when every pod the SidecarSet rolls out to is updated and ready, or
every pod left behind is kept there by updateStrategy.partition; "blocked" when the next round
would update no pod and none is in flight (paused, NotUpdate, not upgradable in place, outside the
canary selector), with the reasons; else "progressing". Exit status: 0 complete (or progressing,
without --watch); 1 blocked, timed out, or an error (one line on stderr). --watch waits while it is
progressing, printing each change.
rollout undo: puts back the sidecars (containers, initContainers, volumes, imagePullSecrets,
patchPodMetadata) of revision N (--to-revision; default: the one before the current); the rest of
the spec is kept. The controller then rolls the pods back in place as for any update.
`;

export function rolloutCommand(io: RolloutIo = processIo): Command {
  const rollout = new Command('rollout')
    .usage('status|pause|resume|history|undo NAME [options]')
    .summary("manage a SidecarSet's rollout: status, pause, resume, history, undo")
    .description("Manage the in-place rollout of a SidecarSet's sidecars, as kubectl rollout does for Deployments.")
    .addHelpText('after', EXAMPLES)
    .showHelpAfterError("(run 'kubectl-sidecarset rollout --help' for usage)");

  rollout.addCommand(
    clusterOptions(new Command('status').summary('show the rollout status; --watch waits until it is complete or blocked').argument('<name>', 'the SidecarSet'))
      .option('-w, --watch', 'wait while the rollout progresses, printing each change')
      .option('--timeout <duration>', 'with --watch: give up after this long (30s, 5m, 1h; 0: never)', '0')
      .action(async (name: string, options: StatusOptions) => {
        process.exitCode = await runRolloutStatus(name, options, io);
      }),
  );
  for (const paused of [true, false]) {
    rollout.addCommand(
      clusterOptions(new Command(paused ? 'pause' : 'resume').summary(paused ? 'pause the rollout (updateStrategy.paused: true)' : 'resume a paused rollout').argument('<name>', 'the SidecarSet')).action(
        async (name: string, options: CommonOptions) => {
          process.exitCode = await runRolloutPause(name, paused, options, io);
        },
      ),
    );
  }
  rollout.addCommand(
    clusterOptions(new Command('history').summary("list the SidecarSet's revisions (ControllerRevisions)").argument('<name>', 'the SidecarSet'))
      .option('--revision <n>', 'show this revision in full')
      .action(async (name: string, options: CommonOptions & { revision?: string }) => {
        process.exitCode = await runRolloutHistory(name, options, io);
      }),
  );
  rollout.addCommand(
    clusterOptions(new Command('undo').summary("put back the sidecars of an earlier revision").argument('<name>', 'the SidecarSet'))
      .option('--to-revision <n>', 'the revision to go back to (default: the one before the current)')
      .action(async (name: string, options: CommonOptions & { toRevision?: string }) => {
        process.exitCode = await runRolloutUndo(name, options, io);
      }),
  );
  return rollout;
}

const processIo: RolloutIo = { ...processOutput, now: () => new Date(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

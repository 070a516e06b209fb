// `kubectl-sidecarset inject`: what the webhook would inject into the Pods of some manifests, offline.
// Scripts depend on this contract: output on stdout in input order, exit 0; or nothing on stdout, every
// problem on stderr (file, document, field), exit 1.
import { parseManifests } from '@sidecarset/api/offline';
import { Command, Option } from 'commander';
import { injectDocument } from '../inject/injectDocument.js';
import { documentLocation, fieldErrorsAt, formatInputError, type InputError } from '../inject/inputErrors.js';
import { loadSidecarSetSources } from '../inject/loadSidecarSetSources.js';
import { ioErrorMessage, type ManifestFileReader } from '../inject/manifestFiles.js';
import { namespaceLabelsFor, parseNamespaceLabelsFlag } from '../inject/namespaceLabels.js';
import { renderOutput, type OutputFormat } from '../inject/renderOutput.js';
import { parseSeed, seededRandom } from '../inject/seededRandom.js';
import { isObject } from '../inject/workloadTemplates.js';
import { nodeVersionsFor } from '../inject/nodeVersionsFlag.js';
import { processInput, processOutput } from '../processIo.js';

export interface InjectOptions {
  filename: string;
  sidecarsets: string[];
  namespace?: string;
  namespaceLabels?: string;
  output: OutputFormat;
  /** Hidden: the injection time, for reproducible output. */
  now?: string;
  /** Seed for Partial revision draws (reproducible output); Math.random without it. */
  seed?: string;
  /** CSIDrivers the target cluster has (repeatable); none without it. */
  csiDriver?: string[];
  /** Kubelet version of the target cluster's nodes (and API server), for native sidecars. */
  nodeVersion?: string;
}

export interface InjectIo {
  files: ManifestFileReader;
  readStdin: () => Promise<string>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const STDIN_NAME = '<stdin>';

const EXAMPLES = `
Examples:
  # Show a Deployment with the sidecars of the SidecarSets in ./sidecarsets injected into its pod template
  kubectl-sidecarset inject -f deployment.yaml --sidecarsets ./sidecarsets

  # Pipe rendered manifests through, in namespace "shop" labelled for a namespaceSelector, and apply them
  helm template shop ./chart | kubectl-sidecarset inject -f - --sidecarsets sidecarset.yaml \\
    -n shop --namespace-labels team=payments,env=prod | kubectl apply -f -

  # Use the SidecarSets, ControllerRevisions and Namespaces of a live cluster, print JSON
  kubectl get sidecarsets,namespaces -o yaml > cluster.yaml
  kubectl get controllerrevisions -n kruise-system -l kruise.io/sidecarset-name -o yaml > revisions.yaml
  kubectl-sidecarset inject -f pod.yaml --sidecarsets cluster.yaml --sidecarsets revisions.yaml -o json

  # Seed 000: a SidecarSet mounting kube-system/filebeat-config, allowed by its binding; the pod's
  # volume then names the mirror mirror.kube-system.filebeat-config, as the webhook writes it
  kubectl-sidecarset inject -f pod.yaml --sidecarsets filebeat-sidecarset.yaml --sidecarsets binding.yaml

Exit status: 0 on success; 1 on bad input (unparsable YAML, an invalid SidecarSet, a missing
revision, a NAMESPACE/NAME volume no SidecarSetResourceBinding authorises), with one line per
problem on stderr naming the file, the document (from 1) and the field.
`;

export function injectCommand(io: InjectIo = processIo): Command {
  return new Command('inject')
    .usage('-f FILE|- --sidecarsets PATH [--sidecarsets PATH ...] [-n NAMESPACE] [--namespace-labels k=v,...] [--seed N] [--csi-driver NAME ...] [--node-version VERSION] [-o yaml|json]')
    .summary('print manifests with the sidecars the webhook would inject (offline)')
    .description(
      'Print manifests with the sidecars of matching SidecarSets injected, as the webhook would inject them, offline. ' +
        'Pods are injected; Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs have their pod ' +
        'template injected (their own metadata is untouched); Lists have their items injected; other kinds pass through.',
    )
    .requiredOption('-f, --filename <file>', 'manifests to inject: YAML or JSON, one or more documents; "-" reads stdin')
    .addOption(
      new Option(
        '--sidecarsets <path>',
        'a file, or a directory searched recursively for *.yaml, *.yml and *.json, of SidecarSets; ControllerRevisions ' +
          'there pin revisions, Namespaces there give their labels to namespaceSelectors and SidecarSetResourceBindings ' +
          'there let SidecarSets mount NAMESPACE/NAME ConfigMaps and Secrets through mirrors (repeatable)',
      )
        .argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value])
        .makeOptionMandatory(),
    )
    .option('-n, --namespace <namespace>', 'namespace of documents without metadata.namespace (default: "default")')
    .option(
      '--namespace-labels <key=value,...>',
      'labels of the -n namespace, for namespaceSelectors (default: kubernetes.io/metadata.name=<namespace>, ' +
        'or the labels of its Namespace document in --sidecarsets)',
    )
    .addOption(
      new Option(
        '--csi-driver <name>',
        'a CSIDriver the target cluster has (repeatable). Without one for stdlogplugin.csi.alibabacloud.com, a SidecarSet ' +
          "stdlog volume is shown as the webhook rewrites it on such a cluster: a read-only hostPath of the kubelet's pod " +
          'log directory, narrowed to the pod (default: no CSIDriver)',
      ).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
    )
    .option(
      '--node-version <version>',
      'kubelet version of the target cluster\'s nodes and API server (e.g. v1.30.2): a sidecar with ECI_SIDECAR_CONTAINER=true, ' +
        'or of a SidecarSet annotated sidecarset.dev/native-sidecars: "true", is a native sidecar when the pod\'s nodes run 1.29+. ' +
        'Node documents in --sidecarsets (status.nodeInfo.kubeletVersion, labels for nodeSelectors) say it per node, this ' +
        'flag then standing for the API server. Without either the versions are unknown: such sidecars stay regular ' +
        'containers, with the webhook\'s warning on stderr',
    )
    .addOption(new Option('-o, --output <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .option(
      '--seed <n>',
      'seed (an integer in [0, 2^32)) for the random draw each pod (or pod template) makes for a SidecarSet with ' +
        'injectionStrategy.revision.policy Partial and a percentage partition, for reproducible output ' +
        '(default: a fresh draw each run, as the webhook draws for each pod)',
    )
    .addOption(new Option('--now <time>', 'injection time (ISO 8601), for reproducible output').hideHelp())
    .addHelpText('after', EXAMPLES)
    .showHelpAfterError("(run 'kubectl-sidecarset inject --help' for usage)")
    .action(async (options: InjectOptions) => {
      process.exitCode = await runInject(options, io);
    });
}

/** Runs the command; returns the exit code. */
export async function runInject(options: InjectOptions, io: InjectIo): Promise<number> {
  const fail = (errors: readonly InputError[]): number => {
    io.stderr(errors.map((e) => `${formatInputError(e)}\n`).join(''));
    return 1;
  };

  const flagNamespace = options.namespace || 'default';
  const flagLabels = options.namespaceLabels === undefined ? undefined : parseNamespaceLabelsFlag(options.namespaceLabels);
  if (flagLabels && 'error' in flagLabels) return fail([{ location: '--namespace-labels', message: flagLabels.error }]);
  const now = options.now === undefined ? new Date() : new Date(options.now);
  if (Number.isNaN(now.getTime())) return fail([{ location: '--now', message: `"${options.now}" is not an ISO 8601 time` }]);
  const seed = options.seed === undefined ? undefined : parseSeed(options.seed);
  if (options.seed !== undefined && seed === undefined) return fail([{ location: '--seed', message: `"${options.seed}" is not an integer in [0, 4294967295]` }]);

  const inputName = options.filename === '-' ? STDIN_NAME : options.filename;
  let text: string;
  try {
    text = options.filename === '-' ? await io.readStdin() : io.files.read(options.filename);
  } catch (error) {
    return fail([{ location: inputName, message: ioErrorMessage(error) }]);
  }

  const inputs = parseManifests(text).map((document) => ({ ...document, location: documentLocation(inputName, document.index, document.value) }));
  const sources = loadSidecarSetSources(options.sidecarsets, io.files);
  const inputErrors = inputs.flatMap((input) =>
    input.errors.length > 0
      ? fieldErrorsAt(input.location, input.errors)
      : isObject(input.value)
        ? []
        : [{ location: input.location, message: '<document>: must be an object (a Kubernetes manifest)' }],
  );
  if (sources.errors.length > 0 || inputErrors.length > 0) return fail([...sources.errors, ...inputErrors]);

  const context = {
    sidecarSets: sources.sidecarSets,
    revisions: sources.revisions,
    bindings: sources.bindings.map((b) => (b.metadata?.namespace ? b : { ...b, metadata: { ...b.metadata, namespace: flagNamespace } })),
    csiDrivers: new Set(options.csiDriver ?? []),
    defaultNamespace: flagNamespace,
    namespaceLabels: (namespace: string) =>
      namespaceLabelsFor(namespace, { flagNamespace, flagLabels, documents: sources.namespaceLabels }),
    now: now.toISOString(),
    draw: seed === undefined ? Math.random : seededRandom(seed),
    ...nodeVersionsFor(options.nodeVersion, sources.nodes),
  };
  const results = inputs.map((input) => ({ input, ...injectDocument(input.value, context) }));
  const injectionErrors = results.flatMap(({ input, errors }) => fieldErrorsAt(input.location, errors));
  if (injectionErrors.length > 0) return fail(injectionErrors);

  // As kubectl prints an admission warning: on stderr, the exit status unchanged.
  const warnings = results.flatMap(({ input, warnings }) => warnings.map((w) => `Warning: ${input.location}: ${w}\n`));
  if (warnings.length > 0) io.stderr(warnings.join(''));
  io.stdout(renderOutput(results.map((r) => r.document), options.output));
  return 0;
}

const processIo: InjectIo = { ...processInput, ...processOutput };

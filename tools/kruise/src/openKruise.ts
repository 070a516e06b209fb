// Runs the real OpenKruise v1.9.0 manager (tools/kruise/build.sh) against a control plane from
// @sidecarset/envtest, with only what SidecarSet needs: OpenKruise's own SidecarSet CRD in place of
// ours (and the few CRDs its start-up insists on or waits for, see CRD_FILES), the
// kruise-system namespace, and its webhook configurations from its module's templates, keeping the
// SidecarSet and pod webhooks only. The manager rewrites those to `https://127.0.0.1:PORT/...` with a CA
// of its own, as it does with WEBHOOK_HOST set. Leader election and pprof off; metrics and health on
// 127.0.0.1.
//
// Its webhook server binds every interface (a literal "0.0.0.0" in its main.go), so start it only in
// a network namespace where loopback is all there is: tools/kruise/netns.sh, which this package's
// `test` target runs under.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, installCrds, logTail, startProcess, type ControlPlane, type ManagedProcess } from '@sidecarset/envtest';
import { parseAllDocuments } from 'yaml';
import { kruiseBuild } from './kruiseBuild.js';

export const KRUISE_NAMESPACE = 'kruise-system';
const MUTATING_CONFIGURATION = 'kruise-mutating-webhook-configuration';
const VALIDATING_CONFIGURATION = 'kruise-validating-webhook-configuration';
/**
 * The CRDs installed from OpenKruise's module: SidecarSet; ImagePullJob, which the manager indexes at
 * start and exits without; and the kinds of the controllers it adds before the SidecarSet controller
 * (its pkg/controller/controllers.go order), one at a time, each discovery of a missing kind retrying
 * for ~16 s: without them the SidecarSet controller starts 80 s after the webhook. BroadcastJob,
 * ImageListPullJob and PodUnavailableBudget are looked for at start too. Their controllers idle: no
 * object of those kinds is created (but the NodeImage per node its own controller keeps), and
 * PodUnavailableBudget's pod webhook is not registered.
 */
const SIDECARSET_CRD = 'apps.kruise.io_sidecarsets.yaml';
const CRD_FILES = [
  SIDECARSET_CRD,
  'apps.kruise.io_imagepulljobs.yaml',
  'apps.kruise.io_advancedcronjobs.yaml',
  'apps.kruise.io_broadcastjobs.yaml',
  'apps.kruise.io_clonesets.yaml',
  'apps.kruise.io_containerrecreaterequests.yaml',
  'apps.kruise.io_daemonsets.yaml',
  'apps.kruise.io_nodeimages.yaml',
  'apps.kruise.io_imagelistpulljobs.yaml',
  'policy.kruise.io_podunavailablebudgets.yaml',
];
/** The webhooks kept from its templates: SidecarSet defaulting and validation, pod injection. */
const WEBHOOK_PATHS = ['/mutate-pod', '/mutate-apps-kruise-io-sidecarset', '/validate-apps-kruise-io-sidecarset'];

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface OpenKruiseOptions {
  /** Only pods in namespaces with these labels go through OpenKruise's pod webhook. Default: every namespace. */
  podNamespaceSelector?: LabelSelector;
  /** klog verbosity of the manager (`--v`). Default 2. */
  verbosity?: number;
  /** More manager flags. */
  extraArgs?: string[];
  /** How long to wait for the manager to answer admission. Default 120 s. */
  readyTimeoutMs?: number;
  /** Progress lines for people waiting. */
  log?: (line: string) => void;
  /**
   * Put OpenKruise's CRDs over those installed (server-side apply, taking over their fields) instead
   * of deleting the SidecarSet CRD first: moving a cluster back to OpenKruise keeps its SidecarSets.
   */
  keepSidecarSets?: boolean;
}

export interface OpenKruise {
  /** The build's directory (bin/kruise-manager, config/). */
  buildDir: string;
  /** Its webhook server: https://127.0.0.1:PORT. */
  webhookUrl: string;
  process: ManagedProcess;
  logs(lines?: number): string;
  /** Removes its webhook configurations, then stops the manager. */
  stop(): Promise<void>;
}

/** Starts OpenKruise's manager; it joins `plane.processes`, so plane.stop() stops it too. */
export async function startOpenKruise(plane: ControlPlane, options: OpenKruiseOptions = {}): Promise<OpenKruise> {
  const log = options.log ?? (() => {});
  const build = kruiseBuild();
  const kubectl = async (args: string[], input?: string): Promise<string> => {
    const result = await plane.kubectl(args, input);
    if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr.trim()}`);
    return result.stdout;
  };

  log("installing OpenKruise's SidecarSet CRD (and those its start-up looks for)");
  // Ours has the same name; two schemas must not merge (unless the objects must stay: then OpenKruise's
  // CRD takes over every field, ours had none it lacks but our label).
  if (!options.keepSidecarSets) await kubectl(['delete', 'crd', 'sidecarsets.apps.kruise.io', '--ignore-not-found', '--wait=true']);
  const crdDir = join(plane.dir, 'kruise-crds');
  mkdirSync(crdDir, { recursive: true });
  for (const file of CRD_FILES) {
    if (file === SIDECARSET_CRD) writeFileSync(join(crdDir, file), JSON.stringify(withConversionWebhook(readFileSync(join(build.crdDir, file), 'utf8'))));
    else copyFileSync(join(build.crdDir, file), join(crdDir, file));
  }
  if (options.keepSidecarSets) await kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=sidecarset-envtest', '-f', crdDir]);
  await installCrds(plane.kubectl, crdDir);

  await kubectl(['create', 'namespace', KRUISE_NAMESPACE, '--dry-run=client', '-o', 'yaml']).then((yaml) => kubectl(['apply', '-f', '-'], yaml));
  const configurations = join(plane.dir, 'kruise-webhook-configurations.json');
  writeFileSync(configurations, JSON.stringify(webhookConfigurations(build.webhookManifests, options.podNamespaceSelector)));
  await kubectl(['apply', '-f', configurations]);

  const [webhookPort, metricsPort, healthPort] = [await freePort(), await freePort(), await freePort()];
  const certDir = join(plane.dir, 'kruise-webhook-certs');
  mkdirSync(certDir, { recursive: true });
  log(`kruise-manager, webhook on 127.0.0.1:${webhookPort}`);
  const manager = startProcess(
    'kruise-manager',
    build.manager,
    [
      `--kubeconfig=${plane.kubeconfigPath}`,
      '--enable-leader-election=false',
      '--enable-pprof=false',
      `--metrics-addr=127.0.0.1:${metricsPort}`,
      `--health-probe-addr=127.0.0.1:${healthPort}`,
      `--v=${options.verbosity ?? 2}`,
      ...(options.extraArgs ?? []),
    ],
    join(plane.dir, 'logs'),
    // WEBHOOK_HOST: the host of the URLs it writes into the configurations and of its certificates,
    // which then go to files in WEBHOOK_CERT_DIR rather than a Secret.
    { WEBHOOK_HOST: '127.0.0.1', WEBHOOK_PORT: String(webhookPort), WEBHOOK_CERT_DIR: certDir, POD_NAMESPACE: KRUISE_NAMESPACE },
  );
  plane.processes.push(manager);
  const logs = (lines = 200): string => logTail(manager, lines);
  try {
    const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
    await waitReady(plane, healthPort, () => manager.running(), deadline);
    await waitSidecarSetController(metricsPort, () => manager.running(), deadline);
  } catch (error) {
    await manager.stop();
    throw new Error(`${(error as Error).message}\n--- kruise-manager:\n${logs(40)}`, { cause: error });
  }
  return {
    buildDir: build.dir,
    webhookUrl: `https://127.0.0.1:${webhookPort}`,
    process: manager,
    logs,
    async stop() {
      // Gone first, so that pod creation on a plane that lives on does not fail on a stopped webhook.
      await plane.kubectl(['delete', `mutatingwebhookconfiguration/${MUTATING_CONFIGURATION}`, `validatingwebhookconfiguration/${VALIDATING_CONFIGURATION}`, '--ignore-not-found']);
      await manager.stop();
    },
  };
}

/**
 * The SidecarSet CRD as OpenKruise deploys it: its config/crd kustomization patches in a conversion
 * webhook (patches/webhook_in_sidecarsets.yaml), whose clientConfig the manager then points at itself.
 * Without it v1alpha1's spec.namespace would be pruned when the v1beta1 object is stored.
 */
function withConversionWebhook(crdYaml: string): unknown {
  const crd = parseAllDocuments(crdYaml)[0]!.toJS() as { spec: Record<string, unknown> };
  crd.spec.conversion = {
    strategy: 'Webhook',
    webhook: {
      clientConfig: { service: { namespace: KRUISE_NAMESPACE, name: 'kruise-webhook-service', path: '/convert' } },
      conversionReviewVersions: ['v1', 'v1beta1'],
    },
  };
  return crd;
}

interface WebhookConfiguration {
  metadata: { name: string };
  webhooks: { name: string; clientConfig: { service?: { name: string; namespace: string; path: string } }; namespaceSelector?: LabelSelector }[];
}

/** Its templates (kustomize names them kruise-...), reduced to the webhooks SidecarSet needs. */
function webhookConfigurations(manifests: string, podNamespaceSelector: LabelSelector | undefined): { apiVersion: string; kind: string; items: WebhookConfiguration[] } {
  const items = parseAllDocuments(readFileSync(manifests, 'utf8')).map((document) => document.toJS() as WebhookConfiguration);
  for (const configuration of items) {
    configuration.metadata.name = `kruise-${configuration.metadata.name}`;
    configuration.webhooks = configuration.webhooks.filter((webhook) => WEBHOOK_PATHS.includes(webhook.clientConfig.service?.path ?? ''));
    for (const webhook of configuration.webhooks) {
      webhook.clientConfig.service = { ...webhook.clientConfig.service!, name: 'kruise-webhook-service', namespace: KRUISE_NAMESPACE };
      if (podNamespaceSelector && webhook.clientConfig.service.path === '/mutate-pod') webhook.namespaceSelector = podNamespaceSelector;
    }
  }
  const names = items.map((c) => c.metadata.name).sort();
  if (names.join() !== [MUTATING_CONFIGURATION, VALIDATING_CONFIGURATION].join() || items.some((c) => c.webhooks.length === 0)) {
    throw new Error(`${manifests}: expected ${MUTATING_CONFIGURATION} and ${VALIDATING_CONFIGURATION} with the SidecarSet webhooks, found ${names.join(', ')}`);
  }
  return { apiVersion: 'v1', kind: 'List', items };
}

/**
 * Ready means: /readyz answers 200, and the API server gets a SidecarSet defaulted through its
 * webhook (a dry-run CREATE comes back with its hash annotation), so the configurations point at it.
 */
async function waitReady(plane: ControlPlane, healthPort: number, alive: () => boolean, deadline: number): Promise<void> {
  const probe = JSON.stringify({
    apiVersion: 'apps.kruise.io/v1alpha1',
    kind: 'SidecarSet',
    metadata: { name: 'kruise-readiness-probe' },
    spec: { selector: { matchLabels: { 'kruise-readiness-probe': 'true' } }, containers: [{ name: 'probe', image: 'busybox:1.36' }] },
  });
  let last = 'not started';
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`kruise-manager exited before it was ready (${last})`);
    const health = (await httpGet(`http://127.0.0.1:${healthPort}/readyz`)).status;
    if (health !== 200) {
      last = `/readyz: ${health || 'no answer'}`;
    } else {
      const created = await plane.kubectl(['create', '--dry-run=server', '-o', 'json', '-f', '-'], probe);
      const annotations = created.code === 0 ? (JSON.parse(created.stdout) as { metadata?: { annotations?: Record<string, string> } }).metadata?.annotations : undefined;
      if (annotations?.['kruise.io/sidecarset-hash']) return;
      last = created.code === 0 ? 'SidecarSet admitted without its hash annotation' : created.stderr.trim();
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`kruise-manager not ready in time: ${last}`);
}

/**
 * The manager adds its controllers after its webhook is ready, one by one: the SidecarSet controller
 * runs once controller-runtime reports its workers (`controller_runtime_active_workers`).
 */
async function waitSidecarSetController(metricsPort: number, alive: () => boolean, deadline: number): Promise<void> {
  const started = /^controller_runtime_active_workers\{controller="sidecarset-controller"\}/m;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error('kruise-manager exited before its SidecarSet controller started');
    if (started.test((await httpGet(`http://127.0.0.1:${metricsPort}/metrics`)).body)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('kruise-manager: its SidecarSet controller did not start in time (no controller_runtime_active_workers for sidecarset-controller on /metrics)');
}

/** Status 0 and no body when nothing answers within a second. */
async function httpGet(url: string): Promise<{ status: number; body: string }> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return { status: response.status, body: await response.text() };
  } catch {
    return { status: 0, body: '' };
  }
}

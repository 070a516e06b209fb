// Starts a real Kubernetes control plane on 127.0.0.1: etcd, kube-apiserver (RBAC, the default
// admission plugins, service-account token signing), optionally kube-controller-manager,
// kube-scheduler and kwok with fake nodes; installs crds/. stop() ends every process it started.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ensureBinaries } from './binaries.js';
import { installCrds } from './crds.js';
import { freePort } from './freePort.js';
import { waitHealthy } from './health.js';
import { startKwok, type KwokOptions } from './kwok.js';
import { kubeconfigYaml } from './kubeconfig.js';
import { createCertificateAuthority, createServiceAccountKeys, issueCertificate, type CertificateAuthority, type PemPair } from '@sidecarset/pki';
import { logTail, startProcess, type ManagedProcess } from './processes.js';
import { writeWebhookAuthentication, type WebhookAuthenticationOptions, type WebhookClientIdentity } from './webhookAuthentication.js';

export interface ControlPlaneOptions {
  /** Run kube-controller-manager (creates default ServiceAccounts, runs Deployments and Jobs). Default true. */
  controllerManager?: boolean;
  /** Run kube-scheduler. Default true. */
  scheduler?: boolean;
  /** Start kwok with this many Ready fake nodes. Default 0: no kwok. */
  kwok?: KwokOptions;
  /** Install crds/*.yaml and wait until established. Default true. */
  installCrds?: boolean;
  /** Working directory for certificates, data and logs. Default: a new temporary directory, removed on stop. */
  dir?: string;
  /** Stop everything on SIGINT/SIGTERM, then exit. Default true. */
  handleSignals?: boolean;
  /** Progress lines for people waiting. */
  log?: (line: string) => void;
  /** The API server presents a client certificate (from a CA of its own) to webhooks, through an AdmissionConfiguration. Default off. */
  authenticateToWebhooks?: boolean | WebhookAuthenticationOptions;
  /**
   * kube-apiserver --enable-aggregator-routing: a webhook's clientConfig.service is resolved to a
   * ready endpoint of the Service's EndpointSlices (chosen at random per connection) instead of its
   * ClusterIP, which nothing routes here. Lets tests put several webhook processes behind one Service.
   */
  endpointRouting?: boolean;
}

export interface ControlPlane {
  dir: string;
  server: string;
  kubeconfigPath: string;
  kubeConfig: KubeConfig;
  ca: CertificateAuthority;
  /** With authenticateToWebhooks: the CA and name of the certificate the API server presents to webhooks. */
  webhookClient?: WebhookClientIdentity;
  binDir: string;
  processes: ManagedProcess[];
  /** Milliseconds from start() to everything ready (binaries already built). */
  startupMs: number;
  /** Runs the built kubectl against this control plane. */
  kubectl(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

const running = new Set<ControlPlane>();
let signalsHandled = false;

export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const log = options.log ?? (() => {});
  const binDir = await ensureBinaries();
  const started = Date.now();
  const ownsDir = !options.dir;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'sidecarset-envtest-'));
  const logs = join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  const file = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };

  const [etcdPort, etcdPeerPort, apiPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const server = `https://127.0.0.1:${apiPort}`;
  const ca = await createCertificateAuthority('sidecarset-envtest-ca');
  const serving = await issueCertificate(ca, { commonName: 'kube-apiserver', usage: 'server', hosts: ['127.0.0.1', 'localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', '10.96.0.1'] });
  const admin = await issueCertificate(ca, { commonName: 'sidecarset-admin', organizations: ['system:masters'], usage: 'client' });
  const serviceAccount = await createServiceAccountKeys();
  const caFile = file('ca.crt', ca.certificate);
  const caKeyFile = file('ca.key', ca.privateKey);
  const webhookClient = options.authenticateToWebhooks ? await writeWebhookAuthentication(dir, options.authenticateToWebhooks === true ? {} : options.authenticateToWebhooks) : undefined;
  const kubeconfigFor = async (name: string, user: string, organizations: string[] = []): Promise<string> =>
    file(`${name}.kubeconfig`, kubeconfigYaml(server, ca.certificate, user, await issueCertificate(ca, { commonName: user, organizations, usage: 'client' })));

  const processes: ManagedProcess[] = [];
  const plane: ControlPlane = {
    dir,
    server,
    kubeconfigPath: file('admin.kubeconfig', kubeconfigYaml(server, ca.certificate, 'sidecarset-admin', admin)),
    kubeConfig: new KubeConfig(),
    ca,
    ...(webhookClient ? { webhookClient } : {}),
    binDir,
    processes,
    startupMs: 0,
    kubectl: (args, input) => runKubectl(join(binDir, 'kubectl'), ['--kubeconfig', plane.kubeconfigPath, ...args], input),
    async stop() {
      running.delete(plane);
      // Reverse start order: clients of the API server first, etcd last.
      for (const p of [...processes].reverse()) await p.stop();
      if (ownsDir && !process.env.SIDECARSET_ENVTEST_KEEP) rmSync(dir, { recursive: true, force: true });
    },
  };
  plane.kubeConfig.loadFromFile(plane.kubeconfigPath);
  running.add(plane);
  if (options.handleSignals ?? true) handleSignals();

  try {
    log(`etcd on 127.0.0.1:${etcdPort}`);
    const etcd = startProcess('etcd', join(binDir, 'etcd'), [
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
      `--initial-cluster=default=http://127.0.0.1:${etcdPeerPort}`,
      '--unsafe-no-fsync', // test data: durability is not worth the fsync latency
      '--log-level=warn',
    ], logs);
    processes.push(etcd);

    log(`kube-apiserver on ${server}`);
    const apiserver = startProcess('kube-apiserver', join(binDir, 'kube-apiserver'), [
      `--etcd-servers=http://127.0.0.1:${etcdPort}`,
      '--advertise-address=127.0.0.1',
      '--bind-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--cert-dir=${join(dir, 'apiserver')}`,
      `--tls-cert-file=${file('apiserver.crt', serving.certificate)}`,
      `--tls-private-key-file=${file('apiserver.key', serving.privateKey)}`,
      `--client-ca-file=${caFile}`,
      '--authorization-mode=Node,RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${file('sa.pub', serviceAccount.publicKey)}`,
      `--service-account-signing-key-file=${file('sa.key', serviceAccount.privateKey)}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      '--allow-privileged=true',
      // The "kubernetes" Service cannot point at a loopback address; nothing here needs it.
      '--endpoint-reconciler-type=none',
      ...(webhookClient ? [`--admission-control-config-file=${webhookClient.admissionConfigFile}`] : []),
      ...(options.endpointRouting ? ['--enable-aggregator-routing=true'] : []),
    ], logs);
    processes.push(apiserver);
    await waitHealthy(`${server}/readyz`, ca.certificate, admin, 90_000, () => apiserver.running() && etcd.running()).catch((error: Error) => {
      throw new Error(`${error.message}\n--- kube-apiserver:\n${logTail(apiserver)}\n--- etcd:\n${logTail(etcd)}`);
    });

    if (options.controllerManager ?? true) {
      log('kube-controller-manager');
      processes.push(startProcess('kube-controller-manager', join(binDir, 'kube-controller-manager'), [
        `--kubeconfig=${await kubeconfigFor('controller-manager', 'system:kube-controller-manager')}`,
        '--leader-elect=false',
        '--bind-address=127.0.0.1',
        '--secure-port=0',
        '--use-service-account-credentials=true',
        `--service-account-private-key-file=${join(dir, 'sa.key')}`,
        `--root-ca-file=${caFile}`,
        `--cluster-signing-cert-file=${caFile}`,
        `--cluster-signing-key-file=${caKeyFile}`,
        '--concurrent-deployment-syncs=5',
        '--kube-api-qps=200',
        '--kube-api-burst=400',
      ], logs));
    }
    if (options.scheduler ?? true) {
      log('kube-scheduler');
      processes.push(startProcess('kube-scheduler', join(binDir, 'kube-scheduler'), [
        `--kubeconfig=${await kubeconfigFor('scheduler', 'system:kube-scheduler')}`,
        '--leader-elect=false',
        '--bind-address=127.0.0.1',
        '--secure-port=0',
        '--kube-api-qps=200',
        '--kube-api-burst=400',
      ], logs));
    }
    if (options.installCrds ?? true) {
      log('installing crds/');
      await installCrds(plane.kubectl);
    }
    if (options.kwok) {
      log(`kwok with ${options.kwok.nodes} nodes`);
      const kubeconfig = await kubeconfigFor('kwok', 'kwok', ['system:masters']);
      processes.push(...(await startKwok(plane.kubeConfig, join(binDir, 'kwok'), kubeconfig, logs, options.kwok)));
    }
    await ensureAllRunning(processes);
  } catch (error) {
    await plane.stop();
    throw error;
  }
  plane.startupMs = Date.now() - started;
  return plane;
}

async function ensureAllRunning(processes: ManagedProcess[]): Promise<void> {
  await new Promise((r) => setTimeout(r, 300));
  const dead = processes.filter((p) => !p.running());
  if (dead.length) throw new Error(`exited during start:\n${dead.map((p) => `--- ${p.name}:\n${logTail(p)}`).join('\n')}`);
}

function handleSignals(): void {
  if (signalsHandled) return;
  signalsHandled = true;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      void Promise.allSettled([...running].map((p) => p.stop())).then(() => process.exit(code));
    });
  }
}

export function runKubectl(binary: string, args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(binary, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

export type { PemPair };

// The images `npm run images` builds, run with podman (host networking, read-only root filesystem,
// no capabilities, as the chart runs them) against a real control plane from tools/envtest: the
// webhook image serves admissions, the controller image takes the Lease and rolls a sidecar out.
// Skipped, saying why, only where podman cannot run a container at all.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import {
  createCertificateAuthority,
  deployedIdentity,
  deployedNodeOptions,
  ensureSidecarsetNamespace,
  freePort,
  issueCertificate,
  logTail,
  registerSidecarsetWebhook,
  startControlPlane,
  startProcess,
  type ControlPlane,
  type ManagedProcess,
} from '@sidecarset/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImages, containersConf, podmanUnusableReason, type BuiltImage } from '../src/images.ts';

const unusable = podmanUnusableReason();
if (unusable) console.log(`SKIPPED tools/images podman test: ${unusable}`);

const LOGGER_V1 = 'registry.example/logger:1.0';
const LOGGER_V2 = 'registry.example/logger:2.0';
const env = { ...process.env, CONTAINERS_CONF: containersConf() };
const podman = (...args: string[]) => spawnSync('podman', args, { encoding: 'utf8', env, maxBuffer: 256 << 20 });

let images: Record<string, BuiltImage>;
let plane: ControlPlane;
const containers: string[] = [];
let webhook: ManagedProcess;
let controller: ManagedProcess;
let controllerPort = 0;
/** What the containers read (kubeconfigs, certificates), mounted read-only at /config: the plane's own folder is root's only. */
let config = '';
const CONFIG_MOUNT = '/config';
/** A file for the containers' user 65532, at the path it has inside them. */
function share(file: string, name: string): string {
  copyFileSync(file, join(config, name));
  chmodSync(join(config, name), 0o644);
  return `${CONFIG_MOUNT}/${name}`;
}

/** podman run as the chart's securityContext says: read-only root, user 65532, no capabilities, no privilege gain. */
function runContainer(name: string, image: string, nodeOptions: string[], args: string[]): ManagedProcess {
  containers.push(name);
  podman('rm', '-f', name);
  const hardened = ['--read-only', '--user=65532:65532', '--cap-drop=ALL', '--security-opt=no-new-privileges', '--network=host', '--pull=never'];
  const mounts = [`--volume=${config}:${CONFIG_MOUNT}:ro`];
  const container = startProcess(name, 'podman', ['run', '--rm', `--name=${name}`, ...hardened, ...mounts, `--env=NODE_OPTIONS=${nodeOptions.join(' ')}`, image, ...args], join(plane.dir, 'logs'), env);
  plane.processes.push(container);
  return container;
}

async function until<T>(what: string, read: () => Promise<T | undefined>, logs: () => string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs / 1000} s\n${logs()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const httpsStatus = (url: string, ca: string) =>
  new Promise<number>((resolve) => {
    const req = request(url, { ca, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.end();
  });

const getJson = async <T,>(...args: string[]): Promise<T> => {
  const { code, stdout, stderr } = await plane.kubectl(['get', ...args, '-o', 'json']);
  if (code !== 0) throw new Error(stderr);
  return JSON.parse(stdout) as T;
};
interface PodLike {
  metadata: { name: string };
  spec: { containers: { name: string; image: string }[] };
  status?: { conditions?: { type: string; status: string }[] };
}

describe.skipIf(unusable !== undefined)('images run with podman on a real control plane', () => {
  beforeAll(async () => {
    images = buildImages();
    for (const image of Object.values(images)) console.log(`image ${image.name}: ${(image.sizeBytes / 1e6).toFixed(1)} MB`);
    plane = await startControlPlane({ kwok: { nodes: 1 } }); // the controller-manager makes the default ServiceAccount pods need
    await ensureSidecarsetNamespace(plane);
    config = join(plane.dir, 'container-config');
    mkdirSync(config, { mode: 0o755 });
    chmodSync(config, 0o755);

    // The webhook image, with a serving certificate from a CA the API server is given.
    const identity = await deployedIdentity(plane, 'webhook.yaml');
    const port = await freePort();
    const ca = await createCertificateAuthority('images-test-ca');
    const serving = await issueCertificate(ca, { commonName: '127.0.0.1', usage: 'server', hosts: ['127.0.0.1'] });
    writeFileSync(join(plane.dir, 'image-webhook.crt'), serving.certificate);
    writeFileSync(join(plane.dir, 'image-webhook.key'), serving.privateKey);
    webhook = runContainer('sidecarset-test-webhook', images.webhook!.name, deployedNodeOptions('webhook.yaml', 'webhook'), [
      '--host=127.0.0.1', `--port=${port}`, `--kubeconfig=${share(identity.kubeconfigPath, 'webhook.kubeconfig')}`, '--revision-namespace=sidecarset-system',
      `--tls-cert-file=${share(join(plane.dir, 'image-webhook.crt'), 'webhook.crt')}`, `--tls-key-file=${share(join(plane.dir, 'image-webhook.key'), 'webhook.key')}`,
    ]);
    const url = `https://127.0.0.1:${port}`;
    await until('the webhook container is ready', async () => ((await httpsStatus(`${url}/readyz`, ca.certificate)) === 200 ? true : undefined), () => logTail(webhook, 40));
    await registerSidecarsetWebhook(plane, url, ca.certificate);

    const controllerIdentity = await deployedIdentity(plane, 'controller.yaml');
    controllerPort = await freePort();
    controller = runContainer('sidecarset-test-controller', images.controller!.name, deployedNodeOptions('controller.yaml', 'controller'), [
      `--kubeconfig=${share(controllerIdentity.kubeconfigPath, 'controller.kubeconfig')}`, '--namespace=sidecarset-system', '--identity=image-controller',
      '--host=127.0.0.1', `--health-port=${controllerPort}`, '--lease-duration-ms=4000', '--renew-deadline-ms=2600', '--retry-period-ms=500',
    ]);
  });
  afterAll(async () => {
    await plane?.stop();
    for (const name of containers) podman('rm', '-f', '--time=2', name);
  });

  it('has no shell or package manager, runs as user 65532 and carries production dependencies only', () => {
    for (const [app, image] of Object.entries(images)) {
      const config = JSON.parse(podman('image', 'inspect', image.name).stdout)[0] as { Config: { User: string; Entrypoint: string[] } };
      expect(config.Config.User).toBe('65532:65532');
      expect(config.Config.Entrypoint).toEqual(['/usr/local/bin/node', `/app/apps/${app}/dist/main.js`]);
      const created = podman('create', '--pull=never', image.name);
      expect(created.status, created.stderr).toBe(0);
      const id = created.stdout.trim();
      const files = execFileSync('bash', ['-c', `podman export ${id} | tar -t`], { encoding: 'utf8', env, maxBuffer: 256 << 20 }).split('\n');
      podman('rm', id);
      const paths = new Set(files.map((f) => f.replace(/^\.?\//, '').replace(/\/$/, '')));
      for (const absent of ['bin/sh', 'bin/bash', 'usr/bin/sh', 'usr/bin/apt', 'usr/bin/dpkg', 'usr/local/bin/npm', 'usr/local/bin/npx', 'app/node_modules/npm', 'app/node_modules/typescript', 'app/node_modules/vitest', 'app/node_modules/nx', 'app/node_modules/@sidecarset/envtest']) {
        expect(paths.has(absent), `${app} image has ${absent}`).toBe(false);
      }
      expect([...paths].filter((p) => p.startsWith('usr/local/bin/') || p.startsWith('bin/') || p.startsWith('usr/bin/'))).toEqual(['usr/local/bin/node']);
      expect(paths.has(`app/apps/${app}/dist/main.js`)).toBe(true);
      expect(paths.has('app/node_modules/fastify/package.json')).toBe(true);
      const shell = podman('run', '--rm', '--pull=never', '--entrypoint=/bin/sh', image.name, '-c', 'true');
      expect(shell.status).not.toBe(0);
    }
  });

  it('the webhook image injects sidecars into the pods the API server creates', async () => {
    const sidecarSet = {
      apiVersion: 'apps.kruise.io/v1alpha1',
      kind: 'SidecarSet',
      metadata: { name: 'image-logger' },
      spec: { selector: { matchLabels: { app: 'image-test' } }, updateStrategy: { type: 'RollingUpdate', maxUnavailable: 1 }, containers: [{ name: 'logger', image: LOGGER_V1 }] },
    };
    const applied = await plane.kubectl(['apply', '-f', '-'], JSON.stringify(sidecarSet));
    expect(applied.stderr).toBe('');
    // The webhook sees the SidecarSet through its watch: retry a pod until it is injected.
    await until('a pod gets the logger sidecar', async () => {
      for (const name of ['image-app-1', 'image-app-2']) {
        const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'image-test' } }, spec: { containers: [{ name: 'app', image: 'registry.example/app:1.0' }] } };
        await plane.kubectl(['delete', 'pod', name, '-n', 'default', '--ignore-not-found', '--wait=false', '--grace-period=0', '--force']);
        const created = await plane.kubectl(['create', '-f', '-'], JSON.stringify(pod));
        if (created.code !== 0) return undefined;
      }
      const pods = await getJson<{ items: PodLike[] }>('pods', '-n', 'default', '-l', 'app=image-test');
      return pods.items.length === 2 && pods.items.every((p) => p.spec.containers.some((c) => c.name === 'logger' && c.image === LOGGER_V1)) ? true : undefined;
    }, () => logTail(webhook, 40));
  });

  it('the controller image takes the Lease and reports itself leader on /metrics', async () => {
    const holder = await until('the controller container holds the Lease', async () => {
      const lease = await getJson<{ spec: { holderIdentity?: string } }>('lease', 'sidecarset-controller', '-n', 'sidecarset-system');
      return lease.spec.holderIdentity === 'image-controller' ? lease.spec.holderIdentity : undefined;
    }, () => logTail(controller, 40));
    expect(holder).toBe('image-controller');
    const metrics = await fetch(`http://127.0.0.1:${controllerPort}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/^leader_election_master_status\{name="sidecarset-controller"\} 1$/m);
  });

  it('the controller image rolls a new sidecar image out to the running pods', async () => {
    await until('both pods are ready', async () => {
      const pods = await getJson<{ items: PodLike[] }>('pods', '-n', 'default', '-l', 'app=image-test');
      return pods.items.length === 2 && pods.items.every((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) ? true : undefined;
    }, () => logTail(controller, 40));
    const patched = await plane.kubectl(['patch', 'sidecarset', 'image-logger', '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/containers/0/image', value: LOGGER_V2 }])]);
    expect(patched.stderr).toBe('');
    await until('both pods run logger 2.0 and the status says so', async () => {
      const pods = await getJson<{ items: PodLike[] }>('pods', '-n', 'default', '-l', 'app=image-test');
      const status = (await getJson<{ status?: { updatedPods?: number; matchedPods?: number } }>('sidecarset', 'image-logger')).status;
      const upgraded = pods.items.every((p) => p.spec.containers.find((c) => c.name === 'logger')?.image === LOGGER_V2);
      return upgraded && status?.matchedPods === 2 && status.updatedPods === 2 ? true : undefined;
    }, () => logTail(controller, 60), 120_000);
  });
});

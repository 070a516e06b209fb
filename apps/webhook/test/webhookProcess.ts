// Runs the real sidecarset-webhook binary against a test control plane, serving TLS from files on a
// free loopback port, and registers it with the API server through the shipped webhook
// configurations (deploy/manifests), pointed at its URL with the test CA as caBundle.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { freePort, type ControlPlane } from '@sidecarset/envtest';
import { createCertificateAuthority, issueCertificate } from '@sidecarset/pki';
import { parseAllDocuments } from 'yaml';

const MAIN = join(import.meta.dirname, '../dist/main.js');
const CONFIGURATIONS = join(import.meta.dirname, '../../../deploy/manifests/webhook-configurations.yaml');

export interface WebhookProcess {
  url: string;
  child: ChildProcess;
  logs: () => string;
  caBundle: string;
  stop(): Promise<void>;
}

export async function startWebhook(plane: ControlPlane, extraArgs: string[] = []): Promise<WebhookProcess> {
  const port = await freePort();
  const ca = await createCertificateAuthority('webhook-test-ca');
  const serving = await issueCertificate(ca, { commonName: '127.0.0.1', usage: 'server', hosts: ['127.0.0.1'] });
  const certFile = join(plane.dir, `webhook-${port}.crt`);
  const keyFile = join(plane.dir, `webhook-${port}.key`);
  writeFileSync(certFile, serving.certificate);
  writeFileSync(keyFile, serving.privateKey);
  const child = spawn(process.execPath, [MAIN, '--host=127.0.0.1', `--port=${port}`, `--tls-cert-file=${certFile}`, `--tls-key-file=${keyFile}`, `--kubeconfig=${plane.kubeconfigPath}`, '--revision-namespace=sidecarset-system', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const url = `https://127.0.0.1:${port}`;
  await waitReady(`${url}/readyz`, ca.certificate, () => child.exitCode === null, () => output);
  return {
    url,
    child,
    caBundle: ca.certificate,
    logs: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Applies deploy/manifests/webhook-configurations.yaml with every clientConfig pointed at `url`. */
export async function registerWebhook(plane: ControlPlane, url: string, caBundle: string): Promise<void> {
  const documents = parseAllDocuments(readFileSync(CONFIGURATIONS, 'utf8')).map((d) => d.toJS() as { webhooks: { clientConfig: Record<string, unknown> }[] });
  for (const configuration of documents) {
    for (const webhook of configuration.webhooks) {
      const path = (webhook.clientConfig.service as { path: string }).path;
      webhook.clientConfig = { url: `${url}${path}`, caBundle: Buffer.from(caBundle).toString('base64') };
    }
  }
  const file = join(plane.dir, 'webhook-configurations.json');
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: documents }));
  const result = await plane.kubectl(['apply', '-f', file]);
  if (result.code !== 0) throw new Error(`registering the webhook failed: ${result.stderr}`);
}

async function waitReady(url: string, ca: string, alive: () => boolean, logs: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`webhook exited:\n${logs()}`);
    const status = await new Promise<number>((resolve) => {
      const req = request(url, { ca, timeout: 1000 }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve(0));
      req.end();
    });
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`webhook not ready after 30 s:\n${logs()}`);
}

// Runs the real sidecarset-webhook binary (apps/webhook/dist/main.js, built by `nx build`) against a
// control plane, serving TLS from files on a free loopback port, and registers it with the API
// server through the shipped webhook configurations (deploy/manifests), pointed at its URL with a
// fresh CA as caBundle. It runs as its Deployment's ServiceAccount with the RBAC of
// deploy/manifests/webhook.yaml (and webhook-self-signed-rbac.yaml in --self-signed mode), never as
// the admin. A path, not a package import: the webhook's own tests use this.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import type { ControlPlane } from './controlPlane.js';
import { deployedIdentity } from './deployedIdentity.js';
import { deployedNodeOptions } from './deployedNodeOptions.js';
import { freePort } from './freePort.js';
import { logTail, startProcess, type ManagedProcess } from './processes.js';
import { createCertificateAuthority, issueCertificate } from '@sidecarset/pki';
import { parseAllDocuments } from 'yaml';

const MAIN = join(import.meta.dirname, '../../../apps/webhook/dist/main.js');
const CONFIGURATIONS = join(import.meta.dirname, '../../../deploy/manifests/webhook-configurations.yaml');

export interface SidecarsetWebhook {
  url: string;
  caBundle: string;
  /** The kubeconfig the webhook runs with: its ServiceAccount's. */
  kubeconfigPath: string;
  process: ManagedProcess;
  logs: () => string;
  stop(): Promise<void>;
}

export interface WebhookOptions {
  /** Listen here instead of on a free port (to register the configurations first). */
  port?: number;
  /** Listen on this address (default 127.0.0.1); a self-signed certificate is then for it and for the Service's name. */
  host?: string;
  /** Run with --self-signed: the webhook makes its CA and patches the configurations' caBundle itself. */
  selfSigned?: boolean;
  /** --client-ca-file: admission routes require a client certificate from this CA (see ControlPlaneOptions.authenticateToWebhooks). */
  clientCaFile?: string;
  /** --client-cert-name: ...for this CN or DNS SAN. */
  clientCertName?: string;
  extraArgs?: string[];
  /** Node.js flags; by default the NODE_OPTIONS of deploy/manifests/webhook.yaml. */
  nodeOptions?: string[];
}

/** Starts the webhook; it joins `plane.processes`, so plane.stop() (and Ctrl-C) stop it too. */
export async function startSidecarsetWebhook(plane: ControlPlane, options: WebhookOptions = {}): Promise<SidecarsetWebhook> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build the webhook first (npx nx build @sidecarset/webhook)`);
  const port = options.port ?? (await freePort());
  // Only --self-signed may patch the webhook configurations (with that right it could also set their failurePolicy).
  const { kubeconfigPath } = await deployedIdentity(plane, 'webhook.yaml', options.selfSigned ? ['webhook-self-signed-rbac.yaml'] : []);
  const host = options.host ?? '127.0.0.1';
  const common = [`--host=${host}`, `--port=${port}`, `--kubeconfig=${kubeconfigPath}`, '--revision-namespace=sidecarset-system'];
  if (options.clientCaFile) common.push(`--client-ca-file=${options.clientCaFile}`);
  if (options.clientCertName) common.push(`--client-cert-name=${options.clientCertName}`);
  let tlsArgs = ['--self-signed', '--tls-host=sidecarset-webhook.sidecarset-system.svc', `--tls-host=${host}`];
  let caBundle = '';
  if (!options.selfSigned) {
    const ca = await createCertificateAuthority('sidecarset-webhook-ca');
    const serving = await issueCertificate(ca, { commonName: host, usage: 'server', hosts: [host] });
    const certFile = join(plane.dir, `webhook-${port}.crt`);
    const keyFile = join(plane.dir, `webhook-${port}.key`);
    writeFileSync(certFile, serving.certificate);
    writeFileSync(keyFile, serving.privateKey);
    tlsArgs = [`--tls-cert-file=${certFile}`, `--tls-key-file=${keyFile}`];
    caBundle = ca.certificate;
  }
  const webhook = startProcess(`sidecarset-webhook-${port}`, process.execPath, [...(options.nodeOptions ?? deployedNodeOptions('webhook.yaml', 'webhook')), MAIN, ...common, ...tlsArgs, ...(options.extraArgs ?? [])], join(plane.dir, 'logs'));
  plane.processes.push(webhook);
  const url = `https://${host}:${port}`;
  // A self-signed webhook's CA is unknown until it has patched the configurations.
  await waitReady(`${url}/readyz`, caBundle || undefined, () => webhook.running(), () => logTail(webhook, 40));
  return { url, caBundle, kubeconfigPath, process: webhook, logs: () => logTail(webhook, 200), stop: () => webhook.stop() };
}

/**
 * Applies deploy/manifests/webhook-configurations.yaml with every clientConfig pointed at `url`, and
 * points the conversion of our SidecarSet CRD (when installed: not on a plane running OpenKruise's
 * CRD) at `url`/convert, as the CRD's conversion stanza does through the webhook Service.
 */
export async function registerSidecarsetWebhook(plane: ControlPlane, url: string, caBundle: string): Promise<void> {
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
  await pointConversionAt(plane, url, caBundle);
}

const SIDECARSET_CRD = 'customresourcedefinition/sidecarsets.apps.kruise.io';

async function pointConversionAt(plane: ControlPlane, url: string, caBundle: string): Promise<void> {
  // A --self-signed webhook's CA is not known here (the conversion then stays as installed).
  if (!caBundle) return;
  const found = await plane.kubectl(['get', SIDECARSET_CRD, '-o', 'jsonpath={.metadata.labels.app\\.kubernetes\\.io/part-of}']);
  if (found.code !== 0 || found.stdout.trim() !== 'sidecarset') return;
  const conversion = { strategy: 'Webhook', webhook: { conversionReviewVersions: ['v1'], clientConfig: { url: `${url}/convert`, caBundle: Buffer.from(caBundle).toString('base64') } } };
  const patched = await plane.kubectl(['patch', SIDECARSET_CRD, '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/conversion', value: conversion }])]);
  if (patched.code !== 0) throw new Error(`pointing the SidecarSet conversion at ${url}/convert failed: ${patched.stderr}`);
}

async function waitReady(url: string, ca: string | undefined, alive: () => boolean, logs: () => string): Promise<void> {
  // Loading the bundle alone took 16 s on this machine at load average 35: 30 s was not enough.
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`webhook exited:\n${logs()}`);
    const status = await new Promise<number>((resolve) => {
      const req = request(url, { ...(ca ? { ca } : { rejectUnauthorized: false }), timeout: 1000 }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve(0));
      req.end();
    });
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`webhook not ready after 90 s:\n${logs()}`);
}

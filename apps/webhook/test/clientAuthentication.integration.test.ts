// --client-ca-file against the real API server: kube-apiserver runs with an AdmissionConfiguration
// whose kubeconfig gives it a client certificate for the webhook's host:port (from a CA of its own),
// and the webhook trusts only that CA. Pods created through the API server still get their sidecars;
// anyone else on the network who POSTs an AdmissionReview straight to the webhook is refused, while
// the probes answer without a certificate.
import { join } from 'node:path';
import { request } from 'node:https';
import type { Pod } from '@sidecarset/api';
import {
  createCertificateAuthority,
  freePort,
  issueCertificate,
  registerSidecarsetWebhook,
  startControlPlane,
  startSidecarsetWebhook,
  type ControlPlane,
  type PemPair,
  type SidecarsetWebhook,
} from '@sidecarset/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const SEEDS = join(import.meta.dirname, '../../../packages/api/test/fixtures/seeds');

let plane: ControlPlane;
let webhook: SidecarsetWebhook;

beforeAll(async () => {
  const port = await freePort();
  // The kubeconfig user is named for the webhook's URL host:port, as the Kubernetes docs describe.
  plane = await startControlPlane({ scheduler: false, authenticateToWebhooks: { hosts: [`127.0.0.1:${port}`] } });
  webhook = await startSidecarsetWebhook(plane, { port, clientCaFile: plane.webhookClient!.caFile, clientCertName: plane.webhookClient!.commonName });
  await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
});
afterAll(async () => {
  await webhook?.stop();
  await plane?.stop();
});

async function kubectlOk(...args: string[]): Promise<string> {
  const { code, stdout, stderr } = await plane.kubectl(args);
  if (code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${stderr}`);
  return stdout;
}

const review = {
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: {
    uid: 'forged-1',
    kind: { group: '', version: 'v1', kind: 'Pod' },
    resource: { group: '', version: 'v1', resource: 'pods' },
    operation: 'CREATE',
    namespace: 'default',
    userInfo: { username: 'attacker' },
    object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', labels: { app: 'nginx' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
  },
};

/** One HTTPS request straight to the webhook, on a new connection, with or without a client certificate. */
const call = (method: 'GET' | 'POST', path: string, client?: PemPair) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const url = new URL(path, webhook.url);
    const payload = method === 'POST' ? JSON.stringify(review) : undefined;
    const req = request(
      url,
      { method, ca: webhook.caBundle, agent: false, headers: payload ? { 'content-type': 'application/json' } : {}, ...(client ? { cert: client.certificate, key: client.privateKey } : {}) },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });

// The webhook writes its log in batches, at most a second late (apps/webhook/src/logDestination.ts).
const logLinesWritten = () => new Promise((resolve) => setTimeout(resolve, 1500));

describe('the webhook requires the API server’s client certificate', () => {
  it('pods created through the API server get their sidecars (the API server authenticates)', async () => {
    await kubectlOk('apply', '-f', join(SEEDS, '002-test-sidecarset.yaml')); // through /mutate- and /validate-sidecarsets
    await kubectlOk('apply', '-n', 'default', '-f', join(FIXTURES, 'nginx-pod.yaml'));
    const pod = JSON.parse(await kubectlOk('get', 'pod', 'test-pod', '-n', 'default', '-o', 'json')) as Pod;
    expect(pod.spec?.containers.map((c) => c.name)).toEqual(['sidecar1', 'app']);
    expect(pod.metadata?.annotations?.['kruise.io/sidecarset-injected-list']).toBe('test-sidecarset');
    await logLinesWritten();
    expect(webhook.logs()).not.toContain('caller refused');
  });

  it('a direct POST of an AdmissionReview without a client certificate is refused on every admission route', async () => {
    for (const path of ['/mutate-pods', '/mutate-sidecarsets', '/validate-sidecarsets', '/validate-resourcebindings']) {
      const refused = await call('POST', path);
      expect(refused.status, path).toBe(401);
      expect(JSON.parse(refused.body)).toEqual({ message: 'a client certificate is required: only the API server may call this route' });
      expect(refused.body).not.toContain('forged-1'); // no AdmissionReview came back
    }
  });

  it('a client certificate from another CA is refused; one from the API server’s CA for another name too', async () => {
    const stranger = await issueCertificate(await createCertificateAuthority('not-the-apiserver-ca'), { commonName: plane.webhookClient!.commonName, usage: 'client' });
    const refused = await call('POST', '/mutate-pods', stranger);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toMatchObject({ message: expect.stringMatching(/^client certificate refused/) });

    const otherName = await issueCertificate(plane.webhookClient!.ca, { commonName: 'some-pod', usage: 'client' });
    expect((await call('POST', '/mutate-pods', otherName)).status).toBe(403);

    // The control: the same review with the API server's identity is answered, so the refusals above are the certificate's.
    const apiserver = await issueCertificate(plane.webhookClient!.ca, { commonName: plane.webhookClient!.commonName, usage: 'client' });
    const answered = await call('POST', '/mutate-pods', apiserver);
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.body)).toMatchObject({ kind: 'AdmissionReview', response: { uid: 'forged-1' } });
  });

  it('/healthz, /readyz and /metrics answer without a certificate, as kubelet probes need', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) expect((await call('GET', path)).status, path).toBe(200);
  });
});

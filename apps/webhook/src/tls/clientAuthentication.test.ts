// --client-ca-file: admission routes answer only a caller whose TLS client certificate the given CA
// signed (and, with --client-cert-name, that names the expected identity); probes and metrics answer
// anyone. Over a real TLS listener, on HTTP/1.1 and on HTTP/2, and in process with app.inject().
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, type ClientHttp2Session } from 'node:http2';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server as TlsServer } from 'node:tls';
import type { AdmissionReview } from '@sidecarset/api';
import { createCertificateAuthority, issueCertificate, type CertificateAuthority, type PemPair } from '@sidecarset/pki';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { staticCaches } from '../caches.js';
import { buildWebhookServer } from '../server.js';
import { readClientCa } from './clientAuthentication.js';
import { reloadCertificateOnChange, servedContextReader } from './reloadingCertificate.js';

const review: AdmissionReview = {
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: {
    uid: 'uid-1',
    kind: { group: '', version: 'v1', kind: 'Pod' },
    resource: { group: '', version: 'v1', resource: 'pods' },
    operation: 'CREATE',
    namespace: 'default',
    userInfo: { username: 'tester' },
    object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
  },
};

interface Answer {
  status: number;
  body: { message?: string; response?: { uid: string; allowed: boolean } };
}

/** One request on a new HTTP/1.1 connection (a new handshake), optionally with a client certificate. */
const http1 = (port: number, ca: string, method: 'GET' | 'POST', path: string, client?: PemPair) =>
  new Promise<Answer>((resolve, reject) => {
    const body = method === 'POST' ? JSON.stringify(review) : undefined;
    const req = request(
      { host: '127.0.0.1', port, path, method, ca, agent: false, headers: body ? { 'content-type': 'application/json' } : {}, ...(client ? { cert: client.certificate, key: client.privateKey } : {}) },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: (String(res.headers['content-type']).startsWith('application/json') ? JSON.parse(text) : {}) as Answer['body'] }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });

/** The same over HTTP/2, the way the API server calls (one session, here closed after the request). */
async function http2(port: number, ca: string, path: string, client?: PemPair): Promise<Answer> {
  const session: ClientHttp2Session = connect(`https://127.0.0.1:${port}`, { ca, ...(client ? { cert: client.certificate, key: client.privateKey } : {}) });
  try {
    return await new Promise<Answer>((resolve, reject) => {
      session.on('error', reject);
      const stream = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/json' });
      let status = 0;
      let text = '';
      stream.on('response', (headers) => (status = Number(headers[':status'])));
      stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
      stream.on('end', () => resolve({ status, body: JSON.parse(text || '{}') as Answer['body'] }));
      stream.on('error', reject);
      stream.end(JSON.stringify(review));
    });
  } finally {
    session.close();
  }
}

let servingCa: CertificateAuthority;
let clientCa: CertificateAuthority;
let otherCa: CertificateAuthority;
let apiserver: PemPair; // what the API server presents: issued by clientCa for the expected name
let servingPair: PemPair;
beforeAll(async () => {
  [servingCa, clientCa, otherCa] = await Promise.all([createCertificateAuthority('serving-ca'), createCertificateAuthority('webhook-client-ca'), createCertificateAuthority('other-ca')]);
  servingPair = await issueCertificate(servingCa, { commonName: '127.0.0.1', usage: 'server', hosts: ['127.0.0.1'] });
  apiserver = await issueCertificate(clientCa, { commonName: 'kube-apiserver', usage: 'client' });
});

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function listen(options: { certName?: string; ca?: string } = {}): Promise<number> {
  app = buildWebhookServer({
    caches: staticCaches({}),
    tls: { key: servingPair.privateKey, cert: servingPair.certificate },
    clientAuthentication: { ca: options.ca ?? clientCa.certificate, ...(options.certName ? { certName: options.certName } : {}) },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return (app.server.address() as { port: number }).port;
}

describe('with a client CA, over TLS', () => {
  it('admits the API server and refuses a caller without a certificate, on HTTP/1.1 and HTTP/2', async () => {
    const port = await listen();
    const ca = servingCa.certificate;
    const admitted = await http1(port, ca, 'POST', '/mutate-pods', apiserver);
    expect(admitted).toMatchObject({ status: 200, body: { response: { uid: 'uid-1', allowed: true } } });
    expect(await http2(port, ca, '/mutate-pods', apiserver)).toMatchObject({ status: 200, body: { response: { uid: 'uid-1', allowed: true } } });

    for (const path of ['/mutate-pods', '/mutate-sidecarsets', '/validate-sidecarsets', '/validate-resourcebindings', '/no-such-route']) {
      const refused = await http1(port, ca, 'POST', path);
      expect(refused.status, path).toBe(401);
      expect(refused.body).toEqual({ message: 'a client certificate is required: only the API server may call this route' });
    }
    // The CRD conversion webhook is called without a client certificate (kube-apiserver gives its
    // conversion client no credentials): reached, and answered 400 for a body that is no ConversionReview.
    expect((await http1(port, ca, 'POST', '/convert')).status, '/convert').toBe(400);
    expect((await http2(port, ca, '/validate-sidecarsets')).status).toBe(401);
  });

  it('refuses a certificate from another CA, and a server certificate from the right one', async () => {
    const port = await listen();
    const stranger = await issueCertificate(otherCa, { commonName: 'kube-apiserver', usage: 'client' });
    const refused = await http1(port, servingCa.certificate, 'POST', '/mutate-pods', stranger);
    expect(refused.status).toBe(401);
    expect(refused.body.message).toMatch(/^client certificate refused \(\w+\)/);
    expect((await http2(port, servingCa.certificate, '/mutate-pods', stranger)).status).toBe(401);

    const wrongUsage = await issueCertificate(clientCa, { commonName: 'kube-apiserver', usage: 'server', hosts: ['kube-apiserver'] });
    expect((await http1(port, servingCa.certificate, 'POST', '/mutate-pods', wrongUsage)).status).toBe(401);
  });

  it('answers /healthz, /readyz and /metrics without a certificate (kubelet probes carry none)', async () => {
    const port = await listen();
    for (const path of ['/healthz', '/readyz', '/metrics']) expect((await http1(port, servingCa.certificate, 'GET', path)).status, path).toBe(200);
  });

  it('with --client-cert-name, refuses a certificate of that CA for another name (403)', async () => {
    const port = await listen({ certName: 'kube-apiserver' });
    const other = await issueCertificate(clientCa, { commonName: 'some-controller', usage: 'client' });
    expect(await http1(port, servingCa.certificate, 'POST', '/mutate-pods', other)).toEqual({
      status: 403,
      body: { message: 'client certificate is not for kube-apiserver: only the API server may call this route' },
    });
    expect((await http2(port, servingCa.certificate, '/mutate-pods', apiserver)).status).toBe(200);
  });

  it('reloads a rotated client CA, and keeps it when only the serving certificate rotates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'client-ca-'));
    const files = { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') };
    const caFile = join(dir, 'client-ca.crt');
    writeFileSync(files.certFile, servingPair.certificate);
    writeFileSync(files.keyFile, servingPair.privateKey);
    writeFileSync(caFile, clientCa.certificate);
    const read = servedContextReader(files, caFile);
    const port = await listen({ ca: read().ca! });
    const outcomes: boolean[] = [];
    const stop = reloadCertificateOnChange(app!.server as unknown as TlsServer, read, 20, (o) => outcomes.push(o.ok));
    const newcomer = await issueCertificate(otherCa, { commonName: 'kube-apiserver', usage: 'client' });
    try {
      const rotated = await issueCertificate(servingCa, { commonName: '127.0.0.1', usage: 'server', hosts: ['127.0.0.1'] });
      writeFileSync(files.certFile, rotated.certificate);
      writeFileSync(files.keyFile, rotated.privateKey);
      await expect.poll(() => outcomes.length, { timeout: 2000 }).toBe(1);
      expect((await http1(port, servingCa.certificate, 'POST', '/mutate-pods', apiserver)).status).toBe(200); // the CA survived

      writeFileSync(caFile, otherCa.certificate);
      await expect.poll(() => outcomes.length, { timeout: 2000 }).toBe(2);
      expect((await http1(port, servingCa.certificate, 'POST', '/mutate-pods', newcomer)).status).toBe(200);
      expect((await http1(port, servingCa.certificate, 'POST', '/mutate-pods', apiserver)).status).toBe(401);

      writeFileSync(caFile, ''); // half-written: refused, the last good CA kept
      await expect.poll(() => outcomes.length, { timeout: 2000 }).toBeGreaterThan(2);
      expect(outcomes.slice(2).every((ok) => !ok)).toBe(true);
      expect((await http1(port, servingCa.certificate, 'POST', '/mutate-pods', newcomer)).status).toBe(200);
    } finally {
      stop();
    }
  });
});

describe('with a client CA, in process (app.inject carries no TLS)', () => {
  const server = () => buildWebhookServer({ caches: staticCaches({}), clientAuthentication: { ca: clientCa.certificate } });

  it('refuses every admission route and answers the probes', async () => {
    app = server();
    const refused = await app.inject({ method: 'POST', url: '/mutate-pods?timeout=10s', payload: review as object });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toEqual({ message: 'a client certificate is required: only the API server may call this route' });
    for (const url of ['/healthz', '/readyz', '/metrics', '/healthz?verbose']) expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
  });

  it('is off by default: the same review is admitted without a client CA', async () => {
    app = buildWebhookServer({ caches: staticCaches({}) });
    const admitted = await app.inject({ method: 'POST', url: '/mutate-pods', payload: review as object });
    expect(admitted.statusCode).toBe(200);
  });
});

describe('readClientCa', () => {
  it('accepts a CA bundle and refuses a file with no certificate or with a leaf certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'client-ca-read-'));
    const file = (name: string, content: string) => (writeFileSync(join(dir, name), content), join(dir, name));
    const bundle = `${clientCa.certificate}${otherCa.certificate}`;
    expect(readClientCa(file('bundle.crt', bundle))).toBe(bundle);
    expect(() => readClientCa(file('empty.crt', ''))).toThrow('no PEM certificate');
    expect(() => readClientCa(file('leaf.crt', apiserver.certificate))).toThrow('is not a CA');
  });

  it('servedContextReader keeps a fixed (self-signed) pair and re-reads the client CA file each time', () => {
    const dir = mkdtempSync(join(tmpdir(), 'client-ca-self-signed-'));
    const caFile = join(dir, 'ca.crt');
    writeFileSync(caFile, clientCa.certificate);
    const read = servedContextReader({ cert: servingPair.certificate, key: servingPair.privateKey }, caFile);
    expect(read()).toEqual({ cert: servingPair.certificate, key: servingPair.privateKey, ca: clientCa.certificate });
    writeFileSync(caFile, otherCa.certificate);
    expect(read().ca).toBe(otherCa.certificate);
    expect(servedContextReader({ cert: 'c', key: 'k' })()).toEqual({ cert: 'c', key: 'k' }); // no client CA: none in the context
  });
});

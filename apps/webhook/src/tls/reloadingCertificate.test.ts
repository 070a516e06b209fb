// A rotated certificate is served without a restart; a broken pair is refused and the old one kept.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { createCertificateAuthority, issueCertificate } from '@sidecarset/pki';
import { afterEach, describe, expect, it } from 'vitest';
import { readCertificate, reloadCertificateOnChange } from './reloadingCertificate.js';

const servedSerial = (port: number, ca: string) =>
  new Promise<string>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, ca, path: '/', agent: false }, (res) => { // a new connection: a new handshake
      resolve((res.socket as TLSSocket).getPeerCertificate().serialNumber);
      res.resume();
    });
    req.on('error', reject);
    req.end();
  });

let server: Server | undefined;
afterEach(() => server?.close());

describe('reloadCertificateOnChange', () => {
  it('serves a rotated pair, and keeps the old one when the new pair does not match', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cert-reload-'));
    const files = { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') };
    const ca = await createCertificateAuthority('reload-test');
    const first = await issueCertificate(ca, { commonName: '127.0.0.1', usage: 'server', hosts: ['127.0.0.1'] });
    writeFileSync(files.certFile, first.certificate);
    writeFileSync(files.keyFile, first.privateKey);
    server = createServer(readCertificate(files), (_req, res) => res.end('ok'));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const outcomes: boolean[] = [];
    const stop = reloadCertificateOnChange(server, files, 20, (o) => outcomes.push(o.ok));
    const before = await servedSerial(port, ca.certificate);

    const second = await issueCertificate(ca, { commonName: '127.0.0.1', usage: 'server', hosts: ['127.0.0.1'] });
    writeFileSync(files.certFile, second.certificate);
    writeFileSync(files.keyFile, second.privateKey);
    await expect.poll(() => outcomes.length, { timeout: 2000 }).toBe(1);
    const after = await servedSerial(port, ca.certificate);
    expect(after).not.toBe(before);

    writeFileSync(files.keyFile, first.privateKey); // a key that does not belong to the certificate
    await expect.poll(() => outcomes.length, { timeout: 2000 }).toBe(2);
    expect(outcomes).toEqual([true, false]);
    expect(await servedSerial(port, ca.certificate)).toBe(after);
    stop();
  });
});

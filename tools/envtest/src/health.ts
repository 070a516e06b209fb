// Polls an HTTPS health endpoint with the admin's client certificate until it answers 200.
import { request } from 'node:https';
import type { PemPair } from '@sidecarset/pki';

export async function waitHealthy(url: string, ca: string, client: PemPair, timeoutMs: number, isAlive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`process behind ${url} exited before becoming healthy (${last})`);
    last = await probe(url, ca, client);
    if (last === '200') return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not healthy after ${timeoutMs} ms: ${last}`);
}

function probe(url: string, ca: string, client: PemPair): Promise<string> {
  return new Promise((resolve) => {
    const req = request(url, { ca, cert: client.certificate, key: client.privateKey, timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(res.statusCode === 200 ? '200' : `${res.statusCode}: ${body.slice(0, 300)}`));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve(e.message));
    req.end();
  });
}

// Serving certificate from files, reloaded when they change (cert-manager and Secret volumes swap
// files in place). Polls the content: inotify misses the symlink swaps kubelet does for Secrets.
// With a client CA (tls/clientAuthentication.ts) the context also carries it: setSecureContext
// replaces the whole context, so the serving pair and the CA are read, and swapped, together.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server as TlsServer } from 'node:tls';
import { readClientCa } from './clientAuthentication.js';

export interface CertificateFiles {
  certFile: string;
  keyFile: string;
}

export const readCertificate = (files: CertificateFiles): { cert: string; key: string } => ({
  cert: readFileSync(files.certFile, 'utf8'),
  key: readFileSync(files.keyFile, 'utf8'),
});

/** What the server presents, and whom it trusts as a client when `ca` is set. */
export interface ServedContext {
  cert: string;
  key: string;
  ca?: string;
}

const fingerprint = (context: ServedContext): string => createHash('sha256').update(context.cert).update('\0').update(context.key).update('\0').update(context.ca ?? '').digest('hex');

/** Watches the files (or whatever `read` reads) and swaps the server's context when it reads back changed. */
export function reloadCertificateOnChange(
  server: Pick<TlsServer, 'setSecureContext'>, // HTTPS and HTTP/2 secure servers both are TLS servers
  files: CertificateFiles | (() => ServedContext),
  intervalMs: number,
  onReload: (outcome: { ok: true } | { ok: false; error: unknown }) => void,
): () => void {
  const read = typeof files === 'function' ? files : () => readCertificate(files);
  let current = fingerprint(read());
  let rejected: string | undefined; // a bad pair is reported once, not at every tick
  const timer = setInterval(() => {
    let next: string | undefined;
    try {
      const pair = read();
      next = fingerprint(pair);
      if (next === current || next === rejected) return;
      server.setSecureContext(pair); // throws on a mismatched or half-written pair: keep the old one
      current = next;
      onReload({ ok: true });
    } catch (error) {
      rejected = next;
      onReload({ ok: false, error });
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** What the server should serve now: the pair from files (or a fixed, self-signed pair) and the client CA file, if any. */
export function servedContextReader(serving: CertificateFiles | { cert: string; key: string }, clientCaFile?: string): () => ServedContext {
  return () => ({
    ...('certFile' in serving ? readCertificate(serving) : { cert: serving.cert, key: serving.key }),
    ...(clientCaFile ? { ca: readClientCa(clientCaFile) } : {}),
  });
}

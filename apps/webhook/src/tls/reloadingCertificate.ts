// Serving certificate from files, reloaded when they change (cert-manager and Secret volumes swap
// files in place). Polls the content: inotify misses the symlink swaps kubelet does for Secrets.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server as TlsServer } from 'node:tls';

export interface CertificateFiles {
  certFile: string;
  keyFile: string;
}

export const readCertificate = (files: CertificateFiles): { cert: string; key: string } => ({
  cert: readFileSync(files.certFile, 'utf8'),
  key: readFileSync(files.keyFile, 'utf8'),
});

const fingerprint = (pair: { cert: string; key: string }): string => createHash('sha256').update(pair.cert).update(pair.key).digest('hex');

/** Watches the files and swaps the server's certificate when both read back as a new pair. */
export function reloadCertificateOnChange(
  server: Pick<TlsServer, 'setSecureContext'>, // HTTPS and HTTP/2 secure servers both are TLS servers
  files: CertificateFiles,
  intervalMs: number,
  onReload: (outcome: { ok: true } | { ok: false; error: unknown }) => void,
): () => void {
  let current = fingerprint(readCertificate(files));
  let rejected: string | undefined; // a bad pair is reported once, not at every tick
  const timer = setInterval(() => {
    let next: string | undefined;
    try {
      const pair = readCertificate(files);
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

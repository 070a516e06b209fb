// Opt-in: only a caller with a client certificate from a given CA (the API server, configured through
// its AdmissionConfiguration) may call the admission routes. The TLS server asks every caller for a
// certificate but completes the handshake without one, so the kubelet's probes and a Prometheus
// scraper (which carry none) still reach /healthz, /readyz and /metrics; every other path, including
// any route added later, answers 401 without a certificate the CA signed, and 403 when a name is
// required and the certificate is not for it. OpenSSL checks the chain, the validity dates and the
// clientAuth usage during the handshake; the request reads its verdict from the socket.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface ClientAuthentication {
  /** PEM: the CA (or CAs) whose client certificates are accepted. */
  ca: string;
  /** When set, the certificate's CN or one of its DNS SANs must be exactly this. */
  certName?: string;
}

/**
 * Paths answered without a certificate: probes and scrapes carry none, and neither do the API server's
 * CRD conversion calls (its AdmissionConfiguration credentials are for admission webhooks only);
 * /convert is a pure function of the objects sent, reading nothing of the cluster.
 */
export const OPEN_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/livez', '/metrics', '/convert']);

/** Reads a CA bundle and refuses one that holds no certificate (an empty or half-written file would trust nobody). */
export function readClientCa(file: string): string {
  const pem = readFileSync(file, 'utf8');
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (!blocks.length) throw new Error(`${file}: no PEM certificate`);
  for (const block of blocks) {
    if (!new X509Certificate(block).ca) throw new Error(`${file}: a certificate in it is not a CA`);
  }
  return pem;
}

/** TLS server options: ask for a client certificate, verify it against `ca`, let the route decide. */
export const clientCertificateTlsOptions = (ca: string) => ({ requestCert: true, rejectUnauthorized: false, ca });

export type ClientVerdict = { ok: true } | { ok: false; status: 401 | 403; message: string };

/** The decision for one request, from what the TLS handshake established. */
export function verifyClient(socket: Partial<Pick<TLSSocket, 'authorized' | 'authorizationError' | 'getPeerCertificate'>> | undefined, certName?: string): ClientVerdict {
  if (!socket?.authorized) {
    const peer = socket?.getPeerCertificate?.();
    const presented = Boolean(peer && Object.keys(peer).length);
    return {
      ok: false,
      status: 401,
      message: presented
        ? `client certificate refused (${String(socket?.authorizationError ?? 'not verified')}): only the API server may call this route`
        : 'a client certificate is required: only the API server may call this route',
    };
  }
  if (certName === undefined) return { ok: true };
  const peer = socket.getPeerCertificate!();
  const commonNames = ([] as string[]).concat(peer.subject?.CN ?? []);
  const dnsNames = (peer.subjectaltname ?? '')
    .split(', ')
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice(4));
  if (commonNames.includes(certName) || dnsNames.includes(certName)) return { ok: true };
  return { ok: false, status: 403, message: `client certificate is not for ${certName}: only the API server may call this route` };
}

const pathOf = (request: FastifyRequest): string => request.url.split('?', 1)[0]!;

/** Refuses every request outside OPEN_PATHS whose connection carries no accepted client certificate. */
export function requireClientCertificate(app: FastifyInstance, options: Pick<ClientAuthentication, 'certName'>): void {
  app.addHook('onRequest', async (request, reply) => {
    if (OPEN_PATHS.has(pathOf(request))) return;
    // HTTP/1.1: the TLSSocket; HTTP/2: a proxy that forwards these reads to the session's TLSSocket.
    const verdict = verifyClient(request.raw.socket as Partial<TLSSocket> | undefined, options.certName);
    if (verdict.ok) return;
    request.log.warn({ url: pathOf(request).slice(0, 64), status: verdict.status }, 'caller refused: no accepted client certificate');
    return reply.code(verdict.status).send({ message: verdict.message });
  });
}

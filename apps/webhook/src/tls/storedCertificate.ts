// Self-signed mode with several replicas: what to do with the CA and serving certificate found in the
// shared Secret. Pure (no I/O, the clock passed in): use it, issue a new serving certificate from the
// stored CA, or start over with a new CA. Every replica judges the same stored data the same way, so
// they converge on one CA however many start at once.
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';

/** The Secret's data keys (type kubernetes.io/tls, plus the CA and its key). */
export const CERTIFICATE_KEYS = { caCert: 'ca.crt', caKey: 'ca.key', cert: 'tls.crt', key: 'tls.key' } as const;

export interface StoredCertificate {
  caCert: string;
  caKey: string;
  cert: string;
  key: string;
}

export type CertificateVerdict =
  | { action: 'use'; stored: StoredCertificate }
  /** Keep the CA (no caBundle change anywhere), issue a serving certificate for `hosts`. */
  | { action: 'reissue'; reason: string; hosts: string[] }
  /** No usable CA: a new CA and serving certificate. */
  | { action: 'replace'; reason: string; hosts: string[] };

/** Renew when less than this share of a certificate's lifetime is left. */
const RENEW_AT_REMAINING = 1 / 3;

const decode = (data: Record<string, string> | undefined, key: string): string | undefined => {
  const value = data?.[key];
  return value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8');
};

/** Reads the Secret's base64 data; undefined when a key is missing. */
export function storedCertificateOf(data: Record<string, string> | undefined): Partial<StoredCertificate> {
  const result: Partial<StoredCertificate> = {};
  for (const [field, key] of Object.entries(CERTIFICATE_KEYS) as [keyof StoredCertificate, string][]) {
    const value = decode(data, key);
    if (value !== undefined) result[field] = value;
  }
  return result;
}

export const encodeStoredCertificate = (stored: StoredCertificate): Record<string, string> =>
  Object.fromEntries((Object.entries(CERTIFICATE_KEYS) as [keyof StoredCertificate, string][]).map(([field, key]) => [key, Buffer.from(stored[field]).toString('base64')]));

const nearExpiry = (cert: X509Certificate, now: Date): boolean => {
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  return to - now.getTime() < (to - from) * RENEW_AT_REMAINING;
};

const keyMatches = (cert: X509Certificate, keyPem: string): boolean => {
  try {
    return createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' }).equals(cert.publicKey.export({ type: 'spki', format: 'der' }));
  } catch {
    return false;
  }
};

const covers = (cert: X509Certificate, host: string): boolean => (/^[\d.]+$|:/.test(host) ? cert.checkIP(host) !== undefined : cert.checkHost(host, { wildcards: false }) !== undefined);

/** The names a serving certificate is for (its DNS and IP SANs), so a replica asking for more keeps them. */
function sansOf(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '')
    .split(', ')
    .map((entry) => entry.replace(/^(DNS|IP Address):/, ''))
    .filter(Boolean);
}

export function judgeStoredCertificate(data: Record<string, string> | undefined, hosts: string[], now: Date): CertificateVerdict {
  const stored = storedCertificateOf(data);
  if (data === undefined) return { action: 'replace', reason: 'no Secret yet', hosts };
  if (!stored.caCert || !stored.caKey) return { action: 'replace', reason: `the Secret lacks ${CERTIFICATE_KEYS.caCert} or ${CERTIFICATE_KEYS.caKey}`, hosts };
  let ca: X509Certificate;
  try {
    ca = new X509Certificate(stored.caCert);
  } catch {
    return { action: 'replace', reason: `${CERTIFICATE_KEYS.caCert} is not a PEM certificate`, hosts };
  }
  if (!ca.ca) return { action: 'replace', reason: `${CERTIFICATE_KEYS.caCert} is not a CA`, hosts };
  if (!keyMatches(ca, stored.caKey)) return { action: 'replace', reason: `${CERTIFICATE_KEYS.caKey} does not belong to ${CERTIFICATE_KEYS.caCert}`, hosts };
  if (nearExpiry(ca, now)) return { action: 'replace', reason: `the CA expires ${ca.validTo}`, hosts };

  if (!stored.cert || !stored.key) return { action: 'reissue', reason: `the Secret lacks ${CERTIFICATE_KEYS.cert} or ${CERTIFICATE_KEYS.key}`, hosts };
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(stored.cert);
  } catch {
    return { action: 'reissue', reason: `${CERTIFICATE_KEYS.cert} is not a PEM certificate`, hosts };
  }
  const union = [...new Set([...sansOf(cert), ...hosts])];
  if (!cert.verify(ca.publicKey)) return { action: 'reissue', reason: `${CERTIFICATE_KEYS.cert} is not signed by the CA`, hosts: union };
  if (!keyMatches(cert, stored.key)) return { action: 'reissue', reason: `${CERTIFICATE_KEYS.key} does not belong to ${CERTIFICATE_KEYS.cert}`, hosts: union };
  const missing = hosts.filter((host) => !covers(cert, host));
  if (missing.length) return { action: 'reissue', reason: `the serving certificate is not for ${missing.join(', ')}`, hosts: union };
  if (nearExpiry(cert, now)) return { action: 'reissue', reason: `the serving certificate expires ${cert.validTo}`, hosts: union };
  return { action: 'use', stored: stored as StoredCertificate };
}

// Self-signed mode, any number of replicas: one CA and serving certificate for all of them, kept in a
// Secret of the webhook's namespace. A replica reads it; when it is absent it creates it (create
// fails with AlreadyExists for all but one replica starting at once: the losers read the winner's),
// and when it must change (expiring, not for our names, broken) it replaces it with an update
// carrying the resourceVersion it read (a Conflict means another replica got there first: read
// again). The judgement of what is stored is pure: storedCertificate.ts.
import type { KubeConfig } from '@kubernetes/client-node';
import { AlreadyExistsError, ConflictError, NotFoundError, requestJson } from '@sidecarset/api';
import { createCertificateAuthority, issueCertificate, loadCertificateAuthority } from '@sidecarset/pki';
import { encodeStoredCertificate, judgeStoredCertificate, storedCertificateOf, type StoredCertificate } from './storedCertificate.js';

export interface SharedCertificateOptions {
  namespace: string;
  secretName: string;
  /** DNS names and IPs the serving certificate must cover (the Service's name first). */
  hosts: string[];
  now?: () => Date;
  caValidityMs?: number;
  servingValidityMs?: number;
}

export interface SharedCertificate extends StoredCertificate {
  /** What happened: used as stored, or created/renewed by this replica (and why). */
  outcome: 'used' | `${'created' | 'reissued' | 'replaced'}: ${string}`;
}

interface Secret {
  metadata?: { resourceVersion?: string };
  data?: Record<string, string>;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;
const ATTEMPTS = 8;

const secretPath = (namespace: string, name?: string) => `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets${name ? `/${encodeURIComponent(name)}` : ''}`;

async function readSecret(kubeConfig: KubeConfig, options: SharedCertificateOptions): Promise<Secret | undefined> {
  try {
    return await requestJson<Secret>(kubeConfig, 'GET', secretPath(options.namespace, options.secretName));
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

async function issue(verdict: { action: 'reissue' | 'replace'; hosts: string[] }, stored: Partial<StoredCertificate>, options: SharedCertificateOptions): Promise<StoredCertificate> {
  const ca =
    verdict.action === 'reissue' && stored.caCert && stored.caKey
      ? await loadCertificateAuthority(stored.caCert, stored.caKey)
      : await createCertificateAuthority('sidecarset-webhook-ca', options.caValidityMs ?? 10 * YEAR_MS);
  const serving = await issueCertificate(ca, { commonName: verdict.hosts[0] ?? 'sidecarset-webhook', usage: 'server', hosts: verdict.hosts, validityMs: options.servingValidityMs ?? YEAR_MS });
  return { caCert: ca.certificate, caKey: ca.privateKey, cert: serving.certificate, key: serving.privateKey };
}

/** The shared certificate, created or renewed when needed; safe to call from every replica at once, and again. */
export async function ensureSharedCertificate(kubeConfig: KubeConfig, options: SharedCertificateOptions): Promise<SharedCertificate> {
  const now = options.now ?? (() => new Date());
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const secret = await readSecret(kubeConfig, options);
    const verdict = judgeStoredCertificate(secret ? (secret.data ?? {}) : undefined, options.hosts, now());
    if (verdict.action === 'use') return { ...verdict.stored, outcome: 'used' };
    const next = await issue(verdict, storedCertificateOf(secret?.data), options);
    const body = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: {
        name: options.secretName,
        namespace: options.namespace,
        labels: { 'app.kubernetes.io/name': 'sidecarset-webhook', 'app.kubernetes.io/part-of': 'sidecarset' },
        ...(secret?.metadata?.resourceVersion ? { resourceVersion: secret.metadata.resourceVersion } : {}),
      },
      data: encodeStoredCertificate(next),
    };
    try {
      if (secret) await requestJson(kubeConfig, 'PUT', secretPath(options.namespace, options.secretName), {}, body);
      else await requestJson(kubeConfig, 'POST', secretPath(options.namespace), {}, body);
      return { ...next, outcome: `${secret ? (verdict.action === 'reissue' ? 'reissued' : 'replaced') : 'created'}: ${verdict.reason}` };
    } catch (error) {
      // Another replica wrote first: read what it wrote and judge again.
      if (error instanceof AlreadyExistsError || error instanceof ConflictError) continue;
      throw error;
    }
  }
  throw new Error(`Secret ${options.namespace}/${options.secretName}: still changing after ${ATTEMPTS} attempts`);
}

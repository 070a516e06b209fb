// Self-signed mode: the webhook makes its own CA and serving certificate at start, then writes the
// CA into the caBundle of its webhook configurations so the API server trusts it.
import type { KubeConfig } from '@kubernetes/client-node';
import { requestJson } from '@sidecarset/api';
import { createCertificateAuthority, issueCertificate } from '@sidecarset/pki';

export interface SelfSignedCertificate {
  cert: string;
  key: string;
  caBundle: string;
}

export async function createSelfSignedCertificate(hosts: string[]): Promise<SelfSignedCertificate> {
  const ca = await createCertificateAuthority('sidecarset-webhook-ca');
  const serving = await issueCertificate(ca, { commonName: hosts[0] ?? 'sidecarset-webhook', usage: 'server', hosts });
  return { cert: serving.certificate, key: serving.privateKey, caBundle: ca.certificate };
}

const CONFIGURATION_PATHS = {
  mutating: '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations',
  validating: '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations',
} as const;

/** Sets caBundle on every webhook of the named configurations; returns how many were patched. */
export async function patchCaBundle(kubeConfig: KubeConfig, kind: keyof typeof CONFIGURATION_PATHS, name: string, caBundlePem: string): Promise<number> {
  const path = `${CONFIGURATION_PATHS[kind]}/${encodeURIComponent(name)}`;
  const current = await requestJson<{ webhooks?: unknown[] }>(kubeConfig, 'GET', path);
  const caBundle = Buffer.from(caBundlePem).toString('base64');
  const operations = (current.webhooks ?? []).map((_, i) => ({ op: 'add', path: `/webhooks/${i}/clientConfig/caBundle`, value: caBundle }));
  if (operations.length) await requestJson(kubeConfig, 'PATCH', path, {}, operations, 'application/json-patch+json');
  return operations.length;
}

// Kubeconfig files for the admin and for each component, with certificates embedded so a file can
// be copied or pasted anywhere on this machine.
import { stringify } from 'yaml';
import type { PemPair } from '@sidecarset/pki';

const b64 = (pem: string): string => Buffer.from(pem).toString('base64');

export function kubeconfigYaml(server: string, caCertificate: string, user: string, credentials: PemPair): string {
  const name = 'sidecarset-envtest';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'certificate-authority-data': b64(caCertificate) } }],
    users: [{ name: user, user: { 'client-certificate-data': b64(credentials.certificate), 'client-key-data': b64(credentials.privateKey) } }],
    contexts: [{ name, context: { cluster: name, user } }],
    'current-context': name,
  });
}

// The API server authenticating itself to admission webhooks, as a cluster admin would set it up:
// --admission-control-config-file names an AdmissionConfiguration whose two webhook plugins read a
// kubeconfig; each of its users is named for a webhook host (host:port of a URL webhook, or
// name.namespace.svc[:port] of a Service; "*" matches any) and holds the client certificate the API
// server presents to that host. The certificate comes from a CA of its own, which a webhook trusts
// with --client-ca-file. Reference: "Authenticate apiservers" in the Kubernetes documentation on
// dynamic admission control; apiserver.config.k8s.io/v1 AdmissionConfiguration, WebhookAdmissionConfiguration.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCertificateAuthority, issueCertificate, type CertificateAuthority } from '@sidecarset/pki';
import { stringify } from 'yaml';

export interface WebhookAuthenticationOptions {
  /** Webhook hosts to present the certificate to, as kubeconfig user names. Default ["*"]: every webhook. */
  hosts?: string[];
  /** The certificate's CN (what a webhook's --client-cert-name checks). Default "kube-apiserver". */
  commonName?: string;
}

/** What the API server presents to webhooks, and the files a webhook (or a test) needs. */
export interface WebhookClientIdentity {
  /** Issues the API server's certificate; a test may issue more from it. */
  ca: CertificateAuthority;
  /** The CA certificate, for a webhook's --client-ca-file. */
  caFile: string;
  commonName: string;
  /** For kube-apiserver --admission-control-config-file. */
  admissionConfigFile: string;
}

const b64 = (pem: string): string => Buffer.from(pem).toString('base64');

export async function writeWebhookAuthentication(dir: string, options: WebhookAuthenticationOptions = {}): Promise<WebhookClientIdentity> {
  const commonName = options.commonName ?? 'kube-apiserver';
  const ca = await createCertificateAuthority('sidecarset-envtest-webhook-client-ca');
  const client = await issueCertificate(ca, { commonName, usage: 'client' });
  const file = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };
  const kubeconfig = file(
    'webhook-client.kubeconfig',
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      users: (options.hosts ?? ['*']).map((name) => ({ name, user: { 'client-certificate-data': b64(client.certificate), 'client-key-data': b64(client.privateKey) } })),
    }),
  );
  const plugin = (name: string) => ({
    name,
    configuration: { apiVersion: 'apiserver.config.k8s.io/v1', kind: 'WebhookAdmissionConfiguration', kubeConfigFile: kubeconfig },
  });
  const admissionConfigFile = file(
    'admission-configuration.yaml',
    stringify({ apiVersion: 'apiserver.config.k8s.io/v1', kind: 'AdmissionConfiguration', plugins: [plugin('ValidatingAdmissionWebhook'), plugin('MutatingAdmissionWebhook')] }),
  );
  return { ca, caFile: file('webhook-client-ca.crt', ca.certificate), commonName, admissionConfigFile };
}

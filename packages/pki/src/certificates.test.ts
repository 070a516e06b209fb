import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCertificateAuthority, issueCertificate } from './certificates.js';

describe('certificates', () => {
  it('issues a serving certificate the CA verifies, with IP and DNS names', async () => {
    const ca = await createCertificateAuthority('test-ca');
    const leaf = await issueCertificate(ca, { commonName: 'webhook', usage: 'server', hosts: ['127.0.0.1', 'webhook.svc'] });
    const caCert = new X509Certificate(ca.certificate);
    const cert = new X509Certificate(leaf.certificate);
    expect(caCert.ca).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkHost('webhook.svc')).toBe('webhook.svc');
    expect(cert.checkHost('other.svc')).toBeUndefined();
  });

  it('puts organizations in a client certificate subject', async () => {
    const ca = await createCertificateAuthority('test-ca');
    const leaf = await issueCertificate(ca, { commonName: 'admin', organizations: ['system:masters'], usage: 'client' });
    expect(new X509Certificate(leaf.certificate).subject).toContain('O=system:masters');
  });
});

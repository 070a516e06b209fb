import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCertificateAuthority, issueCertificate, loadCertificateAuthority } from './certificates.js';

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

  it('loads a CA back from PEM and issues with it; refuses a key of another CA; honours validityMs', async () => {
    const ca = await createCertificateAuthority('stored-ca', 365 * 24 * 3600 * 1000);
    const loaded = await loadCertificateAuthority(ca.certificate, ca.privateKey);
    const leaf = await issueCertificate(loaded, { commonName: 'webhook', usage: 'server', hosts: ['webhook.svc'], validityMs: 3600_000 });
    const caCert = new X509Certificate(ca.certificate);
    expect(new X509Certificate(leaf.certificate).verify(caCert.publicKey)).toBe(true);
    expect(Date.parse(caCert.validTo) - Date.now()).toBeGreaterThan(364 * 24 * 3600 * 1000);
    expect(Date.parse(new X509Certificate(leaf.certificate).validTo) - Date.now()).toBeLessThan(3600_000);
    const other = await createCertificateAuthority('other-ca');
    await expect(loadCertificateAuthority(ca.certificate, other.privateKey)).rejects.toThrow('does not belong');
  });
});

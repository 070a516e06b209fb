// What each replica does with the CA and serving certificate it finds in the shared Secret.
import { createCertificateAuthority, issueCertificate } from '@sidecarset/pki';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeStoredCertificate, judgeStoredCertificate, type StoredCertificate } from './storedCertificate.js';

const HOSTS = ['sidecarset-webhook.sidecarset-system.svc', '127.0.0.1'];
const DAY = 24 * 3600 * 1000;
let good: StoredCertificate;
let other: StoredCertificate;
beforeAll(async () => {
  const make = async (name: string): Promise<StoredCertificate> => {
    const ca = await createCertificateAuthority(name, 300 * DAY);
    const serving = await issueCertificate(ca, { commonName: HOSTS[0]!, usage: 'server', hosts: HOSTS, validityMs: 90 * DAY });
    return { caCert: ca.certificate, caKey: ca.privateKey, cert: serving.certificate, key: serving.privateKey };
  };
  [good, other] = await Promise.all([make('ca-1'), make('ca-2')]);
});

const now = new Date();
const encode = (stored: Partial<StoredCertificate>) =>
  Object.fromEntries(Object.entries(encodeStoredCertificate({ caCert: '', caKey: '', cert: '', key: '', ...stored })).filter(([, v]) => v !== ''));
const judge = (stored: Partial<StoredCertificate> | undefined, hosts = HOSTS, at = now) => judgeStoredCertificate(stored === undefined ? undefined : encode(stored), hosts, at);

describe('judgeStoredCertificate', () => {
  it('uses a valid stored pair as it is', () => {
    expect(judge(good)).toEqual({ action: 'use', stored: good });
  });

  it('makes a new CA when there is no Secret, no CA, a CA key of another CA, or a CA near its end', () => {
    expect(judge(undefined)).toMatchObject({ action: 'replace', reason: 'no Secret yet' });
    expect(judgeStoredCertificate({}, HOSTS, now)).toMatchObject({ action: 'replace', reason: 'the Secret lacks ca.crt or ca.key' });
    expect(judge({ ...good, caKey: other.caKey })).toMatchObject({ action: 'replace', reason: 'ca.key does not belong to ca.crt' });
    expect(judge({ ...good, caCert: 'not pem' })).toMatchObject({ action: 'replace', reason: 'ca.crt is not a PEM certificate' });
    expect(judge({ ...good, caCert: good.cert })).toMatchObject({ action: 'replace', reason: 'ca.crt is not a CA' });
    expect(judge(good, HOSTS, new Date(now.getTime() + 250 * DAY))).toMatchObject({ action: 'replace', reason: expect.stringMatching(/^the CA expires /) });
  });

  it('keeps the CA and issues a serving certificate when that is missing, foreign, mismatched, for other names or near its end', () => {
    const { cert: _c, key: _k, ...caOnly } = good;
    expect(judge(caOnly)).toMatchObject({ action: 'reissue', reason: 'the Secret lacks tls.crt or tls.key' });
    expect(judge({ ...good, cert: other.cert, key: other.key })).toMatchObject({ action: 'reissue', reason: 'tls.crt is not signed by the CA' });
    expect(judge({ ...good, key: other.key })).toMatchObject({ action: 'reissue', reason: 'tls.key does not belong to tls.crt' });
    expect(judge(good, [...HOSTS, 'webhook.example'])).toEqual({
      action: 'reissue',
      reason: 'the serving certificate is not for webhook.example',
      hosts: [...HOSTS, 'webhook.example'], // the names already there are kept: replicas asking for different names do not flap
    });
    expect(judge(good, HOSTS, new Date(now.getTime() + 70 * DAY))).toMatchObject({ action: 'reissue', reason: expect.stringMatching(/^the serving certificate expires /) });
  });

  it('a replica asking for fewer names uses the pair as stored', () => {
    expect(judge(good, [HOSTS[0]!]).action).toBe('use');
  });
});

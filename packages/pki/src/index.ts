export {
  createCertificateAuthority,
  createServiceAccountKeys,
  issueCertificate,
  loadCertificateAuthority,
  type CertificateAuthority,
  type LeafOptions,
  type PemPair,
} from './certificates.js';

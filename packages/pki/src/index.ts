export {
  createCertificateAuthority,
  createServiceAccountKeys,
  issueCertificate,
  type CertificateAuthority,
  type LeafOptions,
  type PemPair,
} from './certificates.js';

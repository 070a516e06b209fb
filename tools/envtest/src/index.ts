export { startControlPlane, type ControlPlane, type ControlPlaneOptions } from './controlPlane.js';
export { ensureBinaries, BINARIES } from './binaries.js';
export { installCrds, CRD_DIR } from './crds.js';
export { KWOK_NODE_LABEL, type KwokOptions } from './kwok.js';
export { createCertificateAuthority, issueCertificate, type CertificateAuthority, type PemPair } from '@sidecarset/pki';
export { livePids } from './processes.js';
export { freePort } from './freePort.js';
export { registerSidecarsetWebhook, startSidecarsetWebhook, type SidecarsetWebhook, type WebhookOptions } from './sidecarsetWebhook.js';
export { ensureSidecarsetNamespace, SIDECARSET_NAMESPACE, startSidecarsetController, type ControllerOptions, type SidecarsetController } from './sidecarsetController.js';

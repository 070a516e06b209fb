export { buildWebhookServer, BODY_LIMIT_BYTES, type WebhookServerOptions } from './server.js';
export { informerCaches, staticCaches, type WebhookCaches, type InformerCaches } from './caches.js';
export { createWebhookMetrics, type WebhookMetrics } from './metrics.js';
export { parseWebhookConfig, type WebhookConfig } from './config.js';
export { patchCaBundle } from './tls/selfSigned.js';
export { ensureSharedCertificate, type SharedCertificate, type SharedCertificateOptions } from './tls/sharedCertificate.js';

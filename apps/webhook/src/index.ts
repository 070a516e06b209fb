export { buildWebhookServer, type WebhookServerOptions } from './server.js';

#!/usr/bin/env node
// sidecarset-webhook: starts the admission webhook server.
import { buildWebhookServer } from './server.js';

const port = Number(process.env.PORT ?? 9443);
const host = process.env.HOST ?? '127.0.0.1';
const app = buildWebhookServer({ logger: true });
await app.listen({ port, host });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void app.close());

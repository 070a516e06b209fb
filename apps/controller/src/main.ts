#!/usr/bin/env node
// sidecarset-controller: serves health endpoints; reconcilers join as they are built.
import { buildHealthServer } from './healthServer.js';

const port = Number(process.env.HEALTH_PORT ?? 8081);
const app = buildHealthServer(() => true);
await app.listen({ port, host: process.env.HOST ?? '127.0.0.1' });
console.log(JSON.stringify({ msg: 'sidecarset-controller started', port }));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void app.close());

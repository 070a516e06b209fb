#!/usr/bin/env node
// sidecarset-controller: reconciles SidecarSets while it holds the leader Lease; SIGTERM finishes
// in-flight work, releases the Lease and exits.
import { loadKubeConfig } from '@sidecarset/api';
import { pino } from 'pino';
import { USAGE, parseControllerConfig } from './config.js';
import { createController } from './controller.js';
import { buildHealthServer } from './healthServer.js';

let config;
try {
  config = parseControllerConfig(process.argv.slice(2), process.env);
} catch (error) {
  process.stderr.write(`sidecarset-controller: ${(error as Error).message}\n\n${USAGE}\n`);
  process.exit(1);
}
const log = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { component: 'sidecarset-controller', identity: config.identity } });
const kubeConfig = loadKubeConfig({ ...(config.kubeconfig ? { kubeconfig: config.kubeconfig } : {}), ...(config.context ? { context: config.context } : {}) });
const controller = createController(config, kubeConfig, log);
controller.onLostLeadership = () => process.exit(1); // start clean; the Deployment restarts us
const health = buildHealthServer(() => controller.ready(), controller.metrics.registry);
await health.listen({ host: config.host, port: config.healthPort });
log.info({ address: health.server.address() }, 'health server listening');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: finishing in-flight reconciles, releasing the Lease');
    void controller
      .stop()
      .then(() => health.close())
      .then(() => process.exit(0));
  });
}
await controller.start();

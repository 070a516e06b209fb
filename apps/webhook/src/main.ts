#!/usr/bin/env node
// sidecarset-webhook: loads its caches from watches, then serves admission over HTTPS until SIGTERM.
import type { Server as TlsServer } from 'node:tls';
import { loadKubeConfig } from '@sidecarset/api';
import { informerCaches } from './caches.js';
import { USAGE, parseWebhookConfig } from './config.js';
import { batchedStdout } from './logDestination.js';
import { createWebhookMetrics } from './metrics.js';
import { buildWebhookServer } from './server.js';
import { reloadCertificateOnChange, servedContextReader } from './tls/reloadingCertificate.js';
import { shutDownOnSignals } from './gracefulShutdown.js';
import { keepSelfSignedCertificate } from './tls/selfSignedKeeper.js';
import { ensureSharedCertificate } from './tls/sharedCertificate.js';

let config;
try {
  config = parseWebhookConfig(process.argv.slice(2), process.env);
} catch (error) {
  process.stderr.write(`sidecarset-webhook: ${(error as Error).message}\n\n${USAGE}\n`);
  process.exit(1);
}

const kubeConfig = loadKubeConfig({ ...(config.kubeconfig ? { kubeconfig: config.kubeconfig } : {}), ...(config.context ? { context: config.context } : {}) });
const sharedCertificateOptions = { namespace: config.namespace, secretName: config.certificateSecret, hosts: config.tlsHosts };
// Self-signed: the one CA and serving certificate all replicas share (read, or created by the first).
const selfSigned = config.selfSigned ? await ensureSharedCertificate(kubeConfig, sharedCertificateOptions) : undefined;
// Mutable: a renewal by any replica replaces it (tls/selfSignedKeeper.ts); the reader reads it each time.
const servingPair = selfSigned ? { cert: selfSigned.cert, key: selfSigned.key } : undefined;
const served = servedContextReader(servingPair ?? { certFile: config.certFile!, keyFile: config.keyFile! }, config.clientCaFile);
const tls = served();
const clientAuthentication = tls.ca ? { clientAuthentication: { ca: tls.ca, ...(config.clientCertName ? { certName: config.clientCertName } : {}) } } : {};
// Written off the request path and in batches (logDestination.ts).
const logDestination = batchedStdout();
const caches = informerCaches(kubeConfig, config.revisionNamespace, { onError: (error) => app.log.warn({ err: error }, 'watch restarted') }, {
  configMap: config.kruiseConfiguration,
  defaultsAllowed: config.patchPodMetadataDefaultsAllowed,
  onChange: (whitelist) =>
    app.log[whitelist.kind === 'invalid' ? 'warn' : 'info'](
      { source: whitelist.source, state: whitelist.kind, ...(whitelist.kind === 'rules' ? { rules: whitelist.rules.length } : {}), ...('reason' in whitelist ? { reason: whitelist.reason } : {}) },
      'patchPodMetadata whitelist read',
    ),
});
let draining = false;
const app = buildWebhookServer({ caches, metrics: createWebhookMetrics(), logger: { level: config.logLevel, stream: logDestination }, tls: { key: tls.key, cert: tls.cert }, draining: () => draining, ...clientAuthentication });

await app.listen({ host: config.host, port: config.port });
let stopKeeper = () => {};
if (selfSigned) {
  app.log.info({ secret: `${config.namespace}/${config.certificateSecret}`, outcome: selfSigned.outcome }, 'shared serving certificate');
  stopKeeper = await keepSelfSignedCertificate({
    kubeConfig,
    options: sharedCertificateOptions,
    first: selfSigned,
    configurations: [['mutating', config.mutatingConfiguration], ['validating', config.validatingConfiguration]],
    intervalMs: config.certificateCheckIntervalMs,
    serve: (pair) => {
      Object.assign(servingPair!, pair);
      (app.server as unknown as TlsServer).setSecureContext(served());
    },
    log: (level, fields, message) => app.log[level](fields, message),
  });
}
if (!selfSigned || config.clientCaFile) {
  reloadCertificateOnChange(app.server as unknown as TlsServer, served, config.certReloadIntervalMs, (outcome) =>
    outcome.ok ? app.log.info('serving certificate (or client CA) reloaded') : app.log.error({ err: outcome.error }, 'serving certificate (or client CA) reload failed; keeping the old one'),
  );
}
await caches.start();
app.log.info({ sidecarSets: caches.sidecarSets().length }, 'caches loaded; ready');

shutDownOnSignals(
  {
    startDraining: () => (draining = true),
    close: () => app.close(),
    stopRest: async () => {
      stopKeeper();
      await caches.stop();
    },
    log: (event, fields) => app.log.info(fields ?? {}, event),
    exit: (code) => {
      logDestination.flush();
      process.exit(code);
    },
  },
  { delayMs: config.shutdownDelayMs, timeoutMs: config.shutdownTimeoutMs },
);

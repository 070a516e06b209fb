#!/usr/bin/env node
// sidecarset-webhook: loads its caches from watches, then serves admission over HTTPS until SIGTERM.
import type { Server as TlsServer } from 'node:tls';
import { loadKubeConfig } from '@sidecarset/api';
import { pino } from 'pino';
import { informerCaches } from './caches.js';
import { USAGE, parseWebhookConfig } from './config.js';
import { createWebhookMetrics } from './metrics.js';
import { buildWebhookServer } from './server.js';
import { reloadCertificateOnChange, servedContextReader } from './tls/reloadingCertificate.js';
import { createSelfSignedCertificate, patchCaBundle } from './tls/selfSigned.js';

let config;
try {
  config = parseWebhookConfig(process.argv.slice(2), process.env);
} catch (error) {
  process.stderr.write(`sidecarset-webhook: ${(error as Error).message}\n\n${USAGE}\n`);
  process.exit(1);
}

const kubeConfig = loadKubeConfig({ ...(config.kubeconfig ? { kubeconfig: config.kubeconfig } : {}), ...(config.context ? { context: config.context } : {}) });
const selfSigned = config.selfSigned ? await createSelfSignedCertificate(config.tlsHosts) : undefined;
const served = servedContextReader(selfSigned ?? { certFile: config.certFile!, keyFile: config.keyFile! }, config.clientCaFile);
const tls = served();
const clientAuthentication = tls.ca ? { clientAuthentication: { ca: tls.ca, ...(config.clientCertName ? { certName: config.clientCertName } : {}) } } : {};
// Written off the request path: a synchronous write per admission line stalls the event
// loop whenever the reader of stdout is slow. pino flushes what is left on exit.
const logDestination = pino.destination({ dest: 1, sync: false });
const caches = informerCaches(kubeConfig, config.revisionNamespace, { onError: (error) => app.log.warn({ err: error }, 'watch restarted') }, {
  configMap: config.kruiseConfiguration,
  defaultsAllowed: config.patchPodMetadataDefaultsAllowed,
  onChange: (whitelist) =>
    app.log[whitelist.kind === 'invalid' ? 'warn' : 'info'](
      { source: whitelist.source, state: whitelist.kind, ...(whitelist.kind === 'rules' ? { rules: whitelist.rules.length } : {}), ...('reason' in whitelist ? { reason: whitelist.reason } : {}) },
      'patchPodMetadata whitelist read',
    ),
});
const app = buildWebhookServer({ caches, metrics: createWebhookMetrics(), logger: { level: config.logLevel, stream: logDestination }, tls: { key: tls.key, cert: tls.cert }, ...clientAuthentication });

await app.listen({ host: config.host, port: config.port });
if (selfSigned) {
  for (const [kind, name] of [['mutating', config.mutatingConfiguration], ['validating', config.validatingConfiguration]] as const) {
    const patched = await patchCaBundle(kubeConfig, kind, name, selfSigned.caBundle).catch((error: unknown) => {
      app.log.error({ err: error, configuration: name }, 'could not patch caBundle');
      return 0;
    });
    app.log.info({ configuration: name, webhooks: patched }, 'caBundle patched');
  }
}
if (!selfSigned || config.clientCaFile) {
  reloadCertificateOnChange(app.server as unknown as TlsServer, served, config.certReloadIntervalMs, (outcome) =>
    outcome.ok ? app.log.info('serving certificate (or client CA) reloaded') : app.log.error({ err: outcome.error }, 'serving certificate (or client CA) reload failed; keeping the old one'),
  );
}
await caches.start();
app.log.info({ sidecarSets: caches.sidecarSets().length }, 'caches loaded; ready');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.log.info({ signal }, 'shutting down');
    void app.close().then(() => caches.stop()).then(() => process.exit(0));
  });
}

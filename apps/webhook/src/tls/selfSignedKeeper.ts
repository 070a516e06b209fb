// Self-signed mode, after start: every `intervalMs` each replica reads the shared Secret again
// (another replica may have renewed it, or it is due for renewal), serves what it holds, and puts its
// CA back into any caBundle that lacks it (a `helm upgrade` or `kubectl apply` of the configurations
// resets it). The caBundles are also set once right away, before the first interval.
import type { KubeConfig } from '@kubernetes/client-node';
import { patchCaBundle } from './selfSigned.js';
import { ensureSharedCertificate, type SharedCertificate, type SharedCertificateOptions } from './sharedCertificate.js';

export interface KeeperOptions {
  kubeConfig: KubeConfig;
  options: SharedCertificateOptions;
  first: SharedCertificate;
  configurations: (readonly ['mutating' | 'validating', string])[];
  intervalMs: number;
  /** Serve this pair from now on (new handshakes; open connections keep theirs). */
  serve(pair: { cert: string; key: string }): void;
  log(level: 'info' | 'warn' | 'error', fields: Record<string, unknown>, message: string): void;
}

/** Sets the caBundles, then keeps checking; returns the stop function. */
export async function keepSelfSignedCertificate(keeper: KeeperOptions): Promise<() => void> {
  let current = keeper.first;
  const syncCaBundles = async () => {
    for (const [kind, name] of keeper.configurations) {
      try {
        const patched = await patchCaBundle(keeper.kubeConfig, kind, name, current.caCert);
        if (patched) keeper.log('info', { configuration: name, webhooks: patched }, 'caBundle patched');
      } catch (error) {
        keeper.log('error', { err: error, configuration: name }, 'could not patch caBundle');
      }
    }
  };
  await syncCaBundles();
  let running = false;
  const timer = setInterval(() => {
    if (running) return; // a slow API server: do not pile rounds up
    running = true;
    void (async () => {
      try {
        const next = await ensureSharedCertificate(keeper.kubeConfig, keeper.options);
        if (next.cert !== current.cert || next.key !== current.key) {
          keeper.serve({ cert: next.cert, key: next.key });
          keeper.log('info', { outcome: next.outcome, caChanged: next.caCert !== current.caCert }, 'serving the shared certificate as renewed');
        }
        current = next;
        await syncCaBundles();
      } catch (error) {
        keeper.log('warn', { err: error }, 'shared certificate check failed; serving the one held');
      } finally {
        running = false;
      }
    })();
  }, keeper.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

// Command-line flags of sidecarset-webhook, each with an environment variable fallback.
import { parseArgs } from 'node:util';

export interface WebhookConfig {
  host: string;
  port: number;
  certFile?: string;
  keyFile?: string;
  selfSigned: boolean;
  /** DNS names / IPs the self-signed certificate is valid for. */
  tlsHosts: string[];
  mutatingConfiguration: string;
  validatingConfiguration: string;
  revisionNamespace: string;
  /** ConfigMap in revisionNamespace with OpenKruise's patchPodMetadata whitelist. */
  kruiseConfiguration: string;
  /** OpenKruise's feature gate SidecarSetPatchPodMetadataDefaultsAllowed: no whitelist (rule) allows every key. */
  patchPodMetadataDefaultsAllowed: boolean;
  kubeconfig?: string;
  context?: string;
  logLevel: string;
  certReloadIntervalMs: number;
  /** Require a client certificate from this CA on the admission routes (off when absent). */
  clientCaFile?: string;
  /** ...and for this CN or DNS SAN. */
  clientCertName?: string;
  /** Self-signed: the Secret (in `namespace`) holding the CA and serving certificate every replica shares. */
  certificateSecret: string;
  /** The webhook's own namespace (POD_NAMESPACE from the downward API). */
  namespace: string;
  /** Self-signed: how often the Secret and the caBundles are checked again (renewal, a caBundle reset by a redeploy). */
  certificateCheckIntervalMs: number;
  /** On SIGTERM: serve while reporting not ready for this long, then close. */
  shutdownDelayMs: number;
  /** ...and give admissions in flight this long to finish. */
  shutdownTimeoutMs: number;
}

export const USAGE = `sidecarset-webhook [options]
  --host ADDR                     listen address (HOST, default 0.0.0.0)
  --port N                        HTTPS port (PORT, default 9443)
  --tls-cert-file FILE            serving certificate, reloaded on change (TLS_CERT_FILE)
  --tls-key-file FILE             serving key (TLS_KEY_FILE)
  --self-signed                   share one CA and serving certificate between replicas through a Secret
                                  (created if absent, renewed when a third of its life is left) and keep
                                  the caBundle of both configurations set to that CA
  --certificate-secret NAME       that Secret, in --namespace (default sidecarset-webhook-certs)
  --namespace NS                  the webhook's namespace (POD_NAMESPACE, default sidecarset-system)
  --certificate-check-interval-seconds N
                                  self-signed: re-read the Secret and the caBundles every N s (default 60)
  --shutdown-delay-seconds N      on SIGTERM: not ready but still serving for N s, so the endpoints drop
                                  this replica first (default 5)
  --shutdown-timeout-seconds N    then finish admissions in flight within N s (default 20)
  --client-ca-file FILE           admission routes require a client certificate from this CA (the API
                                  server's, see README); reloaded on change; /healthz, /readyz and
                                  /metrics stay open (CLIENT_CA_FILE; default off: any caller)
  --client-cert-name NAME         ...whose CN or a DNS SAN is NAME (CLIENT_CERT_NAME)
  --tls-host NAME                 name or IP for the self-signed certificate (repeatable)
  --mutating-configuration NAME   MutatingWebhookConfiguration to patch (default sidecarset-mutating)
  --validating-configuration NAME ValidatingWebhookConfiguration to patch (default sidecarset-validating)
  --revision-namespace NS         namespace of SidecarSet ControllerRevisions (default sidecarset-system)
  --kruise-configuration NAME     ConfigMap in that namespace whose key SidecarSet_PatchPodMetadata_WhiteList
                                  allows pod annotation keys to patchPodMetadata, as OpenKruise's
                                  (KRUISE_CONFIGURATION, default kruise-configuration)
  --patch-pod-metadata-defaults-allowed
                                  without a whitelist, or a rule of it selecting the SidecarSet, allow
                                  every key (OpenKruise's gate SidecarSetPatchPodMetadataDefaultsAllowed;
                                  PATCH_POD_METADATA_DEFAULTS_ALLOWED=true; default off)
  --kubeconfig FILE, --context NAME
  --log-level LEVEL               pino level (default info)`;

export function parseWebhookConfig(argv: string[], env: NodeJS.ProcessEnv): WebhookConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'tls-cert-file': { type: 'string' },
      'tls-key-file': { type: 'string' },
      'self-signed': { type: 'boolean' },
      'tls-host': { type: 'string', multiple: true },
      'mutating-configuration': { type: 'string' },
      'validating-configuration': { type: 'string' },
      'revision-namespace': { type: 'string' },
      'kruise-configuration': { type: 'string' },
      'patch-pod-metadata-defaults-allowed': { type: 'boolean' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      'log-level': { type: 'string' },
      'cert-reload-interval-ms': { type: 'string' },
      'client-ca-file': { type: 'string' },
      'client-cert-name': { type: 'string' },
      'certificate-secret': { type: 'string' },
      namespace: { type: 'string' },
      'certificate-check-interval-seconds': { type: 'string' },
      'shutdown-delay-seconds': { type: 'string' },
      'shutdown-timeout-seconds': { type: 'string' },
    },
  });
  const port = Number(values.port ?? env.PORT ?? 9443);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got ${values.port ?? env.PORT}`);
  const certFile = values['tls-cert-file'] ?? env.TLS_CERT_FILE;
  const keyFile = values['tls-key-file'] ?? env.TLS_KEY_FILE;
  const selfSigned = values['self-signed'] ?? false;
  if (!selfSigned && (!certFile || !keyFile)) throw new Error('give --tls-cert-file and --tls-key-file, or --self-signed');
  if (selfSigned && (certFile || keyFile)) throw new Error('--self-signed cannot be combined with --tls-cert-file/--tls-key-file');
  const clientCaFile = values['client-ca-file'] ?? env.CLIENT_CA_FILE;
  const clientCertName = values['client-cert-name'] ?? env.CLIENT_CERT_NAME;
  if (clientCertName && !clientCaFile) throw new Error('--client-cert-name needs --client-ca-file');
  const kruiseConfiguration = values['kruise-configuration'] ?? env.KRUISE_CONFIGURATION ?? 'kruise-configuration';
  if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(kruiseConfiguration)) throw new Error(`--kruise-configuration must be a ConfigMap name, got ${JSON.stringify(kruiseConfiguration)}`);
  const seconds = (flag: string, value: string | undefined, fallback: number, min: number): number => {
    const n = Number(value ?? fallback);
    if (!Number.isFinite(n) || n < min || n > 3600) throw new Error(`--${flag} must be a number of seconds from ${min} to 3600, got ${value}`);
    return Math.round(n * 1000);
  };
  const certificateSecret = values['certificate-secret'] ?? 'sidecarset-webhook-certs';
  const namespace = values.namespace ?? env.POD_NAMESPACE ?? 'sidecarset-system';
  for (const [flag, name] of [['certificate-secret', certificateSecret], ['namespace', namespace]] as const) {
    if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(name)) throw new Error(`--${flag} must be an object name, got ${JSON.stringify(name)}`);
  }
  return {
    certificateSecret,
    namespace,
    certificateCheckIntervalMs: seconds('certificate-check-interval-seconds', values['certificate-check-interval-seconds'], 60, 1),
    shutdownDelayMs: seconds('shutdown-delay-seconds', values['shutdown-delay-seconds'], 5, 0),
    shutdownTimeoutMs: seconds('shutdown-timeout-seconds', values['shutdown-timeout-seconds'], 20, 0),
    host: values.host ?? env.HOST ?? '0.0.0.0',
    port,
    ...(certFile ? { certFile } : {}),
    ...(keyFile ? { keyFile } : {}),
    selfSigned,
    tlsHosts: values['tls-host'] ?? ['sidecarset-webhook.sidecarset-system.svc', '127.0.0.1'],
    mutatingConfiguration: values['mutating-configuration'] ?? 'sidecarset-mutating',
    validatingConfiguration: values['validating-configuration'] ?? 'sidecarset-validating',
    revisionNamespace: values['revision-namespace'] ?? env.REVISION_NAMESPACE ?? 'sidecarset-system',
    kruiseConfiguration,
    patchPodMetadataDefaultsAllowed: values['patch-pod-metadata-defaults-allowed'] ?? env.PATCH_POD_METADATA_DEFAULTS_ALLOWED === 'true',
    ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}),
    ...(values.context ? { context: values.context } : {}),
    logLevel: values['log-level'] ?? env.LOG_LEVEL ?? 'info',
    certReloadIntervalMs: Number(values['cert-reload-interval-ms'] ?? 2000),
    ...(clientCaFile ? { clientCaFile } : {}),
    ...(clientCertName ? { clientCertName } : {}),
  };
}

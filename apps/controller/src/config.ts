// Command-line flags of sidecarset-controller.
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';

export interface ControllerConfig {
  kubeconfig?: string;
  context?: string;
  /** Namespace of the SidecarSet ControllerRevisions and of the leader election Lease. */
  namespace: string;
  workers: number;
  leaderElect: boolean;
  leaseName: string;
  identity: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  host: string;
  healthPort: number;
  blockedAfterMs: number;
  resyncMs: number;
  /** auto: resize sidecars' resources in place where the API server serves pods/resize; off: never (resources are not upgradable). */
  podResize: 'auto' | 'off';
  /** The image Job sidecars are swapped to when they name none (deploy/exit-image); undefined: none, an Event says so. */
  exitImage?: string;
}

export const USAGE = `sidecarset-controller [options]
  --kubeconfig FILE, --context NAME
  --namespace NS              ControllerRevisions and the leader Lease (default sidecarset-system)
  --workers N                 concurrent reconciles (default 2)
  --leader-elect=false        run without leader election (one replica only)
  --lease-name NAME           default sidecarset-controller
  --identity ID               this replica's name in the Lease (default hostname_pid)
  --lease-duration-ms N, --renew-deadline-ms N, --retry-period-ms N   (15000, 10000, 2000)
  --health-port N             /healthz, /readyz, /metrics (default 8081; 0 picks a free port)
  --blocked-after-ms N        a rollout without progress this long gets a RolloutBlocked event (default 60000)
  --pod-resize auto|off       resize sidecars' resources in place through pods/resize where the API server serves it
                              (default auto); off: a resources change leaves pods not upgradable, as OpenKruise does
  --exit-image IMAGE          Job pods: regular sidecars with KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT=true and no
                              ..._WITH_IMAGE are swapped to IMAGE once the app containers end (deploy/exit-image;
                              default: env SIDECARSET_EXIT_IMAGE; none: an Event says why the pod still runs)`;

/** An image reference as the controller writes it into a pod: no whitespace, bounded. */
const IMAGE_REFERENCE = /^[^\s]{1,4096}$/;

export function parseControllerConfig(argv: string[], env: NodeJS.ProcessEnv = {}): ControllerConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      namespace: { type: 'string', default: 'sidecarset-system' },
      workers: { type: 'string', default: '2' },
      'leader-elect': { type: 'string', default: 'true' },
      'lease-name': { type: 'string', default: 'sidecarset-controller' },
      identity: { type: 'string', default: `${hostname()}_${process.pid}` },
      'lease-duration-ms': { type: 'string', default: '15000' },
      'renew-deadline-ms': { type: 'string', default: '10000' },
      'retry-period-ms': { type: 'string', default: '2000' },
      host: { type: 'string', default: '127.0.0.1' },
      'health-port': { type: 'string', default: '8081' },
      'blocked-after-ms': { type: 'string', default: '60000' },
      'resync-ms': { type: 'string', default: '2000' },
      'pod-resize': { type: 'string', default: 'auto' },
      'exit-image': { type: 'string' },
    },
  });
  const number = (flag: keyof typeof values, min = 0): number => {
    const value = Number(values[flag]);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${flag} must be a whole number >= ${min}, got ${values[flag]}`);
    return value;
  };
  const exitImage = values['exit-image'] ?? (env.SIDECARSET_EXIT_IMAGE || undefined);
  if (exitImage !== undefined && !IMAGE_REFERENCE.test(exitImage)) throw new Error(`--exit-image must be an image reference (no spaces, at most 4096 characters), got ${JSON.stringify(exitImage.slice(0, 100))}`);
  if (values['leader-elect'] !== 'true' && values['leader-elect'] !== 'false') throw new Error(`--leader-elect must be true or false, got ${values['leader-elect']}`);
  const podResize = values['pod-resize'];
  if (podResize !== 'auto' && podResize !== 'off') throw new Error(`--pod-resize must be auto or off, got ${podResize}`);
  return {
    ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}),
    ...(values.context ? { context: values.context } : {}),
    namespace: values.namespace!,
    workers: number('workers', 1),
    leaderElect: values['leader-elect'] === 'true',
    leaseName: values['lease-name']!,
    identity: values.identity!,
    leaseDurationMs: number('lease-duration-ms', 1),
    renewDeadlineMs: number('renew-deadline-ms', 1),
    retryPeriodMs: number('retry-period-ms', 1),
    host: values.host!,
    healthPort: number('health-port'),
    blockedAfterMs: number('blocked-after-ms'),
    resyncMs: number('resync-ms', 1),
    podResize,
    ...(exitImage ? { exitImage } : {}),
  };
}

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
  --blocked-after-ms N        a rollout without progress this long gets a RolloutBlocked event (default 60000)`;

export function parseControllerConfig(argv: string[]): ControllerConfig {
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
    },
  });
  const number = (flag: keyof typeof values, min = 0): number => {
    const value = Number(values[flag]);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${flag} must be a whole number >= ${min}, got ${values[flag]}`);
    return value;
  };
  if (values['leader-elect'] !== 'true' && values['leader-elect'] !== 'false') throw new Error(`--leader-elect must be true or false, got ${values['leader-elect']}`);
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
  };
}

// Runs the real sidecarset-controller binary (apps/controller/dist/main.js, built by `nx build`)
// against a control plane, in the sidecarset-system namespace it needs, as its Deployment's
// ServiceAccount with the RBAC of deploy/manifests/controller.yaml, never as the admin. A path, not
// a package import: the controller's own tests use this.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ControlPlane } from './controlPlane.js';
import { deployedIdentity } from './deployedIdentity.js';
import { deployedNodeOptions } from './deployedNodeOptions.js';
import { logTail, startProcess, type ManagedProcess } from './processes.js';

const MAIN = join(import.meta.dirname, '../../../apps/controller/dist/main.js');
export const SIDECARSET_NAMESPACE = 'sidecarset-system';

export interface ControllerOptions {
  /** This replica's name in the leader Lease. */
  identity?: string;
  /** Short leader election timings suit tests; the controller's defaults are client-go's. */
  leaseDurationMs?: number;
  extraArgs?: string[];
  /** Node.js flags; by default the NODE_OPTIONS of deploy/manifests/controller.yaml (its heap limits). */
  nodeOptions?: string[];
}

export interface SidecarsetController {
  process: ManagedProcess;
  identity: string;
  /** The kubeconfig the controller runs with: its ServiceAccount's. */
  kubeconfigPath: string;
  logs: () => string;
  stop(): Promise<void>;
  /** SIGKILL: no release of the Lease, no finishing of work. */
  kill(): Promise<void>;
}

export async function ensureSidecarsetNamespace(plane: ControlPlane): Promise<void> {
  const existing = await plane.kubectl(['get', 'namespace', SIDECARSET_NAMESPACE]);
  if (existing.code !== 0) {
    const created = await plane.kubectl(['create', 'namespace', SIDECARSET_NAMESPACE]);
    if (created.code !== 0 && !created.stderr.includes('AlreadyExists')) throw new Error(created.stderr);
  }
}

let serial = 0;

/** Starts a controller replica; it joins `plane.processes`, so plane.stop() stops it too. */
export async function startSidecarsetController(plane: ControlPlane, options: ControllerOptions = {}): Promise<SidecarsetController> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build the controller first (npx nx build @sidecarset/controller)`);
  await ensureSidecarsetNamespace(plane);
  const { kubeconfigPath } = await deployedIdentity(plane, 'controller.yaml');
  const identity = options.identity ?? `controller-${++serial}`;
  const lease = options.leaseDurationMs ?? 15_000;
  const args = [
    ...(options.nodeOptions ?? deployedNodeOptions('controller.yaml', 'controller')),
    MAIN,
    `--kubeconfig=${kubeconfigPath}`,
    `--namespace=${SIDECARSET_NAMESPACE}`,
    `--identity=${identity}`,
    '--health-port=0',
    `--lease-duration-ms=${lease}`,
    `--renew-deadline-ms=${Math.round(lease * 0.66)}`,
    `--retry-period-ms=${Math.max(100, Math.round(lease * 0.13))}`,
    ...(options.extraArgs ?? []),
  ];
  const controller = startProcess(`sidecarset-controller-${identity}`, process.execPath, args, join(plane.dir, 'logs'));
  plane.processes.push(controller);
  const deadline = Date.now() + 90_000; // a loaded machine takes most of 30 s to load the bundle
  while (!logTail(controller, 200).includes('caches loaded')) {
    if (!controller.running()) throw new Error(`controller exited:\n${logTail(controller, 40)}`);
    if (Date.now() > deadline) throw new Error(`controller did not load its caches in 90 s:\n${logTail(controller, 40)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    process: controller,
    identity,
    kubeconfigPath,
    logs: () => logTail(controller, 400),
    stop: () => controller.stop(),
    async kill() {
      process.kill(controller.pid, 'SIGKILL');
      await controller.exited;
    },
  };
}

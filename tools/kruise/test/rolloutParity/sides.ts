// The two sides of the rollout parity suite, each a control plane with kwok kubelets: one running the
// real OpenKruise v1.9.0 (its SidecarSet CRD, webhooks and SidecarSet controller: the manager runs
// every controller whose CRD is installed, and startOpenKruise installs SidecarSet's), one running our
// webhook and our controller on our CRD.
import { deployedNodeOptions, registerSidecarsetWebhook, startControlPlane, startSidecarsetController, startSidecarsetWebhook, type ControlPlane } from '@sidecarset/envtest';
import { startOpenKruise } from '../../src/index.js';

export interface RolloutSide {
  name: 'openkruise' | 'ours';
  plane: ControlPlane;
  logs(): string;
}

const KWOK = { nodes: 2 };

export async function startOpenKruiseRolloutSide(): Promise<RolloutSide> {
  const plane = await startControlPlane({ installCrds: false, scheduler: false, kwok: KWOK });
  const kruise = await startOpenKruise(plane);
  return { name: 'openkruise', plane, logs: () => kruise.logs(60) };
}

export async function startOurRolloutSide(): Promise<RolloutSide> {
  const plane = await startControlPlane({ scheduler: false, kwok: KWOK });
  const webhook = await startSidecarsetWebhook(plane);
  await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
  // PARITY_CONTROLLER_NODE_OPTIONS: more Node.js flags for our controller, e.g. `--import` of a
  // resolve hook that swaps in a changed @sidecarset/core, to check that the suite notices.
  const extra = process.env.PARITY_CONTROLLER_NODE_OPTIONS?.split(' ').filter(Boolean) ?? [];
  const controller = await startSidecarsetController(plane, extra.length ? { nodeOptions: [...deployedNodeOptions('controller.yaml', 'controller'), ...extra] } : {});
  return { name: 'ours', plane, logs: () => controller.logs().split('\n').slice(-60).join('\n') };
}

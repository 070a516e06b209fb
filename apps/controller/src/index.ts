export { buildHealthServer } from './healthServer.js';
export { createController, type SidecarSetController } from './controller.js';
export { parseControllerConfig, type ControllerConfig } from './config.js';
export { reconcileSidecarSet, type ReconcileDeps } from './reconcile/reconcileSidecarSet.js';

#!/usr/bin/env node
// `npm start`: a local cluster to try Sidecarset against. Brings up the control plane with the
// scheduler, the controller-manager and kwok with 3 Ready nodes, CRDs installed, then prints the
// one line people paste (`export KUBECONFIG=...`) and stays in the foreground until Ctrl-C.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startControlPlane } from './controlPlane.js';
import { runSeed002Demo } from './sandboxDemo.js';
import { runSeed000Demo } from './sandboxSeed000.js';
import { runNativeSidecarDemo } from './sandboxNativeDemo.js';
import { runJobDemo } from './sandboxJobDemo.js';
import { runHotUpgradeDemo } from './sandboxHotDemo.js';
import { runResizeDemo } from './sandboxResizeDemo.js';
import { startSidecarsetController } from './sidecarsetController.js';
import { registerSidecarsetWebhook, startSidecarsetWebhook } from './sidecarsetWebhook.js';

const SANDBOX_DIR = process.env.SIDECARSET_SANDBOX_DIR ?? join(import.meta.dirname, '../../../.sandbox');
const progress = (line: string): void => void process.stderr.write(`[sandbox] ${line}\n`);

// A fresh directory each run: etcd data of an earlier run would bring back its objects.
rmSync(SANDBOX_DIR, { recursive: true, force: true });
mkdirSync(SANDBOX_DIR, { recursive: true });

const plane = await startControlPlane({ dir: SANDBOX_DIR, kwok: { nodes: 3 }, log: progress });
progress(`control plane ready in ${(plane.startupMs / 1000).toFixed(1)} s; logs in ${join(SANDBOX_DIR, 'logs')}`);
const webhook = await startSidecarsetWebhook(plane);
await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
progress(`webhook serving ${webhook.url} and registered: new pods get their sidecars`);
// --exit-image: Job sidecars with KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT are swapped to it (deploy/exit-image).
await startSidecarsetController(plane, { identity: 'sandbox', extraArgs: ['--exit-image=sidecarset/exit:1'] });
progress('controller running: SidecarSet status, revisions and in-place upgrades');
if (process.env.SIDECARSET_SANDBOX_DEMO !== '0') {
  await runSeed002Demo(plane.kubectl, progress);
  await runSeed000Demo(plane.kubectl, progress);
  await runNativeSidecarDemo(plane.kubectl, progress);
  await runJobDemo(plane.kubectl, progress);
  await runHotUpgradeDemo(plane.kubectl, progress);
  await runResizeDemo(plane.kubectl, progress);
}
progress('try: kubectl apply -f <a SidecarSet>, then create a matching pod; Ctrl-C stops everything');
process.stdout.write(`export KUBECONFIG=${plane.kubeconfigPath}\n`);
// startControlPlane stops every process on SIGINT/SIGTERM; until then the plane's children keep us alive.

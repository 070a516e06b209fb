// Pods as a cluster would hold them after the webhook injected a SidecarSet: the manifests run
// through `kubectl-sidecarset inject`, then given the status of running, ready pods whose containers
// run the images their spec names.
import type { Pod } from '@sidecarset/api/offline';
import { expect } from 'vitest';
import { runCli } from './runCli.js';

/** `kubectl-sidecarset inject -f PODS --sidecarsets SIDECARSETS -o json`, as a list of pods. */
export async function injectOffline(podsFile: string, sidecarSetsFile: string, cwd?: string): Promise<Pod[]> {
  const run = await runCli(['inject', '-f', podsFile, '--sidecarsets', sidecarSetsFile, '-o', 'json', '--now', '2025-01-01T00:00:00Z'], { cwd });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const output = JSON.parse(run.stdout) as Pod | { items: Pod[] };
  return 'items' in output ? output.items : [output];
}

export const RUNNING_AND_READY_SINCE = '2025-01-01T00:00:00Z';

/** The status of a pod that is Running and Ready, each container running its spec's image. */
export function runningAndReadyStatus(pod: Pod): NonNullable<Pod['status']> {
  return {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: RUNNING_AND_READY_SINCE }],
    containerStatuses: (pod.spec?.containers ?? []).map((container) => ({
      name: container.name,
      image: container.image ?? '',
      imageID: `${container.image}@sha256:${'0'.repeat(64)}`,
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: RUNNING_AND_READY_SINCE } },
    })),
  };
}

/** Why a pod waits in the fixtures' first round: maxUnavailable 2 is taken by the round itself. */
export const BUDGET_REASON = 'maxUnavailable 2 reached (2 updating in this round)';

/** `plan -o json` for the fixtures (5 pods on log-agent 1.0, the SidecarSet at 1.1, maxUnavailable 2). */
export const FIRST_ROUND_PLAN = {
  matched: 5,
  updated: 0,
  updatedReady: 0,
  unavailable: 0,
  budget: 2,
  next: ['shop/web-1', 'shop/web-2'],
  waiting: [
    { pod: 'shop/web-3', reason: BUDGET_REASON },
    { pod: 'shop/web-4', reason: BUDGET_REASON },
    { pod: 'shop/web-5', reason: BUDGET_REASON },
  ],
  upgrades: Object.fromEntries(['shop/web-1', 'shop/web-2', 'shop/web-3', 'shop/web-4', 'shop/web-5'].map((pod) => [pod, ['image swap']])),
};

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

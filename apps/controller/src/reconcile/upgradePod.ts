// One pod's in-place upgrade as the API server takes it: first the sidecars' resources through the
// pods/resize subresource (when the resize kind changes any), then the pod patch (images, hashes,
// annotations) computed from the pod the resize returned, so that its resourceVersion test holds.
// Resize first: if it fails the pod is not yet recorded as updated and the next round tries again;
// the other way round a pod could count as updated with its old resources. A resize the API server
// refuses (403, e.g. beyond the node's allocatable; 422 other than a failed resourceVersion test) is
// remembered for that pod and SidecarSet hash: the planner then reports the pod not upgradable and
// never plans it again, rather than asking on every round.
import { isForbidden, isInvalid, type Pod, type SidecarSet } from '@sidecarset/api';
import { podResizePatch, podResizeRefusalKey, podUpgradePatch, type RolloutCapabilities } from '@sidecarset/core';
import type { ClusterWriter } from './clusterWriter.js';

export type PodUpgradeOutcome = 'patched' | 'resize-refused';

export async function upgradePod(
  sidecarSet: SidecarSet,
  pod: Pod,
  now: Date,
  writer: Pick<ClusterWriter, 'patchPod' | 'resizePod'>,
  capabilities: RolloutCapabilities & { refusedResizes?: Map<string, string> },
): Promise<PodUpgradeOutcome> {
  let current = pod;
  const resize = podResizePatch(sidecarSet, pod, capabilities);
  if (resize) {
    try {
      const stored = await writer.resizePod(pod, resize);
      if (stored) current = stored;
    } catch (error) {
      if (!isRefusal(error)) throw error;
      capabilities.refusedResizes?.set(podResizeRefusalKey(sidecarSet, pod), (error as Error).message.slice(0, 512));
      return 'resize-refused';
    }
  }
  await writer.patchPod(current, podUpgradePatch(sidecarSet, current, now, capabilities));
  return 'patched';
}

/** The API server said no to this resize itself, not to a stale read (a failed `test` op is a conflict). */
const isRefusal = (error: unknown): boolean =>
  isForbidden(error) || (isInvalid(error) && !/test operation|testing value|resourceVersion/i.test((error as Error).message));

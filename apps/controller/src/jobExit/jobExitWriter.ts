// The job-exit step's writes: the exit-image swap (a JSON patch whose tests pin each container's name
// and image as read, so a pod changed meanwhile is not patched blindly) and the phase of a pod whose
// ignore-exit-code sidecars no longer decide it (strategic merge on pods/status: conditions merge by
// type, the kubelet's stay).
import type { KubeConfig } from '@kubernetes/client-node';
import { requestJson, type JsonPatchOperation, type Pod } from '@sidecarset/api';
import { SIDECAR_TERMINATED_CONDITION, type ExitImageSwap } from '@sidecarset/core';

export interface JobExitWriter {
  swapImages(pod: Pod, swaps: readonly ExitImageSwap[]): Promise<void>;
  setPhase(pod: Pod, phase: 'Succeeded' | 'Failed', now: Date): Promise<void>;
}

const podPath = (pod: Pod) => `/api/v1/namespaces/${encodeURIComponent(pod.metadata?.namespace ?? '')}/pods/${encodeURIComponent(pod.metadata?.name ?? '')}`;

export function swapPatch(pod: Pod, swaps: readonly ExitImageSwap[]): JsonPatchOperation[] {
  return swaps.flatMap((swap) => [
    { op: 'test', path: `/spec/containers/${swap.index}/name`, value: swap.name },
    { op: 'test', path: `/spec/containers/${swap.index}/image`, value: pod.spec?.containers[swap.index]?.image ?? '' },
    { op: 'replace', path: `/spec/containers/${swap.index}/image`, value: swap.value },
  ]) as JsonPatchOperation[];
}

export function apiServerJobExitWriter(kubeConfig: KubeConfig, countWrite: (kind: string) => void = () => {}): JobExitWriter {
  return {
    async swapImages(pod, swaps) {
      countWrite('job-exit-swap');
      await requestJson(kubeConfig, 'PATCH', podPath(pod), {}, swapPatch(pod, swaps), 'application/json-patch+json');
    },
    async setPhase(pod, phase, now) {
      countWrite('job-exit-phase');
      const condition = { type: SIDECAR_TERMINATED_CONDITION, status: 'True', reason: 'AppContainersEnded', message: 'the app containers ended; sidecars with KRUISE_TERMINATE_SIDECAR_IGNORE_EXIT_CODE do not decide the phase', lastTransitionTime: now.toISOString().replace(/\.\d+Z$/, 'Z') };
      await requestJson(kubeConfig, 'PATCH', `${podPath(pod)}/status`, {}, { status: { phase, conditions: [condition] } }, 'application/strategic-merge-patch+json');
    },
  };
}

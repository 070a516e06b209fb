// Every write the controller makes, in one place: pod upgrades (JSON patch guarded by a
// resourceVersion test; resources through the pods/resize subresource), the pod condition that explains a pod not upgraded, SidecarSet status, and
// ControllerRevisions. Counted per kind for the "writes per upgraded pod" figure.
import type { KubeConfig } from '@kubernetes/client-node';
import { JsonText, requestJson, SidecarSetV1beta1Client, type ControllerRevision, type JsonPatchOperation, type Pod, type SidecarSet, type SidecarSetStatus } from '@sidecarset/api';

import { goJsonStringify, toV1alpha1, toV1beta1 } from '@sidecarset/core';

export const UPGRADABLE_CONDITION = 'SidecarSetUpgradable';

export interface ClusterWriter {
  /** Resolves with the pod as the API server stored it (writers that store nothing may return nothing). */
  patchPod(pod: Pod, patch: JsonPatchOperation[]): Promise<Pod | void>;
  /** A JSON patch of the pods/resize subresource; resolves with the pod as stored (or nothing, as patchPod). */
  resizePod(pod: Pod, patch: JsonPatchOperation[]): Promise<Pod | void>;
  setPodCondition(pod: Pod, condition: { status: 'True' | 'False'; reason: string; message: string }, now: Date): Promise<void>;
  /** Resolves with the SidecarSet as the API server stored it (writers that store nothing may return nothing). */
  updateSidecarSetStatus(sidecarSet: SidecarSet, status: SidecarSetStatus): Promise<SidecarSet | void>;
  createRevision(revision: ControllerRevision): Promise<ControllerRevision>;
  deleteRevision(revision: ControllerRevision): Promise<void>;
}

export function apiServerWriter(kubeConfig: KubeConfig, countWrite: (kind: string) => void = () => {}): ClusterWriter {
  // The stored version (v1beta1): a status write needs no conversion webhook; the status is the same in both.
  const sidecarSets = new SidecarSetV1beta1Client(kubeConfig);
  const podPath = (pod: Pod) => `/api/v1/namespaces/${pod.metadata?.namespace}/pods/${pod.metadata?.name}`;
  return {
    async patchPod(pod, patch) {
      countWrite('pod-upgrade');
      return requestJson<Pod>(kubeConfig, 'PATCH', podPath(pod), {}, patch, 'application/json-patch+json');
    },
    async resizePod(pod, patch) {
      countWrite('pod-resize');
      return requestJson<Pod>(kubeConfig, 'PATCH', `${podPath(pod)}/resize`, {}, patch, 'application/json-patch+json');
    },
    async setPodCondition(pod, condition, now) {
      countWrite('pod-condition');
      // Strategic merge: conditions merge by type, so the kubelet's own conditions stay.
      const body = { status: { conditions: [{ type: UPGRADABLE_CONDITION, ...condition, lastTransitionTime: now.toISOString().replace(/\.\d+Z$/, 'Z') }] } };
      await requestJson(kubeConfig, 'PATCH', `${podPath(pod)}/status`, {}, body, 'application/strategic-merge-patch+json');
    },
    async updateSidecarSetStatus(sidecarSet, status) {
      countWrite('sidecarset-status');
      // The status as OpenKruise's controller writes it: through its Go types (zero omitempty counts
      // such as updatedReadyPods left out), with collisionCount always set (0 when there never was a
      // collision). Read through either version, it then equals OpenKruise's (tools/kruise conversion suite).
      const stored = toV1beta1({ ...sidecarSet, status: { ...status, collisionCount: status.collisionCount ?? 0 } });
      return toV1alpha1(await sidecarSets.updateStatus(stored));
    },
    async createRevision(revision) {
      countWrite('controllerrevision');
      // The data goes as the bytes Go writes (sorted keys, `&` as \u0026): OpenKruise reuses a
      // revision of the same name only when its data is byte-identical to what it would write.
      const { data, ...rest } = revision;
      const body = new JsonText(`${JSON.stringify(rest).slice(0, -1)},"data":${goJsonStringify(data)}}`);
      return requestJson<ControllerRevision>(kubeConfig, 'POST', `/apis/apps/v1/namespaces/${revision.metadata?.namespace}/controllerrevisions`, {}, body);
    },
    async deleteRevision(revision) {
      countWrite('controllerrevision');
      await requestJson(kubeConfig, 'DELETE', `/apis/apps/v1/namespaces/${revision.metadata?.namespace}/controllerrevisions/${revision.metadata?.name}`);
    },
  };
}

import type { KubeConfig } from '@kubernetes/client-node';
import { SIDECAR_SET_RESOURCE, type SidecarSet, type SidecarSetList } from '../generated/index.js';
import { ClusterResourceClient } from './clusterResourceClient.js';

/** SidecarSets (apps.kruise.io/v1alpha1, cluster-scoped, status subresource). */
export class SidecarSetClient extends ClusterResourceClient<SidecarSet, SidecarSetList> {
  constructor(kubeConfig: KubeConfig) {
    super(kubeConfig, SIDECAR_SET_RESOURCE);
  }
}

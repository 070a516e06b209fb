import type { KubeConfig } from '@kubernetes/client-node';
import { SIDECAR_SET_V1BETA1_RESOURCE, type SidecarSetV1Beta1, type SidecarSetV1Beta1List } from '../generated/index.js';
import { ClusterResourceClient } from './clusterResourceClient.js';

/**
 * SidecarSets as apps.kruise.io/v1beta1, the version they are stored in: reading it needs no
 * conversion webhook (the API server calls /convert only to serve another version).
 */
export class SidecarSetV1beta1Client extends ClusterResourceClient<SidecarSetV1Beta1, SidecarSetV1Beta1List> {
  constructor(kubeConfig: KubeConfig) {
    super(kubeConfig, SIDECAR_SET_V1BETA1_RESOURCE);
  }
}

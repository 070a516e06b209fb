import type { KubeConfig } from '@kubernetes/client-node';
import {
  SIDECAR_SET_RESOURCE_BINDING_RESOURCE,
  type SidecarSetResourceBinding,
  type SidecarSetResourceBindingList,
} from '../generated/index.js';
import { NamespacedResourceClient } from './namespacedResourceClient.js';

/** SidecarSetResourceBindings (sidecarset.alibabacloud.com/v1alpha1, namespaced). */
export class SidecarSetResourceBindingClient extends NamespacedResourceClient<
  SidecarSetResourceBinding,
  SidecarSetResourceBindingList
> {
  constructor(kubeConfig: KubeConfig) {
    super(kubeConfig, SIDECAR_SET_RESOURCE_BINDING_RESOURCE);
  }
}

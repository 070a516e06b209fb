export * from './errors.js';
export { errorFromStatus, toKubernetesApiError } from './toKubernetesApiError.js';
export * from './kubeConfig.js';
export { ALL_NAMESPACES, type ResourceType } from './resourceType.js';
export type { ListPage } from './listPages.js';
export type { ApplyPatch, JsonPatchOperation, MergePatch, PatchBody, PatchOptions, PatchType } from './patchOptions.js';
export type { WatchBookmark, WatchEvent } from './watchEvent.js';
export { resumableWatch, type ResumableWatchOptions, type WatchSource } from './resumableWatch.js';
export { type BackoffPolicy, DEFAULT_BACKOFF } from './watchResume.js';
export {
  CustomResourceClient,
  type DeleteOptions,
  type KubernetesList,
  type KubernetesObject,
  type ListAllOptions,
  type ListOptions,
  type WatchOptions,
  type WriteOptions,
} from './customResourceClient.js';
export { ClusterResourceClient } from './clusterResourceClient.js';
export { NamespacedResourceClient } from './namespacedResourceClient.js';
export { SidecarSetClient } from './sidecarSetClient.js';
export { SidecarSetV1beta1Client } from './sidecarSetV1beta1Client.js';
export { SidecarSetResourceBindingClient } from './sidecarSetResourceBindingClient.js';

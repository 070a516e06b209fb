export { Informer, objectKey, withoutManagedFields, type InformerEvent, type InformerOptions, type OpenWatch } from './informer.js';
export { controllerRevisionInformer, namespaceInformer, pathInformer, podInformer, sidecarSetInformer } from './resourceInformers.js';
export { mapWatchEvents, storedSidecarSetInformer } from './storedSidecarSetInformer.js';

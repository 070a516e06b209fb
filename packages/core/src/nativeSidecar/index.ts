export { parseKubeVersion, supportsNativeSidecars, NATIVE_SIDECAR_MIN_VERSION, type KubeVersion } from './kubeletVersion.js';
export type { NodeVersion, NodeVersions } from './nodeVersions.js';
export { nativeSidecarSupport, nodesPodCanRunOn, type NativeSidecarSupport } from './nativeSidecarSupport.js';
export { containerAsksNative, sidecarSetAsksNative, ECI_SIDECAR_CONTAINER_ENV, NATIVE_SIDECARS_ANNOTATION } from './nativeSidecarRequests.js';
export { placeNativeSidecars, type NativePlacement } from './placeNativeSidecars.js';

export { defaultSidecarSet, defaultedVolume, DEFAULT_MAX_UNAVAILABLE, DEFAULT_REVISION_HISTORY_LIMIT } from './defaultSidecarSet.js';
export { defaultImagePullPolicy, parseImageReference, type ImageReference } from './imagePullPolicy.js';
export { admitSidecarSet } from './admitSidecarSet.js';

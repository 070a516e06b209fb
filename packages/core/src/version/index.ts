export {
  convertSidecarSet,
  isSidecarSetVersion,
  SIDECARSET_V1ALPHA1,
  SIDECARSET_V1BETA1,
  toV1alpha1,
  toV1beta1,
  type SidecarSetVersion,
} from './convertSidecarSet.js';
export { admitInVersion, internalView } from './admitInVersion.js';

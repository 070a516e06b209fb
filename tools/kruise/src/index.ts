export { startOpenKruise, KRUISE_NAMESPACE, type LabelSelector, type OpenKruise, type OpenKruiseOptions } from './openKruise.js';
export { kruiseBuild, type KruiseBuild } from './kruiseBuild.js';

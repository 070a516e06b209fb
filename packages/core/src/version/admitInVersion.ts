// Admission of a SidecarSet in the version it was written in. The rules read the core's v1alpha1 shape:
// a v1beta1 object is validated through its v1alpha1 view (toV1alpha1, read only), and defaulted as it
// is, then written through OpenKruise's v1beta1 Go layout, so that nothing of it is converted on the way
// (a round trip through v1alpha1 would move a custom-version label into spec.customVersion).
import type { SidecarSet, SidecarSetV1Beta1 } from '@sidecarset/api';
import { admitSidecarSet } from '../defaults/admitSidecarSet.js';
import { goStructValue } from '../hash/goStruct.js';
import { SIDECARSET_V1BETA1, toV1alpha1 } from './convertSidecarSet.js';
import { V1BETA1_STRUCTS } from './goSidecarSetLayouts.js';

const isV1beta1 = (object: unknown): object is SidecarSetV1Beta1 => (object as { apiVersion?: unknown } | null)?.apiVersion === SIDECARSET_V1BETA1;

/** The object the rules read: itself for v1alpha1, its v1alpha1 view for v1beta1. */
export const internalView = (object: unknown): SidecarSet => (isV1beta1(object) ? toV1alpha1(object) : (object as SidecarSet));

/** The object with defaults and hash annotations, in its own version. */
export function admitInVersion(object: SidecarSet | SidecarSetV1Beta1): SidecarSet | SidecarSetV1Beta1 {
  if (!isV1beta1(object)) return admitSidecarSet(object);
  const admitted = admitSidecarSet(object as unknown as SidecarSet) as unknown as SidecarSetV1Beta1;
  return { ...admitted, spec: goStructValue(admitted.spec, 'SidecarSetSpec', V1BETA1_STRUCTS) as SidecarSetV1Beta1['spec'] };
}

// The encoding/json layouts OpenKruise v1.9.0's conversion writes its SidecarSets through: its
// v1alpha1 SidecarSetSpec (hash/goSidecarSetSpec.ts, generated from its Go types), the v1beta1 one
// derived from it as apis/apps/v1beta1/sidecarset_types.go declares it (no `namespace`, a trailing
// `customVersion`), and SidecarSetStatus, the same in both versions.
import { SIDECARSET_SPEC_STRUCTS } from '../hash/goSidecarSetSpec.js';
import type { GoField, GoStructs } from '../hash/goStruct.js';

const STATUS: readonly GoField[] = [
  ['observedGeneration', 'int', true],
  ['matchedPods', 'int', false],
  ['updatedPods', 'int', false],
  ['readyPods', 'int', false],
  ['updatedReadyPods', 'int', true],
  ['latestRevision', 'string', true],
  ['collisionCount', '*int', true],
];

export const V1ALPHA1_STRUCTS: GoStructs = { ...SIDECARSET_SPEC_STRUCTS, SidecarSetStatus: STATUS };

export const V1BETA1_STRUCTS: GoStructs = {
  ...V1ALPHA1_STRUCTS,
  SidecarSetSpec: [...SIDECARSET_SPEC_STRUCTS.SidecarSetSpec!.filter(([name]) => name !== 'namespace'), ['customVersion', 'string', true]],
};

/** The spec members a version's Go type has (any other is dropped by the conversion, as Go drops it). */
export const specFieldsOf = (structs: GoStructs): ReadonlySet<string> => new Set(structs.SidecarSetSpec!.map(([name]) => name));

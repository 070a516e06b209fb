// SidecarSet apps.kruise.io/v1alpha1 <-> v1beta1, as OpenKruise v1.9.0's conversion webhook converts
// (apis/apps/v1alpha1/sidecarset_conversion.go), including what it loses:
// - v1alpha1 -> v1beta1: a non-empty `namespace` becomes namespaceSelector
//   {matchLabels: {kubernetes.io/metadata.name: <namespace>}}, replacing any namespaceSelector; the label
//   apps.kruise.io/sidecarset-custom-version (when present, even empty) moves to spec.customVersion.
// - v1beta1 -> v1alpha1: namespaceSelector is copied (a namespace is never restored); a non-empty
//   spec.customVersion becomes that label, replacing the label's value.
// - Both ways the object is written as encoding/json writes the Go types: spec members Go does not
//   have dropped (v1alpha1's deprecated `strategy`), zero structs written (`updateStrategy: {}`,
//   `resources: {}`), zero values of omitempty fields left out, and a status always present with
//   matchedPods, updatedPods and readyPods (0 when absent).
// The core works on v1alpha1, the shape that carries both spellings; apps convert at their edges.
import type { FieldError, SidecarSet, SidecarSetV1Beta1 } from '@sidecarset/api';
import { CUSTOM_VERSION_LABEL } from '../annotations.js';
import { invalid, notSupported } from '../validation/fieldErrors.js';
// The label the API server sets on every Namespace (Kubernetes >= 1.21), which OpenKruise selects a namespace by.
import { NAMESPACE_NAME_LABEL } from '../validation/sidecarSetScope.js';
import { goStructValue, type GoStructs } from '../hash/goStruct.js';
import { specFieldsOf, V1ALPHA1_STRUCTS, V1BETA1_STRUCTS } from './goSidecarSetLayouts.js';

export const SIDECARSET_V1ALPHA1 = 'apps.kruise.io/v1alpha1';
export const SIDECARSET_V1BETA1 = 'apps.kruise.io/v1beta1';

const VERSIONS = [SIDECARSET_V1ALPHA1, SIDECARSET_V1BETA1] as const;
export type SidecarSetVersion = typeof SIDECARSET_V1ALPHA1 | typeof SIDECARSET_V1BETA1;
export const isSidecarSetVersion = (apiVersion: unknown): apiVersion is SidecarSetVersion => apiVersion === SIDECARSET_V1ALPHA1 || apiVersion === SIDECARSET_V1BETA1;

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export function toV1beta1(sidecarSet: SidecarSet): SidecarSetV1Beta1 {
  const source = sidecarSet as unknown as Json;
  const spec = isRecord(source.spec) ? { ...source.spec } : {};
  const metadata = isRecord(source.metadata) ? { ...source.metadata } : {};
  const labels = isRecord(metadata.labels) ? { ...metadata.labels } : undefined;
  const namespace = spec.namespace;
  delete spec.namespace;
  if (typeof namespace === 'string' && namespace !== '') spec.namespaceSelector = { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } };
  if (labels && Object.hasOwn(labels, CUSTOM_VERSION_LABEL)) {
    spec.customVersion = labels[CUSTOM_VERSION_LABEL];
    delete labels[CUSTOM_VERSION_LABEL];
  }
  return written(SIDECARSET_V1BETA1, source, withLabels(metadata, labels), spec, V1BETA1_STRUCTS) as unknown as SidecarSetV1Beta1;
}

export function toV1alpha1(sidecarSet: SidecarSetV1Beta1): SidecarSet {
  const source = sidecarSet as unknown as Json;
  const spec = isRecord(source.spec) ? { ...source.spec } : {};
  const metadata = isRecord(source.metadata) ? { ...source.metadata } : {};
  let labels = isRecord(metadata.labels) ? { ...metadata.labels } : undefined;
  const customVersion = spec.customVersion;
  delete spec.customVersion;
  if (typeof customVersion === 'string' && customVersion !== '') labels = { ...labels, [CUSTOM_VERSION_LABEL]: customVersion };
  return written(SIDECARSET_V1ALPHA1, source, withLabels(metadata, labels), spec, V1ALPHA1_STRUCTS) as unknown as SidecarSet;
}

/** The object converted to `apiVersion`, or the field error that stops it (a conversion changes no other group or kind). */
export function convertSidecarSet(object: unknown, apiVersion: string): { object: SidecarSet | SidecarSetV1Beta1 } | { error: FieldError } {
  if (!isSidecarSetVersion(apiVersion)) return { error: notSupported('desiredAPIVersion', apiVersion, VERSIONS) };
  if (!isRecord(object)) return { error: invalid('object', typeof object, 'must be an object') };
  if (object.kind !== 'SidecarSet') return { error: notSupported('kind', object.kind, ['SidecarSet']) };
  if (!isSidecarSetVersion(object.apiVersion)) return { error: notSupported('apiVersion', object.apiVersion, VERSIONS) };
  if (object.apiVersion === apiVersion) return { object: object as unknown as SidecarSet };
  return { object: apiVersion === SIDECARSET_V1BETA1 ? toV1beta1(object as unknown as SidecarSet) : toV1alpha1(object as unknown as SidecarSetV1Beta1) };
}

/** Labels as Go's ObjectMeta writes them: an empty map is left out. */
function withLabels(metadata: Json, labels: Json | undefined): Json {
  const out = { ...metadata };
  if (labels && Object.keys(labels).length > 0) out.labels = labels;
  else delete out.labels;
  if (isRecord(out.annotations) && Object.keys(out.annotations).length === 0) delete out.annotations;
  return out;
}

function written(apiVersion: SidecarSetVersion, source: Json, metadata: Json, spec: Json, structs: GoStructs): Json {
  const known = specFieldsOf(structs);
  const goSpec = Object.fromEntries(Object.entries(spec).filter(([key]) => known.has(key)));
  return {
    apiVersion,
    kind: 'SidecarSet',
    metadata,
    spec: goStructValue(goSpec, 'SidecarSetSpec', structs),
    status: goStructValue(isRecord(source.status) ? source.status : {}, 'SidecarSetStatus', structs),
  };
}

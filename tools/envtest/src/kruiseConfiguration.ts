// OpenKruise's cluster configuration ConfigMap, kruise-configuration, whose key
// SidecarSet_PatchPodMetadata_WhiteList allows SidecarSets to patch pod annotations. OpenKruise reads
// it in kruise-system, Sidecarset's webhook in its own namespace (sidecarset-system): tests and
// benchmarks that apply SidecarSets with patchPodMetadata put the same whitelist there first.
import type { ControlPlane } from './controlPlane.js';
import { SIDECARSET_NAMESPACE } from './sidecarsetController.js';

export const KRUISE_CONFIGURATION = 'kruise-configuration';
export const PATCH_METADATA_WHITELIST_KEY = 'SidecarSet_PatchPodMetadata_WhiteList';

export interface PatchMetadataWhitelistRule {
  /** A label selector over SidecarSet labels; absent: every SidecarSet. */
  selector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  /** RE2 expressions matched anywhere in an annotation key. */
  allowedAnnotationKeyExprs: string[];
}

/** The Namespace and the ConfigMap holding `rules`, as objects for `kubectl apply`. */
export function kruiseConfigurationObjects(rules: PatchMetadataWhitelistRule[], namespace = SIDECARSET_NAMESPACE): object[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: KRUISE_CONFIGURATION, namespace },
      data: { [PATCH_METADATA_WHITELIST_KEY]: JSON.stringify({ rules }) },
    },
  ];
}

/** Applies (creates or replaces) the whitelist in `namespace`, creating the namespace when needed. */
export async function applyPatchMetadataWhitelist(plane: ControlPlane, rules: PatchMetadataWhitelistRule[], namespace = SIDECARSET_NAMESPACE): Promise<void> {
  const list = { apiVersion: 'v1', kind: 'List', items: kruiseConfigurationObjects(rules, namespace) };
  const { code, stderr } = await plane.kubectl(['apply', '-f', '-'], JSON.stringify(list));
  if (code !== 0) throw new Error(`applying ${namespace}/${KRUISE_CONFIGURATION}: ${stderr}`);
}

// The API identity a client needs, as the generated SIDECAR_SET_RESOURCE constants carry it.

export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  /** Namespaced resources live under /namespaces/{ns}/; cluster-scoped ones do not. */
  namespaced: boolean;
}

/**
 * Passed as the namespace of a namespaced client's list/listAll/watch to cover every namespace,
 * as client-go's metav1.NamespaceAll.
 */
export const ALL_NAMESPACES = '';

export const apiVersionOf = (resource: ResourceType): string => `${resource.group}/${resource.version}`;

/** URL path of the collection, as client-node's Watch wants it. */
export function collectionPath(resource: ResourceType, namespace: string | undefined): string {
  const base = `/apis/${encodeURIComponent(resource.group)}/${encodeURIComponent(resource.version)}`;
  const scope = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${scope}/${encodeURIComponent(resource.plural)}`;
}

// A source: a ConfigMap or Secret of another namespace that a SidecarSet volume names as
// `NAMESPACE/NAME` (docs/design/cross-namespace-mirrors.md). A plain name (no '/') is not a source.

export type SourceKind = 'ConfigMap' | 'Secret';

export interface CrossNamespaceSource {
  kind: SourceKind;
  namespace: string;
  name: string;
}

/** `NAMESPACE/NAME` split at its one '/'; undefined for a plain name (no '/'). Not validated: see validateSourceRef. */
export function splitSourceRef(value: string): { namespace: string; name: string } | undefined {
  const slash = value.indexOf('/');
  if (slash < 0) return undefined;
  return { namespace: value.slice(0, slash), name: value.slice(slash + 1) };
}

/** `Kind/namespace/name`: the form of the mirror-source and pod mirrors annotations. */
export const sourceKey = (source: CrossNamespaceSource): string => `${source.kind}/${source.namespace}/${source.name}`;

/** The reverse of sourceKey; undefined for anything else. */
export function parseSourceKey(key: string): CrossNamespaceSource | undefined {
  const parts = key.split('/');
  if (parts.length !== 3) return undefined;
  const [kind, namespace, name] = parts as [string, string, string];
  if ((kind !== 'ConfigMap' && kind !== 'Secret') || !namespace || !name) return undefined;
  return { kind, namespace, name };
}

export const sameSource = (a: CrossNamespaceSource, b: CrossNamespaceSource): boolean => a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;

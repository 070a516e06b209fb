// Labels of the namespace a pod lands in, for SidecarSet namespaceSelectors. The API server labels
// every namespace with `kubernetes.io/metadata.name`; offline we do the same.
const NAME_LABEL = 'kubernetes.io/metadata.name';

export type Labels = Record<string, string>;

/** `--namespace-labels team=a,env=prod` -> { team: 'a', env: 'prod' }; an error message when malformed. */
export function parseNamespaceLabelsFlag(flag: string): Labels | { error: string } {
  const labels: Labels = {};
  for (const pair of flag.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const equals = pair.indexOf('=');
    const key = equals < 0 ? '' : pair.slice(0, equals).trim();
    if (!key) return { error: `"${pair}" is not key=value` };
    labels[key] = pair.slice(equals + 1).trim();
  }
  return labels;
}

export interface NamespaceLabelSources {
  /** The -n namespace (or `default`), whose labels --namespace-labels gives. */
  flagNamespace: string;
  flagLabels: Labels | undefined;
  /** Labels of Namespace documents found in the --sidecarsets paths. */
  documents: Record<string, Labels>;
}

/** A namespace's labels: --namespace-labels for the -n namespace, else its Namespace document, else the name label alone. */
export function namespaceLabelsFor(namespace: string, sources: NamespaceLabelSources): Labels {
  if (namespace === sources.flagNamespace && sources.flagLabels) return { [NAME_LABEL]: namespace, ...sources.flagLabels };
  return sources.documents[namespace] ?? { [NAME_LABEL]: namespace };
}

// Prints documents as kubectl would: `-o json` gives the object alone, or a v1 List of several;
// `-o yaml` (the default) gives one YAML document per input document, keys in their input order.
import { stringify } from 'yaml';

export type OutputFormat = 'yaml' | 'json';

export function renderOutput(documents: readonly unknown[], format: OutputFormat): string {
  if (format === 'json') {
    const single = documents.length === 1 ? documents[0] : { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: documents };
    return `${JSON.stringify(single, null, 2)}\n`;
  }
  // As kubectl writes YAML: lists not indented under their key, long strings never folded, and no
  // anchors or aliases for objects that happen to be shared in memory.
  const options = { indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false } as const;
  return documents.map((document) => stringify(document, options)).join('---\n');
}

// A copy of a structural schema in which every object with declared properties rejects unknown
// ones: the API server's strict field validation, expressed in JSON Schema.
type Schema = { [key: string]: unknown };

export function strictSchema(schema: unknown): Schema {
  return tighten(structuredClone(schema) as Schema);
}

function tighten(node: Schema): Schema {
  if (node.properties && node.additionalProperties === undefined && !node['x-kubernetes-preserve-unknown-fields']) {
    node.additionalProperties = false;
  }
  for (const child of Object.values((node.properties as Record<string, Schema>) ?? {})) tighten(child);
  if (node.items && typeof node.items === 'object') tighten(node.items as Schema);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') tighten(node.additionalProperties as Schema);
  return node;
}

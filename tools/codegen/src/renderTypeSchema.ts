// Renders a schema source as plain JSON schema for json-schema-to-typescript: Kubernetes types
// become references to the aliases in generated/kubernetes.ts, named definitions become named types.
import type { JsonSchema } from './kubernetesOpenApi.ts';
import { mapChildren, type SourceSchema } from './schemaSource.ts';

/** TypeScript alias for a Kubernetes OpenAPI component name: its last segment. */
export const kubernetesAlias = (component: string): string => component.slice(component.lastIndexOf('.') + 1);

export function renderTypeSchema(node: SourceSchema, used: Set<string>): JsonSchema {
  const render = (n: SourceSchema): JsonSchema => renderTypeSchema(n, used);
  const { $k8s, $extend, $def, $intOrString, ...rest } = node;
  const description = rest.description as string | undefined;
  const withDescription = (s: JsonSchema): JsonSchema => (description === undefined ? s : { ...s, description });
  if ($def !== undefined) return withDescription({ $ref: `#/definitions/${$def}` });
  if ($k8s !== undefined) {
    const alias = kubernetesAlias($k8s);
    used.add(alias);
    if (!$extend) return withDescription({ tsType: alias });
    return withDescription({
      allOf: [
        { tsType: alias },
        {
          type: 'object',
          properties: Object.fromEntries(Object.entries($extend).map(([k, v]) => [k, render(v)])),
        },
      ],
    });
  }
  if ($intOrString !== undefined) return withDescription({ tsType: 'number | string' });
  return mapChildren(rest, render);
}

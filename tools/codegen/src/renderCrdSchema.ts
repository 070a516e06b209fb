// Renders a schema source as a structural openAPIV3Schema: Kubernetes types inlined, named
// definitions inlined, int-or-string in the form the apiextensions API accepts.
import { structuralSchema, type JsonSchema, type KubernetesOpenApi } from './kubernetesOpenApi.ts';
import { mapChildren, type SourceSchema } from './schemaSource.ts';

export function renderCrdSchema(
  node: SourceSchema,
  api: KubernetesOpenApi,
  definitions: Record<string, SourceSchema>,
): JsonSchema {
  const render = (n: SourceSchema): JsonSchema => renderCrdSchema(n, api, definitions);
  const { $k8s, $extend, $def, $intOrString, title: _title, ...rest } = node;
  const description = rest.description as string | undefined;
  if ($def !== undefined) {
    const target = definitions[$def];
    if (!target) throw new Error(`schema source refers to unknown definition ${$def}`);
    const out = render(target);
    return description === undefined ? out : { ...out, description };
  }
  if ($k8s !== undefined) {
    const out = structuralSchema(api, $k8s);
    if ($extend) {
      const extra = Object.fromEntries(Object.entries($extend).map(([k, v]) => [k, render(v)]));
      out.properties = { ...(out.properties as Record<string, JsonSchema>), ...extra };
    }
    return description === undefined ? out : { ...out, description };
  }
  if ($intOrString !== undefined) {
    return {
      ...(description === undefined ? {} : { description }),
      'x-kubernetes-int-or-string': true,
      anyOf: [{ type: 'integer' }, { type: 'string' }],
      pattern: $intOrString.pattern,
    };
  }
  return mapChildren(rest, render);
}

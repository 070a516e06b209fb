// A small vocabulary for writing schema sources once and rendering them twice: as a structural CRD
// schema (Kubernetes types inlined) and as a JSON schema for json-schema-to-typescript (Kubernetes
// types referenced by their TypeScript alias).
import type { JsonSchema } from './kubernetesOpenApi.ts';

/** A node of a schema source: plain JSON schema plus three markers the renderers resolve. */
export type SourceSchema = JsonSchema & {
  /** A Kubernetes OpenAPI component, e.g. io.k8s.api.core.v1.Container. */
  $k8s?: string;
  /** Extra properties added to the $k8s type (a SidecarContainer is a Container plus fields). */
  $extend?: Record<string, SourceSchema>;
  /** A named definition of this source (rendered inline in the CRD, as a named type in TypeScript). */
  $def?: string;
  /** int-or-string with the given string pattern. */
  $intOrString?: { pattern: string };
};

const describe = (description?: string) => (description === undefined ? {} : { description });

export const k8s = (name: string, description?: string): SourceSchema => ({ $k8s: name, ...describe(description) });
export const def = (name: string, description?: string): SourceSchema => ({ $def: name, ...describe(description) });
export const str = (description: string, extra: JsonSchema = {}): SourceSchema => ({ type: 'string', description, ...extra });
export const bool = (description: string): SourceSchema => ({ type: 'boolean', description });
export const int32 = (description: string, extra: JsonSchema = {}): SourceSchema => ({ type: 'integer', format: 'int32', description, ...extra });
export const int64 = (description: string, extra: JsonSchema = {}): SourceSchema => ({ type: 'integer', format: 'int64', description, ...extra });
export const oneOfStrings = (values: string[], description: string): SourceSchema => ({ type: 'string', enum: values, description });
export const list = (items: SourceSchema, description: string, extra: JsonSchema = {}): SourceSchema => ({
  type: 'array',
  description,
  items,
  ...extra,
});
export const stringMap = (description: string): SourceSchema => ({
  type: 'object',
  description,
  additionalProperties: { type: 'string' },
});
export const object = (
  properties: Record<string, SourceSchema>,
  description: string,
  required: string[] = [],
): SourceSchema => ({
  type: 'object',
  description,
  properties,
  ...(required.length ? { required } : {}),
});
/** An int, or a string matching `pattern` (for "N%" fields). */
export const intOrString = (pattern: string, description: string): SourceSchema => ({
  $intOrString: { pattern },
  description,
});

/** "N%" with N from 0 to 100. */
export const PERCENT_PATTERN = '^(100|[1-9]?[0-9])%$';

/** Gives a schema a TypeScript type name (ignored in the CRD). */
export const named = (title: string, schema: SourceSchema): SourceSchema => ({ ...schema, title });

/** Copies a plain schema node with `render` applied to its properties, items and additionalProperties. */
export function mapChildren<R>(rest: JsonSchema, render: (child: SourceSchema) => R): JsonSchema {
  const out: JsonSchema = { ...rest };
  if (rest.properties) {
    out.properties = Object.fromEntries(Object.entries(rest.properties as Record<string, SourceSchema>).map(([k, v]) => [k, render(v)]));
  }
  if (rest.items) out.items = render(rest.items as SourceSchema);
  if (typeof rest.additionalProperties === 'object') out.additionalProperties = render(rest.additionalProperties as SourceSchema);
  return out;
}

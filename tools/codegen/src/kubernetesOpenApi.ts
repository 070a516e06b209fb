// Reads the pinned Kubernetes OpenAPI v3 subset (data/kubernetes-openapi.json, refreshed by
// scripts/vendor-kubernetes-openapi.ts) and turns its component schemas into the self-contained,
// structural form a CustomResourceDefinition needs.
import { readFileSync } from 'node:fs';

export type JsonSchema = { [key: string]: unknown };

export interface KubernetesOpenApi {
  version: string;
  schemas: Record<string, JsonSchema>;
}

export function loadKubernetesOpenApi(path: string): KubernetesOpenApi {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as {
    info: { version: string };
    components: { schemas: Record<string, JsonSchema> };
  };
  return { version: doc.info.version, schemas: doc.components.schemas };
}

const REF_PREFIX = '#/components/schemas/';

// Extensions a CRD schema accepts; the OpenAPI documents carry more (patch strategies, unions, GVKs)
// that the apiextensions API rejects.
const CRD_EXTENSIONS = new Set([
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-validations',
]);

// Quantity and IntOrString appear in the documents as `oneOf` or plain strings; a structural schema
// spells both as int-or-string (how controller-gen writes Quantity, so `cpu: 1` stays valid).
const INT_OR_STRING: JsonSchema = {
  'x-kubernetes-int-or-string': true,
  anyOf: [{ type: 'integer' }, { type: 'string' }],
};
const QUANTITY: JsonSchema = {
  ...INT_OR_STRING,
  pattern: '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
};
const SPECIAL: Record<string, JsonSchema> = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': INT_OR_STRING,
  'io.k8s.apimachinery.pkg.api.resource.Quantity': QUANTITY,
};

/**
 * Defaults the OpenAPI documents give a field that Kubernetes leaves unset (a Go pointer without a
 * defaulting function). A CRD applies every schema default, so these would store (and hash) a value
 * where a Pod, and OpenKruise's SidecarSet, has none: GRPCAction.service `""` instead of absent (its
 * hash writes `"service":null`).
 */
const DEFAULTS_NOT_APPLIED = new Set(['io.k8s.api.core.v1.GRPCAction.service']);

/** The named schema with every $ref inlined, unknown extensions and object defaults removed. */
export function structuralSchema(api: KubernetesOpenApi, name: string, trail: string[] = []): JsonSchema {
  if (SPECIAL[name]) return structuredClone(SPECIAL[name]);
  const schema = api.schemas[name];
  if (!schema) throw new Error(`Kubernetes schema ${name} is not in the vendored OpenAPI subset`);
  if (trail.includes(name)) throw new Error(`recursive schema ${[...trail, name].join(' -> ')}`);
  return clean(api, schema, [...trail, name]);
}

function clean(api: KubernetesOpenApi, schema: JsonSchema, trail: string[]): JsonSchema {
  const ref = refOf(schema);
  if (ref) {
    const inlined = structuralSchema(api, ref, trail);
    const description = schema.description ?? inlined.description;
    return description === undefined ? inlined : { ...inlined, description };
  }
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-') && !CRD_EXTENSIONS.has(key)) continue;
    // A list the OpenAPI documents key by a field (env by name, ports by containerPort and protocol)
    // is written atomic: for a CRD the API server would refuse two items with one key, which the Pod
    // API allows (env, ports: a warning) or checks itself; the webhook checks what the Pod API checks.
    if (key === 'x-kubernetes-list-map-keys') continue;
    if (key === 'x-kubernetes-list-type' && value === 'map') {
      out[key] = 'atomic';
      continue;
    }
    if (key === 'default' && (typeof value === 'object' && value !== null)) continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, JsonSchema>).map(([p, s]) => [p, withoutUnappliedDefault(trail.at(-1)!, p, clean(api, s, trail))]),
      );
    } else if (key === 'items' || key === 'additionalProperties') {
      out[key] = typeof value === 'object' && value !== null ? clean(api, value as JsonSchema, trail) : value;
    } else {
      out[key] = value;
    }
  }
  return out;
}

function withoutUnappliedDefault(schemaName: string, property: string, schema: JsonSchema): JsonSchema {
  if (!DEFAULTS_NOT_APPLIED.has(`${schemaName}.${property}`)) return schema;
  const { default: _default, ...rest } = schema;
  return rest;
}

/** `$ref` directly, or the `allOf: [{$ref}]` wrapper the v3 documents use to attach a description. */
function refOf(schema: JsonSchema): string | undefined {
  const direct = schema.$ref;
  if (typeof direct === 'string') return direct.slice(REF_PREFIX.length);
  const allOf = schema.allOf as JsonSchema[] | undefined;
  if (allOf?.length === 1 && typeof allOf[0]?.$ref === 'string') return allOf[0].$ref.slice(REF_PREFIX.length);
  return undefined;
}

// The committed output of `npm run codegen` must be exactly what the sources generate now, and the
// CRDs must carry the fields the compatibility contract names.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { GENERATED_TYPES_DIR, generateAll } from '../src/generateAll.ts';

const ROOT = join(import.meta.dirname, '../../..');
let generated: Map<string, string>;
beforeAll(async () => {
  generated = await generateAll(ROOT);
}, 60_000);

describe('committed generated files', () => {
  it('match a fresh generation (run `npm run codegen` and commit)', () => {
    for (const [path, content] of generated) {
      expect(readFileSync(join(ROOT, path), 'utf8'), `${path} is stale`).toBe(content);
    }
  });

  it('include no file codegen no longer writes', () => {
    const onDisk = [
      ...readdirSync(join(ROOT, 'crds')).map((f) => `crds/${f}`),
      ...readdirSync(join(ROOT, GENERATED_TYPES_DIR)).map((f) => `${GENERATED_TYPES_DIR}/${f}`),
    ];
    expect(onDisk.filter((path) => !generated.has(path))).toEqual([]);
  });
});

type Schema = { properties: Record<string, Schema>; items: Schema; [k: string]: unknown };
const crd = (file: string) => {
  const manifest = parse(generated.get(`crds/${file}`)!);
  return { manifest, schema: manifest.spec.versions[0].schema.openAPIV3Schema as Schema };
};

describe('SidecarSet CRD', () => {
  // Found by tools/kruise/test/differentialSidecarSets.integration.test.ts (regression case
  // rg-env-twice): a list keyed by a field is enforced by the API server for a CRD, not for a Pod.
  it('keys no list by a field (env, ports, volumeMounts...): duplicates are the webhook\'s to judge, as the Pod API judges them', () => {
    const text = generated.get('crds/apps.kruise.io_sidecarsets.yaml')!;
    expect(text).not.toContain('x-kubernetes-list-type: map');
    expect(text).not.toContain('x-kubernetes-list-map-keys');
  });

  it('is apps.kruise.io, cluster scoped, serving v1alpha1 and v1beta1 and storing v1beta1 (as OpenKruise 1.9), each with a status subresource', () => {
    const { manifest } = crd('apps.kruise.io_sidecarsets.yaml');
    expect(manifest.metadata.name).toBe('sidecarsets.apps.kruise.io');
    expect(manifest.spec.scope).toBe('Cluster');
    expect(manifest.spec.versions).toHaveLength(2);
    expect(manifest.spec.versions[0]).toMatchObject({ name: 'v1alpha1', served: true, storage: false, subresources: { status: {} } });
    expect(manifest.spec.versions[1]).toMatchObject({ name: 'v1beta1', served: true, storage: true, subresources: { status: {} } });
    for (const version of manifest.spec.versions) {
      expect(version.additionalPrinterColumns.map((c: { name: string }) => c.name)).toEqual(['MATCHED', 'UPDATED', 'READY', 'AGE']);
    }
  });

  it('converts through the webhook Service at /convert, ConversionReview v1', () => {
    const { manifest } = crd('apps.kruise.io_sidecarsets.yaml');
    expect(manifest.spec.conversion).toEqual({
      strategy: 'Webhook',
      webhook: { conversionReviewVersions: ['v1'], clientConfig: { service: { namespace: 'sidecarset-system', name: 'sidecarset-webhook', path: '/convert', port: 443 } } },
    });
  });

  it('v1beta1 has customVersion and no namespace (or deprecated strategy); otherwise the same spec and status as v1alpha1', () => {
    const { manifest } = crd('apps.kruise.io_sidecarsets.yaml');
    const [alpha, beta] = manifest.spec.versions.map((v: { schema: { openAPIV3Schema: Schema } }) => v.schema.openAPIV3Schema.properties);
    expect(Object.keys(beta.spec.properties)).toContain('customVersion');
    expect(Object.keys(beta.spec.properties)).not.toContain('namespace');
    const { namespace: _n, strategy: _s, ...alphaRest } = alpha.spec.properties;
    const { customVersion: _c, ...betaRest } = beta.spec.properties;
    expect(betaRest).toEqual(alphaRest);
    expect(beta.status).toEqual(alpha.status);
  });

  it('inlines core/v1 Container, Volume, LocalObjectReference and LabelSelector', () => {
    const spec = crd('apps.kruise.io_sidecarsets.yaml').schema.properties.spec!;
    expect(spec.properties.containers!.items.properties.image).toMatchObject({ type: 'string' });
    expect(spec.properties.initContainers!.items.properties.restartPolicy).toMatchObject({ type: 'string' });
    expect(spec.properties.volumes!.items.properties.configMap!.properties.name).toMatchObject({ type: 'string' });
    expect(spec.properties.imagePullSecrets!.items.properties.name).toMatchObject({ type: 'string' });
    expect(spec.properties.selector!.properties.matchExpressions!.items.required).toEqual(['key', 'operator']);
  });

  it('spells partition and maxUnavailable as int-or-string with a percentage pattern', () => {
    const strategy = crd('apps.kruise.io_sidecarsets.yaml').schema.properties.spec!.properties.updateStrategy!;
    for (const field of ['partition', 'maxUnavailable']) {
      expect(strategy.properties[field]).toMatchObject({
        'x-kubernetes-int-or-string': true,
        anyOf: [{ type: 'integer' }, { type: 'string' }],
        pattern: '^(100|[1-9]?[0-9])%$',
      });
    }
  });

  it('has the OpenKruise enums', () => {
    const spec = crd('apps.kruise.io_sidecarsets.yaml').schema.properties.spec!;
    const container = spec.properties.containers!.items.properties;
    expect(container.podInjectPolicy!.enum).toEqual(['BeforeAppContainer', 'AfterAppContainer']);
    expect(container.upgradeStrategy!.properties.upgradeType!.enum).toEqual(['ColdUpgrade', 'HotUpgrade']);
    expect(container.shareVolumePolicy!.properties.type!.enum).toEqual(['enabled', 'disabled']);
    expect(spec.properties.updateStrategy!.properties.type!.enum).toEqual(['RollingUpdate', 'NotUpdate']);
    expect(spec.properties.injectionStrategy!.properties.revision!.properties.policy!.enum).toEqual(['Always', 'Partial']);
    expect(spec.properties.patchPodMetadata!.items.properties.patchPolicy!.enum).toEqual(['Retain', 'Overwrite', 'MergePatchJson']);
  });

  it('never preserves unknown fields and keeps no $ref or object defaults', () => {
    const text = generated.get('crds/apps.kruise.io_sidecarsets.yaml')!;
    expect(text).not.toContain('x-kubernetes-preserve-unknown-fields');
    expect(text).not.toContain('$ref');
    expect(text).not.toContain('x-kubernetes-patch-strategy');
    expect(text).not.toMatch(/default: \{\}/);
  });
});

describe('SidecarSetResourceBinding CRD', () => {
  it('is sidecarset.alibabacloud.com/v1alpha1, namespaced, subjects and resourceRefs required', () => {
    const { manifest, schema } = crd('sidecarset.alibabacloud.com_sidecarsetresourcebindings.yaml');
    expect(manifest.spec.scope).toBe('Namespaced');
    expect(manifest.spec.group).toBe('sidecarset.alibabacloud.com');
    const spec = schema.properties.spec!;
    expect(spec.required).toEqual(['subjects', 'resourceRefs']);
    expect(spec.properties.resourceRefs!.items.properties.kind!.enum).toEqual(['ConfigMap', 'Secret']);
    expect(schema.properties.status!.properties.conditions!.items.required).toContain('type');
  });
});

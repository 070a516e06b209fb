import type { SidecarSet, SidecarSetV1Beta1 } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { convertSidecarSet, toV1alpha1, toV1beta1 } from './convertSidecarSet.js';

const LABEL = 'apps.kruise.io/sidecarset-custom-version';
const alpha = (spec: Record<string, unknown>, labels?: Record<string, string>): SidecarSet =>
  ({ apiVersion: 'apps.kruise.io/v1alpha1', kind: 'SidecarSet', metadata: { name: 's', ...(labels ? { labels } : {}) }, spec: { selector: { matchLabels: { app: 'a' } }, ...spec } }) as SidecarSet;
const beta = (spec: Record<string, unknown>, labels?: Record<string, string>): SidecarSetV1Beta1 =>
  ({ apiVersion: 'apps.kruise.io/v1beta1', kind: 'SidecarSet', metadata: { name: 's', ...(labels ? { labels } : {}) }, spec: { selector: { matchLabels: { app: 'a' } }, ...spec } }) as SidecarSetV1Beta1;

describe('v1alpha1 -> v1beta1, as OpenKruise converts', () => {
  it.each([
    ['a namespace becomes a namespaceSelector on kubernetes.io/metadata.name', { namespace: 'shop' }, { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }],
    ['a namespace wins over a namespaceSelector (which is dropped)', { namespace: 'shop', namespaceSelector: { matchLabels: { team: 'x' } } }, { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }],
    ['an empty namespace leaves the namespaceSelector', { namespace: '', namespaceSelector: { matchLabels: { team: 'x' } } }, { matchLabels: { team: 'x' } }],
    ['an empty namespaceSelector stays an empty one', { namespaceSelector: {} }, {}],
    ['neither: none', {}, undefined],
  ])('%s', (_name, spec, namespaceSelector) => {
    const converted = toV1beta1(alpha(spec));
    expect(converted.apiVersion).toBe('apps.kruise.io/v1beta1');
    expect(converted.spec.namespaceSelector).toEqual(namespaceSelector);
    expect(converted.spec).not.toHaveProperty('namespace');
  });

  it('the custom-version label moves to spec.customVersion; labels go when it was the last', () => {
    const converted = toV1beta1(alpha({}, { [LABEL]: 'v2' }));
    expect(converted.spec.customVersion).toBe('v2');
    expect(converted.metadata).not.toHaveProperty('labels');
    const withOthers = toV1beta1(alpha({}, { [LABEL]: 'v2', team: 'x' }));
    expect(withOthers.metadata?.labels).toEqual({ team: 'x' });
  });

  it('an empty custom-version label is dropped and gives no customVersion (omitempty)', () => {
    const converted = toV1beta1(alpha({}, { [LABEL]: '' }));
    expect(converted.spec).not.toHaveProperty('customVersion');
    expect(converted.metadata).not.toHaveProperty('labels');
  });

  it('drops the deprecated strategy spelling (not in the Go types) and writes zero structs and the status as Go does', () => {
    const converted = toV1beta1(alpha({ strategy: { rollingUpdate: { maxUnavailable: 2 } }, containers: [{ name: 'c', image: 'i', resources: { requests: { cpu: '0.5' } } }] }));
    expect(converted.spec).toEqual({
      selector: { matchLabels: { app: 'a' } },
      containers: [{ name: 'c', image: 'i', resources: { requests: { cpu: '500m' } }, upgradeStrategy: {}, shareVolumePolicy: {} }],
      updateStrategy: {},
      injectionStrategy: {},
    });
    expect(converted.status).toEqual({ matchedPods: 0, updatedPods: 0, readyPods: 0 });
  });

  it('keeps status fields, leaving out zero omitempty ones', () => {
    const source = { ...alpha({}), status: { observedGeneration: 3, matchedPods: 4, updatedPods: 2, readyPods: 4, updatedReadyPods: 0, latestRevision: 's-abc', collisionCount: 0 } } as SidecarSet;
    expect(toV1beta1(source).status).toEqual({ observedGeneration: 3, matchedPods: 4, updatedPods: 2, readyPods: 4, latestRevision: 's-abc', collisionCount: 0 });
  });
});

describe('v1beta1 -> v1alpha1, as OpenKruise converts', () => {
  it('copies namespaceSelector; a namespace is never restored', () => {
    const converted = toV1alpha1(beta({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }));
    expect(converted.spec.namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'shop' } });
    expect(converted.spec).not.toHaveProperty('namespace');
  });

  it('a customVersion becomes the label, replacing its value; an empty one leaves the label alone', () => {
    expect(toV1alpha1(beta({ customVersion: 'v3' }, { [LABEL]: 'old', team: 'x' })).metadata?.labels).toEqual({ [LABEL]: 'v3', team: 'x' });
    expect(toV1alpha1(beta({ customVersion: '' }, { [LABEL]: 'old' })).metadata?.labels).toEqual({ [LABEL]: 'old' });
    expect(toV1alpha1(beta({ customVersion: 'v3' })).spec).not.toHaveProperty('customVersion');
  });

  it('a v1alpha1 namespace read back through v1beta1 is a namespaceSelector (the lossy round trip)', () => {
    const back = toV1alpha1(toV1beta1(alpha({ namespace: 'shop' }, { [LABEL]: 'v1' })));
    expect(back.spec).not.toHaveProperty('namespace');
    expect(back.spec.namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'shop' } });
    expect(back.metadata?.labels).toEqual({ [LABEL]: 'v1' });
  });
});

describe('convertSidecarSet', () => {
  it('converts to the desired version, passes the same version through', () => {
    expect(convertSidecarSet(alpha({ namespace: 'n' }), 'apps.kruise.io/v1beta1')).toMatchObject({ object: { apiVersion: 'apps.kruise.io/v1beta1' } });
    expect(convertSidecarSet(beta({}), 'apps.kruise.io/v1beta1')).toEqual({ object: beta({}) });
  });

  it.each([
    ['an unknown desired version', alpha({}), 'apps.kruise.io/v2', 'desiredAPIVersion'],
    ['another kind', { ...alpha({}), kind: 'Pod' }, 'apps.kruise.io/v1beta1', 'kind'],
    ['another group', { ...alpha({}), apiVersion: 'apps/v1' }, 'apps.kruise.io/v1beta1', 'apiVersion'],
    ['not an object', 'x', 'apps.kruise.io/v1beta1', 'object'],
  ])('refuses %s, naming the field', (_name, object, version, path) => {
    expect(convertSidecarSet(object, version)).toMatchObject({ error: { path } });
  });
});

import type { SidecarSet } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { validateSidecarSet } from '../validation/validateSidecarSet.js';
import { toV1alpha1, toV1beta1 } from './convertSidecarSet.js';
import { isStoredNamespaceSelector } from './storedNamespace.js';

const withScope = (scope: Record<string, unknown>): SidecarSet =>
  ({ apiVersion: 'apps.kruise.io/v1alpha1', kind: 'SidecarSet', metadata: { name: 's' }, spec: { selector: { matchLabels: { app: 'a' } }, containers: [{ name: 'c', image: 'i' }], ...scope } }) as SidecarSet;
const scopeErrors = (sidecarSet: SidecarSet) => validateSidecarSet(sidecarSet, undefined, [], []).filter((e) => e.path === 'spec.namespaceSelector');

describe('a v1alpha1 namespace next to the namespaceSelector v1beta1 stored for it', () => {
  it('is what kubectl apply of the original manifest sends after the round trip, and is admitted', () => {
    const stored = toV1alpha1(toV1beta1(withScope({ namespace: 'shop' })));
    const reapplied = { ...stored, spec: { ...stored.spec, namespace: 'shop' } } as SidecarSet;
    expect(scopeErrors(reapplied)).toEqual([]);
  });

  it.each([
    ['another namespace', { namespace: 'shop', namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } } }],
    ['a second label', { namespace: 'shop', namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop', team: 'a' } } }],
    ['an expression too', { namespace: 'shop', namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' }, matchExpressions: [{ key: 'team', operator: 'Exists' }] } }],
    ['another selector', { namespace: 'shop', namespaceSelector: { matchLabels: { team: 'a' } } }],
  ])('is still refused with %s', (_name, scope) => {
    expect(scopeErrors(withScope(scope))).toHaveLength(1);
    expect(isStoredNamespaceSelector(scope.namespace, scope.namespaceSelector)).toBe(false);
  });
});

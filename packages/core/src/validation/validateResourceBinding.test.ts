import type { SidecarSetResourceBinding } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { validateResourceBinding } from './validateResourceBinding.js';

const valid = (): SidecarSetResourceBinding => ({
  apiVersion: 'sidecarset.alibabacloud.com/v1alpha1',
  kind: 'SidecarSetResourceBinding',
  metadata: { name: 'filebeat-binding', namespace: 'kube-system' },
  spec: { subjects: [{ kind: 'SidecarSet', name: 'filebeat-sidecarset' }], resourceRefs: [{ kind: 'ConfigMap', name: 'filebeat-config' }] },
});

describe('validateResourceBinding', () => {
  it.each<[string, (b: SidecarSetResourceBinding) => void, string[]]>([
    ['the base binding is valid', () => {}, []],
    ['a missing name is required', (b) => delete b.metadata!.name, ['metadata.name Required']],
    ['no subjects is rejected', (b) => ((b.spec as { subjects: unknown[] }).subjects = []), ['spec.subjects Required']],
    ['no resourceRefs is rejected', (b) => ((b.spec as { resourceRefs: unknown[] }).resourceRefs = []), ['spec.resourceRefs Required']],
    ['a subject of another kind is not supported', (b) => (b.spec.subjects[0].kind = 'Deployment' as never), ['spec.subjects[0].kind NotSupported']],
    ['a subject name must be a valid SidecarSet name', (b) => (b.spec.subjects[0].name = 'Bad_Name'), ['spec.subjects[0].name Invalid']],
    ['a subject listed twice is rejected', (b) => b.spec.subjects.push({ kind: 'SidecarSet', name: 'filebeat-sidecarset' }), ['spec.subjects[1].name Duplicate']],
    ['a resource of another kind is not supported', (b) => (b.spec.resourceRefs[0].kind = 'PersistentVolumeClaim' as never), ['spec.resourceRefs[0].kind NotSupported']],
    ['a resource name with a namespace is rejected', (b) => (b.spec.resourceRefs[0].name = 'kube-system/filebeat-config'), ['spec.resourceRefs[0].name Invalid']],
    ['a resource listed twice is rejected', (b) => b.spec.resourceRefs.push({ kind: 'ConfigMap', name: 'filebeat-config' }), ['spec.resourceRefs[1].name Duplicate']],
    ['a ConfigMap and a Secret of one name are distinct', (b) => b.spec.resourceRefs.push({ kind: 'Secret', name: 'filebeat-config' }), []],
  ])('%s', (_name, change, expected) => {
    const b = valid();
    change(b);
    expect(validateResourceBinding(b).map((e) => `${e.path} ${e.type}`)).toEqual(expected);
  });
});

import { describe, expect, it } from 'vitest';
import type { SidecarSet, SidecarSetResourceBinding, Volume } from '@sidecarset/api';
import { unauthorisedSourceWarnings } from './unauthorisedSourceWarnings.js';

const sidecarSet = (volumes: Volume[]): SidecarSet => ({ metadata: { name: 'filebeat-sidecarset' }, spec: { selector: {}, containers: [], volumes } }) as SidecarSet;
const seedBinding = {
  metadata: { namespace: 'kube-system', name: 'b' },
  spec: { subjects: [{ kind: 'SidecarSet', name: 'filebeat-sidecarset' }], resourceRefs: [{ kind: 'ConfigMap', name: 'filebeat-config' }] },
} as SidecarSetResourceBinding;

describe('unauthorisedSourceWarnings', () => {
  it.each<[string, Volume[], SidecarSetResourceBinding[], string[]]>([
    ['authorised: none', [{ name: 'config', configMap: { name: 'kube-system/filebeat-config' } }], [seedBinding], []],
    ['plain names: none', [{ name: 'config', configMap: { name: 'filebeat-config' } }], [], []],
    [
      'no binding yet: the source and the binding it lacks',
      [{ name: 'config', configMap: { name: 'kube-system/filebeat-config' } }],
      [],
      [
        'spec.volumes[0].configMap.name: ConfigMap kube-system/filebeat-config: no SidecarSetResourceBinding in namespace kube-system lists SidecarSet "filebeat-sidecarset" and ConfigMap "filebeat-config" yet; pods this SidecarSet injects with it are denied until one does',
      ],
    ],
    [
      'only the unlisted Secret',
      [
        { name: 'config', configMap: { name: 'kube-system/filebeat-config' } },
        { name: 'creds', secret: { secretName: 'kube-system/root-creds' } },
      ],
      [seedBinding],
      ['spec.volumes[1].secret.secretName: Secret kube-system/root-creds: no SidecarSetResourceBinding in namespace kube-system lists SidecarSet "filebeat-sidecarset" and Secret "root-creds" yet; pods this SidecarSet injects with it are denied until one does'],
    ],
    ['an invalid reference is left to validation', [{ name: 'config', configMap: { name: 'Kube/x' } }], [], []],
  ])('%s', (_, volumes, bindings, expected) => {
    expect(unauthorisedSourceWarnings(sidecarSet(volumes), bindings)).toEqual(expected);
  });

  it('at most 10 warnings, the last counting the rest', () => {
    const volumes = Array.from({ length: 25 }, (_, i): Volume => ({ name: `v${i}`, secret: { secretName: `ns/s${i}` } }));
    const warnings = unauthorisedSourceWarnings(sidecarSet(volumes), []);
    expect(warnings).toHaveLength(10);
    expect(warnings[9]).toBe('and 16 more sources no SidecarSetResourceBinding authorises yet');
  });
});

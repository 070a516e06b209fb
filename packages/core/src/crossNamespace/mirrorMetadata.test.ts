import { describe, expect, it } from 'vitest';
import { labelValue, qualifiedName } from '../validation/k8sNames.js';
import { formatPodMirrors, mirrorMetadata } from './mirrorMetadata.js';
import { parseSourceKey } from './source.js';

describe('mirrorMetadata', () => {
  const source = { kind: 'ConfigMap', namespace: 'kube-system', name: 'filebeat-config' } as const;

  it('labels and annotations as the design note gives them; bindings sorted and de-duplicated', () => {
    expect(mirrorMetadata(source, ['z', 'a', 'z'])).toEqual({
      labels: { 'sidecarset.dev/mirror': 'true', 'sidecarset.dev/mirror-source-namespace': 'kube-system' },
      annotations: { 'sidecarset.dev/mirror-source': 'ConfigMap/kube-system/filebeat-config', 'sidecarset.dev/mirror-bindings': 'a,z' },
    });
  });

  it('keys are qualified names and label values valid', () => {
    const { labels, annotations } = mirrorMetadata(source, ['b']);
    for (const key of [...Object.keys(labels), ...Object.keys(annotations)]) expect(qualifiedName(key)).toEqual([]);
    for (const value of Object.values(labels)) expect(labelValue(value)).toEqual([]);
  });

  it('the mirror-source annotation parses back', () => {
    expect(parseSourceKey(mirrorMetadata(source, []).annotations['sidecarset.dev/mirror-source']!)).toEqual(source);
  });

  it('pod annotation: each source once, sorted', () => {
    expect(formatPodMirrors([{ kind: 'Secret', namespace: 'a', name: 'x' }, source, { kind: 'Secret', namespace: 'a', name: 'x' }])).toBe('ConfigMap/kube-system/filebeat-config,Secret/a/x');
  });
});

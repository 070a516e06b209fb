import { describe, expect, it } from 'vitest';
import type { SidecarSetResourceBinding } from '@sidecarset/api';
import { authorisingBindings, missingBindingMessage } from './authorisingBindings.js';
import type { CrossNamespaceSource } from './source.js';

const binding = (namespace: string, name: string, subjects: string[], refs: [CrossNamespaceSource['kind'], string][]): SidecarSetResourceBinding =>
  ({
    metadata: { namespace, name },
    spec: { subjects: subjects.map((s) => ({ kind: 'SidecarSet', name: s })), resourceRefs: refs.map(([kind, n]) => ({ kind, name: n })) },
  }) as SidecarSetResourceBinding;

const source: CrossNamespaceSource = { kind: 'ConfigMap', namespace: 'kube-system', name: 'filebeat-config' };
const names = (bindings: SidecarSetResourceBinding[]): string[] => bindings.map((b) => `${b.metadata?.namespace}/${b.metadata?.name}`);

describe('authorisingBindings', () => {
  it.each<[string, SidecarSetResourceBinding[], string[]]>([
    ['seed 000 binding authorises', [binding('kube-system', 'b', ['filebeat-sidecarset'], [['ConfigMap', 'filebeat-config']])], ['kube-system/b']],
    ['a binding in another namespace never does', [binding('default', 'b', ['filebeat-sidecarset'], [['ConfigMap', 'filebeat-config']])], []],
    ['another SidecarSet listed', [binding('kube-system', 'b', ['other'], [['ConfigMap', 'filebeat-config']])], []],
    ['a Secret of that name is not the ConfigMap', [binding('kube-system', 'b', ['filebeat-sidecarset'], [['Secret', 'filebeat-config']])], []],
    ['another ConfigMap listed', [binding('kube-system', 'b', ['filebeat-sidecarset'], [['ConfigMap', 'other']])], []],
    [
      'several, sorted by name; unrelated ones left out',
      [
        binding('kube-system', 'z', ['x', 'filebeat-sidecarset'], [['Secret', 's'], ['ConfigMap', 'filebeat-config']]),
        binding('kube-system', 'a', ['filebeat-sidecarset'], [['ConfigMap', 'filebeat-config']]),
        binding('kube-system', 'm', ['filebeat-sidecarset'], [['ConfigMap', 'nope']]),
      ],
      ['kube-system/a', 'kube-system/z'],
    ],
  ])('%s', (_, bindings, expected) => {
    expect(names(authorisingBindings(bindings, 'filebeat-sidecarset', source))).toEqual(expected);
  });

  it('a malformed binding (no lists) authorises nothing', () => {
    expect(authorisingBindings([{ metadata: { namespace: 'kube-system', name: 'x' }, spec: {} } as never], 'filebeat-sidecarset', source)).toEqual([]);
  });

  it('the message names the namespace, the SidecarSet, the kind and the name', () => {
    expect(missingBindingMessage('filebeat-sidecarset', source)).toBe(
      'no SidecarSetResourceBinding in namespace kube-system lists SidecarSet "filebeat-sidecarset" and ConfigMap "filebeat-config"',
    );
  });
});

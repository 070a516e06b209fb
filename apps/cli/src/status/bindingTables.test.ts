import type { SidecarSetResourceBinding } from '@sidecarset/api/offline';
import { describe, expect, it } from 'vitest';
import { bindingsOf, renderBindingTables } from './bindingTables.js';

const binding = (name: string, subjects: string[], status?: SidecarSetResourceBinding['status'], generation = 1): SidecarSetResourceBinding => ({
  metadata: { name, namespace: 'kube-system', generation },
  spec: { subjects: subjects.map((s) => ({ kind: 'SidecarSet', name: s })) as never, resourceRefs: [{ kind: 'ConfigMap', name: 'filebeat-config' }] },
  ...(status && { status }),
});
const at = '2026-01-01T00:00:00Z';
const condition = (type: string, status: 'True' | 'False') => ({ type, status, reason: 'R', message: 'm', lastTransitionTime: at });

describe('status: bindings and their mirrors', () => {
  it('A binding with two mirrors: its conditions, count and each mirror', () => {
    const b = binding('filebeat', ['filebeat-sidecarset'], {
      observedGeneration: 1,
      mirrorCount: 2,
      mirrors: [
        { kind: 'ConfigMap', namespace: 'default', name: 'mirror.kube-system.filebeat-config', uid: 'u1' },
        { kind: 'ConfigMap', namespace: 'apps', name: 'mirror.kube-system.filebeat-config', uid: 'u2' },
      ],
      conditions: [condition('Ready', 'True'), condition('SourceMissing', 'False'), condition('Conflict', 'False')],
    });
    expect(renderBindingTables([b])).toBe(
      [
        '',
        'BINDING                SIDECARSETS           READY   MIRRORS   CONFLICT   SOURCE-MISSING   OBSERVED',
        'kube-system/filebeat   filebeat-sidecarset   True    2         False      False            yes',
        '',
        'BINDING                KIND        NAMESPACE   MIRROR',
        'kube-system/filebeat   ConfigMap   default     mirror.kube-system.filebeat-config',
        'kube-system/filebeat   ConfigMap   apps        mirror.kube-system.filebeat-config',
        '',
      ].join('\n'),
    );
  });

  it('A binding the controller has not seen yet: no conditions, no mirror table, stale', () => {
    expect(renderBindingTables([binding('new', ['a', 'b'])])).toContain('kube-system/new   a,b           <none>   0         <none>     <none>           stale');
    expect(renderBindingTables([binding('new', ['a'])])).not.toContain('KIND');
  });

  it('No binding: nothing; a SidecarSet named: only the bindings naming it', () => {
    expect(renderBindingTables([])).toBe('');
    const bindings = [binding('one', ['a']), binding('two', ['b', 'a']), binding('three', ['c'])];
    expect(bindingsOf(bindings, 'a').map((b) => b.metadata?.name)).toEqual(['one', 'two']);
    expect(bindingsOf(bindings).length).toBe(3);
  });
});

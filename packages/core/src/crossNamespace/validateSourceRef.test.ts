import { describe, expect, it } from 'vitest';
import { validateSourceRef } from './validateSourceRef.js';

describe('validateSourceRef', () => {
  it.each<[string, string, string[]]>([
    ['a plain name is not checked here', 'Filebeat_Config', []],
    ['seed 000', 'kube-system/filebeat-config', []],
    ['a name with dots', 'ns/a.b', []],
    ['empty namespace', '/filebeat-config', ['the namespace "" must not be empty']],
    ['empty name', 'kube-system/', ['the name "" must not be empty']],
    ['namespace with a dot', 'kube.system/cfg', ['the namespace "kube.system" a lowercase RFC 1123 label']],
    ['upper-case name', 'ns/Cfg', ['the name "Cfg" a lowercase RFC 1123 subdomain']],
    ['two slashes', 'a/b/c', ['exactly one "/"']],
    ['namespace too long', `${'n'.repeat(64)}/c`, ['must be no more than 63 characters']],
  ])('%s', (_, value, reasons) => {
    const errors = validateSourceRef(value, 'spec.volumes[0].configMap.name');
    expect(errors).toHaveLength(reasons.length);
    reasons.forEach((reason, i) => {
      expect(errors[i]!.path).toBe('spec.volumes[0].configMap.name');
      expect(errors[i]!.reason).toContain(reason);
    });
  });
});

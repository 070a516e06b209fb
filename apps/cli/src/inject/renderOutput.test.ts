import { describe, expect, it } from 'vitest';
import { renderOutput } from './renderOutput.js';

const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } };
const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'b' } };

describe('renderOutput', () => {
  it.each<[string, unknown[], 'yaml' | 'json', string]>([
    ['yaml: one document per object, --- between', [pod, service], 'yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n'],
    ['yaml: nothing for no documents', [], 'yaml', ''],
    ['json: one object alone', [pod], 'json', `${JSON.stringify(pod, null, 2)}\n`],
    [
      'json: several in a v1 List',
      [pod, service],
      'json',
      `${JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: [pod, service] }, null, 2)}\n`,
    ],
  ])('%s', (_name, documents, format, expected) => {
    expect(renderOutput(documents, format)).toBe(expected);
  });

  it('yaml: a long command is not folded and a shared object is not written as an alias', () => {
    const env = { name: 'IS_INJECTED', value: 'true' };
    const command = `sh -c ${'x'.repeat(200)}`;
    const text = renderOutput([{ spec: { containers: [{ command: [command], env: [env] }, { env: [env] }] } }], 'yaml');
    expect(text).toContain(command);
    expect(text).not.toMatch(/[&*]a1/);
  });
});

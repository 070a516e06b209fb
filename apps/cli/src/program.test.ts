import { describe, expect, it } from 'vitest';
import { buildProgram } from './program.js';

describe('kubectl-sidecarset', () => {
  it('prints its version', async () => {
    let out = '';
    const program = buildProgram('1.2.3').exitOverride().configureOutput({ writeOut: (s) => (out += s) });
    await expect(program.parseAsync(['node', 'kubectl-sidecarset', '--version'])).rejects.toMatchObject({ code: 'commander.version' });
    expect(out.trim()).toBe('1.2.3');
  });
});

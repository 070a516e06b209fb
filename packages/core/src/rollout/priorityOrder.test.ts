import { describe, expect, it } from 'vitest';
import { trailingInteger } from './priorityOrder.js';

/** CPU time of this process in ms: a stall guard that the machine's other load does not move (speed is bench/'s job). */
const cpuMs = (): number => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};

describe('trailingInteger (orderPriority reads the integer a label value ends with)', () => {
  it.each<[string, string, number]>([
    ['digits at the end', 'v12', 12],
    ['only digits', '7', 7],
    ['no digits at the end', 'v1x', 0],
    ['an empty value', '', 0],
    ['too many digits for an exact integer', `v${'9'.repeat(30)}`, 0],
  ])('%s: %j is %s', (_name, value, expected) => {
    expect(trailingInteger(value)).toBe(expected);
  });

  it('reads 100,000 digits followed by a letter at once (an unanchored /(\\d+)$/ retried from every digit)', () => {
    const started = cpuMs();
    expect(trailingInteger(`${'1'.repeat(100_000)}x`)).toBe(0);
    expect(cpuMs() - started).toBeLessThan(1000);
  });
});

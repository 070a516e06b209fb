import { describe, expect, it } from 'vitest';
import { memoizeByString } from './memoizeByString.js';

describe('memoizeByString', () => {
  it('computes each distinct input once and returns the same result', () => {
    const calls: (string | undefined)[] = [];
    const parse = memoizeByString((value) => {
      calls.push(value);
      return { value };
    });
    const first = parse('a');
    expect(parse('a')).toBe(first);
    expect(parse(undefined)).toEqual({ value: undefined });
    parse(undefined);
    expect(calls).toEqual(['a', undefined]);
  });

  it('forgets the oldest input beyond its capacity', () => {
    const calls: (string | undefined)[] = [];
    const parse = memoizeByString((value) => calls.push(value), 2);
    parse('a');
    parse('b');
    parse('c'); // forgets 'a'
    parse('b');
    parse('a');
    expect(calls).toEqual(['a', 'b', 'c', 'a']);
  });
});

// The fuzz suite's patch oracle: applies what RFC 6902 allows, refuses the rest with a reason.
import { jsonPatch } from '@sidecarset/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyJsonPatch } from './applyJsonPatch.js';

describe('applyJsonPatch', () => {
  const applies: { name: string; doc: unknown; patch: unknown[]; result: unknown }[] = [
    { name: 'add a member', doc: { a: 1 }, patch: [{ op: 'add', path: '/b', value: 2 }], result: { a: 1, b: 2 } },
    { name: 'add inserts into an array', doc: { c: [1, 3] }, patch: [{ op: 'add', path: '/c/1', value: 2 }], result: { c: [1, 2, 3] } },
    { name: 'add at the array end', doc: { c: [1] }, patch: [{ op: 'add', path: '/c/1', value: 2 }, { op: 'add', path: '/c/-', value: 3 }], result: { c: [1, 2, 3] } },
    { name: 'add replaces an existing member', doc: { a: 1 }, patch: [{ op: 'add', path: '/a', value: 2 }], result: { a: 2 } },
    { name: 'escaped keys', doc: { m: {} }, patch: [{ op: 'add', path: '/m/a~1b~0c', value: 'x' }], result: { m: { 'a/b~c': 'x' } } },
    { name: 'replace and remove', doc: { a: [1, 2], b: 1 }, patch: [{ op: 'replace', path: '/a/0', value: 9 }, { op: 'remove', path: '/b' }], result: { a: [9, 2] } },
    { name: 'move and copy', doc: { a: { x: 1 } }, patch: [{ op: 'copy', from: '/a', path: '/b' }, { op: 'move', from: '/a/x', path: '/c' }], result: { a: {}, b: { x: 1 }, c: 1 } },
    { name: 'test passes on equal JSON', doc: { a: { x: [1] } }, patch: [{ op: 'test', path: '/a', value: { x: [1] } }], result: { a: { x: [1] } } },
    { name: 'replace the root', doc: { a: 1 }, patch: [{ op: 'replace', path: '', value: [1] }], result: [1] },
  ];
  it.each(applies)('applies: $name', ({ doc, patch, result }) => {
    const before = structuredClone(doc);
    expect(applyJsonPatch(doc, patch)).toEqual({ ok: true, document: result });
    expect(doc).toEqual(before);
  });

  const refuses: { name: string; doc: unknown; patch: unknown }[] = [
    { name: 'not an array', doc: {}, patch: { op: 'add' } },
    { name: 'add below a missing parent', doc: {}, patch: [{ op: 'add', path: '/a/b', value: 1 }] },
    { name: 'add past the array end', doc: { c: [] }, patch: [{ op: 'add', path: '/c/1', value: 1 }] },
    { name: 'add with a leading-zero index', doc: { c: [1] }, patch: [{ op: 'add', path: '/c/01', value: 1 }] },
    { name: 'add without a value', doc: {}, patch: [{ op: 'add', path: '/a' }] },
    { name: 'replace a missing member', doc: {}, patch: [{ op: 'replace', path: '/a', value: 1 }] },
    { name: 'remove a missing member', doc: { a: 1 }, patch: [{ op: 'remove', path: '/b' }] },
    { name: 'remove past the array end', doc: { c: [1] }, patch: [{ op: 'remove', path: '/c/1' }] },
    { name: 'remove "-"', doc: { c: [1] }, patch: [{ op: 'remove', path: '/c/-' }] },
    { name: 'a path without a leading slash', doc: { a: 1 }, patch: [{ op: 'replace', path: 'a', value: 2 }] },
    { name: 'a bad ~ escape', doc: { a: 1 }, patch: [{ op: 'add', path: '/a~2', value: 2 }] },
    { name: 'a path through a scalar', doc: { a: 1 }, patch: [{ op: 'add', path: '/a/b', value: 2 }] },
    { name: 'a failing test', doc: { a: 1 }, patch: [{ op: 'test', path: '/a', value: 2 }] },
    { name: 'an unknown op', doc: {}, patch: [{ op: 'merge', path: '/a', value: 1 }] },
    { name: 'move into its own child', doc: { a: {} }, patch: [{ op: 'move', from: '/a', path: '/a/b' }] },
  ];
  it.each(refuses)('refuses: $name', ({ doc, patch }) => {
    const result = applyJsonPatch(doc, patch);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).not.toBe('');
  });

  it('applies any diff the core computes (property)', () => {
    const key = fc.constantFrom('a', 'b', 'x/y', 'm~n', '');
    const small = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, fc.constantFrom(0, 1, 'p', null, true), fc.array(tie('v'), { maxLength: 5 }), fc.dictionary(key, tie('v'), { maxKeys: 4 })),
    })).v;
    fc.assert(
      fc.property(small, small, (from, to) => {
        expect(applyJsonPatch(from, JSON.parse(JSON.stringify(jsonPatch(from, to))))).toEqual({ ok: true, document: to });
      }),
      { numRuns: 500, seed: 8 },
    );
  });
});

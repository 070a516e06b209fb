import fc from 'fast-check';
import jsonpatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { jsonPatch } from './jsonPatch.js';
import { applyMergePatch } from './mergePatch.js';

const asJson = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

const hasProtoKey = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && (Object.hasOwn(value, '__proto__') || Object.values(value).some(hasProtoKey));

const apply = (from: unknown, ops: ReturnType<typeof jsonPatch>): unknown =>
  jsonpatch.applyPatch(structuredClone(from), structuredClone(ops) as jsonpatch.Operation[], true, false, false).newDocument; // keys like __proto__ are data here

describe('jsonPatch', () => {
  const cases: { name: string; from: unknown; to: unknown; ops: ReturnType<typeof jsonPatch> }[] = [
    { name: 'equal values give no operations', from: { a: [1, { b: 2 }] }, to: { a: [1, { b: 2 }] }, ops: [] },
    { name: 'a new key is added', from: { a: 1 }, to: { a: 1, b: 2 }, ops: [{ op: 'add', path: '/b', value: 2 }] },
    { name: 'a missing key is removed', from: { a: 1, b: 2 }, to: { a: 1 }, ops: [{ op: 'remove', path: '/b' }] },
    { name: 'a changed scalar is replaced', from: { a: 1 }, to: { a: 2 }, ops: [{ op: 'replace', path: '/a', value: 2 }] },
    {
      name: '~ and / in keys are escaped',
      from: { metadata: { annotations: {} } },
      to: { metadata: { annotations: { 'kruise.io/a~b': 'x' } } },
      ops: [{ op: 'add', path: '/metadata/annotations/kruise.io~1a~0b', value: 'x' }],
    },
    {
      name: 'an element inserted at the front is one add at index 0',
      from: { c: [{ name: 'app' }] },
      to: { c: [{ name: 'sidecar' }, { name: 'app' }] },
      ops: [{ op: 'add', path: '/c/0', value: { name: 'sidecar' } }],
    },
    {
      name: 'elements around the pod ones are added before and after',
      from: [{ n: 'a' }, { n: 'b' }],
      to: [{ n: 'x' }, { n: 'a' }, { n: 'b' }, { n: 'y' }],
      ops: [
        { op: 'add', path: '/0', value: { n: 'x' } },
        { op: 'add', path: '/3', value: { n: 'y' } },
      ],
    },
    {
      name: 'an element replaced in place is diffed inside',
      from: [{ name: 'a', image: 'old' }, { name: 'b' }],
      to: [{ name: 'a', image: 'new' }, { name: 'b' }],
      ops: [{ op: 'replace', path: '/0/image', value: 'new' }],
    },
    { name: 'an object turned into an array is replaced', from: { a: {} }, to: { a: [] }, ops: [{ op: 'replace', path: '/a', value: [] }] },
    { name: 'the whole document can be replaced', from: 1, to: 'x', ops: [{ op: 'replace', path: '', value: 'x' }] },
    { name: 'undefined members count as absent', from: { a: undefined, b: 1 }, to: { b: 1, c: undefined }, ops: [] },
  ];
  it.each(cases)('$name', ({ from, to, ops }) => {
    expect(jsonPatch(from, to)).toEqual(ops);
    expect(apply(from, ops)).toEqual(JSON.parse(JSON.stringify(to)));
  });

  it('applying the patch to `from` gives exactly `to` (property)', () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    // Small alphabets so that arrays and objects share elements and keys often.
    const key = fc.constantFrom('a', 'b', 'c', 'x/y', 'm~n', '');
    const small: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(0, 1, 'p', 'q', null, true),
        fc.array(tie('v'), { maxLength: 6 }),
        fc.dictionary(key, tie('v'), { maxKeys: 4 }),
      ),
    })).v;
    fc.assert(
      fc.property(fc.oneof(json, small), fc.oneof(json, small), (from, to) => {
        // A JavaScript object cannot get an own "__proto__" by assignment, which is how the applier
        // writes; no Kubernetes key can be "__proto__" (keys start alphanumeric).
        fc.pre(!hasProtoKey(from) && !hasProtoKey(to));
        // Compared as JSON, what goes on the wire: JSON has no -0 (fast-check generates it).
        expect(asJson(apply(from, jsonPatch(from, to)))).toEqual(asJson(to));
      }),
      { numRuns: 1500 },
    );
  });
});

describe('applyMergePatch (RFC 7386)', () => {
  it.each([
    { name: 'keys merge and null deletes', target: { a: 1, b: { c: 1, d: 2 } }, patch: { b: { c: null, e: 3 } }, out: { a: 1, b: { d: 2, e: 3 } } },
    { name: 'arrays are replaced whole', target: { a: [1, 2] }, patch: { a: [3] }, out: { a: [3] } },
    { name: 'a non-object patch replaces the target', target: { a: 1 }, patch: 'x', out: 'x' },
  ])('$name', ({ target, patch, out }) => {
    expect(applyMergePatch(target, patch)).toEqual(out);
  });
});

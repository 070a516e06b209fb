import type { SidecarSet } from '@sidecarset/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PATCH_METADATA_WHITELIST_KEY, parsePatchMetadataWhitelist, type PatchMetadataWhitelist } from './patchMetadataWhitelist.js';
import { WHITELIST_MATCH_BUDGET, validatePatchMetadataWhitelist } from './validatePatchMetadataWhitelist.js';

const SOURCE = 'ConfigMap sidecarset-system/kruise-configuration';
const whitelist = (value: unknown): PatchMetadataWhitelist => parsePatchMetadataWhitelist({ [PATCH_METADATA_WHITELIST_KEY]: JSON.stringify(value) }, SOURCE);
const sidecarSet = (labels: Record<string, string>, ...annotations: Record<string, string>[]): SidecarSet => ({
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name: 's', labels },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    containers: [{ name: 'c', image: 'c:1' }],
    patchPodMetadata: annotations.map((a) => ({ annotations: a, patchPolicy: 'Overwrite' as const })),
  },
});
const errorsOf = (set: SidecarSet, list: PatchMetadataWhitelist) => validatePatchMetadataWhitelist(set, list).map((e) => [e.path, e.type, e.reason]);

const team = { team: 'mesh' };
const meshRule = { selector: { matchLabels: team }, allowedAnnotationKeyExprs: ['^mesh\\.io/.*'] };

describe('validatePatchMetadataWhitelist', () => {
  it.each([
    { name: 'a SidecarSet without patchPodMetadata needs no whitelist', set: { ...sidecarSet(team), spec: { ...sidecarSet(team).spec, patchPodMetadata: undefined } }, list: { kind: 'missing', source: SOURCE } as const, errors: [] },
    { name: 'an empty patchPodMetadata needs no whitelist', set: sidecarSet(team), list: { kind: 'missing', source: SOURCE } as const, errors: [] },
    {
      name: 'without a whitelist annotations are refused',
      set: sidecarSet(team, { 'mesh.io/a': 'x' }),
      list: { kind: 'missing', source: SOURCE } as const,
      errors: [['spec.patchPodMetadata', 'Forbidden', /no whitelist allows this SidecarSet to patch pod annotations: ConfigMap sidecarset-system\/kruise-configuration does not exist or has no key SidecarSet_PatchPodMetadata_WhiteList/]],
    },
    {
      name: 'a whitelist not known yet refuses, saying why',
      set: sidecarSet(team, { 'mesh.io/a': 'x' }),
      list: { kind: 'unknown', source: SOURCE, reason: 'not loaded yet' } as const,
      errors: [['spec.patchPodMetadata', 'Forbidden', /is not known: not loaded yet; retry/]],
    },
    { name: 'an unreadable whitelist refuses', set: sidecarSet(team, { 'mesh.io/a': 'x' }), list: parsePatchMetadataWhitelist({ [PATCH_METADATA_WHITELIST_KEY]: '{' }, SOURCE), errors: [['spec.patchPodMetadata', 'Forbidden', /cannot be read: key .* is not JSON/]] },
    { name: 'a key allowed by a rule selecting the SidecarSet is accepted', set: sidecarSet(team, { 'mesh.io/a': 'x' }, { 'mesh.io/b': 'y' }), list: whitelist({ rules: [meshRule] }), errors: [] },
    {
      name: 'a rule whose selector does not select the SidecarSet allows nothing',
      set: sidecarSet({ team: 'other' }, { 'mesh.io/a': 'x' }),
      list: whitelist({ rules: [meshRule] }),
      errors: [['spec.patchPodMetadata', 'Forbidden', /no rule of the whitelist .* selects this SidecarSet by its labels/]],
    },
    {
      name: 'a key no expression matches is refused at its path',
      set: sidecarSet(team, { 'mesh.io/a': 'x', 'other.io/b': 'y' }),
      list: whitelist({ rules: [meshRule] }),
      errors: [['spec.patchPodMetadata[0].annotations[other.io/b]', 'Forbidden', /annotation other.io\/b is not allowed/]],
    },
    {
      name: 'every key not allowed is reported',
      set: sidecarSet(team, { 'a.io/x': '1' }, { 'b.io/y': '2' }),
      list: whitelist({ rules: [meshRule] }),
      errors: [
        ['spec.patchPodMetadata[0].annotations[a.io/x]', 'Forbidden', /a\.io\/x is not allowed/],
        ['spec.patchPodMetadata[1].annotations[b.io/y]', 'Forbidden', /b\.io\/y is not allowed/],
      ],
    },
    { name: 'a rule without selector applies to every SidecarSet', set: sidecarSet({}, { 'mesh.io/a': 'x' }), list: whitelist({ rules: [{ allowedAnnotationKeyExprs: ['^mesh\\.io/'] }] }), errors: [] },
    { name: 'an empty selector selects every SidecarSet', set: sidecarSet({}, { 'mesh.io/a': 'x' }), list: whitelist({ rules: [{ selector: {}, allowedAnnotationKeyExprs: ['^mesh\\.io/'] }] }), errors: [] },
    {
      name: 'matchExpressions select by SidecarSet labels',
      set: sidecarSet({ tier: 'gold' }, { 'mesh.io/a': 'x' }),
      list: whitelist({ rules: [{ selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['gold'] }] }, allowedAnnotationKeyExprs: ['^mesh\\.io/'] }] }),
      errors: [],
    },
    {
      name: 'In without values selects nothing (as OpenKruise, which does not validate the selector)',
      set: sidecarSet({ tier: 'gold' }, { 'mesh.io/a': 'x' }),
      list: whitelist({ rules: [{ selector: { matchExpressions: [{ key: 'tier', operator: 'In' }] }, allowedAnnotationKeyExprs: ['^mesh\\.io/'] }] }),
      errors: [['spec.patchPodMetadata', 'Forbidden', /no rule/]],
    },
    {
      name: 'expressions of all selecting rules together decide',
      set: sidecarSet({ team: 'mesh', tier: 'gold' }, { 'mesh.io/a': 'x', 'gold.io/b': 'y' }),
      list: whitelist({ rules: [meshRule, { selector: { matchLabels: { tier: 'gold' } }, allowedAnnotationKeyExprs: ['^gold\\.io/'] }, { selector: { matchLabels: { tier: 'x' } }, allowedAnnotationKeyExprs: ['.*'] }] }),
      errors: [],
    },
    { name: 'a broken expression in a rule that does not select is ignored', set: sidecarSet(team, { 'mesh.io/a': 'x' }), list: whitelist({ rules: [meshRule, { selector: { matchLabels: { team: 'x' } }, allowedAnnotationKeyExprs: ['('] }] }), errors: [] },
    {
      name: 'a broken expression in a selecting rule refuses',
      set: sidecarSet(team, { 'mesh.io/a': 'x' }),
      list: whitelist({ rules: [meshRule, { allowedAnnotationKeyExprs: ['('] }] }),
      errors: [['spec.patchPodMetadata', 'Invalid', /rules\[1\]\.allowedAnnotationKeyExprs "\(" is not a valid RE2 expression/]],
    },
    {
      name: 'an unknown operator in any rule refuses',
      set: sidecarSet(team, { 'mesh.io/a': 'x' }),
      list: whitelist({ rules: [meshRule, { selector: { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }, allowedAnnotationKeyExprs: ['.*'] }] }),
      errors: [['spec.patchPodMetadata', 'Forbidden', /operator "Gt"/]],
    },
    {
      name: 'a patch without annotations is refused when no rule selects (OpenKruise checks the list, not the keys)',
      set: { ...sidecarSet(team), spec: { ...sidecarSet(team).spec, patchPodMetadata: [{ annotations: {}, patchPolicy: 'Retain' as const }] } },
      list: whitelist({ rules: [] }),
      errors: [['spec.patchPodMetadata', 'Forbidden', /no rule/]],
    },
    {
      name: 'a key longer than an annotation key can be is never matched',
      set: sidecarSet(team, { [`mesh.io/${'a'.repeat(320)}`]: 'x' }),
      list: whitelist({ rules: [{ allowedAnnotationKeyExprs: ['.*'] }] }),
      errors: [[`spec.patchPodMetadata[0].annotations[mesh.io/${'a'.repeat(320)}]`, 'Forbidden', /mesh\.io\/a+… is not allowed/]],
    },
  ])('$name', ({ set, list, errors }) => {
    expect(errorsOf(set, list)).toEqual(errors.map(([path, type, reason]) => [path, type, expect.stringMatching(reason as RegExp)]));
  });

  describe('with the gate SidecarSetPatchPodMetadataDefaultsAllowed', () => {
    const gated = (value: unknown) =>
      parsePatchMetadataWhitelist(value === undefined ? undefined : { [PATCH_METADATA_WHITELIST_KEY]: JSON.stringify(value) }, SOURCE, { defaultsAllowed: true });
    it.each([
      { name: 'no whitelist allows every key', list: gated(undefined), labels: team, errors: [] },
      { name: 'no rule selecting the SidecarSet allows every key', list: gated({ rules: [meshRule] }), labels: { team: 'other' }, errors: [] },
      { name: 'a selecting rule still decides', list: gated({ rules: [meshRule] }), labels: team, errors: [['spec.patchPodMetadata[0].annotations[other.io/b]', 'Forbidden', /not allowed/]] },
      { name: 'an unreadable whitelist still refuses', list: parsePatchMetadataWhitelist({ [PATCH_METADATA_WHITELIST_KEY]: '[' }, SOURCE, { defaultsAllowed: true }), labels: team, errors: [['spec.patchPodMetadata', 'Forbidden', /cannot be read/]] },
    ])('$name', ({ list, labels, errors }) => {
      expect(errorsOf(sidecarSet(labels, { 'other.io/b': 'y' }), list)).toEqual(errors.map(([path, type, reason]) => [path, type, expect.stringMatching(reason as RegExp)]));
    });
  });

  it('matching more than the work budget allows is refused before any matching', () => {
    // 16 expressions of about 1000 instructions against 2 keys of 300 characters: 2 x 301 x 16k > 4M.
    const heavy = Array.from({ length: 16 }, (_, i) => `^k${i}[a-z]{1000}`);
    const keys = { [`a.io/${'b'.repeat(295)}`]: '1', [`c.io/${'d'.repeat(295)}`]: '2' };
    expect(errorsOf(sidecarSet(team, keys), whitelist({ rules: [{ allowedAnnotationKeyExprs: heavy }] }))).toEqual([
      ['spec.patchPodMetadata', 'Forbidden', expect.stringMatching(/checking 2 annotation keys against 16 whitelist expressions \(\d+ instructions\) is more work than one admission may do/)],
    ]);
    expect(WHITELIST_MATCH_BUDGET).toBeLessThan(2 * 301 * 16 * 1000);
    // The same whitelist with one short key stays within the budget.
    expect(errorsOf(sidecarSet(team, { 'k1.io': '1' }), whitelist({ rules: [{ allowedAnnotationKeyExprs: heavy }] }))).toHaveLength(1);
  });
});

describe('validatePatchMetadataWhitelist: properties', () => {
  const segment = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
  const key = fc.tuple(segment, segment).map(([prefix, name]) => `${prefix}.io/${name}`);

  it('with prefix expressions, exactly the keys starting with an allowed prefix are accepted', () => {
    fc.assert(
      fc.property(fc.uniqueArray(key, { minLength: 1, maxLength: 8 }), fc.array(segment, { minLength: 1, maxLength: 4 }), (keys, prefixes) => {
        const list = whitelist({ rules: [{ allowedAnnotationKeyExprs: prefixes.map((p) => `^${p}\\.io/`) }] });
        const refused = validatePatchMetadataWhitelist(sidecarSet({}, Object.fromEntries(keys.map((k) => [k, 'v']))), list).map((e) => e.path);
        const expected = keys.filter((k) => !prefixes.some((p) => k.startsWith(`${p}.io/`))).map((k) => `spec.patchPodMetadata[0].annotations[${k}]`);
        expect(refused).toEqual(expected);
      }),
    );
  });

  /** The keys accepted: none when the whole list is refused, else those without an error of their own. */
  const allowedKeys = (keys: string[], errors: { path: string }[]) =>
    errors.some((e) => e.path === 'spec.patchPodMetadata') ? [] : keys.filter((k) => !errors.some((e) => e.path === `spec.patchPodMetadata[0].annotations[${k}]`));

  it('adding a rule never refuses a key that was accepted', () => {
    const rule = fc.record({
      selector: fc.option(fc.record({ matchLabels: fc.dictionary(fc.constantFrom('team', 'tier'), fc.constantFrom('a', 'b'), { maxKeys: 2 }) }), { nil: undefined }),
      allowedAnnotationKeyExprs: fc.array(segment.map((p) => `^${p}`), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(
        fc.array(rule, { maxLength: 4 }),
        rule,
        fc.dictionary(fc.constantFrom('team', 'tier'), fc.constantFrom('a', 'b'), { maxKeys: 2 }),
        fc.uniqueArray(key, { minLength: 1, maxLength: 5 }),
        (rules, extra, labels, keys) => {
          const set = sidecarSet(labels, Object.fromEntries(keys.map((k) => [k, 'v'])));
          const before = allowedKeys(keys, validatePatchMetadataWhitelist(set, whitelist({ rules })));
          const after = allowedKeys(keys, validatePatchMetadataWhitelist(set, whitelist({ rules: [...rules, extra] })));
          expect(after).toEqual(expect.arrayContaining(before));
        },
      ),
    );
  });
});

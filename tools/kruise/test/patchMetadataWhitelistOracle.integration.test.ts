// The patchPodMetadata whitelist against OpenKruise v1.9.0's own rule: its
// sidecarcontrol.ValidateSidecarSetPatchMetadataWhitelist (go/manager/cmd/whitelist, built here from
// the same Go module as kruise-manager, reading the ConfigMap from a fake client) and ours
// (packages/core/src/validation/patchMetadataWhitelist) decide generated whitelists and SidecarSets:
// both must admit or both refuse. The whitelists are written as text, with field names in any case,
// nulls, selectors with every operator (and one OpenKruise does not know), RE2 expressions (some that
// do not compile, anchored or not), and sometimes text that is not a whitelist, no key or no ConfigMap.
import { spawnSync } from 'node:child_process';
import type { SidecarSet } from '@sidecarset/api';
import { PATCH_METADATA_WHITELIST_KEY, parsePatchMetadataWhitelist, validatePatchMetadataWhitelist } from '@sidecarset/core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { kruiseBuild } from '../src/kruiseBuild.js';

const SEED = 20_261_204;
const RUNS = Number(process.env.WHITELIST_ORACLE_RUNS ?? 3000);
let binary: string;

beforeAll(() => {
  // Built by tools/kruise/build.sh with the manager (tests run without a network, and never build).
  binary = kruiseBuild().oracle('whitelist');
});

interface Case {
  /** The ConfigMap's data; undefined: no ConfigMap. */
  data: Record<string, string> | undefined;
  labels: Record<string, string>;
  /** Each patchPodMetadata entry's annotations. */
  patches: Record<string, string>[];
}

function askOpenKruise(cases: Case[]): (string | undefined)[] {
  const input = cases.map((c) => JSON.stringify({ data: c.data ?? null, labels: c.labels, patches: c.patches })).join('\n') + '\n';
  const run = spawnSync(binary, { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`whitelist oracle failed: ${run.stderr}`);
  return run.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { error?: string }).error);
}

function ours(c: Case): string | undefined {
  const sidecarSet = {
    apiVersion: 'apps.kruise.io/v1beta1',
    kind: 'SidecarSet',
    metadata: { name: 's', labels: c.labels },
    spec: { selector: { matchLabels: { app: 'x' } }, patchPodMetadata: c.patches.map((annotations) => ({ annotations, patchPolicy: 'Overwrite' })) },
  } as unknown as SidecarSet;
  const errors = validatePatchMetadataWhitelist(sidecarSet, parsePatchMetadataWhitelist(c.data, 'ConfigMap kruise-system/kruise-configuration'));
  return errors.length ? errors.map((e) => `${e.path}: ${e.reason}`).join('; ') : undefined;
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------
const LABEL_KEYS = ['team', 'tier'] as const;
const LABEL_VALUES = ['a', 'b', ''] as const;
const ANNOTATION_KEYS = ['a.io/x', 'a.io/yy', 'b.io/x', 'c.example.com/x', 'io/x', 'A.io/x', 'x.a.io/b'] as const;
const EXPRESSIONS = [
  '^a\\.io/', 'a\\.io', 'b\\.io/x$', '^c\\..*', '(?i)^A\\.IO/', '.*', '', 'io/x\\z', '^[a-c]\\.io/[a-z]+$', 'y{2}', '^(a|b)\\.io/x$', '\\pL+\\.io',
  '(', '[a-', '^a(?=b)', 'x{1001}', '(?P<n>a)\\.io', '(?<n>b)\\.io',
] as const;

/** A field name as Go's decoder accepts it: in any case. */
const spelled = (name: string) => fc.constantFrom(name, name, name, name.toUpperCase(), name[0]!.toUpperCase() + name.slice(1));
const member = (name: string, value: fc.Arbitrary<unknown>) => fc.tuple(spelled(name), value).map(([key, v]) => `${JSON.stringify(key)}:${JSON.stringify(v)}`);
const object = (...members: fc.Arbitrary<string | undefined>[]) => fc.tuple(...members).map((parts) => `{${parts.filter((p) => p !== undefined).join(',')}}`);
const optional = (arb: fc.Arbitrary<string>) => fc.option(arb, { nil: undefined, freq: 3 });

const labelsArb = fc.dictionary(fc.constantFrom(...LABEL_KEYS), fc.constantFrom(...LABEL_VALUES), { maxKeys: 2 });
const requirementArb = object(
  member('key', fc.constantFrom(...LABEL_KEYS, 'zone')),
  member('operator', fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist', 'In', 'NotIn', 'Gt')),
  optional(member('values', fc.oneof(fc.subarray([...LABEL_VALUES]), fc.constant(null)))),
);
const selectorArb = fc.oneof(
  fc.constant('null'),
  fc.constant('{}'),
  object(optional(member('matchLabels', labelsArb))),
  fc.tuple(optional(member('matchLabels', labelsArb)), fc.array(requirementArb, { maxLength: 2 }), spelled('matchExpressions')).map(
    ([labels, requirements, name]) => `{${[labels, `${JSON.stringify(name)}:[${requirements.join(',')}]`].filter((p) => p !== undefined).join(',')}}`,
  ),
);
const ruleArb = fc.oneof(
  { arbitrary: fc.constant('null'), weight: 1 },
  {
    arbitrary: fc.tuple(optional(selectorArb.chain((s) => spelled('selector').map((name) => `${JSON.stringify(name)}:${s}`))), optional(member('allowedAnnotationKeyExprs', fc.oneof(fc.array(fc.constantFrom(...EXPRESSIONS), { maxLength: 3 }), fc.constant(null)))), fc.constantFrom(undefined, '"comment":{"x":[1]}')).map(
      (parts) => `{${parts.filter((p) => p !== undefined).join(',')}}`,
    ),
    weight: 8,
  },
);
const whitelistTextArb = fc.oneof(
  { arbitrary: fc.tuple(spelled('rules'), fc.array(ruleArb, { maxLength: 3 })).map(([name, rules]) => `{${JSON.stringify(name)}:[${rules.join(',')}]}`), weight: 12 },
  { arbitrary: fc.constantFrom('null', '{}', '{"rules":null}', '', '[', '[]', '{"rules":{}}', '{"rules":[1]}', '{"rules":[{"allowedAnnotationKeyExprs":"a"}]}', '{"rules":[{"selector":"a"}]}'), weight: 2 },
);
const dataArb = fc.oneof(
  { arbitrary: whitelistTextArb.map((text) => ({ [PATCH_METADATA_WHITELIST_KEY]: text }) as Record<string, string> | undefined), weight: 10 },
  { arbitrary: fc.constantFrom<Record<string, string> | undefined>(undefined, {}, { other: 'x' }), weight: 1 },
);
const caseArb: fc.Arbitrary<Case> = fc.record({
  data: dataArb,
  labels: labelsArb,
  patches: fc.array(fc.dictionary(fc.constantFrom(...ANNOTATION_KEYS), fc.constant('v'), { maxKeys: 3 }), { maxLength: 3 }),
});

describe("the patchPodMetadata whitelist: ours decides as OpenKruise v1.9.0's ValidateSidecarSetPatchMetadataWhitelist", () => {
  it(`${RUNS} generated whitelists and SidecarSets: admitted by both or refused by both`, () => {
    const cases = fc.sample(caseArb, { seed: SEED, numRuns: RUNS });
    const theirs = askOpenKruise(cases);
    const disagreements = cases.flatMap((c, i) => {
      const mine = ours(c);
      return (mine === undefined) === (theirs[i] === undefined) ? [] : [{ case: c, openkruise: theirs[i] ?? 'admitted', ours: mine ?? 'admitted' }];
    });
    const refused = theirs.filter((t) => t !== undefined).length;
    console.log(`${cases.length} cases: ${cases.length - refused} admitted and ${refused} refused by OpenKruise, ${disagreements.length} disagreements`);
    expect(refused, 'the generator reaches both outcomes').toBeGreaterThan(cases.length / 10);
    expect(cases.length - refused, 'the generator reaches both outcomes').toBeGreaterThan(cases.length / 10);
    expect(disagreements.slice(0, 5)).toEqual([]);
  }, 120_000);
});

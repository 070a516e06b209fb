import { describe, expect, it } from 'vitest';
import { EXPRESSION_BOUNDS, PATCH_METADATA_WHITELIST_KEY, WHITELIST_BOUNDS, parsePatchMetadataWhitelist, type PatchMetadataWhitelist, type WhitelistRule } from './patchMetadataWhitelist.js';

const SOURCE = 'ConfigMap sidecarset-system/kruise-configuration';
const parse = (text: unknown) => parsePatchMetadataWhitelist({ [PATCH_METADATA_WHITELIST_KEY]: text }, SOURCE);
const rulesOf = (whitelist: PatchMetadataWhitelist): WhitelistRule[] => {
  if (whitelist.kind !== 'rules') throw new Error(`expected rules, got ${whitelist.kind}: ${JSON.stringify(whitelist)}`);
  return whitelist.rules;
};
/** A rule as plain data: its selector, and each expression's source or error. */
const shape = (rule: WhitelistRule) => ({
  selector: rule.selector,
  selectorError: rule.selectorError,
  expressions: rule.expressions.map((e) => ('error' in e ? { error: e.source } : e.source)),
});

describe('parsePatchMetadataWhitelist: where the whitelist is missing', () => {
  it.each([
    { name: 'no ConfigMap', data: undefined },
    { name: 'a ConfigMap without data', data: {} },
    { name: 'a ConfigMap with other keys only', data: { PPS_Watch_Custom_Workload_WhiteList: '{}' } },
  ])('$name is missing', ({ data }) => {
    expect(parsePatchMetadataWhitelist(data, SOURCE)).toEqual({ kind: 'missing', source: SOURCE });
  });
});

describe('parsePatchMetadataWhitelist: text that is not a whitelist', () => {
  it.each([
    { name: 'not JSON', text: '{"rules": [', reason: /is not JSON/ },
    { name: 'a JSON list', text: '[]', reason: /the whitelist: cannot read a JSON array/ },
    { name: 'rules as an object', text: '{"rules": {}}', reason: /rules: cannot read a JSON object as a list/ },
    { name: 'an expression that is a number', text: '{"rules": [{"allowedAnnotationKeyExprs": [1]}]}', reason: /rules\[0\]\.allowedAnnotationKeyExprs\[0\]: cannot read a JSON number as a string/ },
    { name: 'a selector that is a string', text: '{"rules": [{"selector": "app=x"}]}', reason: /rules\[0\]\.selector: cannot read a JSON string/ },
    { name: 'a label value that is a boolean', text: '{"rules": [{"selector": {"matchLabels": {"a": true}}}]}', reason: /matchLabels\[a\]: cannot read a JSON boolean/ },
    { name: 'a rule that is a string', text: '{"rules": ["x"]}', reason: /rules\[0\]: cannot read a JSON string as an object/ },
    { name: 'a data value that is not a string', text: 7, reason: /is not a string/ },
    { name: 'text over the length bound', text: `{"rules": [], "pad": "${'x'.repeat(WHITELIST_BOUNDS.maxLength)}"}`, reason: /longer than 65536 characters/ },
    { name: 'nesting over the depth bound', text: `{"x": ${'['.repeat(40)}${']'.repeat(40)}}`, reason: /nest/ },
  ])('$name is invalid', ({ text, reason }) => {
    const parsed = parse(text);
    expect(parsed.kind).toBe('invalid');
    expect(parsed.kind === 'invalid' && parsed.reason).toMatch(reason);
  });

  it('expressions estimated to compile to more than 16,384 instructions together are refused whole, before compiling', () => {
    const heavy = Array.from({ length: 20 }, (_, i) => `^k${i}${'[a-z]{1000}'.repeat(4)}`);
    expect(parse(JSON.stringify({ rules: [{ allowedAnnotationKeyExprs: heavy }] }))).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/compile to about \d+ instructions together; at most 16384/) });
    expect(rulesOf(parse(JSON.stringify({ rules: [{ allowedAnnotationKeyExprs: heavy.slice(0, 4) }] })))[0]!.expressions).toHaveLength(4);
  });

  it(`more than ${WHITELIST_BOUNDS.maxExpressions} expressions in all rules together are refused whole`, () => {
    const half = Array.from({ length: WHITELIST_BOUNDS.maxExpressions / 2 + 1 }, (_, i) => `^k${i}$`);
    const parsed = parse(JSON.stringify({ rules: [{ allowedAnnotationKeyExprs: half }, { allowedAnnotationKeyExprs: half }] }));
    expect(parsed).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/has 258 allowedAnnotationKeyExprs; at most 256/) });
    expect(rulesOf(parse(JSON.stringify({ rules: [{ allowedAnnotationKeyExprs: half.slice(1) }, { allowedAnnotationKeyExprs: half.slice(1) }] })))).toHaveLength(2);
  });
});

describe('parsePatchMetadataWhitelist: decoded as Go decodes it', () => {
  it.each([
    { name: 'the documented form', text: '{"rules":[{"selector":{"matchLabels":{"a":"b"}},"allowedAnnotationKeyExprs":["^foo\\\\..*"]}]}', rules: [{ selector: { matchLabels: { a: 'b' }, matchExpressions: [] }, expressions: ['^foo\\..*'] }] },
    { name: 'JSON null is a whitelist without rules', text: 'null', rules: [] },
    { name: 'rules null is no rules', text: '{"rules": null}', rules: [] },
    { name: 'a rule without selector applies to all (no selector)', text: '{"rules":[{"allowedAnnotationKeyExprs":["x"]}]}', rules: [{ expressions: ['x'] }] },
    { name: 'a null selector is no selector', text: '{"rules":[{"selector":null,"allowedAnnotationKeyExprs":["x"]}]}', rules: [{ expressions: ['x'] }] },
    { name: 'an empty selector is kept (it selects everything)', text: '{"rules":[{"selector":{},"allowedAnnotationKeyExprs":["x"]}]}', rules: [{ selector: { matchLabels: {}, matchExpressions: [] }, expressions: ['x'] }] },
    { name: 'a null rule is a rule allowing nothing', text: '{"rules":[null]}', rules: [{ expressions: [] }] },
    { name: 'a null expression is the empty expression', text: '{"rules":[{"allowedAnnotationKeyExprs":[null]}]}', rules: [{ expressions: [''] }] },
    { name: 'field names match ignoring case', text: '{"Rules":[{"ALLOWEDANNOTATIONKEYEXPRS":["x"],"Selector":{"MatchLabels":{"a":"b"}}}]}', rules: [{ selector: { matchLabels: { a: 'b' }, matchExpressions: [] }, expressions: ['x'] }] },
    { name: 'of two spellings of a field the last wins', text: '{"rules":[{"allowedAnnotationKeyExprs":["first"]}],"RULES":[{"allowedAnnotationKeyExprs":["last"]}]}', rules: [{ expressions: ['last'] }] },
    { name: 'unknown members are ignored', text: '{"rules":[{"allowedAnnotationKeyExprs":["x"],"comment":{"any":[1,2]}}],"version":3}', rules: [{ expressions: ['x'] }] },
    {
      name: 'matchExpressions keep key, operator and values',
      text: '{"rules":[{"selector":{"matchExpressions":[{"key":"tier","operator":"In","values":["a","b"]}]},"allowedAnnotationKeyExprs":["x"]}]}',
      rules: [{ selector: { matchLabels: {}, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] }, expressions: ['x'] }],
    },
  ])('$name', ({ text, rules }) => {
    expect(rulesOf(parse(text)).map(shape)).toEqual(rules.map((rule) => ({ selector: undefined, selectorError: undefined, ...rule })));
  });

  it('an operator OpenKruise does not know marks the rule', () => {
    const [rule] = rulesOf(parse('{"rules":[{"selector":{"matchExpressions":[{"key":"a","operator":"Gt"}]},"allowedAnnotationKeyExprs":["x"]}]}'));
    expect(rule?.selectorError).toMatch(/rules\[0\]\.selector: operator "Gt" is not one of In, NotIn, Exists, DoesNotExist/);
  });
});

describe('parsePatchMetadataWhitelist: each expression compiled as RE2', () => {
  const compiled = (expression: string) => rulesOf(parse(JSON.stringify({ rules: [{ allowedAnnotationKeyExprs: [expression] }] })))[0]!.expressions[0]!;
  it.each([
    { name: 'an unclosed group', expression: '^(foo', error: /is not a valid RE2 expression: .*missing closing \)/ },
    { name: 'a lookahead (not RE2)', expression: 'foo(?=bar)', error: /is not a valid RE2 expression/ },
    { name: 'a backreference (not RE2)', expression: '(a)\\1', error: /is not a valid RE2 expression/ },
    { name: 'a repeat count over 1000, as Go refuses', expression: 'a{1001}', error: /invalid repeat count/ },
    { name: 'nested repeats over 1000, as Go refuses', expression: '(a{10}){101}', error: /invalid repeat count/ },
    { name: 'an expression over the length bound', expression: `^${'a'.repeat(EXPRESSION_BOUNDS.maxLength)}`, error: /longer than 1024 characters/ },
    { name: 'an expression over the program bound', expression: '[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}', error: /compiles to \d+ instructions; at most 4096/ },
    { name: 'an expression far over it, not compiled at all', expression: '[a-z]{1000}'.repeat(10), error: /compiles to about \d+ instructions; at most 4096/ },
  ])('$name is an expression error', ({ expression, error }) => {
    const result = compiled(expression);
    expect('error' in result && result.error).toMatch(error);
  });

  it.each([
    { name: 'unanchored, as Go MatchString: anywhere in the key', expression: 'foo', key: 'x.foo/y', matches: true },
    { name: 'anchored at the start', expression: '^foo\\..*', key: 'x.foo.y', matches: false },
    { name: 'anchored at the start, matching', expression: '^foo\\..*', key: 'foo.bar/baz', matches: true },
    { name: 'an escaped dot is a dot', expression: '^foo\\.', key: 'fooxbar', matches: false },
    { name: 'inline case folding (?i)', expression: '(?i)^FOO/', key: 'foo/bar', matches: true },
    { name: 'a Unicode class', expression: '^\\pL+$', key: 'été', matches: true },
    { name: 'a POSIX class', expression: '^[[:alpha:]]+$', key: 'abc', matches: true },
    { name: '\\z is the end of the key', expression: '^a\\z', key: 'a', matches: true },
    { name: 'the empty expression matches every key', expression: '', key: 'anything', matches: true },
  ])('$name', ({ expression, key, matches }) => {
    const result = compiled(expression);
    expect('matches' in result && result.matches(key)).toBe(matches);
  });

  it('an expression that backtracks exponentially elsewhere is matched in linear time', () => {
    // A backtracking engine takes about 2^300 steps on this key; the vitest timeout would end it.
    const result = compiled('^(a+)+$');
    expect('matches' in result && result.matches(`${'a'.repeat(300)}!`)).toBe(false);
    const nested = compiled('(x+x+)+y');
    expect('matches' in nested && nested.matches('x'.repeat(316))).toBe(false);
  });
});

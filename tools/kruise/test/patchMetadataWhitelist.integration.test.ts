// The patchPodMetadata whitelist, differentially: the same whitelist text in each side's
// kruise-configuration ConfigMap (OpenKruise v1.9.0's in kruise-system, ours in sidecarset-system),
// the same SidecarSets dry-run created on both; each must be admitted by both or refused by both, as
// the table expects. The whitelists probe what a reading of OpenKruise's code leaves open: Go's JSON
// decoding (field names in any case, null), label selector edge cases (In without values, NotIn and
// Exists on absent labels, an empty selector, an unknown operator), RE2 syntax and unanchored
// matching, an expression that does not compile in a rule that does or does not select, text that is
// not a whitelist, and no key at all.
//
// Each world is applied after a reset whitelist that admits only `ok.example/` keys, and its first
// case has the other outcome, so a side still holding the previous whitelist cannot pass it.
import { requestJson, type SidecarSet } from '@sidecarset/api';
import { SIDECARSET_NAMESPACE } from '@sidecarset/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KRUISE_NAMESPACE } from '../src/index.js';
import { outcome, startOpenKruiseSide, startOurSide, type Outcome, type Side } from './differential/sides.js';

const KEY = 'SidecarSet_PatchPodMetadata_WhiteList';
const SIDECARSETS = '/apis/apps.kruise.io/v1alpha1/sidecarsets';

let kruise: Side;
let ours: Side;

beforeAll(async () => {
  [kruise, ours] = await Promise.all([startOpenKruiseSide(), startOurSide()]);
});
afterAll(async () => {
  await Promise.all([kruise?.plane.stop(), ours?.plane.stop()]);
});

const namespaceOf = (side: Side) => (side.name === 'openkruise' ? KRUISE_NAMESPACE : SIDECARSET_NAMESPACE);

/** Writes the ConfigMap with `text` under the whitelist key, or without the key (null), or deletes it (undefined). */
async function setWhitelistText(side: Side, text: string | null | undefined): Promise<void> {
  const namespace = namespaceOf(side);
  if (text === undefined) {
    const { code, stderr } = await side.plane.kubectl(['delete', 'configmap', 'kruise-configuration', '-n', namespace, '--ignore-not-found']);
    if (code !== 0) throw new Error(`${side.name}: ${stderr}`);
    return;
  }
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kruise-configuration', namespace }, data: text === null ? { other: 'x' } : { [KEY]: text } };
  // Every write of it is a kubectl apply (./differential/sides.ts's too), so a key left out is removed.
  const { code, stderr } = await side.plane.kubectl(['apply', '-f', '-'], JSON.stringify(configMap));
  if (code !== 0) throw new Error(`${side.name}: ${stderr}`);
}

const sidecarSet = (id: string, labels: Record<string, string>, key: string): SidecarSet =>
  ({
    apiVersion: 'apps.kruise.io/v1alpha1',
    kind: 'SidecarSet',
    metadata: { name: `wl-${id}`, labels },
    spec: { selector: { matchLabels: { app: `wl-${id}` } }, containers: [{ name: `wl-${id}`, image: 'busybox:1.36' }], patchPodMetadata: [{ annotations: { [key]: 'x' }, patchPolicy: 'Overwrite' }] },
  }) as SidecarSet;

const dryRunCreate = (side: Side, s: SidecarSet): Promise<Outcome<SidecarSet>> => outcome(requestJson<SidecarSet>(side.plane.kubeConfig, 'POST', SIDECARSETS, { dryRun: 'All' }, s));

interface Case {
  name: string;
  labels?: Record<string, string>;
  key: string;
  admitted: boolean;
}

/** Dry-runs the case on both sides until both give the expected outcome, or 20 s; returns the last outcomes. */
async function untilExpected(id: string, c: Case): Promise<{ openkruise: string; ours: string }> {
  const set = sidecarSet(id, c.labels ?? {}, c.key);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [theirs, mine] = await Promise.all([dryRunCreate(kruise, set), dryRunCreate(ours, set)]);
    const seen = { openkruise: theirs.ok ? 'admitted' : `refused: ${theirs.message}`, ours: mine.ok ? 'admitted' : `refused: ${mine.message}` };
    if ((theirs.ok === c.admitted && mine.ok === c.admitted) || Date.now() > deadline) return seen;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const RESET = JSON.stringify({ rules: [{ allowedAnnotationKeyExprs: ['^ok\\.example/'] }] });
const OK_KEY = 'ok.example/x';

interface World {
  name: string;
  /** The whitelist key's text; null: a ConfigMap without the key; undefined: no ConfigMap. */
  text: string | null | undefined;
  /** The first flips the reset's outcome (admits a key other than ok.example/, or refuses ok.example/). */
  cases: Case[];
}

const WORLDS: World[] = [
  {
    name: 'field names in any case (Go decoding)',
    text: '{"Rules":[{"Selector":{"MatchLabels":{"tier":"gold"}},"AllowedAnnotationKeyExprs":["^gold\\\\.example/"]}]}',
    cases: [
      { name: 'a key of the rule, on a SidecarSet it selects', labels: { tier: 'gold' }, key: 'gold.example/x', admitted: true },
      { name: 'the same key on one it does not select', labels: { tier: 'silver' }, key: 'gold.example/x', admitted: false },
      { name: 'another key on one it selects', labels: { tier: 'gold' }, key: OK_KEY, admitted: false },
    ],
  },
  {
    name: 'label selector edge cases',
    text: JSON.stringify({
      rules: [
        { selector: {}, allowedAnnotationKeyExprs: ['^all\\.example/'] },
        { selector: { matchExpressions: [{ key: 'tier', operator: 'In' }] }, allowedAnnotationKeyExprs: ['^in-empty\\.example/'] },
        { selector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['gold'] }] }, allowedAnnotationKeyExprs: ['^notin\\.example/'] },
        { selector: { matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, allowedAnnotationKeyExprs: ['^zone\\.example/'] },
        { selector: { matchLabels: { tier: '' } }, allowedAnnotationKeyExprs: ['^blank\\.example/'] },
      ],
    }),
    cases: [
      { name: 'an empty selector selects every SidecarSet', key: 'all.example/x', admitted: true },
      { name: 'In without values selects nothing', labels: { tier: 'gold' }, key: 'in-empty.example/x', admitted: false },
      { name: 'NotIn selects a SidecarSet without the label', key: 'notin.example/x', admitted: true },
      { name: 'NotIn does not select one with a listed value', labels: { tier: 'gold' }, key: 'notin.example/x', admitted: false },
      { name: 'Exists selects one with the label', labels: { zone: 'a' }, key: 'zone.example/x', admitted: true },
      { name: 'Exists does not select one without', key: 'zone.example/x', admitted: false },
      { name: 'matchLabels with an empty value selects the label set to ""', labels: { tier: '' }, key: 'blank.example/x', admitted: true },
      { name: 'matchLabels with an empty value does not select a missing label', key: 'blank.example/x', admitted: false },
    ],
  },
  {
    name: 'RE2 syntax and unanchored matching',
    text: JSON.stringify({
      rules: [
        { allowedAnnotationKeyExprs: ['(?i)^CASE\\.example/', 'mid\\.example', '^end\\.example/x\\z', '^[[:digit:]]+\\.example/', '^a{2,3}\\.example/'] },
        { selector: { matchLabels: { empty: 'yes' } }, allowedAnnotationKeyExprs: [''] },
      ],
    }),
    cases: [
      { name: '(?i) folds case', key: 'case.example/x', admitted: true },
      { name: 'an unanchored expression matches inside the key', key: 'x.mid.example/y', admitted: true },
      { name: '\\z ends the key', key: 'end.example/xy', admitted: false },
      { name: '\\z at the end of the key', key: 'end.example/x', admitted: true },
      { name: 'a POSIX class', key: '42.example/x', admitted: true },
      { name: 'a counted repetition', key: 'aaaa.example/x', admitted: false },
      { name: 'a counted repetition, in range', key: 'aaa.example/x', admitted: true },
      { name: 'the empty expression matches every key', labels: { empty: 'yes' }, key: 'any.example/x', admitted: true },
    ],
  },
  {
    name: 'expressions that do not compile',
    text: JSON.stringify({
      rules: [
        { selector: { matchLabels: { never: 'x' } }, allowedAnnotationKeyExprs: ['('] },
        { selector: { matchLabels: { la: 'yes' } }, allowedAnnotationKeyExprs: ['^a(?=b)'] },
        { allowedAnnotationKeyExprs: ['^ok\\.example/', '^other\\.example/'] },
      ],
    }),
    cases: [
      { name: 'one in a rule that does not select is never compiled', key: 'other.example/x', admitted: true },
      { name: 'a lookahead (not RE2) in a rule that selects refuses', labels: { la: 'yes' }, key: OK_KEY, admitted: false },
      { name: 'a broken expression in a rule that selects refuses', labels: { never: 'x' }, key: OK_KEY, admitted: false },
    ],
  },
  {
    name: 'an operator OpenKruise does not know, in a rule that does not select',
    text: JSON.stringify({ rules: [{ selector: { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }, allowedAnnotationKeyExprs: ['.*'] }, { allowedAnnotationKeyExprs: ['^ok\\.example/'] }] }),
    cases: [{ name: 'refuses every SidecarSet patching annotations', key: OK_KEY, admitted: false }],
  },
  { name: 'JSON null', text: 'null', cases: [{ name: 'no rules: refused', key: OK_KEY, admitted: false }] },
  { name: 'text that is not JSON', text: '{"rules": [', cases: [{ name: 'refused', key: OK_KEY, admitted: false }] },
  { name: 'rules of the wrong type', text: '{"rules": {"allowedAnnotationKeyExprs": [".*"]}}', cases: [{ name: 'refused', key: OK_KEY, admitted: false }] },
  { name: 'a ConfigMap without the key', text: null, cases: [{ name: 'refused', key: OK_KEY, admitted: false }] },
  { name: 'no ConfigMap', text: undefined, cases: [{ name: 'refused', key: OK_KEY, admitted: false }] },
];

describe('the same patchPodMetadata whitelist on OpenKruise v1.9.0 and on our webhook: the same verdicts', () => {
  describe.each(WORLDS.map((world, index) => ({ ...world, index })))('$name', (world) => {
    it.each(world.cases.map((c, i) => ({ ...c, i })))('$name', async (c) => {
      if (c.i === 0) {
        await Promise.all([setWhitelistText(kruise, RESET), setWhitelistText(ours, RESET)]);
        const reset = await untilExpected(`w${world.index}-reset`, { name: 'reset', key: OK_KEY, admitted: true });
        expect(reset, 'the reset whitelist admits ok.example/ keys on both').toEqual({ openkruise: 'admitted', ours: 'admitted' });
        await Promise.all([setWhitelistText(kruise, world.text), setWhitelistText(ours, world.text)]);
      }
      const seen = await untilExpected(`w${world.index}-${c.i}`, c);
      const verdict = (s: string) => (s === 'admitted' ? 'admitted' : 'refused');
      const expected = c.admitted ? 'admitted' : 'refused';
      expect({ openkruise: verdict(seen.openkruise), ours: verdict(seen.ours) }, JSON.stringify(seen, null, 2)).toEqual({ openkruise: expected, ours: expected });
    });
  });
});

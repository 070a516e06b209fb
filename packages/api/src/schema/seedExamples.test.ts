// Every SidecarSet and SidecarSetResourceBinding example of the user's seed documents, copied
// verbatim into test/fixtures/seeds, checked against the generated CRD schemas: the valid ones pass,
// the malformed ones fail naming the field.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFieldError } from '../fieldError.js';
import { parseManifests } from '../manifests/parseManifests.js';
import { isValidatedKind, validateAgainstCrd } from './validateAgainstCrd.js';

const FIXTURES = join(import.meta.dirname, '../../test/fixtures/seeds');
const SEEDS = join(import.meta.dirname, '../../../../../shared/seeds');

function check(fixture: string): string[] {
  const [document, ...more] = parseManifests(readFileSync(join(FIXTURES, fixture), 'utf8'));
  expect(more).toEqual([]);
  const value = document!.value as { kind?: unknown };
  expect(isValidatedKind(value.kind)).toBe(true);
  const schemaErrors = isValidatedKind(value.kind) ? validateAgainstCrd(value.kind, value) : [];
  return [...document!.errors, ...schemaErrors].map(formatFieldError);
}

const VALID: [string, string][] = [
  ['000-filebeat-sidecarset.yaml', 'cross-namespace ConfigMap volume'],
  ['000-filebeat-sidecarset-2.yaml', 'CSI stdlog volume'],
  ['000-filebeat-sidecarset-3.yaml', 'env, two mounts, two volumes'],
  ['000-filebeat-sidecarset-resourcebinding.yaml', 'binding with empty labels'],
  ['000-filebeat-sidecarset-resourcebinding-2.yaml', 'binding, indented copy'],
  ['002-test-sidecarset.yaml', 'early OpenKruise spelling strategy.rollingUpdate'],
  ['004-sidecarset.yaml', 'partition 980 with maxUnavailable 10%'],
  ['004-sidecarset-2.yaml', 'maxUnavailable 10% alone'],
  ['004-sidecarset-4.yaml', 'scatterStrategy'],
  ['004-logtail-sidecarset-2.yaml', 'image-only edit'],
];

const MALFORMED: [string, string, string[]][] = [
  [
    '003-scs-demo.yaml',
    'label written beside matchLabels instead of under it',
    ['spec.selector.app: unknown field'],
  ],
  [
    '004-test-sidecarset.yaml',
    'shareVolumePolicy as a scalar and a mis-indented transferEnv',
    [
      'spec.containers[0].transferEnv[0].sourceContainerName: All mapping items must start at the same column',
      'spec.containers[0].shareVolumePolicy: must be an object',
    ],
  ],
  [
    '004-sidecarset-3.yaml',
    'a list under matchLabels',
    ['spec.updateStrategy.selector.matchLabels: must be an object'],
  ],
  [
    '004-logtail-sidecarset.yaml',
    'mis-indented volumeMounts, transferEnv and volumes',
    [
      'spec.containers[0].volumeMounts[0].name: Nested mappings are not allowed in compact mappings (line 34',
      'spec.containers[0].transferEnv[0].sourceContainerName: Nested mappings are not allowed',
      'spec.volumes[0].name: Nested mappings are not allowed',
    ],
  ],
];

describe('seed examples against the generated CRD schemas', () => {
  it.each(VALID)('%s is valid (%s)', (fixture) => {
    expect(check(fixture)).toEqual([]);
  });

  it.each(MALFORMED)('%s is rejected: %s', (fixture, _why, expected) => {
    const messages = check(fixture);
    for (const prefix of expected) expect(messages.some((m) => m.startsWith(prefix)), `${prefix}\nin ${messages.join('\n')}`).toBe(true);
  });

  it('every fixture is covered by a case', () => {
    const covered = new Set([...VALID.map(([f]) => f), ...MALFORMED.map(([f]) => f)]);
    expect(readdirSync(FIXTURES).filter((f) => !covered.has(f))).toEqual([]);
  });
});

describe.skipIf(!existsSync(SEEDS))('fixtures are verbatim copies of the seeds', () => {
  const fixtures = readdirSync(FIXTURES).map((name) => readFileSync(join(FIXTURES, name), 'utf8'));

  it.each(fixtures.map((text) => [text.split('\n')[0]!, text]))('%s', (header, text) => {
    const [, file, from, to] = /shared\/seeds\/(\S+), lines (\d+)-(\d+)/.exec(header)!;
    const seedLines = readFileSync(join(SEEDS, file!), 'utf8').split('\n').slice(Number(from) - 1, Number(to));
    const indent = /^\s*/.exec(seedLines[0]!)![0].length;
    expect(text.split('\n').slice(1, -1)).toEqual(seedLines.map((line) => line.slice(indent)));
  });

  it('every SidecarSet and binding in the seeds has a fixture', () => {
    const inSeeds = readdirSync(SEEDS).flatMap((file) =>
      readFileSync(join(SEEDS, file), 'utf8')
        .split('\n')
        .flatMap((line, i, lines) =>
          /^\s*kind: SidecarSet(ResourceBinding)?\s*$/.test(line) && /^\s*apiVersion:/.test(lines[i - 1] ?? '') ? [`${file}:${i}`] : [],
        ),
    );
    const starts = fixtures.map((text) => {
      const [, file, from] = /shared\/seeds\/(\S+), lines (\d+)/.exec(text)!;
      return `${file}:${Number(from)}`;
    });
    expect(starts.sort()).toEqual(inSeeds.sort());
  });
});

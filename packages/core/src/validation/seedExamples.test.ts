// Every SidecarSet and SidecarSetResourceBinding example of the user's seed documents, defaulted as the
// mutating webhook would and then validated: the complete ones are valid; the fragments and the
// malformed ones are rejected, each for the reasons listed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifests, type SidecarSet, type SidecarSetResourceBinding } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { defaultSidecarSet } from '../defaults/defaultSidecarSet.js';
import { validateResourceBinding } from './validateResourceBinding.js';
import { validateSidecarSet } from './validateSidecarSet.js';

const FIXTURES = join(import.meta.dirname, '../../../api/test/fixtures/seeds');

function validate(fixture: string): string[] {
  const [document] = parseManifests(readFileSync(join(FIXTURES, fixture), 'utf8'));
  const value = document!.value as { kind?: string };
  const errors =
    value.kind === 'SidecarSetResourceBinding'
      ? validateResourceBinding(value as SidecarSetResourceBinding)
      : validateSidecarSet(defaultSidecarSet(value as SidecarSet), undefined, []);
  return errors.map((e) => `${e.path} ${e.type}`);
}

const FRAGMENT = ['spec.selector Required', 'spec.containers Required'];

const EXPECTED: [fixture: string, why: string, errors: string[]][] = [
  ['000-filebeat-sidecarset.yaml', 'cross-namespace ConfigMap volume', []],
  ['000-filebeat-sidecarset-2.yaml', 'CSI stdlog volume', []],
  ['000-filebeat-sidecarset-3.yaml', 'env, two mounts, two volumes', []],
  ['000-filebeat-sidecarset-resourcebinding.yaml', 'binding', []],
  ['000-filebeat-sidecarset-resourcebinding-2.yaml', 'binding, indented copy', []],
  ['002-test-sidecarset.yaml', 'early OpenKruise spelling strategy.rollingUpdate', []],
  ['004-logtail-sidecarset-2.yaml', 'an image-only edit fragment: no selector', ['spec.selector Required']],
  ['004-sidecarset.yaml', 'updateStrategy fragment (partition 980, maxUnavailable 10%)', FRAGMENT],
  ['004-sidecarset-2.yaml', 'updateStrategy fragment (maxUnavailable 10%)', FRAGMENT],
  ['004-sidecarset-4.yaml', 'updateStrategy fragment (scatterStrategy)', FRAGMENT],
  ['004-sidecarset-3.yaml', 'fragment with a list under the canary selector', [...FRAGMENT, 'spec.updateStrategy.selector.matchLabels TypeInvalid']],
  [
    '003-scs-demo.yaml',
    'label beside matchLabels, and a mount of an undeclared volume',
    ['spec.selector.app UnknownField', 'spec.containers[0].volumeMounts[0].name Invalid'],
  ],
  ['004-test-sidecarset.yaml', 'shareVolumePolicy as a scalar', ['spec.containers[0].shareVolumePolicy TypeInvalid']],
  [
    '004-logtail-sidecarset.yaml',
    'mis-indented volumes, volumeMounts and transferEnv leave empty fields behind',
    [
      'spec.volumes[0].name Required',
      'spec.containers[0].volumeMounts[0].name Required',
      'spec.containers[0].volumeMounts[0].mountPath Required',
      'spec.containers[0].transferEnv[0].sourceContainerName TypeInvalid',
      'spec.containers[0].transferEnv[0].envName Required',
    ],
  ],
];

describe('seed examples, defaulted then validated', () => {
  it.each(EXPECTED)('%s (%s)', (fixture, _why, expected) => {
    expect(validate(fixture)).toEqual(expected);
  });

  it('every fixture is covered by a case', () => {
    const covered = new Set(EXPECTED.map(([f]) => f));
    expect(readdirSync(FIXTURES).filter((f) => !covered.has(f))).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { SidecarSet, Volume } from '@sidecarset/api';
import { crossNamespaceSources } from './crossNamespaceSources.js';

const sidecarSetWith = (volumes: Volume[]): SidecarSet => ({ metadata: { name: 's' }, spec: { selector: {}, containers: [], volumes } }) as SidecarSet;

describe('crossNamespaceSources', () => {
  it('seed 000: the config volume names kube-system/filebeat-config', () => {
    const seed = parse(readFileSync(new URL('../../../api/test/fixtures/seeds/000-filebeat-sidecarset-3.yaml', import.meta.url), 'utf8')) as SidecarSet;
    expect(crossNamespaceSources(seed)).toEqual([
      { source: { kind: 'ConfigMap', namespace: 'kube-system', name: 'filebeat-config' }, volume: 'config', path: 'spec.volumes[0].configMap.name' },
    ]);
  });

  it.each<[string, Volume[], ReturnType<typeof crossNamespaceSources>]>([
    ['plain names are not sources', [{ name: 'a', configMap: { name: 'cfg' } }, { name: 'b', secret: { secretName: 'tls' } }], []],
    ['a Secret', [{ name: 'a', emptyDir: {} }, { name: 'b', secret: { secretName: 'ns/tls' } }], [{ source: { kind: 'Secret', namespace: 'ns', name: 'tls' }, volume: 'b', path: 'spec.volumes[1].secret.secretName' }]],
    [
      'projected sources, in order, skipping plain and other kinds',
      [
        {
          name: 'p',
          projected: {
            sources: [
              { configMap: { name: 'plain' } },
              { secret: { name: 'ns1/s' } },
              { downwardAPI: { items: [] } },
              { configMap: { name: 'ns2/c.d' } },
            ],
          },
        },
      ],
      [
        { source: { kind: 'Secret', namespace: 'ns1', name: 's' }, volume: 'p', path: 'spec.volumes[0].projected.sources[1].secret.name' },
        { source: { kind: 'ConfigMap', namespace: 'ns2', name: 'c.d' }, volume: 'p', path: 'spec.volumes[0].projected.sources[3].configMap.name' },
      ],
    ],
    [
      'the same source in two volumes is listed twice',
      [{ name: 'a', configMap: { name: 'ns/c' } }, { name: 'b', configMap: { name: 'ns/c' } }],
      [
        { source: { kind: 'ConfigMap', namespace: 'ns', name: 'c' }, volume: 'a', path: 'spec.volumes[0].configMap.name' },
        { source: { kind: 'ConfigMap', namespace: 'ns', name: 'c' }, volume: 'b', path: 'spec.volumes[1].configMap.name' },
      ],
    ],
    ['an invalid one is still reported (validation says what is wrong)', [{ name: 'a', configMap: { name: '/x' } }], [{ source: { kind: 'ConfigMap', namespace: '', name: 'x' }, volume: 'a', path: 'spec.volumes[0].configMap.name' }]],
  ])('%s', (_, volumes, expected) => {
    expect(crossNamespaceSources(sidecarSetWith(volumes))).toEqual(expected);
  });

  it('no volumes: none', () => {
    expect(crossNamespaceSources({ metadata: { name: 's' }, spec: { selector: {} } } as SidecarSet)).toEqual([]);
  });
});

import type { Pod, SidecarSet } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { WrittenObjects } from './writtenObjects.js';

const pod = (name: string, resourceVersion: string, image = 'v1'): Pod => ({ metadata: { namespace: 'ns', name, resourceVersion }, spec: { containers: [{ name: 'c', image }] } });

describe('WrittenObjects', () => {
  it('A written pod stands in for an older cached one', () => {
    const written = new WrittenObjects<Pod>();
    written.record(pod('a', '12', 'v2'));
    expect(written.freshestOf([pod('a', '10'), pod('b', '11')])).toEqual([pod('a', '12', 'v2'), pod('b', '11')]);
  });

  it('The cache holding the write, or a later version, ends it', () => {
    for (const resourceVersion of ['12', '13']) {
      const written = new WrittenObjects<Pod>();
      written.record(pod('a', '12', 'v2'));
      written.observe({ type: 'update', object: pod('a', resourceVersion, 'v2'), old: pod('a', '10') });
      expect(written.size).toBe(0);
      expect(written.freshestOf([pod('a', resourceVersion, 'v2')])).toEqual([pod('a', resourceVersion, 'v2')]);
    }
  });

  it('An older event keeps the write; a delete ends it', () => {
    const written = new WrittenObjects<Pod>();
    written.record(pod('a', '12', 'v2'));
    written.observe({ type: 'update', object: pod('a', '11'), old: pod('a', '10') });
    expect(written.size).toBe(1);
    written.observe({ type: 'delete', object: pod('a', '11') });
    expect(written.size).toBe(0);
  });

  it('A resourceVersion that is not a number never replaces the cached object', () => {
    const written = new WrittenObjects<Pod>();
    written.record(pod('a', 'abc', 'v2'));
    expect(written.freshestOf([pod('a', '10')])).toEqual([pod('a', '10')]);
  });

  it('A SidecarSet whose status was written: the written one until the cache has it; a spec change after it wins', () => {
    const sidecarSet = (resourceVersion: string, image: string, updatedPods?: number): SidecarSet => ({ metadata: { name: 's', resourceVersion }, spec: { selector: {}, containers: [{ name: 'c', image }] }, ...(updatedPods === undefined ? {} : { status: { matchedPods: 10, updatedPods, readyPods: 10 } }) });
    const written = new WrittenObjects<SidecarSet>();
    written.record(sidecarSet('20', 'v1', 5));
    expect(written.freshest(sidecarSet('19', 'v1'))).toEqual(sidecarSet('20', 'v1', 5));
    expect(written.freshest(sidecarSet('21', 'v2', 5))).toEqual(sidecarSet('21', 'v2', 5));
    expect(written.freshest(undefined)).toBeUndefined();
  });
});

import type { ControllerRevision, SidecarSet } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { CUSTOM_VERSION_LABEL, SIDECARSET_HASH_ANNOTATION } from '../annotations.js';
import { sidecarSetHash } from '../hash/sidecarSetHash.js';
import { customVersionRevisions, SIDECARSET_NAME_LABEL } from './resolveInjectionRevision.js';
import { restoreSidecarSetFromRevision } from './restoreSidecarSetFromRevision.js';

const live: SidecarSet = {
  metadata: { name: 's', annotations: { keep: 'me' } },
  spec: { selector: { matchLabels: { app: 'web' } }, containers: [{ name: 'c', image: 'new' }], volumes: [{ name: 'v', emptyDir: {} }] },
};
const revision = (data: unknown, annotations: Record<string, string> = {}): ControllerRevision => ({
  metadata: { name: 's-1', annotations },
  revision: 1,
  data: data as ControllerRevision['data'],
});

describe('restoreSidecarSetFromRevision', () => {
  it.each([
    { name: 'reads data as an object', data: { spec: { $patch: 'replace', containers: [{ name: 'c', image: 'old' }] } } },
    { name: 'reads data as a JSON string', data: JSON.stringify({ spec: { containers: [{ name: 'c', image: 'old' }] } }) },
  ])('$name', ({ data }) => {
    const restored = restoreSidecarSetFromRevision(live, revision(data));
    expect(restored.ok && restored.sidecarSet.spec).toEqual({ containers: [{ name: 'c', image: 'old' }] });
  });

  it('the recorded spec replaces the whole spec: unrecorded volumes are gone', () => {
    const restored = restoreSidecarSetFromRevision(live, revision({ spec: { containers: [], volumes: null } }));
    expect(restored.ok && restored.sidecarSet.spec.volumes).toBeUndefined();
  });

  it('takes the hash from the revision annotations, else computes it, and records the revision name', () => {
    const fromAnnotation = restoreSidecarSetFromRevision(live, revision({ spec: { containers: [] } }, { [SIDECARSET_HASH_ANNOTATION]: 'h' }));
    expect(fromAnnotation.ok && fromAnnotation.sidecarSet.metadata?.annotations?.[SIDECARSET_HASH_ANNOTATION]).toBe('h');
    const computed = restoreSidecarSetFromRevision(live, revision({ spec: { containers: [{ name: 'c', image: 'old' }] } }));
    expect(computed.ok && computed.sidecarSet.metadata?.annotations).toMatchObject({
      keep: 'me',
      [SIDECARSET_HASH_ANNOTATION]: sidecarSetHash({ ...live, spec: { containers: [{ name: 'c', image: 'old' }] } }),
    });
    expect(computed.ok && computed.sidecarSet.status?.latestRevision).toBe('s-1');
  });

  it('data without a spec is an error naming the revision', () => {
    expect(restoreSidecarSetFromRevision(live, revision('nope'))).toEqual({ ok: false, reason: expect.stringContaining('"s-1"') });
  });
});

describe('customVersionRevisions', () => {
  it("keeps only this SidecarSet's revisions with that version, oldest first", () => {
    const cr = (name: string, owner: string, version: string, n: number): ControllerRevision => ({
      metadata: { name, labels: { [SIDECARSET_NAME_LABEL]: owner, [CUSTOM_VERSION_LABEL]: version } },
      revision: n,
    });
    const found = customVersionRevisions('s', 'v1', [cr('b', 's', 'v1', 3), cr('x', 'other', 'v1', 9), cr('a', 's', 'v1', 1), cr('c', 's', 'v2', 5)]);
    expect(found.map((r) => r.metadata?.name)).toEqual(['a', 'b']);
  });
});

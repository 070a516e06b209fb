import type { ControllerRevision, Pod, SidecarSet } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { safeEncodeString } from '../hash/sidecarSetHash.js';
import { controllerRevisionHash, fnv32, revisionPatch } from './revisionPatch.js';
import { newSidecarSetRevision, planHistory, revisionMatches, revisionName } from './sidecarSetRevision.js';

const sidecarSet = (image: string, extra: Partial<SidecarSet['spec']> = {}): SidecarSet => ({
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name: 'log', uid: 'u1' },
  spec: { selector: { matchLabels: { app: 'a' } }, containers: [{ name: 'agent', image }], ...extra },
});

const history = (count: number): ControllerRevision[] =>
  Array.from({ length: count }, (_, i) => newSidecarSetRevision(sidecarSet(`agent:${i + 1}`), 'sidecarset-system', i + 1));

const podOnRevision = (revision: string): Pod => ({
  metadata: {
    name: 'p',
    annotations: {
      'kruise.io/sidecarset-hash': JSON.stringify({ log: { updateTimestamp: '2026-01-01T00:00:00Z', hash: 'h', sidecarSetName: 'log', sidecarList: ['agent'], controllerRevision: revision } }),
    },
  },
  spec: { containers: [] },
});

describe('SidecarSet revisions', () => {
  it('records the spec fields OpenKruise records, as its Go types write them, labelled and owned by the SidecarSet', () => {
    const labelled = sidecarSet('agent:1');
    labelled.metadata = { ...labelled.metadata, labels: { team: 'obs', 'apps.kruise.io/sidecarset-custom-version': 'v7' }, annotations: { owner: 'obs' } };
    const revision = newSidecarSetRevision(labelled, 'sidecarset-system', 3);
    const hash = revision.metadata?.labels?.['controller.kubernetes.io/hash'];
    expect(revision.metadata?.name).toBe(`log-${hash}`);
    expect(revision.metadata?.labels).toEqual({ team: 'obs', 'apps.kruise.io/sidecarset-custom-version': 'v7', 'controller.kubernetes.io/hash': hash, 'kruise.io/sidecarset-name': 'log' });
    expect(revision.metadata?.annotations).toMatchObject({ owner: 'obs', 'kruise.io/sidecarset-hash': expect.stringMatching(/^[a-z0-9]{64}$/) });
    expect(revision.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'SidecarSet', name: 'log', uid: 'u1', controller: true });
    // Absent fields as null, Go's zero values (resources: {}) present, keys sorted: OpenKruise's bytes.
    expect(revisionPatch(labelled)).toBe(
      '{"spec":{"$patch":"replace","containers":[{"image":"agent:1","name":"agent","resources":{},"shareVolumePolicy":{},"upgradeStrategy":{}}],"imagePullSecrets":null,"initContainers":null,"patchPodMetadata":null,"volumes":null}}',
    );
    expect(revision.data).toEqual(JSON.parse(revisionPatch(labelled)));
    expect(revision.revision).toBe(3);
  });

  it("hashes as Kubernetes' HashControllerRevision: FNV-1 32 over the data, then the collision count", () => {
    expect(fnv32('')).toBe(0x811c9dc5);
    expect(fnv32('a')).toBe(0x050c5d7e);
    expect(fnv32('foobar')).toBe(0x31f0b262);
    expect(fnv32('foo', 'bar')).toBe(fnv32('foobar'));
    expect(controllerRevisionHash('{}', 0)).toBe(safeEncodeString(String(fnv32('{}0'))));
  });

  it('names a spec the same way every time, and differently for another spec or a collision', () => {
    expect(revisionName(sidecarSet('agent:1'))).toBe(revisionName(sidecarSet('agent:1')));
    expect(revisionName(sidecarSet('agent:1'))).not.toBe(revisionName(sidecarSet('agent:2')));
    expect(revisionName(sidecarSet('agent:1'), 1)).not.toBe(revisionName(sidecarSet('agent:1'), 0));
    expect(revisionName(sidecarSet('agent:1'))).toMatch(/^log-[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  });

  it('a change outside the recorded fields (the selector) keeps the same revision', () => {
    const revision = newSidecarSetRevision(sidecarSet('agent:1'), 'ns', 1);
    expect(revisionMatches(revision, sidecarSet('agent:1', { selector: { matchLabels: { app: 'b' } } }))).toBe(true);
  });

  it("OpenKruise's revision of the same spec matches: fields it lacks written as null", () => {
    const ours = newSidecarSetRevision(sidecarSet('agent:1'), 'kruise-system', 1);
    const spec = ours.data as unknown as { spec: Record<string, unknown> };
    const theirs = { ...ours, data: { spec: { initContainers: null, imagePullSecrets: null, patchPodMetadata: null, volumes: null, ...spec.spec } } } as unknown as ControllerRevision;
    expect(revisionMatches(theirs, sidecarSet('agent:1'))).toBe(true);
    expect(revisionMatches(theirs, sidecarSet('agent:2'))).toBe(false);
  });

  it('a revision written before we wrote Go zero values (no resources: {}, no nulls) still matches', () => {
    const older = { ...newSidecarSetRevision(sidecarSet('agent:1'), 'ns', 1), data: { spec: { $patch: 'replace', containers: [{ name: 'agent', image: 'agent:1' }] } } } as unknown as ControllerRevision;
    expect(revisionMatches(older, sidecarSet('agent:1'))).toBe(true);
    expect(revisionMatches(older, sidecarSet('agent:1', { volumes: [{ name: 'v', emptyDir: {} }] }))).toBe(false);
  });

  it('finds the current revision and numbers the next one', () => {
    const plan = planHistory(sidecarSet('agent:2'), history(3), []);
    expect(plan.current?.revision).toBe(2);
    expect(plan.nextRevisionNumber).toBe(4);
    expect(planHistory(sidecarSet('agent:9'), [], []).nextRevisionNumber).toBe(1);
  });

  it('prunes the oldest revisions beyond revisionHistoryLimit, never the current one', () => {
    const plan = planHistory(sidecarSet('agent:1', { revisionHistoryLimit: 2 }), history(5), []);
    expect(plan.current?.revision).toBe(1);
    expect(plan.prune.map((r) => r.revision)).toEqual([2, 3]);
  });

  it('keeps a revision a pod still names, and one injectionStrategy pins', () => {
    const revisions = history(5);
    const pinned = revisions[1]!.metadata!.name!;
    const onPod = revisions[2]!.metadata!.name!;
    const plan = planHistory(
      sidecarSet('agent:9', { revisionHistoryLimit: 1, injectionStrategy: { revision: { revisionName: pinned } } }),
      revisions,
      [podOnRevision(onPod)],
    );
    expect(plan.prune.map((r) => r.revision)).toEqual([1, 4]);
  });
});

import { AlreadyExistsError, ConflictError, NotFoundError, type ConfigMap, type Pod, type SidecarSet, type SidecarSetResourceBinding } from '@sidecarset/api';
import { MIRRORS_SCHEDULING_GATE } from '@sidecarset/core';
import { describe, expect, it } from 'vitest';
import type { MirrorObject } from './mirrorObject.js';
import { MIRRORS_FINALIZER, type MirrorWriter } from './mirrorWriter.js';
import { reconcileGate } from './reconcileGate.js';
import { reconcileMirrors, type MirrorsDeps } from './reconcileMirrors.js';
import { mirrorKey, type MirrorRef } from './wantedMirrors.js';

const MIRROR = 'mirror.kube-system.filebeat-config';
const failure = (code: number, reason: string) => ({ apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', code, reason, message: reason });

const sidecarSet = (volumeName = 'kube-system/filebeat-config'): SidecarSet => ({
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name: 'filebeat' },
  spec: { selector: { matchLabels: { app: 'web' } }, containers: [], volumes: [{ name: 'config', configMap: { name: volumeName } }] },
});
const binding = (refs = [{ kind: 'ConfigMap' as const, name: 'filebeat-config' }], extra: Partial<SidecarSetResourceBinding['metadata']> = {}): SidecarSetResourceBinding => ({
  metadata: { name: 'allow', namespace: 'kube-system', uid: 'binding-uid', generation: 1, resourceVersion: '1', finalizers: [MIRRORS_FINALIZER], ...extra },
  spec: { subjects: [{ kind: 'SidecarSet', name: 'filebeat' }], resourceRefs: refs as never },
});
const pod = (namespace: string, name: string, volume = MIRROR, extra: Partial<Pod> = {}): Pod => ({
  metadata: { namespace, name, uid: `uid-${name}`, labels: { app: 'web' } },
  spec: { containers: [], volumes: [{ name: 'config', configMap: { name: volume } }], schedulingGates: [{ name: MIRRORS_SCHEDULING_GATE }] },
  ...extra,
});
const source: ConfigMap = { metadata: { namespace: 'kube-system', name: 'filebeat-config', uid: 'src' }, data: { 'filebeat.yml': 'inputs: []' } };

/** A cluster of ConfigMaps and one binding, as the writer changes them and the caches would show them. */
function cluster(options: { pods?: Pod[]; bindings?: SidecarSetResourceBinding[]; source?: ConfigMap | null } = {}) {
  const objects = new Map<string, MirrorObject>();
  let bindings = options.bindings ?? [binding()];
  let uid = 0;
  const refOf = (o: MirrorObject): MirrorRef => ({ kind: (o.kind ?? 'ConfigMap') as 'ConfigMap', namespace: o.metadata?.namespace ?? '', name: o.metadata?.name ?? '' });
  const writer: MirrorWriter = {
    async createMirror(m) {
      if (objects.has(mirrorKey(refOf(m)))) throw new AlreadyExistsError(failure(409, 'AlreadyExists') as never);
      const stored = { ...m, metadata: { ...m.metadata, uid: `m${++uid}`, resourceVersion: '1' } };
      objects.set(mirrorKey(refOf(m)), stored);
      return stored;
    },
    async getMirror(ref) {
      const o = objects.get(mirrorKey(ref));
      if (!o) throw new NotFoundError(failure(404, 'NotFound') as never);
      return o;
    },
    async replaceMirror(m) {
      const o = objects.get(mirrorKey(refOf(m)));
      if (!o || o.metadata?.uid !== m.metadata?.uid) throw new ConflictError(failure(409, 'Conflict') as never);
      objects.set(mirrorKey(refOf(m)), m);
      return m;
    },
    async deleteMirror(ref, id) {
      const o = objects.get(mirrorKey(ref));
      if (!o) throw new NotFoundError(failure(404, 'NotFound') as never);
      if (o.metadata?.uid !== id) throw new ConflictError(failure(409, 'Conflict') as never);
      objects.delete(mirrorKey(ref));
    },
    async updateBindingStatus(b, status) {
      bindings = bindings.map((x) => (x.metadata?.name === b.metadata?.name ? { ...x, status } : x));
      return { ...b, status };
    },
    async setBindingFinalizer(b, present) {
      bindings = present
        ? bindings.map((x) => (x.metadata?.name === b.metadata?.name ? { ...x, metadata: { ...x.metadata, finalizers: [MIRRORS_FINALIZER] } } : x))
        : bindings.filter((x) => x.metadata?.name !== b.metadata?.name);
    },
    async setSchedulingGates(p, gates) {
      const found = pods.find((x) => x.metadata?.name === p.metadata?.name);
      if (found) found.spec!.schedulingGates = gates;
    },
  };
  const pods = options.pods ?? [pod('default', 'web')];
  const events: string[] = [];
  const deps: MirrorsDeps = {
    bindingsIn: (ns) => bindings.filter((b) => b.metadata?.namespace === ns),
    sidecarSets: () => [sidecarSet()],
    podsOf: () => pods.filter((p) => p.metadata?.labels?.app === 'web'),
    source: () => (options.source === undefined ? source : options.source),
    mirror: (ref) => (objects.get(mirrorKey(ref))?.metadata?.labels ? objects.get(mirrorKey(ref)) : undefined),
    mirrorsOf: (ns) => [...objects.values()].filter((o) => o.metadata?.labels?.['sidecarset.dev/mirror-source-namespace'] === ns).map((object) => ({ kind: 'ConfigMap' as const, object })),
    writer,
    events: { record: async (_o, _t, reason, message) => (events.push(`${reason}: ${message}`), { action: 'failed', error: undefined }) },
    created: new Map(),
    told: new Set(),
    gone: new Set(),
    log: { info: () => {}, warn: () => {} },
    now: () => new Date('2026-01-01T00:00:00Z'),
  };
  const gate = () =>
    Promise.all(
      pods.map((p) =>
        reconcileGate(`${p.metadata?.namespace}/${p.metadata?.name}`, {
          pod: () => p,
          sidecarSetsOf: () => [sidecarSet()],
          bindingsIn: deps.bindingsIn,
          mirror: deps.mirror,
          writer,
          lifted: new Set(),
        }),
      ),
    );
  return { objects, deps, pods, events, gate, bindings: () => bindings, setBindings: (b: SidecarSetResourceBinding[]) => (bindings = b) };
}
const condition = (b: SidecarSetResourceBinding, type: string) => b.status?.conditions?.find((c) => c.type === type);

describe('reconcileMirrors', () => {
  it('A pod that mounts the mirror gets it with the source data; the UID is recorded and the gate lifted', async () => {
    const c = cluster();
    await reconcileMirrors('kube-system', c.deps);
    const mirror = c.objects.get(`ConfigMap/default/${MIRROR}`);
    expect(mirror?.data).toEqual(source.data);
    const [b] = c.bindings();
    expect(b!.status?.mirrors).toEqual([{ kind: 'ConfigMap', namespace: 'default', name: MIRROR, uid: mirror!.metadata!.uid }]);
    expect(condition(b!, 'Ready')?.status).toBe('True');
    await c.gate();
    expect(c.pods[0]!.spec?.schedulingGates).toEqual([]);
  });

  it('A mirror edited by someone else is restored; deleted, it is created again', async () => {
    const c = cluster();
    await reconcileMirrors('kube-system', c.deps);
    const key = `ConfigMap/default/${MIRROR}`;
    c.objects.set(key, { ...c.objects.get(key)!, data: { 'filebeat.yml': 'edited' } });
    await reconcileMirrors('kube-system', c.deps);
    expect(c.objects.get(key)?.data).toEqual(source.data);
    c.objects.delete(key);
    await reconcileMirrors('kube-system', c.deps);
    expect(c.objects.get(key)?.data).toEqual(source.data);
    expect(c.bindings()[0]!.status?.mirrors?.[0]?.uid).toBe(c.objects.get(key)?.metadata?.uid);
  });

  it('A name taken by an object we did not create is not overwritten, adopted or deleted: Conflict, Event, gate kept', async () => {
    const c = cluster();
    const key = `ConfigMap/default/${MIRROR}`;
    c.objects.set(key, { metadata: { namespace: 'default', name: MIRROR, uid: 'squatter' }, data: { 'filebeat.yml': 'evil' } }); // no labels: not in the mirror cache
    const result = await reconcileMirrors('kube-system', c.deps);
    expect(c.objects.get(key)).toMatchObject({ metadata: { uid: 'squatter' }, data: { 'filebeat.yml': 'evil' } });
    const [b] = c.bindings();
    expect(b!.status?.mirrors).toEqual([]);
    expect(condition(b!, 'Conflict')).toMatchObject({ status: 'True', reason: 'MirrorNameTaken' });
    expect(condition(b!, 'Ready')?.status).toBe('False');
    expect(c.events).toHaveLength(1);
    expect(c.events[0]).toContain(`ConfigMap default/${MIRROR}`);
    expect(result).toEqual({ requeueAfterMs: 5000 });
    // Also when it carries our labels (so the cache has it).
    c.objects.set(key, { ...c.objects.get(key)!, metadata: { namespace: 'default', name: MIRROR, uid: 'squatter', labels: { 'sidecarset.dev/mirror': 'true' } } });
    await reconcileMirrors('kube-system', c.deps);
    expect(c.objects.get(key)?.data).toEqual({ 'filebeat.yml': 'evil' });
    await c.gate();
    expect(c.pods[0]!.spec?.schedulingGates).toEqual([{ name: MIRRORS_SCHEDULING_GATE }]);
    // Removed, the name is free: the mirror is created and the conflict clears.
    c.objects.delete(key);
    await reconcileMirrors('kube-system', c.deps);
    expect(c.objects.get(key)?.data).toEqual(source.data);
    expect(condition(c.bindings()[0]!, 'Conflict')?.status).toBe('False');
  });

  describe('a mirror created just before a crash (its UID in no binding status yet)', () => {
    /** What the controller had written: labelled, annotated with the binding's UID (only it may set that annotation). */
    const leftover = (bindingUid: string): MirrorObject => ({
      kind: 'ConfigMap',
      metadata: {
        namespace: 'default',
        name: MIRROR,
        uid: 'before-crash',
        resourceVersion: '7',
        labels: { 'sidecarset.dev/mirror': 'true', 'sidecarset.dev/mirror-source-namespace': 'kube-system' },
        annotations: { 'sidecarset.dev/mirror-source': 'ConfigMap/kube-system/filebeat-config', 'sidecarset.dev/mirror-binding-uid': bindingUid },
      },
      data: { 'filebeat.yml': 'inputs: [] # older' },
    });
    const key = `ConfigMap/default/${MIRROR}`;

    it('still needed: recognised by its binding UID annotation, brought up to date, recorded; no Conflict, gate lifted', async () => {
      const c = cluster();
      c.objects.set(key, leftover('binding-uid'));
      expect(await reconcileMirrors('kube-system', c.deps)).toBeUndefined();
      expect(c.objects.get(key)).toMatchObject({ metadata: { uid: 'before-crash' }, data: source.data });
      const [b] = c.bindings();
      expect(b!.status?.mirrors).toEqual([{ kind: 'ConfigMap', namespace: 'default', name: MIRROR, uid: 'before-crash' }]);
      expect(condition(b!, 'Conflict')?.status).toBe('False');
      expect(c.events).toEqual([]);
      await c.gate();
      expect(c.pods[0]!.spec?.schedulingGates).toEqual([]);
    });

    it('no longer needed: deleted like any mirror of ours', async () => {
      const c = cluster({ pods: [] });
      c.objects.set(key, leftover('binding-uid'));
      await reconcileMirrors('kube-system', c.deps);
      expect(c.objects.has(key)).toBe(false);
    });

    it('the annotation with the UID of no binding of that namespace: squatted as before', async () => {
      const c = cluster();
      c.objects.set(key, leftover('some-other-uid'));
      await reconcileMirrors('kube-system', c.deps);
      expect(c.objects.get(key)?.data).toEqual({ 'filebeat.yml': 'inputs: [] # older' });
      expect(condition(c.bindings()[0]!, 'Conflict')?.status).toBe('True');
    });
  });

  it('Unauthorised (resourceRef removed), the mirror is deleted at once', async () => {
    const c = cluster();
    await reconcileMirrors('kube-system', c.deps);
    c.setBindings([{ ...c.bindings()[0]!, spec: { ...c.bindings()[0]!.spec, resourceRefs: [{ kind: 'ConfigMap', name: 'other' }] } }]);
    await reconcileMirrors('kube-system', c.deps);
    expect(c.objects.has(`ConfigMap/default/${MIRROR}`)).toBe(false);
    expect(c.bindings()[0]!.status?.mirrors).toEqual([]);
  });

  it('A mirror one binding stops authorising while another still does stays, recorded by the other only', async () => {
    const second = { ...binding(), metadata: { ...binding().metadata, name: 'second' } };
    const c = cluster({ bindings: [binding(), second] });
    await reconcileMirrors('kube-system', c.deps);
    const uid = c.objects.get(`ConfigMap/default/${MIRROR}`)?.metadata?.uid;
    expect(c.bindings().map((b) => b.status?.mirrors?.map((m) => m.uid))).toEqual([[uid], [uid]]);
    c.setBindings(c.bindings().map((b) => (b.metadata?.name === 'allow' ? { ...b, spec: { ...b.spec, resourceRefs: [{ kind: 'ConfigMap', name: 'other' }] } } : b)));
    await reconcileMirrors('kube-system', c.deps);
    expect(c.objects.get(`ConfigMap/default/${MIRROR}`)?.metadata?.uid).toBe(uid);
    expect(c.bindings().map((b) => [b.metadata?.name, b.status?.mirrors?.map((m) => m.uid)])).toEqual([['allow', []], ['second', [uid]]]);
    expect(c.objects.get(`ConfigMap/default/${MIRROR}`)?.metadata?.annotations?.['sidecarset.dev/mirror-bindings']).toBe('second');
  });

  it('A binding being deleted: its mirrors are deleted, then its finalizer removed', async () => {
    const c = cluster();
    await reconcileMirrors('kube-system', c.deps);
    c.setBindings([{ ...c.bindings()[0]!, metadata: { ...c.bindings()[0]!.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }]);
    await reconcileMirrors('kube-system', c.deps);
    expect(c.objects.size).toBe(0);
    expect(c.bindings()).toEqual([]);
  });

  it('The source deleted: the mirror goes, SourceMissing says which', async () => {
    const c = cluster();
    await reconcileMirrors('kube-system', c.deps);
    c.deps.source = () => null;
    await reconcileMirrors('kube-system', c.deps);
    expect(c.objects.size).toBe(0);
    expect(condition(c.bindings()[0]!, 'SourceMissing')).toMatchObject({ status: 'True', message: 'not found in namespace kube-system: ConfigMap filebeat-config' });
  });

  it('No live pod needs it any more (finished, or a forged pod outside the selector): no mirror', async () => {
    const c = cluster({ pods: [pod('default', 'done', MIRROR, { status: { phase: 'Succeeded' } }), { ...pod('forged', 'x'), metadata: { namespace: 'forged', name: 'x', labels: { app: 'db' }, annotations: { 'sidecarset.dev/mirrors': 'ConfigMap/kube-system/filebeat-config' } } }] });
    await reconcileMirrors('kube-system', c.deps);
    expect(c.objects.size).toBe(0);
  });

  it('A source not read yet changes nothing (no delete on an unknown)', async () => {
    const c = cluster();
    await reconcileMirrors('kube-system', c.deps);
    c.deps.source = () => undefined;
    expect(await reconcileMirrors('kube-system', c.deps)).toEqual({ requeueAfterMs: 5000 });
    expect(c.objects.size).toBe(1);
  });

  it('A binding without the finalizer gets it first', async () => {
    const c = cluster({ bindings: [binding(undefined, { finalizers: [] })] });
    expect(await reconcileMirrors('kube-system', c.deps)).toEqual({ requeue: true });
    expect(c.objects.size).toBe(0);
    expect(c.bindings()[0]!.metadata?.finalizers).toEqual([MIRRORS_FINALIZER]);
  });
});

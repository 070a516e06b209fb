// The mirror step through injectPod: what a pod gets when its SidecarSets bring NAMESPACE/NAME volumes.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Pod, SidecarSet, SidecarSetResourceBinding, Volume } from '@sidecarset/api';
import { injectPod, type InjectionContext } from '../inject/injectPod.js';
import { dns1123Subdomain } from '../validation/k8sNames.js';

const seed = <T>(file: string): T => parse(readFileSync(new URL(`../../../api/test/fixtures/seeds/${file}`, import.meta.url), 'utf8')) as T;
const seedSidecarSet = (): SidecarSet => seed<SidecarSet>('000-filebeat-sidecarset.yaml');
const seedBinding = (): SidecarSetResourceBinding => seed<SidecarSetResourceBinding>('000-filebeat-sidecarset-resourcebinding.yaml');

const MIRROR = 'mirror.kube-system.filebeat-config';
const podOf = (extra: Partial<Pod['spec']> = {}, annotations?: Record<string, string>): Pod =>
  ({
    metadata: { name: 'echo', namespace: 'default', labels: { 'serverless.alibabacloud.com/virtual-node': 'true' }, ...(annotations ? { annotations } : {}) },
    spec: { containers: [{ name: 'app', image: 'echo' }], ...extra },
  }) as Pod;
const ctxWith = (bindings: SidecarSetResourceBinding[]): InjectionContext => ({ namespace: 'default', namespaceLabels: {}, revisions: [], now: '2030-01-01T00:00:00Z', bindings });
const binding = (namespace: string, name: string, subjects: string[], refs: ['ConfigMap' | 'Secret', string][], status?: object): SidecarSetResourceBinding =>
  ({
    metadata: { namespace, name },
    spec: { subjects: subjects.map((s) => ({ kind: 'SidecarSet', name: s })), resourceRefs: refs.map(([kind, n]) => ({ kind, name: n })) },
    ...(status ? { status } : {}),
  }) as SidecarSetResourceBinding;
const withVolumes = (sidecarSet: SidecarSet, volumes: Volume[], mounts: string[]): SidecarSet => {
  const copy = structuredClone(sidecarSet);
  copy.spec.volumes = volumes;
  copy.spec.containers![0]!.volumeMounts = mounts.map((name) => ({ name, mountPath: `/etc/${name}` }));
  return copy;
};
const volume = (pod: Pod, name: string): Volume | undefined => pod.spec?.volumes?.find((v) => v.name === name);

describe('cross-namespace volumes at injection', () => {
  it('seed 000 with its binding: the volume refers to the mirror; annotation and scheduling gate', () => {
    const result = injectPod(podOf(), [seedSidecarSet()], ctxWith([seedBinding()]));
    expect(result.errors).toEqual([]);
    expect(volume(result.pod, 'config')).toEqual({ name: 'config', configMap: { name: MIRROR } });
    expect(result.pod.metadata?.annotations?.['sidecarset.dev/mirrors']).toBe('ConfigMap/kube-system/filebeat-config');
    expect(result.pod.spec?.schedulingGates).toEqual([{ name: 'sidecarset.dev/mirrors' }]);
  });

  it('a pod and SidecarSet without volumes: the pod gets no volumes list', () => {
    const plain = seedSidecarSet();
    delete plain.spec.volumes;
    delete plain.spec.containers![0]!.volumeMounts;
    const result = injectPod(podOf(), [plain], ctxWith([]));
    expect(result.errors).toEqual([]);
    expect(result.pod.spec).not.toHaveProperty('volumes');
    expect(result.patch.map((op) => op.path)).not.toContain('/spec/volumes');
  });

  it('the SidecarSet itself is not changed', () => {
    const sidecarSet = seedSidecarSet();
    const before = structuredClone(sidecarSet);
    injectPod(podOf(), [sidecarSet], ctxWith([seedBinding()]));
    expect(sidecarSet).toEqual(before);
  });

  it.each<[string, SidecarSetResourceBinding[], string]>([
    ['no binding', [], 'no SidecarSetResourceBinding in namespace kube-system lists SidecarSet "filebeat-sidecarset" and ConfigMap "filebeat-config"'],
    ['a binding in another namespace', [binding('default', 'b', ['filebeat-sidecarset'], [['ConfigMap', 'filebeat-config']])], 'no SidecarSetResourceBinding in namespace kube-system'],
    ['a binding for another SidecarSet', [binding('kube-system', 'b', ['other'], [['ConfigMap', 'filebeat-config']])], 'lists SidecarSet "filebeat-sidecarset"'],
  ])('denied: %s', (_, bindings, message) => {
    const pod = podOf();
    const result = injectPod(pod, [seedSidecarSet()], ctxWith(bindings));
    expect(result.pod).toBe(pod);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ sidecarSet: 'filebeat-sidecarset', path: 'spec.volumes[0].configMap.name', type: 'Forbidden' });
    expect(result.errors[0]!.reason).toContain('volume "config" refers to ConfigMap kube-system/filebeat-config');
    expect(result.errors[0]!.reason).toContain(message);
  });

  it('denied: a Secret of a bound namespace that the binding does not list', () => {
    const sidecarSet = withVolumes(seedSidecarSet(), [{ name: 'config', configMap: { name: 'kube-system/filebeat-config' } }, { name: 'creds', secret: { secretName: 'kube-system/root-creds' } }], ['config', 'creds']);
    const result = injectPod(podOf(), [sidecarSet], ctxWith([seedBinding()]));
    expect(result.errors.map((e) => [e.path, e.reason.includes('Secret "root-creds"')])).toEqual([['spec.volumes[1].secret.secretName', true]]);
  });

  it('a NAMESPACE/NAME that validation would refuse (a SidecarSet stored without our webhook) denies the pod, naming the field', () => {
    const stored = withVolumes(seedSidecarSet(), [{ name: 'config', configMap: { name: 'kube-system/a/b' } }], ['config']);
    const result = injectPod(podOf(), [stored], ctxWith([binding('kube-system', 'b', ['filebeat-sidecarset'], [['ConfigMap', 'a/b']])]));
    expect(result.errors).toMatchObject([{ sidecarSet: 'filebeat-sidecarset', path: 'spec.volumes[0].configMap.name', type: 'Invalid' }]);
    expect(result.errors[0]!.reason).toContain('exactly one "/"');
  });

  it('a forged mirrors annotation is rebuilt and the pod\'s own volume naming a mirror is left as it is', () => {
    const own: Volume = { name: 'stolen', secret: { secretName: 'mirror.kube-system.root-creds' } };
    const pod = podOf({ volumes: [own] }, { 'sidecarset.dev/mirrors': 'Secret/kube-system/root-creds' });
    const result = injectPod(pod, [seedSidecarSet()], ctxWith([seedBinding()]));
    expect(result.errors).toEqual([]);
    expect(result.pod.metadata?.annotations?.['sidecarset.dev/mirrors']).toBe('ConfigMap/kube-system/filebeat-config');
    expect(volume(result.pod, 'stolen')).toEqual(own);
  });

  it('a forged annotation on a pod that mounts no mirror is dropped', () => {
    const plain = withVolumes(seedSidecarSet(), [{ name: 'config', configMap: { name: 'filebeat-config' } }], ['config']);
    const result = injectPod(podOf({}, { 'sidecarset.dev/mirrors': 'Secret/kube-system/root-creds' }), [plain], ctxWith([]));
    expect(result.pod.metadata?.annotations?.['sidecarset.dev/mirrors']).toBeUndefined();
    expect(result.pod.spec?.schedulingGates).toBeUndefined();
    expect(volume(result.pod, 'config')).toEqual({ name: 'config', configMap: { name: 'filebeat-config' } });
  });

  it("a pod volume of the same name wins: it is not rewritten, needs no binding and no mirror", () => {
    const own: Volume = { name: 'config', configMap: { name: 'my-config' } };
    const result = injectPod(podOf({ volumes: [own] }), [seedSidecarSet()], ctxWith([]));
    expect(result.errors).toEqual([]);
    expect(result.pod.spec?.volumes).toEqual([own]);
    expect(result.pod.spec?.schedulingGates).toBeUndefined();
  });

  it('a SidecarSet volume no sidecar mounts is not injected, so not checked', () => {
    const sidecarSet = withVolumes(seedSidecarSet(), [{ name: 'config', configMap: { name: 'kube-system/filebeat-config' } }, { name: 'unused', secret: { secretName: 'kube-system/x' } }], ['config']);
    const result = injectPod(podOf(), [sidecarSet], ctxWith([seedBinding()]));
    expect(result.errors).toEqual([]);
    expect(volume(result.pod, 'unused')).toBeUndefined();
  });

  it('projected sources are each rewritten; the annotation lists both once, sorted', () => {
    const sidecarSet = withVolumes(
      seedSidecarSet(),
      [{ name: 'all', projected: { sources: [{ secret: { name: 'kube-system/tls' } }, { configMap: { name: 'kube-system/filebeat-config' } }, { downwardAPI: { items: [] } }] } }],
      ['all'],
    );
    const bindings = [binding('kube-system', 'b', ['filebeat-sidecarset'], [['ConfigMap', 'filebeat-config'], ['Secret', 'tls']])];
    const result = injectPod(podOf(), [sidecarSet], ctxWith(bindings));
    expect(result.errors).toEqual([]);
    expect(volume(result.pod, 'all')?.projected?.sources).toEqual([{ secret: { name: 'mirror.kube-system.tls' } }, { configMap: { name: MIRROR } }, { downwardAPI: { items: [] } }]);
    expect(result.pod.metadata?.annotations?.['sidecarset.dev/mirrors']).toBe('ConfigMap/kube-system/filebeat-config,Secret/kube-system/tls');
  });

  it('a pod that already carries the gate keeps one', () => {
    const result = injectPod(podOf({ schedulingGates: [{ name: 'other' }, { name: 'sidecarset.dev/mirrors' }] }), [seedSidecarSet()], ctxWith([seedBinding()]));
    expect(result.pod.spec?.schedulingGates).toEqual([{ name: 'other' }, { name: 'sidecarset.dev/mirrors' }]);
  });

  describe('a pod with spec.nodeName (no gate possible)', () => {
    it('denied, saying how to create it instead, while no binding status records the mirror in its namespace', () => {
      const elsewhere = binding('kube-system', 'filebeat-sidecarset-resourcebinding', ['filebeat-sidecarset'], [['ConfigMap', 'filebeat-config']], {
        mirrors: [{ kind: 'ConfigMap', namespace: 'other', name: MIRROR, uid: 'u1' }],
      });
      const result = injectPod(podOf({ nodeName: 'node-1' }), [seedSidecarSet()], ctxWith([elsewhere]));
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]!.reason).toContain('create it without spec.nodeName');
    });

    it('admitted without a gate once it does', () => {
      const ready = binding('kube-system', 'filebeat-sidecarset-resourcebinding', ['filebeat-sidecarset'], [['ConfigMap', 'filebeat-config']], {
        mirrors: [{ kind: 'ConfigMap', namespace: 'default', name: MIRROR, uid: 'u1' }],
      });
      const result = injectPod(podOf({ nodeName: 'node-1' }), [seedSidecarSet()], ctxWith([ready]));
      expect(result.errors).toEqual([]);
      expect(volume(result.pod, 'config')?.configMap?.name).toBe(MIRROR);
      expect(result.pod.spec?.schedulingGates).toBeUndefined();
      expect(result.pod.metadata?.annotations?.['sidecarset.dev/mirrors']).toBe('ConfigMap/kube-system/filebeat-config');
    });
  });

  it('injecting twice equals injecting once (the pod then has the rewritten volume itself)', () => {
    const once = injectPod(podOf(), [seedSidecarSet()], ctxWith([seedBinding()]));
    const twice = injectPod(once.pod, [seedSidecarSet()], { ...ctxWith([seedBinding()]), now: '2031-01-01T00:00:00Z' });
    expect(twice.errors).toEqual([]);
    expect(twice.patch).toEqual([]);
  });

  it('a long source gets a valid hashed mirror name', () => {
    const name = `${'a'.repeat(200)}.${'b'.repeat(50)}`;
    const sidecarSet = withVolumes(seedSidecarSet(), [{ name: 'config', configMap: { name: `kube-system/${name}` } }], ['config']);
    const result = injectPod(podOf(), [sidecarSet], ctxWith([binding('kube-system', 'b', ['filebeat-sidecarset'], [['ConfigMap', name]])]));
    const mirror = volume(result.pod, 'config')?.configMap?.name ?? '';
    expect(mirror.startsWith('mirror-h.kube-system.')).toBe(true);
    expect(dns1123Subdomain(mirror)).toEqual([]);
  });
});

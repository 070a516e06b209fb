import type { ControllerRevision, Pod, SidecarSet } from '@sidecarset/api';
import jsonpatch from 'fast-json-patch';
import { describe, expect, it, vi } from 'vitest';
import { CUSTOM_VERSION_LABEL, INJECTED_LIST_ANNOTATION, SIDECARSET_HASH_ANNOTATION, SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION } from '../annotations.js';
import { sidecarSetHash, sidecarSetHashWithoutImage } from '../hash/sidecarSetHash.js';
import { SIDECARSET_NAME_LABEL } from '../revision/resolveInjectionRevision.js';
import { injectPod, type InjectionContext } from './injectPod.js';

const ctx: InjectionContext = { namespace: 'default', namespaceLabels: {}, revisions: [], now: '2024-05-01T10:00:00.123Z' };

const sidecarSet = (name: string, spec: Partial<SidecarSet['spec']> = {}, extra: Partial<SidecarSet> = {}): SidecarSet => ({
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name },
  spec: { selector: { matchLabels: { app: 'web' } }, containers: [{ name: `${name}-c`, image: `${name}:1` }], ...spec },
  ...extra,
});

const pod = (spec: Partial<NonNullable<Pod['spec']>> = {}, metadata: Partial<NonNullable<Pod['metadata']>> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-0', namespace: 'default', labels: { app: 'web' }, ...metadata },
  spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec },
});

const names = (containers: { name: string }[] | undefined): string[] => (containers ?? []).map((c) => c.name);
const containerOf = (p: Pod, name: string) => [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])].find((c) => c.name === name)!;

/** Asserts the patch turns the input into the output, then returns the output. */
function run(input: Pod, sets: SidecarSet[], context: InjectionContext = ctx) {
  const frozen = structuredClone(input);
  const result = injectPod(input, sets, context);
  expect(input).toEqual(frozen); // the input is never mutated
  const applied = jsonpatch.applyPatch(structuredClone(input), structuredClone(result.patch) as jsonpatch.Operation[], true, false).newDocument;
  expect(applied).toEqual(JSON.parse(JSON.stringify(result.pod)));
  return result;
}

describe('injectPod: container placement', () => {
  it.each([
    {
      name: 'Before container goes ahead of app containers',
      sets: [sidecarSet('s', { containers: [{ name: 'side', image: 'x', podInjectPolicy: 'BeforeAppContainer' }] })],
      containers: ['side', 'app', 'app2'],
    },
    {
      name: 'After container goes behind app containers',
      sets: [sidecarSet('s', { containers: [{ name: 'side', image: 'x', podInjectPolicy: 'AfterAppContainer' }] })],
      containers: ['app', 'app2', 'side'],
    },
    {
      name: 'a container without podInjectPolicy goes ahead (Before is the default)',
      sets: [sidecarSet('s', { containers: [{ name: 'side', image: 'x' }] })],
      containers: ['side', 'app', 'app2'],
    },
    {
      name: 'several SidecarSets keep name order within Before and After',
      sets: [
        sidecarSet('b', { containers: [{ name: 'b1', image: 'x' }, { name: 'b2', image: 'x', podInjectPolicy: 'AfterAppContainer' }] }),
        sidecarSet('a', { containers: [{ name: 'a1', image: 'x' }, { name: 'a2', image: 'x', podInjectPolicy: 'AfterAppContainer' }] }),
      ],
      containers: ['a1', 'b1', 'app', 'app2', 'a2', 'b2'],
    },
    {
      name: 'a pod container with a sidecar name is replaced in place',
      sets: [sidecarSet('s', { containers: [{ name: 'app2', image: 'sidecar:2' }] })],
      containers: ['app', 'app2'],
    },
  ])('$name', ({ sets, containers }) => {
    const result = run(pod({ containers: [{ name: 'app', image: 'nginx' }, { name: 'app2', image: 'redis' }] }), sets);
    expect(names(result.pod.spec?.containers)).toEqual(containers);
  });

  it('a replaced pod container takes the sidecar definition', () => {
    const result = run(pod({ containers: [{ name: 'app', image: 'nginx' }, { name: 'app2', image: 'redis' }] }), [
      sidecarSet('s', { containers: [{ name: 'app2', image: 'sidecar:2' }] }),
    ]);
    expect(containerOf(result.pod, 'app2')).toEqual({ name: 'app2', image: 'sidecar:2', env: [{ name: 'IS_INJECTED', value: 'true' }] });
  });

  it('injected initContainers are sorted by name, Before ahead of the pod ones, After behind', () => {
    const result = run(pod({ initContainers: [{ name: 'pod-init', image: 'x' }] }), [
      sidecarSet('s', {
        initContainers: [
          { name: 'z-after', image: 'x' },
          { name: 'b-before', image: 'x', podInjectPolicy: 'BeforeAppContainer' },
          { name: 'a-after', image: 'x', podInjectPolicy: 'AfterAppContainer' },
          { name: 'a-before', image: 'x', podInjectPolicy: 'BeforeAppContainer' },
        ],
      }),
    ]);
    expect(names(result.pod.spec?.initContainers)).toEqual(['a-before', 'b-before', 'pod-init', 'a-after', 'z-after']);
  });

  it('a native sidecar stays an initContainer with restartPolicy Always and is listed in sidecarList', () => {
    const result = run(pod(), [sidecarSet('s', { initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }] })]);
    expect(result.pod.spec?.initContainers).toEqual([
      { name: 'proxy', image: 'envoy', restartPolicy: 'Always', env: [{ name: 'IS_INJECTED', value: 'true' }] },
    ]);
    const hashes = JSON.parse(result.pod.metadata!.annotations![SIDECARSET_HASH_ANNOTATION]!);
    expect(hashes.s.sidecarList).toEqual(['proxy', 's-c']);
  });

  it('a plain init container is injected but not listed in sidecarList', () => {
    const result = run(pod(), [sidecarSet('s', { initContainers: [{ name: 'setup', image: 'busybox' }] })]);
    expect(names(result.pod.spec?.initContainers)).toEqual(['setup']);
    expect(JSON.parse(result.pod.metadata!.annotations![SIDECARSET_HASH_ANNOTATION]!).s.sidecarList).toEqual(['s-c']);
  });

  it('SidecarSet-only fields are not copied into the pod container', () => {
    const result = run(pod(), [
      sidecarSet('s', {
        containers: [{
          name: 'side', image: 'x', podInjectPolicy: 'AfterAppContainer', upgradeStrategy: { upgradeType: 'ColdUpgrade' },
          shareVolumePolicy: { type: 'disabled' }, shareVolumeDevicePolicy: { type: 'disabled' }, transferEnv: [],
        }],
      }),
    ]);
    expect(containerOf(result.pod, 'side')).toEqual({ name: 'side', image: 'x', env: [{ name: 'IS_INJECTED', value: 'true' }] });
  });
});

describe('injectPod: env', () => {
  const appEnv = [{ name: 'TZ', value: 'Asia/Shanghai' }, { name: 'LANG', value: 'C' }, { name: 'ONLY_APP', value: '1' }];
  const inject = (sidecar: Partial<NonNullable<SidecarSet['spec']['containers']>[number]>, metadata = {}) =>
    run(pod({ containers: [{ name: 'app', image: 'nginx', env: appEnv }] }, metadata), [
      sidecarSet('s', { containers: [{ name: 'side', image: 'x', ...sidecar }] }),
    ]).pod;

  it.each([
    { name: 'every injected container gets IS_INJECTED=true', sidecar: {}, env: [['IS_INJECTED', 'true']] },
    // OpenKruise's buildSidecars appends IS_INJECTED=true whatever the sidecar's env holds; the API server accepts the duplicate.
    {
      name: 'IS_INJECTED=true is appended even when the sidecar declares IS_INJECTED=true',
      sidecar: { env: [{ name: 'IS_INJECTED', value: 'true' }] },
      env: [['IS_INJECTED', 'true'], ['IS_INJECTED', 'true']],
    },
    {
      name: "IS_INJECTED=true is appended after the sidecar's own IS_INJECTED=false, which stays first",
      sidecar: { env: [{ name: 'IS_INJECTED', value: 'false' }, { name: 'TZ', value: 'UTC' }] },
      env: [['IS_INJECTED', 'false'], ['TZ', 'UTC'], ['IS_INJECTED', 'true']],
    },
    {
      name: 'a transferred IS_INJECTED is skipped: the appended one is already there',
      sidecar: { transferEnv: [{ sourceContainerName: 'app', envName: 'IS_INJECTED' }] },
      env: [['IS_INJECTED', 'true']],
    },
    {
      name: 'transferEnv copies envName from sourceContainerName',
      sidecar: { transferEnv: [{ sourceContainerName: 'app', envName: 'TZ' }] },
      env: [['IS_INJECTED', 'true'], ['TZ', 'Asia/Shanghai']],
    },
    {
      name: 'transferEnv copies envNames in sorted order',
      sidecar: { transferEnv: [{ sourceContainerName: 'app', envNames: ['TZ', 'LANG'] }] },
      env: [['IS_INJECTED', 'true'], ['LANG', 'C'], ['TZ', 'Asia/Shanghai']],
    },
    {
      name: "the sidecar's own env wins over a transferred one",
      sidecar: { env: [{ name: 'TZ', value: 'UTC' }], transferEnv: [{ sourceContainerName: 'app', envName: 'TZ' }] },
      env: [['TZ', 'UTC'], ['IS_INJECTED', 'true']],
    },
    {
      name: 'transferEnv skips a missing source container',
      sidecar: { transferEnv: [{ sourceContainerName: 'nope', envName: 'TZ' }, { sourceContainerName: 'app', envName: 'LANG' }] },
      env: [['IS_INJECTED', 'true'], ['LANG', 'C']],
    },
    {
      name: 'transferEnv skips a missing variable',
      sidecar: { transferEnv: [{ sourceContainerName: 'app', envNames: ['MISSING', 'TZ'] }] },
      env: [['IS_INJECTED', 'true'], ['TZ', 'Asia/Shanghai']],
    },
  ])('$name', ({ sidecar, env }) => {
    expect(containerOf(inject(sidecar), 'side').env?.map((e) => [e.name, e.value])).toEqual(env);
  });

  it.each([
    { name: 'transferEnv reads the source container name from a label', fieldPath: "metadata.labels['source']", metadata: { labels: { app: 'web', source: 'app' } }, copied: true },
    { name: 'transferEnv reads the source container name from an annotation', fieldPath: "metadata.annotations['example.com/source']", metadata: { annotations: { 'example.com/source': 'app' } }, copied: true },
    { name: 'transferEnv skips when the label is absent', fieldPath: "metadata.labels['source']", metadata: {}, copied: false },
    { name: 'transferEnv skips an unsupported fieldPath', fieldPath: 'metadata.name', metadata: { name: 'app' }, copied: false },
  ])('$name', ({ fieldPath, metadata, copied }) => {
    const out = inject({ transferEnv: [{ sourceContainerNameFrom: { fieldRef: { fieldPath } }, envName: 'TZ' }] }, metadata);
    expect(containerOf(out, 'side').env?.some((e) => e.name === 'TZ')).toBe(copied);
  });
});

describe('injectPod: volumes and mounts', () => {
  const appContainer = {
    name: 'app',
    image: 'nginx',
    env: [{ name: 'POD_NAME', value: 'p' }, { name: 'OTHER', value: 'o' }],
    volumeMounts: [
      { name: 'data', mountPath: '/data' },
      { name: 'logs', mountPath: '/var/log', subPathExpr: 'logs/$(POD_NAME)' },
    ],
    volumeDevices: [{ name: 'block', devicePath: '/dev/xvda' }],
  };
  const podVolumes = [{ name: 'data', emptyDir: {} }, { name: 'logs', emptyDir: {} }, { name: 'block', persistentVolumeClaim: { claimName: 'b' } }];

  it('shareVolumePolicy enabled mounts every app mount and brings the subPathExpr variables', () => {
    const result = run(pod({ containers: [appContainer], volumes: podVolumes }), [
      sidecarSet('s', { containers: [{ name: 'side', image: 'x', shareVolumePolicy: { type: 'enabled' } }] }),
    ]);
    const side = containerOf(result.pod, 'side');
    expect(side.volumeMounts).toEqual(appContainer.volumeMounts);
    expect(side.env).toEqual([{ name: 'IS_INJECTED', value: 'true' }, { name: 'POD_NAME', value: 'p' }]);
    expect(result.pod.spec?.volumes).toEqual(podVolumes);
  });

  it("shared mounts whose mountPath collides with the sidecar's own are left out", () => {
    const result = run(pod({ containers: [appContainer], volumes: podVolumes }), [
      sidecarSet('s', {
        containers: [{ name: 'side', image: 'x', shareVolumePolicy: { type: 'enabled' }, volumeMounts: [{ name: 'own', mountPath: '/var/log' }] }],
        volumes: [{ name: 'own', emptyDir: {} }],
      }),
    ]);
    expect(containerOf(result.pod, 'side').volumeMounts).toEqual([{ name: 'own', mountPath: '/var/log' }, { name: 'data', mountPath: '/data' }]);
  });

  it('shareVolumePolicy disabled (or absent) shares nothing', () => {
    const result = run(pod({ containers: [appContainer], volumes: podVolumes }), [
      sidecarSet('s', { containers: [{ name: 'side', image: 'x', shareVolumePolicy: { type: 'disabled' } }] }),
    ]);
    expect(containerOf(result.pod, 'side').volumeMounts).toBeUndefined();
  });

  it("a pod container whose first IS_INJECTED is not \"true\" is an app container: its mounts are shared", () => {
    // OpenKruise's IsInjectedSidecarContainerInPod reads the first variable of that name (GetContainerEnvValue).
    const env = [{ name: 'IS_INJECTED', value: 'false' }, { name: 'IS_INJECTED', value: 'true' }];
    const app = { name: 'app', image: 'nginx', env, volumeMounts: [{ name: 'data', mountPath: '/data' }] };
    const result = run(pod({ containers: [app], volumes: podVolumes }), [
      sidecarSet('s', { containers: [{ name: 'side', image: 'x', shareVolumePolicy: { type: 'enabled' } }] }),
    ]);
    expect(containerOf(result.pod, 'side').volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }]);
  });

  it('mounts of already injected containers (IS_INJECTED=true) are not shared', () => {
    const injected = { name: 'old', image: 'x', env: [{ name: 'IS_INJECTED', value: 'true' }], volumeMounts: [{ name: 'data', mountPath: '/old' }] };
    const result = run(pod({ containers: [injected, { name: 'app', image: 'nginx' }], volumes: podVolumes }), [
      sidecarSet('s', { containers: [{ name: 'side', image: 'x', shareVolumePolicy: { type: 'enabled' } }] }),
    ]);
    expect(containerOf(result.pod, 'side').volumeMounts).toBeUndefined();
  });

  it('shareVolumeDevicePolicy enabled shares the app volumeDevices', () => {
    const result = run(pod({ containers: [appContainer], volumes: podVolumes }), [
      sidecarSet('s', { containers: [{ name: 'side', image: 'x', shareVolumeDevicePolicy: { type: 'enabled' } }] }),
    ]);
    expect(containerOf(result.pod, 'side').volumeDevices).toEqual([{ name: 'block', devicePath: '/dev/xvda' }]);
    expect(containerOf(result.pod, 'side').volumeMounts).toBeUndefined();
  });

  it('only SidecarSet volumes that a sidecar mounts are added', () => {
    const result = run(pod(), [
      sidecarSet('s', {
        containers: [{ name: 'side', image: 'x', volumeMounts: [{ name: 'used', mountPath: '/u' }] }],
        volumes: [{ name: 'used', emptyDir: {} }, { name: 'unused', emptyDir: {} }],
      }),
    ]);
    expect(result.pod.spec?.volumes).toEqual([{ name: 'used', emptyDir: {} }]);
  });

  it('a pod volume of the same name wins', () => {
    const result = run(pod({ volumes: [{ name: 'shared', hostPath: { path: '/pod' } }] }), [
      sidecarSet('s', {
        containers: [{ name: 'side', image: 'x', volumeMounts: [{ name: 'shared', mountPath: '/s' }] }],
        volumes: [{ name: 'shared', emptyDir: {} }],
      }),
    ]);
    expect(result.pod.spec?.volumes).toEqual([{ name: 'shared', hostPath: { path: '/pod' } }]);
  });

  it('a volume mounted by two SidecarSets is added once (the first by name)', () => {
    const mountIt = (name: string, medium: string) =>
      sidecarSet(name, { containers: [{ name: `${name}-c`, image: 'x', volumeMounts: [{ name: 'v', mountPath: '/v' }] }], volumes: [{ name: 'v', emptyDir: { medium } }] });
    const result = run(pod(), [mountIt('b', 'Memory'), mountIt('a', '')]);
    expect(result.pod.spec?.volumes).toEqual([{ name: 'v', emptyDir: { medium: '' } }]);
  });

  it('init containers bring the volumes they mount', () => {
    const result = run(pod(), [
      sidecarSet('s', { initContainers: [{ name: 'i', image: 'x', volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }] }], volumes: [{ name: 'cfg', emptyDir: {} }] }),
    ]);
    expect(result.pod.spec?.volumes).toEqual([{ name: 'cfg', emptyDir: {} }]);
  });
});

describe('injectPod: imagePullSecrets', () => {
  it.each([
    { name: 'pull secrets are appended after the pod ones', podSecrets: [{ name: 'a' }], setSecrets: [{ name: 'b' }], out: [{ name: 'a' }, { name: 'b' }] },
    { name: 'pull secrets are de-duplicated by name', podSecrets: [{ name: 'a' }], setSecrets: [{ name: 'a' }, { name: 'b' }, { name: 'b' }], out: [{ name: 'a' }, { name: 'b' }] },
    { name: 'a pod without pull secrets gets the SidecarSet ones', podSecrets: undefined, setSecrets: [{ name: 'b' }], out: [{ name: 'b' }] },
    { name: 'no SidecarSet secrets leave the pod ones alone', podSecrets: [{ name: 'a' }], setSecrets: undefined, out: [{ name: 'a' }] },
  ])('$name', ({ podSecrets, setSecrets, out }) => {
    const result = run(pod(podSecrets ? { imagePullSecrets: podSecrets } : {}), [sidecarSet('s', setSecrets ? { imagePullSecrets: setSecrets } : {})]);
    expect(result.pod.spec?.imagePullSecrets).toEqual(out);
  });
});

describe('injectPod: annotations', () => {
  it('writes the injected list, both hash maps in Go encoding, and the controllerRevision', () => {
    const set = sidecarSet('b-set', {}, { status: { matchedPods: 0, updatedPods: 0, readyPods: 0, latestRevision: 'b-set-abc' } });
    const result = run(pod({}, { annotations: { [INJECTED_LIST_ANNOTATION]: 'z-old' } }), [set, sidecarSet('a-set')]);
    const annotations = result.pod.metadata!.annotations!;
    expect(annotations[INJECTED_LIST_ANNOTATION]).toBe('a-set,b-set');
    expect(annotations[SIDECARSET_HASH_ANNOTATION]).toBe(
      `{"a-set":{"updateTimestamp":"2024-05-01T10:00:00Z","hash":"${sidecarSetHash(sidecarSet('a-set'))}","sidecarSetName":"a-set","sidecarList":["a-set-c"]},` +
        `"b-set":{"updateTimestamp":"2024-05-01T10:00:00Z","hash":"${sidecarSetHash(set)}","sidecarSetName":"b-set","sidecarList":["b-set-c"],"controllerRevision":"b-set-abc"}}`,
    );
    expect(JSON.parse(annotations[SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]!)['b-set']).toEqual({
      updateTimestamp: '2024-05-01T10:00:00Z',
      hash: sidecarSetHashWithoutImage(set),
      sidecarSetName: 'b-set',
      sidecarList: ['b-set-c'],
    });
    expect(result.injected).toEqual(['a-set', 'b-set']);
  });

  it("uses the SidecarSet's own hash annotations when it has them", () => {
    const set = sidecarSet('s', {}, { metadata: { name: 's', annotations: { [SIDECARSET_HASH_ANNOTATION]: 'h1', [SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]: 'h2' } } });
    const annotations = run(pod(), [set]).pod.metadata!.annotations!;
    expect(JSON.parse(annotations[SIDECARSET_HASH_ANNOTATION]!).s.hash).toBe('h1');
    expect(JSON.parse(annotations[SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]!).s.hash).toBe('h2');
  });

  it('drops entries the pod brought for SidecarSets that are not injected now', () => {
    const result = run(pod({}, { annotations: { [SIDECARSET_HASH_ANNOTATION]: '{"old":"abc"}', [INJECTED_LIST_ANNOTATION]: 'old' } }), [sidecarSet('s')]);
    const annotations = result.pod.metadata!.annotations!;
    expect(Object.keys(JSON.parse(annotations[SIDECARSET_HASH_ANNOTATION]!))).toEqual(['s']);
    expect(annotations[INJECTED_LIST_ANNOTATION]).toBe('s');
  });

  it('an unreadable hash annotation the pod brought is replaced, not an error', () => {
    const result = run(pod({}, { annotations: { [SIDECARSET_HASH_ANNOTATION]: 'not json' } }), [sidecarSet('s')]);
    expect(result.errors).toEqual([]);
    expect(JSON.parse(result.pod.metadata!.annotations![SIDECARSET_HASH_ANNOTATION]!).s.hash).toBe(sidecarSetHash(sidecarSet('s')));
  });

  it("keeps the pod's updateTimestamp only for an entry identical in everything else", () => {
    const first = run(pod(), [sidecarSet('s')]).pod;
    const again = run(first, [sidecarSet('s')], { ...ctx, now: '2030-01-01T00:00:00Z' }).pod;
    expect(JSON.parse(again.metadata!.annotations![SIDECARSET_HASH_ANNOTATION]!).s.updateTimestamp).toBe('2024-05-01T10:00:00Z');
    const forged = run(pod({}, { annotations: { [SIDECARSET_HASH_ANNOTATION]: '{"s":{"updateTimestamp":"2001-01-01T00:00:00Z","hash":"forged","sidecarSetName":"s","sidecarList":["s-c"]}}' } }), [sidecarSet('s')]).pod;
    expect(JSON.parse(forged.metadata!.annotations![SIDECARSET_HASH_ANNOTATION]!).s).toMatchObject({ updateTimestamp: '2024-05-01T10:00:00Z', hash: sidecarSetHash(sidecarSet('s')) });
  });
});

describe('injectPod: patchPodMetadata', () => {
  const withMeta = (patchPolicy: 'Retain' | 'Overwrite' | 'MergePatchJson' | undefined, value: string) =>
    sidecarSet('s', { patchPodMetadata: [{ annotations: { 'example.com/k': value }, ...(patchPolicy ? { patchPolicy } : {}) }] });
  it.each([
    { name: 'Retain keeps a value the pod has', policy: 'Retain' as const, podValue: 'pod', value: 'set', out: 'pod' },
    { name: 'Retain (the default) sets a value the pod lacks', policy: undefined, podValue: undefined, value: 'set', out: 'set' },
    { name: 'Overwrite replaces the pod value', policy: 'Overwrite' as const, podValue: 'pod', value: 'set', out: 'set' },
    { name: 'MergePatchJson merges into the pod JSON with sorted keys', policy: 'MergePatchJson' as const, podValue: '{"z":1,"a":{"b":1,"c":2}}', value: '{"a":{"c":null,"d":3}}', out: '{"a":{"b":1,"d":3},"z":1}' },
    { name: 'MergePatchJson sets the value as is when the pod lacks it', policy: 'MergePatchJson' as const, podValue: undefined, value: '{"b":1,"a":2}', out: '{"b":1,"a":2}' },
  ])('$name', ({ policy, podValue, value, out }) => {
    const result = run(pod({}, podValue === undefined ? {} : { annotations: { 'example.com/k': podValue } }), [withMeta(policy, value)]);
    expect(result.pod.metadata?.annotations?.['example.com/k']).toBe(out);
  });

  it('MergePatchJson over a pod value that is not JSON is an error', () => {
    const result = run(pod({}, { annotations: { 'example.com/k': 'plain' } }), [withMeta('MergePatchJson', '{"a":1}')]);
    expect(result.errors.map((e) => e.path)).toEqual(['spec.patchPodMetadata[0].annotations[example.com/k]']);
    expect(result.errors[0]!.reason).toContain('"s"');
  });
});

describe('injectPod: skips', () => {
  it('a paused SidecarSet is skipped with a reason', () => {
    const p = pod();
    const result = run(p, [sidecarSet('s', { injectionStrategy: { paused: true } })]);
    expect(result.pod).toBe(p);
    expect(result.patch).toEqual([]);
    expect(result.injected).toEqual([]);
    expect(result.skipped).toEqual([{ sidecarSet: 's', code: 'InjectionPaused', reason: expect.stringMatching(/paused/) }]);
  });

  it('a SidecarSet with no containers or initContainers is skipped with a reason', () => {
    const result = run(pod(), [sidecarSet('s', { containers: [], patchPodMetadata: [{ annotations: { a: 'b' } }] })]);
    expect(result.patch).toEqual([]);
    expect(result.skipped).toEqual([{ sidecarSet: 's', code: 'NoContainers', reason: expect.stringMatching(/no containers/) }]);
  });

  it('a SidecarSet that does not select the pod is neither injected nor reported', () => {
    const result = run(pod(), [sidecarSet('s', { selector: { matchLabels: { app: 'other' } } })]);
    expect(result).toEqual({ pod: expect.anything(), patch: [], injected: [], skipped: [], errors: [], warnings: [] });
  });

  it('a SidecarSet in another namespace is not applied', () => {
    expect(run(pod(), [sidecarSet('s', { namespace: 'kube-system' })]).injected).toEqual([]);
  });

  it('a namespaceSelector is matched against ctx.namespaceLabels', () => {
    const set = sidecarSet('s', { namespaceSelector: { matchLabels: { inject: 'yes' } } });
    expect(run(pod(), [set], { ...ctx, namespaceLabels: { inject: 'yes' } }).injected).toEqual(['s']);
    expect(run(pod(), [set], { ...ctx, namespaceLabels: {} }).injected).toEqual([]);
  });

  it('a pod injected once is injected again to the same pod: the second call changes nothing', () => {
    const first = run(pod(), [sidecarSet('s')]);
    const second = run(first.pod, [sidecarSet('s')], { ...ctx, now: '2030-01-01T00:00:00Z' });
    expect(second.pod).toBe(first.pod);
    expect(second.patch).toEqual([]);
    expect(second.injected).toEqual(['s']);
  });

  it('a pod injected at an older hash gets the new spec in place', () => {
    const first = run(pod(), [sidecarSet('s')]);
    const newer = sidecarSet('s', { containers: [{ name: 's-c', image: 's:2' }] });
    const second = run(first.pod, [newer]);
    expect(names(second.pod.spec?.containers)).toEqual(['s-c', 'app']);
    expect(containerOf(second.pod, 's-c').image).toBe('s:2');
    expect(second.patch).toContainEqual({ op: 'replace', path: '/spec/containers/0/image', value: 's:2' });
  });
});

describe('injectPod: resourcesPolicy', () => {
  const withResources = (name: string, resources: NonNullable<Pod['spec']>['containers'][number]['resources']) => ({ name, image: 'nginx', resources });
  const appPod = pod({
    initContainers: [
      { ...withResources('native', { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '500m', memory: '256Mi' } }), restartPolicy: 'Always' },
      withResources('setup', { limits: { cpu: '4', memory: '4Gi' }, requests: { cpu: '4', memory: '4Gi' } }),
    ],
    containers: [
      withResources('app', { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } }),
      withResources('other-s-c', { limits: { cpu: '8' }, requests: { cpu: '8' } }),
    ],
  });

  it("a sidecar is sized from the pod's native sidecars and containers, leaving out plain initContainers and every injected sidecar", () => {
    const policy = { targetContainersMode: 'sum' as const, targetContainersNameRegex: '.*', resourcesExpr: { limits: { cpu: 'cpu*50%', memory: 'memory*50%' }, requests: { cpu: 'max(cpu*10%, 50m)' } } };
    const result = run(appPod, [
      sidecarSet('s', { containers: [{ name: 's-c', image: 's:1', resourcesPolicy: policy }] }),
      sidecarSet('other', { containers: [{ name: 'other-s-c', image: 'o:1' }] }),
    ]);
    expect(result.errors).toEqual([]);
    // targets: native (500m, 256Mi) and app (1, 1Gi); not setup (a plain initContainer), not other-s-c (a sidecar)
    expect(containerOf(result.pod, 's-c').resources).toEqual({ limits: { cpu: '750m', memory: '640Mi' }, requests: { cpu: '150m' } });
    expect(result.patch).toContainEqual({ op: 'add', path: '/spec/containers/0', value: expect.objectContaining({ name: 's-c', resources: { limits: { cpu: '750m', memory: '640Mi' }, requests: { cpu: '150m' } } }) });
  });

  it('a native sidecar initContainer with a policy is sized too', () => {
    const policy = { targetContainersMode: 'max' as const, targetContainersNameRegex: '^app$', resourcesExpr: { requests: { memory: 'memory / 4' } } };
    const result = run(appPod, [sidecarSet('s', { containers: [], initContainers: [{ name: 's-init', image: 's:1', restartPolicy: 'Always', resourcesPolicy: policy }] })]);
    expect(containerOf(result.pod, 's-init').resources).toEqual({ requests: { memory: '256Mi' } });
  });

  it('a policy that finds no target denies the pod, naming the SidecarSet and the field', () => {
    const policy = { targetContainersMode: 'sum' as const, targetContainersNameRegex: '^db$', resourcesExpr: { limits: { cpu: 'cpu' } } };
    const result = run(appPod, [sidecarSet('s', { containers: [{ name: 's-c', image: 's:1' }, { name: 's-d', image: 's:1', resourcesPolicy: policy }] })]);
    expect(result.errors).toEqual([{ sidecarSet: 's', path: 'spec.containers[1].resourcesPolicy.targetContainersNameRegex', type: 'Invalid', reason: 'no containers match the regex pattern "^db$"' }]);
    expect(result.patch).toEqual([]);
    expect(result.injected).toEqual([]);
  });

  it('an expression that fails for this pod denies it, naming the expression', () => {
    const policy = { targetContainersMode: 'sum' as const, resourcesExpr: { requests: { cpu: 'cpu - 20' } } }; // the targets request 9.5 cpu
    const result = run(appPod, [sidecarSet('s', { containers: [{ name: 's-c', image: 's:1', resourcesPolicy: policy }] })]);
    expect(result.errors).toMatchObject([{ sidecarSet: 's', path: 'spec.containers[0].resourcesPolicy.resourcesExpr.requests.cpu', reason: expect.stringContaining('negative') }]);
  });
});

describe('injectPod: injectionStrategy.revision', () => {
  const recorded = (name: string, image: string, revision: number, labels: Record<string, string> = {}): ControllerRevision => ({
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: { name, namespace: 'kruise-system', labels: { [SIDECARSET_NAME_LABEL]: 's', ...labels } },
    revision,
    data: { spec: { $patch: 'replace', containers: [{ name: 's-c', image }], volumes: null } } as unknown as ControllerRevision['data'],
  });
  const revisions = [
    recorded('s-111', 's:v1', 1, { [CUSTOM_VERSION_LABEL]: 'v1' }),
    recorded('s-222', 's:v1b', 2, { [CUSTOM_VERSION_LABEL]: 'v1' }),
    recorded('s-333', 's:v3', 3),
  ];
  const pinned = (revision: NonNullable<NonNullable<SidecarSet['spec']['injectionStrategy']>['revision']>, updateStrategy = {}) =>
    sidecarSet('s', { containers: [{ name: 's-c', image: 's:latest' }], injectionStrategy: { revision }, updateStrategy });
  const imageFor = (set: SidecarSet, context: Partial<InjectionContext> = {}, p = pod()) =>
    containerOf(run(p, [set], { ...ctx, revisions, ...context }).pod, 's-c').image;

  it.each([
    { name: 'revisionName injects that ControllerRevision', revision: { revisionName: 's-333' }, image: 's:v3' },
    { name: 'customVersion injects the newest revision with that label', revision: { customVersion: 'v1' }, image: 's:v1b' },
    { name: 'revisionName wins over customVersion', revision: { revisionName: 's-111', customVersion: 'v1' }, image: 's:v1' },
    { name: 'an empty revision injects the current spec', revision: {}, image: 's:latest' },
  ])('$name', ({ revision, image }) => {
    expect(imageFor(pinned(revision))).toBe(image);
  });

  it('the pinned revision is recorded as controllerRevision with its hash', () => {
    const result = run(pod(), [pinned({ revisionName: 's-333' })], { ...ctx, revisions });
    const entry = JSON.parse(result.pod.metadata!.annotations![SIDECARSET_HASH_ANNOTATION]!).s;
    expect(entry.controllerRevision).toBe('s-333');
    expect(entry.hash).toBe(sidecarSetHash({ ...sidecarSet('s'), spec: { containers: [{ name: 's-c', image: 's:v3' }] } }));
  });

  it.each([
    { name: 'a missing customVersion is an error on that field', revision: { customVersion: 'v9' }, path: 'spec.injectionStrategy.revision.customVersion' },
    { name: 'a missing revisionName is an error on that field', revision: { revisionName: 'gone' }, path: 'spec.injectionStrategy.revision.revisionName' },
  ])('$name', ({ revision, path }) => {
    const result = run(pod(), [pinned(revision)], { ...ctx, revisions });
    expect(result.errors).toEqual([{ sidecarSet: 's', path, type: 'Invalid', reason: expect.stringContaining('SidecarSet "s"'), value: expect.any(String) }]);
    expect(result.patch).toEqual([]);
    expect(result.injected).toEqual([]);
  });

  it("a revisionName naming another SidecarSet's revision is an error naming both", () => {
    const foreign = { ...recorded('other-1', 'evil:1', 1), metadata: { name: 'other-1', namespace: 'kruise-system', labels: { [SIDECARSET_NAME_LABEL]: 'other' } } };
    const result = run(pod(), [pinned({ revisionName: 'other-1' })], { ...ctx, revisions: [...revisions, foreign] });
    expect(result.injected).toEqual([]);
    expect(result.errors).toEqual([expect.objectContaining({ sidecarSet: 's', path: 'spec.injectionStrategy.revision.revisionName', reason: expect.stringMatching(/SidecarSet "other", not of this one/) })]);
  });

  it.each([
    { name: 'Partial: a pod outside updateStrategy.selector gets the pinned revision', updateStrategy: { selector: { matchLabels: { canary: 'true' } } }, draw: 0.99, image: 's:v3' },
    { name: 'Partial: a canary pod with no percentage partition gets the latest', updateStrategy: { selector: { matchLabels: { app: 'web' } } }, draw: 0, image: 's:latest' },
    { name: 'Partial: a draw within the partition percentage gets the pinned revision', updateStrategy: { partition: '30%' }, draw: 0.2, image: 's:v3' },
    { name: 'Partial: a draw above the partition percentage gets the latest', updateStrategy: { partition: '30%' }, draw: 0.5, image: 's:latest' },
    { name: 'Partial: a paused rollout always gets the pinned revision', updateStrategy: { paused: true }, draw: 0.99, image: 's:v3' },
    // Kruise's selectRevisionRandomly: `rand.Float64() <= probability` keeps the old (pinned) revision.
    { name: 'Partial: a draw equal to the partition percentage gets the pinned revision', updateStrategy: { partition: '30%' }, draw: 0.3, image: 's:v3' },
    { name: 'Partial: partition 0% pins only a draw of exactly 0', updateStrategy: { partition: '0%' }, draw: 0, image: 's:v3' },
    { name: 'Partial: partition 0% gives any other draw the latest', updateStrategy: { partition: '0%' }, draw: 0.000001, image: 's:latest' },
    { name: 'Partial: partition 100% pins every draw', updateStrategy: { partition: '100%' }, draw: 0.999999, image: 's:v3' },
    { name: 'Partial: an int partition gets the latest whatever the draw', updateStrategy: { partition: 3 }, draw: 0, image: 's:latest' },
  ])('$name', ({ updateStrategy, draw, image }) => {
    expect(imageFor(pinned({ revisionName: 's-333', policy: 'Partial' }, updateStrategy), { draw: () => draw })).toBe(image);
  });

  it('Partial: without a random source a percentage partition gets the latest', () => {
    expect(imageFor(pinned({ revisionName: 's-333', policy: 'Partial' }, { partition: '100%' }))).toBe('s:latest');
  });

  it('Partial: each SidecarSet draws on its own, and only one that reaches the draw does', () => {
    const revisionOf = (name: string): ControllerRevision => ({
      ...recorded(`${name}-1`, `${name}:pinned`, 1),
      metadata: { name: `${name}-1`, namespace: 'kruise-system', labels: { [SIDECARSET_NAME_LABEL]: name } },
      data: { spec: { $patch: 'replace', containers: [{ name: `${name}-c`, image: `${name}:pinned` }], volumes: null } } as unknown as ControllerRevision['data'],
    });
    const partial = (name: string, policy: 'Partial' | 'Always') =>
      sidecarSet(name, { containers: [{ name: `${name}-c`, image: `${name}:latest` }], injectionStrategy: { revision: { revisionName: `${name}-1`, policy } }, updateStrategy: { partition: '50%' } });
    const draws = [0.1, 0.9];
    const source = vi.fn(() => draws.shift()!);
    const result = run(pod(), [partial('a', 'Partial'), partial('b', 'Partial'), partial('c', 'Always')], { ...ctx, revisions: ['a', 'b', 'c'].map(revisionOf), draw: source });
    expect(result.errors).toEqual([]);
    expect(source).toHaveBeenCalledTimes(2);
    expect(['a-c', 'b-c', 'c-c'].map((name) => containerOf(result.pod, name).image)).toEqual(['a:pinned', 'b:latest', 'c:pinned']);
  });
});

describe('injectPod: nothing the pod brings decides what is injected', () => {
  const sidecar = () => sidecarSet('s', { containers: [{ name: 'proxy', image: 'proxy:1' }] });
  const forgedAnnotations = () => {
    const injected = run(pod(), [sidecar()]).pod.metadata!.annotations!;
    return { [INJECTED_LIST_ANNOTATION]: injected[INJECTED_LIST_ANNOTATION]!, [SIDECARSET_HASH_ANNOTATION]: injected[SIDECARSET_HASH_ANNOTATION]!, [SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]: injected[SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]! };
  };
  it.each([
    { name: 'copied injected-list and hash annotations, with its own container named like the sidecar', p: () => pod({ containers: [{ name: 'proxy', image: 'evil:1' }, { name: 'app', image: 'nginx' }] }, { annotations: forgedAnnotations() }) },
    { name: 'copied annotations without the sidecar container', p: () => pod({}, { annotations: forgedAnnotations() }) },
    { name: 'its own container named like the sidecar, no annotations', p: () => pod({ containers: [{ name: 'proxy', image: 'evil:1', command: ['sh'] }, { name: 'app', image: 'nginx' }] }) },
    { name: 'status.phase Succeeded in the CREATE body', p: () => ({ ...pod(), status: { phase: 'Succeeded' } }) },
    { name: 'status.phase Failed in the CREATE body', p: () => ({ ...pod(), status: { phase: 'Failed' } }) },
    { name: 'a deletionTimestamp in the CREATE body', p: () => pod({}, { deletionTimestamp: '2024-01-01T00:00:00Z' }) },
  ])('$name: the SidecarSet\'s sidecar is injected as defined', ({ p }) => {
    const result = run(p(), [sidecar()]);
    expect(result.injected).toEqual(['s']);
    const proxies = result.pod.spec!.containers.filter((c) => c.name === 'proxy');
    expect(proxies).toEqual([{ name: 'proxy', image: 'proxy:1', env: [{ name: 'IS_INJECTED', value: 'true' }] }]);
    expect(result.pod.metadata!.annotations![INJECTED_LIST_ANNOTATION]).toBe('s');
  });
});

describe('injectPod: container names clashing across lists', () => {
  it('a sidecar container named like a pod initContainer denies the pod, naming the SidecarSet and both containers', () => {
    const result = run(pod({ initContainers: [{ name: 'setup', image: 'busybox' }] }), [sidecarSet('s', { containers: [{ name: 'setup', image: 'x' }] })]);
    expect(result.injected).toEqual([]);
    expect(result.patch).toEqual([]);
    expect(result.errors).toEqual([
      expect.objectContaining({ path: 'spec.initContainers[0].name', type: 'Duplicate', value: 'setup', reason: expect.stringMatching(/SidecarSet "s" injects a container named "setup".*has an initContainer of that name/) }),
    ]);
    expect(result.errors[0]!.sidecarSet).toBeUndefined();
  });

  it('a sidecar initContainer named like a pod container denies the pod', () => {
    const result = run(pod(), [sidecarSet('s', { initContainers: [{ name: 'app', image: 'x' }] })]);
    expect(result.errors).toEqual([expect.objectContaining({ path: 'spec.containers[0].name', type: 'Duplicate', reason: expect.stringMatching(/SidecarSet "s" injects an initContainer named "app"/) })]);
  });

  it('two SidecarSets injecting the same name deny the pod, blaming the later SidecarSet', () => {
    const result = run(pod(), [sidecarSet('a', { containers: [{ name: 'log', image: 'x' }] }), sidecarSet('b', { initContainers: [{ name: 'log', image: 'y', restartPolicy: 'Always' }] })]);
    expect(result.errors).toEqual([
      expect.objectContaining({ sidecarSet: 'b', path: 'spec.initContainers[0].name', type: 'Duplicate', reason: expect.stringMatching(/SidecarSet "a" already injects a container named "log"/) }),
    ]);
  });

  it('a sidecar named like a pod container in the same list still replaces it (OpenKruise)', () => {
    const result = run(pod({ containers: [{ name: 'app', image: 'nginx' }, { name: 'log', image: 'mine' }] }), [sidecarSet('s', { containers: [{ name: 'log', image: 'x' }] })]);
    expect(result.errors).toEqual([]);
    expect(names(result.pod.spec!.containers)).toEqual(['app', 'log']);
    expect(containerOf(result.pod, 'log').image).toBe('x');
  });
});

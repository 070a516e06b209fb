import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Container, EnvVar, Pod, SidecarContainer, SidecarSet } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { injectPod, type InjectionContext } from '../inject/injectPod.js';
import { notUpgradableReason } from '../rollout/notUpgradableReason.js';
import { rewriteStdlogVolumes, type StdlogContext } from './rewriteStdlogVolumes.js';
import { STDLOG_CSI_DRIVER } from './stdlogVolume.js';

const SEEDS = join(import.meta.dirname, '../../../api/test/fixtures/seeds');
/** Seed 000's stdlog example (filebeat printing /var/log/std/filebeat/0.log), as the user wrote it. */
const seed000 = (): SidecarSet => parse(readFileSync(join(SEEDS, '000-filebeat-sidecarset-2.yaml'), 'utf8')) as SidecarSet;

const ctx: InjectionContext = { namespace: 'default', namespaceLabels: {}, revisions: [], now: '2025-04-29T03:26:06Z' };
const withDriver: InjectionContext = { ...ctx, csiDrivers: new Set([STDLOG_CSI_DRIVER, 'other.csi.example.com']) };

const echoServer = (extra: Partial<Pod['spec']> = {}): Pod => ({
  metadata: { name: 'echo-server', namespace: 'default', labels: { app: 'echo-server', 'serverless.alibabacloud.com/virtual-node': 'true' } },
  spec: { containers: [{ name: 'echo-server', image: 'hashicorp/http-echo', args: ['-listen=:8080'] }], ...extra },
});

const POD_ENV: EnvVar[] = [
  { name: 'SIDECARSET_POD_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
  { name: 'SIDECARSET_POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
  { name: 'SIDECARSET_POD_UID', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.uid' } } },
];
const SUBPATH = '$(SIDECARSET_POD_NAMESPACE)_$(SIDECARSET_POD_NAME)_$(SIDECARSET_POD_UID)';
const HOST_PATH = { name: 'stdlog', hostPath: { path: '/var/log/pods', type: 'Directory' } };
const container = (pod: Pod, name: string): Container => pod.spec!.containers.find((c) => c.name === name)!;

describe('seed 000 stdlog SidecarSet injected into echo-server', () => {
  it('without the CSI driver: a hostPath of the pod log directory, the sidecar mount narrowed to this pod, read-only', () => {
    const result = injectPod(echoServer(), [seed000()], ctx);
    expect(result.errors).toEqual([]);
    expect(result.pod.spec!.volumes).toEqual([HOST_PATH]);
    const filebeat = container(result.pod, 'filebeat');
    expect(filebeat.volumeMounts).toEqual([{ name: 'stdlog', mountPath: '/var/log/std', readOnly: true, subPathExpr: SUBPATH }]);
    expect(filebeat.env).toEqual([...POD_ENV, { name: 'IS_INJECTED', value: 'true' }]);
    // The app container is untouched.
    expect(container(result.pod, 'echo-server')).toEqual(echoServer().spec!.containers[0]);
  });

  it('with the CSI driver installed: the csi volume and the mount as written', () => {
    const result = injectPod(echoServer(), [seed000()], withDriver);
    expect(result.pod.spec!.volumes).toEqual([{ name: 'stdlog', csi: { driver: STDLOG_CSI_DRIVER } }]);
    expect(container(result.pod, 'filebeat').volumeMounts).toEqual([{ name: 'stdlog', mountPath: '/var/log/std', readOnly: true }]);
    expect(container(result.pod, 'filebeat').env).toEqual([{ name: 'IS_INJECTED', value: 'true' }]);
  });

  it('the hash annotations are the same either way (they cover the SidecarSet as written)', () => {
    const rewritten = injectPod(echoServer(), [seed000()], ctx).pod.metadata!.annotations;
    const kept = injectPod(echoServer(), [seed000()], withDriver).pod.metadata!.annotations;
    expect(rewritten!['kruise.io/sidecarset-hash']).toBeDefined();
    expect(rewritten).toEqual(kept);
  });

  it('injecting the injected pod again changes nothing', () => {
    const once = injectPod(echoServer(), [seed000()], ctx).pod;
    const twice = injectPod(once, [seed000()], ctx);
    expect(twice.errors).toEqual([]);
    expect(twice.patch).toEqual([]);
  });

  it('the SidecarSet object is not modified', () => {
    const sidecarSet = seed000();
    const before = structuredClone(sidecarSet);
    injectPod(echoServer(), [sidecarSet], ctx);
    expect(sidecarSet).toEqual(before);
  });
});

describe('Pod Security level of the namespace', () => {
  const cases: { name: string; labels: Record<string, string>; denied?: RegExp }[] = [
    { name: 'no enforce label: allowed (the default level is privileged)', labels: {} },
    { name: 'enforce privileged: allowed', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } },
    { name: 'warn baseline only: allowed', labels: { 'pod-security.kubernetes.io/warn': 'baseline', 'pod-security.kubernetes.io/audit': 'restricted' } },
    { name: 'enforce baseline: denied naming the level', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' }, denied: /level "baseline"/ },
    { name: 'enforce restricted: denied naming the level', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' }, denied: /level "restricted"/ },
    { name: 'an unknown level counts as restricted, as PodSecurity admission reads it', labels: { 'pod-security.kubernetes.io/enforce': 'Privileged' }, denied: /level "restricted" \(label pod-security.kubernetes.io\/enforce: "Privileged" is no level, read as restricted\)/ },
  ];
  for (const { name, labels, denied } of cases) {
    it(name, () => {
      const pod = echoServer();
      pod.metadata!.namespace = 'shop';
      const result = injectPod(pod, [seed000()], { ...ctx, namespaceLabels: labels });
      if (!denied) {
        expect(result.errors).toEqual([]);
        expect(result.pod.spec!.volumes).toEqual([HOST_PATH]);
        return;
      }
      expect(result.pod.spec).toEqual(echoServer().spec);
      expect(result.errors).toHaveLength(1);
      const [error] = result.errors;
      expect(error).toMatchObject({ sidecarSet: 'filebeat-sidecarset', path: 'spec.volumes[0]', type: 'Forbidden' });
      expect(error!.reason).toMatch(denied);
      expect(error!.reason).toContain('volume "stdlog"');
      expect(error!.reason).toContain('namespace "shop"');
      expect(error!.reason).toContain('forbids hostPath');
    });
  }

  it('a forbidding namespace is fine where the CSI driver is installed', () => {
    const result = injectPod(echoServer(), [seed000()], { ...withDriver, namespaceLabels: { 'pod-security.kubernetes.io/enforce': 'restricted' } });
    expect(result.errors).toEqual([]);
    expect(result.injected).toEqual(['filebeat-sidecarset']);
  });
});

/** Seed 000's SidecarSet with the filebeat container changed. */
const withFilebeat = (change: (filebeat: SidecarContainer) => void, more: Partial<SidecarSet['spec']> = {}): SidecarSet => {
  const sidecarSet = seed000();
  change(sidecarSet.spec.containers![0]!);
  Object.assign(sidecarSet.spec, more);
  return sidecarSet;
};

describe('mounts and env of the sidecars', () => {
  it('a subPath goes below the pod directory; $ is escaped for the expression', () => {
    const sidecarSet = withFilebeat((f) => (f.volumeMounts = [{ name: 'stdlog', mountPath: '/logs/echo', subPath: 'echo-server' }, { name: 'stdlog', mountPath: '/odd', subPath: 'a$(B)' }]));
    const mounts = container(injectPod(echoServer(), [sidecarSet], ctx).pod, 'filebeat').volumeMounts;
    expect(mounts).toEqual([
      { name: 'stdlog', mountPath: '/logs/echo', readOnly: true, subPathExpr: `${SUBPATH}/echo-server` },
      { name: 'stdlog', mountPath: '/odd', readOnly: true, subPathExpr: `${SUBPATH}/a$$(B)` },
    ]);
  });

  it('a subPathExpr goes below the pod directory, readOnly: false becomes true, other mounts are kept', () => {
    const sidecarSet = withFilebeat(
      (f) => {
        f.volumeMounts = [{ name: 'data', mountPath: '/data' }, { name: 'stdlog', mountPath: '/logs', readOnly: false, subPathExpr: '$(WHICH)' }];
        f.env = [{ name: 'WHICH', value: 'echo-server' }];
      },
      { volumes: [{ name: 'data', emptyDir: {} }, { name: 'stdlog', csi: { driver: STDLOG_CSI_DRIVER } }] },
    );
    const pod = injectPod(echoServer(), [sidecarSet], ctx).pod;
    const filebeat = container(pod, 'filebeat');
    expect(filebeat.volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }, { name: 'stdlog', mountPath: '/logs', readOnly: true, subPathExpr: `${SUBPATH}/$(WHICH)` }]);
    expect(filebeat.env).toEqual([{ name: 'WHICH', value: 'echo-server' }, ...POD_ENV, { name: 'IS_INJECTED', value: 'true' }]);
    expect(pod.spec!.volumes).toEqual([{ name: 'data', emptyDir: {} }, HOST_PATH]);
  });

  it('a sidecar defining a variable the same way keeps it, once', () => {
    const sidecarSet = withFilebeat((f) => (f.env = [{ name: 'SIDECARSET_POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]));
    const result = injectPod(echoServer(), [sidecarSet], ctx);
    expect(result.errors).toEqual([]);
    expect(container(result.pod, 'filebeat').env!.map((e) => e.name)).toEqual(['SIDECARSET_POD_NAME', 'SIDECARSET_POD_NAMESPACE', 'SIDECARSET_POD_UID', 'IS_INJECTED']);
  });

  it('a sidecar defining a variable of that name otherwise: an error naming the field', () => {
    const sidecarSet = withFilebeat((f) => (f.env = [{ name: 'TZ', value: 'UTC' }, { name: 'SIDECARSET_POD_UID', value: 'fixed' }]));
    const result = injectPod(echoServer(), [sidecarSet], ctx);
    expect(result.errors).toEqual([
      expect.objectContaining({ sidecarSet: 'filebeat-sidecarset', path: 'spec.containers[0].env[1]', type: 'Invalid', value: 'SIDECARSET_POD_UID' }),
    ]);
    expect(result.errors[0]!.reason).toContain('volume "stdlog"');
    expect(result.pod.spec).toEqual(echoServer().spec);
  });

  it('a transferred variable of that name: an error naming the transferEnv', () => {
    const sidecarSet = withFilebeat((f) => (f.transferEnv = [{ sourceContainerName: 'echo-server', envNames: ['A', 'SIDECARSET_POD_NAME'] }]));
    expect(injectPod(echoServer(), [sidecarSet], ctx).errors).toEqual([
      expect.objectContaining({ sidecarSet: 'filebeat-sidecarset', path: 'spec.containers[0].transferEnv[0]', value: 'SIDECARSET_POD_NAME' }),
    ]);
  });

  it('with the CSI driver, a clashing variable is no error (nothing is rewritten)', () => {
    const sidecarSet = withFilebeat((f) => (f.env = [{ name: 'SIDECARSET_POD_UID', value: 'fixed' }]));
    expect(injectPod(echoServer(), [sidecarSet], withDriver).errors).toEqual([]);
  });

  it('a native sidecar (initContainer) mounting it is rewritten too; a sidecar not mounting it gets no env', () => {
    const sidecarSet = seed000();
    sidecarSet.spec.initContainers = [{ name: 'shipper', image: 'busybox', restartPolicy: 'Always', volumeMounts: [{ name: 'stdlog', mountPath: '/std' }] }];
    sidecarSet.spec.containers!.push({ name: 'other', image: 'busybox' });
    const pod = injectPod(echoServer(), [sidecarSet], ctx).pod;
    const shipper = pod.spec!.initContainers!.find((c) => c.name === 'shipper')!;
    expect(shipper.volumeMounts).toEqual([{ name: 'stdlog', mountPath: '/std', readOnly: true, subPathExpr: SUBPATH }]);
    expect(shipper.env).toEqual([...POD_ENV, { name: 'IS_INJECTED', value: 'true' }]);
    expect(container(pod, 'other').env).toEqual([{ name: 'IS_INJECTED', value: 'true' }]);
  });
});

describe("the pod's own volumes and containers", () => {
  it('a pod volume of the same name wins and is left alone, and so is the sidecar mount of it', () => {
    const own = { name: 'stdlog', emptyDir: {} };
    const pod = injectPod(echoServer({ volumes: [own] }), [seed000()], ctx).pod;
    expect(pod.spec!.volumes).toEqual([own]);
    expect(container(pod, 'filebeat').volumeMounts).toEqual([{ name: 'stdlog', mountPath: '/var/log/std', readOnly: true }]);
    expect(container(pod, 'filebeat').env).toEqual([{ name: 'IS_INJECTED', value: 'true' }]);
  });

  it("the pod's own stdlog csi volume is not rewritten", () => {
    const own = { name: 'stdlog', csi: { driver: STDLOG_CSI_DRIVER, volumeAttributes: { mine: 'yes' } } };
    expect(injectPod(echoServer({ volumes: [own] }), [seed000()], ctx).pod.spec!.volumes).toEqual([own]);
  });

  it('an app container mounting the rewritten volume it does not declare: denied, naming its field', () => {
    const pod = echoServer();
    pod.spec!.containers[0]!.volumeMounts = [{ name: 'stdlog', mountPath: '/all-logs' }];
    const result = injectPod(pod, [seed000()], ctx);
    expect(result.errors).toEqual([expect.objectContaining({ path: 'spec.containers[0].volumeMounts[0].name', type: 'Forbidden' })]);
    expect(result.errors[0]!.sidecarSet).toBeUndefined();
    expect(result.errors[0]!.reason).toContain('SidecarSet "filebeat-sidecarset"');
  });

  it('a pod container the sidecar replaces (same name) may have mounted it', () => {
    const pod = echoServer();
    pod.spec!.containers.push({ name: 'filebeat', image: 'old', volumeMounts: [{ name: 'stdlog', mountPath: '/x' }] });
    const result = injectPod(pod, [seed000()], ctx);
    expect(result.errors).toEqual([]);
    expect(container(result.pod, 'filebeat').volumeMounts).toEqual([{ name: 'stdlog', mountPath: '/var/log/std', readOnly: true, subPathExpr: SUBPATH }]);
  });

  /** A second SidecarSet selecting the same pods whose sidecar mounts a volume named like seed 000's. */
  const secondSidecarSet = (volumes: SidecarSet['spec']['volumes'] = []): SidecarSet => ({
    apiVersion: 'apps.kruise.io/v1alpha1',
    kind: 'SidecarSet',
    metadata: { name: 'other-agent' },
    spec: {
      selector: { matchLabels: { app: 'echo-server' } },
      containers: [{ name: 'agent', image: 'agent:1', volumeMounts: [{ name: 'config', mountPath: '/etc/agent' }, { name: 'stdlog', mountPath: '/logs' }] }],
      volumes: [{ name: 'config', emptyDir: {} }, ...volumes],
    },
  });

  it("another SidecarSet's sidecar mounting the stdlog volume by name (not declaring it): denied, naming that SidecarSet's field", () => {
    for (const order of [[seed000(), secondSidecarSet()], [secondSidecarSet(), seed000()]]) {
      const result = injectPod(echoServer(), order, ctx);
      expect(result.errors).toEqual([expect.objectContaining({ sidecarSet: 'other-agent', path: 'spec.containers[0].volumeMounts[1].name', type: 'Forbidden', value: 'stdlog' })]);
      expect(result.errors[0]!.reason).toContain('SidecarSet "filebeat-sidecarset"\'s stdlog volume');
      expect(result.pod).toEqual(echoServer()); // nothing injected, so no unscoped mount of the node's logs
    }
  });

  it('another SidecarSet declaring a stdlog volume of the same name itself: both sidecars narrowed to this pod', () => {
    const other = secondSidecarSet([{ name: 'stdlog', csi: { driver: STDLOG_CSI_DRIVER } }]);
    const result = injectPod(echoServer(), [seed000(), other], ctx);
    expect(result.errors).toEqual([]);
    for (const name of ['filebeat', 'agent']) {
      const mount = container(result.pod, name).volumeMounts!.find((m) => m.name === 'stdlog');
      expect(mount).toMatchObject({ readOnly: true, subPathExpr: SUBPATH });
    }
  });

  it('where the CSI driver exists, another SidecarSet may mount it (the driver gives each pod its own logs)', () => {
    const result = injectPod(echoServer(), [seed000(), secondSidecarSet()], withDriver);
    expect(result.errors).toEqual([]);
  });

  it('a volume no sidecar mounts is not injected, so nothing is checked or rewritten', () => {
    const sidecarSet = withFilebeat((f) => (f.volumeMounts = []));
    const result = injectPod(echoServer(), [sidecarSet], { ...ctx, namespaceLabels: { 'pod-security.kubernetes.io/enforce': 'restricted' } });
    expect(result.errors).toEqual([]);
    expect(result.pod.spec!.volumes ?? []).toEqual([]);
  });
});

describe('rewriteStdlogVolumes on its own', () => {
  const stdlogCtx: StdlogContext = { namespace: 'default', namespaceLabels: {}, sidecarNames: new Set(['filebeat']) };

  it('returns the very spec when there is nothing to rewrite', () => {
    const spec = seed000().spec;
    expect(rewriteStdlogVolumes('filebeat-sidecarset', spec, echoServer(), { ...stdlogCtx, csiDrivers: new Set([STDLOG_CSI_DRIVER]) }).spec).toBe(spec);
    const noStdlog = { ...spec, volumes: [{ name: 'stdlog', csi: { driver: 'other.csi.example.com' } }] };
    expect(rewriteStdlogVolumes('filebeat-sidecarset', noStdlog, echoServer(), stdlogCtx).spec).toBe(noStdlog);
  });

  it('its output rewritten again is the same', () => {
    const once = rewriteStdlogVolumes('filebeat-sidecarset', seed000().spec, echoServer(), stdlogCtx);
    expect(once.spec.volumes).toEqual([HOST_PATH]);
    expect(rewriteStdlogVolumes('filebeat-sidecarset', once.spec, echoServer(), stdlogCtx).spec).toBe(once.spec);
  });
});

describe('the controller compares a rewritten pod with its SidecarSet', () => {
  const injected = (): Pod => injectPod(echoServer(), [seed000()], ctx).pod;

  it('a change that leaves the containers as they are (podInjectPolicy) keeps the pod upgradable', () => {
    const changed = withFilebeat((f) => (f.podInjectPolicy = 'AfterAppContainer'));
    expect(notUpgradableReason(changed, injected())).toBeUndefined();
  });

  it('a change of the sidecar itself is still a difference', () => {
    const changed = withFilebeat((f) => (f.env = [{ name: 'TZ', value: 'UTC' }]));
    expect(notUpgradableReason(changed, injected())).toBe('container filebeat: env TZ differs; only image changes in place, so the pod keeps its sidecar until it is recreated');
  });

  it('a pod injected where the driver exists compares with the SidecarSet as written', () => {
    const pod = injectPod(echoServer(), [seed000()], withDriver).pod;
    expect(notUpgradableReason(withFilebeat((f) => (f.podInjectPolicy = 'AfterAppContainer')), pod)).toBeUndefined();
  });
});

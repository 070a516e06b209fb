import type { SidecarSet } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { defaultSidecarSet } from './defaultSidecarSet.js';
import { defaultImagePullPolicy } from './imagePullPolicy.js';

const minimal = (): SidecarSet => ({
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name: 'log' },
  spec: { selector: { matchLabels: { app: 'nginx' } }, containers: [{ name: 'sidecar1', image: 'centos:6.7' }] },
});

describe('defaultSidecarSet', () => {
  it('applies the OpenKruise defaults to a minimal SidecarSet, containers in the shape it stores', () => {
    expect(defaultSidecarSet(minimal()).spec).toEqual({
      selector: { matchLabels: { app: 'nginx' } },
      containers: [
        {
          name: 'sidecar1',
          image: 'centos:6.7',
          resources: {},
          imagePullPolicy: 'IfNotPresent',
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          podInjectPolicy: 'BeforeAppContainer',
          upgradeStrategy: { upgradeType: 'ColdUpgrade' },
          shareVolumePolicy: { type: 'disabled' },
        },
      ],
      updateStrategy: { type: 'RollingUpdate', maxUnavailable: 1, partition: 0 },
      injectionStrategy: {},
      revisionHistoryLimit: 10,
    });
  });

  // Found by tools/kruise/test/differentialSidecarSets.integration.test.ts (regression case rg-empty-values):
  // OpenKruise's webhook re-encodes the whole v1alpha1 spec as its Go struct.
  it('writes the spec as OpenKruise stores it: no empty lists or false flags, canonical volume quantities, unknown members kept', () => {
    const input = minimal();
    Object.assign(input.spec, {
      volumes: [{ name: 'cache', emptyDir: { sizeLimit: '1024Mi' } }],
      imagePullSecrets: [],
      patchPodMetadata: [],
      updateStrategy: { paused: false, scatterStrategy: [], partition: '10%' },
      injectionStrategy: { paused: false },
      strategy: { rollingUpdate: { maxUnavailable: 2 } },
    });
    const spec = defaultSidecarSet(input).spec as unknown as Record<string, unknown>;
    expect(Object.keys(spec).sort()).toEqual(['containers', 'injectionStrategy', 'revisionHistoryLimit', 'selector', 'strategy', 'updateStrategy', 'volumes']);
    expect(spec.volumes).toEqual([{ name: 'cache', emptyDir: { sizeLimit: '1Gi' } }]);
    expect(spec.updateStrategy).toEqual({ type: 'RollingUpdate', partition: '10%', maxUnavailable: 2 });
    expect(spec.injectionStrategy).toEqual({});
    expect(spec.strategy).toEqual({ rollingUpdate: { maxUnavailable: 2 } });
  });

  it("writes an ephemeral volume's claim template as OpenKruise does, without the null creationTimestamp its Go type writes", () => {
    const input = minimal();
    input.spec.volumes = [
      { name: 'eph', ephemeral: { volumeClaimTemplate: { metadata: { labels: { app: 'agent' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1024Mi' } } } } } },
    ];
    expect(defaultSidecarSet(input).spec.volumes).toEqual([
      { name: 'eph', ephemeral: { volumeClaimTemplate: { metadata: { labels: { app: 'agent' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } } },
    ]);
  });

  it('returns a new object and leaves its input alone', () => {
    const input = minimal();
    const before = structuredClone(input);
    const out = defaultSidecarSet(input);
    expect(input).toEqual(before);
    expect(out).not.toBe(input);
  });

  it('is idempotent', () => {
    const once = defaultSidecarSet(minimal());
    expect(defaultSidecarSet(once)).toEqual(once);
  });

  it('keeps values that are set', () => {
    const s = minimal();
    s.spec.updateStrategy = { type: 'NotUpdate', maxUnavailable: '10%', partition: 980 };
    s.spec.revisionHistoryLimit = 0;
    s.spec.containers![0]!.podInjectPolicy = 'AfterAppContainer';
    s.spec.containers![0]!.imagePullPolicy = 'Never';
    const out = defaultSidecarSet(s).spec;
    expect(out.updateStrategy).toEqual({ type: 'NotUpdate', maxUnavailable: '10%', partition: 980 });
    expect(out.revisionHistoryLimit).toBe(0);
    expect(out.containers![0]).toMatchObject({ podInjectPolicy: 'AfterAppContainer', imagePullPolicy: 'Never' });
  });

  it('puts initContainers AfterAppContainer by default', () => {
    const s = minimal();
    s.spec.initContainers = [{ name: 'init', image: 'busybox:1.36' }];
    expect(defaultSidecarSet(s).spec.initContainers![0]).toMatchObject({ podInjectPolicy: 'AfterAppContainer', upgradeStrategy: { upgradeType: 'ColdUpgrade' } });
  });

  it('maps the legacy spec.strategy.rollingUpdate.maxUnavailable (seed 002) when updateStrategy has none', () => {
    const s = minimal();
    s.spec.strategy = { rollingUpdate: { maxUnavailable: 2 } };
    expect(defaultSidecarSet(s).spec.updateStrategy?.maxUnavailable).toBe(2);
    s.spec.updateStrategy = { maxUnavailable: '10%' };
    expect(defaultSidecarSet(s).spec.updateStrategy?.maxUnavailable).toBe('10%');
  });

  it('defaults patch policies, the injection revision policy and field selectors', () => {
    const s = minimal();
    s.spec.patchPodMetadata = [{ annotations: { a: 'b' } }];
    s.spec.injectionStrategy = { revision: { customVersion: 'v1' } };
    s.spec.containers![0]!.env = [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }];
    s.spec.containers![0]!.transferEnv = [{ sourceContainerNameFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } }, envName: 'TZ' }];
    const out = defaultSidecarSet(s).spec;
    expect(out.patchPodMetadata).toEqual([{ annotations: { a: 'b' }, patchPolicy: 'Retain' }]);
    expect(out.injectionStrategy).toEqual({ revision: { customVersion: 'v1', policy: 'Always' } });
    expect(out.containers![0]!.env![0]!.valueFrom!.fieldRef!.apiVersion).toBe('v1');
    expect(out.containers![0]!.transferEnv![0]!.sourceContainerNameFrom!.fieldRef!.apiVersion).toBe('v1');
  });

  it('defaults ports, liveness and readiness probes and lifecycle hooks, but not the startup probe (as OpenKruise)', () => {
    const s = minimal();
    Object.assign(s.spec.containers![0]!, {
      ports: [{ containerPort: 80 }],
      livenessProbe: { httpGet: { port: 80 } },
      readinessProbe: { exec: { command: ['true'] }, periodSeconds: 5 },
      startupProbe: { exec: { command: ['true'] } },
      lifecycle: { preStop: { httpGet: { port: 80 } } },
    });
    const c = defaultSidecarSet(s).spec.containers![0]!;
    expect(c.ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    expect(c.livenessProbe).toEqual({ httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expect(c.readinessProbe).toMatchObject({ periodSeconds: 5, timeoutSeconds: 1 });
    expect(c.startupProbe).toEqual({ exec: { command: ['true'] } });
    expect(c.lifecycle!.preStop!.httpGet).toEqual({ port: 80, path: '/', scheme: 'HTTP' });
  });

  it('stores resource quantities canonically, rounded up to milli', () => {
    const s = minimal();
    s.spec.containers![0]!.resources = { limits: { cpu: 0.5, memory: '1024Mi' }, requests: { cpu: '0.0001', memory: '30Mi' } };
    expect(defaultSidecarSet(s).spec.containers![0]!.resources).toEqual({ limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '1m', memory: '30Mi' } });
  });

  it('defaults volumes as OpenKruise SetDefaultPodVolumes', () => {
    const s = minimal();
    s.spec.volumes = [
      { name: 'none' } as never,
      { name: 'cm', configMap: { name: 'kube-system/filebeat-config' } },
      { name: 'sec', secret: { secretName: 's' } },
      { name: 'host', hostPath: { path: '/var/log' } },
      { name: 'proj', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } },
      { name: 'csi', csi: { driver: 'stdlogplugin.csi.alibabacloud.com' } },
    ];
    expect(defaultSidecarSet(s).spec.volumes).toEqual([
      { name: 'none', emptyDir: {} },
      { name: 'cm', configMap: { name: 'kube-system/filebeat-config', defaultMode: 420 } },
      { name: 'sec', secret: { secretName: 's', defaultMode: 420 } },
      { name: 'host', hostPath: { path: '/var/log', type: '' } },
      { name: 'proj', projected: { defaultMode: 420, sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] } },
      { name: 'csi', csi: { driver: 'stdlogplugin.csi.alibabacloud.com' } },
    ]);
  });
});

describe('defaultImagePullPolicy', () => {
  it.each([
    ['busybox', 'Always'],
    ['busybox:latest', 'Always'],
    ['log-service/logtail:0.16.16', 'IfNotPresent'],
    ['docker.elastic.co/beats/filebeat:8.6.1', 'IfNotPresent'],
    ['localhost:5000/app', 'Always'],
    ['localhost:5000/app:v1', 'IfNotPresent'],
    [`nginx@sha256:${'a'.repeat(64)}`, 'IfNotPresent'],
    [`nginx:latest@sha256:${'a'.repeat(64)}`, 'Always'],
    ['Invalid/Upper', 'IfNotPresent'],
    ['', 'IfNotPresent'],
  ])('%s pulls %s', (image, expected) => {
    expect(defaultImagePullPolicy(image)).toBe(expected);
  });
});

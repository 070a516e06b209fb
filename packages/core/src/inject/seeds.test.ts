// The user's seed examples (/work/shared/seeds), injected: each gives the pod OpenKruise would store.
import type { Pod, SidecarSet, SidecarSetResourceBinding } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { sidecarSetHash, sidecarSetHashWithoutImage } from '../hash/sidecarSetHash.js';
import { injectPod, type InjectionContext } from './injectPod.js';

const ctx: InjectionContext = { namespace: 'default', namespaceLabels: {}, revisions: [], now: '2025-04-29T03:26:06Z' };
const INJECTED = { name: 'IS_INJECTED', value: 'true' };

function hashAnnotations(sidecarSet: SidecarSet, sidecarList: string[]): Record<string, string> {
  const name = sidecarSet.metadata!.name!;
  const entry = (hash: string) => JSON.stringify({ [name]: { updateTimestamp: ctx.now, hash, sidecarSetName: name, sidecarList } });
  return {
    'kruise.io/sidecarset-hash': entry(sidecarSetHash(sidecarSet)),
    'kruise.io/sidecarset-hash-without-image': entry(sidecarSetHashWithoutImage(sidecarSet)),
    'kruise.io/sidecarset-injected-list': name,
  };
}

describe('seed 002: test-sidecarset into its nginx pod', () => {
  const sidecarSet = parse(`
apiVersion: apps.kruise.io/v1alpha1
kind: SidecarSet
metadata:
  name: test-sidecarset
spec:
  selector:
    matchLabels:
      app: nginx
  strategy:
    rollingUpdate:
      maxUnavailable: 2
  containers:
  - name: sidecar1
    image: centos:6.7
    command: ["sleep", "999d"] # do nothing at all
    volumeMounts:
    - name: log-volume
      mountPath: /var/log
  volumes: # this field will be merged into pod.spec.volumes
  - name: log-volume
    emptyDir: {}
`) as SidecarSet;
  const pod = parse(`
apiVersion: v1
kind: Pod
metadata:
  labels:
    app: nginx # matches the SidecarSet's selector
  name: test-pod
spec:
  containers:
  - name: app
    image: nginx:1.15.1
`) as Pod;

  it('gets sidecar1 ahead of app, its volume and the annotations', () => {
    const result = injectPod(pod, [sidecarSet], ctx);
    expect(result.errors).toEqual([]);
    expect(result.injected).toEqual(['test-sidecarset']);
    expect(result.pod).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { labels: { app: 'nginx' }, name: 'test-pod', annotations: hashAnnotations(sidecarSet, ['sidecar1']) },
      spec: {
        containers: [
          { name: 'sidecar1', image: 'centos:6.7', command: ['sleep', '999d'], volumeMounts: [{ name: 'log-volume', mountPath: '/var/log' }], env: [INJECTED] },
          { name: 'app', image: 'nginx:1.15.1' },
        ],
        volumes: [{ name: 'log-volume', emptyDir: {} }],
      },
    });
  });
});

describe('seed 004: logtail-sidecarset (indentation fixed) into its nginx pod', () => {
  const sidecarSet = parse(`
apiVersion: apps.kruise.io/v1alpha1
kind: SidecarSet
metadata:
  name: logtail-sidecarset
spec:
  selector:
    matchLabels:
      app: nginx
  updateStrategy:
    type: RollingUpdate
    maxUnavailable: 10%
  containers:
  - name: logtail
    image: log-service/logtail:0.16.16
    command:
    - sh
    - -c
    - /usr/local/ilogtail/run_logtail.sh 10
    livenessProbe:
      exec:
        command:
        - /etc/init.d/ilogtaild
        - status
    resources:
      limits:
        memory: 512Mi
      requests:
        cpu: 10m
        memory: 30Mi
    volumeMounts:
    - name: nginx-log
      mountPath: /var/log/nginx
    transferEnv:
    - sourceContainerName: nginx
      envName: TZ
  volumes:
  - name: nginx-log
    emptyDir: {}
`) as SidecarSet;
  // The seed writes \`envs:\`, which is not a Container field: the API server drops it (or, with strict
  // field validation, refuses the pod). Both pods are tested: as stored, and with \`env:\` corrected.
  const podYaml = (envKey: string) => `
apiVersion: v1
kind: Pod
metadata:
  labels:
    app: nginx
  name: test-pod
spec:
  containers:
  - name: nginx
    image: log-service/docker-log-test:latest
    command: ["/bin/mock_log"]
    args: ["--log-type=nginx", "--stdout=false", "--stderr=true", "--path=/var/log/nginx/access.log", "--total-count=1000000000", "--logs-per-sec=100"]
    volumeMounts:
    - name: nginx-log
      mountPath: /var/log/nginx
    ${envKey}:
    - name: TZ
      value: Asia/Shanghai
  volumes:
  - name: nginx-log
    emptyDir: {}
`;
  const logtail = (env: { name: string; value: string }[]) => ({
    name: 'logtail',
    image: 'log-service/logtail:0.16.16',
    command: ['sh', '-c', '/usr/local/ilogtail/run_logtail.sh 10'],
    livenessProbe: { exec: { command: ['/etc/init.d/ilogtaild', 'status'] } },
    resources: { limits: { memory: '512Mi' }, requests: { cpu: '10m', memory: '30Mi' } },
    volumeMounts: [{ name: 'nginx-log', mountPath: '/var/log/nginx' }],
    env,
  });

  it('with env corrected: logtail goes ahead of nginx with TZ transferred, the pod volume kept', () => {
    const pod = parse(podYaml('env')) as Pod;
    const result = injectPod(pod, [sidecarSet], ctx);
    expect(result.pod.spec).toEqual({
      containers: [logtail([INJECTED, { name: 'TZ', value: 'Asia/Shanghai' }]), pod.spec!.containers[0]],
      volumes: [{ name: 'nginx-log', emptyDir: {} }],
    });
    expect(result.pod.metadata?.annotations).toEqual(hashAnnotations(sidecarSet, ['logtail']));
  });

  it('as stored (envs dropped by the API server): TZ is not there to transfer, so it is skipped', () => {
    const pod = parse(podYaml('envs')) as Pod & { spec: { containers: Record<string, unknown>[] } };
    delete pod.spec.containers[0]!['envs'];
    const result = injectPod(pod, [sidecarSet], ctx);
    expect(result.pod.spec?.containers[0]).toEqual(logtail([INJECTED]));
  });
});

describe('seed 000: filebeat-sidecarset into a virtual-node pod', () => {
  const sidecarSet = parse(`
apiVersion: apps.kruise.io/v1alpha1
kind: SidecarSet
metadata:
  name: filebeat-sidecarset
spec:
  selector:
    matchLabels:
      serverless.alibabacloud.com/virtual-node: "true"
  updateStrategy:
    type: NotUpdate
  containers:
  - name: filebeat
    image: busybox
    imagePullPolicy: IfNotPresent
    args: [
      "/bin/sh",
      "-c",
      "cat /etc/filebeat.yml && sleep 36000",
    ]
    env:
    - name: ECI_SIDECAR_CONTAINER
      value: "true"
    volumeMounts:
    - name: config
      mountPath: /etc/filebeat.yml
      readOnly: true
      subPath: filebeat.yml
    - name: stdlog
      mountPath: /var/log/std
      readOnly: true
  volumes:
  - name: config
    configMap:
      name: kube-system/filebeat-config
  - name: stdlog
    csi:
      driver: stdlogplugin.csi.alibabacloud.com
`) as SidecarSet;
  // The Deployment's pod template, with the label the virtual node adds once the pod is placed there.
  const pod = (virtualNode: boolean): Pod => ({
    metadata: {
      generateName: 'echo-server-f8bdc5844-',
      namespace: 'default',
      labels: { app: 'echo-server', 'alibabacloud.com/eci': 'true', ...(virtualNode ? { 'serverless.alibabacloud.com/virtual-node': 'true' } : {}) },
    },
    spec: {
      containers: [{ name: 'echo-server', image: 'hashicorp/http-echo', imagePullPolicy: 'IfNotPresent', args: ['-listen=:8080', '-text="hello world"'] }],
    },
  });

  // Seed 000's SidecarSetResourceBinding: kube-system lets filebeat-sidecarset read filebeat-config.
  const binding = {
    metadata: { name: 'filebeat-sidecarset-resourcebinding', namespace: 'kube-system' },
    spec: { subjects: [{ kind: 'SidecarSet', name: 'filebeat-sidecarset' }], resourceRefs: [{ kind: 'ConfigMap', name: 'filebeat-config' }] },
  } as SidecarSetResourceBinding;

  it('gets filebeat ahead of echo-server with both volumes, the ConfigMap of kube-system through its mirror, gated until it exists', () => {
    // On a cluster with the stdlog CSI driver (without it the volume is rewritten: stdlog/).
    const result = injectPod(pod(true), [sidecarSet], { ...ctx, csiDrivers: new Set(['stdlogplugin.csi.alibabacloud.com']), bindings: [binding] });
    expect(result.pod.spec).toEqual({
      containers: [
        {
          name: 'filebeat',
          image: 'busybox',
          imagePullPolicy: 'IfNotPresent',
          args: ['/bin/sh', '-c', 'cat /etc/filebeat.yml && sleep 36000'],
          env: [{ name: 'ECI_SIDECAR_CONTAINER', value: 'true' }, INJECTED],
          volumeMounts: [
            { name: 'config', mountPath: '/etc/filebeat.yml', readOnly: true, subPath: 'filebeat.yml' },
            { name: 'stdlog', mountPath: '/var/log/std', readOnly: true },
          ],
        },
        pod(true).spec!.containers[0],
      ],
      volumes: [
        { name: 'config', configMap: { name: 'mirror.kube-system.filebeat-config' } },
        { name: 'stdlog', csi: { driver: 'stdlogplugin.csi.alibabacloud.com' } },
      ],
      schedulingGates: [{ name: 'sidecarset.dev/mirrors' }],
    });
    expect(result.pod.metadata?.annotations).toEqual({ ...hashAnnotations(sidecarSet, ['filebeat']), 'sidecarset.dev/mirrors': 'ConfigMap/kube-system/filebeat-config' });
  });

  it('without the binding the pod is denied, naming the binding that is missing', () => {
    const result = injectPod(pod(true), [sidecarSet], ctx);
    expect(result.errors.map((e) => `${e.sidecarSet} ${e.path}: ${e.reason}`)).toEqual([
      'filebeat-sidecarset spec.volumes[0].configMap.name: volume "config" refers to ConfigMap kube-system/filebeat-config, but no SidecarSetResourceBinding in namespace kube-system lists SidecarSet "filebeat-sidecarset" and ConfigMap "filebeat-config"',
    ]);
  });

  it('a pod not (yet) on a virtual node is not injected', () => {
    expect(injectPod(pod(false), [sidecarSet], ctx).injected).toEqual([]);
  });
});

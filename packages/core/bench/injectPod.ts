// Benchmark: injectPod throughput for 1, 10 and 100 SidecarSets (one selects the pod, the rest do
// not), against structuredClone(pod) measured in the same run. Prints figures; never fails.
// Run: npm run build -w @sidecarset/core && node packages/core/bench/injectPod.ts
import { injectPod, sidecarSetHashAnnotations } from '../dist/index.js';

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    generateName: 'web-7d9f8c-',
    namespace: 'default',
    labels: { app: 'web', 'pod-template-hash': '7d9f8c', tier: 'frontend' },
    annotations: { 'example.com/owner': 'team-a' },
  },
  spec: {
    containers: [
      {
        name: 'web',
        image: 'nginx:1.27',
        ports: [{ containerPort: 80 }],
        env: [{ name: 'TZ', value: 'Asia/Shanghai' }, { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
        volumeMounts: [{ name: 'logs', mountPath: '/var/log/nginx' }, { name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }],
        readinessProbe: { httpGet: { path: '/healthz', port: 80 } },
      },
      { name: 'metrics', image: 'exporter:0.1', ports: [{ containerPort: 9113 }] },
    ],
    volumes: [{ name: 'logs', emptyDir: {} }, { name: 'kube-api-access', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }],
    serviceAccountName: 'web',
  },
};

const matching = {
  metadata: { name: 'logtail' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    containers: [
      {
        name: 'logtail',
        image: 'log-service/logtail:0.16.16',
        resources: { limits: { memory: '512Mi' }, requests: { cpu: '10m', memory: '30Mi' } },
        volumeMounts: [{ name: 'logtail-cfg', mountPath: '/etc/logtail' }],
        shareVolumePolicy: { type: 'enabled' },
        transferEnv: [{ sourceContainerName: 'web', envName: 'TZ' }],
      },
    ],
    volumes: [{ name: 'logtail-cfg', configMap: { name: 'logtail' } }],
  },
};
const other = (i: number) => ({
  metadata: { name: `other-${String(i).padStart(3, '0')}` },
  spec: {
    selector: { matchLabels: { app: `svc-${i}` }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend'] }] },
    containers: [{ name: `agent-${i}`, image: 'agent:1' }],
  },
});
// As stored: the SidecarSet webhook has written its hash annotations (without them every call hashes).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const annotated = { ...matching, metadata: { ...matching.metadata, annotations: sidecarSetHashAnnotations(matching as any) } };
const setsOf = (n: number) => [annotated, ...Array.from({ length: n - 1 }, (_, i) => other(i))];
const ctx = { namespace: 'default', namespaceLabels: {}, revisions: [], now: '2025-01-01T00:00:00Z' };

function rate(fn: () => unknown, millis = 1500): number {
  for (let i = 0; i < 2000; i++) fn(); // warm up
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < millis) {
    for (let i = 0; i < 500; i++) fn();
    count += 500;
    elapsed = performance.now() - start;
  }
  return (count / elapsed) * 1000;
}

let sink = 0;
const baseline = rate(() => (sink += structuredClone(pod).spec.containers.length));
console.log(`structuredClone(pod) baseline: ${Math.round(baseline).toLocaleString('en')} pods/s`);
for (const n of [1, 10, 100]) {
  const sets = setsOf(n);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const result = injectPod(pod as any, sets as any, ctx);
  if (result.injected.length !== 1 || result.patch.length === 0) console.log('  (unexpected: nothing injected)');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const r = rate(() => (sink += injectPod(pod as any, sets as any, ctx).patch.length));
  console.log(`injectPod, ${String(n).padStart(3)} SidecarSets: ${Math.round(r).toLocaleString('en')} pods/s  (${(r / baseline).toFixed(2)}x structuredClone)`);
}
if (sink === -1) console.log(sink);

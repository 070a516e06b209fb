// Benchmark: planRollout over a 5,000-pod SidecarSet (a quarter already updated, 4% not ready, the
// rest on the old image; scatter and priority strategies on), against `pods.map(p => p.metadata.name)`
// measured in the same run. Prints figures; never fails.
// Run: npm run build -w @sidecarset/core && node packages/core/bench/planRollout.ts
import { injectPod, planRollout, sidecarSetHashAnnotations } from '../dist/index.js';

const PODS = 5000;
const now = new Date('2025-01-01T00:00:00Z');
const sidecar = (image: string) => ({
  name: 'logtail',
  image,
  env: [{ name: 'LEVEL', value: 'info' }],
  volumeMounts: [{ name: 'logtail-cfg', mountPath: '/etc/logtail' }],
  resources: { limits: { memory: '512Mi' }, requests: { cpu: '10m', memory: '30Mi' } },
});
const setOf = (image: string) => {
  const set = {
    metadata: { name: 'logtail', generation: 2 },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      containers: [sidecar(image)],
      volumes: [{ name: 'logtail-cfg', configMap: { name: 'logtail' } }],
      updateStrategy: {
        type: 'RollingUpdate',
        maxUnavailable: '10%',
        partition: '20%',
        priorityStrategy: { weightPriority: [{ weight: 50, matchSelector: { matchLabels: { tier: 'gold' } } }] },
        scatterStrategy: [{ key: 'zone', value: '*' }],
      },
    },
    status: { matchedPods: 0, updatedPods: 0, readyPods: 0, latestRevision: 'logtail-2' },
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { ...set, metadata: { ...set.metadata, annotations: sidecarSetHashAnnotations(set as any) } };
};
const target = setOf('logtail:2');
const previous = setOf('logtail:1');
const ctx = { namespace: 'default', namespaceLabels: {}, revisions: [], now: '2024-12-01T00:00:00Z' };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const pods: any[] = [];
for (let i = 0; i < PODS; i++) {
  const base = {
    metadata: {
      name: `web-${i}`,
      namespace: `team-${i % 20}`,
      resourceVersion: String(1000 + i),
      creationTimestamp: new Date(Date.UTC(2024, 10, 1) + i * 60_000).toISOString(),
      labels: { app: 'web', zone: `zone-${i % 3}`, ...(i % 7 === 0 && { tier: 'gold' }) },
    },
    spec: { containers: [{ name: 'web', image: 'nginx:1.27', volumeMounts: [{ name: 'logs', mountPath: '/var/log' }] }], nodeName: `node-${i % 50}` },
  };
  const updated = i % 4 === 0;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let pod: any = injectPod(base as any, [(updated ? target : previous) as any], ctx).pod;
  const ready = i % 25 !== 1;
  pod = {
    ...pod,
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2024-12-01T00:05:00Z' }],
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      containerStatuses: pod.spec.containers.map((c: any) => ({ name: c.name, image: c.image, imageID: `sha256:${c.image}`, ready, restartCount: 0 })),
    },
  };
  pods.push(pod);
}

function msPer(fn: () => unknown, millis = 2000): number {
  for (let i = 0; i < 3; i++) fn(); // warm up
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < millis || count < 5) {
    fn();
    count++;
    elapsed = performance.now() - start;
  }
  return elapsed / count;
}

let sink = 0;
const baseline = msPer(() => (sink += pods.map((p) => p.metadata.name).length), 500);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const plan = planRollout(target as any, pods, now);
console.log(`${PODS} pods: matched ${plan.matched}, updated ${plan.updated}, unavailable ${plan.unavailable}, budget ${plan.budget}, next ${plan.next.length}, waiting ${plan.waiting.length}`);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const perPlan = msPer(() => (sink += planRollout(target as any, pods, now).next.length));
console.log(`pods.map(p => p.metadata.name) baseline: ${baseline.toFixed(3)} ms`);
console.log(`planRollout, ${PODS} pods: ${perPlan.toFixed(1)} ms per plan  (${(perPlan / baseline).toFixed(0)}x baseline; target < 200 ms)`);
if (sink === -1) console.log(sink);

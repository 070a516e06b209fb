// Job exit benchmark (`npm run bench:jobs`, issue 12): how long a Job pod whose app containers have
// exited waits for its log agent before it completes, on a real control plane with the real webhook
// and controller (as deployed: their ServiceAccounts, NODE_OPTIONS; the controller with --exit-image)
// and kwok nodes, two reporting kubelet v1.28.15 and two the control plane's version.
//   native   seed 000's filebeat with ECI_SIDECAR_CONTAINER=true on new nodes: a native sidecar, which
//            kwok (as the kubelet) stops once the app has ended;
//   swap     the same on old nodes with KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT=true: a regular sidecar
//            the controller swaps to the exit image, which exits;
//   baseline a Job pod with no sidecar, same nodes (what kwok itself takes from app exit to done).
// Per pod: from the first watch event showing every app container terminated to the first showing the
// pod Succeeded (one watch, so its delivery delay cancels out); p50/p99 over BENCH_JOB_PODS (50) pods
// per path, run as one Job each (completions = parallelism = BENCH_JOB_PODS). Prints; never fails on a time.
import { loadavg } from 'node:os';
import type { Pod } from '@sidecarset/api';
import { podInformer } from '@sidecarset/api';
import { controlPlaneKubernetesVersion, KWOK_KUBELET_VERSION_LABEL, registerSidecarsetWebhook, startControlPlane, startSidecarsetController, startSidecarsetWebhook, type ControlPlane } from '@sidecarset/envtest';
import { fmt, percentile, printTable } from '../stats.ts';

const PODS = Number(process.env.BENCH_JOB_PODS ?? 50);
const OLD = 'v1.28.15';
const NEW = controlPlaneKubernetesVersion();
const NS = 'jobs-bench';
const EXIT_IMAGE = 'sidecarset/exit:1';
const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function kubectl(plane: ControlPlane, args: string[], input?: string): Promise<string> {
  const { code, stdout, stderr } = await plane.kubectl(args, input);
  if (code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${stderr}`);
  return stdout;
}
const apply = (plane: ControlPlane, object: unknown) => kubectl(plane, ['apply', '--server-side', '-f', '-'], JSON.stringify(object));

const sidecarSet = (name: string, label: string, env: { name: string; value: string }[]) => ({
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name },
  spec: {
    selector: { matchLabels: { sidecar: label } },
    updateStrategy: { type: 'NotUpdate' },
    containers: [{ name: 'filebeat', image: 'busybox', args: ['/bin/sh', '-c', 'cat /etc/filebeat.yml && sleep 36000'], env }],
  },
});

const job = (name: string, sidecar: string | undefined, kubelet: string) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: NS },
  spec: {
    completions: PODS,
    parallelism: PODS,
    backoffLimit: 0,
    template: {
      metadata: { labels: { bench: name, ...(sidecar ? { sidecar } : {}) }, annotations: { 'sidecarset.dev/kwok-job-duration': '2s' } },
      spec: { restartPolicy: 'Never', automountServiceAccountToken: false, nodeSelector: { [KWOK_KUBELET_VERSION_LABEL]: kubelet }, containers: [{ name: 'main', image: 'registry.example/batch:1' }] },
    },
  },
});

const appEnded = (pod: Pod) => pod.status?.containerStatuses?.find((s) => s.name === 'main')?.state?.terminated != null;

async function main(): Promise<void> {
  const load = loadavg()[0]!.toFixed(1);
  progress(`control plane (kwok: 2 nodes on ${OLD}, 2 on ${NEW}); load average ${load}`);
  const plane = await startControlPlane({ kwok: { nodes: 4, nodeVersions: [OLD, OLD] } });
  try {
    const webhook = await startSidecarsetWebhook(plane);
    await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
    await startSidecarsetController(plane, { extraArgs: [`--exit-image=${EXIT_IMAGE}`] });
    await kubectl(plane, ['create', 'namespace', NS]);
    for (;;) {
      if ((await plane.kubectl(['get', 'serviceaccount', 'default', '-n', NS])).code === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await apply(plane, sidecarSet('log-agent', 'log-agent', [{ name: 'ECI_SIDECAR_CONTAINER', value: 'true' }, { name: 'KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT', value: 'true' }]));
    await new Promise((r) => setTimeout(r, 3000)); // the webhook's cache takes the SidecarSet

    const ended = new Map<string, number>();
    const done = new Map<string, number>();
    const path = new Map<string, string>();
    const pods = podInformer(plane.kubeConfig, { labelSelector: 'bench' });
    pods.subscribe((e) => {
      if (e.type === 'delete') return;
      const key = e.object.metadata?.name ?? '';
      path.set(key, e.object.metadata?.labels?.bench ?? '');
      if (appEnded(e.object) && !ended.has(key)) ended.set(key, performance.now());
      if (e.object.status?.phase === 'Succeeded' && !done.has(key)) done.set(key, performance.now());
    });
    pods.start();
    await pods.waitForSync();

    const rows: (string | number)[][] = [];
    for (const [name, sidecar, kubelet, what] of [
      ['baseline', undefined, NEW, 'no sidecar (kwok alone)'],
      ['native', 'log-agent', NEW, 'native sidecar, new nodes'],
      ['swap', 'log-agent', OLD, 'regular sidecar + exit-image swap, old nodes'],
    ] as const) {
      const started = performance.now();
      await apply(plane, job(name, sidecar, kubelet));
      progress(`${name}: ${PODS} pods`);
      const deadline = Date.now() + 300_000;
      const mine = () => [...path].filter(([, p]) => p === name).map(([k]) => k);
      while (mine().filter((k) => done.has(k)).length < PODS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      const waits = mine().flatMap((k) => (ended.has(k) && done.has(k) ? [done.get(k)! - ended.get(k)!] : [])).sort((a, b) => a - b);
      rows.push([name, what, waits.length, fmt(percentile(waits, 50), 0), fmt(percentile(waits, 99), 0), fmt(waits.at(-1) ?? NaN, 0), fmt((performance.now() - started) / 1000, 1)]);
    }
    await pods.stop();
    console.log(`\nJob pods: app containers exited -> pod Succeeded (ms, seen on one watch), ${PODS} pods per path; load average ${load} -> ${loadavg()[0]!.toFixed(1)}`);
    printTable(['path', 'what', 'pods', 'p50', 'p99', 'max', 'job s'], rows);
  } finally {
    await plane.stop();
  }
}

await main();

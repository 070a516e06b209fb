// One measurement of pod CREATE through the API server: rounds of pods created without the webhook
// (a namespace its configuration leaves out) interleaved with rounds through it, at a bounded
// concurrency, with the API server's and the webhook's own histograms and the CPU every process used.
import type { Pod } from '@sidecarset/api';
import { requestJson } from '@sidecarset/api';
import type { ControlPlane, SidecarsetWebhook } from '@sidecarset/envtest';
import { histogramDelta, readHistogram, type HistogramSample } from '../histogram.ts';
import { cpuMs } from '../stats.ts';
import { benchPodLabels } from './sidecarSetMix.ts';

export const API_SERVER_WEBHOOK_HISTOGRAM = 'apiserver_admission_webhook_admission_duration_seconds';
const OWN_HISTOGRAM = 'sidecarset_webhook_request_duration_seconds';

export interface RoundsOptions {
  hookedNamespace: string;
  unhookedNamespace: string;
  rounds: number;
  perRound: number;
  concurrency: number;
}

export interface Side {
  latenciesMs: number[];
  /** CPU ms per process name, over the rounds of this side. */
  cpuMs: Map<string, number>;
  wallMs: number;
}

export interface RoundsResult {
  without: Side;
  with: Side;
  apiServer: HistogramSample;
  webhook: HistogramSample;
}

export function benchPod(name: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: benchPodLabels() },
    spec: {
      containers: [
        { name: 'app', image: 'registry.example/app:1.0', env: [{ name: 'TZ', value: 'UTC' }], volumeMounts: [{ name: 'data', mountPath: '/data' }] },
        { name: 'helper', image: 'registry.example/helper:1.0' },
      ],
      volumes: [{ name: 'data', emptyDir: {} }],
    },
  };
}

let podSerial = 0;
export async function createPods(plane: ControlPlane, namespace: string, count: number, concurrency: number, into: number[] = []): Promise<void> {
  let left = count;
  const worker = async () => {
    while (left-- > 0) {
      const started = performance.now();
      await requestJson(plane.kubeConfig, 'POST', `/api/v1/namespaces/${namespace}/pods`, {}, benchPod(`p-${podSerial++}`));
      into.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

export async function metricsText(plane: ControlPlane, webhook?: SidecarsetWebhook): Promise<string> {
  if (!webhook) return (await plane.kubectl(['get', '--raw', '/metrics'])).stdout;
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    request(`${webhook.url}/metrics`, { ca: webhook.caBundle }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    }).on('error', reject).end();
  });
}

export async function admissionRounds(plane: ControlPlane, webhook: SidecarsetWebhook, options: RoundsOptions): Promise<RoundsResult> {
  const processes = [...plane.processes.filter((p) => p.name !== 'kube-scheduler'), { name: 'sidecarset-webhook', pid: webhook.process.pid }];
  const readCpu = () => {
    const own = process.cpuUsage();
    return new Map([...processes.map((p) => [p.name, cpuMs(p.pid)] as const), ['bench client', (own.user + own.system) / 1000] as const]);
  };
  const side = (): Side => ({ latenciesMs: [], cpuMs: new Map(), wallMs: 0 });
  const measure = async (into: Side, namespace: string) => {
    const cpuBefore = readCpu();
    const started = performance.now();
    await createPods(plane, namespace, options.perRound, options.concurrency, into.latenciesMs);
    into.wallMs += performance.now() - started;
    for (const [name, used] of readCpu()) into.cpuMs.set(name, (into.cpuMs.get(name) ?? 0) + used - cpuBefore.get(name)!);
  };
  const webhookLabel = 'name="mutate-pods.sidecarset.dev"';
  const apiBefore = readHistogram(await metricsText(plane), API_SERVER_WEBHOOK_HISTOGRAM, webhookLabel);
  const ownBefore = readHistogram(await metricsText(plane, webhook), OWN_HISTOGRAM, 'route="/mutate-pods"');
  const result = { without: side(), with: side() };
  for (let round = 0; round < options.rounds; round++) {
    await measure(result.without, options.unhookedNamespace);
    await measure(result.with, options.hookedNamespace);
  }
  result.without.latenciesMs.sort((a, b) => a - b);
  result.with.latenciesMs.sort((a, b) => a - b);
  return {
    ...result,
    apiServer: histogramDelta(readHistogram(await metricsText(plane), API_SERVER_WEBHOOK_HISTOGRAM, webhookLabel), apiBefore),
    webhook: histogramDelta(readHistogram(await metricsText(plane, webhook), OWN_HISTOGRAM, 'route="/mutate-pods"'), ownBefore),
  };
}

/** Cores kept busy by all measured processes during one side's rounds. */
export const busyCores = (side: Side): number => [...side.cpuMs.values()].reduce((a, b) => a + b, 0) / side.wallMs;

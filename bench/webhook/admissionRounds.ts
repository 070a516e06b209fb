// One measurement of pod CREATE through each side's API server: rounds of pods created without the
// webhook (a namespace its configuration leaves out) interleaved with rounds through it, at a bounded
// concurrency, the sides taking turns round by round so that both see the same machine; with the
// API server's (and where it has one, the webhook's own) histogram and the CPU every process used.
// Dry-run CREATEs by default: nothing is stored, so no scheduler, kwok or controller reacts to the
// pods, and what the processes spend is admission.
import type { Pod } from '@sidecarset/api';
import { requestJson } from '@sidecarset/api';
import type { ControlPlane, SidecarsetWebhook } from '@sidecarset/envtest';
import { histogramDelta, readHistogram, type HistogramSample } from '../histogram.ts';
import { cpuMs } from '../stats.ts';
import type { AdmissionSide } from './admissionSides.ts';
import { benchPodLabels } from './sidecarSetMix.ts';

export const API_SERVER_WEBHOOK_HISTOGRAM = 'apiserver_admission_webhook_admission_duration_seconds';
/** What every side's CPU table names the process that answers the pod webhook. */
export const WEBHOOK_PROCESS = 'webhook';

export interface RoundsOptions {
  hookedNamespace: string;
  unhookedNamespace: string;
  rounds: number;
  perRound: number;
  concurrency: number;
  /** Store the pods (a persisted CREATE) instead of ?dryRun=All. */
  persisted?: boolean;
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
  webhook?: HistogramSample;
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
export async function createPods(plane: ControlPlane, namespace: string, count: number, concurrency: number, into: number[] = [], dryRun = false): Promise<void> {
  let left = count;
  const query = dryRun ? { dryRun: 'All' } : {};
  const worker = async () => {
    while (left-- > 0) {
      const started = performance.now();
      await requestJson(plane.kubeConfig, 'POST', `/api/v1/namespaces/${namespace}/pods`, query, benchPod(`p-${podSerial++}`));
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

const apiServerHistogram = async (side: AdmissionSide) => readHistogram(await metricsText(side.plane), API_SERVER_WEBHOOK_HISTOGRAM, side.apiServerWebhookLabel);

/** Runs the rounds on every side, turn by turn; one result per side, in the order given. */
export async function admissionRounds(sides: AdmissionSide[], options: RoundsOptions): Promise<RoundsResult[]> {
  const measured = sides.map((side) => {
    const processes = [...side.plane.processes.filter((p) => p.name !== 'kube-scheduler' && p.pid !== side.webhook.pid), { name: WEBHOOK_PROCESS, pid: side.webhook.pid }];
    const readCpu = () => {
      const own = process.cpuUsage();
      return new Map([...processes.map((p) => [p.name, cpuMs(p.pid)] as const), ['bench client', (own.user + own.system) / 1000] as const]);
    };
    return { side, readCpu };
  });
  const emptySide = (): Side => ({ latenciesMs: [], cpuMs: new Map(), wallMs: 0 });
  const measure = async (plane: ControlPlane, readCpu: () => Map<string, number>, into: Side, namespace: string) => {
    const cpuBefore = readCpu();
    const started = performance.now();
    await createPods(plane, namespace, options.perRound, options.concurrency, into.latenciesMs, !options.persisted);
    into.wallMs += performance.now() - started;
    for (const [name, used] of readCpu()) into.cpuMs.set(name, (into.cpuMs.get(name) ?? 0) + used - cpuBefore.get(name)!);
  };
  const before = await Promise.all(sides.map(async (side) => ({ apiServer: await apiServerHistogram(side), own: await side.ownHistogram?.() })));
  const results = sides.map(() => ({ without: emptySide(), with: emptySide() }));
  for (let round = 0; round < options.rounds; round++) {
    for (const [i, { side, readCpu }] of measured.entries()) {
      await measure(side.plane, readCpu, results[i]!.without, options.unhookedNamespace);
      await measure(side.plane, readCpu, results[i]!.with, options.hookedNamespace);
    }
  }
  return Promise.all(
    results.map(async (result, i) => {
      const side = sides[i]!;
      result.without.latenciesMs.sort((a, b) => a - b);
      result.with.latenciesMs.sort((a, b) => a - b);
      const own = side.ownHistogram && (await side.ownHistogram());
      return {
        ...result,
        apiServer: histogramDelta(await apiServerHistogram(side), before[i]!.apiServer),
        ...(own && before[i]!.own ? { webhook: histogramDelta(own, before[i]!.own) } : {}),
      };
    }),
  );
}

/** Cores kept busy by all measured processes during one side's rounds. */
export const busyCores = (side: Side): number => [...side.cpuMs.values()].reduce((a, b) => a + b, 0) / side.wallMs;

/**
 * CPU ms the webhook process spends per admission: what it used during the rounds through it, less
 * what it uses anyway (its rate during the baseline rounds, which it never sees), per pod.
 */
export function webhookCpuPerAdmission(result: RoundsResult): number {
  const idleRate = (result.without.cpuMs.get(WEBHOOK_PROCESS) ?? 0) / result.without.wallMs;
  return ((result.with.cpuMs.get(WEBHOOK_PROCESS) ?? 0) - idleRate * result.with.wallMs) / result.with.latenciesMs.length;
}

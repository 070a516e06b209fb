// Adversarial benchmark (`npm run bench:adversarial`): the real webhook binary, started as deployed
// (its Deployment's NODE_OPTIONS) against a real control plane, with SidecarSets in its cache, gets
// AdmissionReviews POSTed to it directly over HTTPS on 127.0.0.1, as anything that reaches its port
// could send them. First normal admissions (the baseline), then an adversarial corpus generated from
// a seed at run time (bench/webhook/adversarialCorpus.ts), one request at a time: the worst and p99
// admission time against the normal p50/p99. Then a storm: a few thousand bad and oversized requests
// in flight together while /healthz is polled, with the event loop delay the webhook reports and its
// RSS before, during and after. Prints tables; never fails on a time; stops by itself.
import { Agent, request, type RequestOptions } from 'node:https';
import { SidecarSetClient, type SidecarSet } from '@sidecarset/api';
import { applyPatchMetadataWhitelist, registerSidecarsetWebhook, startControlPlane, startSidecarsetWebhook, type SidecarsetWebhook } from '@sidecarset/envtest';
import { fmt, percentile, printTable, rssMiB, threadCpuMs } from '../stats.ts';
import { metricsText } from './admissionRounds.ts';
import { adversarialCorpus, normalCases, normalSidecarSet, seededRandom, type Case } from './adversarialCorpus.ts';
import { sidecarSetMix } from './sidecarSetMix.ts';

const SEED = Number(process.env.BENCH_SEED ?? Date.now() % 1_000_000);
const CORPUS = Number(process.env.BENCH_CORPUS ?? 400);
const NORMAL = Number(process.env.BENCH_NORMAL ?? 300);
const STORM = Number(process.env.BENCH_STORM ?? 3000);
const STORM_CONCURRENCY = Number(process.env.BENCH_STORM_CONCURRENCY ?? 8);
const BODY_LIMIT = 7 * 1024 * 1024;
const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);

interface Outcome {
  ms: number;
  /** allowed, denied <code>, HTTP <status>, internal error, connection closed */
  result: string;
}

/** POSTs one body and classifies the answer. Bodies over the limit go on a connection of their own (the webhook closes it). */
function post(webhook: SidecarsetWebhook, agent: Agent, path: string, body: string): Promise<Outcome> {
  const payload = Buffer.from(body);
  const options: RequestOptions = {
    method: 'POST',
    ca: webhook.caBundle,
    headers: { 'content-type': 'application/json', 'content-length': payload.length },
    ...(payload.length > BODY_LIMIT ? { agent: false } : { agent }),
  };
  return new Promise((resolve) => {
    const started = performance.now();
    const req = request(`${webhook.url}${path}`, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const ms = performance.now() - started;
        if (res.statusCode !== 200) return resolve({ ms, result: `HTTP ${res.statusCode}` });
        try {
          const review = JSON.parse(Buffer.concat(chunks).toString()) as { response?: { allowed?: boolean; status?: { code?: number } } };
          const code = review.response?.status?.code;
          resolve({ ms, result: review.response?.allowed ? 'allowed' : code === 500 ? 'internal error' : `denied ${code ?? ''}`.trim() });
        } catch {
          resolve({ ms, result: 'unreadable answer' });
        }
      });
    });
    req.on('error', () => resolve({ ms: performance.now() - started, result: 'connection closed' }));
    req.end(payload);
  });
}

function getMs(webhook: SidecarsetWebhook, agent: Agent, path: string): Promise<number> {
  return new Promise((resolve) => {
    const started = performance.now();
    request(`${webhook.url}${path}`, { ca: webhook.caBundle, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - started));
    })
      .on('error', () => resolve(NaN))
      .end();
  });
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const eventLoopMaxMs = (text: string) => 1000 * Number(/^sidecarset_webhook_event_loop_delay_seconds\{quantile="1"\} (\S+)/m.exec(text)?.[1] ?? NaN);

/** A SidecarSet that merge-patches an annotation of the benchmark pods, so annotation JSON is read. */
const mergePatching: SidecarSet = {
  ...normalSidecarSet('bench-merge-patch'),
  spec: { ...normalSidecarSet().spec, selector: { matchLabels: { app: 'bench' } }, containers: [{ name: 'merge-agent', image: 'registry.example/merge:1.0' }], volumes: [], patchPodMetadata: [{ patchPolicy: 'MergePatchJson', annotations: { 'bench/config': '{"from":"sidecarset"}' } }] },
};

progress(`seed ${SEED} (BENCH_SEED repeats a run): ${CORPUS} adversarial cases, ${NORMAL} normal admissions, a storm of ${STORM}`);
progress('starting the control plane and the webhook (its Deployment NODE_OPTIONS)');
const plane = await startControlPlane({ scheduler: false, log: progress });
const stopOnFailure = (error: unknown) => {
  console.error(error);
  void plane.stop().finally(() => process.exit(1));
};
process.once('uncaughtException', stopOnFailure).once('unhandledRejection', stopOnFailure);
await applyPatchMetadataWhitelist(plane, [{ allowedAnnotationKeyExprs: ['^bench/config$'] }]); // lets mergePatching patch its annotation
const webhook = await startSidecarsetWebhook(plane, process.env.BENCH_WEBHOOK_NODE_OPTIONS === undefined ? {} : { nodeOptions: process.env.BENCH_WEBHOOK_NODE_OPTIONS.split(' ').filter(Boolean) });
await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
const client = new SidecarSetClient(plane.kubeConfig);
const cachedSets = [...sidecarSetMix(50), mergePatching];
for (const s of cachedSets) await client.create(s);
const cached = async () => Number(/^sidecarset_webhook_cached_sidecarsets (\d+)/m.exec(await metricsText(plane, webhook))?.[1] ?? NaN);
for (let i = 0; i < 600 && (await cached()) < cachedSets.length; i++) await new Promise((r) => setTimeout(r, 100));
const pid = webhook.process.pid;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

progress('normal admissions (the baseline)');
const normal = normalCases();
for (let i = 0; i < 60; i++) await post(webhook, agent, normal[i % normal.length]!.route, normal[i % normal.length]!.body()); // warm the JIT
const normalMs: number[] = [];
const normalCpuBefore = threadCpuMs(pid).all;
for (let i = 0; i < NORMAL; i++) {
  const c = normal[i % normal.length]!;
  const body = c.body();
  normalMs.push((await post(webhook, agent, c.route, body)).ms);
}
const normalCpuPer = (threadCpuMs(pid).all - normalCpuBefore) / NORMAL;

progress(`the adversarial corpus, one request at a time`);
await metricsText(plane, webhook); // reset the event loop delay window
const corpus = adversarialCorpus(SEED, CORPUS);
const results: (Outcome & { category: string; route: string; bytes: number; cpu: number; mainCpu: number })[] = [];
let corpusCpu = 0;
for (const [index, c] of corpus.entries()) {
  const body = c.body();
  const threadsBefore = threadCpuMs(pid);
  const outcome = await post(webhook, agent, c.route, body);
  const threadsAfter = threadCpuMs(pid);
  const cpu = threadsAfter.all - threadsBefore.all; // the webhook process's CPU while this request alone ran, all threads
  const mainCpu = threadsAfter.main - threadsBefore.main; // of that, its JavaScript thread's
  corpusCpu += cpu;
  results.push({ ...outcome, category: c.category, route: c.route, bytes: body.length, cpu, mainCpu });
  if ((index + 1) % 100 === 0) progress(`${index + 1}/${corpus.length}`);
}
const corpusLoopMax = eventLoopMaxMs(await metricsText(plane, webhook));

progress(`the storm: ${STORM} bad and oversized requests, ${STORM_CONCURRENCY} in flight, /healthz polled`);
const stormCases: Case[] = adversarialCorpus(SEED + 1, 400).filter((c) => c.category !== 'broken review');
const random = seededRandom(SEED + 2);
const pool = Array.from({ length: 40 }, () => {
  const c = stormCases[Math.floor(random() * stormCases.length)]!;
  return { route: c.route, body: c.body() };
});
await new Promise((r) => setTimeout(r, 2000));
const rssBefore = rssMiB(pid);
await metricsText(plane, webhook); // reset the event loop delay window
let rssPeak = rssBefore;
const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMiB(pid))), 100);
const healthAgent = new Agent({ keepAlive: true, maxSockets: 1 });
const healthMs: number[] = [];
let storming = true;
const poller = (async () => {
  while (storming) {
    healthMs.push(await getMs(webhook, healthAgent, '/healthz'));
    await new Promise((r) => setTimeout(r, 20));
  }
})();
const stormAgent = new Agent({ keepAlive: true, maxSockets: STORM_CONCURRENCY });
const stormResults = new Map<string, number>();
let sent = 0;
const stormStarted = performance.now();
await Promise.all(
  Array.from({ length: STORM_CONCURRENCY }, async () => {
    while (sent < STORM) {
      const item = pool[sent++ % pool.length]!;
      const { result } = await post(webhook, stormAgent, item.route, item.body);
      stormResults.set(result, (stormResults.get(result) ?? 0) + 1);
    }
  }),
);
const stormSeconds = (performance.now() - stormStarted) / 1000;
storming = false;
await poller;
const stormLoopMax = eventLoopMaxMs(await metricsText(plane, webhook));
await new Promise((r) => setTimeout(r, 3000));
clearInterval(sampler);
const rssAfter = rssMiB(pid);
const poolMiB = pool.reduce((sum, item) => sum + item.body.length, 0) / 2 ** 20;
for (const a of [agent, healthAgent, stormAgent]) a.destroy();
const webhookAlive = webhook.process.running();
await plane.stop();

const normalSorted = sorted(normalMs);
const advSorted = sorted(results.map((r) => r.ms));
const [n50, n99, a99, worst] = [percentile(normalSorted, 50), percentile(normalSorted, 99), percentile(advSorted, 99), advSorted.at(-1)!];
const worstCase = results.reduce((a, b) => (b.ms > a.ms ? b : a));

console.log(`\nAdmission time, client-side ms, one request at a time over HTTPS on 127.0.0.1 (seed ${SEED}; ${CORPUS} adversarial cases, ${NORMAL} normal)`);
printTable(
  ['', 'p50', 'p99', 'worst', 'worst / normal p50', 'worst / normal p99', 'webhook CPU ms per request (avg)'],
  [
    ['normal admissions', fmt(n50), fmt(n99), fmt(normalSorted.at(-1)!), '-', '-', fmt(normalCpuPer)],
    ['adversarial corpus', fmt(percentile(advSorted, 50)), fmt(a99), fmt(worst), fmt(worst / n50, 1), fmt(worst / n99, 1), fmt(corpusCpu / CORPUS)],
  ],
);
const cpuWorst = results.reduce((a, b) => (b.cpu > a.cpu ? b : a));
const mainWorst = results.reduce((a, b) => (b.mainCpu > a.mainCpu ? b : a));
console.log(`p99 adversarial / p99 normal: ${fmt(a99 / n99, 1)}; worst case: ${worstCase.category}, ${fmt(worstCase.bytes / 2 ** 20)} MiB body, ${worstCase.result}; event loop delay max during the corpus ${fmt(corpusLoopMax, 1)} ms`);
console.log(
  `most CPU for one request on the webhook's JavaScript thread: ${fmt(mainWorst.mainCpu)} ms (${mainWorst.category} on ${mainWorst.route}, ${fmt(mainWorst.bytes / 2 ** 20)} MiB); requests over 50 ms there: ${results.filter((r) => r.mainCpu > 50).length}`,
);
console.log(
  `most CPU of all the webhook's threads while one request ran: ${fmt(cpuWorst.cpu)} ms (${cpuWorst.category} on ${cpuWorst.route}; adds V8's concurrent GC helpers, whose work belongs to no request in particular); over 50 ms: ${results.filter((r) => r.cpu > 50).length}`,
);

console.log('\nBy kind of attack');
const categories = [...new Set(results.map((r) => r.category))].sort();
printTable(
  ['kind', 'cases', 'p50 ms', 'worst ms', 'largest body MiB', 'answers'],
  categories.map((category) => {
    const mine = results.filter((r) => r.category === category);
    const ms = sorted(mine.map((r) => r.ms));
    const answers = new Map<string, number>();
    for (const r of mine) answers.set(r.result, (answers.get(r.result) ?? 0) + 1);
    return [category, mine.length, fmt(percentile(ms, 50)), fmt(ms.at(-1)!), fmt(Math.max(...mine.map((r) => r.bytes)) / 2 ** 20), [...answers].map(([k, v]) => `${k}: ${v}`).join(', ')];
  }),
);
console.log('\nThe five slowest adversarial cases');
printTable(
  ['ms', 'CPU ms, JavaScript thread', 'CPU ms, all threads', 'kind', 'route', 'body MiB', 'answer'],
  [...results].sort((a, b) => b.ms - a.ms).slice(0, 5).map((r) => [fmt(r.ms), fmt(r.mainCpu), fmt(r.cpu), r.category, r.route, fmt(r.bytes / 2 ** 20, 2), r.result]),
);
const internal = results.filter((r) => r.result === 'internal error').length + (stormResults.get('internal error') ?? 0);
console.log(`internal errors: ${internal}`);

const health = sorted(healthMs.filter(Number.isFinite));
console.log(`\nStorm: ${STORM} requests from a pool of ${pool.length} bad and oversized bodies (${fmt(poolMiB, 1)} MiB together), ${STORM_CONCURRENCY} in flight, ${fmt(stormSeconds, 1)} s`);
printTable(['answers'], [[[...stormResults].map(([k, v]) => `${k}: ${v}`).join(', ')]]);
printTable(
  ['/healthz polls', 'p50 ms', 'p99 ms', 'max ms', 'event loop delay max ms (webhook metric)', 'webhook RSS MiB before', 'peak', 'after (3 s later)', 'webhook still running'],
  [[health.length, fmt(percentile(health, 50)), fmt(percentile(health, 99)), fmt(health.at(-1) ?? NaN), fmt(stormLoopMax, 1), fmt(rssBefore, 1), fmt(rssPeak, 1), fmt(rssAfter, 1), String(webhookAlive)]],
);

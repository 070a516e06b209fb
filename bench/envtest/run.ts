// Control-plane start benchmark (`npm run bench:envtest`): time from startControlPlane() to ready
// (binaries already built), without and with kwok + 3 nodes, and each process's memory right after.
// The baseline is the bare etcd + kube-apiserver start in the same run.
import { startControlPlane, type ControlPlaneOptions } from '@sidecarset/envtest';
import { fmt, printTable, rssMiB } from '../stats.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const variants: [string, ControlPlaneOptions][] = [
  ['etcd + kube-apiserver (baseline)', { controllerManager: false, scheduler: false }],
  ['+ controller-manager + scheduler + CRDs', {}],
  ['+ kwok with 3 Ready nodes (the sandbox)', { kwok: { nodes: 3 } }],
];

const rows: (string | number)[][] = [];
let memory: (string | number)[][] = [];
let baseline = NaN;
for (const [name, options] of variants) {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const plane = await startControlPlane({ ...options, installCrds: options.controllerManager !== false });
    times.push(plane.startupMs);
    if (i === RUNS - 1 && options.kwok) {
      await new Promise((r) => setTimeout(r, 3000)); // settled
      memory = plane.processes.map((p) => [p.name, fmt(rssMiB(p.pid), 1)]);
      memory.push(['total', fmt(plane.processes.reduce((sum, p) => sum + rssMiB(p.pid), 0), 1)]);
    }
    await plane.stop();
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  if (Number.isNaN(baseline)) baseline = median;
  rows.push([name, fmt(median / 1000, 2), fmt(median / baseline)]);
}
console.log(`\nControl plane start, median of ${RUNS} (binaries built)`);
printTable(['control plane', 'seconds', 'ratio to baseline'], rows);
console.log('\nResident memory 3 s after start, with kwok and 3 nodes');
printTable(['process', 'RSS MiB'], memory);

// Small statistics for benchmark tables.
export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)]!;
}

export const fmt = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** Prints rows as an aligned text table. */
export function printTable(header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells.slice(1)) console.log(line(r));
}

export function rssMiB(pid: number): number {
  const { readFileSync } = process.getBuiltinModule('node:fs');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** CPU time (user + system) a process has used so far, in ms; 10 ms resolution. */
export function cpuMs(pid: number): number {
  const { readFileSync } = process.getBuiltinModule('node:fs');
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // field 3 (state) onwards
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime in clock ticks of 10 ms
}

/** Nanoseconds a thread of `pid` has run, from its schedstat (exact, unlike the 10 ms ticks of stat). */
function threadRunNs(pid: number, tid: number | string): number {
  const { readFileSync } = process.getBuiltinModule('node:fs');
  try {
    return Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    return 0; // the thread ended meanwhile
  }
}

/**
 * CPU time in ms, exact: of the main thread (where Node runs JavaScript, and where a request's work
 * and GC pauses happen) and of all threads (adding V8's concurrent GC helpers and libuv's pool, whose
 * work belongs to no request in particular).
 */
export function threadCpuMs(pid: number): { main: number; all: number } {
  const { readdirSync } = process.getBuiltinModule('node:fs');
  let all = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) all += threadRunNs(pid, tid);
  return { main: threadRunNs(pid, pid) / 1e6, all: all / 1e6 };
}

/** ours / theirs, for side-by-side tables. */
export const ratio = (ours: number, theirs: number): string => (theirs > 0 && Number.isFinite(ours) ? fmt(ours / theirs) : '-');

// Quantiles from a Prometheus histogram in text format (upper bound of the bucket that holds it).
export interface HistogramSample {
  count: number;
  /** [upper bound in seconds, cumulative count] */
  buckets: [number, number][];
}

export function readHistogram(text: string, metric: string, labelFilter: string): HistogramSample {
  const buckets: [number, number][] = [];
  let count = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}_bucket{`) && !line.startsWith(`${metric}_count{`)) continue;
    if (!line.includes(labelFilter)) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (line.startsWith(`${metric}_count`)) count += value;
    else {
      const le = /le="([^"]+)"/.exec(line)?.[1];
      const bound = le === '+Inf' ? Infinity : Number(le);
      const existing = buckets.find((b) => b[0] === bound);
      if (existing) existing[1] += value;
      else buckets.push([bound, value]);
    }
  }
  return { count, buckets: buckets.sort((a, b) => a[0] - b[0]) };
}

/** Difference of two samples of the same histogram (what happened between them). */
export const histogramDelta = (after: HistogramSample, before: HistogramSample): HistogramSample => ({
  count: after.count - before.count,
  buckets: after.buckets.map(([bound, n]) => [bound, n - (before.buckets.find((b) => b[0] === bound)?.[1] ?? 0)]),
});

/** Upper bound (ms) of the bucket holding quantile q, and the share of observations at or below `limitMs`. */
export function quantileMs(sample: HistogramSample, q: number): number {
  const target = q * sample.count;
  for (const [bound, cumulative] of sample.buckets) if (cumulative >= target) return bound * 1000;
  return Infinity;
}

export function shareAtOrBelow(sample: HistogramSample, limitMs: number): number {
  const bucket = sample.buckets.find(([bound]) => Math.abs(bound * 1000 - limitMs) < 1e-9);
  return bucket && sample.count > 0 ? bucket[1] / sample.count : NaN;
}

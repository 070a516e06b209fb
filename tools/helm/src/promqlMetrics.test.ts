import { describe, expect, it } from 'vitest';
import { exportedMetricNames, metricNamesOf } from './promqlMetrics.ts';

describe('metricNamesOf', () => {
  it.each([
    ['a ratio of rates with aggregation labels', 'sum by (namespace) (rate(a_errors_total{route="x"}[5m])) / clamp_min(sum by (namespace) (rate(a_total[5m])), 1e-9) > 0.01', ['a_errors_total', 'a_total']],
    ['a histogram quantile', 'histogram_quantile(0.99, sum by (le) (rate(lat_seconds_bucket[5m]))) > 1', ['lat_seconds_bucket']],
    ['absent and or', 'max(leader{name="x"}) < 1 or absent(leader{name="x"})', ['leader']],
    ['a count with a fallback vector', 'count(blocked{namespace="$namespace"} > 0) or vector(0)', ['blocked']],
    ['label values in strings are not metrics', 'rate(x_total{job=~"sidecarset.*|other_metric"}[10m])', ['x_total']],
  ])('%s', (_name, expr, names) => {
    expect([...metricNamesOf(expr)].sort()).toEqual(names.sort());
  });
});

describe('exportedMetricNames', () => {
  it('expands a histogram and reads samples', () => {
    const text = '# HELP h x\n# TYPE h histogram\nh_bucket{le="1"} 0\n# TYPE c counter\nc_total{a="b"} 1\nplain 2\n';
    expect([...exportedMetricNames(text)].sort()).toEqual(['c', 'c_total', 'h', 'h_bucket', 'h_count', 'h_sum', 'plain']);
  });
});

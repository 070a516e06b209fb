// The chart's Grafana dashboard and PrometheusRule alerts name only metrics the apps really export:
// every metric in their PromQL is found in the /metrics of the real webhook and controller, run on
// a real control plane (after an admission, so that labelled series exist).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { startControlPlane, startSidecarsetController, startSidecarsetWebhook, registerSidecarsetWebhook, type ControlPlane, type SidecarsetController, type SidecarsetWebhook } from '@sidecarset/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CHART_DIR, helmBinary } from '../src/generateManifests.ts';
import { exportedMetricNames, metricNamesOf } from '../src/promqlMetrics.ts';

/** Series Prometheus makes itself, not the apps. */
const PROMETHEUS_OWN = new Set(['up']);

let plane: ControlPlane;
let webhook: SidecarsetWebhook;
let controller: SidecarsetController;
let exported: Set<string>;
let alertExpressions: { name: string; expr: string }[];
let panelExpressions: { name: string; expr: string }[];

const httpsText = (url: string, ca: string) =>
  new Promise<string>((resolve, reject) => {
    request(url, { ca }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve(body));
    }).on('error', reject).end();
  });

beforeAll(async () => {
  const rendered = execFileSync(helmBinary(), ['template', 'sidecarset', CHART_DIR, '--namespace', 'sidecarset-system', '--set', 'monitoring.prometheusRule.enabled=true', '--set', 'monitoring.dashboard.enabled=true', '--set', 'crds.install=false'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const objects = parseAllDocuments(rendered).map((d) => d.toJS() as { kind?: string; spec?: { groups: { rules: { alert: string; expr: string }[] }[] }; data?: Record<string, string> } | null);
  alertExpressions = objects.filter((o) => o?.kind === 'PrometheusRule').flatMap((o) => o!.spec!.groups.flatMap((g) => g.rules.map((r) => ({ name: r.alert, expr: r.expr }))));
  const dashboard = JSON.parse(objects.find((o) => o?.kind === 'ConfigMap')!.data!['sidecarset.json']!) as { panels: { title: string; targets: { expr: string }[] }[]; templating: { list: { name: string; query?: { query: string } }[] } };
  panelExpressions = [
    ...dashboard.panels.flatMap((p) => p.targets.map((t) => ({ name: p.title, expr: t.expr }))),
    ...dashboard.templating.list.filter((v) => v.query?.query).map((v) => ({ name: `variable ${v.name}`, expr: v.query!.query.replace(/^label_values\(([^,]+),.*$/, '$1') })),
  ];

  plane = await startControlPlane({ kwok: { nodes: 1 } }); // the controller-manager makes the default ServiceAccount pods need
  webhook = await startSidecarsetWebhook(plane);
  await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
  controller = await startSidecarsetController(plane, { leaseDurationMs: 3000 });
  // One SidecarSet and one pod it injects, so that the labelled series of both apps exist.
  const sidecarSet = { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'SidecarSet', metadata: { name: 'metrics-logger' }, spec: { selector: { matchLabels: { app: 'metrics' } }, containers: [{ name: 'logger', image: 'registry.example/logger:1.0' }] } };
  expect((await plane.kubectl(['apply', '-f', '-'], JSON.stringify(sidecarSet))).stderr).toBe('');
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'metrics-app', namespace: 'default', labels: { app: 'metrics' } }, spec: { containers: [{ name: 'app', image: 'registry.example/app:1.0' }] } };
  const deadline = Date.now() + 180_000;
  for (;;) {
    const created = await plane.kubectl(['create', '-f', '-'], JSON.stringify(pod));
    const stored = await plane.kubectl(['get', 'pod', 'metrics-app', '-n', 'default', '-o', 'jsonpath={.spec.containers[*].name}']);
    if (created.code === 0 && stored.stdout.includes('logger')) break;
    await plane.kubectl(['delete', 'pod', 'metrics-app', '-n', 'default', '--ignore-not-found', '--grace-period=0', '--force']);
    if (Date.now() > deadline) throw new Error(`no injected pod after 180 s\n${webhook.logs()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  // The controller leads (leader_election_master_status 1) before its metrics are read.
  while (!controller.logs().includes('leading')) {
    if (Date.now() > deadline) throw new Error(`controller did not lead\n${controller.logs()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const port = /"port":(\d+)/.exec(readFileSync(controller.process.logFile, 'utf8').split('\n').find((l) => l.includes('health server listening')) ?? '')?.[1];
  const controllerMetrics = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
  const webhookMetrics = await httpsText(`${webhook.url}/metrics`, webhook.caBundle);
  exported = new Set([...exportedMetricNames(controllerMetrics), ...exportedMetricNames(webhookMetrics)]);
});
afterAll(() => plane?.stop());

describe('dashboards and alerts', () => {
  it('alert on webhook errors and latency, a blocked rollout and a missing leader', () => {
    expect(alertExpressions.map((a) => a.name)).toEqual(expect.arrayContaining(['SidecarsetWebhookErrors', 'SidecarsetWebhookSlow', 'SidecarsetRolloutBlocked', 'SidecarsetControllerLeaderMissing']));
  });

  it('name only metrics the real webhook and controller export', () => {
    const missing = [...alertExpressions, ...panelExpressions].flatMap(({ name, expr }) =>
      [...metricNamesOf(expr)].filter((m) => !exported.has(m) && !PROMETHEUS_OWN.has(m)).map((m) => `${name}: ${m}`),
    );
    expect(missing).toEqual([]);
    // The check reads something: each alert and panel names at least one metric.
    for (const { name, expr } of [...alertExpressions, ...panelExpressions]) expect(metricNamesOf(expr).size, name).toBeGreaterThan(0);
  });

});

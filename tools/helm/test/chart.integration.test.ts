// The chart deploy/chart/sidecarset: helm lint, the schema refusing bad values by field, what it
// renders with default and non-default values, both applied with `kubectl apply --dry-run=server`
// to a real API server (tools/envtest), and deploy/manifests being exactly its default rendering
// (so the RBAC the integration tests run the apps with, read from deploy/manifests, is the chart's).
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startControlPlane, type ControlPlane } from '@sidecarset/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CHART_DIR, helmBinary, manifestDrift, renderManifests } from '../src/generateManifests.ts';
import { STAND_IN_CRDS } from './standInCrds.ts';

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown> & { template?: { spec: PodSpec }; replicas?: number };
  webhooks?: { name: string; failurePolicy: string; timeoutSeconds: number; namespaceSelector?: { matchExpressions: { key: string; operator: string; values?: string[] }[] }; objectSelector?: unknown; clientConfig: { service: { name: string; namespace: string } } }[];
  rules?: { resourceNames?: string[] }[];
}
interface PodSpec {
  topologySpreadConstraints?: unknown[];
  containers: { name: string; image: string; args: string[]; securityContext: Record<string, unknown>; readinessProbe: unknown }[];
}

let helm: string;
const run = (file: string, args: string[], input?: string) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(file, args, { maxBuffer: 64 << 20 }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
    if (input !== undefined) child.stdin!.end(input);
  });
/** helm's stderr without its note that files/crds links to crds/ (the CRDs codegen writes). */
const warnings = (stderr: string) => stderr.split('\n').filter((l) => l && !l.includes('found symbolic link in path')).join('\n');
const template = (namespace: string, values: Record<string, unknown> = {}) => {
  const file = join(planeDir(), `values-${namespace}-${Object.keys(values).length}.json`);
  writeFileSync(file, JSON.stringify(values));
  return run(helm, ['template', 'sidecarset', CHART_DIR, '--namespace', namespace, '--values', file]);
};
const objectsOf = (yaml: string): K8sObject[] => parseAllDocuments(yaml).map((d) => d.toJS() as K8sObject | null).filter((o): o is K8sObject => o !== null);
const find = (objects: K8sObject[], kind: string, name?: string) => objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));

let plane: ControlPlane | undefined;
const planeDir = () => plane!.dir;

/** Everything a cluster-wide install switches on that the defaults leave off. */
const NON_DEFAULT = {
  namePrefix: 'sscs',
  createNamespace: true,
  image: { registry: 'registry.example/', tag: '9.9.9' },
  webhook: { replicas: 3, admission: { timeoutSeconds: 10, failurePolicy: 'Ignore', excludedNamespaces: ['kube-system', 'monitoring'], namespaceSelectorExpressions: [{ key: 'sidecarset.dev/injection', operator: 'NotIn', values: ['disabled'] }], objectSelector: { matchExpressions: [{ key: 'sidecarset.dev/inject', operator: 'NotIn', values: ['false'] }] } } },
  controller: { replicas: 3, leaderElection: { enabled: true, leaseName: 'sscs-leader' }, workers: 4 },
  certificates: { mode: 'cert-manager' },
  networkPolicy: { enabled: true, apiServerCIDRs: ['10.0.0.0/24'], metricsFrom: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] },
  monitoring: { serviceMonitor: { enabled: true }, prometheusRule: { enabled: true }, dashboard: { enabled: true } },
};

beforeAll(async () => {
  helm = helmBinary();
  // The CRDs are the chart's; cert-manager's and prometheus-operator's kinds get stand-in CRDs.
  plane = await startControlPlane({ controllerManager: false, scheduler: false, installCrds: false });
  const standIns = await plane.kubectl(['apply', '-f', '-'], STAND_IN_CRDS);
  if (standIns.code !== 0) throw new Error(standIns.stderr);
  const established = await plane.kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']);
  if (established.code !== 0) throw new Error(established.stderr);
});
afterAll(() => plane?.stop());

describe('helm', () => {
  it('lints the chart with default and non-default values', async () => {
    const defaults = await run(helm, ['lint', '--strict', CHART_DIR]);
    expect(defaults.stdout + defaults.stderr).toContain('1 chart(s) linted, 0 chart(s) failed');
    const file = join(planeDir(), 'lint-values.json');
    writeFileSync(file, JSON.stringify(NON_DEFAULT));
    const others = await run(helm, ['lint', '--strict', CHART_DIR, '--values', file]);
    expect(others.stdout + others.stderr).toContain('1 chart(s) linted, 0 chart(s) failed');
  });

  it.each([
    ['a failurePolicy the API server does not know', { webhook: { admission: { failurePolicy: 'Maybe' } } }, "at '/webhook/admission/failurePolicy'"],
    ['no webhook replica', { webhook: { replicas: 0 } }, "at '/webhook/replicas'"],
    ['a NetworkPolicy that would shut out the API server', { networkPolicy: { enabled: true } }, "at '/networkPolicy/apiServerCIDRs': minItems"],
    ['an unknown certificate mode', { certificates: { mode: 'vault' } }, "at '/certificates/mode'"],
    ['a misspelt value', { webhook: { replica: 2 } }, "at '/webhook': additional properties 'replica' not allowed"],
  ])('the schema refuses %s, naming the field', async (_name, values, field) => {
    const rendered = await template('sidecarset-system', values);
    expect(rendered.code).not.toBe(0);
    expect(rendered.stderr).toContain('values don\'t meet the specifications of the schema');
    expect(rendered.stderr).toContain(field);
  });
});

describe('deploy/manifests', () => {
  it('is the chart rendered with its defaults (npm run manifests), so tests run the apps with the chart\'s RBAC', () => {
    expect(manifestDrift(renderManifests(helm))).toEqual([]);
  });
});

describe('default values', () => {
  let objects: K8sObject[];
  beforeAll(async () => {
    const rendered = await template('sidecarset-system');
    expect(warnings(rendered.stderr)).toBe('');
    objects = objectsOf(rendered.stdout);
  });

  it('renders two webhook replicas with a disruption budget and spread over nodes, ready once its caches synced', () => {
    const [webhook] = find(objects, 'Deployment', 'sidecarset-webhook');
    expect(webhook!.spec!.replicas).toBe(2);
    const pod = webhook!.spec!.template!.spec;
    expect(pod.topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'sidecarset-webhook' } } }]);
    expect(pod.containers[0]!.readinessProbe).toEqual({ httpGet: { path: '/readyz', port: 'https', scheme: 'HTTPS' }, periodSeconds: 5 });
    expect(pod.containers[0]!.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false });
    expect(pod.containers[0]!.args).toContain('--self-signed');
    expect(find(objects, 'PodDisruptionBudget', 'sidecarset-webhook')[0]!.spec).toMatchObject({ minAvailable: 1 });
  });

  it('renders two controller replicas electing a leader', () => {
    const [controller] = find(objects, 'Deployment', 'sidecarset-controller');
    expect(controller!.spec!.replicas).toBe(2);
    expect(controller!.spec!.template!.spec.containers[0]!.args).toEqual(expect.arrayContaining(['--leader-elect=true', '--lease-name=sidecarset-controller', '--namespace=sidecarset-system']));
  });

  it('sends no pod of kube-system or of its own namespace to the webhook, and fails closed within 5 s', () => {
    const [mutating] = find(objects, 'MutatingWebhookConfiguration');
    const pods = mutating!.webhooks!.find((w) => w.name === 'mutate-pods.sidecarset.dev')!;
    expect(pods.namespaceSelector!.matchExpressions).toEqual([{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'sidecarset-system'] }]);
    expect(pods).toMatchObject({ failurePolicy: 'Fail', timeoutSeconds: 5 });
  });

  it('renders the CRDs with their conversion webhook at the release\'s Service, and no NetworkPolicy or monitoring objects', () => {
    const crds = find(objects, 'CustomResourceDefinition');
    expect(crds.map((c) => c.metadata.name).sort()).toEqual(['sidecarsetresourcebindings.sidecarset.alibabacloud.com', 'sidecarsets.apps.kruise.io']);
    const conversion = (find(objects, 'CustomResourceDefinition', 'sidecarsets.apps.kruise.io')[0]!.spec as { conversion: { webhook: { clientConfig: { service: unknown } } } }).conversion;
    expect(conversion.webhook.clientConfig.service).toEqual({ name: 'sidecarset-webhook', namespace: 'sidecarset-system', path: '/convert', port: 443 });
    expect(objects.filter((o) => ['NetworkPolicy', 'ServiceMonitor', 'PrometheusRule', 'Certificate'].includes(o.kind))).toEqual([]);
  });

  it('is accepted by the API server (kubectl apply --server-side --dry-run=server; the CRDs are too large for the annotation of a client-side apply)', async () => {
    await plane!.kubectl(['create', 'namespace', 'sidecarset-system']);
    const rendered = await template('sidecarset-system');
    const applied = await plane!.kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], rendered.stdout);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('deployment.apps/sidecarset-webhook serverside-applied (server dry run)');
    expect(applied.stdout).toContain('customresourcedefinition.apiextensions.k8s.io/sidecarsets.apps.kruise.io serverside-applied (server dry run)');
  });
});

describe('non-default values', () => {
  let objects: K8sObject[];
  let rendered: string;
  beforeAll(async () => {
    const result = await template('sscs', NON_DEFAULT);
    expect(warnings(result.stderr)).toBe('');
    rendered = result.stdout;
    objects = objectsOf(rendered);
  });

  it('takes its certificate from cert-manager: no right to patch the webhook configurations, the CA injected everywhere the API server calls it', () => {
    expect(find(objects, 'ClusterRole').map((r) => r.metadata.name).sort()).toEqual(['sscs-controller', 'sscs-webhook']);
    const [certificate] = find(objects, 'Certificate', 'sscs-webhook-tls');
    expect(certificate!.spec).toMatchObject({ secretName: 'sscs-webhook-tls', dnsNames: ['sscs-webhook.sscs.svc', 'sscs-webhook.sscs.svc.cluster.local'], issuerRef: { kind: 'Issuer', name: 'sscs-self-signed' } });
    for (const o of [...find(objects, 'MutatingWebhookConfiguration'), ...find(objects, 'ValidatingWebhookConfiguration'), ...find(objects, 'CustomResourceDefinition', 'sidecarsets.apps.kruise.io')]) {
      expect(o.metadata.annotations?.['cert-manager.io/inject-ca-from'], o.metadata.name).toBe('sscs/sscs-webhook-tls');
    }
    const args = find(objects, 'Deployment', 'sscs-webhook')[0]!.spec!.template!.spec.containers[0]!.args;
    expect(args).toEqual(expect.arrayContaining(['--tls-cert-file=/tls/tls.crt', '--tls-key-file=/tls/tls.key', '--mutating-configuration=sscs-mutating']));
    expect(args).not.toContain('--self-signed');
  });

  it('takes the admission settings as given, and still excludes its own namespace', () => {
    const [mutating] = find(objects, 'MutatingWebhookConfiguration', 'sscs-mutating');
    const pods = mutating!.webhooks!.find((w) => w.name === 'mutate-pods.sidecarset.dev')!;
    expect(pods).toMatchObject({ failurePolicy: 'Ignore', timeoutSeconds: 10, clientConfig: { service: { name: 'sscs-webhook', namespace: 'sscs' } } });
    expect(pods.namespaceSelector!.matchExpressions).toEqual([
      { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'monitoring', 'sscs'] },
      { key: 'sidecarset.dev/injection', operator: 'NotIn', values: ['disabled'] },
    ]);
    expect(pods.objectSelector).toEqual({ matchExpressions: [{ key: 'sidecarset.dev/inject', operator: 'NotIn', values: ['false'] }] });
    expect(find(objects, 'Deployment', 'sscs-webhook')[0]!.spec!.template!.spec.containers[0]!.image).toBe('registry.example/sidecarset/webhook:9.9.9');
  });

  it('admits only the API server\'s addresses and the metrics peers to the webhook', () => {
    const [policy] = find(objects, 'NetworkPolicy', 'sscs-webhook');
    expect(policy!.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'sscs-webhook' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/24' } }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 9443 }] }],
    });
  });

  it('holds the controller\'s admission policy to its own ServiceAccount', () => {
    const [policy] = find(objects, 'ValidatingAdmissionPolicy', 'sscs-controller-writes-only-mirrors');
    expect(JSON.stringify(policy!.spec)).toContain("system:serviceaccount:sscs:sscs-controller");
  });

  it('is accepted by the API server (kubectl apply --server-side --dry-run=server), ServiceMonitor, PrometheusRule and dashboard included', async () => {
    await plane!.kubectl(['create', 'namespace', 'sscs']);
    const applied = await plane!.kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], rendered);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    for (const created of ['networkpolicy.networking.k8s.io/sscs-webhook', 'certificate.cert-manager.io/sscs-webhook-tls', 'servicemonitor.monitoring.coreos.com/sscs', 'prometheusrule.monitoring.coreos.com/sscs', 'configmap/sscs-dashboard', 'poddisruptionbudget.policy/sscs-webhook']) {
      expect(applied.stdout).toContain(`${created} serverside-applied (server dry run)`);
    }
  });
});

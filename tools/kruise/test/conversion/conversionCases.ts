// SidecarSets written in either version, each exercising a rule of OpenKruise 1.9's conversion
// (apis/apps/v1alpha1/sidecarset_conversion.go) or of the encoding/json writing of its Go types.
export interface ConversionCase {
  name: string;
  manifest: Record<string, unknown>;
}

const CUSTOM_VERSION = 'apps.kruise.io/sidecarset-custom-version';
const container = (name: string, extra: Record<string, unknown> = {}) => ({ name, image: `registry.example/${name}:1.0`, ...extra });

const alpha = (name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name, ...metadata },
  spec: { selector: { matchLabels: { app: name } }, containers: [container('agent')], ...spec },
});
const beta = (name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({ ...alpha(name, spec, metadata), apiVersion: 'apps.kruise.io/v1beta1' });

export const CONVERSION_CASES: ConversionCase[] = [
  { name: 'alpha-namespace', manifest: alpha('alpha-namespace', { namespace: 'shop' }) },
  // (namespace with namespaceSelector: refused by ours, a listed difference; its conversion is unit-tested.)
  { name: 'alpha-namespace-selector', manifest: alpha('alpha-namespace-selector', { namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['a', 'b'] }] } }) },
  { name: 'alpha-custom-version', manifest: alpha('alpha-custom-version', {}, { labels: { [CUSTOM_VERSION]: 'v3', team: 'a' } }) },
  { name: 'alpha-custom-version-only-label', manifest: alpha('alpha-custom-version-only-label', {}, { labels: { [CUSTOM_VERSION]: 'v1' } }) },
  { name: 'alpha-empty-custom-version', manifest: alpha('alpha-empty-custom-version', {}, { labels: { [CUSTOM_VERSION]: '' } }) },
  {
    name: 'alpha-full',
    manifest: alpha('alpha-full', {
      namespace: 'shop',
      // (not a native sidecar: OpenKruise refuses their in-place upgrade, which we support: a listed row)
      initContainers: [container('init', { resources: { requests: { cpu: '0.1', memory: '1Gi' } } })],
      containers: [
        container('log', {
          env: [{ name: 'LEVEL', value: 'info' }],
          ports: [{ containerPort: 8080 }],
          readinessProbe: { httpGet: { path: '/', port: 8080 }, initialDelaySeconds: 0, periodSeconds: 5 },
          volumeMounts: [{ name: 'logs', mountPath: '/var/log/app' }],
          podInjectPolicy: 'AfterAppContainer',
          shareVolumePolicy: { type: 'enabled' },
          transferEnv: [{ sourceContainerName: 'app', envName: 'TZ' }],
        }),
      ],
      volumes: [{ name: 'logs', emptyDir: {} }],
      imagePullSecrets: [{ name: 'pull' }],
      updateStrategy: { type: 'RollingUpdate', partition: '50%', maxUnavailable: 2, scatterStrategy: [{ key: 'zone', value: 'a' }] },
      injectionStrategy: { paused: false },
      revisionHistoryLimit: 3,
    }),
  },
  { name: 'beta-namespace-selector', manifest: beta('beta-namespace-selector', { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }) },
  { name: 'beta-custom-version', manifest: beta('beta-custom-version', { customVersion: 'v9' }) },
  { name: 'beta-custom-version-and-label', manifest: beta('beta-custom-version-and-label', { customVersion: 'v9' }, { labels: { [CUSTOM_VERSION]: 'v8' } }) },
  { name: 'beta-label-only', manifest: beta('beta-label-only', {}, { labels: { [CUSTOM_VERSION]: 'v8' } }) },
  { name: 'beta-empty-custom-version', manifest: beta('beta-empty-custom-version', { customVersion: '' }) },
  { name: 'beta-strategies', manifest: beta('beta-strategies', { updateStrategy: { paused: true, selector: { matchLabels: { canary: 'true' } } }, injectionStrategy: { paused: true } }) },
];

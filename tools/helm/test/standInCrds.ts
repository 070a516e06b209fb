// Stand-ins for the CRDs of cert-manager (Certificate, Issuer) and prometheus-operator
// (ServiceMonitor, PrometheusRule), which the chart renders with non-default values: their real
// schemas are not in this repository, so these take any spec. The dry-run apply checks that the
// chart's objects are of kinds and versions the API server then serves, not those projects' schemas.
const crd = (group: string, version: string, kind: string, plural: string) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.${group}` },
  spec: {
    group,
    scope: 'Namespaced',
    names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
    versions: [{ name: version, served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
});

export const STAND_IN_CRDS = JSON.stringify({
  apiVersion: 'v1',
  kind: 'List',
  items: [
    crd('cert-manager.io', 'v1', 'Certificate', 'certificates'),
    crd('cert-manager.io', 'v1', 'Issuer', 'issuers'),
    crd('monitoring.coreos.com', 'v1', 'ServiceMonitor', 'servicemonitors'),
    crd('monitoring.coreos.com', 'v1', 'PrometheusRule', 'prometheusrules'),
  ],
});

// Builds the CustomResourceDefinition object of one resource.
import type { KubernetesOpenApi, JsonSchema } from './kubernetesOpenApi.ts';
import { renderCrdSchema } from './renderCrdSchema.ts';
import type { CustomResource } from './resources.ts';
import type { SourceSchema } from './schemaSource.ts';

export function crdManifest(resource: CustomResource, api: KubernetesOpenApi): JsonSchema {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${resource.plural}.${resource.group}`,
      labels: { 'app.kubernetes.io/part-of': 'sidecarset' },
    },
    spec: {
      group: resource.group,
      names: {
        kind: resource.kind,
        listKind: `${resource.kind}List`,
        plural: resource.plural,
        singular: resource.singular,
        ...(resource.shortNames.length ? { shortNames: resource.shortNames } : {}),
      },
      scope: resource.scope,
      versions: resource.versions.map((version) => {
        const render = (s: SourceSchema) => renderCrdSchema(s, api, version.definitions);
        return {
          name: version.name,
          served: true,
          storage: version.storage,
          subresources: { status: {} },
          additionalPrinterColumns: resource.printerColumns,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: resource.description,
              properties: {
                apiVersion: { type: 'string', description: 'APIVersion of this object.' },
                kind: { type: 'string', description: 'Kind of this object.' },
                metadata: { type: 'object' },
                spec: render(version.spec),
                status: render(version.status),
              },
              required: ['spec'],
            },
          },
        };
      }),
      ...(resource.conversion
        ? {
            // The caBundle is written where the webhook's CA is known: by cert-manager's CA injector
            // (annotation cert-manager.io/inject-ca-from), by hand, or by the test control plane.
            conversion: {
              strategy: 'Webhook',
              webhook: { conversionReviewVersions: ['v1'], clientConfig: { service: resource.conversion.service } },
            },
          }
        : {}),
    },
  };
}

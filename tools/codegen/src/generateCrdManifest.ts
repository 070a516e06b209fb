// Builds the CustomResourceDefinition object of one resource.
import type { KubernetesOpenApi, JsonSchema } from './kubernetesOpenApi.ts';
import { renderCrdSchema } from './renderCrdSchema.ts';
import type { CustomResource } from './resources.ts';

export function crdManifest(resource: CustomResource, api: KubernetesOpenApi): JsonSchema {
  const render = (s: typeof resource.spec) => renderCrdSchema(s, api, resource.definitions);
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
      versions: [
        {
          name: resource.version,
          served: true,
          storage: true,
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
                spec: render(resource.spec),
                status: render(resource.status),
              },
              required: ['spec'],
            },
          },
        },
      ],
    },
  };
}

// The custom resources we generate: their API identity, printer columns and schema sources.
import { bindingSpec, bindingStatus } from './schemas/sidecarSetResourceBinding.ts';
import { sidecarSetDefinitions, sidecarSetSpec, sidecarSetStatus } from './schemas/sidecarSet.ts';
import type { SourceSchema } from './schemaSource.ts';

export interface CustomResource {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  scope: 'Cluster' | 'Namespaced';
  description: string;
  printerColumns: { name: string; type: string; jsonPath: string; description?: string }[];
  spec: SourceSchema;
  status: SourceSchema;
  definitions: Record<string, SourceSchema>;
  /** Base name of the generated TypeScript module in packages/api/src/generated. */
  typesModule: string;
}

const AGE = { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' };

export const RESOURCES: CustomResource[] = [
  {
    group: 'apps.kruise.io',
    version: 'v1alpha1',
    kind: 'SidecarSet',
    plural: 'sidecarsets',
    singular: 'sidecarset',
    shortNames: [],
    scope: 'Cluster',
    description: 'SidecarSet injects sidecar containers into matching pods and upgrades them in place.',
    printerColumns: [
      { name: 'MATCHED', type: 'integer', jsonPath: '.status.matchedPods', description: 'Pods matched by the SidecarSet' },
      { name: 'UPDATED', type: 'integer', jsonPath: '.status.updatedPods', description: 'Matched pods at the latest revision' },
      { name: 'READY', type: 'integer', jsonPath: '.status.readyPods', description: 'Matched pods that are ready' },
      AGE,
    ],
    spec: sidecarSetSpec,
    status: sidecarSetStatus,
    definitions: sidecarSetDefinitions,
    typesModule: 'sidecarSet',
  },
  {
    group: 'sidecarset.alibabacloud.com',
    version: 'v1alpha1',
    kind: 'SidecarSetResourceBinding',
    plural: 'sidecarsetresourcebindings',
    singular: 'sidecarsetresourcebinding',
    shortNames: [],
    scope: 'Namespaced',
    description:
      "SidecarSetResourceBinding lets the pods of the named SidecarSets mount the named ConfigMaps and Secrets of the binding's namespace, read-only.",
    printerColumns: [
      { name: 'MIRRORS', type: 'integer', jsonPath: '.status.mirrorCount', description: 'Mirrors (copies in pod namespaces) the binding backs' },
      { name: 'READY', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status', description: 'Every wanted mirror exists and is trusted' },
      AGE,
    ],
    spec: bindingSpec,
    status: bindingStatus,
    definitions: {},
    typesModule: 'sidecarSetResourceBinding',
  },
];

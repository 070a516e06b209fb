// The custom resources we generate: their API identity, printer columns and schema sources.
import { bindingSpec, bindingStatus } from './schemas/sidecarSetResourceBinding.ts';
import { sidecarSetDefinitions, sidecarSetSpec, sidecarSetStatus } from './schemas/sidecarSet.ts';
import { sidecarSetV1beta1Spec } from './schemas/sidecarSetV1beta1.ts';
import type { SourceSchema } from './schemaSource.ts';

/** One version of a resource as the CRD serves it; the first is the one clients use by default. */
export interface ResourceVersion {
  name: string;
  /** The version objects are stored in (exactly one per resource). */
  storage: boolean;
  spec: SourceSchema;
  status: SourceSchema;
  definitions: Record<string, SourceSchema>;
  /** Base name of the generated TypeScript module in packages/api/src/generated. */
  typesModule: string;
  /** Appended to every generated type name of this version ('' for the first), so versions do not collide. */
  typeSuffix: string;
}

/** A conversion webhook, by the Service that serves it (deploy/manifests/webhook.yaml). */
export interface ConversionWebhook {
  service: { namespace: string; name: string; path: string; port: number };
}

export interface CustomResource {
  group: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  scope: 'Cluster' | 'Namespaced';
  description: string;
  printerColumns: { name: string; type: string; jsonPath: string; description?: string }[];
  versions: ResourceVersion[];
  /** Versions whose schemas differ need one; without it the API server only rewrites apiVersion. */
  conversion?: ConversionWebhook;
}

const AGE = { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' };

export const RESOURCES: CustomResource[] = [
  {
    group: 'apps.kruise.io',
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
    // As OpenKruise 1.9: both served, v1beta1 stored, converted by our webhook's /convert.
    versions: [
      { name: 'v1alpha1', storage: false, spec: sidecarSetSpec, status: sidecarSetStatus, definitions: sidecarSetDefinitions, typesModule: 'sidecarSet', typeSuffix: '' },
      { name: 'v1beta1', storage: true, spec: sidecarSetV1beta1Spec, status: sidecarSetStatus, definitions: sidecarSetDefinitions, typesModule: 'sidecarSetV1beta1', typeSuffix: 'V1Beta1' },
    ],
    conversion: { service: { namespace: 'sidecarset-system', name: 'sidecarset-webhook', path: '/convert', port: 443 } },
  },
  {
    group: 'sidecarset.alibabacloud.com',
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
    versions: [{ name: 'v1alpha1', storage: true, spec: bindingSpec, status: bindingStatus, definitions: {}, typesModule: 'sidecarSetResourceBinding', typeSuffix: '' }],
  },
];

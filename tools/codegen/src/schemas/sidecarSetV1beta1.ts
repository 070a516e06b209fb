// Schema source of apps.kruise.io/v1beta1 SidecarSet, as OpenKruise 1.9 declares it: the v1alpha1
// spec without `namespace` (a namespace is a namespaceSelector on kubernetes.io/metadata.name) and
// with `customVersion` (v1alpha1 carries it as the label apps.kruise.io/sidecarset-custom-version).
// The deprecated `strategy` spelling is v1alpha1-only: OpenKruise's Go types never had it.
import { str, type SourceSchema } from '../schemaSource.ts';
import { sidecarSetSpec } from './sidecarSet.ts';

const { namespace: _namespace, strategy: _strategy, ...v1beta1Properties } = sidecarSetSpec.properties as Record<string, SourceSchema>;

export const sidecarSetV1beta1Spec: SourceSchema = {
  ...sidecarSetSpec,
  properties: {
    ...v1beta1Properties,
    customVersion: str(
      'Recorded on the ControllerRevisions of this SidecarSet, for injectionStrategy.revision.customVersion to pin one (v1alpha1: the label apps.kruise.io/sidecarset-custom-version).',
    ),
  },
};

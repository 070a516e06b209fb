// Schema source of sidecarset.alibabacloud.com/v1alpha1 SidecarSetResourceBinding (seed 000): lets
// the pods of named SidecarSets read named ConfigMaps/Secrets of the binding's own namespace.
import { int32, int64, k8s, list, named, object, oneOfStrings, str } from '../schemaSource.ts';

const NAME_PATTERN = '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$';

export const bindingSpec = object(
  {
    subjects: list(
      object(
        {
          kind: oneOfStrings(['SidecarSet'], 'Kind of the subject.'),
          name: str('Name of the SidecarSet.', { minLength: 1, maxLength: 253, pattern: NAME_PATTERN }),
        },
        'A SidecarSet given access.',
        ['kind', 'name'],
      ),
      'SidecarSets whose pods may mount the resources.',
      { minItems: 1 },
    ),
    resourceRefs: list(
      object(
        {
          kind: oneOfStrings(['ConfigMap', 'Secret'], 'Kind of the resource.'),
          name: str('Name of the resource in the binding\'s namespace.', { minLength: 1, maxLength: 253, pattern: NAME_PATTERN }),
        },
        'A ConfigMap or Secret of this namespace.',
        ['kind', 'name'],
      ),
      'Resources of this namespace that the subjects may mount, read-only.',
      { minItems: 1 },
    ),
  },
  'Which SidecarSets may read which resources of this namespace.',
  ['subjects', 'resourceRefs'],
);

/** One mirror the controller created for this binding: its UID is what makes it trusted. */
const mirrorRecord = named('SidecarSetResourceBindingMirror', object(
  {
    kind: oneOfStrings(['ConfigMap', 'Secret'], 'Kind of the mirror (that of its source).'),
    namespace: str('Namespace of the mirror (a pod\'s namespace).', { minLength: 1, maxLength: 63 }),
    name: str('Name of the mirror.', { minLength: 1, maxLength: 253, pattern: NAME_PATTERN }),
    uid: str('UID of the mirror as the controller created it; an object of that name with another UID is not ours.', { minLength: 1, maxLength: 128 }),
  },
  'A mirror (copy in a pod\'s namespace) of a resource this binding authorises.',
  ['kind', 'namespace', 'name', 'uid'],
));

export const bindingStatus = object(
  {
    observedGeneration: int64('The spec generation this status describes.'),
    mirrors: list(mirrorRecord, 'The mirrors the controller created for this binding, written only by the controller.', {
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['kind', 'namespace', 'name'],
    }),
    mirrorCount: int32('Number of mirrors this binding backs (entries of mirrors).', { minimum: 0 }),
    conditions: list(k8s('io.k8s.apimachinery.pkg.apis.meta.v1.Condition'), 'Latest observations of the binding: Ready, SourceMissing, Conflict.', {
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['type'],
    }),
  },
  'Observed state of the binding.',
);

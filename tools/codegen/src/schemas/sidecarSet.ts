// Schema source of apps.kruise.io/v1alpha1 SidecarSet: the same fields, enums and JSON names as
// OpenKruise's SidecarSet so that its YAML applies unchanged.
import {
  PERCENT_PATTERN,
  bool,
  def,
  int32,
  int64,
  intOrString,
  k8s,
  list,
  named,
  object,
  oneOfStrings,
  str,
  stringMap,
  type SourceSchema,
} from '../schemaSource.ts';

const LABEL_SELECTOR = 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector';

const volumePolicy = (what: string): SourceSchema =>
  object(
    { type: oneOfStrings(['enabled', 'disabled'], `enabled mounts ${what} into this sidecar.`) },
    `Whether the sidecar also gets ${what}.`,
  );

const transferEnvVar = named('TransferEnvVar', object(
  {
    sourceContainerName: str('Name of the pod container whose environment variable is copied.'),
    sourceContainerNameFrom: object(
      {
        fieldRef: k8s(
          'io.k8s.api.core.v1.ObjectFieldSelector',
          "Reads the source container's name from the pod: metadata.labels['<key>'] or metadata.annotations['<key>'].",
        ),
      },
      'Takes the source container name from a pod field instead of a fixed name.',
    ),
    envName: str('Name of one environment variable to copy.'),
    envNames: list({ type: 'string' }, 'Names of several environment variables to copy.'),
  },
  'Copies environment variables from an app container into the sidecar at injection.',
));

// OpenKruise 1.9's ResourceExprLimits / ResourceExprRequests: the same two fields.
const resourceExpression = (kind: 'limits' | 'requests') =>
  object(
    {
      cpu: str(`Expression for the sidecar's cpu ${kind}: +, -, *, /, max(), min() over the variable cpu (the sum or max of the target containers' cpu ${kind}), e.g. "max(cpu*50%, 50m)".`),
      memory: str(`Expression for the sidecar's memory ${kind}: +, -, *, /, max(), min() over the variable memory (the sum or max of the target containers' memory ${kind}), e.g. "memory*20%".`),
    },
    `Expressions for calculating the sidecar's resource ${kind}.`,
  );

const sidecarContainer: SourceSchema = {
  $k8s: 'io.k8s.api.core.v1.Container',
  description: 'A container to inject: a full core/v1 Container plus SidecarSet-only fields.',
  $extend: {
    podInjectPolicy: oneOfStrings(
      ['BeforeAppContainer', 'AfterAppContainer'],
      'Where the sidecar goes relative to the app containers. Defaults to BeforeAppContainer for containers and AfterAppContainer for initContainers.',
    ),
    upgradeStrategy: object(
      {
        upgradeType: oneOfStrings(['ColdUpgrade', 'HotUpgrade'], 'ColdUpgrade (default) restarts the sidecar with its new image; HotUpgrade swaps between two containers.'),
        hotUpgradeEmptyImage: str('Image of the idle twin container used by HotUpgrade.'),
      },
      'How an injected sidecar is upgraded.',
    ),
    shareVolumePolicy: volumePolicy("every volume mounted by the pod's app containers"),
    shareVolumeDevicePolicy: volumePolicy("every volume device of the pod's app containers"),
    transferEnv: list(transferEnvVar, 'Environment variables copied from app containers.'),
    // OpenKruise 1.9's ResourcesPolicy: its field names, enum, default and required fields.
    resourcesPolicy: object(
      {
        targetContainersMode: oneOfStrings(['sum', 'max'], 'How the target containers\' resources combine: their sum, or their max.'),
        targetContainersNameRegex: str('Regular expression selecting the target containers by name (app containers and native sidecars, not injected sidecars).', { default: '.*' }),
        resourcesExpr: object(
          { limits: resourceExpression('limits'), requests: resourceExpression('requests') },
          'Expressions for calculating the sidecar\'s resources.',
        ),
      },
      "Sizes the sidecar's resources from the target containers' resources at pod creation; not used together with resources.",
      ['targetContainersMode', 'resourcesExpr'],
    ),
  },
};

const updateStrategy = named('SidecarSetUpdateStrategy', object(
  {
    type: oneOfStrings(['RollingUpdate', 'NotUpdate'], 'RollingUpdate (default) upgrades injected sidecars in place; NotUpdate leaves existing pods alone.'),
    paused: bool('Stops the rollout where it is.'),
    selector: k8s(LABEL_SELECTOR, 'Canary: only pods matching this selector are upgraded.'),
    partition: intOrString(
      PERCENT_PATTERN,
      'Number or percentage of matched pods kept on the old revision. A percentage rounds up.',
    ),
    maxUnavailable: intOrString(
      PERCENT_PATTERN,
      'Most pods unavailable because of the upgrade at any time: a number or a percentage of matched pods, rounded up. Defaults to 1.',
    ),
    priorityStrategy: named('UpdatePriorityStrategy', object(
      {
        weightPriority: list(
          object(
            {
              weight: int32('Priority weight; pods matching several terms add their weights.', { minimum: 0, maximum: 100 }),
              matchSelector: k8s(LABEL_SELECTOR, 'Pods this weight applies to.'),
            },
            'A weighted priority term.',
            ['weight', 'matchSelector'],
          ),
          'Pods matching heavier terms are upgraded first.',
        ),
        orderPriority: list(
          object({ orderedKey: str('Label key whose integer value orders pods: larger first.') }, 'An ordering term.', ['orderedKey']),
          'Pods are ordered by these label values, in this order of keys.',
        ),
      },
      'Which pods are upgraded first. Use weightPriority or orderPriority, not both.',
    )),
    scatterStrategy: list(
      named('UpdateScatterTerm', object(
        {
          key: str('Pod label key.'),
          value: str('Pod label value; "*" spreads over every value present.'),
        },
        'A label whose pods are spread across the rollout.',
        ['key', 'value'],
      )),
      'Spreads the upgrade of pods with these labels evenly over the rollout.',
    ),
  },
  'How injected sidecars are upgraded when the SidecarSet changes.',
));

const injectionStrategy = named('SidecarSetInjectionStrategy', object(
  {
    paused: bool('Stops injecting into new pods; already injected pods are left alone.'),
    revision: object(
      {
        customVersion: str('Injects the revision labelled apps.kruise.io/sidecarset-custom-version=<value>.'),
        revisionName: str('Injects the ControllerRevision with this name.'),
        policy: oneOfStrings(['Always', 'Partial'], 'Always (default) injects the pinned revision into every pod; Partial injects it only into pods the rollout has not yet reached.'),
      },
      'Injects a recorded revision instead of the current spec.',
    ),
  },
  'How sidecars are injected into new pods.',
));

const patchPodMetadata = named('SidecarSetPatchPodMetadata', object(
  {
    annotations: stringMap('Annotations to set on the pod.'),
    patchPolicy: oneOfStrings(
      ['Retain', 'Overwrite', 'MergePatchJson'],
      'Retain (default) keeps a value the pod already has; Overwrite replaces it; MergePatchJson merges JSON objects.',
    ),
  },
  'Pod metadata written at injection.',
));

// Seed 002 shows the pre-0.5 spelling `strategy.rollingUpdate.maxUnavailable`; accepting it keeps
// that YAML applicable under kubectl's strict field validation. It has no effect of its own.
const legacyStrategy = object(
  {
    rollingUpdate: object(
      { maxUnavailable: intOrString(PERCENT_PATTERN, 'Deprecated: use spec.updateStrategy.maxUnavailable.') },
      'Deprecated.',
    ),
  },
  'Deprecated spelling of updateStrategy from early OpenKruise releases; use spec.updateStrategy.',
);

export const sidecarSetSpec = object(
  {
    selector: k8s(LABEL_SELECTOR, 'Pods to inject into. Required and non-empty.'),
    namespace: str('Restricts the SidecarSet to pods in this namespace.'),
    namespaceSelector: k8s(LABEL_SELECTOR, "Restricts the SidecarSet to pods in namespaces whose labels match."),
    initContainers: list(
      def('SidecarContainer'),
      'Init containers to inject. One with restartPolicy: Always is a native sidecar. Injected only at pod creation.',
    ),
    containers: list(def('SidecarContainer'), 'Sidecar containers to inject.'),
    volumes: list(k8s('io.k8s.api.core.v1.Volume'), 'Volumes the sidecars mount; a pod volume of the same name wins.'),
    imagePullSecrets: list(k8s('io.k8s.api.core.v1.LocalObjectReference'), 'Pull secrets added to the pod.'),
    updateStrategy,
    injectionStrategy,
    revisionHistoryLimit: int32('How many ControllerRevisions to keep. Defaults to 10.', { minimum: 0 }),
    patchPodMetadata: list(patchPodMetadata, 'Metadata patched onto injected pods.'),
    strategy: legacyStrategy,
  },
  'What to inject, into which pods, and how to roll it out.',
);

export const sidecarSetStatus = object(
  {
    observedGeneration: int64('The spec generation this status describes.'),
    matchedPods: int32('Pods matched by the SidecarSet.'),
    updatedPods: int32('Matched pods whose sidecars are at the latest revision.'),
    readyPods: int32('Matched pods that are ready.'),
    updatedReadyPods: int32('Updated pods that are also ready.'),
    latestRevision: str('Name of the ControllerRevision of the current spec.'),
    collisionCount: int32('Counter used to avoid revision name collisions.'),
  },
  'Observed state of the SidecarSet.',
  ['matchedPods', 'updatedPods', 'readyPods'],
);

export const sidecarSetDefinitions: Record<string, SourceSchema> = {
  SidecarContainer: sidecarContainer,
};

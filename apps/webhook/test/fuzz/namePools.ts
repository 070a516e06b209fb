// The small vocabularies generated SidecarSets and pods draw from. Small on purpose: names, labels
// and volumes collide often, which is where injection goes wrong.

/** Namespaces the suite creates before the webhook starts (so its cache knows their labels). */
export const NAMESPACES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  default: {},
  'fuzz-prod': { env: 'prod', team: 'a' },
  'fuzz-dev': { env: 'dev', team: 'b' },
  'fuzz-plain': {},
};
export const NAMESPACE_NAMES = Object.keys(NAMESPACES);

/** A namespace's labels as the API server has them (it adds kubernetes.io/metadata.name). */
export const namespaceLabels = (namespace: string): Record<string, string> => ({
  ...(NAMESPACES[namespace] ?? {}),
  'kubernetes.io/metadata.name': namespace,
});

export const APP_LABELS = ['web', 'api', 'batch'] as const;
export const TIER_LABELS = ['front', 'back'] as const;

/** Names of the pods' own containers (SidecarSet container names are added per world). */
export const APP_CONTAINER_NAMES = ['app', 'web', 'worker', 'main'] as const;
export const IMAGES = ['busybox:1.36', 'nginx:1.25', 'registry.example/agent:v1'] as const;

/** SidecarSet volumes: one definition per name, so overlapping SidecarSets never disagree on a volume. */
export const SIDECARSET_VOLUMES = {
  logs: { name: 'logs', emptyDir: {} },
  cache: { name: 'cache', emptyDir: { medium: 'Memory' } },
  'agent-config': { name: 'agent-config', configMap: { name: 'agent-config', optional: true } },
  certs: { name: 'certs', secret: { secretName: 'agent-certs', optional: true } },
} as const;
export const SIDECARSET_VOLUME_NAMES = Object.keys(SIDECARSET_VOLUMES) as (keyof typeof SIDECARSET_VOLUMES)[];

/** Pod volumes: some named like SidecarSet volumes (the pod's wins), all emptyDir. */
export const POD_VOLUME_NAMES = ['logs', 'cache', 'data', 'agent-config'] as const;

export const PULL_SECRETS = ['regcred', 'mirror-cred'] as const;
export const ENV_NAMES = ['TZ', 'LANG', 'MODE'] as const;
export const PATCH_ANNOTATION_PREFIX = 'fuzz.example/';

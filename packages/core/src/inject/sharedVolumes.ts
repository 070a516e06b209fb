// shareVolumePolicy / shareVolumeDevicePolicy: a sidecar with type "enabled" also gets every
// volumeMount (volumeDevice) of the pod's app containers, as OpenKruise's
// GetInjectedVolumeMountsAndEnvs does. App containers are the pod's containers not marked injected
// (env IS_INJECTED=true). A mount whose subPathExpr references $(VAR) also brings VAR from that app
// container. Collisions with the sidecar's own mounts are resolved later, by mountPath.
import type { Container, EnvVar, Pod, SidecarContainer, VolumeDevice, VolumeMount } from '@sidecarset/api';

/** Env var name that marks a container as injected by a SidecarSet. */
export const SIDECAR_ENV_KEY = 'IS_INJECTED';

const SUBPATH_EXPR_VAR = /\$\(([-._a-zA-Z][-._a-zA-Z0-9]*)\)/g;

/** The first value of the container's IS_INJECTED variable is "true". */
export const isInjectedContainer = (container: Container): boolean =>
  container.env?.find((env) => env.name === SIDECAR_ENV_KEY)?.value === 'true';

/** The first variable of each name, as Array.find would return it. */
function firstEnvByName(container: Container): Map<string, EnvVar> {
  const byName = new Map<string, EnvVar>();
  for (const env of container.env ?? []) if (!byName.has(env.name)) byName.set(env.name, env);
  return byName;
}

export interface SharedMounts {
  mounts: VolumeMount[];
  /** Variables referenced by the shared mounts' subPathExpr. */
  env: EnvVar[];
}

const NONE: SharedMounts = { mounts: [], env: [] };

export function sharedVolumeMounts(sidecar: SidecarContainer, pod: Pod): SharedMounts {
  if (sidecar.shareVolumePolicy?.type !== 'enabled') return NONE;
  const mounts: VolumeMount[] = [];
  const env: EnvVar[] = [];
  for (const app of pod.spec?.containers ?? []) {
    if (isInjectedContainer(app)) continue;
    let envByName: Map<string, EnvVar> | undefined; // built once per container, on the first $(VAR)
    for (const mount of app.volumeMounts ?? []) {
      mounts.push(mount);
      if (!mount.subPathExpr) continue;
      for (const match of mount.subPathExpr.matchAll(SUBPATH_EXPR_VAR)) {
        envByName ??= firstEnvByName(app);
        const found = envByName.get(match[1]!);
        if (found) env.push(found);
      }
    }
  }
  return { mounts, env };
}

export function sharedVolumeDevices(sidecar: SidecarContainer, pod: Pod): VolumeDevice[] {
  if (sidecar.shareVolumeDevicePolicy?.type !== 'enabled') return [];
  const devices: VolumeDevice[] = [];
  for (const app of pod.spec?.containers ?? []) {
    if (isInjectedContainer(app)) continue;
    for (const device of app.volumeDevices ?? []) devices.push(device);
  }
  return devices;
}

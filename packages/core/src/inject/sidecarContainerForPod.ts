// The container a SidecarContainer becomes in one pod, as OpenKruise's buildSidecars makes it:
// - volumeMounts: its own, then the app containers' (shareVolumePolicy), de-duplicated by mountPath
//   with its own winning; volumeDevices likewise by devicePath (shareVolumeDevicePolicy);
// - env: its own, then IS_INJECTED=true (always appended, as OpenKruise appends it: a sidecar that sets
//   IS_INJECTED itself ends with two variables of that name, and the first one decides whether the
//   container counts as injected), then transferEnv and the variables the shared mounts' subPathExpr
//   need, each added only when no variable of that name is there yet;
// - the SidecarSet-only fields (podInjectPolicy, upgradeStrategy, share*Policy, transferEnv,
//   resourcesPolicy) are dropped. Other fields are shared with the SidecarSet, not copied.
import type { Container, EnvVar, Pod, SidecarContainer } from '@sidecarset/api';
import { mergeByKey } from './mergeByKey.js';
import { SIDECAR_ENV_KEY, sharedVolumeDevices, sharedVolumeMounts } from './sharedVolumes.js';
import { transferredEnv } from './transferEnv.js';

const INJECTED_ENV: EnvVar = Object.freeze({ name: SIDECAR_ENV_KEY, value: 'true' });
const envName = (env: EnvVar): string => env.name;

export function sidecarContainerForPod(sidecar: SidecarContainer, pod: Pod): Container {
  const {
    podInjectPolicy: _podInjectPolicy,
    upgradeStrategy: _upgradeStrategy,
    shareVolumePolicy: _shareVolumePolicy,
    shareVolumeDevicePolicy: _shareVolumeDevicePolicy,
    transferEnv,
    resourcesPolicy: _resourcesPolicy,
    ...container
  } = sidecar;

  const shared = sharedVolumeMounts(sidecar, pod);
  const withMarker = [...(container.env ?? []), INJECTED_ENV];
  const extraEnv = mergeByKey(transferredEnv(transferEnv, pod), shared.env, envName);
  container.env = mergeByKey(withMarker, extraEnv, envName);

  if (shared.mounts.length > 0) {
    container.volumeMounts = mergeByKey(container.volumeMounts ?? [], shared.mounts, (mount) => mount.mountPath);
  }
  const devices = sharedVolumeDevices(sidecar, pod);
  if (devices.length > 0) {
    container.volumeDevices = mergeByKey(container.volumeDevices ?? [], devices, (device) => device.devicePath);
  }
  return container;
}

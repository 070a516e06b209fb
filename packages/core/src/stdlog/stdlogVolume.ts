// Seed 000's stdlog volume and what it becomes on a cluster without its CSI driver.
//
// `csi: {driver: stdlogplugin.csi.alibabacloud.com}` (Alibaba Cloud's virtual nodes) shows the sidecar
// that mounts it the pod's container logs as `<mountPath>/<container>/<restart>.log`. The kubelet keeps
// exactly that layout in its pod log directory: `/var/log/pods/<namespace>_<pod>_<uid>/<container>/
// <restart>.log` (kuberuntime BuildPodLogsDirectory; the kubelet setting podLogsDir moves the root, the
// default is /var/log/pods). So the volume becomes a hostPath of that root, and each mount of it is
// narrowed to the pod's own directory by a subPathExpr over downward-API variables, which the kubelet
// expands with the variables of the container that mounts it.
import type { EnvVar, Volume } from '@sidecarset/api';

export const STDLOG_CSI_DRIVER = 'stdlogplugin.csi.alibabacloud.com';

/** The kubelet's default podLogsDir. */
export const KUBELET_POD_LOGS_DIR = '/var/log/pods';

/** The downward-API variables a sidecar mounting a rewritten stdlog volume gets, in this order. */
export const STDLOG_POD_ENV: readonly { name: string; fieldPath: string }[] = Object.freeze([
  { name: 'SIDECARSET_POD_NAMESPACE', fieldPath: 'metadata.namespace' },
  { name: 'SIDECARSET_POD_NAME', fieldPath: 'metadata.name' },
  { name: 'SIDECARSET_POD_UID', fieldPath: 'metadata.uid' },
]);

/** `<namespace>_<pod>_<uid>`: the pod's own directory under the kubelet's pod log directory. */
export const STDLOG_SUBPATH_EXPR = STDLOG_POD_ENV.map((env) => `$(${env.name})`).join('_');

export const stdlogEnvVar = (env: { name: string; fieldPath: string }): EnvVar => ({
  name: env.name,
  valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: env.fieldPath } },
});

export const isStdlogCsiVolume = (volume: Volume): boolean => volume.csi?.driver === STDLOG_CSI_DRIVER;

/** The volume a stdlog volume named `name` becomes where its CSI driver is not installed. */
export const stdlogHostPathVolume = (name: string): Volume => ({ name, hostPath: { path: KUBELET_POD_LOGS_DIR, type: 'Directory' } });

/** Exactly what stdlogHostPathVolume writes (a pod injected before, injected again). */
export function isStdlogHostPathVolume(volume: Volume): boolean {
  const { name: _name, hostPath, ...others } = volume;
  if (Object.keys(others).length > 0 || !hostPath) return false;
  const keys = Object.keys(hostPath);
  return hostPath.path === KUBELET_POD_LOGS_DIR && hostPath.type === 'Directory' && keys.length === 2;
}

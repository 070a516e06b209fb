// What the mirrors step reads of a pod beyond the rollout's view (rolloutPodView): the names its
// ConfigMap and Secret volumes refer to (a mirror is wanted only where a pod's own spec refers to it)
// and its scheduling gates. Kept small: the controller caches every pod of the cluster.
import type { Pod, Volume } from '@sidecarset/api';

/** A volume reduced to the ConfigMap and Secret names it refers to; undefined when it refers to none. */
function volumeView(volume: Volume): Volume | undefined {
  const view: Volume = { name: volume.name };
  if (volume.configMap) view.configMap = { name: volume.configMap.name ?? '' };
  if (volume.secret) view.secret = { secretName: volume.secret.secretName ?? '' };
  const sources = volume.projected?.sources?.flatMap((s) => [
    ...(s.configMap ? [{ configMap: { name: s.configMap.name ?? '' } }] : []),
    ...(s.secret ? [{ secret: { name: s.secret.name ?? '' } }] : []),
  ]);
  if (sources?.length) view.projected = { sources };
  return view.configMap || view.secret || view.projected ? view : undefined;
}

/** `view` (a trimmed copy of `pod`) with the pod's ConfigMap/Secret volume names and scheduling gates. */
export function withMirrorFields(view: Pod, pod: Pod): Pod {
  const volumes = pod.spec?.volumes?.flatMap((v) => volumeView(v) ?? []);
  const gates = pod.spec?.schedulingGates;
  if (!view.spec || (!volumes?.length && !gates?.length)) return view;
  return { ...view, spec: { ...view.spec, ...(volumes?.length ? { volumes } : {}), ...(gates?.length ? { schedulingGates: gates } : {}) } };
}

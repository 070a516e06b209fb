// Injection step: a SidecarSet's stdlog volume (stdlogVolume.ts) on a cluster without its CSI driver.
// For one SidecarSet being injected into one pod, it returns the SidecarSet spec to inject from:
// - each stdlog volume that a sidecar mounts becomes `hostPath: {path: /var/log/pods, type: Directory}`;
// - every mount of it by a sidecar (initContainers and containers) is readOnly with
//   `subPathExpr: $(SIDECARSET_POD_NAMESPACE)_$(SIDECARSET_POD_NAME)_$(SIDECARSET_POD_UID)` (a subPath or
//   subPathExpr it had goes below that), so the sidecar sees `<mountPath>/<container>/<restart>.log` of
//   this pod only;
// - those three downward-API variables are appended to that sidecar's env. A sidecar that already
//   defines one of them the same way keeps it; one that defines it otherwise (or transfers a variable
//   of that name) is an error naming the field: the kubelet would expand the subPathExpr with it.
// Where the cluster has the CSIDriver (`csiDrivers`), the spec is returned as it is.
//
// The pod's own volumes win over the SidecarSet's (as injection merges them), so a stdlog volume the
// pod declares itself is left alone and so are the mounts of it; a pod volume that is exactly the
// rewritten hostPath (a pod injected before, injected again) is taken as ours, so injecting twice gives
// the same pod. An app container (one no sidecar replaces) mounting the rewritten volume without
// declaring it would see every pod's logs on the node: an error. A namespace whose Pod Security level
// forbids hostPath volumes gets an error naming the SidecarSet, the volume and the level, instead of a
// pod the PodSecurity admission refuses (or, with a policy of its own, one that never starts).
//
// Only the spec used to build containers and volumes changes: hash annotations are computed from the
// SidecarSet as written. Pure; the inputs are never mutated.
import type { EnvVar, FieldError, Pod, SidecarContainer, SidecarSet, Volume, VolumeMount } from '@sidecarset/api';
import { enforcedPodSecurity, podSecurityAllowsHostPath, POD_SECURITY_ENFORCE_LABEL } from './podSecurityLevel.js';
import {
  isStdlogCsiVolume,
  isStdlogHostPathVolume,
  KUBELET_POD_LOGS_DIR,
  STDLOG_CSI_DRIVER,
  STDLOG_POD_ENV,
  STDLOG_SUBPATH_EXPR,
  stdlogEnvVar,
  stdlogHostPathVolume,
} from './stdlogVolume.js';

type SidecarSetSpec = SidecarSet['spec'];
type SidecarList = 'initContainers' | 'containers';

export interface StdlogContext {
  /** The pod's namespace, for messages. */
  namespace: string;
  /** Labels of the pod's namespace: their Pod Security level decides whether hostPath is allowed. */
  namespaceLabels: Readonly<Record<string, string>>;
  /** Names of the cluster's CSIDrivers; absent means none. */
  csiDrivers?: ReadonlySet<string>;
  /** Every container name the injection brings (pod containers of those names are replaced, not kept). */
  sidecarNames: ReadonlySet<string>;
  /** The other SidecarSets injected into the pod with this one: their sidecars may not mount this one's stdlog volume. */
  otherSidecarSets?: readonly { name: string; spec: SidecarSetSpec }[];
}

/** With `sidecarSet` the path is a field of that SidecarSet; without it, a field of the pod. */
export type StdlogError = FieldError & { sidecarSet?: string };

export interface StdlogRewrite {
  /** The spec to inject from: the input itself when nothing is rewritten. */
  spec: SidecarSetSpec;
  /** When non-empty the pod must be denied. */
  errors: StdlogError[];
}

const NO_DRIVERS: ReadonlySet<string> = new Set();

/** The spec's stdlog volumes this cluster has no driver for (index, name). */
function volumesWithoutDriver(spec: SidecarSetSpec, csiDrivers: ReadonlySet<string>): { index: number; name: string }[] {
  const found: { index: number; name: string }[] = [];
  if (csiDrivers.has(STDLOG_CSI_DRIVER)) return found;
  for (const [index, volume] of (spec.volumes ?? []).entries()) if (isStdlogCsiVolume(volume)) found.push({ index, name: volume.name });
  return found;
}

/** Whether injecting this SidecarSet may rewrite a stdlog volume (and so depends on the namespace's Pod Security level). */
export function mayRewriteStdlog(spec: SidecarSetSpec | undefined, csiDrivers: ReadonlySet<string> = NO_DRIVERS): boolean {
  return spec !== undefined && volumesWithoutDriver(spec, csiDrivers).length > 0;
}

const mountsOf = (sidecar: SidecarContainer): VolumeMount[] => sidecar.volumeMounts ?? [];

function sidecarsOf(spec: SidecarSetSpec): { list: SidecarList; index: number; sidecar: SidecarContainer }[] {
  const out: { list: SidecarList; index: number; sidecar: SidecarContainer }[] = [];
  for (const list of ['initContainers', 'containers'] as const) {
    for (const [index, sidecar] of (spec[list] ?? []).entries()) out.push({ list, index, sidecar });
  }
  return out;
}

/** `$` is the expansion operator in a subPathExpr: `$$` keeps one. */
const asExpression = (subPath: string): string => subPath.replaceAll('$', () => '$$');

/** The mount narrowed to the pod's own log directory, read-only. */
function scopedMount(mount: VolumeMount): VolumeMount {
  const { subPath, subPathExpr, ...rest } = mount;
  const below = subPathExpr ? subPathExpr : subPath ? asExpression(subPath) : '';
  return { ...rest, readOnly: true, subPathExpr: below ? `${STDLOG_SUBPATH_EXPR}/${below}` : STDLOG_SUBPATH_EXPR };
}

const sameFieldRef = (env: EnvVar, fieldPath: string): boolean => {
  const ref = env.valueFrom?.fieldRef;
  const onlyFieldRef = env.value === undefined && env.valueFrom !== undefined && Object.keys(env.valueFrom).length === 1;
  return onlyFieldRef && ref?.fieldPath === fieldPath && (ref.apiVersion === undefined || ref.apiVersion === 'v1');
};

/** The sidecar with its mounts of `volumes` scoped and the downward-API variables added; or the fields that clash. */
function scopedSidecar(
  sidecarSet: string,
  sidecar: SidecarContainer,
  at: string,
  volumes: ReadonlySet<string>,
  volumeName: string,
): { sidecar: SidecarContainer; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const env = sidecar.env ?? [];
  const added: EnvVar[] = [];
  for (const wanted of STDLOG_POD_ENV) {
    const uses = `the stdlog rewrite of volume "${volumeName}" of SidecarSet "${sidecarSet}" sets ${wanted.name} to the pod's ${wanted.fieldPath} for its mount's subPathExpr`;
    let present = false;
    for (const [index, own] of env.entries()) {
      if (own.name !== wanted.name) continue;
      if (sameFieldRef(own, wanted.fieldPath)) present = true;
      else errors.push({ path: `${at}.env[${index}]`, type: 'Invalid', value: own.name, reason: `${uses}; this variable of that name would replace it: rename it` });
    }
    for (const [index, transfer] of (sidecar.transferEnv ?? []).entries()) {
      if (transfer.envName === wanted.name || transfer.envNames?.includes(wanted.name)) {
        errors.push({ path: `${at}.transferEnv[${index}]`, type: 'Invalid', value: wanted.name, reason: `${uses}; a transferred variable of that name would be dropped: rename it` });
      }
    }
    if (!present) added.push(stdlogEnvVar(wanted));
  }
  const volumeMounts = mountsOf(sidecar).map((mount) => (volumes.has(mount.name) ? scopedMount(mount) : mount));
  return { sidecar: { ...sidecar, volumeMounts, env: added.length > 0 ? [...env, ...added] : env }, errors };
}

/** Pod containers that stay in the pod (no sidecar replaces them) and mount one of `volumes`. */
function appContainerMounts(pod: Pod, volumes: ReadonlySet<string>, sidecarNames: ReadonlySet<string>, sidecarSet: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const list of ['initContainers', 'containers'] as const) {
    for (const [index, container] of (pod.spec?.[list] ?? []).entries()) {
      if (sidecarNames.has(container.name)) continue;
      for (const [m, mount] of (container.volumeMounts ?? []).entries()) {
        if (!volumes.has(mount.name)) continue;
        errors.push({
          path: `spec.${list}[${index}].volumeMounts[${m}].name`,
          type: 'Forbidden',
          value: mount.name,
          reason:
            `volume "${mount.name}" is SidecarSet "${sidecarSet}"'s stdlog volume, injected as the node's pod log directory ` +
            `(hostPath ${KUBELET_POD_LOGS_DIR}): only that SidecarSet's sidecars may mount it, each narrowed to this pod's logs`,
        });
      }
    }
  }
  return errors;
}

/**
 * Sidecars of other SidecarSets mounting one of `volumes` that their own SidecarSet does not declare as a
 * stdlog volume: after the merge they would mount this one's hostPath unscoped (every pod's logs).
 */
function otherSidecarSetMounts(volumes: ReadonlySet<string>, others: StdlogContext['otherSidecarSets'], sidecarSet: string): StdlogError[] {
  const errors: StdlogError[] = [];
  for (const other of others ?? []) {
    const ownStdlog = new Set((other.spec.volumes ?? []).filter(isStdlogCsiVolume).map((v) => v.name));
    for (const { list, index, sidecar } of sidecarsOf(other.spec)) {
      for (const [m, mount] of mountsOf(sidecar).entries()) {
        if (!volumes.has(mount.name) || ownStdlog.has(mount.name)) continue;
        errors.push({
          sidecarSet: other.name,
          path: `spec.${list}[${index}].volumeMounts[${m}].name`,
          type: 'Forbidden',
          value: mount.name,
          reason:
            `volume "${mount.name}" is SidecarSet "${sidecarSet}"'s stdlog volume, injected as the node's pod log directory ` +
            `(hostPath ${KUBELET_POD_LOGS_DIR}) and narrowed to this pod only for that SidecarSet's sidecars; ` +
            `declare a stdlog volume (csi driver ${STDLOG_CSI_DRIVER}) in SidecarSet "${other.name}" to mount one`,
        });
      }
    }
  }
  return errors;
}

export function rewriteStdlogVolumes(sidecarSet: string, spec: SidecarSetSpec, pod: Pod, ctx: StdlogContext): StdlogRewrite {
  const candidates = volumesWithoutDriver(spec, ctx.csiDrivers ?? NO_DRIVERS);
  if (candidates.length === 0) return { spec, errors: [] };

  const podVolumes = new Map((pod.spec?.volumes ?? []).map((volume) => [volume.name, volume]));
  const sidecars = sidecarsOf(spec);
  const mounted = new Set(sidecars.flatMap(({ sidecar }) => mountsOf(sidecar).map((mount) => mount.name)));
  // Rewritten: mounted by a sidecar, and not a volume of the pod's own (unless it is our hostPath already).
  const rewritten = candidates.filter(({ name }) => {
    const own = podVolumes.get(name);
    return mounted.has(name) && (own === undefined || isStdlogHostPathVolume(own));
  });
  if (rewritten.length === 0) return { spec, errors: [] };

  const enforced = enforcedPodSecurity(ctx.namespaceLabels);
  if (!podSecurityAllowsHostPath(enforced)) {
    const label = enforced.label === enforced.level ? `label ${POD_SECURITY_ENFORCE_LABEL}` : `label ${POD_SECURITY_ENFORCE_LABEL}: "${enforced.label}" is no level, read as restricted`;
    return {
      spec,
      errors: rewritten.map(({ index, name }) => ({
        sidecarSet,
        path: `spec.volumes[${index}]`,
        type: 'Forbidden',
        value: name,
        reason:
          `volume "${name}" of SidecarSet "${sidecarSet}" uses CSI driver ${STDLOG_CSI_DRIVER}, which this cluster does not have, so it would be injected as a ` +
          `hostPath of the kubelet's pod log directory (${KUBELET_POD_LOGS_DIR}); namespace "${ctx.namespace}" enforces Pod Security ` +
          `level "${enforced.level}" (${label}), which forbids hostPath volumes. Install the CSI driver, ` +
          `or keep this SidecarSet to namespaces at level "privileged"`,
      })),
    };
  }

  const names = new Set(rewritten.map(({ name }) => name));
  const errors: StdlogError[] = [];
  const undeclared = new Set([...names].filter((name) => !podVolumes.has(name)));
  if (undeclared.size > 0) errors.push(...appContainerMounts(pod, undeclared, ctx.sidecarNames, sidecarSet), ...otherSidecarSetMounts(undeclared, ctx.otherSidecarSets, sidecarSet));

  const out: SidecarSetSpec = { ...spec };
  out.volumes = (spec.volumes ?? []).map((volume) => (names.has(volume.name) && isStdlogCsiVolume(volume) ? stdlogHostPathVolume(volume.name) : volume));
  for (const list of ['initContainers', 'containers'] as const) {
    const listed = spec[list];
    if (!listed) continue;
    out[list] = listed.map((sidecar, index) => {
      const mountsOne = mountsOf(sidecar).find((mount) => names.has(mount.name));
      if (!mountsOne) return sidecar;
      const scoped = scopedSidecar(sidecarSet, sidecar, `spec.${list}[${index}]`, names, mountsOne.name);
      errors.push(...scoped.errors.map((error) => ({ ...error, sidecarSet })));
      return scoped.sidecar;
    });
  }
  return { spec: out, errors };
}

/**
 * A sidecar as injection gave it to `pod`: with the stdlog rewrite when the pod's volume of a stdlog
 * volume's name is the rewritten hostPath (the rewrite happened), else as it is. For comparing a
 * running pod's containers with its SidecarSet's.
 */
export function stdlogSidecarInPod(sidecar: SidecarContainer, volumes: readonly Volume[] | undefined, pod: Pod): SidecarContainer {
  if (!volumes?.some(isStdlogCsiVolume)) return sidecar;
  const context = { namespace: pod.metadata?.namespace ?? '', namespaceLabels: {}, sidecarNames: new Set([sidecar.name]) };
  const rewrite = rewriteStdlogVolumes('', { containers: [sidecar], volumes: [...volumes] }, pod, context);
  return rewrite.errors.length === 0 ? rewrite.spec.containers![0]! : sidecar;
}

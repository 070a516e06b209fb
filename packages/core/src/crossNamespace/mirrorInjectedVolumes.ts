// Injection step for cross-namespace sources (docs/design/cross-namespace-mirrors.md, "Admission"):
// each volume a SidecarSet brings into the pod that names `NAMESPACE/NAME` is rewritten to refer to
// the source's mirror in the pod's namespace, when a binding in NAMESPACE authorises that SidecarSet
// and object; otherwise the pod is denied, naming what is missing. A pod with spec.nodeName cannot be
// held by a scheduling gate, so it is admitted only once a binding's status.mirrors records the
// mirror in its namespace. The pod's own volumes are never rewritten; one that shadows a SidecarSet
// volume with exactly its rewritten form (a pod made from an injected one) counts as that mirror, so
// injecting twice equals injecting once.
import type { FieldError, SidecarSetResourceBinding, Volume } from '@sidecarset/api';
import { authorisingBindings, missingBindingMessage } from './authorisingBindings.js';
import { volumeSources, type SourceReference } from './crossNamespaceSources.js';
import { jsonEqual } from '../patch/jsonEqual.js';
import { mirrorName } from './mirrorName.js';
import { sameSource, type CrossNamespaceSource } from './source.js';
import { validateSourceRef } from './validateSourceRef.js';

/** Where an injected volume comes from: the SidecarSet and the index in its spec.volumes. */
export interface VolumeOrigin {
  sidecarSet: string;
  index: number;
}

export interface MirrorStepContext {
  /** Every SidecarSetResourceBinding the caller knows (of any namespace). */
  bindings: readonly SidecarSetResourceBinding[];
  /** The pod's namespace: where its mirrors live. */
  namespace: string;
  /** The pod's spec.nodeName, when it has one. */
  nodeName?: string;
}

export interface MirrorError extends FieldError {
  sidecarSet: string;
}

export interface MirrorStepResult {
  /** The volumes, with the injected ones that name a source rewritten; the input when none does. */
  volumes: Volume[];
  /** Sources the pod mounts through mirrors, each once, in volume order. */
  sources: CrossNamespaceSource[];
  errors: MirrorError[];
}

/** A mirror a binding's status.mirrors records (written by the controller through the status subresource). */
interface RecordedMirror {
  kind?: unknown;
  namespace?: unknown;
  name?: unknown;
}

function recordedMirrors(binding: SidecarSetResourceBinding): RecordedMirror[] {
  const mirrors: unknown = (binding.status as { mirrors?: unknown } | undefined)?.mirrors;
  return Array.isArray(mirrors) ? mirrors.filter((m): m is RecordedMirror => typeof m === 'object' && m !== null) : [];
}

/** Whether one of the bindings records the source's mirror in the namespace. */
export function mirrorRecorded(bindings: readonly SidecarSetResourceBinding[], source: CrossNamespaceSource, namespace: string): boolean {
  const name = mirrorName(source);
  return bindings.some((binding) => recordedMirrors(binding).some((m) => m.kind === source.kind && m.namespace === namespace && m.name === name));
}

/** The volume with each referenced name field replaced by its mirror's name. */
function rewriteVolume(volume: Volume, references: readonly SourceReference[]): Volume {
  const mirrorOf = (kind: CrossNamespaceSource['kind'], value: string | undefined): string | undefined => {
    const reference = references.find((r) => r.source.kind === kind && `${r.source.namespace}/${r.source.name}` === value);
    return reference ? mirrorName(reference.source) : value;
  };
  const out: Volume = { ...volume };
  if (volume.configMap) out.configMap = { ...volume.configMap, name: mirrorOf('ConfigMap', volume.configMap.name) };
  if (volume.secret) out.secret = { ...volume.secret, secretName: mirrorOf('Secret', volume.secret.secretName) };
  if (volume.projected?.sources) {
    out.projected = {
      ...volume.projected,
      sources: volume.projected.sources.map((projection) => {
        if (projection.configMap) return { ...projection, configMap: { ...projection.configMap, name: mirrorOf('ConfigMap', projection.configMap.name) } };
        if (projection.secret) return { ...projection, secret: { ...projection.secret, name: mirrorOf('Secret', projection.secret.name) } };
        return projection;
      }),
    };
  }
  return out;
}

export function mirrorInjectedVolumes(volumes: readonly Volume[], origins: ReadonlyMap<Volume, VolumeOrigin>, ctx: MirrorStepContext): MirrorStepResult {
  const sources: CrossNamespaceSource[] = [];
  const errors: MirrorError[] = [];
  let changed = false;
  const out = volumes.map((volume) => {
    const origin = origins.get(volume);
    if (!origin) return volume;
    const references = volumeSources(volume, `spec.volumes[${origin.index}]`);
    if (references.length === 0) return volume;
    for (const { source, path } of references) {
      const shown = `volume "${volume.name}" refers to ${source.kind} ${source.namespace}/${source.name}`;
      // A SidecarSet stored before our webhook (from OpenKruise) may hold one no mirror can be named after.
      const invalid = validateSourceRef(`${source.namespace}/${source.name}`, path);
      if (invalid.length > 0) {
        errors.push({ ...invalid[0]!, sidecarSet: origin.sidecarSet });
        continue;
      }
      const bindings = authorisingBindings(ctx.bindings, origin.sidecarSet, source);
      if (bindings.length === 0) {
        errors.push({ sidecarSet: origin.sidecarSet, path, type: 'Forbidden', reason: `${shown}, but ${missingBindingMessage(origin.sidecarSet, source)}` });
        continue;
      }
      if (ctx.nodeName && !mirrorRecorded(bindings, source, ctx.namespace)) {
        errors.push({
          sidecarSet: origin.sidecarSet,
          path,
          type: 'Forbidden',
          reason: `${shown}, whose mirror ${mirrorName(source)} in namespace ${ctx.namespace} is not ready yet; a pod with spec.nodeName bypasses the scheduler, so it cannot wait for its mirror behind the scheduling gate (the kubelet would start it without the volume, or with whatever object then has that name): create it without spec.nodeName (e.g. with nodeSelector kubernetes.io/hostname), or once a pod of this SidecarSet scheduled the usual way has had the mirror made in this namespace`,
        });
        continue;
      }
      if (!sources.some((s) => sameSource(s, source))) sources.push(source);
    }
    changed = true;
    return rewriteVolume(volume, references);
  });
  sources.push(...shadowedSources(volumes, origins, ctx).filter((source) => !sources.some((s) => sameSource(s, source))));
  return { volumes: changed ? out : (volumes as Volume[]), sources, errors };
}

/** Sources of SidecarSet volumes that a pod volume of the same name, equal to their rewritten form, shadows; only authorised ones. */
function shadowedSources(volumes: readonly Volume[], origins: ReadonlyMap<Volume, VolumeOrigin>, ctx: MirrorStepContext): CrossNamespaceSource[] {
  const present = new Set(volumes);
  const byName = new Map(volumes.map((v) => [v.name, v]));
  const sources: CrossNamespaceSource[] = [];
  for (const [volume, origin] of origins) {
    if (present.has(volume)) continue;
    const shadow = byName.get(volume.name);
    if (!shadow || origins.has(shadow)) continue;
    const references = volumeSources(volume, `spec.volumes[${origin.index}]`);
    if (references.length === 0 || !jsonEqual(shadow, rewriteVolume(volume, references))) continue;
    for (const { source } of references) {
      if (authorisingBindings(ctx.bindings, origin.sidecarSet, source).length > 0 && !sources.some((s) => sameSource(s, source))) sources.push(source);
    }
  }
  return sources;
}

// Every write of the mirrors step: mirrors (ConfigMaps, Secrets) in pods' namespaces, the status and
// finalizer of bindings, and the scheduling gate of pods. Errors about Secrets are rewritten to carry
// no text from the API server (its messages may quote what was sent), so that no Secret data can
// reach a log line through an error.
import type { KubeConfig } from '@kubernetes/client-node';
import {
  errorFromStatus,
  isKubernetesApiError,
  requestJson,
  SidecarSetResourceBindingClient,
  type Pod,
  type PodSchedulingGate,
  type SidecarSetResourceBinding,
  type SidecarSetResourceBindingStatus,
} from '@sidecarset/api';
import type { MirrorObject } from './mirrorObject.js';
import type { MirrorRef } from './wantedMirrors.js';

/** Finalizer on a binding: its mirrors are deleted before it goes (their UIDs are in its status). */
export const MIRRORS_FINALIZER = 'sidecarset.dev/mirrors';

export interface MirrorWriter {
  createMirror(mirror: MirrorObject): Promise<MirrorObject>;
  getMirror(ref: MirrorRef): Promise<MirrorObject>;
  /** PUT at the UID and resourceVersion given in `mirror.metadata`. */
  replaceMirror(mirror: MirrorObject): Promise<MirrorObject>;
  /** Deletes the object only if its UID is `uid` (never one that took the name since). */
  deleteMirror(ref: MirrorRef, uid: string): Promise<void>;
  updateBindingStatus(binding: SidecarSetResourceBinding, status: SidecarSetResourceBindingStatus): Promise<SidecarSetResourceBinding>;
  /** Adds or removes MIRRORS_FINALIZER, guarded by the binding's resourceVersion. */
  setBindingFinalizer(binding: SidecarSetResourceBinding, present: boolean): Promise<void>;
  /** Replaces the pod's scheduling gates with `gates`, if they still are what the cache saw. */
  setSchedulingGates(pod: Pod, gates: PodSchedulingGate[]): Promise<void>;
}

const collection = (kind: string, namespace: string) => `/api/v1/namespaces/${encodeURIComponent(namespace)}/${kind === 'Secret' ? 'secrets' : 'configmaps'}`;

/** The error with the API server's code and reason only, when it is about a Secret. */
function withoutServerText(kind: string, what: string, error: unknown): unknown {
  if (kind !== 'Secret' || !isKubernetesApiError(error)) return error;
  return errorFromStatus({ apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', code: error.code, reason: error.reason, message: `${error.reason} (HTTP ${error.code}) ${what}` });
}

export function apiServerMirrorWriter(kubeConfig: KubeConfig, countWrite: (kind: string) => void = () => {}): MirrorWriter {
  const bindings = new SidecarSetResourceBindingClient(kubeConfig);
  const guarded = async <T>(kind: string, what: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw withoutServerText(kind, what, error);
    }
  };
  return {
    createMirror(mirror) {
      countWrite(`mirror-${mirror.kind}`);
      const { namespace = '', name = '' } = mirror.metadata ?? {};
      return guarded(mirror.kind ?? '', `creating ${mirror.kind} ${namespace}/${name}`, () => requestJson<MirrorObject>(kubeConfig, 'POST', collection(mirror.kind ?? '', namespace), {}, mirror));
    },
    getMirror(ref) {
      return guarded(ref.kind, `reading ${ref.kind} ${ref.namespace}/${ref.name}`, () => requestJson<MirrorObject>(kubeConfig, 'GET', `${collection(ref.kind, ref.namespace)}/${encodeURIComponent(ref.name)}`));
    },
    replaceMirror(mirror) {
      countWrite(`mirror-${mirror.kind}`);
      const { namespace = '', name = '' } = mirror.metadata ?? {};
      return guarded(mirror.kind ?? '', `updating ${mirror.kind} ${namespace}/${name}`, () =>
        requestJson<MirrorObject>(kubeConfig, 'PUT', `${collection(mirror.kind ?? '', namespace)}/${encodeURIComponent(name)}`, {}, mirror),
      );
    },
    async deleteMirror(ref, uid) {
      countWrite(`mirror-${ref.kind}`);
      await guarded(ref.kind, `deleting ${ref.kind} ${ref.namespace}/${ref.name}`, () =>
        requestJson(kubeConfig, 'DELETE', `${collection(ref.kind, ref.namespace)}/${encodeURIComponent(ref.name)}`, {}, { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid } }),
      );
    },
    updateBindingStatus(binding, status) {
      countWrite('binding-status');
      return bindings.updateStatus(binding.metadata?.namespace ?? '', { ...binding, status });
    },
    async setBindingFinalizer(binding, present) {
      countWrite('binding-finalizer');
      const others = (binding.metadata?.finalizers ?? []).filter((f) => f !== MIRRORS_FINALIZER);
      const finalizers = present ? [...others, MIRRORS_FINALIZER] : others;
      const path = `/apis/sidecarset.alibabacloud.com/v1alpha1/namespaces/${encodeURIComponent(binding.metadata?.namespace ?? '')}/sidecarsetresourcebindings/${encodeURIComponent(binding.metadata?.name ?? '')}`;
      await requestJson(kubeConfig, 'PATCH', path, {}, { metadata: { resourceVersion: binding.metadata?.resourceVersion, finalizers } }, 'application/merge-patch+json');
    },
    async setSchedulingGates(pod, gates) {
      countWrite('pod-scheduling-gate');
      const path = `/api/v1/namespaces/${encodeURIComponent(pod.metadata?.namespace ?? '')}/pods/${encodeURIComponent(pod.metadata?.name ?? '')}`;
      const patch = [
        { op: 'test', path: '/spec/schedulingGates', value: pod.spec?.schedulingGates ?? [] },
        gates.length > 0 ? { op: 'replace', path: '/spec/schedulingGates', value: gates } : { op: 'remove', path: '/spec/schedulingGates' },
      ];
      await requestJson(kubeConfig, 'PATCH', path, {}, patch, 'application/json-patch+json');
    },
  };
}

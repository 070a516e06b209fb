// POST /mutate-pods: injects the matching SidecarSets into a pod being created.
import type { Pod } from '@sidecarset/api';
import { injectPod } from '@sidecarset/core';
import type { FastifyInstance } from 'fastify';
import { allow, allowWithPatch, denyInvalid } from '../admission/admissionReview.js';
import { admissionRoute, type AdmissionRouteDeps } from '../admission/handleAdmission.js';

export interface MutatePodsDeps extends AdmissionRouteDeps {
  now?: () => Date;
}

export function mutatePodsRoute(app: FastifyInstance, deps: MutatePodsDeps): void {
  const now = deps.now ?? (() => new Date());
  admissionRoute(app, '/mutate-pods', deps, (request) => {
    // Only pod creation injects; updates, deletes and subresources (status, binding...) pass.
    if (request.operation !== 'CREATE' || request.subResource) return { response: allow(request.uid) };
    const pod = request.object as Pod;
    const namespace = pod.metadata?.namespace || request.namespace || 'default';
    const result = injectPod(pod, deps.caches.sidecarSets(), {
      namespace,
      namespaceLabels: deps.caches.namespaceLabels(namespace) ?? { 'kubernetes.io/metadata.name': namespace },
      revisions: deps.caches.revisions(),
      now: now().toISOString(),
    });
    const podName = pod.metadata?.name || `${pod.metadata?.generateName ?? ''}*`;
    const log = { pod: podName, injected: result.injected, skipped: result.skipped.map((s) => `${s.sidecarSet}: ${s.reason}`) };
    for (const name of result.injected) deps.metrics.injected.inc({ sidecarset: name });
    for (const skip of result.skipped) deps.metrics.skipped.inc({ reason: skip.reason });
    if (result.errors.length > 0) {
      return { response: denyInvalid(request.uid, { group: '', kind: 'Pod', name: podName }, result.errors), log };
    }
    return { response: allowWithPatch(request.uid, result.patch), log };
  });
}

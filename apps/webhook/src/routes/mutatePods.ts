// POST /mutate-pods: injects the matching SidecarSets into a pod being created.
import type { Pod } from '@sidecarset/api';
import { injectPod, mayRewriteStdlog, type InjectionError } from '@sidecarset/core';
import type { FastifyInstance } from 'fastify';
import { allow, allowWithPatch, deny, denyInvalid } from '../admission/admissionReview.js';
import { admissionRoute, type AdmissionRouteDeps } from '../admission/handleAdmission.js';
import { podShapeDenial } from '../admission/objectShape.js';
import type { WebhookCaches } from '../caches.js';

export interface MutatePodsDeps extends AdmissionRouteDeps {
  now?: () => Date;
  /**
   * Numbers in [0, 1), as OpenKruise's rand.Float64(): drawn per pod and SidecarSet for
   * injectionStrategy.revision.policy Partial with a percentage partition. Math.random by default.
   */
  random?: () => number;
}

type LabelsOutcome = { ok: true; labels: Record<string, string> } | { ok: false; message: string };

/**
 * The labels namespaceSelectors are matched against, and whose Pod Security level decides a stdlog
 * volume's rewrite. A namespace the watch has not delivered yet is looked up (only when some SidecarSet
 * has a namespaceSelector or a stdlog volume to rewrite), never guessed.
 */
async function namespaceLabelsFor(caches: WebhookCaches, namespace: string, csiDrivers: ReadonlySet<string>): Promise<LabelsOutcome> {
  const cached = caches.namespaceLabels(namespace);
  if (cached) return { ok: true, labels: cached };
  const nameOnly = { 'kubernetes.io/metadata.name': namespace };
  if (!caches.sidecarSets().some((s) => s.spec?.namespaceSelector || mayRewriteStdlog(s.spec, csiDrivers))) return { ok: true, labels: nameOnly };
  const found = await caches.lookupNamespaceLabels(namespace);
  if (found.ok) return found;
  return { ok: false, message: `sidecarset webhook cannot read the labels of namespace "${namespace.slice(0, 63)}" (${found.reason}), which a SidecarSet's namespaceSelector or stdlog volume needs; retry shortly` };
}

/** SidecarSet-side problems name the SidecarSet; the pod is not at fault, so they are not "Pod is invalid". */
function sidecarSetDenialMessage(errors: readonly InjectionError[]): string {
  const lines = errors.map((e) => `SidecarSet "${e.sidecarSet}" ${e.path}: ${e.reason}`);
  return `pod not created: ${lines.join('; ')}`;
}

/**
 * Pod reviews are CREATEs only: one object, which the API server takes in requests of at most 3 MiB
 * (--max-request-bytes), plus the review around it. A larger body comes from no API server, and
 * reading one costs tens of milliseconds of CPU.
 */
const MAX_WARNINGS = 8;
const WARNING_LIMIT = 512;

export const POD_REVIEW_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

export function mutatePodsRoute(app: FastifyInstance, deps: MutatePodsDeps): void {
  const now = deps.now ?? (() => new Date());
  const random = deps.random ?? Math.random;
  admissionRoute(app, '/mutate-pods', deps, async (request) => {
    // Only pod creation injects; updates, deletes and subresources (status, binding...) pass.
    if (request.operation !== 'CREATE' || request.subResource) return { response: allow(request.uid) };
    // Before any rule reads it: a field of the wrong type is a field error, not an exception.
    const shapeDenial = podShapeDenial(request.uid, request.object);
    if (shapeDenial) return { response: shapeDenial };
    const pod = request.object as Pod;
    // The request's namespace is the API server's; the pod's own field is what its author wrote.
    const namespace = request.namespace || pod.metadata?.namespace || 'default';
    const csiDrivers = deps.caches.csiDrivers();
    const labels = await namespaceLabelsFor(deps.caches, namespace, csiDrivers);
    if (!labels.ok) return { response: deny(request.uid, labels.message, 503, 'ServiceUnavailable') };
    const result = injectPod(pod, deps.caches.sidecarSets(), {
      namespace,
      namespaceLabels: labels.labels,
      revisions: deps.caches.revisions(),
      now: now().toISOString(),
      draw: random,
      csiDrivers,
      bindings: deps.caches.bindings(),
      nodeVersions: deps.caches.nodeVersions(),
    });
    const podName = pod.metadata?.name || `${pod.metadata?.generateName ?? ''}*`;
    const log = { pod: podName, injected: result.injected, skipped: result.skipped.map((s) => `${s.sidecarSet}: ${s.code}`) };
    for (const name of result.injected) deps.metrics.injected.inc({ sidecarset: name });
    for (const skip of result.skipped) deps.metrics.skipped.inc({ reason: skip.code });
    const sidecarSetErrors = result.errors.filter((e) => e.sidecarSet !== undefined);
    if (sidecarSetErrors.length > 0) return { response: deny(request.uid, sidecarSetDenialMessage(sidecarSetErrors), 422, 'Invalid'), log };
    if (result.errors.length > 0) {
      return { response: denyInvalid(request.uid, { group: '', kind: 'Pod', name: podName }, result.errors), log };
    }
    // The API server passes warnings to the client (kubectl prints them); a few, each bounded.
    const warnings = result.warnings.slice(0, MAX_WARNINGS).map((w) => w.slice(0, WARNING_LIMIT));
    return { response: allowWithPatch(request.uid, result.patch, warnings), log: warnings.length > 0 ? { ...log, warnings } : log };
  }, POD_REVIEW_BODY_LIMIT_BYTES);
}

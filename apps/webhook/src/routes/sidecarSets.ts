// POST /mutate-sidecarsets applies defaults and the hash annotations; POST /validate-sidecarsets
// rejects an invalid SidecarSet, one that conflicts with another SidecarSet, or one patching pod
// annotations the patchPodMetadata whitelist does not allow it (on CREATE and every UPDATE, as
// OpenKruise), before it is stored. One naming another namespace's ConfigMap or Secret that no
// SidecarSetResourceBinding authorises yet is admitted with a warning saying which binding it lacks.
import type { SidecarSet } from '@sidecarset/api';
import { admitInVersion, internalView, jsonPatch, unauthorisedSourceWarnings, validatePatchMetadataWhitelist, validateSidecarSet } from '@sidecarset/core';
import type { FastifyInstance } from 'fastify';
import { allow, allowWithPatch, denyInvalid } from '../admission/admissionReview.js';
import { admissionRoute, type AdmissionRouteDeps } from '../admission/handleAdmission.js';
import { crdShapeDenial, oldObjectDenial, warmShapeChecks } from '../admission/objectShape.js';

const MUTATED_OPERATIONS = new Set(['CREATE', 'UPDATE']);

/** The CRD schema a review's object is checked against: the one of the version it was written in. */
const shapeOf = (object: unknown): 'SidecarSet' | 'SidecarSet/v1beta1' =>
  (object as { apiVersion?: unknown } | null)?.apiVersion === 'apps.kruise.io/v1beta1' ? 'SidecarSet/v1beta1' : 'SidecarSet';

export function sidecarSetRoutes(app: FastifyInstance, deps: AdmissionRouteDeps): void {
  warmShapeChecks(['SidecarSet', 'SidecarSet/v1beta1']);
  admissionRoute(app, '/mutate-sidecarsets', deps, (request) => {
    if (!MUTATED_OPERATIONS.has(request.operation) || request.subResource) return { response: allow(request.uid) };
    // This runs before the API server applies the CRD schema: check the shape before defaulting it.
    const shapeDenial = crdShapeDenial(request.uid, shapeOf(request.object), request.object);
    if (shapeDenial) return { response: shapeDenial };
    // Registered for both versions: each object is defaulted in the version it was written in.
    const original = request.object as SidecarSet;
    return { response: allowWithPatch(request.uid, jsonPatch(original, admitInVersion(original) as SidecarSet)), log: { sidecarSet: original.metadata?.name } };
  });

  admissionRoute(app, '/validate-sidecarsets', deps, (request) => {
    if (!MUTATED_OPERATIONS.has(request.operation) || request.subResource) return { response: allow(request.uid) };
    const shapeDenial = crdShapeDenial(request.uid, shapeOf(request.object), request.object) ?? oldObjectDenial(request.uid, request.operation, request.oldObject);
    if (shapeDenial) return { response: shapeDenial };
    // The rules read the core's v1alpha1 shape: a v1beta1 object through its v1alpha1 view.
    const next = internalView(request.object);
    const previous = request.operation === 'UPDATE' ? internalView(request.oldObject) : undefined;
    const name = next.metadata?.name;
    const others = deps.caches.sidecarSets().filter((s) => s.metadata?.name !== name);
    const errors = [...validateSidecarSet(next, previous, others, deps.caches.revisions()), ...validatePatchMetadataWhitelist(next, deps.caches.patchMetadataWhitelist())];
    const log = { sidecarSet: name, errors: errors.length };
    if (errors.length) return { response: denyInvalid(request.uid, { group: 'apps.kruise.io', kind: 'SidecarSet', name: name ?? '' }, errors), log };
    const warnings = unauthorisedSourceWarnings(next, deps.caches.bindings());
    return { response: allow(request.uid, warnings), log: warnings.length ? { ...log, unauthorisedSources: warnings.length } : log };
  });
}

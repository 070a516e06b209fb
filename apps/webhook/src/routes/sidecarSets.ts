// POST /mutate-sidecarsets applies defaults and the hash annotations; POST /validate-sidecarsets
// rejects an invalid SidecarSet, one that conflicts with another SidecarSet, or one patching pod
// annotations the patchPodMetadata whitelist does not allow it (on CREATE and every UPDATE, as
// OpenKruise), before it is stored. One naming another namespace's ConfigMap or Secret that no
// SidecarSetResourceBinding authorises yet is admitted with a warning saying which binding it lacks.
import type { SidecarSet } from '@sidecarset/api';
import { admitSidecarSet, jsonPatch, unauthorisedSourceWarnings, validatePatchMetadataWhitelist, validateSidecarSet } from '@sidecarset/core';
import type { FastifyInstance } from 'fastify';
import { allow, allowWithPatch, denyInvalid } from '../admission/admissionReview.js';
import { admissionRoute, type AdmissionRouteDeps } from '../admission/handleAdmission.js';
import { crdShapeDenial, oldObjectDenial, warmShapeChecks } from '../admission/objectShape.js';

const MUTATED_OPERATIONS = new Set(['CREATE', 'UPDATE']);

export function sidecarSetRoutes(app: FastifyInstance, deps: AdmissionRouteDeps): void {
  warmShapeChecks(['SidecarSet']);
  admissionRoute(app, '/mutate-sidecarsets', deps, (request) => {
    if (!MUTATED_OPERATIONS.has(request.operation) || request.subResource) return { response: allow(request.uid) };
    // This runs before the API server applies the CRD schema: check the shape before defaulting it.
    const shapeDenial = crdShapeDenial(request.uid, 'SidecarSet', request.object);
    if (shapeDenial) return { response: shapeDenial };
    const original = request.object as SidecarSet;
    return { response: allowWithPatch(request.uid, jsonPatch(original, admitSidecarSet(original))), log: { sidecarSet: original.metadata?.name } };
  });

  admissionRoute(app, '/validate-sidecarsets', deps, (request) => {
    if (!MUTATED_OPERATIONS.has(request.operation) || request.subResource) return { response: allow(request.uid) };
    const shapeDenial = crdShapeDenial(request.uid, 'SidecarSet', request.object) ?? oldObjectDenial(request.uid, request.operation, request.oldObject);
    if (shapeDenial) return { response: shapeDenial };
    const next = request.object as SidecarSet;
    const previous = request.operation === 'UPDATE' ? (request.oldObject as SidecarSet) : undefined;
    const name = next.metadata?.name;
    const others = deps.caches.sidecarSets().filter((s) => s.metadata?.name !== name);
    const errors = [...validateSidecarSet(next, previous, others, deps.caches.revisions()), ...validatePatchMetadataWhitelist(next, deps.caches.patchMetadataWhitelist())];
    const log = { sidecarSet: name, errors: errors.length };
    if (errors.length) return { response: denyInvalid(request.uid, { group: 'apps.kruise.io', kind: 'SidecarSet', name: name ?? '' }, errors), log };
    const warnings = unauthorisedSourceWarnings(next, deps.caches.bindings());
    return { response: allow(request.uid, warnings), log: warnings.length ? { ...log, unauthorisedSources: warnings.length } : log };
  });
}

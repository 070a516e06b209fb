// POST /validate-resourcebindings: rejects a SidecarSetResourceBinding that cannot mean anything.
import type { SidecarSetResourceBinding } from '@sidecarset/api';
import { validateResourceBinding } from '@sidecarset/core';
import type { FastifyInstance } from 'fastify';
import { allow, denyInvalid } from '../admission/admissionReview.js';
import { admissionRoute, type AdmissionRouteDeps } from '../admission/handleAdmission.js';
import { crdShapeDenial, warmShapeChecks } from '../admission/objectShape.js';

export function resourceBindingRoutes(app: FastifyInstance, deps: AdmissionRouteDeps): void {
  warmShapeChecks(['SidecarSetResourceBinding']);
  admissionRoute(app, '/validate-resourcebindings', deps, (request) => {
    if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return { response: allow(request.uid) };
    const shapeDenial = crdShapeDenial(request.uid, 'SidecarSetResourceBinding', request.object);
    if (shapeDenial) return { response: shapeDenial };
    const binding = request.object as SidecarSetResourceBinding;
    const errors = validateResourceBinding(binding);
    const what = { group: 'sidecarset.alibabacloud.com', kind: 'SidecarSetResourceBinding', name: binding.metadata?.name ?? '' };
    return errors.length ? { response: denyInvalid(request.uid, what, errors) } : { response: allow(request.uid) };
  });
}

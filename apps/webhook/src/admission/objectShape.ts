// The object of a review is checked against its shape before any rule reads it: /mutate-sidecarsets
// runs before the API server applies the CRD schema, and anyone who reaches the port can send any
// JSON, so a field of the wrong type is answered with field errors, never with an exception.
// SidecarSets and bindings are checked against the CRD schema the API package ships (as the API
// server would check them); pods against the shape injection reads (podShapeErrors in the core).
import { validateAgainstCrd, type AdmissionResponse, type ValidatedKind } from '@sidecarset/api';
import { podShapeErrors } from '@sidecarset/core';
import { deny, denyInvalid } from './admissionReview.js';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const nameOf = (object: unknown): string => {
  const name = isObject(object) && isObject(object.metadata) ? object.metadata.name : undefined;
  return typeof name === 'string' ? name : '';
};

const GROUPS: Record<ValidatedKind, string> = { SidecarSet: 'apps.kruise.io', 'SidecarSet/v1beta1': 'apps.kruise.io', SidecarSetResourceBinding: 'sidecarset.alibabacloud.com' };

/** Compiles the schema validators now, so the first review does not wait for it (about a second). */
export function warmShapeChecks(kinds: readonly ValidatedKind[]): void {
  for (const kind of kinds) validateAgainstCrd(kind, {});
}

/** A denial when `object` (request.object) does not have the CRD's shape, or undefined when it does. */
export function crdShapeDenial(uid: string, kind: ValidatedKind, object: unknown): AdmissionResponse | undefined {
  if (!isObject(object)) return deny(uid, `request.object must be a ${kind} object`, 400, 'BadRequest');
  const errors = validateAgainstCrd(kind, object);
  return errors.length === 0 ? undefined : denyInvalid(uid, { group: GROUPS[kind], kind: kind.split('/')[0]!, name: nameOf(object) }, errors);
}

/**
 * A denial when an UPDATE's oldObject is not an object. It is the stored object, which the API server
 * validated when it was written (perhaps under another schema: it is not checked against ours, so an
 * object stored before can always be fixed); the rules read it defensively.
 */
export function oldObjectDenial(uid: string, operation: string, oldObject: unknown): AdmissionResponse | undefined {
  if (operation !== 'UPDATE' || isObject(oldObject)) return undefined;
  return deny(uid, 'request.oldObject must be the stored object on UPDATE', 400, 'BadRequest');
}

/** A denial when the pod's fields that injection reads have the wrong type, or undefined. */
export function podShapeDenial(uid: string, object: unknown): AdmissionResponse | undefined {
  if (!isObject(object)) return deny(uid, 'request.object must be a Pod object', 400, 'BadRequest');
  const errors = podShapeErrors(object);
  return errors.length === 0 ? undefined : denyInvalid(uid, { group: '', kind: 'Pod', name: nameOf(object) }, errors);
}

// Reading AdmissionReview requests and writing their responses (admission.k8s.io/v1). A body that
// is not a v1 AdmissionReview with a request is a client error, answered with HTTP 400 and why.
import type { AdmissionRequest, AdmissionResponse, AdmissionReview, FieldError, StatusCause } from '@sidecarset/api';
import { quoted, shortText } from './logSafe.js';

export class MalformedReviewError extends Error {}

/** Longer than any uid the API server writes (a UUID): such a review is not one. */
const UID_MAX = 128;

export function readAdmissionRequest(body: unknown): AdmissionRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new MalformedReviewError('body must be a JSON AdmissionReview object');
  const review = body as AdmissionReview;
  // Messages quote what the caller sent only as a short prefix (see logSafe.ts).
  if (review.apiVersion !== 'admission.k8s.io/v1') {
    throw new MalformedReviewError(`apiVersion must be admission.k8s.io/v1, got ${quoted(review.apiVersion)}`);
  }
  if (review.kind !== 'AdmissionReview') throw new MalformedReviewError(`kind must be AdmissionReview, got ${quoted(review.kind)}`);
  const request: unknown = review.request;
  if (typeof request !== 'object' || request === null || Array.isArray(request)) throw new MalformedReviewError('request is missing');
  const fields = request as Record<string, unknown>;
  if (typeof fields.uid !== 'string' || fields.uid === '') throw new MalformedReviewError('request.uid is missing');
  if (fields.uid.length > UID_MAX) throw new MalformedReviewError(`request.uid must be at most ${UID_MAX} characters`);
  if (typeof fields.operation !== 'string') throw new MalformedReviewError('request.operation is missing');
  for (const field of ['name', 'namespace', 'subResource'] as const) {
    if (fields[field] !== undefined && fields[field] !== null && typeof fields[field] !== 'string') {
      throw new MalformedReviewError(`request.${field} must be a string, got ${quoted(fields[field])}`);
    }
  }
  return request as AdmissionRequest;
}

export const reviewOf = (response: AdmissionResponse): AdmissionReview => ({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  response,
});

export const allow = (uid: string, warnings?: string[]): AdmissionResponse => ({ uid, allowed: true, ...(warnings?.length ? { warnings } : {}) });

export function allowWithPatch(uid: string, patch: readonly unknown[], warnings?: string[]): AdmissionResponse {
  if (patch.length === 0) return allow(uid, warnings);
  return { uid, allowed: true, patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(patch)).toString('base64'), ...(warnings?.length ? { warnings } : {}) };
}

/** Denial with a plain message (the API server shows it to the client as is). */
export const deny = (uid: string, message: string, code = 403, reason = 'Forbidden'): AdmissionResponse => ({
  uid,
  allowed: false,
  status: { status: 'Failure', code, reason, message },
});

/** What an invalid-object denial is about, as the API server names it. */
export interface InvalidObject {
  group: string;
  kind: string;
  name: string;
}

/** Field errors listed in one denial; the count of the others follows. */
export const DENIAL_ERRORS_MAX = 100;
const PATH_MAX = 256;
const REASON_MAX = 1024;

/**
 * Denial listing field errors the way the API server reports an invalid object (kubectl prints it
 * alike). Bounded, whatever the object: at most DENIAL_ERRORS_MAX errors, each path and reason cut
 * short (a path holds map keys and a reason may quote a value, both written by the caller).
 */
export function denyInvalid(uid: string, object: InvalidObject, errors: readonly FieldError[]): AdmissionResponse {
  const shown = errors.slice(0, DENIAL_ERRORS_MAX).map((e) => ({ ...e, path: shortText(e.path, PATH_MAX), reason: shortText(e.reason, REASON_MAX) }));
  const causes: StatusCause[] = shown.map((e) => ({ field: e.path, message: e.reason, reason: `FieldValue${e.type}` }));
  const list = shown.map((e) => `${e.path}: ${e.reason}`);
  if (errors.length > shown.length) list.push(`and ${errors.length - shown.length} more errors`);
  object = { ...object, name: shortText(object.name, 253) };
  const qualifiedKind = object.group ? `${object.kind}.${object.group}` : object.kind;
  return {
    uid,
    allowed: false,
    status: {
      status: 'Failure',
      code: 422,
      reason: 'Invalid',
      message: `${qualifiedKind} "${object.name}" is invalid: ${list.length === 1 ? list[0] : `[${list.join(', ')}]`}`,
      details: { group: object.group, kind: object.kind, name: object.name, causes },
    },
  };
}

// Reading AdmissionReview requests and writing their responses (admission.k8s.io/v1). A body that
// is not a v1 AdmissionReview with a request is a client error, answered with HTTP 400 and why.
import type { AdmissionRequest, AdmissionResponse, AdmissionReview, FieldError, StatusCause } from '@sidecarset/api';

export class MalformedReviewError extends Error {}

export function readAdmissionRequest(body: unknown): AdmissionRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new MalformedReviewError('body must be a JSON AdmissionReview object');
  const review = body as AdmissionReview;
  if (review.apiVersion !== 'admission.k8s.io/v1') {
    throw new MalformedReviewError(`apiVersion must be admission.k8s.io/v1, got ${JSON.stringify(review.apiVersion)}`);
  }
  if (review.kind !== 'AdmissionReview') throw new MalformedReviewError(`kind must be AdmissionReview, got ${JSON.stringify(review.kind)}`);
  const request = review.request;
  if (typeof request !== 'object' || request === null) throw new MalformedReviewError('request is missing');
  if (typeof request.uid !== 'string' || request.uid === '') throw new MalformedReviewError('request.uid is missing');
  if (typeof request.operation !== 'string') throw new MalformedReviewError('request.operation is missing');
  return request;
}

export const reviewOf = (response: AdmissionResponse): AdmissionReview => ({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  response,
});

export const allow = (uid: string, warnings?: string[]): AdmissionResponse => ({ uid, allowed: true, ...(warnings?.length ? { warnings } : {}) });

export function allowWithPatch(uid: string, patch: readonly unknown[]): AdmissionResponse {
  if (patch.length === 0) return allow(uid);
  return { uid, allowed: true, patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(patch)).toString('base64') };
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

/** Denial listing field errors the way the API server reports an invalid object (kubectl prints it alike). */
export function denyInvalid(uid: string, object: InvalidObject, errors: readonly FieldError[]): AdmissionResponse {
  const causes: StatusCause[] = errors.map((e) => ({ field: e.path, message: e.reason, reason: `FieldValue${e.type}` }));
  const list = errors.map((e) => `${e.path}: ${e.reason}`);
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

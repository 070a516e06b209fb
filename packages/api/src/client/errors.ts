// Errors every client method throws: one class per thing a caller may want to act on
// (retry, create instead of update, re-read and try again, show field errors, relist).
import type { Status } from '../generated/index.js';

/** A field-level problem reported by the API server in a 422 Status's `details.causes`. */
export interface StatusCauseDetail {
  /** As the server writes it, e.g. `spec.containers[0].image`; empty when not about one field. */
  field: string;
  message: string;
  /** Machine-readable, e.g. `FieldValueRequired`, `FieldValueInvalid`. */
  reason: string;
}

/**
 * Any failure talking to the API server. `code` is the HTTP status (0 when no response came back),
 * `reason` the Status reason (`NotFound`, `Conflict`, ...; `Unknown` when the server gave none) and
 * `status` the server's Status object, or one built from what we know when the server sent none.
 */
export class KubernetesApiError extends Error {
  override readonly name: string = 'KubernetesApiError';
  readonly code: number;
  readonly reason: string;
  readonly status: Status;

  constructor(status: Status, options?: { cause?: unknown }) {
    super(status.message || `${status.reason ?? 'Unknown'} (HTTP ${status.code ?? 0})`, options);
    this.code = status.code ?? 0;
    this.reason = status.reason || 'Unknown';
    this.status = status;
  }
}

/** 404: the object (or its resource type: is the CRD installed?) does not exist. */
export class NotFoundError extends KubernetesApiError {
  override readonly name: string = 'NotFoundError';
}

/** 409 AlreadyExists: create found an object with that name. */
export class AlreadyExistsError extends KubernetesApiError {
  override readonly name: string = 'AlreadyExistsError';
}

/** 409 otherwise: usually a stale resourceVersion on update; re-read and try again. */
export class ConflictError extends KubernetesApiError {
  override readonly name: string = 'ConflictError';
}

/** 422: the object failed validation; `causes` names each bad field. */
export class InvalidError extends KubernetesApiError {
  override readonly name: string = 'InvalidError';
  readonly causes: readonly StatusCauseDetail[];

  constructor(status: Status, options?: { cause?: unknown }) {
    super(status, options);
    this.causes = (status.details?.causes ?? []).map((cause) => ({
      field: cause.field ?? '',
      message: cause.message ?? '',
      reason: cause.reason ?? '',
    }));
  }
}

/** 403: authenticated, but RBAC (or an admission policy) does not allow it. */
export class ForbiddenError extends KubernetesApiError {
  override readonly name: string = 'ForbiddenError';
}

/** 401: the credentials in the kubeconfig were missing, wrong or expired. */
export class UnauthorizedError extends KubernetesApiError {
  override readonly name: string = 'UnauthorizedError';
}

/** 410: the resourceVersion asked for is too old (compacted); list again to get a fresh one. */
export class GoneError extends KubernetesApiError {
  override readonly name: string = 'GoneError';
}

/**
 * The server could not be reached or could not answer now: connection refused or reset, DNS,
 * timeouts, 429 and 5xx. Worth retrying with a backoff.
 */
export class UnavailableError extends KubernetesApiError {
  override readonly name: string = 'UnavailableError';
}

export const isKubernetesApiError = (e: unknown): e is KubernetesApiError => e instanceof KubernetesApiError;
export const isNotFound = (e: unknown): e is NotFoundError => e instanceof NotFoundError;
export const isAlreadyExists = (e: unknown): e is AlreadyExistsError => e instanceof AlreadyExistsError;
export const isConflict = (e: unknown): e is ConflictError => e instanceof ConflictError;
export const isInvalid = (e: unknown): e is InvalidError => e instanceof InvalidError;
export const isForbidden = (e: unknown): e is ForbiddenError => e instanceof ForbiddenError;
export const isUnauthorized = (e: unknown): e is UnauthorizedError => e instanceof UnauthorizedError;
export const isGone = (e: unknown): e is GoneError => e instanceof GoneError;
export const isUnavailable = (e: unknown): e is UnavailableError => e instanceof UnavailableError;

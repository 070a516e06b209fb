import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  AlreadyExistsError,
  ConflictError,
  ForbiddenError,
  GoneError,
  InvalidError,
  isNotFound,
  KubernetesApiError,
  NotFoundError,
  UnauthorizedError,
  UnavailableError,
} from './errors.js';
import { errorFromStatus, toKubernetesApiError } from './toKubernetesApiError.js';

// Bodies as kube-apiserver sends them for custom resources.
const notFoundBody = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'sidecarsets.apps.kruise.io "log-agent" not found',
  reason: 'NotFound',
  details: { name: 'log-agent', group: 'apps.kruise.io', kind: 'sidecarsets' },
  code: 404,
};
const alreadyExistsBody = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'sidecarsets.apps.kruise.io "log-agent" already exists',
  reason: 'AlreadyExists',
  details: { name: 'log-agent', group: 'apps.kruise.io', kind: 'sidecarsets' },
  code: 409,
};
const conflictBody = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message:
    'Operation cannot be fulfilled on sidecarsets.apps.kruise.io "log-agent": the object has been modified; please apply your changes to the latest version and try again',
  reason: 'Conflict',
  details: { name: 'log-agent', group: 'apps.kruise.io', kind: 'sidecarsets' },
  code: 409,
};
const invalidBody = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message:
    'SidecarSet.apps.kruise.io "log-agent" is invalid: [spec.containers[0].image: Required value, spec.selector: Required value]',
  reason: 'Invalid',
  details: {
    name: 'log-agent',
    group: 'apps.kruise.io',
    kind: 'SidecarSet',
    causes: [
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].image' },
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.selector' },
    ],
  },
  code: 422,
};
const forbiddenBody = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message:
    'sidecarsets.apps.kruise.io is forbidden: User "system:serviceaccount:default:app" cannot list resource "sidecarsets" in API group "apps.kruise.io" at the cluster scope',
  reason: 'Forbidden',
  details: { group: 'apps.kruise.io', kind: 'sidecarsets' },
  code: 403,
};
const expiredBody = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'The provided continue parameter is too old to display a consistent list result.',
  reason: 'Expired',
  code: 410,
};
const tooManyRequestsBody = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'Too many requests, please try again later.',
  reason: 'TooManyRequests',
  details: { retryAfterSeconds: 1 },
  code: 429,
};

/** What client-node's response processors throw: the body is the response text. */
const apiException = (code: number, body: unknown) => new ApiException(code, 'Unknown API Status Code!', body, {});

const connectionRefused = Object.assign(new TypeError('fetch failed'), {
  cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' }),
});
const refusedOnEveryAddress = Object.assign(new TypeError('fetch failed'), {
  cause: new AggregateError([
    Object.assign(new Error('connect ECONNREFUSED ::1:6443'), { code: 'ECONNREFUSED' }),
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' }),
  ]),
});
const watchHttpError = (statusCode: number) => Object.assign(new Error('Gone'), { statusCode });

describe('toKubernetesApiError', () => {
  const cases: { name: string; thrown: unknown; type: typeof KubernetesApiError; code: number; reason: string; message?: string }[] = [
    { name: '404 with a JSON string body is NotFound', thrown: apiException(404, JSON.stringify(notFoundBody)), type: NotFoundError, code: 404, reason: 'NotFound', message: notFoundBody.message },
    { name: '404 with an already parsed body is NotFound', thrown: apiException(404, notFoundBody), type: NotFoundError, code: 404, reason: 'NotFound' },
    { name: '409 AlreadyExists on create is AlreadyExists', thrown: apiException(409, JSON.stringify(alreadyExistsBody)), type: AlreadyExistsError, code: 409, reason: 'AlreadyExists' },
    { name: '409 with a stale resourceVersion is Conflict', thrown: apiException(409, JSON.stringify(conflictBody)), type: ConflictError, code: 409, reason: 'Conflict' },
    { name: '422 is Invalid', thrown: apiException(422, JSON.stringify(invalidBody)), type: InvalidError, code: 422, reason: 'Invalid', message: invalidBody.message },
    { name: '403 is Forbidden', thrown: apiException(403, JSON.stringify(forbiddenBody)), type: ForbiddenError, code: 403, reason: 'Forbidden' },
    { name: '401 without a body (client-node drops it) is Unauthorized', thrown: new ApiException(401, 'Unauthorized', undefined, {}), type: UnauthorizedError, code: 401, reason: 'Unauthorized' },
    { name: '410 Expired continue token is Gone', thrown: apiException(410, JSON.stringify(expiredBody)), type: GoneError, code: 410, reason: 'Expired' },
    { name: '429 is Unavailable (retry later)', thrown: apiException(429, JSON.stringify(tooManyRequestsBody)), type: UnavailableError, code: 429, reason: 'TooManyRequests' },
    { name: '503 with an HTML body from a proxy is Unavailable', thrown: apiException(503, '<html>Service Unavailable</html>'), type: UnavailableError, code: 503, reason: 'ServiceUnavailable', message: '<html>Service Unavailable</html>' },
    { name: '400 with an empty body keeps the code', thrown: apiException(400, ''), type: KubernetesApiError, code: 400, reason: 'BadRequest' },
    { name: "Watch's non-200 answer (statusCode, no body) 410 is Gone", thrown: watchHttpError(410), type: GoneError, code: 410, reason: 'Gone' },
    { name: "Watch's non-200 answer 500 is Unavailable", thrown: watchHttpError(500), type: UnavailableError, code: 500, reason: 'InternalError' },
    { name: 'connection refused is Unavailable', thrown: connectionRefused, type: UnavailableError, code: 0, reason: 'ServiceUnavailable', message: 'fetch failed: connect ECONNREFUSED 127.0.0.1:6443' },
    { name: 'connection refused on every address (AggregateError) is Unavailable', thrown: refusedOnEveryAddress, type: UnavailableError, code: 0, reason: 'ServiceUnavailable' },
    { name: 'a bare socket reset is Unavailable', thrown: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), type: UnavailableError, code: 0, reason: 'ServiceUnavailable' },
    { name: "the Watch's inactivity timeout is Unavailable", thrown: new DOMException('The operation was aborted due to timeout', 'TimeoutError'), type: UnavailableError, code: 0, reason: 'Timeout' },
    { name: 'a TLS failure is not retryable', thrown: Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }) }), type: KubernetesApiError, code: 0, reason: 'Unknown', message: 'fetch failed: self-signed certificate' },
    { name: 'a thrown string is wrapped', thrown: 'boom', type: KubernetesApiError, code: 0, reason: 'Unknown', message: 'boom' },
  ];

  it.each(cases)('$name', ({ thrown, type, code, reason, message }) => {
    const error = toKubernetesApiError(thrown);
    expect(error).toBeInstanceOf(type);
    expect(error.constructor).toBe(type);
    expect(error.code).toBe(code);
    expect(error.reason).toBe(reason);
    expect(error.status.code).toBe(code);
    if (message !== undefined) expect(error.message).toBe(message);
  });

  it('carries the field causes of a 422', () => {
    const error = toKubernetesApiError(apiException(422, JSON.stringify(invalidBody)));
    expect(error).toBeInstanceOf(InvalidError);
    expect((error as InvalidError).causes).toEqual([
      { field: 'spec.containers[0].image', message: 'Required value', reason: 'FieldValueRequired' },
      { field: 'spec.selector', message: 'Required value', reason: 'FieldValueRequired' },
    ]);
  });

  it('keeps the whole server Status for callers that need details', () => {
    const error = toKubernetesApiError(apiException(429, JSON.stringify(tooManyRequestsBody)));
    expect(error.status.details?.retryAfterSeconds).toBe(1);
  });

  it('returns an already typed error unchanged', () => {
    const original = toKubernetesApiError(apiException(404, notFoundBody));
    expect(toKubernetesApiError(original)).toBe(original);
    expect(isNotFound(original)).toBe(true);
    expect(isNotFound(new Error('not found'))).toBe(false);
  });
});

describe('errorFromStatus for watch ERROR events', () => {
  it.each([
    { name: 'too old resource version (410 Expired) is Gone', status: { metadata: {}, code: 410, reason: 'Expired', message: 'too old resource version: 5 (10)' }, type: GoneError },
    { name: 'a Status with only reason Expired is Gone', status: { metadata: {}, reason: 'Expired', message: 'too old' }, type: GoneError },
    { name: 'an internal error is Unavailable', status: { metadata: {}, code: 500, reason: 'InternalError', message: 'etcd' }, type: UnavailableError },
  ])('$name', ({ status, type }) => {
    expect(errorFromStatus(status)).toBeInstanceOf(type);
  });
});

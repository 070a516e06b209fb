// Turns whatever client-node, undici or the watch stream threw into one of our typed errors, so the
// clients never let a raw ApiException, TypeError('fetch failed') or DOMException escape.
import { ApiException } from '@kubernetes/client-node';
import type { Status } from '../generated/index.js';
import {
  AlreadyExistsError,
  ConflictError,
  ForbiddenError,
  GoneError,
  InvalidError,
  KubernetesApiError,
  NotFoundError,
  UnauthorizedError,
  UnavailableError,
} from './errors.js';

/** The Status reason the API server uses for each HTTP code, for bodies that carry none. */
const REASON_BY_CODE: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** Socket and undici error codes that mean "the server is not reachable right now". */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** A failure Status with the fields the server would have set. */
export function failureStatus(code: number, message: string, reason?: string): Status {
  return {
    apiVersion: 'v1',
    kind: 'Status',
    metadata: {},
    status: 'Failure',
    code,
    reason: reason ?? REASON_BY_CODE[code] ?? (code >= 500 ? 'InternalError' : 'Unknown'),
    message,
  };
}

/** The typed error for a Status, e.g. from an ApiException body or a watch ERROR event. */
export function errorFromStatus(status: Status, cause?: unknown): KubernetesApiError {
  const options = cause === undefined ? undefined : { cause };
  const code = status.code ?? 0;
  switch (code) {
    case 401:
      return new UnauthorizedError(status, options);
    case 403:
      return new ForbiddenError(status, options);
    case 404:
      return new NotFoundError(status, options);
    case 409:
      return status.reason === 'AlreadyExists'
        ? new AlreadyExistsError(status, options)
        : new ConflictError(status, options);
    case 410:
      return new GoneError(status, options);
    case 422:
      return new InvalidError(status, options);
    case 429:
      return new UnavailableError(status, options);
  }
  if (code >= 500) return new UnavailableError(status, options);
  // A watch ERROR event may carry only a reason.
  if (code === 0 && (status.reason === 'Expired' || status.reason === 'Gone')) return new GoneError(status, options);
  return new KubernetesApiError(status, options);
}

/**
 * Maps anything thrown while talking to the API server to a KubernetesApiError subclass:
 * client-node's ApiException (its body a JSON string, an object or nothing), the plain Error with a
 * `statusCode` that client-node's Watch throws on a non-200 answer, network errors (also when nested
 * in `cause` or an AggregateError) and timeouts. Already-typed errors pass through unchanged.
 */
export function toKubernetesApiError(e: unknown): KubernetesApiError {
  if (e instanceof KubernetesApiError) return e;
  if (e instanceof ApiException) return fromHttpFailure(e.code, e.body, e);
  // The same shape from another copy of client-node (e.g. a second version in node_modules).
  const apiCode = numberProperty(e, 'code');
  if (apiCode !== undefined && typeof e === 'object' && e !== null && 'body' in e && 'headers' in e) {
    return fromHttpFailure(apiCode, e.body, e);
  }
  const statusCode = numberProperty(e, 'statusCode');
  if (statusCode !== undefined) return fromHttpFailure(statusCode, undefined, e);

  const message = describe(e);
  if (isTimeout(e)) return new UnavailableError(failureStatus(0, message, 'Timeout'), { cause: e });
  if (isAbort(e)) return new KubernetesApiError(failureStatus(0, message, 'Aborted'), { cause: e });
  const networkCode = findNetworkCode(e);
  if (networkCode !== undefined) {
    return new UnavailableError(failureStatus(0, withCode(message, networkCode), 'ServiceUnavailable'), { cause: e });
  }
  return new KubernetesApiError(failureStatus(0, message, 'Unknown'), { cause: e });
}

function fromHttpFailure(code: number, body: unknown, cause: unknown): KubernetesApiError {
  const parsed = parseBody(body);
  if (isStatusLike(parsed)) {
    return errorFromStatus({ ...parsed, metadata: parsed.metadata ?? {}, code: code || parsed.code }, cause);
  }
  const text = typeof parsed === 'string' && parsed.trim() !== '' ? parsed.trim().slice(0, 500) : undefined;
  const reason = REASON_BY_CODE[code];
  return errorFromStatus(failureStatus(code, text ?? `${reason ?? 'HTTP error'} (HTTP ${code})`), cause);
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

function isStatusLike(value: unknown): value is Omit<Status, 'metadata'> & Partial<Pick<Status, 'metadata'>> {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return candidate['kind'] === 'Status' || typeof candidate['reason'] === 'string' || typeof candidate['code'] === 'number';
}

function isTimeout(e: unknown): boolean {
  return e instanceof Error && e.name === 'TimeoutError';
}

function isAbort(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

/** Looks through `cause` chains and AggregateError members for a known socket error code. */
function findNetworkCode(e: unknown, depth = 0): string | undefined {
  if (typeof e !== 'object' || e === null || depth > 5) return undefined;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code)) return code;
  const nested: unknown[] = [(e as { cause?: unknown }).cause];
  if (e instanceof AggregateError) nested.push(...(e.errors as unknown[]));
  for (const inner of nested) {
    const found = findNetworkCode(inner, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The message with its causes, since undici's own is only "fetch failed". */
function describe(e: unknown): string {
  const parts: string[] = [];
  let current: unknown = e;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    const text = current instanceof Error ? current.message : String(current);
    if (text !== '' && !parts.includes(text)) parts.push(text);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(': ') || 'unknown error';
}

const withCode = (message: string, code: string): string => (message.includes(code) ? message : `${message} (${code})`);

function numberProperty(value: unknown, key: string): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const property = (value as Record<string, unknown>)[key];
  return typeof property === 'number' ? property : undefined;
}

// A request the client refuses before sending, reported as the API server reports a bad field.
import { InvalidError } from './errors.js';
import { failureStatus } from './toKubernetesApiError.js';

export function invalidRequest(field: string, reason: string, message: string): InvalidError {
  const status = failureStatus(422, `${field}: ${message}`, 'Invalid');
  return new InvalidError({ ...status, details: { causes: [{ field, reason, message }] } });
}

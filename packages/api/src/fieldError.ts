// Field-level errors, shaped like the API server's field.ErrorList so a message can name exactly
// what to fix: `spec.containers[0].image: Required value`.

export type FieldErrorType =
  | 'Required'
  | 'Invalid'
  | 'NotSupported'
  | 'Duplicate'
  | 'Forbidden'
  | 'TooLong'
  | 'TypeInvalid'
  | 'UnknownField'
  | 'Syntax';

export interface FieldError {
  /** Dotted path with indexes, as the API server writes it: spec.containers[0].volumeMounts[1].name */
  path: string;
  type: FieldErrorType;
  /** What is wrong, for a person. */
  reason: string;
  /** The offending value, when there is one to show. */
  value?: unknown;
}

export const formatFieldError = (error: FieldError): string => `${error.path}: ${error.reason}`;

/** Joins path segments: strings become `.name`, numbers `[i]`. */
export function fieldPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

// Errors in the user's files, each naming the file, the document (counted from 1, as the file is
// written, `---` by `---`) and the field: `error: app.yaml: document 2 (Deployment web): spec...: ...`.
import { formatFieldError, type FieldError } from '@sidecarset/api/offline';
import { isObject } from './workloadTemplates.js';

export interface InputError {
  /** `file: document N (Kind name)`, or just the file when it could not be read. */
  location: string;
  message: string;
}

export const formatInputError = (error: InputError): string => `error: ${error.location}: ${error.message}`;

/** `app.yaml: document 2 (Deployment web)`; `index` is the parser's, from 0. */
export function documentLocation(file: string, index: number, value: unknown): string {
  const kind = isObject(value) && typeof value.kind === 'string' ? value.kind : undefined;
  const metadata = isObject(value) && isObject(value.metadata) ? value.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : undefined;
  const label = kind ? ` (${name ? `${kind} ${name}` : kind})` : '';
  return `${file}: document ${index + 1}${label}`;
}

export const fieldErrorsAt = (location: string, errors: readonly FieldError[]): InputError[] =>
  errors.map((error) => ({ location, message: formatFieldError(error) }));

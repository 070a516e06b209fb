export * from './generated/index.js';
export * from './client/index.js';
export * from './informer/index.js';
export { JsonText, requestJson, type Query } from './client/rawRequest.js';
export { pathWatchSource, type PathWatchOptions } from './client/pathWatchSource.js';
export { fieldPath, formatFieldError, type FieldError, type FieldErrorType } from './fieldError.js';
export { parseManifests, type ManifestDocument } from './manifests/parseManifests.js';
export { isValidatedKind, validateAgainstCrd, type ValidatedKind } from './schema/validateAgainstCrd.js';

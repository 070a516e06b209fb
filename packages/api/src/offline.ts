// The parts of @sidecarset/api that work without a cluster: types, manifest parsing, CRD schema
// validation and field errors. Importing this entry does not load @kubernetes/client-node, so
// offline tools (kubectl-sidecarset inject) start fast.
export * from './generated/index.js';
export { fieldPath, formatFieldError, type FieldError, type FieldErrorType } from './fieldError.js';
export { parseManifests, type ManifestDocument } from './manifests/parseManifests.js';
export { isValidatedKind, validateAgainstCrd, type ValidatedKind } from './schema/validateAgainstCrd.js';

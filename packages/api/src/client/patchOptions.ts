// What each patch type means on the wire: its Content-Type and which query parameters it allows.
import { PatchStrategy } from '@kubernetes/client-node';
import { invalidRequest } from './invalidRequest.js';

/** One RFC 6902 JSON Patch operation. */
export type JsonPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

/** RFC 7386 merge patch: any field may be left out, `null` deletes it, lists are replaced whole. */
export type MergePatch<T> = {
  [K in keyof T]?: (NonNullable<T[K]> extends readonly unknown[]
    ? T[K]
    : NonNullable<T[K]> extends object
      ? MergePatch<NonNullable<T[K]>>
      : T[K]) | null;
};

/** Server-side apply configuration: the fields this manager wants to own, everything else left out. */
export type ApplyPatch<T> = {
  [K in keyof T]?: NonNullable<T[K]> extends readonly (infer E)[]
    ? ApplyPatch<E>[]
    : NonNullable<T[K]> extends object
      ? ApplyPatch<NonNullable<T[K]>>
      : T[K];
};

interface CommonPatchOptions {
  dryRun?: boolean;
}

/** Which patch to send. Server-side apply needs a field manager, so the type demands one. */
export type PatchOptions =
  | (CommonPatchOptions & { type: 'merge'; fieldManager?: string })
  | (CommonPatchOptions & { type: 'json'; fieldManager?: string })
  | (CommonPatchOptions & { type: 'apply'; fieldManager: string; force?: boolean });

export type PatchType = PatchOptions['type'];

/** The body type that goes with each patch type. */
export type PatchBody<T, P extends PatchType> = P extends 'json'
  ? JsonPatchOperation[]
  : P extends 'apply'
    ? ApplyPatch<T>
    : MergePatch<T>;

export const PATCH_CONTENT_TYPES: Readonly<Record<PatchType, PatchStrategy>> = {
  merge: PatchStrategy.MergePatch,
  json: PatchStrategy.JsonPatch,
  apply: PatchStrategy.ServerSideApply,
};

/** What the request carries: the Content-Type header and the query parameters. */
export interface PatchRequest {
  contentType: PatchStrategy;
  fieldManager: string | undefined;
  force: boolean | undefined;
  dryRun: 'All' | undefined;
}

/**
 * Checks the options as the API server would (apply needs a fieldManager; force is for apply only)
 * so JavaScript callers and `as` casts get the same InvalidError before a round trip.
 */
export function patchRequest(options: PatchOptions): PatchRequest {
  const contentType = PATCH_CONTENT_TYPES[options.type] as PatchStrategy | undefined;
  if (contentType === undefined) {
    throw invalidRequest('type', 'FieldValueNotSupported', `unsupported patch type "${String(options.type)}"; use merge, json or apply`);
  }
  if (options.type === 'apply' && !options.fieldManager) {
    throw invalidRequest('fieldManager', 'FieldValueRequired', 'is required for apply patch');
  }
  const force = options.type === 'apply' ? options.force : undefined;
  if (options.type !== 'apply' && 'force' in options && options.force !== undefined) {
    throw invalidRequest('force', 'FieldValueForbidden', 'may not be specified for non-apply patch');
  }
  return {
    contentType,
    fieldManager: options.fieldManager || undefined,
    force,
    dryRun: options.dryRun ? 'All' : undefined,
  };
}

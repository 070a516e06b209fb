// Request bodies are parsed only within a budget. Parsing JSON costs time in its number of values,
// not its bytes (7 MiB of `{}` take seconds, 7 MiB of one string milliseconds), and the rules walk
// what was parsed recursively, so a body is first scanned (linear, mostly native, stopping as soon as
// the budget is spent) and parsed only when it is within its route's budget of values and depth.
// Real reviews are far inside it: a large pod has a few thousand values, a SidecarSet a few hundred.
// SidecarSets get a smaller budget than pods because admitting one costs more per value (defaults,
// two hashes, a patch over the whole object).
//
// A body over budget is not an error of the HTTP layer: when its first bytes are those of an
// AdmissionReview as the API server writes it, the route answers that review with a denial naming
// the bound (the user sees why the object was refused); otherwise the caller gets HTTP 413.
import { checkJsonTextBudget, type JsonBudget } from '@sidecarset/core';
import type { FastifyInstance } from 'fastify';
import type { TurnTaking } from './turnTaking.js';

/** Strings with escapes (unescaped slowly by JSON.parse): four times what all annotations of a pod may hold. */
const ESCAPED_MAX = 1024 * 1024;
/** Deliberate bounds (the API server has none but its 3 MiB request size): see docs/differences-from-openkruise.md. */
export const POD_REVIEW_BUDGET: JsonBudget = { maxValues: 50_000, maxDepth: 64, maxEscapedLength: ESCAPED_MAX };
/** SidecarSets and bindings, object and oldObject together. */
export const RESOURCE_REVIEW_BUDGET: JsonBudget = { maxValues: 5_000, maxDepth: 64, maxEscapedLength: ESCAPED_MAX };

/**
 * A ConversionReview carries every object of a list the API server converts (a few hundred values
 * each): room for about 400 SidecarSets; a larger list read in the version it is not stored in fails.
 */
export const CONVERSION_REVIEW_BUDGET: JsonBudget = { maxValues: 200_000, maxDepth: 64, maxEscapedLength: ESCAPED_MAX };

const BUDGETS: Readonly<Record<string, JsonBudget>> = { '/mutate-pods': POD_REVIEW_BUDGET, '/convert': CONVERSION_REVIEW_BUDGET };

/** The budget of a route's request bodies. */
export const budgetFor = (path: string | undefined): JsonBudget => (path !== undefined && BUDGETS[path]) || RESOURCE_REVIEW_BUDGET;

/** The body of a request that was not parsed because it asks for more work than the budget allows. */
export class OverBudgetBody {
  constructor(
    /** What exceeded the budget, for a person ("has more than 50000 values"). */
    readonly reason: string,
    /** The review's request.uid, when the body starts as the API server writes a review. */
    readonly uid: string | undefined,
  ) {}
}

// `{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{"uid":"…"` in either
// order of kind and apiVersion, as Go's encoder writes it. Read from the first bytes only; linear.
const REVIEW_PREFIX =
  /^\s*\{\s*(?:"kind"\s*:\s*"AdmissionReview"\s*,\s*"apiVersion"\s*:\s*"admission\.k8s\.io\/v1"|"apiVersion"\s*:\s*"admission\.k8s\.io\/v1"\s*,\s*"kind"\s*:\s*"AdmissionReview")\s*,\s*"request"\s*:\s*\{\s*"uid"\s*:\s*"([0-9A-Za-z-]{1,64})"/;

const uidOf = (body: string): string | undefined => REVIEW_PREFIX.exec(body.slice(0, 512))?.[1];

/**
 * Replaces the JSON body parser with one that scans the body against its route's budget first. Scan
 * and parse wait for their turn (turnTaking.ts): a few large bodies arriving together are read in
 * separate event-loop iterations.
 */
export function boundedJsonBody(app: FastifyInstance, turns: TurnTaking): void {
  // fastify's own parser, with its prototype-poisoning protection, does the parsing.
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    turns.take(() => {
      const check = checkJsonTextBudget(text, budgetFor(request.routeOptions.url));
      if (!check.ok) return done(null, new OverBudgetBody(check.reason, uidOf(text)));
      parse(request, text, done);
    }).catch((error: unknown) => done(error instanceof Error ? error : new Error(String(error)), undefined));
  });
}

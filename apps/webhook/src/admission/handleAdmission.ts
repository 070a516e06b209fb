// The part every admission route shares: read the review (400 when malformed), refuse while the
// caches are not loaded (injecting from an empty cache would silently create pods without their
// sidecars), time it, count it, log one line, and turn an unexpected exception into a denial with
// a clear message instead of a half-made patch.
import type { AdmissionRequest, AdmissionResponse } from '@sidecarset/api';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply } from 'fastify';
import type { WebhookCaches } from '../caches.js';
import type { WebhookMetrics } from '../metrics.js';
import { MalformedReviewError, deny, readAdmissionRequest, reviewOf } from './admissionReview.js';
import { OverBudgetBody, budgetFor } from './boundedJsonBody.js';
import { safeErrorFields, safeLogFields, shortText } from './logSafe.js';
import type { TurnTaking } from './turnTaking.js';

export interface AdmissionOutcome {
  response: AdmissionResponse;
  /** Extra fields for the one log line of this admission. */
  log?: Record<string, unknown>;
}

export type AdmissionHandler = (request: AdmissionRequest) => AdmissionOutcome | Promise<AdmissionOutcome>;

export interface AdmissionRouteDeps {
  caches: WebhookCaches;
  metrics: WebhookMetrics;
  /** The rules run in their turn, apart from the parse (turnTaking.ts). */
  turns: TurnTaking;
}

/** `bodyLimit`: this route's, when smaller than the server's (fastify answers 413 by Content-Length, unread). */
export function admissionRoute(app: FastifyInstance, path: string, deps: AdmissionRouteDeps, handler: AdmissionHandler, bodyLimit?: number): void {
  app.post(path, bodyLimit === undefined ? {} : { bodyLimit }, async (httpRequest, reply) => {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    if (httpRequest.body instanceof OverBudgetBody) return answerOverBudget(httpRequest.body, path, deps, httpRequest.log, reply);
    let request: AdmissionRequest;
    try {
      request = readAdmissionRequest(httpRequest.body);
    } catch (error) {
      if (!(error instanceof MalformedReviewError)) throw error;
      deps.metrics.requests.inc({ route: path, result: 'bad_request' });
      httpRequest.log.warn({ route: path, reason: error.message }, 'malformed AdmissionReview');
      return reply.code(400).send({ error: 'Bad Request', message: `malformed AdmissionReview: ${error.message}` });
    }
    let outcome: AdmissionOutcome;
    if (!deps.caches.ready()) {
      outcome = { response: deny(request.uid, 'sidecarset webhook is starting: its caches are not loaded yet; retry shortly', 503, 'ServiceUnavailable') };
    } else {
      try {
        outcome = await deps.turns.take(() => handler(request));
      } catch (error) {
        // The caller learns only that it failed; the details (never the request's values) go to the log.
        deps.metrics.errors.inc({ route: path });
        httpRequest.log.error({ route: path, uid: shortText(request.uid), ...safeErrorFields(error) }, 'admission failed');
        outcome = { response: deny(request.uid, 'sidecarset webhook internal error, nothing was changed; the webhook log has the details', 500, 'InternalError') };
      }
    }
    const durationSeconds = seconds();
    deps.metrics.latency.observe({ route: path }, durationSeconds);
    deps.metrics.requests.inc({ route: path, result: outcome.response.allowed ? 'allowed' : 'denied' });
    httpRequest.log.info(
      safeLogFields({
        route: path,
        uid: request.uid,
        operation: request.operation,
        namespace: request.namespace,
        name: request.name || undefined,
        allowed: outcome.response.allowed,
        durationMs: Math.round(durationSeconds * 1e6) / 1e3,
        ...outcome.log,
      }),
      'admission',
    );
    return reviewOf(outcome.response);
  });
}

/**
 * A body not parsed for its size (see boundedJsonBody.ts). A review the API server sent is denied
 * with the reason, so whoever created the object reads why; anything else is HTTP 413.
 */
function answerOverBudget(body: OverBudgetBody, path: string, deps: AdmissionRouteDeps, log: FastifyBaseLogger, reply: FastifyReply) {
  const budget = budgetFor(path);
  const limit = `the sidecarset webhook reads at most ${budget.maxValues} JSON values nested at most ${budget.maxDepth} deep per review on ${path}`;
  log.warn({ route: path, uid: shortText(body.uid), reason: body.reason }, 'AdmissionReview over budget');
  if (body.uid === undefined) {
    deps.metrics.requests.inc({ route: path, result: 'bad_request' });
    return reply.code(413).send({ error: 'Payload Too Large', message: `request body ${body.reason}: ${limit}` });
  }
  deps.metrics.requests.inc({ route: path, result: 'denied' });
  return reviewOf(deny(body.uid, `object too large to admit: the review ${body.reason}, and ${limit}`, 413, 'RequestEntityTooLarge'));
}

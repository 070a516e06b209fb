// POST /convert: the SidecarSet CRD's conversion webhook (ConversionReview apiextensions.k8s.io/v1),
// converting between apps.kruise.io/v1alpha1 and v1beta1 as OpenKruise 1.9 converts (the rules are in
// @sidecarset/core's version/). It needs no cache, so it answers while the caches load: the API
// server converts through it whenever a SidecarSet is read or written in the version it is not
// stored in. One object that cannot be converted fails the whole review, as the API server wants.
import { formatFieldError } from '@sidecarset/api';
import { convertSidecarSet } from '@sidecarset/core';
import type { FastifyInstance } from 'fastify';
import { OverBudgetBody, budgetFor } from '../admission/boundedJsonBody.js';
import { safeLogFields, shortText } from '../admission/logSafe.js';
import type { AdmissionRouteDeps } from '../admission/handleAdmission.js';

export const CONVERT_PATH = '/convert';

interface ConversionRequest {
  uid: string;
  desiredAPIVersion: string;
  objects: unknown[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The review's request, or why it is not a ConversionReview v1 (400). */
function readConversionRequest(body: unknown): ConversionRequest | string {
  if (!isRecord(body) || body.apiVersion !== 'apiextensions.k8s.io/v1' || body.kind !== 'ConversionReview') return 'not an apiextensions.k8s.io/v1 ConversionReview';
  const request = body.request;
  if (!isRecord(request)) return 'request is missing';
  if (typeof request.uid !== 'string' || request.uid === '' || request.uid.length > 128) return 'request.uid must be a string of 1 to 128 characters';
  if (typeof request.desiredAPIVersion !== 'string') return 'request.desiredAPIVersion must be a string';
  if (!Array.isArray(request.objects)) return 'request.objects must be a list';
  return { uid: request.uid, desiredAPIVersion: request.desiredAPIVersion, objects: request.objects };
}

const reviewOf = (response: Record<string, unknown>) => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', response });

export function convertSidecarSetsRoute(app: FastifyInstance, deps: Pick<AdmissionRouteDeps, 'metrics' | 'turns'>): void {
  app.post(CONVERT_PATH, async (httpRequest, reply) => {
    const started = process.hrtime.bigint();
    const body = httpRequest.body;
    if (body instanceof OverBudgetBody) {
      const budget = budgetFor(CONVERT_PATH);
      deps.metrics.requests.inc({ route: CONVERT_PATH, result: 'bad_request' });
      httpRequest.log.warn({ route: CONVERT_PATH, reason: body.reason }, 'ConversionReview over budget');
      return reply.code(413).send({ error: 'Payload Too Large', message: `request body ${body.reason}: the sidecarset webhook reads at most ${budget.maxValues} JSON values nested at most ${budget.maxDepth} deep per ConversionReview` });
    }
    const request = readConversionRequest(body);
    if (typeof request === 'string') {
      deps.metrics.requests.inc({ route: CONVERT_PATH, result: 'bad_request' });
      httpRequest.log.warn({ route: CONVERT_PATH, reason: request }, 'malformed ConversionReview');
      return reply.code(400).send({ error: 'Bad Request', message: `malformed ConversionReview: ${request}` });
    }
    const response = await deps.turns.take(() => {
      const converted: unknown[] = [];
      for (const [index, object] of request.objects.entries()) {
        const result = convertSidecarSet(object, request.desiredAPIVersion);
        if ('error' in result) {
          const where = result.error.path === 'desiredAPIVersion' ? 'request.desiredAPIVersion' : `request.objects[${index}].${result.error.path}`;
          return { uid: request.uid, convertedObjects: [], result: { status: 'Failure', message: formatFieldError({ ...result.error, path: where }) } };
        }
        converted.push(result.object);
      }
      return { uid: request.uid, convertedObjects: converted, result: { status: 'Success' } };
    });
    const durationSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const ok = response.result.status === 'Success';
    deps.metrics.latency.observe({ route: CONVERT_PATH }, durationSeconds);
    deps.metrics.requests.inc({ route: CONVERT_PATH, result: ok ? 'converted' : 'failed' });
    httpRequest.log.info(
      safeLogFields({ route: CONVERT_PATH, uid: shortText(request.uid), desiredAPIVersion: shortText(request.desiredAPIVersion), objects: request.objects.length, converted: ok, durationMs: Math.round(durationSeconds * 1e6) / 1e3 }),
      'conversion',
    );
    return reviewOf(response);
  });
}

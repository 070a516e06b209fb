// The properties every review is held to, checked against the real webhook's answer:
//   answers            an HTTP answer within the configurations' timeoutSeconds, and /healthz still answers
//   status             200 for a readable review, 400 for one that is not (415 for another content type, 413 beyond the body limit)
//   review             a 200 carries a v1 AdmissionReview echoing the request's uid
//   no internal error  never code 500 / InternalError: for well-typed input, broken objects, mistyped requests
//   denial explained   a denial carries a message
//   patch applies      an allowed patch is a JSONPatch that applies cleanly (RFC 6902) to request.object
//   no patch           validating routes, and pod reviews other than CREATE of the pod itself, never patch
//   injects selected   an allowed pod CREATE holds every container of each SidecarSet that selects it
//                      (and is not paused), with the SidecarSet's image; other SidecarSets' containers
//                      are left as the pod had them
//   api server accepts a sampled allowed, patched pod passes a dry-run CREATE (when the pod alone does)
import type { AdmissionReview, Container, Pod } from '@sidecarset/api';
import { applyJsonPatch } from './applyJsonPatch.js';
import { namespaceLabels } from './namePools.js';
import type { ReviewCase } from './reviews.js';
import { sidecarSetSelects } from './selects.js';
import type { HttpOutcome, WebhookClient } from './webhookClient.js';
import type { World } from './world.js';

export const ADMISSION_TIMEOUT_MS = 5_000;

export interface Failure {
  property: string;
  /** What went wrong, without the details that vary from case to case: failures with one signature are one class. */
  signature: string;
  detail: string;
}

export type DryRunResult = { accepted: true } | { accepted: false; signature: string; message: string };

export interface CheckContext {
  client(): WebhookClient;
  world: World;
  /** A dry-run CREATE of `pod` in `namespace` through the API server. */
  dryRun(pod: unknown, namespace: string): Promise<DryRunResult>;
  /** Whether one more sampled dry-run fits the run's budget (consumes one when it does). */
  takeDryRun(): boolean;
  /** Restarts the webhook when its process has exited; says whether it had. */
  reviveWebhook(): Promise<boolean>;
}

export interface CaseResult {
  failures: Failure[];
  status?: number;
  allowed?: boolean;
  /** An allowed pod CREATE whose patch changed the pod. */
  injected?: boolean;
  dryRun?: 'accepted' | 'refused';
}

/** Quoted values, numbers and indexes vary between cases of one class. */
export const normalize = (text: string): string =>
  text
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/'[^']*'/g, "'…'")
    .replace(/\[\d+\]/g, '[]')
    .replace(/\d+/g, 'N')
    .slice(0, 200);

const bodyText = (testCase: ReviewCase): { text: string; contentType: string } =>
  testCase.body.kind === 'raw' ? { text: testCase.body.text, contentType: testCase.body.contentType } : { text: JSON.stringify(testCase.body.value) ?? 'null', contentType: 'application/json' };

const requestOf = (testCase: ReviewCase): Record<string, unknown> | undefined => {
  if (testCase.body.kind !== 'json') return undefined;
  const value = testCase.body.value as { request?: unknown } | null;
  return typeof value?.request === 'object' && value.request !== null ? (value.request as Record<string, unknown>) : undefined;
};

const inputKind = (testCase: ReviewCase): string =>
  testCase.expectation === 'mistyped-request' ? 'a mistyped request' : testCase.objectTyped ? 'well-typed input' : 'a broken object';

export async function checkReview(testCase: ReviewCase, ctx: CheckContext, options: { forceDryRun?: boolean } = {}): Promise<CaseResult> {
  const failures: Failure[] = [];
  const fail = (property: string, signature: string, detail: string) => failures.push({ property, signature, detail });
  const { text, contentType } = bodyText(testCase);
  const outcome: HttpOutcome = await ctx.client().post(testCase.route, text, contentType);
  const result: CaseResult = { failures };

  const hungUp = !outcome.ok && testCase.mayHangUp && /^(EPIPE|ECONNRESET)\b/.test(outcome.error);
  if (!outcome.ok) {
    if (!hungUp) fail('answers', 'no HTTP answer', outcome.error);
  } else if (outcome.answer.ms > ADMISSION_TIMEOUT_MS) fail('answers', `answered after more than ${ADMISSION_TIMEOUT_MS} ms`, `${outcome.answer.ms} ms`);
  const health = await ctx.client().get('/healthz');
  if (!health.ok || health.answer.status !== 200) {
    const died = await ctx.reviveWebhook();
    fail('answers', died ? 'the webhook process exited' : '/healthz did not answer after the review', health.ok ? `HTTP ${health.answer.status}` : health.error);
  }
  if (!outcome.ok) return result;

  const { status } = outcome.answer;
  result.status = status;
  const expected = testCase.expectation === 'well-formed' ? [200] : testCase.expectation === 'mistyped-request' ? [200, 400] : testCase.body.kind === 'raw' ? [400, 413, 415] : [400];
  if (!expected.includes(status)) fail('status', `HTTP ${status} for a ${testCase.expectation} review`, outcome.answer.text.slice(0, 500));
  if (status !== 200) return result;

  let review: AdmissionReview;
  try {
    review = JSON.parse(outcome.answer.text) as AdmissionReview;
  } catch {
    fail('review', 'the 200 body is not JSON', outcome.answer.text.slice(0, 200));
    return result;
  }
  const request = requestOf(testCase);
  const response = review?.response;
  if (review?.apiVersion !== 'admission.k8s.io/v1' || review.kind !== 'AdmissionReview' || typeof response !== 'object' || response === null || typeof response.allowed !== 'boolean') {
    fail('review', 'the 200 body is not a v1 AdmissionReview with a response', outcome.answer.text.slice(0, 300));
    return result;
  }
  if (typeof request?.uid === 'string' && response.uid !== request.uid) fail('review', 'response.uid is not the request uid', `${response.uid} != ${request.uid}`);
  result.allowed = response.allowed;

  const code = response.status?.code;
  const message = response.status?.message ?? '';
  if (code === 500 || response.status?.reason === 'InternalError' || /internal error/i.test(message)) {
    fail(`no internal error for ${inputKind(testCase)}`, `${testCase.route}: ${normalize(message.replace(/^.*?internal error[^:]*:\s*/i, ''))}`, message.slice(0, 500));
  }
  if (!response.allowed && (typeof message !== 'string' || message.trim() === '')) fail('denial explained', `${testCase.route}: a denial without a message`, JSON.stringify(response.status));

  const isPodCreate = testCase.route === '/mutate-pods' && request?.operation === 'CREATE' && !request.subResource;
  const mayPatch = testCase.route === '/mutate-sidecarsets' || isPodCreate;
  let patched: unknown;
  if (response.patch !== undefined || response.patchType !== undefined) {
    if (!response.allowed) fail('patch applies', `${testCase.route}: a denial carries a patch`, String(response.patch).slice(0, 200));
    if (!mayPatch) fail('no patch', `${testCase.route}: ${testCase.route.startsWith('/validate') ? 'a validating route' : `operation ${String(request?.operation)}${request?.subResource ? ` subResource ${String(request.subResource)}` : ''}`} answered with a patch`, String(response.patch).slice(0, 200));
    if (response.patchType !== 'JSONPatch') fail('patch applies', `${testCase.route}: patchType ${JSON.stringify(response.patchType)}`, '');
    let operations: unknown;
    try {
      operations = JSON.parse(Buffer.from(String(response.patch), 'base64').toString('utf8'));
    } catch {
      fail('patch applies', `${testCase.route}: the patch is not base64 JSON`, String(response.patch).slice(0, 200));
    }
    if (operations !== undefined) {
      const applied = applyJsonPatch(request?.object, operations);
      if (!applied.ok) fail('patch applies', `${testCase.route}: ${normalize(applied.reason)}`, applied.reason);
      else patched = applied.document;
    }
  }

  if (isPodCreate && response.allowed && testCase.pod && testCase.objectTyped) {
    const original = request!.object as Pod;
    const after = (patched ?? original) as Pod;
    result.injected = patched !== undefined;
    failures.push(...injectionFailures(original, after, testCase.pod.namespace, ctx.world));
    const sampled = () => options.forceDryRun || (testCase.dryRunTicket === 0 && ctx.takeDryRun());
    if (patched !== undefined && testCase.pod.apiValid && sampled()) {
      const verdict = await ctx.dryRun(patched, testCase.pod.namespace);
      result.dryRun = verdict.accepted ? 'accepted' : 'refused';
      if (!verdict.accepted) {
        const alone = await ctx.dryRun(original, testCase.pod.namespace);
        if (alone.accepted) fail('api server accepts', verdict.signature, verdict.message);
        else fail('generator (suite bug)', `the generated pod alone is refused: ${alone.signature}`, alone.message);
      }
    }
  }
  return result;
}

function injectionFailures(original: Pod, after: Pod, namespace: string, world: World): Failure[] {
  const failures: Failure[] = [];
  const labels = original.metadata?.labels ?? {};
  const nsLabels = namespaceLabels(namespace);
  const lists = [
    ['containers', (p: Pod) => p.spec?.containers ?? []],
    ['initContainers', (p: Pod) => p.spec?.initContainers ?? []],
  ] as const;
  for (const sidecarSet of world.sidecarSets) {
    const name = sidecarSet.metadata!.name!;
    const selects = sidecarSetSelects(sidecarSet, labels, namespace, nsLabels) && !sidecarSet.spec.injectionStrategy?.paused;
    for (const [list, of] of lists) {
      for (const sidecar of sidecarSet.spec[list] ?? []) {
        const found = (of(after) as Container[]).find((c) => c.name === sidecar.name);
        if (selects) {
          // Missing, or the pod's own same-name container kept: either way not the SidecarSet's sidecar.
          if (!found || found.image !== sidecar.image) {
            failures.push({
              property: 'injects selected',
              signature: "a selecting SidecarSet's sidecar is missing from the pod, or runs the pod's image",
              detail: `${name}: ${list} ${sidecar.name} ${found ? `runs ${found.image}, not ${sidecar.image}` : 'is missing'}`,
            });
          }
        } else {
          const before = (of(original) as Container[]).find((c) => c.name === sidecar.name);
          if (JSON.stringify(before) !== JSON.stringify(found)) {
            failures.push({ property: 'injects selected', signature: `a ${list.slice(0, -1)} of a SidecarSet that does not select the pod was injected or changed`, detail: `${name}: ${list} ${sidecar.name}` });
          }
        }
      }
    }
  }
  return failures;
}

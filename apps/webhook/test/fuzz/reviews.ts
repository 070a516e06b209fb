// AdmissionReviews for every admission route, as the API server sends them and as anything else on
// the cluster network might: pod reviews against one world of SidecarSets, SidecarSet and binding
// reviews, objects broken at random paths, and bodies that are not a v1 AdmissionReview at all
// (non-JSON, another apiVersion or kind, no request, no uid...), sometimes to the wrong route.
import type { SidecarSetResourceBinding } from '@sidecarset/api';
import fc from 'fast-check';
import { applyBreakage, applyBreakages, breakageArb, breakagePath, hugeStringArb, type Breakage } from './mistype.js';
import { NAMESPACE_NAMES } from './namePools.js';
import { podArb } from './pods.js';
import { sidecarSetArb, WORLD_LETTERS } from './sidecarSets.js';
import { sometimes } from './sometimes.js';
import type { World } from './world.js';

export const ROUTES = ['/mutate-pods', '/mutate-sidecarsets', '/validate-sidecarsets', '/validate-resourcebindings'] as const;
export type Route = (typeof ROUTES)[number];

export type ReviewBody = { kind: 'json'; value: unknown } | { kind: 'raw'; text: string; contentType: string };

/** well-formed: a v1 AdmissionReview with a request, uid and operation (HTTP 200 expected); malformed: not one (HTTP 400); mistyped-request: one with other request fields of the wrong type (200 or 400). */
export type Expectation = 'well-formed' | 'malformed' | 'mistyped-request';

export interface ReviewCase {
  family: 'pod' | 'sidecarset' | 'binding' | 'broken';
  description: string;
  route: Route;
  body: ReviewBody;
  expectation: Expectation;
  /** request.object is what the route expects, generated well-typed (no breakage landed in it). */
  objectTyped: boolean;
  /** Pod reviews: the request's namespace, and whether the pod on its own passes API server validation. */
  pod?: { namespace: string; apiValid: boolean };
  /** 0 in about one case of three: dry-run this pod (when allowed and patched) through the API server. */
  dryRunTicket: number;
  /** The server may refuse by closing the connection while the body is still being sent (a body beyond its limit). */
  mayHangUp?: boolean;
}

const POD_KIND = { kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' } };
const SIDECARSET_KIND = { kind: { group: 'apps.kruise.io', version: 'v1alpha1', kind: 'SidecarSet' }, resource: { group: 'apps.kruise.io', version: 'v1alpha1', resource: 'sidecarsets' } };
const BINDING_KIND = {
  kind: { group: 'sidecarset.alibabacloud.com', version: 'v1alpha1', kind: 'SidecarSetResourceBinding' },
  resource: { group: 'sidecarset.alibabacloud.com', version: 'v1alpha1', resource: 'sidecarsetresourcebindings' },
};
const USER = { username: 'fuzzer', uid: 'fuzzer-uid', groups: ['system:authenticated'] };

/** The webhook's contract for a readable review (apps/webhook/src/admission/admissionReview.ts), stated independently. */
export function isReadableReview(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const review = body as Record<string, unknown>;
  if (review.apiVersion !== 'admission.k8s.io/v1' || review.kind !== 'AdmissionReview') return false;
  const request = review.request as Record<string, unknown> | null | undefined;
  if (typeof request !== 'object' || request === null) return false;
  return typeof request.uid === 'string' && request.uid !== '' && typeof request.operation === 'string';
}

interface RequestParts {
  operation: string;
  object: unknown;
  oldObject?: unknown;
  namespace?: string;
  name?: string;
  subResource?: string;
}

function review(uid: string, kinds: object, parts: RequestParts, dryRun: boolean): Record<string, unknown> {
  const { operation, object, oldObject, namespace, name, subResource } = parts;
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      ...kinds,
      ...(subResource ? { subResource } : {}),
      ...(name ? { name } : {}),
      ...(namespace ? { namespace } : {}),
      operation,
      userInfo: USER,
      object: operation === 'DELETE' ? null : object,
      ...(oldObject !== undefined ? { oldObject } : {}),
      dryRun,
      options: operation === 'CREATE' ? { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' } : null,
    },
  };
}

const ticketArb = fc.integer({ min: 0, max: 2 });
const breakagesArb = fc.array(breakageArb, { minLength: 1, maxLength: 3 });
const describeBreakages = (object: unknown, breakages: readonly Breakage[]): string => {
  const paths: string[] = [];
  breakages.reduce<unknown>((current, b) => (paths.push(breakagePath(current, b)), applyBreakage(current, b)), object);
  return paths.join(', ');
};

function podCaseArb(world: World): fc.Arbitrary<ReviewCase> {
  return fc
    .record({
      generated: podArb(world),
      uid: fc.uuid(),
      operation: fc.oneof({ weight: 12, arbitrary: fc.constant('CREATE') }, fc.constantFrom('UPDATE', 'DELETE', 'CONNECT')),
      subResource: sometimes(fc.constantFrom('status', 'binding', 'ephemeralcontainers', 'resize'), 10),
      dryRun: fc.boolean(),
      breakages: sometimes(breakagesArb, 8),
      ticket: ticketArb,
    })
    .map(({ generated, uid, operation, subResource, dryRun, breakages, ticket }): ReviewCase => {
      const object = breakages ? applyBreakages(generated.pod, breakages) : generated.pod;
      const name = generated.pod.metadata?.name;
      const body = review(uid, POD_KIND, { operation, object, oldObject: operation === 'CREATE' ? undefined : generated.pod, namespace: generated.namespace, name, subResource }, dryRun);
      return {
        family: 'pod',
        description: `pod ${operation}${subResource ? ` ${subResource}` : ''}${breakages ? ` broken at ${describeBreakages(generated.pod, breakages)}` : ''}`,
        route: '/mutate-pods',
        body: { kind: 'json', value: body },
        expectation: 'well-formed',
        objectTyped: !breakages,
        pod: { namespace: generated.namespace, apiValid: generated.apiValid },
        dryRunTicket: ticket,
      };
    });
}

/** SidecarSets sent straight to the SidecarSet routes: valid ones (named like world ones, so some conflict) and broken ones. */
const reviewSidecarSetArb = fc
  .tuple(fc.constantFrom(...WORLD_LETTERS, 'x'), fc.constantFrom('rv', 'fz0'))
  .chain(([letter, prefix]) => fc.tuple(sidecarSetArb(`${prefix}-${letter}`, letter, { adversarialQuantities: true }), sidecarSetArb(`${prefix}-${letter}`, letter)));

const sidecarSetCaseArb: fc.Arbitrary<ReviewCase> = fc
  .record({
    sets: reviewSidecarSetArb,
    route: fc.constantFrom<Route>('/mutate-sidecarsets', '/validate-sidecarsets'),
    uid: fc.uuid(),
    operation: fc.oneof({ weight: 6, arbitrary: fc.constant('CREATE') }, { weight: 3, arbitrary: fc.constant('UPDATE') }, fc.constant('DELETE')),
    subResource: sometimes(fc.constant('status'), 10),
    breakages: sometimes(breakagesArb, 2),
    dryRun: fc.boolean(),
  })
  .map(({ sets: [next, previous], route, uid, operation, subResource, breakages, dryRun }): ReviewCase => {
    const object = breakages ? applyBreakages(next, breakages) : next;
    const body = review(uid, SIDECARSET_KIND, { operation, object, oldObject: operation === 'CREATE' ? undefined : previous, name: next.metadata?.name, subResource }, dryRun);
    return {
      family: 'sidecarset',
      description: `SidecarSet ${operation}${subResource ? ` ${subResource}` : ''} to ${route}${breakages ? ` broken at ${describeBreakages(next, breakages)}` : ''}`,
      route,
      body: { kind: 'json', value: body },
      expectation: 'well-formed',
      objectTyped: !breakages,
      dryRunTicket: 1,
    };
  });

const bindingArb: fc.Arbitrary<SidecarSetResourceBinding> = fc
  .record({
    name: fc.constantFrom('filebeat-config', 'bind-1', 'Not_A_Name', ''),
    namespace: fc.constantFrom(...NAMESPACE_NAMES),
    subjects: fc.uniqueArray(fc.constantFrom('fz0-a', 'filebeat-sidecarset', 'rv-x'), { maxLength: 2 }),
    refs: fc.array(fc.record({ kind: fc.constantFrom('ConfigMap', 'Secret', 'Pod'), name: fc.constantFrom('filebeat-config', 'agent-certs', 'bad/name') }), { maxLength: 2 }),
  })
  .map(({ name, namespace, subjects, refs }) => ({
    apiVersion: 'sidecarset.alibabacloud.com/v1alpha1',
    kind: 'SidecarSetResourceBinding',
    metadata: { name, namespace },
    spec: { subjects: subjects.map((s) => ({ kind: 'SidecarSet' as const, name: s })), resourceRefs: refs },
  }) as SidecarSetResourceBinding);

const bindingCaseArb: fc.Arbitrary<ReviewCase> = fc
  .record({ binding: bindingArb, uid: fc.uuid(), operation: fc.constantFrom('CREATE', 'UPDATE', 'DELETE'), breakages: sometimes(breakagesArb, 2), dryRun: fc.boolean() })
  .map(({ binding, uid, operation, breakages, dryRun }): ReviewCase => {
    const object = breakages ? applyBreakages(binding, breakages) : binding;
    const body = review(uid, BINDING_KIND, { operation, object, oldObject: operation === 'CREATE' ? undefined : binding, namespace: binding.metadata?.namespace, name: binding.metadata?.name }, dryRun);
    return {
      family: 'binding',
      description: `SidecarSetResourceBinding ${operation}${breakages ? ` broken at ${describeBreakages(binding, breakages)}` : ''}`,
      route: '/validate-resourcebindings',
      body: { kind: 'json', value: body },
      expectation: 'well-formed',
      objectTyped: !breakages,
      dryRunTicket: 1,
    };
  });

const notJsonArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }).map((s) => `{${s}`),
  fc.constantFrom('', ' ', '{', '[1,', 'nul', '{"apiVersion":"admission.k8s.io/v1",}', "{'a':1}", '\u0000', 'AdmissionReview'),
  fc.string({ unit: 'binary', maxLength: 60 }).map((s) => `\u0001${s}`),
);

/** A readable review of any family, then broken at the review level or sent where it does not belong. */
function brokenCaseArb(world: World): fc.Arbitrary<ReviewCase> {
  const base = fc.oneof(podCaseArb(world), sidecarSetCaseArb, bindingCaseArb);
  return fc
    .record({
      base,
      how: fc.constantFrom('not-json', 'json-not-object', 'api-version', 'kind', 'request', 'request-field', 'wrong-route', 'content-type'),
      notJson: notJsonArb,
      nonObject: fc.oneof(fc.constantFrom(null, 0, 'x', true, [], [{}]), fc.jsonValue({ maxDepth: 2 }).filter((v) => typeof v !== 'object' || v === null || Array.isArray(v))),
      badValue: fc.oneof(fc.constantFrom(undefined, null, '', 'admission.k8s.io/v1beta1', 'v1', 1, {}, []), hugeStringArb),
      requestBreakage: breakageArb,
      requestField: fc.constantFrom('request', 'uid', 'operation'),
      route: fc.constantFrom(...ROUTES),
    })
    .map(({ base, how, notJson, nonObject, badValue, requestBreakage, requestField, route }): ReviewCase => {
      const value = (base.body as { value: Record<string, unknown> }).value;
      const request = value.request as Record<string, unknown>;
      const common = { ...base, family: 'broken' as const, pod: undefined, objectTyped: base.objectTyped };
      const json = (v: unknown, description: string, objectTyped = common.objectTyped): ReviewCase => ({
        ...common,
        description: `${base.description}; ${description}`,
        body: { kind: 'json', value: v },
        expectation: isReadableReview(v) ? (v === value ? 'well-formed' : 'mistyped-request') : 'malformed',
        objectTyped,
      });
      switch (how) {
        case 'not-json':
          return { ...common, description: `${base.description}; not JSON`, body: { kind: 'raw', text: notJson, contentType: 'application/json' }, expectation: 'malformed' };
        case 'content-type':
          return { ...common, description: `${base.description}; as text/plain`, body: { kind: 'raw', text: JSON.stringify(value), contentType: 'text/plain' }, expectation: 'malformed' };
        case 'json-not-object':
          return json(nonObject, 'a JSON value that is not an object');
        case 'api-version':
          return json({ ...value, apiVersion: badValue }, `apiVersion ${describeValue(badValue)}`);
        case 'kind':
          return json({ ...value, kind: badValue }, `kind ${describeValue(badValue)}`);
        case 'request':
          if (requestField === 'request') return json({ ...value, request: badValue }, `request ${describeValue(badValue)}`);
          return json({ ...value, request: { ...request, [requestField]: badValue } }, `request.${requestField} ${describeValue(badValue)}`);
        case 'request-field': {
          // A breakage in the request itself, the objects left as they were.
          const { object, oldObject, ...skeleton } = request;
          const broken = applyBreakage(skeleton, requestBreakage) as Record<string, unknown>;
          const where = breakagePath(skeleton, requestBreakage);
          return json({ ...value, request: { ...broken, object, ...(oldObject !== undefined ? { oldObject } : {}) } }, `request.${where} ${'remove' in requestBreakage.change ? 'removed' : `set to ${describeValue(requestBreakage.change.replace)}`}`);
        }
        case 'wrong-route':
          return { ...json(value, `sent to ${route}`, common.objectTyped && route === base.route), route, expectation: 'well-formed' };
      }
      throw new Error(`unknown breakage ${how}`);
    });
}

const describeValue = (value: unknown): string => {
  const text = value === undefined ? 'missing' : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 20)}... (${text.length} characters)` : text;
};

/** Every kind of review, weighted towards pods (where most of the rules are). */
export function reviewCaseArb(world: World): fc.Arbitrary<ReviewCase> {
  return fc.oneof(
    { weight: 10, arbitrary: podCaseArb(world) },
    { weight: 4, arbitrary: sidecarSetCaseArb },
    { weight: 1, arbitrary: bindingCaseArb },
    { weight: 4, arbitrary: brokenCaseArb(world) },
  );
}

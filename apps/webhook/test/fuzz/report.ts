// What a person reads when the suite fails: per class, the property, how often, how to replay, and the
// smallest case found (the review's object, and for pods the SidecarSets that select it), with huge
// strings abbreviated.
import type { Pod, SidecarSet } from '@sidecarset/api';
import type { CampaignSummary, FailureClass } from './campaign.js';
import { namespaceLabels } from './namePools.js';
import type { ReviewCase } from './reviews.js';
import { sidecarSetSelects } from './selects.js';

const abbreviate = (_key: string, value: unknown): unknown =>
  typeof value === 'string' && value.length > 120 ? `${value.slice(0, 24)}…(${value.length} characters)` : value;

export const printable = (value: unknown): string => JSON.stringify(value, abbreviate) ?? 'undefined';

export function summaryLine(summary: CampaignSummary, classes: readonly FailureClass[]): string {
  const families = Object.entries(summary.byFamily)
    .map(([family, n]) => `${n} ${family}`)
    .join(', ');
  return (
    `fuzz seed ${summary.seed}: ${summary.reviews} reviews (${families}), ${summary.allowed} allowed (${summary.injected} pods injected), ${summary.denied} denied, ` +
    `${summary.refusedAsMalformed} refused as malformed; ${summary.dryRunAccepted} dry-run accepted, ${summary.dryRunRefused} refused; ` +
    `${summary.extraReviews} more reviews to classify and shrink; ${classes.length} failure classes; ${(summary.ms / 1000).toFixed(1)} s`
  );
}

/** As generated (without the defaults the webhook added when it was stored). */
const asGenerated = (sidecarSet: SidecarSet, world: FailureClass['world']): SidecarSet =>
  world.generated.find((g) => g.metadata?.name === sidecarSet.metadata?.name) ?? sidecarSet;

function selectingSidecarSets(testCase: ReviewCase, cls: FailureClass): SidecarSet[] {
  if (!testCase.pod) return [];
  const pod = (testCase.body as { value: { request: { object: Pod } } }).value.request.object;
  const namespace = testCase.pod.namespace;
  return cls.world.sidecarSets.filter((s) => sidecarSetSelects(s, pod.metadata?.labels ?? {}, namespace, namespaceLabels(namespace)));
}

function describeCase(testCase: ReviewCase, cls: FailureClass): string {
  const lines = [`    review: ${testCase.description} -> POST ${testCase.route}`];
  if (testCase.body.kind === 'raw') lines.push(`    body (${testCase.body.contentType}): ${printable(testCase.body.text)}`);
  else {
    const value = testCase.body.value as { request?: { object?: unknown; namespace?: unknown; operation?: unknown } } | null;
    const request = typeof value === 'object' && value !== null && typeof value.request === 'object' && value.request !== null ? value.request : undefined;
    if (testCase.family === 'broken' || !request) lines.push(`    body: ${printable(value)}`);
    else {
      lines.push(`    request: operation ${String(request.operation)}, namespace ${String(request.namespace ?? '')}`);
      lines.push(`    object: ${printable(request.object)}`);
    }
  }
  for (const sidecarSet of selectingSidecarSets(testCase, cls)) lines.push(`    selecting SidecarSet: ${printable(asGenerated(sidecarSet, cls.world))}`);
  return lines.join('\n');
}

export function classReport(cls: FailureClass, seed: number): string {
  const best = cls.minimal ?? cls.example;
  const replay = cls.minimal ? `world ${cls.first.world}, fast-check path ${cls.minimal.path}` : `world ${cls.first.world}, run ${cls.first.run}`;
  return [
    `* ${cls.property}: ${cls.signature}${cls.needs.length ? ` (needs ${cls.needs.join(' + ')})` : ''}`,
    `    ${cls.count} case(s); first at ${replay} (FUZZ_SEED=${seed}); ${cls.minimal ? `shrunk in ${cls.minimal.shrinks} steps` : 'not shrunk'}`,
    `    failure: ${best.failure.detail.slice(0, 400)}`,
    describeCase(best.testCase, cls),
  ].join('\n');
}

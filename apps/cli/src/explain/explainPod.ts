// `kubectl-sidecarset explain pod`: for one pod, every SidecarSet that selects it or nearly does, and
// why each does or does not inject; what is injected now against what the current SidecarSets would
// inject if the pod were created now; whether its sidecars are up to date and, if not, why. Pure: the
// same core functions the webhook and the controller run (sidecarSetMatchesPod, injectPod,
// resolveInjectionRevision, planRollout), on the objects the command read.
import type { ControllerRevision, Pod, SidecarSet } from '@sidecarset/api/offline';
import {
  INJECTED_LIST_ANNOTATION,
  SIDECARSET_HASH_ANNOTATION,
  injectPod,
  isInjectedContainer,
  parseInjectedList,
  parseSidecarSetHashes,
  planRollout,
  podNamespace,
  resolveInjectionRevision,
  sidecarSetMatchesPod,
  type InjectionResult,
} from '@sidecarset/core';

export interface RequirementCheck {
  /** Which part of the SidecarSet: spec.selector, spec.namespace, spec.namespaceSelector. */
  field: string;
  requirement: string;
  holds: boolean;
}

export interface SidecarSetExplanation {
  name: string;
  selects: boolean;
  /** Selects the pod, or would with one requirement fewer. */
  near: boolean;
  checks: RequirementCheck[];
  /** For a pod created now: injected, skipped (and why), or refused (the webhook's error). */
  injection: { verdict: 'injects' | 'skips' | 'denies' | 'not selected'; reason?: string; revision?: string };
  /** Injected into this pod (its injected-list annotation). */
  injectedNow: boolean;
  upToDate?: { ok: boolean; reason: string };
}

export interface PodExplanation {
  pod: string;
  sidecarSets: SidecarSetExplanation[];
  /** SidecarSets neither selecting the pod nor near it (left out of sidecarSets). */
  othersNotClose: number;
  injectedNow: { sidecarSets: string[]; containers: string[] };
  wouldInject: { sidecarSets: string[]; containers: string[]; errors: string[] };
}

export interface ExplainInputs {
  namespaceLabels: Record<string, string> | undefined;
  revisions: readonly ControllerRevision[];
  now: Date;
}

type Selector = NonNullable<SidecarSet['spec']['selector']>;
type Expression = NonNullable<Selector['matchExpressions']>[number];

const formatExpression = (e: Expression): string => (e.operator === 'Exists' || e.operator === 'DoesNotExist' ? `${e.operator === 'DoesNotExist' ? '!' : ''}${e.key}` : `${e.key} ${e.operator.toLowerCase()} (${(e.values ?? []).join(',')})`);

/** Each requirement of a selector on its own, evaluated with the core's own matcher. */
function selectorChecks(field: string, selector: Selector | undefined, labels: Record<string, string> | undefined): RequirementCheck[] {
  if (!selector) return [];
  const parts: { requirement: string; selector: Selector }[] = [
    ...Object.entries(selector.matchLabels ?? {}).map(([key, value]) => ({ requirement: `${key}=${value}`, selector: { matchLabels: { [key]: value } } })),
    ...(selector.matchExpressions ?? []).map((e) => ({ requirement: formatExpression(e), selector: { matchExpressions: [e] } })),
  ];
  if (!parts.length) return [{ field, requirement: '<empty selector>', holds: field === 'spec.namespaceSelector' }]; // an empty spec.selector selects nothing
  const probe = (s: Selector) =>
    sidecarSetMatchesPod({ apiVersion: 'apps.kruise.io/v1alpha1', kind: 'SidecarSet', metadata: { name: 'probe' }, spec: { selector: s, containers: [] } } as SidecarSet, { metadata: { namespace: 'ns', labels: labels ?? {} } } as Pod, 'ns', undefined);
  return parts.map((p) => ({ field, requirement: p.requirement, holds: probe(p.selector) }));
}

function checksOf(sidecarSet: SidecarSet, pod: Pod, namespace: string, namespaceLabels: Record<string, string> | undefined): RequirementCheck[] {
  const spec = sidecarSet.spec;
  return [
    ...(spec.namespace ? [{ field: 'spec.namespace', requirement: spec.namespace, holds: spec.namespace === namespace }] : []),
    ...selectorChecks('spec.namespaceSelector', spec.namespaceSelector, namespaceLabels),
    ...selectorChecks('spec.selector', spec.selector, pod.metadata?.labels),
  ];
}

/** The pod as its author wrote it: injected sidecars and the injection's annotations removed. */
function asCreated(pod: Pod): Pod {
  const annotations = Object.fromEntries(Object.entries(pod.metadata?.annotations ?? {}).filter(([key]) => !key.startsWith('kruise.io/sidecarset-')));
  const spec = pod.spec ?? { containers: [] };
  return {
    ...pod,
    metadata: { ...pod.metadata, annotations },
    spec: { ...spec, containers: spec.containers.filter((c) => !isInjectedContainer(c)), ...(spec.initContainers ? { initContainers: spec.initContainers.filter((c) => !isInjectedContainer(c)) } : {}) },
  };
}

const sidecarNames = (pod: Pod): string[] => [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].filter(isInjectedContainer).map((c) => `${c.name}=${c.image ?? ''}`);

function injectionVerdict(name: string, selects: boolean, result: InjectionResult, sidecarSet: SidecarSet, pod: Pod, revisions: readonly ControllerRevision[]): SidecarSetExplanation['injection'] {
  if (!selects) return { verdict: 'not selected' };
  const resolved = resolveInjectionRevision(sidecarSet, pod, revisions);
  const revision = resolved.ok ? resolved.revision : undefined;
  const withRevision = revision ? { revision } : {};
  const skipped = result.skipped.find((s) => s.sidecarSet === name);
  if (skipped) return { verdict: 'skips', reason: skipped.reason, ...withRevision };
  const errors = result.errors.filter((e) => e.sidecarSet === name || e.sidecarSet === undefined);
  if (errors.length) return { verdict: 'denies', reason: errors.map((e) => `${e.path}: ${e.reason}`).join('; '), ...withRevision };
  if (result.injected.includes(name)) return { verdict: 'injects', ...withRevision };
  return { verdict: 'skips', reason: 'not applied (another SidecarSet refused the pod)', ...withRevision };
}

/** Whether the pod's sidecars of this SidecarSet are its current ones; when not, why, as `plan` says it. */
function upToDate(sidecarSet: SidecarSet, pod: Pod, recordedHash: string | undefined, now: Date): { ok: boolean; reason: string } {
  const current = sidecarSet.metadata?.annotations?.[SIDECARSET_HASH_ANNOTATION];
  if (recordedHash !== undefined && recordedHash === current) return { ok: true, reason: `hash ${current} is the SidecarSet's` };
  const plan = planRollout(sidecarSet, [pod], now);
  const key = `${podNamespace(pod)}/${pod.metadata?.name ?? ''}`;
  const differs = `hash ${recordedHash ?? '<none>'} is not the SidecarSet's ${current ?? '<none>'}`;
  if (plan.next.includes(key)) return { ok: false, reason: `${differs}: the next round of its rollout updates it` };
  const waiting = plan.waiting.find((w) => w.pod === key);
  return { ok: false, reason: `${differs}: ${waiting?.reason ?? 'its sidecars are being updated in place'}` };
}

export function explainPod(pod: Pod, sidecarSets: readonly SidecarSet[], inputs: ExplainInputs): PodExplanation {
  const namespace = podNamespace(pod);
  const created = asCreated(pod);
  const result = injectPod(created, sidecarSets, { namespace, namespaceLabels: inputs.namespaceLabels ?? {}, revisions: [...inputs.revisions], now: inputs.now.toISOString() });
  const injectedList = parseInjectedList(pod.metadata?.annotations?.[INJECTED_LIST_ANNOTATION]);
  const hashes = parseSidecarSetHashes(pod.metadata?.annotations?.[SIDECARSET_HASH_ANNOTATION]);
  const explained: SidecarSetExplanation[] = [];
  let othersNotClose = 0;
  for (const sidecarSet of [...sidecarSets].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))) {
    const name = sidecarSet.metadata?.name ?? '';
    const checks = checksOf(sidecarSet, pod, namespace, inputs.namespaceLabels);
    const selects = sidecarSetMatchesPod(sidecarSet, pod, namespace, inputs.namespaceLabels);
    const failing = checks.filter((c) => !c.holds).length;
    const injectedNow = injectedList.includes(name);
    if (!selects && failing > 1 && !injectedNow) {
      othersNotClose++;
      continue;
    }
    const entry: SidecarSetExplanation = { name, selects, near: !selects, checks, injection: injectionVerdict(name, selects, result, sidecarSet, created, inputs.revisions), injectedNow };
    if (injectedNow && selects) entry.upToDate = upToDate(sidecarSet, pod, hashes.ok ? hashes.hashes.get(name)?.hash : undefined, inputs.now);
    if (injectedNow && !selects) entry.upToDate = { ok: false, reason: 'no longer selected: the controller leaves its sidecars as they are' };
    explained.push(entry);
  }
  return {
    pod: `${namespace}/${pod.metadata?.name ?? ''}`,
    sidecarSets: explained,
    othersNotClose,
    injectedNow: { sidecarSets: injectedList, containers: sidecarNames(pod) },
    wouldInject: { sidecarSets: result.errors.length ? [] : result.injected, containers: result.errors.length ? [] : sidecarNames(result.pod), errors: result.errors.map((e) => `${e.path}: ${e.reason}`) },
  };
}

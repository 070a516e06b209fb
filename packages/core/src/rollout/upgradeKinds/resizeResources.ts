// What the resize kind needs to know about container resources, as the API server reads them:
// requests default to limits; quantities compare by value ("0.5" is "500m"); only cpu and memory
// resize in place (ValidatePodResize refuses any other resource or a claim); and a resize may not
// change the pod's QoS class (the API server refuses that too), computed as GetPodQOS computes it.
import type { Container, Pod, ResourceRequirements } from '@sidecarset/api';
import { compareQuantities, parseGoQuantity } from '../../resources/goQuantity.js';

export const RESIZABLE_RESOURCES: readonly string[] = ['cpu', 'memory'];

type Quantities = Record<string, string | number>;

export interface EffectiveResources {
  requests: Quantities;
  limits: Quantities;
}

/** As the API server stores them: a limit without a request sets the request. */
export function effectiveResources(resources: ResourceRequirements | undefined): EffectiveResources {
  const limits: Quantities = { ...resources?.limits };
  return { requests: { ...limits, ...resources?.requests }, limits };
}

function sameQuantity(a: string | number | undefined, b: string | number | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const x = parseGoQuantity(String(a));
  const y = parseGoQuantity(String(b));
  if (!x.ok || !y.ok) return String(a) === String(b);
  return compareQuantities({ ...x.quantity }, y.quantity) === 0;
}

/** The resource names whose quantities differ between two lists (among `only`, when given). */
function differingNames(a: Quantities, b: Quantities, only?: readonly string[]): string[] {
  const names = new Set([...Object.keys(a), ...Object.keys(b)].filter((name) => !only || only.includes(name)));
  return [...names].filter((name) => !sameQuantity(a[name], b[name])).sort();
}

/** Whether two containers' resources are the same, as the API server would store them. */
export function sameResources(a: ResourceRequirements | undefined, b: ResourceRequirements | undefined): boolean {
  return resourceDifferences(a, b).length === 0;
}

/** e.g. ["requests.cpu", "limits.memory"]; claims as "claims". */
export function resourceDifferences(a: ResourceRequirements | undefined, b: ResourceRequirements | undefined): string[] {
  const x = effectiveResources(a);
  const y = effectiveResources(b);
  const fields = [
    ...differingNames(x.requests, y.requests).map((name) => `requests.${name}`),
    ...differingNames(x.limits, y.limits).map((name) => `limits.${name}`),
  ];
  if (JSON.stringify(a?.claims ?? []) !== JSON.stringify(b?.claims ?? [])) fields.push('claims');
  return fields;
}

/**
 * Whether the kubelet's report (containerStatuses[].resources) shows the spec's cpu and memory. Only
 * what the spec sets is compared: a kubelet may report more (e.g. a minimum cpu share).
 */
export function reportedMatchesSpec(reported: ResourceRequirements, spec: ResourceRequirements | undefined): boolean {
  const want = effectiveResources(spec);
  const have = effectiveResources(reported);
  const specNames = (list: Quantities) => Object.keys(list).filter((name) => RESIZABLE_RESOURCES.includes(name));
  return specNames(want.requests).every((name) => sameQuantity(want.requests[name], have.requests[name]))
    && specNames(want.limits).every((name) => sameQuantity(want.limits[name], have.limits[name]));
}

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/** The pod's QoS class, as GetPodQOS computes it (pod-level resources first, else every container). */
export function podQosClass(pod: Pod, replaced?: { list: 'containers' | 'initContainers'; name: string; resources: ResourceRequirements | undefined }): QosClass {
  const podLevel = (pod.spec as { resources?: ResourceRequirements } | undefined)?.resources;
  const resourcesOf = (list: 'containers' | 'initContainers', container: Container) =>
    replaced && replaced.list === list && replaced.name === container.name ? replaced.resources : container.resources;
  const all = podLevel && (podLevel.requests || podLevel.limits)
    ? [podLevel]
    : [...(pod.spec?.initContainers ?? []).map((c) => resourcesOf('initContainers', c)), ...(pod.spec?.containers ?? []).map((c) => resourcesOf('containers', c))];
  let any = false;
  let guaranteed = true;
  for (const resources of all) {
    const { requests, limits } = effectiveResources(resources);
    for (const name of RESIZABLE_RESOURCES) {
      const hasRequest = requests[name] !== undefined && !sameQuantity(requests[name], 0);
      const hasLimit = limits[name] !== undefined && !sameQuantity(limits[name], 0);
      if (hasRequest || hasLimit) any = true;
      if (!hasLimit || !sameQuantity(requests[name], limits[name])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

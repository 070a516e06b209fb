// Container resource names and what each allows, as the API server validates a pod's containers
// (validateContainerResourceName, validateResourceRequirements; OpenKruise runs those over its fake
// pod of the sidecars): a name without a domain is one of cpu, memory, ephemeral-storage or
// hugepages-<size>; a name with one is native (in kubernetes.io) or an extended resource, whose
// request must equal its limit and whose quantities are whole numbers.
import { qualifiedName } from './k8sNames.js';

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const HUGE_PAGES_PREFIX = 'hugepages-';
const NATIVE_DOMAIN = 'kubernetes.io/';
const REQUESTS_PREFIX = 'requests.';

export const isHugePagesResource = (name: string): boolean => name.startsWith(HUGE_PAGES_PREFIX);

/** In the default (kubernetes.io) namespace: no domain, or a domain containing kubernetes.io/. */
const isNativeResource = (name: string): boolean => !name.includes('/') || name.includes(NATIVE_DOMAIN);

/** A resource a device plugin or the node advertises (example.com/gpu). */
export function isExtendedResource(name: string): boolean {
  if (isNativeResource(name) || name.startsWith(REQUESTS_PREFIX)) return false;
  return qualifiedName(`${REQUESTS_PREFIX}${name}`).length === 0;
}

/** Whether the request may be below the limit (extended resources and huge pages: equal only). */
export const isOvercommitAllowed = (name: string): boolean => isNativeResource(name) && !isHugePagesResource(name);

/** The messages for a container resource name that the API server refuses; [] when it is valid. */
export function containerResourceNameErrors(name: string): string[] {
  const syntax = qualifiedName(name);
  if (syntax.length) return syntax.map((m) => `resource name: ${m}`);
  if (!name.includes('/')) {
    return STANDARD_CONTAINER_RESOURCES.has(name) || isHugePagesResource(name)
      ? []
      : ['must be a standard resource for containers (cpu, memory, ephemeral-storage, hugepages-<size>) or fully qualified, e.g. example.com/gpu'];
  }
  if (!isNativeResource(name) && !isExtendedResource(name)) return ["doesn't follow the extended resource name standard (<domain>/<name>, not starting with requests.)"];
  return [];
}

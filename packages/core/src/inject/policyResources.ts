// Injection step: a sidecar with a resourcesPolicy gets the resources it computes for this pod
// (resources/resourcesFromPolicy.ts), in place of its own; a policy that cannot be computed for the
// pod (no target container, an expression that fails) denies the pod, naming the field, as
// OpenKruise's webhook refuses it.
import type { Container, FieldError, Pod, SidecarContainer } from '@sidecarset/api';
import { resourcesFromPolicy } from '../resources/resourcesFromPolicy.js';

/** Every container and initContainer name of the SidecarSets injected into a pod: never a policy's target. */
export function injectedSidecarNames(sidecarSets: readonly { spec: { containers?: { name: string }[]; initContainers?: { name: string }[] } }[]): Set<string> {
  const names = new Set<string>();
  for (const { spec } of sidecarSets) for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) names.add(c.name);
  return names;
}

export type PolicyStep = { ok: true; container: Container } | { ok: false; error: FieldError };

/** `container` (as sidecarContainerForPod built it) with the resources its policy gives; unchanged without a policy. */
export function withPolicyResources(container: Container, sidecar: SidecarContainer, path: string, pod: Pod, sidecarNames: ReadonlySet<string>): PolicyStep {
  const policy = sidecar.resourcesPolicy;
  if (policy === undefined || policy === null) return { ok: true, container };
  const computed = resourcesFromPolicy(policy, pod, sidecarNames);
  if (!computed.ok) {
    const at = computed.error.path ? `${path}.resourcesPolicy.${computed.error.path}` : `${path}.resourcesPolicy`;
    return { ok: false, error: { path: at, type: 'Invalid', reason: computed.error.reason } };
  }
  return { ok: true, container: { ...container, resources: computed.resources } };
}

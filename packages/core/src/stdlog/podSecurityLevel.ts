// The Pod Security level the API server's PodSecurity admission enforces in a namespace, read from the
// namespace's labels as that plugin reads them (pod-security-admission api.PolicyToEvaluate): the
// `pod-security.kubernetes.io/enforce` label's value; a value it cannot parse is `restricted`; no label
// is the cluster's default, which is `privileged` unless the API server's AdmissionConfiguration sets
// another (not visible from here). Only `privileged` allows hostPath volumes: baseline forbids them
// at every version.

export const POD_SECURITY_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

export interface EnforcedPodSecurity {
  level: PodSecurityLevel;
  /** The label's value as written, when there is one. */
  label?: string;
}

const LEVELS: ReadonlySet<string> = new Set<PodSecurityLevel>(['privileged', 'baseline', 'restricted']);

export function enforcedPodSecurity(namespaceLabels: Readonly<Record<string, string>>): EnforcedPodSecurity {
  const label = Object.hasOwn(namespaceLabels, POD_SECURITY_ENFORCE_LABEL) ? namespaceLabels[POD_SECURITY_ENFORCE_LABEL] : undefined;
  if (label === undefined) return { level: 'privileged' };
  return { level: LEVELS.has(label) ? (label as PodSecurityLevel) : 'restricted', label };
}

export const podSecurityAllowsHostPath = (enforced: EnforcedPodSecurity): boolean => enforced.level === 'privileged';

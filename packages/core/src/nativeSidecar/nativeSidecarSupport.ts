// Whether the nodes a pod can run on start native sidecars, decided as seed 001 advises an injector:
// the pod's spec.nodeName when it is set, else every known node its spec.nodeSelector allows (all of
// them must be 1.29+: the scheduler may pick any); when no such node is known (an empty cluster, a
// selector no node has yet), the API server's version, as nodes are within the supported skew of it.
// Node affinity and taints are not read: a pod may be kept off some old nodes by them and still be
// treated as possibly landing there (the safe side: a regular container).
import type { Pod } from '@sidecarset/api';
import { parseKubeVersion, supportsNativeSidecars } from './kubeletVersion.js';
import type { NodeVersion, NodeVersions } from './nodeVersions.js';

export type NativeSidecarSupport = { native: true } | { native: false; reason: string };

/** How many unable nodes a reason names; the rest are counted. */
const NAMED_NODES = 3;

export function nodesPodCanRunOn(pod: Pod, nodes: readonly NodeVersion[]): NodeVersion[] {
  const nodeName = pod.spec?.nodeName;
  if (nodeName) return nodes.filter((node) => node.name === nodeName);
  const selector = Object.entries(pod.spec?.nodeSelector ?? {});
  return nodes.filter((node) => selector.every(([key, value]) => node.labels[key] === value));
}

export function nativeSidecarSupport(pod: Pod, versions: NodeVersions | undefined): NativeSidecarSupport {
  if (!versions) return { native: false, reason: 'the nodes\' kubelet versions are not known' };
  const candidates = nodesPodCanRunOn(pod, versions.nodes);
  if (candidates.length === 0) {
    const where = pod.spec?.nodeName ? `node "${pod.spec.nodeName.slice(0, 253)}" is not known` : 'no known node matches its nodeSelector';
    if (supportsNativeSidecars(parseKubeVersion(versions.apiServerVersion))) return { native: true };
    const api = versions.apiServerVersion ? `the API server runs ${versions.apiServerVersion.slice(0, 64)} (< 1.29)` : 'the API server\'s version is not known';
    return { native: false, reason: `${where} and ${api}` };
  }
  const unable = candidates.filter((node) => !supportsNativeSidecars(parseKubeVersion(node.kubeletVersion)));
  if (unable.length === 0) return { native: true };
  const named = unable.slice(0, NAMED_NODES).map((node) => `"${node.name}" (kubelet ${node.kubeletVersion.slice(0, 64) || 'version unknown'})`);
  const more = unable.length > NAMED_NODES ? ` and ${unable.length - NAMED_NODES} more` : '';
  return { native: false, reason: `the pod can run on node${unable.length > 1 ? 's' : ''} ${named.join(', ')}${more}, older than 1.29` };
}

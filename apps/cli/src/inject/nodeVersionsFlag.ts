// The node versions offline injection decides native sidecars with, as the webhook's Node cache would
// hold them: Node documents from --sidecarsets (each its kubelet version and labels), and --node-version
// for the API server (and, without Node documents, for every node). Neither: unknown.
import type { NodeVersion, NodeVersions } from '@sidecarset/core';

export function nodeVersionsFor(flag: string | undefined, nodes: readonly NodeVersion[]): { nodeVersions?: NodeVersions } {
  if (flag === undefined && nodes.length === 0) return {};
  return { nodeVersions: { nodes, ...(flag !== undefined ? { apiServerVersion: flag } : {}) } };
}

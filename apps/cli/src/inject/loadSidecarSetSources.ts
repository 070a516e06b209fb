// Reads the --sidecarsets paths: the SidecarSets to inject, the ControllerRevisions that pin their
// revisions, the Namespaces whose labels namespaceSelectors match and the SidecarSetResourceBindings
// that let SidecarSets mount ConfigMaps and Secrets of other namespaces. A SidecarSet or binding the
// API server would refuse is an error here too, never skipped: structure against the CRD schema, then
// the core's semantic rules (a SidecarSet as admitted: defaulted, hashed).
import {
  fieldPath,
  parseManifests,
  validateAgainstCrd,
  type ControllerRevision,
  type FieldError,
  type Namespace,
  type SidecarSet,
  type SidecarSetResourceBinding,
} from '@sidecarset/api/offline';
import { admitSidecarSet, validateResourceBinding, validateSidecarSet, type NodeVersion } from '@sidecarset/core';
import { documentLocation, fieldErrorsAt, type InputError } from './inputErrors.js';
import { fileSystemReader, ioErrorMessage, type ManifestFileReader } from './manifestFiles.js';
import { isObject } from './workloadTemplates.js';

export interface SidecarSetSources {
  /** As the API server would store them, in the order read. */
  sidecarSets: SidecarSet[];
  revisions: ControllerRevision[];
  /** As read; one without metadata.namespace is in the -n namespace, as kubectl apply would put it. */
  bindings: SidecarSetResourceBinding[];
  /** Labels of each Namespace found, with the API server's own `kubernetes.io/metadata.name`. */
  namespaceLabels: Record<string, Record<string, string>>;
  /** Node documents: name, labels and status.nodeInfo.kubeletVersion, for native sidecars. */
  nodes: NodeVersion[];
  errors: InputError[];
}

export function loadSidecarSetSources(paths: readonly string[], reader: ManifestFileReader = fileSystemReader): SidecarSetSources {
  const sources: SidecarSetSources = { sidecarSets: [], revisions: [], bindings: [], namespaceLabels: {}, nodes: [], errors: [] };
  const seen = new Map<string, string>(); // SidecarSet name -> where it was first defined
  for (const path of paths) {
    let files: string[];
    try {
      files = reader.list(path);
    } catch (error) {
      sources.errors.push({ location: path, message: ioErrorMessage(error) });
      continue;
    }
    for (const file of files) {
      let text: string;
      try {
        text = reader.read(file);
      } catch (error) {
        sources.errors.push({ location: file, message: ioErrorMessage(error) });
        continue;
      }
      for (const document of parseManifests(text)) {
        const location = documentLocation(file, document.index, document.value);
        if (document.errors.length > 0) {
          // What the parser could read of a broken document would only add misleading errors.
          sources.errors.push(...fieldErrorsAt(location, document.errors));
          continue;
        }
        addObject(sources, seen, location, document.value, []);
      }
    }
  }
  return sources;
}

function addObject(sources: SidecarSetSources, seen: Map<string, string>, location: string, value: unknown, path: (string | number)[]): void {
  if (!isObject(value)) return;
  const at = (errors: FieldError[]) => fieldErrorsAt(location, errors.map((e) => ({ ...e, path: prefixed(path, e.path) })));
  switch (value.kind) {
    case 'List':
      if (Array.isArray(value.items)) value.items.forEach((item, i) => addObject(sources, seen, location, item, [...path, 'items', i]));
      return;
    case 'SidecarSet': {
      const structural = validateAgainstCrd('SidecarSet', value);
      if (structural.length > 0) return void sources.errors.push(...at(structural));
      const admitted = admitSidecarSet(value as unknown as SidecarSet);
      const name = admitted.metadata?.name ?? '';
      const first = seen.get(name);
      if (first !== undefined) {
        return void sources.errors.push(
          ...at([{ path: 'metadata.name', type: 'Duplicate', reason: `Duplicate value: "${name}" (also in ${first})`, value: name }]),
        );
      }
      // Like `kubectl apply` over the same files: each SidecarSet meets the ones applied before it.
      const semantic = validateSidecarSet(admitted, undefined, sources.sidecarSets);
      if (semantic.length > 0) return void sources.errors.push(...at(semantic));
      seen.set(name, path.length > 0 ? `${location} ${prefixed(path, '')}` : location);
      sources.sidecarSets.push(admitted);
      return;
    }
    case 'ControllerRevision':
      sources.revisions.push(value as ControllerRevision);
      return;
    case 'SidecarSetResourceBinding': {
      const errors = validateAgainstCrd('SidecarSetResourceBinding', value);
      if (errors.length === 0) errors.push(...validateResourceBinding(value as unknown as SidecarSetResourceBinding));
      if (errors.length > 0) return void sources.errors.push(...at(errors));
      sources.bindings.push(value as unknown as SidecarSetResourceBinding);
      return;
    }
    case 'Node': {
      const node = value as { metadata?: { name?: unknown; labels?: unknown }; status?: { nodeInfo?: { kubeletVersion?: unknown } } };
      const name = typeof node.metadata?.name === 'string' ? node.metadata.name : '';
      const version = node.status?.nodeInfo?.kubeletVersion;
      const labels = isStringMap(node.metadata?.labels) ? node.metadata.labels : {};
      if (typeof version !== 'string') return void sources.errors.push(...at([{ path: 'status.nodeInfo.kubeletVersion', type: 'Required', reason: 'Required value: a Node in --sidecarsets says which kubelet version it runs' }]));
      sources.nodes.push({ name, labels, kubeletVersion: version });
      return;
    }
    case 'Namespace': {
      const namespace = value as Namespace;
      const name = namespace.metadata?.name;
      if (name) sources.namespaceLabels[name] = { ...namespace.metadata?.labels, 'kubernetes.io/metadata.name': name };
      return;
    }
  }
}

const isStringMap = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');

/** `items[2]` + `spec.x` -> `items[2].spec.x`. */
function prefixed(path: readonly (string | number)[], field: string): string {
  const head = fieldPath(path);
  return head && field ? `${head}.${field}` : head || field;
}

// Injects one input document offline, as the webhook would inject the Pods it leads to: a Pod is
// injected whole; a workload's pod template is injected as a Pod in the workload's namespace with the
// template's labels, and only the template changes; a List has each item injected; anything else is
// returned as it is.
import { fieldPath, type ControllerRevision, type FieldError, type Pod, type PodTemplateSpec, type SidecarSet, type SidecarSetResourceBinding } from '@sidecarset/api/offline';
import { injectPod, type InjectionError, type NodeVersions } from '@sidecarset/core';
import type { Labels } from './namespaceLabels.js';
import { injectionTarget, isObject, withValueAt } from './workloadTemplates.js';

export interface InjectionContext {
  sidecarSets: SidecarSet[];
  revisions: ControllerRevision[];
  /** Bindings for NAMESPACE/NAME volumes, each with its namespace set. */
  bindings: SidecarSetResourceBinding[];
  /** CSIDriver names of the target cluster (--csi-driver): a stdlog volume without its driver is rewritten. */
  csiDrivers: ReadonlySet<string>;
  /** For documents without metadata.namespace: -n, else `default`. */
  defaultNamespace: string;
  namespaceLabels: (namespace: string) => Labels;
  /** ISO time written into the injected pods' hash annotations. */
  now: string;
  /** Numbers in [0, 1) for Partial revision draws: one per pod (or pod template) and SidecarSet. */
  draw: () => number;
  /** Node kubelet versions (--node-version, Node documents): native sidecars where they allow; absent: unknown. */
  nodeVersions?: NodeVersions;
}

export interface InjectedDocument {
  document: unknown;
  /**
   * Why the document cannot be injected (the webhook would deny its pods): fields of the document
   * (`items[1].spec.template.metadata.annotations[...]`), or of the SidecarSet the reason names.
   */
  errors: FieldError[];
  /** What the webhook would warn the pod's creator of (a sidecar asking to be native left regular). */
  warnings: string[];
}

/** `at`: where the document sits in the one being injected (`items[1]`), for error paths. */
export function injectDocument(document: unknown, context: InjectionContext, at: (string | number)[] = []): InjectedDocument {
  if (isObject(document) && document.kind === 'List' && Array.isArray(document.items)) return injectList(document, document.items, context, at);
  const target = injectionTarget(document);
  if (target.type === 'none' || !isObject(document)) return { document, errors: [], warnings: [] };
  const namespace = namespaceOf(document) || context.defaultNamespace;
  const injectContext = {
    namespace,
    namespaceLabels: context.namespaceLabels(namespace),
    revisions: context.revisions,
    now: context.now,
    draw: context.draw,
    bindings: context.bindings,
    csiDrivers: context.csiDrivers,
    ...(context.nodeVersions ? { nodeVersions: context.nodeVersions } : {}),
  };

  if (target.type === 'pod') {
    const result = injectPod(document as Pod, context.sidecarSets, injectContext);
    const errors = result.errors.map((error) => located(error, at));
    return { document: result.injected.length > 0 ? result.pod : document, errors, warnings: result.warnings };
  }

  const result = injectPod(templateAsPod(target.template, namespace), context.sidecarSets, injectContext);
  const errors = result.errors.map((error) => located(error, [...at, ...target.path]));
  if (result.injected.length === 0) return { document, errors, warnings: result.warnings };
  return { document: withValueAt(document, target.path, podAsTemplate(result.pod, target.template)), errors, warnings: result.warnings };
}

function injectList(list: Record<string, unknown>, items: unknown[], context: InjectionContext, at: (string | number)[]): InjectedDocument {
  const errors: FieldError[] = [];
  const warnings: string[] = [];
  const injected = items.map((item, index) => {
    const result = injectDocument(item, context, [...at, 'items', index]);
    errors.push(...result.errors);
    warnings.push(...result.warnings.map((w) => `items[${index}]: ${w}`));
    return result.document;
  });
  return { document: { ...list, items: injected }, errors, warnings };
}

/** The Pod a controller would create from the template, as far as injection can tell. */
function templateAsPod(template: PodTemplateSpec, namespace: string): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { ...template.metadata, namespace }, spec: template.spec } as Pod;
}

/** The template back from the injected Pod: its metadata and spec, in the template's own key order. */
function podAsTemplate(pod: Pod, template: PodTemplateSpec): PodTemplateSpec {
  const { namespace: _namespace, ...metadata } = pod.metadata ?? {};
  return {
    ...template,
    metadata: template.metadata?.namespace === undefined ? metadata : { ...metadata, namespace: template.metadata.namespace },
    spec: pod.spec,
  } as PodTemplateSpec;
}

/**
 * injectPod's errors without a `sidecarSet` are fields of the pod (a container name that clashes with a
 * sidecar): those are placed where the pod sits in the document (`items[1].spec.template.spec...`).
 * The others are fields of the SidecarSet their reason names (`spec.injectionStrategy.revision.revisionName`).
 */
function located(error: InjectionError, podAt: readonly (string | number)[]): FieldError {
  const { sidecarSet, ...fieldError } = error;
  if (sidecarSet !== undefined || podAt.length === 0) return fieldError;
  return { ...fieldError, path: `${fieldPath(podAt)}.${error.path}` };
}

function namespaceOf(document: Record<string, unknown>): string | undefined {
  const metadata = document.metadata;
  return isObject(metadata) && typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
}

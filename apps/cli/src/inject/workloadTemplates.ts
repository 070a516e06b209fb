// Where each workload kind keeps the pod template that the API server turns into Pods. Injecting a
// workload offline means injecting that template; everything else in the workload stays as written.
import type { PodTemplateSpec } from '@sidecarset/api/offline';

/** Field path of the pod template, by kind; a Pod is injected whole. */
const TEMPLATE_PATHS: Readonly<Record<string, { groups: readonly string[]; path: readonly string[] }>> = {
  Deployment: { groups: ['apps', 'extensions'], path: ['spec', 'template'] },
  StatefulSet: { groups: ['apps', 'apps.kruise.io'], path: ['spec', 'template'] },
  DaemonSet: { groups: ['apps', 'extensions', 'apps.kruise.io'], path: ['spec', 'template'] },
  ReplicaSet: { groups: ['apps', 'extensions'], path: ['spec', 'template'] },
  Job: { groups: ['batch'], path: ['spec', 'template'] },
  CronJob: { groups: ['batch'], path: ['spec', 'jobTemplate', 'spec', 'template'] },
};

export type InjectionTarget =
  | { type: 'pod' }
  | { type: 'template'; path: readonly string[]; template: PodTemplateSpec }
  | { type: 'none' };

/** What to inject in a document: the Pod itself, a workload's pod template, or nothing. */
export function injectionTarget(document: unknown): InjectionTarget {
  if (!isObject(document) || typeof document.kind !== 'string') return { type: 'none' };
  const group = apiGroup(document.apiVersion);
  if (document.kind === 'Pod') return group === '' ? { type: 'pod' } : { type: 'none' };
  const known = Object.hasOwn(TEMPLATE_PATHS, document.kind) ? TEMPLATE_PATHS[document.kind] : undefined;
  if (!known || group === undefined || !known.groups.includes(group)) return { type: 'none' };
  const template = valueAt(document, known.path);
  return isObject(template) ? { type: 'template', path: known.path, template: template as PodTemplateSpec } : { type: 'none' };
}

/** A copy of `document` with the value at `path` replaced; the objects along the path keep their key order. */
export function withValueAt(document: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) return value as Record<string, unknown>;
  const child = document[head];
  return { ...document, [head]: rest.length === 0 ? value : withValueAt(isObject(child) ? child : {}, rest, value) };
}

function valueAt(document: Record<string, unknown>, path: readonly string[]): unknown {
  let node: unknown = document;
  for (const segment of path) node = isObject(node) ? node[segment] : undefined;
  return node;
}

/** `apps/v1` -> `apps`, `v1` -> `` (the core group); undefined when apiVersion is missing. */
function apiGroup(apiVersion: unknown): string | undefined {
  if (typeof apiVersion !== 'string') return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

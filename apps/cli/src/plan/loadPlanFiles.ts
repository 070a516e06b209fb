// The inputs of an offline `plan`: one SidecarSet, admitted as the cluster would store it (defaults
// and hash annotations, after the same validation as `inject`), and the pods to plan for. Every
// problem is an InputError naming the file, the document and the field.
import { fieldPath, parseManifests, type Pod, type SidecarSet } from '@sidecarset/api/offline';
import { documentLocation, fieldErrorsAt, type InputError } from '../inject/inputErrors.js';
import { loadSidecarSetSources } from '../inject/loadSidecarSetSources.js';
import { fileSystemReader, ioErrorMessage, type ManifestFileReader } from '../inject/manifestFiles.js';
import { isObject } from '../inject/workloadTemplates.js';

/** The single SidecarSet of `path` (a file, or a directory of manifests). */
export function loadPlanSidecarSet(path: string, reader: ManifestFileReader = fileSystemReader): { sidecarSet?: SidecarSet; errors: InputError[] } {
  const sources = loadSidecarSetSources([path], reader);
  if (sources.errors.length > 0) return { errors: sources.errors };
  const [sidecarSet, ...others] = sources.sidecarSets;
  if (!sidecarSet) return { errors: [{ location: path, message: 'no SidecarSet found: --sidecarset must hold exactly one' }] };
  if (others.length > 0) {
    const names = sources.sidecarSets.map((s) => s.metadata?.name ?? '').join(', ');
    return { errors: [{ location: path, message: `${sources.sidecarSets.length} SidecarSets found (${names}): --sidecarset must hold exactly one` }] };
  }
  return { sidecarSet, errors: [] };
}

/** The Pods of a file's text (`name` is how errors call the file): Pod documents, and the Pods of `kind: List`. */
export function parsePlanPods(name: string, text: string): { pods: Pod[]; errors: InputError[] } {
  const pods: Pod[] = [];
  const errors: InputError[] = [];
  for (const document of parseManifests(text)) {
    const location = documentLocation(name, document.index, document.value);
    if (document.errors.length > 0) {
      errors.push(...fieldErrorsAt(location, document.errors));
      continue;
    }
    const add = (value: unknown, path: (string | number)[]): void => {
      const at = (field: string, message: string) => errors.push({ location, message: `${fieldPath([...path, field])}: ${message}` });
      if (!isObject(value)) return void errors.push({ location, message: `${fieldPath(path) || '<document>'}: must be an object (a Pod)` });
      if (value.kind === 'List') {
        if (!Array.isArray(value.items)) return void at('items', 'Required value: a List holds its Pods in items');
        return value.items.forEach((item, i) => add(item, [...path, 'items', i]));
      }
      if (value.kind !== 'Pod') return void at('kind', `must be Pod (or a List of Pods), not ${JSON.stringify(value.kind ?? null)}`);
      const metadata = isObject(value.metadata) ? value.metadata : {};
      if (typeof metadata.name !== 'string' || metadata.name === '') return void at('metadata.name', 'Required value');
      pods.push(value as unknown as Pod);
    };
    add(document.value, []);
  }
  return { pods, errors };
}

/** Reads and parses the --pods file. */
export function loadPlanPods(file: string, reader: ManifestFileReader = fileSystemReader): { pods: Pod[]; errors: InputError[] } {
  let text: string;
  try {
    text = reader.read(file);
  } catch (error) {
    return { pods: [], errors: [{ location: file, message: ioErrorMessage(error) }] };
  }
  return parsePlanPods(file, text);
}

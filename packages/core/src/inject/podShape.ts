// The shape injection needs a pod to have, checked before any rule reads it: the pod arrives from the
// mutating webhook before the API server has validated it (and from anyone who can reach the
// webhook's port), so a field of the wrong type must become a field error, never an exception.
// Only the fields injection and its patch read are checked, as the API server types them; whatever
// else is wrong with the pod the API server reports after admission.
import type { FieldError } from '@sidecarset/api';

/** `spec.containers[0].name` from its segments (types only from the API package: the core loads no client). */
const fieldPath = (segments: readonly (string | number)[]): string =>
  segments.reduce<string>((out, segment) => (typeof segment === 'number' ? `${out}[${segment}]` : out === '' ? segment : `${out}.${segment}`), '');

/** Where the walk is (segments, formatted only when an error is reported) and what it found. */
interface Walk {
  path: (string | number)[];
  errors: FieldError[];
}

type Check = (value: unknown, walk: Walk) => void;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const absent = (value: unknown): boolean => value === undefined || value === null;

const report = (walk: Walk, value: unknown, what: string, key?: string): void => {
  const path = fieldPath(walk.path);
  walk.errors.push({ path: key === undefined ? path : `${path}[${key}]`, type: 'TypeInvalid', reason: `must be ${what}`, value });
};

const string: Check = (value, walk) => {
  if (!absent(value) && typeof value !== 'string') report(walk, value, 'a string');
};

const requiredString: Check = (value, walk) => {
  if (absent(value)) walk.errors.push({ path: fieldPath(walk.path), type: 'Required', reason: 'Required value' });
  else string(value, walk);
};

const boolean: Check = (value, walk) => {
  if (!absent(value) && typeof value !== 'boolean') report(walk, value, 'true or false');
};

const anyObject: Check = (value, walk) => {
  if (!absent(value) && !isObject(value)) report(walk, value, 'an object (a map of fields)');
};

/** A map of string values (labels, annotations). */
const stringMap: Check = (value, walk) => {
  if (absent(value)) return;
  if (!isObject(value)) return report(walk, value, 'a map of strings');
  for (const key in value) if (typeof value[key] !== 'string') report(walk, value[key], 'a string', key);
};

const object = (fields: Record<string, Check>): Check => {
  const entries = Object.entries(fields);
  return (value, walk) => {
    if (absent(value)) return;
    if (!isObject(value)) return report(walk, value, 'an object (a map of fields)');
    for (const [field, check] of entries) {
      walk.path.push(field);
      check(value[field], walk);
      walk.path.pop();
    }
  };
};

const listOf =
  (item: Check): Check =>
  (value, walk) => {
    if (absent(value)) return;
    if (!Array.isArray(value)) return report(walk, value, 'a list');
    for (let index = 0; index < value.length; index++) {
      walk.path.push(index);
      const element: unknown = value[index];
      if (!isObject(element)) report(walk, element, 'an object (a map of fields)');
      else item(element, walk);
      walk.path.pop();
    }
  };

const stringList: Check = (value, walk) => {
  if (absent(value)) return;
  if (!Array.isArray(value)) return report(walk, value, 'a list of strings');
  for (let index = 0; index < value.length; index++) {
    if (typeof value[index] === 'string') continue;
    walk.path.push(index);
    report(walk, value[index], 'a string');
    walk.path.pop();
  }
};

const container = object({
  name: requiredString,
  image: string,
  imagePullPolicy: string,
  restartPolicy: string,
  command: stringList,
  args: stringList,
  env: listOf(object({ name: requiredString, value: string, valueFrom: anyObject })),
  envFrom: listOf(object({ prefix: string, configMapRef: anyObject, secretRef: anyObject })),
  volumeMounts: listOf(object({ name: requiredString, mountPath: requiredString, subPath: string, subPathExpr: string, readOnly: boolean })),
  volumeDevices: listOf(object({ name: requiredString, devicePath: requiredString })),
  ports: listOf(anyObject),
  resources: anyObject,
});

const pod = object({
  metadata: object({
    name: string,
    generateName: string,
    namespace: string,
    labels: stringMap,
    annotations: stringMap,
    deletionTimestamp: string,
  }),
  spec: object({
    containers: listOf(container),
    initContainers: listOf(container),
    ephemeralContainers: listOf(object({ name: requiredString })),
    volumes: listOf(object({ name: requiredString })),
    imagePullSecrets: listOf(object({ name: string })),
  }),
  status: object({ phase: string }),
});

/** Field errors for a pod whose fields injection reads are of the wrong type; [] when it can be injected. */
export function podShapeErrors(value: unknown): FieldError[] {
  if (!isObject(value)) return [{ path: '', type: 'TypeInvalid', reason: 'must be a Pod object', value }];
  const walk: Walk = { path: [], errors: [] };
  pod(value, walk);
  return walk.errors;
}

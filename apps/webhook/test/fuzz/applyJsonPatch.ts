// A strict RFC 6902 applier, the oracle for "every allowed patch applies cleanly": each operation's
// path must be a valid JSON Pointer (RFC 6901) whose parent exists; remove, replace, move, copy's
// `from` and test need the target itself to exist; an array index is a canonical integer within
// bounds (`-` only for add); add, replace and test carry a `value`. The input is never mutated.
// Answers `{ ok: true, document }` or `{ ok: false, reason }` naming the failing operation.

export type ApplyResult = { ok: true; document: unknown } | { ok: false; reason: string };

type Container = Record<string, unknown> | unknown[];
type Members = Record<string, unknown>;

const isContainer = (value: unknown): value is Container => typeof value === 'object' && value !== null;
const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;

class PatchError extends Error {}

function parsePointer(pointer: unknown, field: string): string[] {
  if (typeof pointer !== 'string') throw new PatchError(`${field} must be a string, got ${JSON.stringify(pointer)}`);
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError(`${field} ${JSON.stringify(pointer)} must be empty or start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => {
      if (/~[^01]|~$/.test(segment)) throw new PatchError(`${field} ${JSON.stringify(pointer)} has an invalid ~ escape`);
      return segment.replaceAll('~1', '/').replaceAll('~0', '~');
    });
}

/** The value at `segments`, or a PatchError naming the first missing step. */
function resolve(document: unknown, segments: readonly string[], pointer: string): unknown {
  let current = document;
  for (const segment of segments) {
    if (Array.isArray(current)) {
      if (!ARRAY_INDEX.test(segment) || Number(segment) >= current.length) throw new PatchError(`path ${pointer}: no array element ${JSON.stringify(segment)}`);
      current = current[Number(segment)];
    } else if (isContainer(current)) {
      if (!Object.hasOwn(current, segment)) throw new PatchError(`path ${pointer}: no member ${JSON.stringify(segment)}`);
      current = (current as Members)[segment];
    } else {
      throw new PatchError(`path ${pointer}: ${JSON.stringify(segment)} is below a ${current === null ? 'null' : typeof current}`);
    }
  }
  return current;
}

const setMember = (object: Record<string, unknown>, key: string, value: unknown): void => {
  // defineProperty: a key such as "__proto__" is data, not the prototype.
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
};

function addAt(document: unknown, segments: readonly string[], value: unknown, pointer: string): unknown {
  if (segments.length === 0) return value;
  const parent = resolve(document, segments.slice(0, -1), pointer);
  const last = segments[segments.length - 1]!;
  if (Array.isArray(parent)) {
    if (last === '-') parent.push(value);
    else if (ARRAY_INDEX.test(last) && Number(last) <= parent.length) parent.splice(Number(last), 0, value);
    else throw new PatchError(`add ${pointer}: index ${JSON.stringify(last)} is out of bounds (length ${parent.length})`);
  } else if (isContainer(parent)) setMember(parent as Members, last, value);
  else throw new PatchError(`add ${pointer}: the parent is not an object or array`);
  return document;
}

function removeAt(document: unknown, segments: readonly string[], pointer: string): unknown {
  if (segments.length === 0) throw new PatchError(`remove ${pointer}: cannot remove the whole document`);
  resolve(document, segments, pointer); // must exist
  const parent = resolve(document, segments.slice(0, -1), pointer) as Container;
  const last = segments[segments.length - 1]!;
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete (parent as Members)[last];
  return document;
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (!isContainer(a) || !isContainer(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function needValue(operation: Record<string, unknown>, index: number): unknown {
  if (!Object.hasOwn(operation, 'value') || operation.value === undefined) throw new PatchError(`operation ${index} (${String(operation.op)}) has no value`);
  return structuredClone(operation.value);
}

export function applyJsonPatch(document: unknown, patch: unknown): ApplyResult {
  if (!Array.isArray(patch)) return { ok: false, reason: 'the patch is not a JSON array' };
  let current: unknown = structuredClone(document);
  try {
    patch.forEach((raw: unknown, index) => {
      if (!isContainer(raw) || Array.isArray(raw)) throw new PatchError(`operation ${index} is not an object`);
      const operation = raw as Record<string, unknown>;
      const pointer = String(operation.path);
      const segments = parsePointer(operation.path, `operation ${index} path`);
      switch (operation.op) {
        case 'add':
          current = addAt(current, segments, needValue(operation, index), pointer);
          break;
        case 'remove':
          current = removeAt(current, segments, pointer);
          break;
        case 'replace':
          resolve(current, segments, pointer);
          current = segments.length === 0 ? needValue(operation, index) : addAt(removeAt(current, segments, pointer), segments, needValue(operation, index), pointer);
          break;
        case 'move':
        case 'copy': {
          const from = parsePointer(operation.from, `operation ${index} from`);
          const value = structuredClone(resolve(current, from, String(operation.from)));
          if (operation.op === 'move') {
            const fromPointer = String(operation.from);
            if (pointer !== fromPointer && pointer.startsWith(`${fromPointer}/`)) throw new PatchError(`move ${fromPointer} into its own child ${pointer}`);
            current = removeAt(current, from, fromPointer);
          }
          current = addAt(current, segments, value, pointer);
          break;
        }
        case 'test':
          if (!jsonEqual(resolve(current, segments, pointer), needValue(operation, index))) throw new PatchError(`test ${pointer} failed`);
          break;
        default:
          throw new PatchError(`operation ${index} has unknown op ${JSON.stringify(operation.op)}`);
      }
    });
  } catch (error) {
    if (error instanceof PatchError) return { ok: false, reason: error.message };
    throw error;
  }
  return { ok: true, document: current };
}

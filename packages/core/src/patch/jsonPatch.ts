// A minimal RFC 6902 diff between two JSON values. Unchanged subtrees that are the same object
// (===) are skipped without being walked, so diffing a copy that shares structure with its source
// costs only what changed. Arrays are diffed by longest common subsequence of equal elements; a
// removed and an inserted element at the same position become a nested diff of the two.
import type { JsonPatchOperation } from '@sidecarset/api';
import { goJsonStringify } from '../hash/goJson.js';
import { jsonEqual, ownValue } from './jsonEqual.js';
import { pointerJoin } from './jsonPointer.js';

export type { JsonPatchOperation };

/** Operations that turn `from` into `to`; `[]` when they are equal. The values in `add`/`replace` are shared with `to`. */
export function jsonPatch(from: unknown, to: unknown): JsonPatchOperation[] {
  const ops: JsonPatchOperation[] = [];
  diffValue(from, to, '', ops);
  return ops;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function diffValue(from: unknown, to: unknown, path: string, ops: JsonPatchOperation[]): void {
  if (from === to) return;
  if (isObject(from) && isObject(to)) return diffObject(from, to, path, ops);
  if (Array.isArray(from) && Array.isArray(to)) return diffArray(from, to, path, ops);
  if (!jsonEqual(from, to)) ops.push({ op: 'replace', path, value: to });
}

function diffObject(from: Record<string, unknown>, to: Record<string, unknown>, path: string, ops: JsonPatchOperation[]): void {
  for (const key in from) {
    if (from[key] === undefined) continue;
    if (ownValue(to, key) === undefined) ops.push({ op: 'remove', path: pointerJoin(path, key) });
  }
  for (const key in to) {
    const value = to[key];
    if (value === undefined) continue;
    const before = ownValue(from, key);
    if (before === undefined) ops.push({ op: 'add', path: pointerJoin(path, key), value });
    else diffValue(before, value, pointerJoin(path, key), ops);
  }
}

/** Above this many cells the LCS table is skipped and elements are compared position by position. */
const LCS_CELL_LIMIT = 250_000;

function diffArray(from: readonly unknown[], to: readonly unknown[], path: string, ops: JsonPatchOperation[]): void {
  let start = 0;
  while (start < from.length && start < to.length && jsonEqual(from[start], to[start])) start++;
  let fromEnd = from.length;
  let toEnd = to.length;
  while (fromEnd > start && toEnd > start && jsonEqual(from[fromEnd - 1], to[toEnd - 1])) {
    fromEnd--;
    toEnd--;
  }
  const n = fromEnd - start;
  const m = toEnd - start;
  if (n === 0 && m === 0) return;

  // Edit script over the middle: 'k' keep, 'd' delete from[i], 'i' insert to[j].
  const script: string[] = [];
  if (n === 0 || m === 0 || n * m > LCS_CELL_LIMIT) {
    const common = Math.min(n, m);
    for (let k = 0; k < n - common; k++) script.push('d');
    for (let k = 0; k < common; k++) script.push('d', 'i');
    for (let k = 0; k < m - common; k++) script.push('i');
  } else {
    // Equal elements get equal ids (one canonical text each, read once), so a cell compares two
    // numbers however deep the elements are: the table costs n x m, not n x m x element size.
    const ids = new Map<string, number>();
    const idOf = (value: unknown): number => {
      const text = value === undefined ? 'undefined' : goJsonStringify(value);
      let id = ids.get(text);
      if (id === undefined) ids.set(text, (id = ids.size));
      return id;
    };
    const fromIds = Array.from({ length: n }, (_, k) => idOf(from[start + k]));
    const toIds = Array.from({ length: m }, (_, k) => idOf(to[start + k]));
    // lengths[i][j] = LCS of from[start+i..fromEnd) and to[start+j..toEnd)
    const width = m + 1;
    const lengths = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lengths[i * width + j] = fromIds[i] === toIds[j]
          ? lengths[(i + 1) * width + j + 1]! + 1
          : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && fromIds[i] === toIds[j]) {
        script.push('k');
        i++;
        j++;
      } else if (j < m && (i === n || lengths[i * width + j + 1]! >= lengths[(i + 1) * width + j]!)) {
        script.push('i');
        j++;
      } else {
        script.push('d');
        i++;
      }
    }
  }

  let index = start; // position in the array as the operations so far have left it
  let fromIndex = start;
  let toIndex = start;
  let cursor = 0;
  while (cursor < script.length) {
    if (script[cursor] === 'k') {
      index++;
      fromIndex++;
      toIndex++;
      cursor++;
      continue;
    }
    let deletes = 0;
    let inserts = 0;
    while (cursor < script.length && script[cursor] !== 'k') {
      if (script[cursor] === 'd') deletes++;
      else inserts++;
      cursor++;
    }
    const paired = Math.min(deletes, inserts);
    for (let k = 0; k < paired; k++) {
      diffValue(from[fromIndex++], to[toIndex++], pointerJoin(path, index++), ops);
    }
    for (let k = paired; k < deletes; k++) {
      ops.push({ op: 'remove', path: pointerJoin(path, index) });
      fromIndex++;
    }
    for (let k = paired; k < inserts; k++) {
      ops.push({ op: 'add', path: pointerJoin(path, index++), value: to[toIndex++] });
    }
  }
}

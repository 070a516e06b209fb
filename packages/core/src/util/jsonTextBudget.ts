// How much work JSON text asks for, measured before JSON.parse does it: parsing costs time and memory
// in the number of values, and code that walks the result recurses as deep as it nests, so text from
// a request is parsed only within a budget of both. The scan itself is linear in the text and stops
// as soon as the budget is spent: it reads structure character by character, jumps over each string
// with indexOf (from quote to quote, counting the backslashes before each) and over long runs of
// anything else with a regular expression.
// Text that is not JSON passes when within budget and is left for JSON.parse to refuse.

export interface JsonBudget {
  /** Values allowed: containers, elements and members (a key and its value count once). */
  maxValues: number;
  /** Nesting allowed: `[[1]]` nests 2 deep. */
  maxDepth: number;
  /** Characters of string literals that hold an escape (JSON.parse unescapes them slowly); unbounded when absent. */
  maxEscapedLength?: number;
}

export type JsonBudgetCheck = { ok: true; values: number; depth: number } | { ok: false; reason: string };

/** The next structural character or quote: how a long run of anything else is skipped, natively. */
const NEXT_STRUCTURAL = /["{}[\],:]/g;
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const OPEN_BRACKET = 91;
const CLOSE_BRACE = 125;
const CLOSE_BRACKET = 93;
const COMMA = 44;
const COLON = 58;
/** Filler characters read one by one before the rest of the run is skipped natively. */
const SHORT_RUN = 16;

/**
 * The index just past the string literal that opens at `start`, or -1 when it is not closed. A quote
 * after an odd number of backslashes is escaped: the search goes on after it. Each run of backslashes
 * is counted once (it ends at the quote it precedes), so this is linear; a regular expression over the
 * literal took 100 ms of CPU on a few MiB of escapes, and could run out of stack.
 */
function endOfString(text: string, start: number): number {
  for (let from = start + 1; ; ) {
    const close = text.indexOf('"', from);
    if (close < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(close - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return close + 1;
    from = close + 1;
  }
}

/**
 * Counts values and depth of `text` until the budget is exceeded. Where the text stops being JSON in
 * a way that would let it cost more than its budget to scan (a closing bracket with nothing open,
 * more colons than members, two strings in a row), the scan ends: JSON.parse then stops there too.
 */
export function checkJsonTextBudget(text: string, budget: JsonBudget): JsonBudgetCheck {
  let values = 1;
  let depth = 0;
  let deepest = 0;
  let colons = 0;
  let filler = 0;
  let afterString = false;
  let escaped = 0;
  let nextBackslash = -2; // where the next backslash is, once looked up; -1 when there is none left
  const length = text.length;
  for (let index = 0; index < length; ) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      if (afterString) break; // two strings in a row: not JSON
      const end = endOfString(text, index);
      if (end < 0) break; // unterminated: not JSON
      if (budget.maxEscapedLength !== undefined) {
        // One pointer to the next backslash, moved only forward: every character is searched once.
        if (nextBackslash === -2 || (nextBackslash >= 0 && nextBackslash < index)) nextBackslash = text.indexOf('\\', index);
        if (nextBackslash >= 0 && nextBackslash < end) {
          escaped += end - index;
          if (escaped > budget.maxEscapedLength) return { ok: false, reason: `has more than ${budget.maxEscapedLength} characters of strings with escapes` };
          nextBackslash = text.indexOf('\\', end);
        }
      }
      index = end;
      filler = 0;
      afterString = true;
      continue;
    }
    if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth += 1;
      if (depth > deepest) deepest = depth;
      if (depth > budget.maxDepth) return { ok: false, reason: `nests deeper than ${budget.maxDepth} levels` };
      values += 1;
      if (values > budget.maxValues) return { ok: false, reason: `has more than ${budget.maxValues} values` };
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      if (--depth < 0) break; // nothing open: not JSON
    } else if (code === COMMA) {
      values += 1; // one more element or member
      if (values > budget.maxValues) return { ok: false, reason: `has more than ${budget.maxValues} values` };
    } else if (code === COLON) {
      if (++colons > values) break; // every key follows "{" or ",": more colons is not JSON
    } else {
      // Dense JSON has short fillers ("0", " ", "true"); a long run (padding, a huge number) is skipped natively.
      index += 1;
      if (++filler > SHORT_RUN) {
        NEXT_STRUCTURAL.lastIndex = index;
        index = NEXT_STRUCTURAL.test(text) ? NEXT_STRUCTURAL.lastIndex - 1 : length;
        filler = 0;
      }
      continue;
    }
    filler = 0;
    afterString = false;
    index += 1;
  }
  return { ok: true, values, depth: deepest };
}

/**
 * JSON.parse within a budget (and a length limit): the value, or why the text was not parsed. For
 * JSON a request carries inside a string (annotations), which the body's own budget does not see.
 */
export function parseJsonWithinBudget(
  text: string,
  budget: JsonBudget & { maxLength: number },
): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (text.length > budget.maxLength) return { ok: false, reason: `is longer than ${budget.maxLength} characters` };
  const check = checkJsonTextBudget(text, budget);
  if (!check.ok) return check;
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: `is not JSON: ${(error as Error).message.slice(0, 200)}` };
  }
}

/**
 * JSON a pod annotation may hold, for the annotations injection reads (kruise.io/sidecarset-hash) or
 * merge-patches (patchPodMetadata MergePatchJson): at most 256 KiB, the API server's limit for all
 * annotations of an object together, and within a budget of values and depth.
 */
export const ANNOTATION_JSON_BUDGET = { maxLength: 256 * 1024, maxValues: 20_000, maxDepth: 32 } as const;

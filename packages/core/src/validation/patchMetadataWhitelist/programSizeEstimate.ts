// About how many instructions an RE2 expression compiles to, read from its text in one pass, without
// compiling it. Compiling costs time in the size of the program, and a counted repetition multiplies
// what it repeats ('[a-z]{1000}' is a thousand instructions in eleven characters; nested groups
// multiply again), so a whitelist's expressions are weighed by this before any is compiled. The
// compiled program's real size is still checked afterwards: this only keeps the compile bounded.
//
// Each atom (a character, an escape, a class) counts 1, a group what it holds (a capturing one 2 more),
// an alternative 1 more, `*`, `+` and `?` 1 more; `{n}` is n copies of the item before it, `{n,}` n + 1
// copies and a branch, `{n,m}` m copies and a branch for each of the m - n optional ones; the program
// 2 more. Text that is not a valid expression gets some estimate; compiling it then fails anyway.

const REPEAT = /^\{(\d{1,4})(,(\d{0,4}))?\}/;

interface Frame {
  capturing: boolean;
  /** Alternatives closed so far. */
  alternatives: number;
  /** The sequence being read. */
  sequence: number;
  /** The size of the sequence's last item, which a repetition repeats. */
  last: number;
}

export function estimateProgramSize(source: string): number {
  const stack: Frame[] = [{ capturing: false, alternatives: 0, sequence: 0, last: 0 }];
  const top = () => stack[stack.length - 1]!;
  const item = (size: number) => {
    top().sequence += size;
    top().last = size;
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\\') {
      i = skipEscape(source, i, item);
    } else if (c === '[') {
      i = skipClass(source, i);
      item(1);
    } else if (c === '(') {
      const flags = /^\(\?[a-zA-Z-]*\)/.exec(source.slice(i, i + 16));
      if (flags) {
        i += flags[0].length; // (?i): flags for the rest of the group, no group of its own
        continue;
      }
      const capturing = source[i + 1] !== '?' || /^\(\?P?</.test(source.slice(i, i + 4));
      stack.push({ capturing, alternatives: 0, sequence: 0, last: 0 });
      i = skipGroupPrefix(source, i);
    } else if (c === ')') {
      const frame = stack.length > 1 ? stack.pop()! : { capturing: true, alternatives: 0, sequence: 0, last: 0 };
      item(frame.alternatives + frame.sequence + (frame.capturing ? 2 : 0));
      i++;
    } else if (c === '|') {
      top().alternatives += top().sequence + 1;
      top().sequence = 0;
      top().last = 0;
      i++;
    } else if (c === '*' || c === '+' || c === '?') {
      top().sequence += 1;
      i++;
    } else if (c === '{' && REPEAT.test(source.slice(i, i + 12))) {
      const [whole, low, comma, high] = REPEAT.exec(source.slice(i, i + 12))!;
      const n = Number(low);
      const m = comma === undefined ? n : high === '' ? n + 1 : Math.max(Number(high), n);
      const branches = comma === undefined ? 0 : high === '' ? 1 : m - n;
      const frame = top();
      const repeated = frame.last * m + branches;
      frame.sequence += repeated - frame.last;
      frame.last = repeated;
      i += whole.length;
    } else {
      item(1);
      i++;
    }
  }
  let total = 2;
  for (const frame of stack) total += frame.alternatives + frame.sequence;
  return total;
}

/** Past `\x`, `\x{..}`, `\p{..}`, `\pL`, `\Q...\E` (each character of it an item) or any other escape. */
function skipEscape(source: string, at: number, item: (size: number) => void): number {
  const next = source[at + 1];
  if (next === 'Q') {
    const end = source.indexOf('\\E', at + 2);
    const literal = end < 0 ? source.length - (at + 2) : end - (at + 2);
    for (let k = 0; k < literal; k++) item(1);
    return end < 0 ? source.length : end + 2;
  }
  if ((next === 'x' || next === 'p' || next === 'P') && source[at + 2] === '{') {
    const close = source.indexOf('}', at + 3);
    item(1);
    return close < 0 ? source.length : close + 1;
  }
  item(1);
  if (next === 'x') return at + 4;
  if (next === 'p' || next === 'P') return at + 3;
  return at + 2;
}

/** Past a character class `[...]`: a `]` first (after an optional `^`) is literal, `[:name:]` and escapes are inside. */
function skipClass(source: string, at: number): number {
  let i = at + 1;
  if (source[i] === '^') i++;
  if (source[i] === ']') i++;
  while (i < source.length && source[i] !== ']') {
    if (source[i] === '\\') i += 2;
    else if (source.startsWith('[:', i)) {
      const close = source.indexOf(':]', i + 2);
      i = close < 0 ? i + 2 : close + 2;
    } else i++;
  }
  return i + 1;
}

/** Past `(`, `(?:`, `(?i:`, `(?P<name>` or `(?<name>`. */
function skipGroupPrefix(source: string, at: number): number {
  if (source[at + 1] !== '?') return at + 1;
  const named = /^\(\?P?<[^>]*>/.exec(source.slice(at, at + 260));
  if (named) return at + named[0].length;
  const colon = source.indexOf(':', at + 2);
  return colon < 0 ? at + 2 : colon + 1;
}

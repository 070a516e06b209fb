// Breaking a well-formed JSON object at random places: a member or element somewhere in it replaced
// by a value of another type (or a huge string), or removed. Paths are picked by index into the
// object's own paths, so shrinking moves towards the first path and towards simpler replacements.
import fc from 'fast-check';

export type Breakage = { pick: number; change: { remove: true } | { replace: unknown } };

export const hugeStringArb: fc.Arbitrary<string> = fc
  .tuple(fc.string({ minLength: 1, maxLength: 3 }), fc.integer({ min: 10_000, max: 300_000 }))
  .map(([unit, size]) => unit.repeat(Math.ceil(size / unit.length)));

const replacementArb: fc.Arbitrary<unknown> = fc.oneof(
  { withCrossShrink: true },
  fc.constantFrom(0, -1, 1.5, 1e308, true, false, null, '', 'x', [], {}, [null], { '': 1 }, ['a', 1], { a: { b: [] } }),
  fc.jsonValue({ maxDepth: 2 }),
  hugeStringArb,
);

export const breakageArb: fc.Arbitrary<Breakage> = fc.record({
  pick: fc.nat(),
  change: fc.oneof({ withCrossShrink: true }, { weight: 1, arbitrary: fc.constant({ remove: true as const }) }, { weight: 3, arbitrary: replacementArb.map((replace) => ({ replace })) }),
});

type Path = (string | number)[];

function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(value)) value.forEach((item, index) => (out.push([...prefix, index]), pathsOf(item, [...prefix, index], out)));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      out.push([...prefix, key]);
      pathsOf(item, [...prefix, key], out);
    }
  }
  return out;
}

/** `value` with one breakage applied (a copy; `value` is untouched). An object without members gets one. */
export function applyBreakage(value: unknown, breakage: Breakage): unknown {
  const copy = structuredClone(value);
  const paths = pathsOf(copy);
  if (paths.length === 0) return 'replace' in breakage.change ? breakage.change.replace : null;
  const path = paths[breakage.pick % paths.length]!;
  let parent = copy as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if ('remove' in breakage.change) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else parent[last] = breakage.change.replace;
  return copy;
}

export const applyBreakages = (value: unknown, breakages: readonly Breakage[]): unknown => breakages.reduce(applyBreakage, value);

/** Where a breakage lands, for reports ("spec.containers[0].name"). */
export function breakagePath(value: unknown, breakage: Breakage): string {
  const paths = pathsOf(value);
  if (paths.length === 0) return '(root)';
  return paths[breakage.pick % paths.length]!.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

// kubectl's --timeout values: a number with a unit (ms, s, m, h), several in a row ("1m30s"); "0" is
// no limit. Undefined for anything else, so the command can refuse it.
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  if (text.length > 32) return undefined;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== text) return undefined;
  return Math.round(parts.reduce((sum, [, value, unit]) => sum + Number(value) * UNIT_MS[unit!]!, 0));
}

// A table as kubectl prints one: an upper-case header, left-aligned columns three spaces apart, no
// trailing spaces, and `<none>` where a value is missing (an empty string stays empty).

export type Cell = string | number | boolean | undefined;

export function renderTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = [headers, ...rows].map((row) => headers.map((_, i) => cellText(row[i])));
  const widths = headers.map((_, i) => Math.max(...text.map((row) => row[i]!.length)));
  return text.map((row) => `${row.map((cell, i) => cell.padEnd(widths[i]!)).join('   ').trimEnd()}\n`).join('');
}

const cellText = (cell: Cell): string => (cell === undefined ? '<none>' : String(cell));

// RFC 6901 JSON Pointer segments: `~` becomes `~0` and `/` becomes `~1` (in that order).

export function escapePointerSegment(segment: string): string {
  if (!segment.includes('~') && !segment.includes('/')) return segment;
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Joins a base pointer and one segment: `pointerJoin('/metadata', 'a/b') === '/metadata/a~1b'`. */
export const pointerJoin = (base: string, segment: string | number): string =>
  `${base}/${typeof segment === 'number' ? String(segment) : escapePointerSegment(segment)}`;

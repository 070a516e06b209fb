// The hash annotations admitSidecarSet writes are the ones the real OpenKruise v1.9.0 wrote for the
// same SidecarSets (recorded by tools/kruise/test/openKruise.integration.test.ts; the fixture's header
// says how).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SidecarSet } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SIDECARSET_HASH_ANNOTATION, SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION } from '../annotations.js';
import { admitSidecarSet } from '../defaults/admitSidecarSet.js';

const ROOT = join(import.meta.dirname, '../../../..');
interface HashCase {
  name: string;
  file?: string;
  sidecarSet?: SidecarSet;
  hash: string;
  hashWithoutImage: string;
}
const { cases } = parse(readFileSync(join(ROOT, 'packages/core/test/fixtures/openkruise-sidecarset-hashes.yaml'), 'utf8')) as { cases: HashCase[] };

describe('admitSidecarSet writes the hashes OpenKruise v1.9.0 writes', () => {
  it('has the recorded cases, seeds 000, 002 and 004 among them', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
    expect(cases.every((c) => /^[bcdfghjklmnpqrstvwxz2456789]{64}$/.test(c.hash) && /^[bcdfghjklmnpqrstvwxz2456789]{64}$/.test(c.hashWithoutImage))).toBe(true);
    for (const seed of ['seed 000', 'seed 002', 'seed 004']) expect(cases.some((c) => c.name.startsWith(seed))).toBe(true);
  });

  it.each(cases)('$name', (c) => {
    const input = c.sidecarSet ?? (parse(readFileSync(join(ROOT, c.file!), 'utf8')) as SidecarSet);
    const annotations = admitSidecarSet(input).metadata!.annotations!;
    expect({ hash: annotations[SIDECARSET_HASH_ANNOTATION], hashWithoutImage: annotations[SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION] }).toEqual({ hash: c.hash, hashWithoutImage: c.hashWithoutImage });
  });

  it('seed 002 gets the values OpenKruise was seen to write for it', () => {
    const seed = cases.find((c) => c.file?.endsWith('002-test-sidecarset.yaml'))!;
    expect(seed.hash).toBe('4zbdc2xzc8w7c4x2c6984266bc9d7zf87x946v7xdfv988f6c6fc9b7dz47w8zd5');
    expect(seed.hashWithoutImage).toBe('wcv47954b7xv5w4fbw682bbf78cw2449448vbf4fvvwv77947bc7fcv7fw89f98x');
  });
});

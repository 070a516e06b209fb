// The name of a source's mirror in a pod's namespace: deterministic, a valid DNS-1123 subdomain of at
// most 253 characters, and collision-free (docs/design/cross-namespace-mirrors.md):
// - `mirror.<namespace>.<name>` when that fits: namespaces have no dots, so the first two dots split
//   it back unambiguously; ConfigMaps and Secrets have separate names, so the kind is not needed;
// - otherwise `mirror-h.<namespace>.<name cut short>.<16 characters of sha256(kind/namespace/name) in
//   base32 lowercase>`, at most 253 characters (a cut that ends in '-' or '.' loses those too, so the
//   name stays valid); the prefix differs from the first form's, so the two never meet.
import { createHash } from 'node:crypto';
import type { CrossNamespaceSource } from './source.js';
import { sourceKey } from './source.js';

export const MIRROR_NAME_MAX = 253;
const PLAIN_PREFIX = 'mirror.';
const HASHED_PREFIX = 'mirror-h.';
const HASH_LENGTH = 16;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 base32 of the bytes, lowercase, without padding, cut to `length` characters. */
function base32(bytes: Uint8Array, length: number): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
    if (out.length >= length) break;
  }
  return out;
}

export function mirrorName(source: CrossNamespaceSource): string {
  const plain = `${PLAIN_PREFIX}${source.namespace}.${source.name}`;
  if (plain.length <= MIRROR_NAME_MAX) return plain;
  const hash = base32(createHash('sha256').update(sourceKey(source)).digest(), HASH_LENGTH);
  const room = MIRROR_NAME_MAX - HASHED_PREFIX.length - source.namespace.length - 1 - 1 - HASH_LENGTH;
  const cut = source.name.slice(0, Math.max(0, room)).replace(/[-.]+$/, '');
  return cut ? `${HASHED_PREFIX}${source.namespace}.${cut}.${hash}` : `${HASHED_PREFIX}${source.namespace}.${hash}`;
}

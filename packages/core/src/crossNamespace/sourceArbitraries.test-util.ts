// fast-check arbitraries for sources: namespaces (DNS-1123 labels) and names (DNS-1123 subdomains)
// from a small alphabet, so that near-identical and long names (the hashed mirror form) come up often.
import fc from 'fast-check';
import type { CrossNamespaceSource } from './source.js';

const alnum = fc.constantFrom('a', 'b', '0', 'z', '9');
const inner = fc.constantFrom('a', 'b', '0', '-', 'z');

export const dnsLabel = (maxLength = 63): fc.Arbitrary<string> =>
  fc.oneof(
    alnum,
    fc.tuple(alnum, fc.array(inner, { maxLength: maxLength - 2 }), alnum).map(([first, middle, last]) => `${first}${middle.join('')}${last}`),
  );

export const dnsSubdomain: fc.Arbitrary<string> = fc
  .array(dnsLabel(), { minLength: 1, maxLength: 8 })
  .map((labels) => labels.join('.'))
  .filter((name) => name.length <= 253);

export const sourceArbitrary: fc.Arbitrary<CrossNamespaceSource> = fc.record({
  kind: fc.constantFrom('ConfigMap' as const, 'Secret' as const),
  namespace: dnsLabel(),
  name: dnsSubdomain,
});

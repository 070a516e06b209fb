import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dns1123Subdomain } from '../validation/k8sNames.js';
import { mirrorName } from './mirrorName.js';
import { dnsLabel, dnsSubdomain, sourceArbitrary } from './sourceArbitraries.test-util.js';
import type { CrossNamespaceSource } from './source.js';

const cm = (namespace: string, name: string): CrossNamespaceSource => ({ kind: 'ConfigMap', namespace, name });

describe('mirrorName', () => {
  it.each([
    ['seed 000', cm('kube-system', 'filebeat-config'), 'mirror.kube-system.filebeat-config'],
    ['a name with dots', cm('a', 'b.c'), 'mirror.a.b.c'],
    ['a Secret has the same form (kinds have separate names)', { kind: 'Secret', namespace: 'ns', name: 'tls' } as const, 'mirror.ns.tls'],
  ])('%s', (_, source, expected) => {
    expect(mirrorName(source)).toBe(expected);
  });

  it('the longest plain form that fits is kept as it is', () => {
    const name = 'n'.repeat(253 - 'mirror.ns.'.length);
    expect(mirrorName(cm('ns', name))).toBe(`mirror.ns.${name}`);
    expect(mirrorName(cm('ns', name))).toHaveLength(253);
  });

  it('one character more takes the hashed form, cut to 253 characters', () => {
    const name = 'n'.repeat(254 - 'mirror.ns.'.length);
    const mirror = mirrorName(cm('ns', name));
    expect(mirror).toMatch(/^mirror-h\.ns\.n+\.[a-z2-7]{16}$/);
    expect(mirror).toHaveLength(253);
  });

  it('a cut that would end in "-" or "." drops them, so the name stays valid', () => {
    const prefix = 'x'.repeat(253 - 'mirror-h.ns.'.length - 17 - 2);
    const name = `${prefix}-.${'y'.repeat(60)}`;
    const mirror = mirrorName(cm('ns', name));
    expect(mirror.startsWith(`mirror-h.ns.${prefix}.`)).toBe(true);
    expect(dns1123Subdomain(mirror)).toEqual([]);
  });

  it('the hash depends on the kind: a long ConfigMap and Secret name hash differently', () => {
    const name = 'n'.repeat(250);
    expect(mirrorName(cm('ns', name))).not.toBe(mirrorName({ kind: 'Secret', namespace: 'ns', name }));
  });

  it('property: valid DNS-1123 subdomain of at most 253 characters', () => {
    fc.assert(
      fc.property(sourceArbitrary, (source) => {
        const mirror = mirrorName(source);
        expect(mirror.length).toBeLessThanOrEqual(253);
        expect(dns1123Subdomain(mirror)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: deterministic', () => {
    fc.assert(fc.property(sourceArbitrary, (source) => mirrorName({ ...source }) === mirrorName(source)));
  });

  it('property: the plain form splits back at its first two dots', () => {
    fc.assert(
      fc.property(sourceArbitrary, (source) => {
        const mirror = mirrorName(source);
        fc.pre(mirror.startsWith('mirror.'));
        const [, namespace, ...rest] = mirror.split('.');
        expect({ namespace, name: rest.join('.') }).toEqual({ namespace: source.namespace, name: source.name });
      }),
    );
  });

  it('property: collision-free over generated sources of one kind', () => {
    fc.assert(
      fc.property(fc.uniqueArray(sourceArbitrary, { minLength: 2, maxLength: 60, selector: (s) => `${s.kind}/${s.namespace}/${s.name}` }), (sources) => {
        for (const kind of ['ConfigMap', 'Secret']) {
          const ofKind = sources.filter((s) => s.kind === kind);
          expect(new Set(ofKind.map(mirrorName)).size).toBe(ofKind.length);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('property: collision-free where long names share the part that is kept', () => {
    const longName = fc
      .tuple(dnsLabel(), fc.array(fc.constantFrom('a', 'b'), { minLength: 1, maxLength: 6 }))
      .map(([namespace, tail]) => ({ namespace, tail: tail.join('') }));
    fc.assert(
      fc.property(longName, longName, dnsSubdomain, ({ namespace, tail: a }, { tail: b }, shared) => {
        fc.pre(a !== b);
        const base = `${shared}.${'q'.repeat(253)}`.slice(0, 246).replace(/[-.]+$/, '');
        const first = mirrorName(cm(namespace, `${base}.${a}`));
        const second = mirrorName(cm(namespace, `${base}.${b}`));
        expect(first).not.toBe(second);
        expect(first.startsWith('mirror-h.')).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

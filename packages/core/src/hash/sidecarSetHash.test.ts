import type { SidecarSet } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { SIDECARSET_HASH_ANNOTATION, SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION } from '../annotations.js';
import { goJsonString, goJsonStringify } from './goJson.js';
import { safeEncodeString, sidecarSetHash, sidecarSetHashAnnotations, sidecarSetHashWithoutImage } from './sidecarSetHash.js';

const base: SidecarSet = {
  metadata: { name: 'test' },
  spec: {
    selector: { matchLabels: { app: 'nginx' } },
    containers: [{ name: 'sidecar1', image: 'centos:6.7', command: ['sleep', '999d'], volumeMounts: [{ name: 'log', mountPath: '/var/log' }] }],
    volumes: [{ name: 'log', emptyDir: {} }],
  },
};
const withSpec = (spec: Partial<SidecarSet['spec']>): SidecarSet => ({ ...base, spec: { ...base.spec, ...spec } });

describe('sidecarSetHash', () => {
  it('is 64 characters of the rand.SafeEncodeString alphabet', () => {
    expect(sidecarSetHash(base)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{64}$/);
  });

  it('maps each hex digit as rand.SafeEncodeString does', () => {
    // '0' is 48 -> 48 % 27 = 21 -> '4'; 'a' is 97 -> 97 % 27 = 16 -> 'v'
    expect(safeEncodeString('0a')).toBe('4v');
  });

  it('does not depend on the key order of the objects', () => {
    const reordered = withSpec({
      containers: [{ volumeMounts: [{ mountPath: '/var/log', name: 'log' }], command: ['sleep', '999d'], image: 'centos:6.7', name: 'sidecar1' }],
    });
    expect(sidecarSetHash(reordered)).toBe(sidecarSetHash(base));
  });

  const changes: { name: string; spec: Partial<SidecarSet['spec']>; hash: boolean; withoutImage: boolean }[] = [
    { name: 'changing an image changes the hash but not the without-image hash', spec: { containers: [{ ...base.spec.containers![0]!, image: 'centos:6.8' }] }, hash: true, withoutImage: false },
    { name: 'changing a command changes both hashes', spec: { containers: [{ ...base.spec.containers![0]!, command: ['sleep', '1d'] }] }, hash: true, withoutImage: true },
    { name: 'changing only volumes changes neither', spec: { volumes: [{ name: 'log', hostPath: { path: '/x' } }] }, hash: false, withoutImage: false },
    { name: 'changing only imagePullSecrets changes neither', spec: { imagePullSecrets: [{ name: 'reg' }] }, hash: false, withoutImage: false },
    { name: 'changing only patchPodMetadata changes neither', spec: { patchPodMetadata: [{ annotations: { a: 'b' } }] }, hash: false, withoutImage: false },
    { name: 'a plain init container is not hashed', spec: { initContainers: [{ name: 'init', image: 'busybox' }] }, hash: false, withoutImage: false },
    { name: 'a native sidecar init container is hashed', spec: { initContainers: [{ name: 'init', image: 'busybox', restartPolicy: 'Always' }] }, hash: true, withoutImage: true },
  ];
  it.each(changes)('$name', ({ spec, hash, withoutImage }) => {
    const changed = withSpec(spec);
    expect(sidecarSetHash(changed) !== sidecarSetHash(base)).toBe(hash);
    expect(sidecarSetHashWithoutImage(changed) !== sidecarSetHashWithoutImage(base)).toBe(withoutImage);
  });

  it('changing a native sidecar init container image changes only the hash', () => {
    const a = withSpec({ initContainers: [{ name: 'init', image: 'busybox:1', restartPolicy: 'Always' }] });
    const b = withSpec({ initContainers: [{ name: 'init', image: 'busybox:2', restartPolicy: 'Always' }] });
    expect(sidecarSetHash(a)).not.toBe(sidecarSetHash(b));
    expect(sidecarSetHashWithoutImage(a)).toBe(sidecarSetHashWithoutImage(b));
  });

  it('sidecarSetHashAnnotations gives both annotations', () => {
    expect(sidecarSetHashAnnotations(base)).toEqual({
      [SIDECARSET_HASH_ANNOTATION]: sidecarSetHash(base),
      [SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]: sidecarSetHashWithoutImage(base),
    });
  });
});

describe('goJson', () => {
  it('escapes HTML characters as Go does', () => {
    expect(goJsonString('<a&b>')).toBe('"\\u003ca\\u0026b\\u003e"');
  });
  it('sorts object keys and drops undefined members', () => {
    expect(goJsonStringify({ b: 1, a: [true, null], c: undefined })).toBe('{"a":[true,null],"b":1}');
  });
});

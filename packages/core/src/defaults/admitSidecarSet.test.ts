import type { SidecarSet } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { SIDECARSET_HASH_ANNOTATION, SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION } from '../annotations.js';
import { sidecarSetHash } from '../hash/sidecarSetHash.js';
import { admitSidecarSet } from './admitSidecarSet.js';

const written: SidecarSet = {
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name: 's', annotations: { team: 'logging' } },
  spec: { selector: { matchLabels: { app: 'a' } }, containers: [{ name: 'c', image: 'busybox:1.36' }] },
};

describe('admitSidecarSet', () => {
  it('defaults the spec and adds both hash annotations, keeping the annotations it had', () => {
    const admitted = admitSidecarSet(written);
    expect(admitted.spec.updateStrategy?.type).toBe('RollingUpdate');
    expect(admitted.spec.containers?.[0]?.podInjectPolicy).toBe('BeforeAppContainer');
    expect(admitted.metadata?.annotations).toMatchObject({ team: 'logging', [SIDECARSET_HASH_ANNOTATION]: sidecarSetHash(admitted) });
    expect(admitted.metadata?.annotations?.[SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]).toBeTruthy();
  });

  it('is idempotent and leaves its input alone', () => {
    const copy = structuredClone(written);
    const once = admitSidecarSet(written);
    expect(admitSidecarSet(once)).toEqual(once);
    expect(written).toEqual(copy);
  });
});

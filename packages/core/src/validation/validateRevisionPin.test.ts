import type { ControllerRevision, SidecarSet } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { CUSTOM_VERSION_LABEL } from '../annotations.js';
import { SIDECARSET_NAME_LABEL } from '../revision/resolveInjectionRevision.js';
import { validateSidecarSet } from './validateSidecarSet.js';

const revision = (name: string, owner: string, customVersion?: string): ControllerRevision => ({
  apiVersion: 'apps/v1',
  kind: 'ControllerRevision',
  metadata: { name, namespace: 'sidecarset-system', labels: { [SIDECARSET_NAME_LABEL]: owner, ...(customVersion ? { [CUSTOM_VERSION_LABEL]: customVersion } : {}) } },
  revision: 1,
});
const recorded = [revision('s-1', 's', 'v1'), revision('other-1', 'other')];
const pinned = (pin: Record<string, string>, labels: Record<string, string> = {}): SidecarSet => ({
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name: 's', labels },
  spec: { selector: { matchLabels: { app: 'web' } }, containers: [{ name: 'c', image: 'c:1' }], injectionStrategy: { revision: pin } },
});
const pinErrors = (set: SidecarSet, revisions: ControllerRevision[] | undefined) =>
  validateSidecarSet(set, undefined, [], revisions).filter((e) => e.path.startsWith('spec.injectionStrategy.revision'));

describe('validateSidecarSet: injectionStrategy.revision must resolve', () => {
  it.each([
    { name: 'a revisionName of this SidecarSet is accepted', set: pinned({ revisionName: 's-1' }), errors: [] },
    { name: 'a customVersion some revision of this SidecarSet carries is accepted', set: pinned({ customVersion: 'v1' }), errors: [] },
    { name: 'a customVersion this SidecarSet is being applied with is accepted', set: pinned({ customVersion: 'v2' }, { [CUSTOM_VERSION_LABEL]: 'v2' }), errors: [] },
    { name: 'a revisionName that does not exist is refused', set: pinned({ revisionName: 'gone' }), errors: [['spec.injectionStrategy.revision.revisionName', /no ControllerRevision "gone" is recorded for SidecarSet "s"/]] },
    { name: "another SidecarSet's revision is refused, naming its owner", set: pinned({ revisionName: 'other-1' }), errors: [['spec.injectionStrategy.revision.revisionName', /belongs to SidecarSet "other", not to "s"/]] },
    { name: 'a customVersion no revision carries is refused', set: pinned({ customVersion: 'v9' }), errors: [['spec.injectionStrategy.revision.customVersion', /v9/]] },
  ])('$name', ({ set, errors }) => {
    expect(pinErrors(set, recorded).map((e) => [e.path, e.reason])).toEqual(errors.map(([path, reason]) => [path, expect.stringMatching(reason as RegExp)]));
  });

  it('without the recorded revisions (offline) a pin is not checked', () => {
    expect(pinErrors(pinned({ revisionName: 'gone' }), undefined)).toEqual([]);
  });
});

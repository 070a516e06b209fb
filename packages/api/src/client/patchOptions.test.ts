import { describe, expect, expectTypeOf, it } from 'vitest';
import type { SidecarSet } from '../generated/index.js';
import { InvalidError } from './errors.js';
import { type PatchBody, type PatchOptions, patchRequest } from './patchOptions.js';

describe('patchRequest', () => {
  const cases: { name: string; options: PatchOptions; expected: ReturnType<typeof patchRequest> }[] = [
    {
      name: 'merge patch is sent as application/merge-patch+json',
      options: { type: 'merge' },
      expected: { contentType: 'application/merge-patch+json', fieldManager: undefined, force: undefined, dryRun: undefined },
    },
    {
      name: 'JSON patch is sent as application/json-patch+json',
      options: { type: 'json', fieldManager: 'sidecarset-controller' },
      expected: { contentType: 'application/json-patch+json', fieldManager: 'sidecarset-controller', force: undefined, dryRun: undefined },
    },
    {
      name: 'server-side apply is sent as application/apply-patch+yaml with its field manager',
      options: { type: 'apply', fieldManager: 'kubectl-sidecarset' },
      expected: { contentType: 'application/apply-patch+yaml', fieldManager: 'kubectl-sidecarset', force: undefined, dryRun: undefined },
    },
    {
      name: 'forced dry-run apply sets force and dryRun=All',
      options: { type: 'apply', fieldManager: 'kubectl-sidecarset', force: true, dryRun: true },
      expected: { contentType: 'application/apply-patch+yaml', fieldManager: 'kubectl-sidecarset', force: true, dryRun: 'All' },
    },
  ];

  it.each(cases)('$name', ({ options, expected }) => {
    expect(patchRequest(options)).toEqual(expected);
  });

  const refused: { name: string; options: unknown; field: string; reason: string }[] = [
    { name: 'apply without a field manager (as the server would refuse it)', options: { type: 'apply' }, field: 'fieldManager', reason: 'FieldValueRequired' },
    { name: 'apply with an empty field manager', options: { type: 'apply', fieldManager: '' }, field: 'fieldManager', reason: 'FieldValueRequired' },
    { name: 'force on a merge patch', options: { type: 'merge', force: true }, field: 'force', reason: 'FieldValueForbidden' },
    { name: 'strategic merge, which custom resources do not support', options: { type: 'strategic' }, field: 'type', reason: 'FieldValueNotSupported' },
  ];

  it.each(refused)('refuses $name with an InvalidError naming the option', ({ options, field, reason }) => {
    let thrown: unknown;
    try {
      patchRequest(options as PatchOptions);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(InvalidError);
    expect((thrown as InvalidError).causes).toEqual([expect.objectContaining({ field, reason })]);
  });

  it('requires a field manager for apply at compile time', () => {
    // @ts-expect-error apply without fieldManager must not typecheck
    const missingManager: PatchOptions = { type: 'apply' };
    // @ts-expect-error force is for apply only
    const forcedMerge: PatchOptions = { type: 'merge', force: true };
    expect([missingManager, forcedMerge]).toHaveLength(2);
  });

  it('ties the patch body to the patch type', () => {
    expectTypeOf<PatchBody<SidecarSet, 'json'>>().toEqualTypeOf<import('./patchOptions.js').JsonPatchOperation[]>();
    expectTypeOf<{ spec: { updateStrategy: { paused: true } } }>().toExtend<PatchBody<SidecarSet, 'merge'>>();
    expectTypeOf<{ metadata: { labels: null } }>().toExtend<PatchBody<SidecarSet, 'merge'>>();
    expectTypeOf<{ metadata: { labels: null } }>().not.toExtend<PatchBody<SidecarSet, 'apply'>>();
  });
});

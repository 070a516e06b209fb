// What may not change on UPDATE, as OpenKruise enforces it: no container is added or renamed in
// spec.containers (pods injected before could never be upgraded to it in place), and a container's
// upgradeType stays what it was (a hot-upgraded sidecar runs as two containers, a cold one as one).
import type { FieldError, SidecarSet } from '@sidecarset/api';
import { forbidden, isObject } from './fieldErrors.js';

const NAMES_LISTED = 10;

const upgradeTypeOf = (container: Record<string, unknown>): string =>
  isObject(container.upgradeStrategy) && typeof container.upgradeStrategy.upgradeType === 'string' && container.upgradeStrategy.upgradeType !== ''
    ? container.upgradeStrategy.upgradeType
    : 'ColdUpgrade';

export function validateUpdate(next: SidecarSet, previous: SidecarSet): FieldError[] {
  const before = new Map<string, string>();
  for (const container of asList(previous.spec?.containers)) {
    if (isObject(container) && typeof container.name === 'string') before.set(container.name, upgradeTypeOf(container));
  }
  const errors: FieldError[] = [];
  // Written once, not once per error, and at most a few names long.
  const listed = [...before.keys()].slice(0, NAMES_LISTED).map((n) => `"${n}"`);
  if (before.size > NAMES_LISTED) listed.push(`and ${before.size - NAMES_LISTED} more`);
  const names = listed.join(', ') || 'none';
  asList(next.spec?.containers).forEach((container, index) => {
    if (!isObject(container) || typeof container.name !== 'string') return;
    const path = `spec.containers[${index}]`;
    const was = before.get(container.name);
    if (was === undefined) {
      errors.push(
        forbidden(
          `${path}.name`,
          `container "${container.name}" is not in this SidecarSet yet (it has ${names}): containers cannot be added or renamed after creation; put a new sidecar in a new SidecarSet, or delete and recreate this one`,
        ),
      );
    } else if (upgradeTypeOf(container) !== was) {
      errors.push(
        forbidden(
          `${path}.upgradeStrategy.upgradeType`,
          `is immutable: container "${container.name}" was created with ${was}; to switch to ${upgradeTypeOf(container)}, delete and recreate the SidecarSet`,
        ),
      );
    }
  });
  return errors;
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

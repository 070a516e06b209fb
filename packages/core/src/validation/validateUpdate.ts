// What may not change on UPDATE, as OpenKruise enforces it: no container is added or renamed in
// spec.containers (pods injected before could never be upgraded to it in place), and a container's
// upgradeType stays what it was (a hot-upgraded sidecar runs as two containers, a cold one as one).
import type { FieldError, SidecarSet } from '@sidecarset/api';
import { forbidden, isObject } from './fieldErrors.js';

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
  asList(next.spec?.containers).forEach((container, index) => {
    if (!isObject(container) || typeof container.name !== 'string') return;
    const path = `spec.containers[${index}]`;
    const was = before.get(container.name);
    if (was === undefined) {
      const names = [...before.keys()].map((n) => `"${n}"`).join(', ') || 'none';
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

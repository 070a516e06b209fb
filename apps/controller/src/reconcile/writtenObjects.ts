// Objects this controller has just written, until its cache shows the write. A reconcile that runs
// before the watch has delivered its own writes would otherwise decide on the older copy: pods it
// upgraded would look not yet updated and still available, so it would patch them again (a wasted
// write, refused by the patch's resourceVersion test) and count the rollout's budget short, taking
// down more pods than maxUnavailable allows; a SidecarSet whose status it wrote would carry the old
// resourceVersion, and the next status update would conflict. controller-runtime's users keep
// expectations for this (OpenKruise's UpdateExpectations and ResourceVersionExpectation); here the
// object as the API server returned it stands in for the cached one while the cache is older.
import type { InformerEvent } from '@sidecarset/api';

interface Versioned {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
}

const keyOf = (object: Versioned): string => `${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;

/**
 * resourceVersions are opaque by contract, but every kube-apiserver (etcd) writes increasing integers,
 * and expectations compare them as such; anything else counts as "the cache has caught up".
 */
function newer(a: Versioned, b: Versioned): boolean {
  const [x, y] = [a.metadata?.resourceVersion, b.metadata?.resourceVersion];
  if (!x || !y || !/^\d{1,20}$/.test(x) || !/^\d{1,20}$/.test(y)) return false;
  return BigInt(x) > BigInt(y);
}

export class WrittenObjects<T extends Versioned> {
  private readonly written = new Map<string, T>();

  /** An object as the API server returned it from a write. */
  record(object: T): void {
    const key = keyOf(object);
    const known = this.written.get(key);
    if (!known || newer(object, known)) this.written.set(key, object);
  }

  /** An event from the cache: a write it has caught up with (or an object gone) is forgotten. */
  observe(event: InformerEvent<T>): void {
    if (this.written.size === 0) return;
    const key = keyOf(event.object);
    const known = this.written.get(key);
    if (known && (event.type === 'delete' || !newer(known, event.object))) this.written.delete(key);
  }

  /** The cached object, or what this controller wrote while the cache is older. */
  freshest(cached: T): T;
  freshest(cached: T | undefined): T | undefined;
  freshest(cached: T | undefined): T | undefined {
    if (!cached || this.written.size === 0) return cached;
    const known = this.written.get(keyOf(cached));
    return known && newer(known, cached) ? known : cached;
  }

  /** freshest() of each. */
  freshestOf(cached: T[]): T[] {
    return this.written.size === 0 ? cached : cached.map((object) => this.freshest(object));
  }

  get size(): number {
    return this.written.size;
  }
}

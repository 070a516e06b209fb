// Shared pieces of the rollout suites: a SidecarSet and Deployments to roll out, readers of what the
// API server holds, and a watcher of unavailability during a rollout.
import { pathInformer, type Pod, type SidecarSet } from '@sidecarset/api';
import type { ControlPlane } from '@sidecarset/envtest';

export const LOGGER_IMAGE_V1 = 'registry.example/logger:1.0';
export const LOGGER_IMAGE_V2 = 'registry.example/logger:2.0';

export function loggerSidecarSet(name: string, app: string, updateStrategy: NonNullable<SidecarSet['spec']['updateStrategy']> = {}): SidecarSet {
  return {
    apiVersion: 'apps.kruise.io/v1alpha1',
    kind: 'SidecarSet',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app } },
      updateStrategy: { type: 'RollingUpdate', ...updateStrategy },
      containers: [{ name: 'logger', image: LOGGER_IMAGE_V1, env: [{ name: 'LEVEL', value: 'info' }], volumeMounts: [{ name: 'logs', mountPath: '/var/log/app' }] }],
      volumes: [{ name: 'logs', emptyDir: {} }],
    },
  };
}

export function deployment(name: string, namespace: string, replicas: number, labels: Record<string, string>) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, annotations: { 'sidecarset.dev/kwok-restart-delay': '1s' } },
        spec: { containers: [{ name: 'app', image: 'registry.example/app:1.0' }] },
      },
    },
  };
}

export async function apply(plane: ControlPlane, object: unknown): Promise<void> {
  const { code, stderr } = await plane.kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=test', '-f', '-'], JSON.stringify(object));
  if (code !== 0) throw new Error(`apply failed: ${stderr}`);
}

export async function getJson<T>(plane: ControlPlane, ...args: string[]): Promise<T> {
  const { code, stdout, stderr } = await plane.kubectl(['get', ...args, '-o', 'json']);
  if (code !== 0) throw new Error(`kubectl get ${args.join(' ')}: ${stderr}`);
  return JSON.parse(stdout) as T;
}

export const podsOf = async (plane: ControlPlane, namespace: string, selector: string): Promise<Pod[]> =>
  (await getJson<{ items: Pod[] }>(plane, 'pods', '-n', namespace, '-l', selector)).items.filter((p) => !p.metadata?.deletionTimestamp);

const isReady = (pod: Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const sidecarImage = (pod: Pod) => pod.spec?.containers.find((c) => c.name === 'logger')?.image;
const sidecarStatus = (pod: Pod) => pod.status?.containerStatuses?.find((s) => s.name === 'logger');

/** A pod moved to `image` whose sidecar is not yet running it ready: what maxUnavailable bounds. */
const isUnavailableUpdated = (pod: Pod, image: string): boolean =>
  sidecarImage(pod) === image && (!isReady(pod) || sidecarStatus(pod)?.image !== image || !sidecarStatus(pod)?.ready);

export const unavailableUpdated = (pods: Pod[], image: string): number => pods.filter((p) => isUnavailableUpdated(p, image)).length;

export const updatedReady = (pods: Pod[], image: string): number =>
  pods.filter((p) => sidecarImage(p) === image && isReady(p) && sidecarStatus(p)?.image === image && sidecarStatus(p)?.ready).length;

export const withImage = (pods: Pod[], image: string): number => pods.filter((p) => sidecarImage(p) === image).length;

/** Polls until `check` holds; returns its last value. */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${String(JSON.stringify(value)).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 200));
    value = await read();
  }
  return value;
}

/**
 * Watches the pods (a real watch, so no state change is missed between samples) and evaluates the
 * budget after every event: the largest number of unavailable updated pods at any moment, and which
 * pods were ever seen in that state (each pod upgraded in place passes through it).
 */
export function watchUnavailability(plane: ControlPlane, namespace: string, selector: string, image: string) {
  const informer = pathInformer<Pod>(plane.kubeConfig, `/api/v1/namespaces/${namespace}/pods`, { labelSelector: selector });
  let max = 0;
  const seenUnavailable = new Set<string>();
  informer.subscribe(() => {
    const pods = informer.list().filter((p) => !p.metadata?.deletionTimestamp);
    const unavailable = pods.filter((p) => isUnavailableUpdated(p, image));
    max = Math.max(max, unavailable.length);
    for (const pod of unavailable) seenUnavailable.add(pod.metadata?.name ?? '');
  });
  informer.start();
  return {
    synced: () => informer.waitForSync(),
    async stop() {
      await informer.stop();
      return { max, seenUnavailable };
    },
  };
}

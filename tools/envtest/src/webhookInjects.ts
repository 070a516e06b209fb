// A webhook's informers take a SidecarSet a moment after it is stored. Pods a controller creates in
// that moment are admitted without the sidecar and never recreated, so whoever applies a SidecarSet
// and then a workload waits here in between.
import type { ControlPlane } from './controlPlane.js';

type Kubectl = ControlPlane['kubectl'];

export interface WebhookProbe {
  namespace: string;
  labels: Record<string, string>;
  /** The container (or init container) the SidecarSet injects. */
  container: string;
  /** Extra pod spec fields the SidecarSet's selection depends on (e.g. a nodeName). */
  spec?: Record<string, unknown>;
  timeoutMs?: number;
}

/**
 * Polls a server-side dry-run CREATE of a pod with `labels` in `namespace` until it comes back with
 * `container` injected; throws with the last answer when `timeoutMs` (default 60 s) passes first.
 */
export async function untilWebhookInjects(kubectl: Kubectl, probe: WebhookProbe): Promise<void> {
  const { namespace, labels, container, spec = {}, timeoutMs = 60_000 } = probe;
  const pod = JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { generateName: 'webhook-probe-', namespace, labels },
    spec: { containers: [{ name: 'webhook-probe', image: 'registry.example/probe:1.0' }], ...spec },
  });
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    const { code, stdout, stderr } = await kubectl(['create', '--dry-run=server', '-o', 'json', '-f', '-'], pod);
    if (code === 0) {
      const created = JSON.parse(stdout) as { spec?: { containers?: { name: string }[]; initContainers?: { name: string }[] } };
      const names = [...(created.spec?.containers ?? []), ...(created.spec?.initContainers ?? [])].map((c) => c.name);
      if (names.includes(container)) return;
      last = `containers ${names.join(', ')}`;
    } else {
      last = stderr.trim();
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for the webhook to inject ${container} into a dry-run pod in ${namespace}; last: ${last.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

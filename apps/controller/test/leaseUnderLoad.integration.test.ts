// The leader keeps its Lease while its own requests queue in the API server: every request of the
// controller's ServiceAccount is routed (by a FlowSchema of the test) into a priority level of a few
// seats with one queue, then flooded with large LISTs, so that a request of that identity waits for
// longer than the renew deadline. Renewals go through deploy/manifests/controller.yaml's FlowSchema
// into the leader-election level (and a connection pool of their own), so the Lease keeps being
// renewed. Without that FlowSchema they queue behind the flood too and the controller steps down
// (checked by hand: the same test with the FlowSchema deleted fails).
import { loadKubeConfig, requestJson, type Lease } from '@sidecarset/api';
import { SIDECARSET_NAMESPACE, startControlPlane, startSidecarsetController, type ControlPlane, type SidecarsetController } from '@sidecarset/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leasePath } from '../src/runtime/leaseStore.js';

let plane: ControlPlane;
let controller: SidecarsetController;
const LEASE_MS = 10_000; // renew deadline 6.6 s, a renewal every ~1.3 s (room for a busy machine)
const FLOOD_MS = 12_000;
const IN_FLIGHT = 80;
const BULK = 400; // ConfigMaps of 8 KiB in default: each LIST is slow to serve (a CI run at 200 and 50 in flight waited a median 4.1 s, short of the deadline)

const throttle = [
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
    kind: 'PriorityLevelConfiguration',
    metadata: { name: 'test-controller-throttle' },
    spec: { type: 'Limited', limited: { nominalConcurrencyShares: 1, lendablePercent: 0, limitResponse: { type: 'Queue', queuing: { queues: 1, handSize: 1, queueLengthLimit: 1000 } } } },
  },
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
    kind: 'FlowSchema',
    metadata: { name: 'test-controller-throttle' },
    spec: {
      matchingPrecedence: 1000, // after the manifest's 200, before service-accounts (9000)
      priorityLevelConfiguration: { name: 'test-controller-throttle' },
      distinguisherMethod: { type: 'ByUser' },
      rules: [
        {
          subjects: [{ kind: 'ServiceAccount', serviceAccount: { name: 'sidecarset-controller', namespace: SIDECARSET_NAMESPACE } }],
          resourceRules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'], clusterScope: true, namespaces: ['*'] }],
        },
      ],
    },
  },
];

beforeAll(async () => {
  plane = await startControlPlane({ scheduler: false });
  controller = await startSidecarsetController(plane, { identity: 'under-load', leaseDurationMs: LEASE_MS });
  const applied = await plane.kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: throttle }));
  if (applied.code !== 0) throw new Error(applied.stderr);
  const bulk = Array.from({ length: BULK }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `bulk-${i}`, namespace: 'default' }, data: { k: 'x'.repeat(8192) } }));
  const created = await plane.kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: bulk }));
  if (created.code !== 0) throw new Error(created.stderr);
}, 120_000);
afterAll(async () => {
  await plane?.stop();
});

const readLease = () => requestJson<Lease>(plane.kubeConfig, 'GET', leasePath(SIDECARSET_NAMESPACE, 'sidecarset-controller'));

describe("the leader's Lease while the API server holds back the controller's other requests", () => {
  it('keeps being renewed, the controller never stepping down, while its other requests wait longer than the renew deadline', async () => {
    await expect.poll(async () => (await readLease()).spec?.holderIdentity, { timeout: 30_000 }).toBe('under-load');
    const asController = loadKubeConfig({ kubeconfig: controller.kubeconfigPath });
    const latencies: number[] = [];
    const flood = async (until: number) => {
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (Date.now() < until) {
            const sent = Date.now();
            await requestJson(asController, 'GET', '/api/v1/configmaps');
            latencies.push(Date.now() - sent);
          }
        }),
      );
    };
    const renewals: number[] = [];
    let lastRenew = '';
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const lease = await readLease(); // as the admin: exempt from the throttle
        expect(lease.spec?.holderIdentity).toBe('under-load');
        if (lease.spec?.renewTime !== lastRenew) {
          lastRenew = lease.spec?.renewTime ?? '';
          renewals.push(Date.now());
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const start = Date.now();
    await flood(start + FLOOD_MS);
    watching = false;
    await watcher;

    const gaps = renewals.slice(1).map((t, i) => t - renewals[i]!);
    const waited = [...latencies].sort((a, b) => a - b)[Math.floor(latencies.length / 2)] ?? 0;
    console.log(`flood: ${latencies.length} LISTs as the controller, median ${waited} ms; ${renewals.length} renewals seen in ${FLOOD_MS} ms, largest gap ${Math.max(...gaps)} ms`);
    // The controller's other requests really waited longer than the renew deadline.
    expect(waited).toBeGreaterThan(Math.round(LEASE_MS * 0.66));
    expect(renewals.length).toBeGreaterThanOrEqual(3);
    // The controller's own account of it: it never stepped down (the gaps above also hold the admin's read latency).
    expect(controller.process.running()).toBe(true);
    expect(controller.logs()).not.toContain('lost the leader Lease');
  }, 120_000);
});

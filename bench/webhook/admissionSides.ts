// The two webhooks the admission benchmark compares, each on a control plane of its own built from the
// same binaries: ours (apps/webhook, on our CRD) and the real OpenKruise v1.9.0 manager (tools/kruise,
// on its CRD: the two CRDs have the same name, so they cannot share a plane). Both leave the same
// namespaces out of their pod webhook, so each plane has a no-webhook baseline of its own.
import { startControlPlane, registerSidecarsetWebhook, startSidecarsetWebhook, type ControlPlane } from '@sidecarset/envtest';
import { startOpenKruise } from '@sidecarset/kruise';
import { readHistogram, type HistogramSample } from '../histogram.ts';
import { KRUISE_BENCH_ARGS } from '../openKruiseArgs.ts';
import { metricsText } from './admissionRounds.ts';

/** Left out by deploy/manifests/webhook-configurations.yaml's pod namespaceSelector, and by OpenKruise's here. */
export const UNHOOKED_NAMESPACES = ['kube-system', 'sidecarset-system'];

export interface AdmissionSide {
  name: 'ours' | 'OpenKruise';
  plane: ControlPlane;
  /** The process that answers the pod webhook (OpenKruise's also runs its controllers). */
  webhook: { name: string; pid: number };
  /** The pod webhook's `name` label in kube-apiserver's apiserver_admission_webhook_* metrics. */
  apiServerWebhookLabel: string;
  /** The webhook's own histogram of pod admissions, where it has one we read. */
  ownHistogram?: () => Promise<HistogramSample>;
  logs(): string;
}

export async function startOurSide(log: (line: string) => void, nodeOptions?: string[]): Promise<AdmissionSide> {
  const plane = await startControlPlane({ scheduler: false, log: (line) => log(`ours: ${line}`) });
  const webhook = await startSidecarsetWebhook(plane, nodeOptions === undefined ? {} : { nodeOptions });
  await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
  return {
    name: 'ours',
    plane,
    webhook: { name: 'sidecarset-webhook', pid: webhook.process.pid },
    apiServerWebhookLabel: 'name="mutate-pods.sidecarset.dev"',
    ownHistogram: async () => readHistogram(await metricsText(plane, webhook), 'sidecarset_webhook_request_duration_seconds', 'route="/mutate-pods"'),
    logs: () => webhook.logs(),
  };
}

export async function startOpenKruiseSide(log: (line: string) => void): Promise<AdmissionSide> {
  const plane = await startControlPlane({ scheduler: false, installCrds: false, log: (line) => log(`OpenKruise: ${line}`) });
  const kruise = await startOpenKruise(plane, {
    podNamespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: UNHOOKED_NAMESPACES }] },
    extraArgs: KRUISE_BENCH_ARGS,
    log: (line) => log(`OpenKruise: ${line}`),
  });
  return {
    name: 'OpenKruise',
    plane,
    webhook: { name: 'kruise-manager', pid: kruise.process.pid },
    apiServerWebhookLabel: 'name="mpod.kb.io"',
    logs: () => kruise.logs(40),
  };
}

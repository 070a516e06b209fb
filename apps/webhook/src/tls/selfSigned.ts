// Self-signed mode: the CA and serving certificate come from the Secret every replica shares
// (sharedCertificate.ts); the CA goes into the caBundle of the webhook configurations so the API
// server trusts it. A caBundle that already holds it is left alone: replicas do not write in turns.
import type { KubeConfig } from '@kubernetes/client-node';
import { ConflictError, InvalidError, requestJson } from '@sidecarset/api';

const CONFIGURATION_PATHS = {
  mutating: '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations',
  validating: '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations',
} as const;

interface WebhookConfiguration {
  metadata?: { resourceVersion?: string };
  webhooks?: { clientConfig?: { caBundle?: string } }[];
}

/**
 * Sets caBundle on every webhook of the named configuration whose caBundle differs; returns how many
 * were patched (0: already right). The patch tests the resourceVersion read, so it never overwrites
 * a change made in between (e.g. a `helm upgrade`): the caller's next round reads that and decides again.
 */
export async function patchCaBundle(kubeConfig: KubeConfig, kind: keyof typeof CONFIGURATION_PATHS, name: string, caBundlePem: string): Promise<number> {
  const path = `${CONFIGURATION_PATHS[kind]}/${encodeURIComponent(name)}`;
  const caBundle = Buffer.from(caBundlePem).toString('base64');
  for (let attempt = 0; ; attempt++) {
    const current = await requestJson<WebhookConfiguration>(kubeConfig, 'GET', path);
    const operations = (current.webhooks ?? []).flatMap((webhook, i) => (webhook.clientConfig?.caBundle === caBundle ? [] : [{ op: 'add', path: `/webhooks/${i}/clientConfig/caBundle`, value: caBundle }]));
    if (!operations.length) return 0;
    const guard = { op: 'test', path: '/metadata/resourceVersion', value: current.metadata?.resourceVersion };
    try {
      await requestJson(kubeConfig, 'PATCH', path, {}, [guard, ...operations], 'application/json-patch+json');
      return operations.length;
    } catch (error) {
      // The test failed (422) or the object changed (409): someone wrote in between; read again.
      if (attempt < 4 && (error instanceof InvalidError || error instanceof ConflictError)) continue;
      throw error;
    }
  }
}

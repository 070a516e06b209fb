// The fuzz suite's real parts: a control plane from tools/envtest, the namespaces pods are generated
// into (created before the webhook starts, so its cache has their labels), the built webhook binary
// registered through the shipped configurations, SidecarSets created through the API server (so the
// webhook defaults, validates and caches them as in a cluster), and dry-run pod CREATEs.
// The pod webhook is taken out of the registration: a dry-run must judge the webhook's patched pod as
// it came back, not the pod after a second injection.
import { KubernetesApiError, requestJson, SidecarSetClient, type SidecarSet } from '@sidecarset/api';
import { applyPatchMetadataWhitelist, registerSidecarsetWebhook, startSidecarsetWebhook, type ControlPlane, type SidecarsetWebhook } from '@sidecarset/envtest';
import type { CampaignHost } from './campaign.js';
import { ADMISSION_TIMEOUT_MS, normalize, type CheckContext, type DryRunResult } from './checkReview.js';
import { NAMESPACES, PATCH_ANNOTATION_PREFIX } from './namePools.js';
import { WebhookClient } from './webhookClient.js';
import { worldOf, type World } from './world.js';

const POD_WEBHOOK = 'mutate-pods.sidecarset.dev';

async function kubectlOk(plane: ControlPlane, args: string[], input?: string): Promise<string> {
  const { code, stdout, stderr } = await plane.kubectl(args, input);
  if (code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${stderr}`);
  return stdout;
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The namespaces of namePools.ts, each with its default ServiceAccount (a pod dry-run needs it). */
export async function createFuzzNamespaces(plane: ControlPlane): Promise<void> {
  const items = Object.entries(NAMESPACES)
    .filter(([name]) => name !== 'default')
    .map(([name, labels]) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } }));
  await kubectlOk(plane, ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  for (const name of Object.keys(NAMESPACES)) {
    await until(`ServiceAccount ${name}/default`, 60_000, () => requestJson(plane.kubeConfig, 'GET', `/api/v1/namespaces/${name}/serviceaccounts/default`));
  }
}

export class FuzzCluster implements CampaignHost {
  private webhook!: SidecarsetWebhook;
  private client!: WebhookClient;
  private readonly sidecarSets: SidecarSetClient;
  private dryRunBudget: number;
  restarts = 0;

  constructor(
    private readonly plane: ControlPlane,
    dryRunBudget: number,
  ) {
    this.sidecarSets = new SidecarSetClient(plane.kubeConfig);
    this.dryRunBudget = dryRunBudget;
  }

  async start(): Promise<void> {
    // The whitelist that lets the generated SidecarSets patch their annotations (read before the webhook is ready).
    await applyPatchMetadataWhitelist(this.plane, [{ allowedAnnotationKeyExprs: [`^${PATCH_ANNOTATION_PREFIX.replaceAll('.', '\\.')}`] }]);
    this.webhook = await startSidecarsetWebhook(this.plane);
    await registerSidecarsetWebhook(this.plane, this.webhook.url, this.webhook.caBundle);
    const configuration = JSON.parse(await kubectlOk(this.plane, ['get', 'mutatingwebhookconfiguration', 'sidecarset-mutating', '-o', 'json'])) as { webhooks: { name: string }[] };
    const index = configuration.webhooks.findIndex((w) => w.name === POD_WEBHOOK);
    if (index >= 0) {
      const patch = [{ op: 'test', path: `/webhooks/${index}/name`, value: POD_WEBHOOK }, { op: 'remove', path: `/webhooks/${index}` }];
      await kubectlOk(this.plane, ['patch', 'mutatingwebhookconfiguration', 'sidecarset-mutating', '--type=json', '-p', JSON.stringify(patch)]);
    }
    this.client?.close();
    // Twice the API server's deadline: a late answer is reported as late, not as none.
    this.client = new WebhookClient(this.webhook.url, this.webhook.caBundle, 2 * ADMISSION_TIMEOUT_MS);
  }

  async stop(): Promise<void> {
    this.client?.close();
    await this.webhook?.stop();
  }

  setDryRunBudget(budget: number): void {
    this.dryRunBudget = budget;
  }

  private async cachedSidecarSets(): Promise<number | undefined> {
    const metrics = await this.client.get('/metrics');
    if (!metrics.ok) return undefined;
    const match = /^sidecarset_webhook_cached_sidecarsets (\d+)$/m.exec(metrics.answer.text);
    return match ? Number(match[1]) : undefined;
  }

  async createWorld(index: number, sidecarSets: SidecarSet[]): Promise<{ world: World; rejected: { name: string; message: string }[] }> {
    for (const existing of (await this.sidecarSets.listAll()).items) await this.sidecarSets.delete(existing.metadata!.name!);
    await until('an empty SidecarSet cache', 30_000, async () => ((await this.cachedSidecarSets()) === 0 ? true : undefined));
    const stored: SidecarSet[] = [];
    const rejected: { name: string; message: string }[] = [];
    for (const sidecarSet of sidecarSets) {
      try {
        stored.push(await this.sidecarSets.create(sidecarSet));
      } catch (error) {
        rejected.push({ name: sidecarSet.metadata!.name!, message: error instanceof Error ? error.message : String(error) });
      }
    }
    await until(`${stored.length} cached SidecarSets`, 30_000, async () => ((await this.cachedSidecarSets()) === stored.length ? true : undefined));
    return { world: worldOf(index, stored, sidecarSets), rejected };
  }

  context(world: World): CheckContext {
    return {
      world,
      client: () => this.client,
      takeDryRun: () => (this.dryRunBudget > 0 ? (this.dryRunBudget--, true) : false),
      dryRun: (pod, namespace) => this.dryRun(pod, namespace),
      reviveWebhook: async () => {
        if (this.webhook.process.running()) return false;
        this.restarts++;
        await this.start();
        return true;
      },
    };
  }

  private async dryRun(pod: unknown, namespace: string): Promise<DryRunResult> {
    try {
      await requestJson(this.plane.kubeConfig, 'POST', `/api/v1/namespaces/${namespace}/pods`, { dryRun: 'All' }, pod);
      return { accepted: true };
    } catch (error) {
      if (!(error instanceof KubernetesApiError)) throw error;
      const causes = (error.status.details?.causes ?? []).map((c) => `${(c.field ?? '').replace(/\[\d+\]/g, '[]')}: ${c.reason ?? ''}`);
      const signature = causes.length ? [...new Set(causes)].sort().join('; ') : `${error.reason}: ${normalize(error.message)}`;
      return { accepted: false, signature, message: error.message };
    }
  }
}

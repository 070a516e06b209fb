// The two sides of the differential suite: a control plane running the real OpenKruise v1.9.0
// (its SidecarSet CRD and webhooks), and a control plane running our webhook on our CRD. Both get
// the same namespaces, and the same kruise-configuration ConfigMap whitelisting the annotation keys
// generated SidecarSets patch (OpenKruise's in kruise-system, ours in sidecarset-system), before
// their webhooks start; SidecarSets are created through each API server (so each webhook defaults,
// validates and caches them), pods are dry-run CREATEs.
import { KubernetesApiError, requestJson, type Pod, type SidecarSet } from '@sidecarset/api';
import { kruiseConfigurationObjects, registerSidecarsetWebhook, startControlPlane, startSidecarsetWebhook, type ControlPlane, type PatchMetadataWhitelistRule } from '@sidecarset/envtest';
import { KRUISE_NAMESPACE, startOpenKruise } from '../../src/index.js';
import { NAMESPACES, PATCH_ANNOTATION_KEY_EXPR } from './generators.js';

const SIDECARSETS = '/apis/apps.kruise.io/v1alpha1/sidecarsets';
export const INJECTED_LIST = 'kruise.io/sidecarset-injected-list';

export type Outcome<T> = { ok: true; value: T } | { ok: false; message: string };

export interface Side {
  name: 'openkruise' | 'ours';
  plane: ControlPlane;
  logs(): string;
  createSidecarSet(sidecarSet: SidecarSet): Promise<Outcome<SidecarSet>>;
  deleteSidecarSet(name: string): Promise<void>;
  dryRunPod(namespace: string, pod: Pod): Promise<Outcome<Pod>>;
}

export async function outcome<T>(request: Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await request };
  } catch (error) {
    if (error instanceof KubernetesApiError) return { ok: false, message: error.message };
    throw error;
  }
}

async function kubectlOk(plane: ControlPlane, args: string[], input?: string): Promise<string> {
  const { code, stdout, stderr } = await plane.kubectl(args, input);
  if (code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${stderr}`);
  return stdout;
}

async function until(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The suite's namespaces (and the whitelist's, with its ConfigMap), with their default ServiceAccounts. */
async function createNamespaces(plane: ControlPlane, extra: unknown[] = []): Promise<void> {
  const items = [
    ...Object.entries(NAMESPACES)
      .filter(([name]) => name !== 'default')
      .map(([name, labels]) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } })),
    ...extra,
  ];
  await kubectlOk(plane, ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  for (const name of Object.keys(NAMESPACES)) {
    await until(`ServiceAccount ${name}/default`, 60_000, async () => Boolean(await requestJson(plane.kubeConfig, 'GET', `/api/v1/namespaces/${name}/serviceaccounts/default`)));
  }
}

/** The label that makes the whitelist's second rule select a SidecarSet. */
export const WHITELIST_EXTRA_LABEL = { 'diff-whitelist': 'extra' };
/**
 * OpenKruise's cluster configuration (pkg/util/configuration): without a whitelist in the ConfigMap
 * kruise-configuration, each side's validating webhook refuses every SidecarSet whose
 * patchPodMetadata patches annotations. The generated keys are allowed for every SidecarSet; keys
 * containing extra.example/ (unanchored) only for SidecarSets labelled WHITELIST_EXTRA_LABEL.
 */
export const PATCH_METADATA_WHITELIST: PatchMetadataWhitelistRule[] = [
  { allowedAnnotationKeyExprs: [PATCH_ANNOTATION_KEY_EXPR] },
  { selector: { matchLabels: WHITELIST_EXTRA_LABEL }, allowedAnnotationKeyExprs: ['extra\\.example/'] },
];

function sideOn(name: Side['name'], plane: ControlPlane, logs: () => string): Side {
  return {
    name,
    plane,
    logs,
    createSidecarSet: (sidecarSet) => outcome(requestJson<SidecarSet>(plane.kubeConfig, 'POST', SIDECARSETS, {}, sidecarSet)),
    async deleteSidecarSet(sidecarSetName) {
      await requestJson(plane.kubeConfig, 'DELETE', `${SIDECARSETS}/${sidecarSetName}`).catch((error: unknown) => {
        if (!(error instanceof KubernetesApiError && error.code === 404)) throw error;
      });
    },
    dryRunPod: (namespace, pod) => outcome(requestJson<Pod>(plane.kubeConfig, 'POST', `/api/v1/namespaces/${namespace}/pods`, { dryRun: 'All' }, pod)),
  };
}

export async function startOpenKruiseSide(): Promise<Side> {
  const plane = await startControlPlane({ installCrds: false, scheduler: false });
  await createNamespaces(plane, kruiseConfigurationObjects(PATCH_METADATA_WHITELIST, KRUISE_NAMESPACE));
  const kruise = await startOpenKruise(plane);
  return sideOn('openkruise', plane, () => kruise.logs(40));
}

export async function startOurSide(): Promise<Side> {
  const plane = await startControlPlane({ scheduler: false });
  await createNamespaces(plane, kruiseConfigurationObjects(PATCH_METADATA_WHITELIST));
  const webhook = await startSidecarsetWebhook(plane);
  await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
  return sideOn('ours', plane, () => webhook.logs().split('\n').slice(-40).join('\n'));
}

/**
 * A SidecarSet that selects only the probe pod: created after a world's SidecarSets (and after the
 * previous world's were deleted), it is in a webhook's cache only once everything before it is, since
 * an informer sees one watch stream in order.
 */
export function sentinelOf(world: string): SidecarSet {
  return {
    apiVersion: 'apps.kruise.io/v1alpha1',
    kind: 'SidecarSet',
    metadata: { name: `sentinel-${world}` },
    spec: { selector: { matchLabels: { 'diff-sentinel': world } }, containers: [{ name: `sentinel-${world}`, image: 'busybox:1.36' }] },
  } as SidecarSet;
}

/** Waits until the side's pod webhook injects the world's sentinel. */
export async function waitForSentinel(side: Side, world: string): Promise<void> {
  const probe: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `probe-${world}`, labels: { 'diff-sentinel': world } },
    spec: { containers: [{ name: 'probe', image: 'busybox:1.36' }] },
  } as Pod;
  await until(`${side.name}'s webhook to cache sentinel-${world}`, 60_000, async () => {
    const result = await side.dryRunPod('default', probe);
    return result.ok && (result.value.metadata?.annotations?.[INJECTED_LIST] ?? '').split(',').includes(`sentinel-${world}`);
  });
}

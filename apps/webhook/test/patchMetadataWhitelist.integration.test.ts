// The patchPodMetadata whitelist through the real API server and the real webhook, running as its
// ServiceAccount with the RBAC of deploy/manifests/webhook.yaml: a SidecarSet patching pod
// annotations is refused without the kruise-configuration ConfigMap, accepted when a rule selecting
// it by its labels allows each key, refused when no rule selects it or a key is not allowed; edits of
// the ConfigMap take effect without a restart; a SidecarSet stored before the whitelist went away
// still patches pods (as OpenKruise: pods are not checked) but cannot be updated; a ConfigMap name
// the Role does not grant is reported as unreadable; and with OpenKruise's defaults-allowed gate no
// whitelist allows every key.
import type { Pod, SidecarSet } from '@sidecarset/api';
import {
  applyPatchMetadataWhitelist,
  registerSidecarsetWebhook,
  startControlPlane,
  startSidecarsetWebhook,
  type ControlPlane,
  type PatchMetadataWhitelistRule,
  type SidecarsetWebhook,
} from '@sidecarset/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const NAMESPACE = 'sidecarset-system';

let plane: ControlPlane;
let webhook: SidecarsetWebhook;

beforeAll(async () => {
  plane = await startControlPlane({ scheduler: false }); // the controller-manager makes the default ServiceAccount
  webhook = await startSidecarsetWebhook(plane);
  await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
});
afterAll(async () => {
  await webhook?.stop();
  await plane?.stop();
});

const apply = (object: object) => plane.kubectl(['apply', '-f', '-'], JSON.stringify(object));
const setWhitelist = (rules: PatchMetadataWhitelistRule[]) => applyPatchMetadataWhitelist(plane, rules);
const patching = (name: string, labels: Record<string, string>, annotations: Record<string, string>, image = 'proxy:1.0'): SidecarSet => ({
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name, labels },
  spec: {
    selector: { matchLabels: { app: name } },
    containers: [{ name: `${name}-proxy`, image }],
    patchPodMetadata: [{ annotations, patchPolicy: 'Overwrite' }],
  },
});

/**
 * Applies until the outcome is `accepted` (true) or a refusal matching `reason`, within 15 s: the
 * webhook sees a ConfigMap change when its watch delivers it, a moment after kubectl returns.
 */
async function applyUntil(object: SidecarSet, accepted: boolean, reason?: RegExp): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { code, stderr } = await apply(object);
    const outcome = code === 0 ? 'accepted' : stderr;
    if (accepted ? code === 0 : code !== 0 && reason!.test(stderr)) return outcome;
    if (Date.now() > deadline) throw new Error(`expected ${accepted ? 'acceptance' : `a refusal matching ${reason}`}, last outcome: ${outcome}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const meshRule = { selector: { matchLabels: { team: 'mesh' } }, allowedAnnotationKeyExprs: ['^mesh\\.io/.*'] };

describe('the patchPodMetadata whitelist', () => {
  it('without the ConfigMap a SidecarSet patching annotations is refused, one without patchPodMetadata is not', async () => {
    const stderr = await applyUntil(patching('alpha', { team: 'mesh' }, { 'mesh.io/a': 'x' }), false, /whitelist|not known/);
    expect(stderr).toMatch(/spec\.patchPodMetadata: no whitelist allows this SidecarSet to patch pod annotations: ConfigMap sidecarset-system\/kruise-configuration does not exist or has no key SidecarSet_PatchPodMetadata_WhiteList/);
    const plain = patching('plain', {}, {});
    delete plain.spec.patchPodMetadata;
    expect((await apply(plain)).code).toBe(0);
  });

  it('a rule selecting the SidecarSet by its labels and matching every key admits it', async () => {
    await setWhitelist([meshRule]);
    await applyUntil(patching('alpha', { team: 'mesh' }, { 'mesh.io/a': 'x', 'mesh.io/b': 'y' }), true);
    const stored = JSON.parse((await plane.kubectl(['get', 'sidecarset', 'alpha', '-o', 'json'])).stdout) as SidecarSet;
    expect(stored.spec.patchPodMetadata?.[0]?.annotations).toEqual({ 'mesh.io/a': 'x', 'mesh.io/b': 'y' });
  });

  it('a SidecarSet the rule does not select is refused', async () => {
    await setWhitelist([meshRule]);
    const stderr = await applyUntil(patching('beta', { team: 'other' }, { 'mesh.io/a': 'x' }), false, /patchPodMetadata/);
    expect(stderr).toMatch(/no rule of the whitelist \(ConfigMap sidecarset-system\/kruise-configuration.*selects this SidecarSet by its labels/);
  });

  it('a key no expression matches is refused, naming the key; allowing it in the ConfigMap admits it without a restart', async () => {
    await setWhitelist([meshRule]);
    const set = patching('gamma', { team: 'mesh' }, { 'mesh.io/a': 'x', 'other.io/b': 'y' });
    const stderr = await applyUntil(set, false, /patchPodMetadata/);
    expect(stderr).toMatch(/spec\.patchPodMetadata\[0\]\.annotations\[other\.io\/b\]: annotation other\.io\/b is not allowed/);
    expect(stderr).not.toMatch(/mesh\.io\/a is not allowed/);

    const pid = webhook.process.pid;
    await setWhitelist([meshRule, { selector: { matchLabels: { team: 'mesh' } }, allowedAnnotationKeyExprs: ['^other\\.io/b$'] }]);
    await applyUntil(set, true);
    expect(webhook.process.pid).toBe(pid);
    expect(webhook.process.running()).toBe(true);
    // The webhook writes its log in batches, at most a second late (apps/webhook/src/logDestination.ts).
    await expect.poll(() => webhook.logs(), { timeout: 5000 }).toMatch(/"source":"ConfigMap sidecarset-system\/kruise-configuration","state":"rules","rules":2,"msg":"patchPodMetadata whitelist read"/);
  });

  it('a SidecarSet stored before the whitelist went away still patches pods, as in OpenKruise, but cannot be updated', async () => {
    await setWhitelist([meshRule]);
    await applyUntil(patching('delta', { team: 'mesh' }, { 'mesh.io/d': 'patched' }), true);
    const deleted = await plane.kubectl(['delete', 'configmap', 'kruise-configuration', '-n', NAMESPACE]);
    expect(deleted.code, deleted.stderr).toBe(0);
    await applyUntil(patching('delta', { team: 'mesh' }, { 'mesh.io/d': 'patched' }, 'proxy:2.0'), false, /no whitelist allows/);
    await expect.poll(() => webhook.logs(), { timeout: 5000 }).toMatch(/"state":"missing","msg":"patchPodMetadata whitelist read"/);

    const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', labels: { app: 'delta' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } };
    const created = await plane.kubectl(['create', '-f', '-', '--dry-run=server', '-o', 'json'], JSON.stringify(pod));
    expect(created.code, created.stderr).toBe(0);
    const stored = JSON.parse(created.stdout) as Pod;
    expect(stored.metadata?.annotations?.['mesh.io/d']).toBe('patched');
    expect(stored.spec?.containers.map((c) => [c.name, c.image])).toEqual([['delta-proxy', 'proxy:1.0'], ['app', 'nginx']]);
  });

  it('loaded its whitelist with the manifest\'s permissions: no request was refused', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1500)); // every line so far written (batched log)
    expect(webhook.logs()).not.toMatch(/forbidden|\b403\b/i);
  });
});

describe('a whitelist ConfigMap the webhook may not read', () => {
  let renamed: SidecarsetWebhook;
  beforeAll(async () => {
    // The Role grants the ConfigMap by name (kruise-configuration): another name needs the Role changed too.
    renamed = await startSidecarsetWebhook(plane, { extraArgs: ['--kruise-configuration=renamed-configuration'] });
    await registerSidecarsetWebhook(plane, renamed.url, renamed.caBundle);
  });
  afterAll(async () => {
    await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
    await renamed?.stop();
  });

  it('refuses annotation patches, saying the read was forbidden; pods and other SidecarSets are admitted', async () => {
    const stderr = await applyUntil(patching('epsilon', {}, { 'mesh.io/e': 'x' }), false, /reading it failed/);
    expect(stderr).toMatch(/ConfigMap sidecarset-system\/renamed-configuration.* is not known: reading it failed \(.*forbidden.*\); the webhook's ServiceAccount needs get, list and watch on it/i);
    const plain = patching('zeta', {}, {});
    delete plain.spec.patchPodMetadata;
    expect((await apply(plain)).code).toBe(0);
  });
});

describe("OpenKruise's gate SidecarSetPatchPodMetadataDefaultsAllowed (--patch-pod-metadata-defaults-allowed)", () => {
  let gated: SidecarsetWebhook;
  beforeAll(async () => {
    gated = await startSidecarsetWebhook(plane, { extraArgs: ['--patch-pod-metadata-defaults-allowed'] });
    await registerSidecarsetWebhook(plane, gated.url, gated.caBundle);
  });
  afterAll(async () => {
    await registerSidecarsetWebhook(plane, webhook.url, webhook.caBundle);
    await gated?.stop();
  });

  it('without a whitelist every key is allowed; a rule selecting the SidecarSet still decides', async () => {
    const deleted = await plane.kubectl(['delete', 'configmap', 'kruise-configuration', '-n', NAMESPACE, '--ignore-not-found']);
    expect(deleted.code, deleted.stderr).toBe(0);
    await applyUntil(patching('eta', {}, { 'any.io/key': 'x' }), true);
    await setWhitelist([meshRule]);
    const stderr = await applyUntil(patching('theta', { team: 'mesh' }, { 'any.io/key': 'x' }), false, /not allowed/);
    expect(stderr).toMatch(/annotations\[any\.io\/key\]: annotation any\.io\/key is not allowed/);
    await applyUntil(patching('iota', { team: 'other' }, { 'any.io/key': 'x' }), true);
  });
});

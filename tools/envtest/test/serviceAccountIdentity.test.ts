// The webhook and the controller that envtest starts run as their Deployments' ServiceAccounts, with
// exactly the RBAC of deploy/manifests, not as the admin: the identity is the one a real
// ServiceAccount token gets, reads their manifests do not grant are refused with 403, and the
// webhook may patch its own webhook configurations only in --self-signed mode.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKubectl, startControlPlane, type ControlPlane } from '../src/controlPlane.js';
import { deployedIdentity } from '../src/deployedIdentity.js';
import { startSidecarsetController, type SidecarsetController } from '../src/sidecarsetController.js';
import { startSidecarsetWebhook, type SidecarsetWebhook } from '../src/sidecarsetWebhook.js';

let plane: ControlPlane;
let webhook: SidecarsetWebhook;
let controller: SidecarsetController;
beforeAll(async () => {
  plane = await startControlPlane({ controllerManager: false, scheduler: false });
  webhook = await startSidecarsetWebhook(plane);
  controller = await startSidecarsetController(plane, { leaseDurationMs: 3000 });
});
afterAll(() => plane?.stop());

const kubectlAs = (kubeconfig: string, ...args: string[]) => runKubectl(join(plane.binDir, 'kubectl'), ['--kubeconfig', kubeconfig, ...args]);
const canI = async (kubeconfig: string, ...args: string[]) => (await kubectlAs(kubeconfig, 'auth', 'can-i', ...args)).stdout.trim();

interface Review {
  status: { userInfo: { username: string; groups: string[] } };
}
const whoami = async (run: Promise<{ code: number; stdout: string; stderr: string }>) => {
  const { code, stdout, stderr } = await run;
  if (code !== 0) throw new Error(`kubectl auth whoami: ${stderr}`);
  const { username, groups } = (JSON.parse(stdout) as Review).status.userInfo;
  return { username, groups: [...groups].sort() };
};

describe('the apps run as their ServiceAccounts', () => {
  it('the webhook is user system:serviceaccount:sidecarset-system:sidecarset-webhook, as a real token of that ServiceAccount is', async () => {
    const ours = await whoami(kubectlAs(webhook.kubeconfigPath, 'auth', 'whoami', '-o', 'json'));
    expect(ours).toEqual({
      username: 'system:serviceaccount:sidecarset-system:sidecarset-webhook',
      groups: ['system:authenticated', 'system:serviceaccounts', 'system:serviceaccounts:sidecarset-system'],
    });
    const token = await plane.kubectl(['create', 'token', 'sidecarset-webhook', '-n', 'sidecarset-system']);
    expect(token.code, token.stderr).toBe(0);
    const real = await whoami(
      runKubectl(join(plane.binDir, 'kubectl'), ['--kubeconfig=/dev/null', `--server=${plane.server}`, `--certificate-authority=${join(plane.dir, 'ca.crt')}`, `--token=${token.stdout.trim()}`, 'auth', 'whoami', '-o', 'json']),
    );
    expect(ours).toEqual(real);
    expect((await whoami(kubectlAs(controller.kubeconfigPath, 'auth', 'whoami', '-o', 'json'))).username).toBe('system:serviceaccount:sidecarset-system:sidecarset-controller');
  });

  it("the webhook's kubeconfig cannot list Secrets: the API server answers 403", async () => {
    const raw = await kubectlAs(webhook.kubeconfigPath, 'get', '--raw', '/api/v1/secrets');
    expect(raw.code).not.toBe(0);
    expect(raw.stderr).toMatch(/forbidden/i);
    expect(await canI(webhook.kubeconfigPath, 'list', 'secrets', '--all-namespaces')).toBe('no');
  });

  it('the controller reads Secrets (mirror sources, docs/design/cross-namespace-mirrors.md) and may not exec into or create pods', async () => {
    expect(await canI(controller.kubeconfigPath, 'list', 'secrets', '--all-namespaces')).toBe('yes');
    expect(await canI(controller.kubeconfigPath, 'create', 'pods', '-n', 'default')).toBe('no');
    expect(await canI(controller.kubeconfigPath, 'create', 'pods/exec', '-n', 'default')).toBe('no');
  });

  it('the webhook reads SidecarSets and Namespaces, and ControllerRevisions in its revision namespace only', async () => {
    expect(await canI(webhook.kubeconfigPath, 'watch', 'sidecarsets.apps.kruise.io')).toBe('yes');
    expect(await canI(webhook.kubeconfigPath, 'list', 'namespaces')).toBe('yes');
    expect(await canI(webhook.kubeconfigPath, 'list', 'controllerrevisions.apps', '-n', 'sidecarset-system')).toBe('yes');
    expect(await canI(webhook.kubeconfigPath, 'list', 'controllerrevisions.apps', '-n', 'default')).toBe('no');
    expect(await canI(webhook.kubeconfigPath, 'list', 'controllerrevisions.apps', '--all-namespaces')).toBe('no');
    expect(await canI(webhook.kubeconfigPath, 'update', 'sidecarsets.apps.kruise.io')).toBe('no');
    expect(await canI(webhook.kubeconfigPath, 'list', 'pods', '--all-namespaces')).toBe('no');
  });

  it("the webhook reads the one ConfigMap with OpenKruise's patchPodMetadata whitelist, in its own namespace, and no other", async () => {
    for (const verb of ['get', 'list', 'watch']) expect(await canI(webhook.kubeconfigPath, verb, 'configmaps/kruise-configuration', '-n', 'sidecarset-system'), verb).toBe('yes');
    expect(await canI(webhook.kubeconfigPath, 'get', 'configmaps/other', '-n', 'sidecarset-system')).toBe('no');
    expect(await canI(webhook.kubeconfigPath, 'list', 'configmaps', '-n', 'sidecarset-system')).toBe('no'); // only with a field selector on the name
    expect(await canI(webhook.kubeconfigPath, 'get', 'configmaps/kruise-configuration', '-n', 'kruise-system')).toBe('no');
    expect(await canI(webhook.kubeconfigPath, 'update', 'configmaps/kruise-configuration', '-n', 'sidecarset-system')).toBe('no');
  });

  it('the webhook may patch its own webhook configurations only with webhook-self-signed-rbac.yaml (--self-signed)', async () => {
    const configuration = 'mutatingwebhookconfigurations.admissionregistration.k8s.io/sidecarset-mutating';
    expect(await canI(webhook.kubeconfigPath, 'patch', configuration)).toBe('no');
    const selfSigned = await deployedIdentity(plane, 'webhook.yaml', ['webhook-self-signed-rbac.yaml']);
    expect(selfSigned.kubeconfigPath).toBe(webhook.kubeconfigPath); // the same ServiceAccount, one more binding
    expect(await canI(webhook.kubeconfigPath, 'patch', configuration)).toBe('yes');
    expect(await canI(webhook.kubeconfigPath, 'patch', 'mutatingwebhookconfigurations.admissionregistration.k8s.io/someone-elses')).toBe('no');
  });

  it('the controller gets what it uses and no more', async () => {
    const kubeconfig = controller.kubeconfigPath;
    for (const allowed of [
      ['watch', 'pods', '--all-namespaces'],
      ['patch', 'pods', '-n', 'default'],
      ['patch', 'pods', '--subresource=status', '-n', 'default'],
      ['watch', 'namespaces'],
      ['update', 'sidecarsets.apps.kruise.io', '--subresource=status'],
      ['create', 'events', '-n', 'default'],
      ['create', 'controllerrevisions.apps', '-n', 'sidecarset-system'],
      ['patch', 'leases.coordination.k8s.io', '-n', 'sidecarset-system'],
    ]) {
      expect(await canI(kubeconfig, ...allowed), allowed.join(' ')).toBe('yes');
    }
    for (const refused of [
      ['update', 'sidecarsets.apps.kruise.io'],
      ['delete', 'pods', '-n', 'default'],
      ['create', 'pods', '-n', 'default'],
      ['update', 'pods', '-n', 'default'],
      ['create', 'controllerrevisions.apps', '-n', 'default'],
      ['patch', 'leases.coordination.k8s.io', '-n', 'kube-system'],
      ['patch', 'namespaces'],
    ]) {
      expect(await canI(kubeconfig, ...refused), refused.join(' ')).toBe('no');
    }
  });

  it('both loaded their caches with those permissions: no request was refused', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the webhook's log is written in batches, at most a second late
    expect(webhook.logs()).not.toMatch(/forbidden|\b403\b/i);
    expect(controller.logs()).not.toMatch(/forbidden|\b403\b/i);
    expect(controller.logs()).toContain('caches loaded');
  });
});

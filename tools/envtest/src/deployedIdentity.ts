// The identity a Sidecarset process has when deployed from deploy/manifests: the ServiceAccount its
// Deployment runs as, with the permissions its manifest grants. The manifest's Namespace,
// ServiceAccount, ClusterRole, ClusterRoleBinding, Role and RoleBinding documents, and the
// ValidatingAdmissionPolicies that narrow them further (not its Deployment or Service), are applied
// to the control plane, and the process gets a kubeconfig whose user is that
// ServiceAccount, so that a missing or an extra permission shows in tests as it would in a cluster.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runKubectl, type ControlPlane } from './controlPlane.js';
import { serviceAccountKubeconfig } from './serviceAccountKubeconfig.js';

export const MANIFESTS_DIR = join(import.meta.dirname, '../../../deploy/manifests');
const RBAC_KINDS = new Set(['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);
/** Admission policies that narrow what an identity may write beyond what RBAC can say: applied with it. */
const POLICY_KINDS = new Set(['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);
/** How the API server prioritises the identity's requests (e.g. its Lease renewals): applied with it. */
const FLOW_KINDS = new Set(['FlowSchema', 'PriorityLevelConfiguration']);

interface ManifestObject {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  spec?: { template?: { spec?: { serviceAccountName?: string } } };
  rules?: { apiGroups?: string[]; resources?: string[]; resourceNames?: string[]; verbs?: string[] }[];
}

export interface DeployedIdentity {
  namespace: string;
  serviceAccount: string;
  /** A kubeconfig authenticating as that ServiceAccount. */
  kubeconfigPath: string;
}

const documentsOf = (manifest: string): ManifestObject[] =>
  parseAllDocuments(readFileSync(join(MANIFESTS_DIR, manifest), 'utf8'))
    .map((d) => d.toJS() as ManifestObject | null)
    .filter((o): o is ManifestObject => o !== null);

/**
 * Applies the RBAC documents of `manifest` (and of `alsoApply`, e.g. webhook-self-signed-rbac.yaml)
 * and returns the identity of the manifest's Deployment, once the API server authorizes with them.
 */
export async function deployedIdentity(plane: ControlPlane, manifest: string, alsoApply: string[] = []): Promise<DeployedIdentity> {
  const deployment = documentsOf(manifest).find((o) => o.kind === 'Deployment');
  const namespace = deployment?.metadata?.namespace;
  const serviceAccount = deployment?.spec?.template?.spec?.serviceAccountName;
  if (!namespace || !serviceAccount) throw new Error(`deploy/manifests/${manifest}: no Deployment with a namespace and a serviceAccountName`);
  const documents = [manifest, ...alsoApply].flatMap(documentsOf);
  const rbac = documents.filter((o) => RBAC_KINDS.has(o.kind ?? ''));
  const policies = documents.filter((o) => POLICY_KINDS.has(o.kind ?? '') || FLOW_KINDS.has(o.kind ?? ''));
  const file = join(plane.dir, `rbac-${[manifest, ...alsoApply].join('+')}.json`);
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [...rbac, ...policies] }));
  const applied = await plane.kubectl(['apply', '-f', file]);
  if (applied.code !== 0) throw new Error(`applying the RBAC of ${[manifest, ...alsoApply].join(', ')} failed: ${applied.stderr}`);
  const kubeconfigPath = await serviceAccountKubeconfig(plane, namespace, serviceAccount);
  await untilAuthorized(plane, kubeconfigPath, rbac);
  return { namespace, serviceAccount, kubeconfigPath };
}

/** RBAC takes effect when the API server's caches see the bindings: wait for each role's first rule. */
async function untilAuthorized(plane: ControlPlane, kubeconfigPath: string, rbac: ManifestObject[]): Promise<void> {
  const checks = rbac
    .filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role')
    .map((role) => {
      const rule = role.rules?.[0];
      const [resource, subresource] = (rule?.resources?.[0] ?? '').split('/');
      const group = rule?.apiGroups?.[0] ? `.${rule.apiGroups[0]}` : '';
      const name = rule?.resourceNames?.[0] ? `/${rule.resourceNames[0]}` : '';
      return [
        'auth', 'can-i', rule?.verbs?.[0] ?? 'get', `${resource}${group}${name}`,
        ...(subresource ? [`--subresource=${subresource}`] : []),
        ...(role.kind === 'Role' ? ['-n', role.metadata?.namespace ?? 'default'] : []),
      ];
    });
  const deadline = Date.now() + 15_000;
  for (const check of checks) {
    for (;;) {
      const result = await runKubectl(join(plane.binDir, 'kubectl'), ['--kubeconfig', kubeconfigPath, ...check]);
      if (result.stdout.trim() === 'yes') break;
      if (Date.now() > deadline) throw new Error(`kubectl ${check.join(' ')} as the ServiceAccount still says "${result.stdout.trim()}" ${result.stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

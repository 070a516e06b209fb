// A kubeconfig whose user is a ServiceAccount, so that a Sidecarset process started by the tests, the
// sandbox or the benchmarks has the identity, and so exactly the RBAC permissions, it has when
// deployed, not the admin's (system:masters would hide a missing or an extra permission).
//
// A client certificate signed by the control plane's CA, not a TokenRequest token: the API server
// authenticates it as the user `system:serviceaccount:<namespace>:<name>` with the groups a
// ServiceAccount token gets (system:serviceaccounts, system:serviceaccounts:<namespace>,
// system:authenticated), which is all RBAC matches a ServiceAccount subject by (the envtest suite
// checks it against a real token's identity). And unlike a token, it does not expire while a sandbox
// runs for days: the processes read their kubeconfig once, at start.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueCertificate } from '@sidecarset/pki';
import type { ControlPlane } from './controlPlane.js';
import { kubeconfigYaml } from './kubeconfig.js';

export const serviceAccountUser = (namespace: string, name: string): string => `system:serviceaccount:${namespace}:${name}`;

/** Writes (once per control plane) a kubeconfig for ServiceAccount `namespace/name`; returns its path. */
export async function serviceAccountKubeconfig(plane: ControlPlane, namespace: string, name: string): Promise<string> {
  const path = join(plane.dir, `serviceaccount-${namespace}-${name}.kubeconfig`);
  if (existsSync(path)) return path;
  const user = serviceAccountUser(namespace, name);
  const credentials = await issueCertificate(plane.ca, {
    commonName: user,
    organizations: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
    usage: 'client',
  });
  writeFileSync(path, kubeconfigYaml(plane.server, plane.ca.certificate, user, credentials), { mode: 0o600 });
  return path;
}

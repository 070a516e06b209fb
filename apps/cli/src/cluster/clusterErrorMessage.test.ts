import * as api from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { clusterErrorMessage } from './clusterErrorMessage.js';

const SERVER = 'https://10.0.0.1:6443';
const status = (code: number, reason: string, message: string, details?: { name: string }) =>
  api.errorFromStatus({ apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', code, reason, message, ...(details && { details }) });

describe('clusterErrorMessage', () => {
  it.each<[string, unknown, string]>([
    ['a kubeconfig problem, as loadKubeConfig words it', new api.KubeConfigError('ContextNotFound', 'context "x" not found in kubeconfig (available: a)'), 'context "x" not found in kubeconfig (available: a)'],
    [
      'no answer from the server names the server',
      api.toKubernetesApiError(Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:6443'), { code: 'ECONNREFUSED' }) })),
      `cannot reach the API server at ${SERVER}: fetch failed: connect ECONNREFUSED 10.0.0.1:6443`,
    ],
    ['401', status(401, 'Unauthorized', 'Unauthorized'), `Unauthorized: the API server at ${SERVER} did not accept the credentials of the kubeconfig (Unauthorized)`],
    [
      '403 keeps the server message, which says who may not do what',
      status(403, 'Forbidden', 'sidecarsets.apps.kruise.io is forbidden: User "nobody" cannot list resource "sidecarsets"'),
      'Forbidden: sidecarsets.apps.kruise.io is forbidden: User "nobody" cannot list resource "sidecarsets"',
    ],
    ['404 naming no object: the CRD is missing', status(404, 'NotFound', '404 page not found'), `the API server at ${SERVER} does not serve sidecarsets.apps.kruise.io: is the SidecarSet CRD installed? (404 page not found)`],
    ['503', status(503, 'ServiceUnavailable', 'etcd is down'), `the API server at ${SERVER} is unavailable (ServiceUnavailable): etcd is down`],
  ])('%s', (_name, error, expected) => {
    expect(clusterErrorMessage(api, error, SERVER)).toBe(expected);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseKubeConfigSource, type KubeConfigEnvironment, KubeConfigError, loadKubeConfig } from './kubeConfig.js';

const twoContexts = `
apiVersion: v1
kind: Config
current-context: dev
clusters:
  - name: dev-cluster
    cluster: { server: 'https://dev.example.invalid:6443', insecure-skip-tls-verify: true }
  - name: prod-cluster
    cluster: { server: 'https://prod.example.invalid:6443', insecure-skip-tls-verify: true }
users:
  - name: dev-user
    user: { token: dev-token }
  - name: prod-user
    user: { token: prod-token }
contexts:
  - name: dev
    context: { cluster: dev-cluster, user: dev-user }
  - name: prod
    context: { cluster: prod-cluster, user: prod-user }
  - name: broken
    context: { cluster: missing-cluster, user: dev-user }
`;

const secondFile = `
apiVersion: v1
kind: Config
current-context: staging
clusters:
  - name: dev-cluster
    cluster: { server: 'https://shadowed.example.invalid:6443' }
  - name: staging-cluster
    cluster: { server: 'https://staging.example.invalid:6443' }
users:
  - name: staging-user
    user: { token: staging-token }
contexts:
  - name: staging
    context: { cluster: staging-cluster, user: staging-user }
`;

const noFiles: KubeConfigEnvironment = { kubeconfigEnv: undefined, homeDir: undefined, fileExists: () => false, inCluster: false };

let dir: string;
let mainPath: string;
let secondPath: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sidecarset-kubeconfig-'));
  mainPath = join(dir, 'config');
  secondPath = join(dir, 'second');
  writeFileSync(mainPath, twoContexts);
  writeFileSync(secondPath, secondFile);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kubeConfigError(load: () => unknown): KubeConfigError {
  try {
    load();
  } catch (e) {
    if (e instanceof KubeConfigError) return e;
    throw e;
  }
  throw new Error('expected a KubeConfigError');
}

describe('loadKubeConfig', () => {
  it.each([
    { name: 'without --context the current-context is used', context: undefined, server: 'https://dev.example.invalid:6443' },
    { name: '--context selects the other cluster', context: 'prod', server: 'https://prod.example.invalid:6443' },
  ])('$name', ({ context, server }) => {
    const config = loadKubeConfig({ kubeconfig: mainPath, context }, noFiles);
    expect(config.getCurrentCluster()?.server).toBe(server);
  });

  it('an explicit path wins over KUBECONFIG', () => {
    const config = loadKubeConfig({ kubeconfig: mainPath }, { ...noFiles, kubeconfigEnv: secondPath });
    expect(config.getCurrentContext()).toBe('dev');
  });

  it('KUBECONFIG files merge as kubectl does: the first to define a name wins', () => {
    const config = loadKubeConfig({ context: 'staging' }, { ...noFiles, kubeconfigEnv: `${mainPath}:${secondPath}` });
    expect(config.getCurrentCluster()?.server).toBe('https://staging.example.invalid:6443');
    expect(config.getCurrentContext()).toBe('staging');
    expect(config.getCluster('dev-cluster')?.server).toBe('https://dev.example.invalid:6443');
  });

  it('an unknown --context is a ContextNotFound error listing the contexts there are', () => {
    const error = kubeConfigError(() => loadKubeConfig({ kubeconfig: mainPath, context: 'staging' }, noFiles));
    expect(error.reason).toBe('ContextNotFound');
    expect(error.details).toEqual({ context: 'staging', availableContexts: ['dev', 'prod', 'broken'] });
    expect(error.message).toBe('context "staging" not found in kubeconfig (available: dev, prod, broken)');
  });

  it('a context pointing at an undefined cluster is a ClusterNotFound error', () => {
    expect(kubeConfigError(() => loadKubeConfig({ kubeconfig: mainPath, context: 'broken' }, noFiles)).reason).toBe('ClusterNotFound');
  });

  it('a missing file is an Unreadable error naming the path', () => {
    const missing = join(dir, 'nope');
    const error = kubeConfigError(() => loadKubeConfig({ kubeconfig: missing }, noFiles));
    expect(error.reason).toBe('Unreadable');
    expect(error.details.path).toBe(missing);
  });

  it('no configuration anywhere is a NoConfiguration error, not a silent localhost:8080', () => {
    expect(kubeConfigError(() => loadKubeConfig({}, { ...noFiles, homeDir: dir })).reason).toBe('NoConfiguration');
  });
});

describe('chooseKubeConfigSource', () => {
  const home = '/home/dev';
  const homeConfig = join(home, '.kube', 'config');
  const cases: { name: string; explicit?: string; environment: KubeConfigEnvironment; expected: ReturnType<typeof chooseKubeConfigSource> }[] = [
    { name: 'explicit path first', explicit: '/tmp/kc', environment: { ...noFiles, kubeconfigEnv: '/a', homeDir: home, fileExists: () => true }, expected: { kind: 'files', paths: ['/tmp/kc'] } },
    { name: 'then every file in KUBECONFIG, empty entries skipped', environment: { ...noFiles, kubeconfigEnv: '/a::/b', homeDir: home, fileExists: () => true }, expected: { kind: 'files', paths: ['/a', '/b'] } },
    { name: 'then ~/.kube/config when it exists', environment: { ...noFiles, homeDir: home, fileExists: (path) => path === homeConfig, inCluster: true }, expected: { kind: 'files', paths: [homeConfig] } },
    { name: 'then the in-cluster service account', environment: { ...noFiles, homeDir: home, inCluster: true }, expected: { kind: 'in-cluster' } },
    { name: 'else nothing, saying where it looked', environment: { ...noFiles, homeDir: home }, expected: { kind: 'none', searched: [homeConfig, 'in-cluster service account (/var/run/secrets/kubernetes.io/serviceaccount/token)'] } },
  ];

  it.each(cases)('$name', ({ explicit, environment, expected }) => {
    expect(chooseKubeConfigSource(explicit, environment)).toEqual(expected);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { authorizeRequest } from './connectionPool.js';

const dir = mkdtempSync(join(tmpdir(), 'pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kubeConfigWith(user: Record<string, string>, caFile: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://127.0.0.1:6443', caFile }],
    users: [{ name: 'u', ...user }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  return config;
}

const url = new URL('https://127.0.0.1:6443/api/v1/pods');

describe('authorizeRequest', () => {
  it('reads the credentials on every request but shares one connection pool per KubeConfig', async () => {
    const caFile = join(dir, 'ca-1.crt');
    writeFileSync(caFile, 'ca one');
    const config = kubeConfigWith({ token: 'secret' }, caFile);
    const first = await authorizeRequest(config, url, 'GET');
    const second = await authorizeRequest(config, url, 'PATCH');
    expect(first.headers['Authorization']).toBe('Bearer secret');
    expect(first.dispatcher).toBeDefined();
    expect(second.dispatcher).toBe(first.dispatcher);
    const otherConfig = await authorizeRequest(kubeConfigWith({ token: 'secret' }, caFile), url, 'GET');
    expect(otherConfig.dispatcher).toBeDefined();
    expect(otherConfig.dispatcher).not.toBe(first.dispatcher);
  });

  it('opens a new pool when the TLS material on disk changes', async () => {
    const caFile = join(dir, 'ca-2.crt');
    writeFileSync(caFile, 'ca before rotation');
    const config = kubeConfigWith({ token: 't' }, caFile);
    const before = await authorizeRequest(config, url, 'GET');
    expect((await authorizeRequest(config, url, 'GET')).dispatcher).toBe(before.dispatcher);
    writeFileSync(caFile, 'ca after rotation');
    const after = await authorizeRequest(config, url, 'GET');
    expect(after.dispatcher).toBeDefined();
    expect(after.dispatcher).not.toBe(before.dispatcher);
  });

  it('sends basic credentials as an Authorization header', async () => {
    const caFile = join(dir, 'ca-3.crt');
    writeFileSync(caFile, 'ca');
    const { headers } = await authorizeRequest(kubeConfigWith({ username: 'ada', password: 'pw' }, caFile), url, 'GET');
    expect(headers['Authorization']).toBe(`Basic ${Buffer.from('ada:pw').toString('base64')}`);
  });
});

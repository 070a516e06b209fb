import { createServer } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SidecarSet, SidecarSetResourceBinding } from '../generated/index.js';
import { InvalidError, UnavailableError } from './errors.js';
import { CustomResourceClient } from './customResourceClient.js';
import { SidecarSetClient } from './sidecarSetClient.js';
import { SidecarSetResourceBindingClient } from './sidecarSetResourceBindingClient.js';

/** A loopback port that was free a moment ago: every request is refused at once, for real. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

let port = 0;
beforeAll(async () => {
  port = await closedPort();
});

function unreachableCluster(): KubeConfig {
  const config = new KubeConfig();
  config.loadFromClusterAndUser({ name: 'nowhere', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }, { name: 'nobody', token: 'x' });
  return config;
}

const sidecarSet: SidecarSet = {
  metadata: { name: 'log-agent' },
  spec: { selector: { matchLabels: { app: 'web' } }, containers: [{ name: 'log-agent', image: 'fluent-bit:3', resources: {} }] },
};

const bindingWithoutName: SidecarSetResourceBinding = {
  spec: { subjects: [{ kind: 'SidecarSet', name: 'log-agent' }], resourceRefs: [{ kind: 'ConfigMap', name: 'log-config' }] },
};

async function thrownBy(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to throw');
}

describe('clients against an API server that is not there', () => {
  const sidecarSets = () => new SidecarSetClient(unreachableCluster());
  const bindings = () => new SidecarSetResourceBindingClient(unreachableCluster());

  it.each([
    { name: 'SidecarSet get', call: () => sidecarSets().get('log-agent') },
    { name: 'SidecarSet list', call: () => sidecarSets().list({ limit: 10 }) },
    { name: 'SidecarSet create', call: () => sidecarSets().create(sidecarSet, { dryRun: true }) },
    { name: 'SidecarSet apply patch', call: () => sidecarSets().patch('log-agent', { spec: { updateStrategy: { paused: true } } }, { type: 'apply', fieldManager: 'test' }) },
    { name: 'SidecarSet status update', call: () => sidecarSets().updateStatus(sidecarSet) },
    { name: 'SidecarSet delete', call: () => sidecarSets().delete('log-agent', { propagationPolicy: 'Foreground' }) },
    { name: 'binding listAll across namespaces', call: () => bindings().listAll('') },
    { name: 'binding get', call: () => bindings().get('team-a', 'allow-logs') },
  ])('$name fails with UnavailableError (connection refused)', async ({ call }) => {
    const error = await thrownBy(call);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as UnavailableError).message).toContain('ECONNREFUSED');
  });

  it('a watch keeps retrying a refused connection and ends cleanly on abort', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const events: unknown[] = [];
    for await (const event of sidecarSets().watch({ resourceVersion: '1', signal: controller.signal })) events.push(event);
    expect(events).toEqual([]);
  });
});

describe('namespace checks happen before any request', () => {
  const sidecarSets = new CustomResourceClient<SidecarSet, { items: SidecarSet[] }>(unreachableCluster(), {
    group: 'apps.kruise.io',
    version: 'v1alpha1',
    kind: 'SidecarSet',
    plural: 'sidecarsets',
    namespaced: false,
  });
  const bindings = new SidecarSetResourceBindingClient(unreachableCluster());

  it.each([
    { name: 'a namespace for a cluster-scoped resource', call: () => sidecarSets.get('default', 'log-agent'), field: 'metadata.namespace', reason: 'FieldValueForbidden' },
    { name: 'no namespace for one namespaced object', call: () => bindings.get('', 'allow-logs'), field: 'metadata.namespace', reason: 'FieldValueRequired' },
    { name: 'an empty name', call: () => bindings.delete('team-a', ''), field: 'metadata.name', reason: 'FieldValueRequired' },
    { name: 'replacing an object without a name', call: () => bindings.replace('team-a', bindingWithoutName), field: 'metadata.name', reason: 'FieldValueRequired' },
  ])('$name is an InvalidError', async ({ call, field, reason }) => {
    const error = await thrownBy(call);
    expect(error).toBeInstanceOf(InvalidError);
    expect((error as InvalidError).causes).toEqual([expect.objectContaining({ field, reason })]);
  });
});

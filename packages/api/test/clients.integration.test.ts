// The typed clients against a real kube-apiserver with the generated CRDs installed: seed examples
// round-trip, the watch sees every change, and the server itself rejects malformed SidecarSets
// with the field path.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startControlPlane, type ControlPlane } from '@sidecarset/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  namespaceInformer,
  sidecarSetInformer,
  InvalidError,
  NotFoundError,
  SidecarSetClient,
  SidecarSetResourceBindingClient,
  type SidecarSet,
  type SidecarSetResourceBinding,
  type WatchEvent,
} from '../src/index.js';
import { parseManifests } from '../src/manifests/parseManifests.js';

const seed = <T>(name: string): T => parseManifests(readFileSync(join(import.meta.dirname, 'fixtures/seeds', name), 'utf8'))[0]!.value as T;

let plane: ControlPlane;
let sidecarSets: SidecarSetClient;
let bindings: SidecarSetResourceBindingClient;

beforeAll(async () => {
  plane = await startControlPlane({ scheduler: false });
  sidecarSets = new SidecarSetClient(plane.kubeConfig);
  bindings = new SidecarSetResourceBindingClient(plane.kubeConfig);
  console.info(`control plane started in ${plane.startupMs} ms`);
});
afterAll(() => plane?.stop());

describe('CRDs on a real API server', () => {
  it('are both established and served', async () => {
    const { code, stdout } = await plane.kubectl(['get', 'crds', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Established")].status}{"\\n"}{end}']);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').sort()).toEqual([
      'sidecarsetresourcebindings.sidecarset.alibabacloud.com=True',
      'sidecarsets.apps.kruise.io=True',
    ]);
  });

  it('print MATCHED, UPDATED, READY and AGE for SidecarSets', async () => {
    await sidecarSets.create(seed<SidecarSet>('000-filebeat-sidecarset.yaml'));
    const { stdout } = await plane.kubectl(['get', 'sidecarsets']);
    expect(stdout.split('\n')[0]).toMatch(/^NAME\s+MATCHED\s+UPDATED\s+READY\s+AGE/);
    await sidecarSets.delete('filebeat-sidecarset');
  });
});

describe('SidecarSetClient', () => {
  it('creates seed 002 and reads it back unchanged but for its legacy spec.strategy', async () => {
    const created = await sidecarSets.create(seed<SidecarSet>('002-test-sidecarset.yaml'));
    expect(created.metadata?.uid).toBeTruthy();
    const read = await sidecarSets.get('test-sidecarset');
    // Stored as v1beta1, which has no spec.strategy (as OpenKruise 1.9): the API server prunes it. With
    // the webhook in front, its defaulting first reads it as spec.updateStrategy.maxUnavailable.
    const { strategy, ...expected } = seed<SidecarSet>('002-test-sidecarset.yaml').spec;
    expect(strategy).toEqual({ rollingUpdate: { maxUnavailable: 2 } });
    expect(read.spec).toEqual(expected);
    expect(read.spec.containers?.[0]).toMatchObject({ name: 'sidecar1', image: 'centos:6.7', command: ['sleep', '999d'] });
    await sidecarSets.delete('test-sidecarset');
    await expect(sidecarSets.get('test-sidecarset')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('updates status through the status subresource only', async () => {
    await sidecarSets.create(seed<SidecarSet>('004-logtail-sidecarset-2.yaml'));
    const current = await sidecarSets.get('logtail-sidecarset');
    const withStatus = await sidecarSets.updateStatus({ ...current, status: { matchedPods: 3, updatedPods: 1, readyPods: 2, observedGeneration: 1 } });
    expect(withStatus.status).toMatchObject({ matchedPods: 3, updatedPods: 1, readyPods: 2 });
    // A status sent to the main resource is ignored by the server.
    const replaced = await sidecarSets.replace({ ...withStatus, status: { matchedPods: 99, updatedPods: 0, readyPods: 0 } });
    expect(replaced.status?.matchedPods).toBe(3);
    await sidecarSets.delete('logtail-sidecarset');
  });

  it('watches create, update and delete', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const watching = (async () => {
      for await (const event of sidecarSets.watch({ signal: controller.signal }) as AsyncIterable<WatchEvent<SidecarSet>>) {
        if (event.type === 'RELISTED' || event.type === 'BOOKMARK') continue;
        if (event.object.metadata?.name !== 'watched') continue;
        seen.push(`${event.type}:${event.object.spec.containers?.[0]?.image}`);
        if (event.type === 'DELETED') controller.abort();
      }
    })();
    await new Promise((r) => setTimeout(r, 500)); // let the watch's initial list complete
    const body = seed<SidecarSet>('004-logtail-sidecarset-2.yaml');
    await sidecarSets.create({ ...body, metadata: { name: 'watched' } });
    await sidecarSets.patch('watched', [{ op: 'replace', path: '/spec/containers/0/image', value: 'log-service/logtail:0.16.20' }], { type: 'json' });
    await sidecarSets.delete('watched');
    await watching;
    expect(seen).toEqual([
      'ADDED:log-service/logtail:0.16.18',
      'MODIFIED:log-service/logtail:0.16.20',
      'DELETED:log-service/logtail:0.16.20',
    ]);
  });

  it('server-side applies with a field manager', async () => {
    const body = seed<SidecarSet>('000-filebeat-sidecarset-2.yaml');
    const applied = await sidecarSets.patch('filebeat-sidecarset', body, { type: 'apply', fieldManager: 'sidecarset-test' });
    expect(applied.metadata?.managedFields?.map((f) => f.manager)).toContain('sidecarset-test');
    await sidecarSets.delete('filebeat-sidecarset');
  });
});

describe('the API server rejects malformed SidecarSets (seed 004) with the field path', () => {
  it('a list under updateStrategy.selector.matchLabels', async () => {
    const body = seed<SidecarSet>('004-sidecarset-3.yaml');
    const error = await sidecarSets.create(body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidError);
    expect((error as InvalidError).causes.map((c) => c.field)).toContain('spec.updateStrategy.selector.matchLabels');
  });

  it('shareVolumePolicy written as a scalar (indentation of transferEnv fixed)', async () => {
    const text = readFileSync(join(import.meta.dirname, 'fixtures/seeds/004-test-sidecarset.yaml'), 'utf8').replace(/\n\s+# TZ[^\n]*\n\s+envName: TZ/, '\n      envName: TZ');
    const [document] = parseManifests(text);
    expect(document!.errors).toEqual([]);
    const error = await sidecarSets.create(document!.value as SidecarSet).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidError);
    expect((error as InvalidError).causes.map((c) => c.field)).toContain('spec.containers[0].shareVolumePolicy');
  });

  it('kubectl apply names the field too', async () => {
    const { code, stderr } = await plane.kubectl(['apply', '-f', join(import.meta.dirname, 'fixtures/seeds/003-scs-demo.yaml')]);
    expect(code).not.toBe(0);
    expect(stderr).toContain('unknown field "spec.selector.app"');
  });
});

describe('SidecarSetResourceBindingClient', () => {
  it('creates seed 000 in kube-system and reads it back', async () => {
    const binding = seed<SidecarSetResourceBinding>('000-filebeat-sidecarset-resourcebinding.yaml');
    await bindings.create('kube-system', binding);
    const read = await bindings.get('kube-system', 'filebeat-sidecarset-resourcebinding');
    expect(read.spec).toEqual({
      subjects: [{ kind: 'SidecarSet', name: 'filebeat-sidecarset' }],
      resourceRefs: [{ kind: 'ConfigMap', name: 'filebeat-config' }],
    });
    const page = await bindings.list('kube-system');
    expect(page.items.map((b) => b.metadata?.name)).toEqual(['filebeat-sidecarset-resourcebinding']);
    await bindings.delete('kube-system', 'filebeat-sidecarset-resourcebinding');
  });

  it('rejects a resourceRef kind other than ConfigMap or Secret', async () => {
    const binding = seed<SidecarSetResourceBinding>('000-filebeat-sidecarset-resourcebinding.yaml');
    const bad = { ...binding, spec: { ...binding.spec, resourceRefs: [{ kind: 'Pod', name: 'x' }] } } as unknown as SidecarSetResourceBinding;
    const error = await bindings.create('kube-system', bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidError);
    expect((error as InvalidError).causes.map((c) => c.field)).toContain('spec.resourceRefs[0].kind');
  });
});

describe('informers on the real API server', () => {
  it('cache namespaces in wire form and see a new one', async () => {
    const informer = namespaceInformer(plane.kubeConfig).start();
    await informer.waitForSync();
    expect(informer.get('kube-system')?.metadata?.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
    await plane.kubectl(['create', 'namespace', 'informed']);
    await expect.poll(() => informer.get('informed')?.metadata?.labels?.['kubernetes.io/metadata.name'], { timeout: 10_000 }).toBe('informed');
    await informer.stop();
  });

  it('cache SidecarSets and drop deleted ones', async () => {
    const informer = sidecarSetInformer(plane.kubeConfig).start();
    await informer.waitForSync();
    await sidecarSets.create(seed<SidecarSet>('000-filebeat-sidecarset-3.yaml'));
    await expect.poll(() => informer.get('filebeat-sidecarset')?.spec.containers?.[0]?.name, { timeout: 10_000 }).toBe('filebeat');
    await sidecarSets.delete('filebeat-sidecarset');
    await expect.poll(() => informer.get('filebeat-sidecarset'), { timeout: 10_000 }).toBeUndefined();
    await informer.stop();
  });
});

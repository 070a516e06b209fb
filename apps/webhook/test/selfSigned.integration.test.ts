// --self-signed: the webhook makes its own CA and serving certificate, writes the CA into the
// caBundle of its two webhook configurations, and the API server then calls it successfully.
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { freePort, registerSidecarsetWebhook, startControlPlane, startSidecarsetWebhook, type ControlPlane } from '@sidecarset/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SEEDS = join(import.meta.dirname, '../../../packages/api/test/fixtures/seeds');
let plane: ControlPlane;
beforeAll(async () => {
  plane = await startControlPlane({ scheduler: false });
});
afterAll(() => plane?.stop());

describe('self-signed mode', () => {
  it('patches the caBundle of both configurations, and admission works through it', async () => {
    const port = await freePort();
    await registerSidecarsetWebhook(plane, `https://127.0.0.1:${port}`, ''); // no CA yet: the webhook brings it
    await startSidecarsetWebhook(plane, { port, selfSigned: true });

    for (const kind of ['mutatingwebhookconfiguration/sidecarset-mutating', 'validatingwebhookconfiguration/sidecarset-validating']) {
      const { stdout } = await plane.kubectl(['get', kind, '-o', 'jsonpath={range .webhooks[*]}{.clientConfig.caBundle}{"\\n"}{end}']);
      const bundles = stdout.trim().split('\n');
      expect(bundles).toHaveLength(2);
      for (const bundle of bundles) expect(new X509Certificate(Buffer.from(bundle, 'base64')).ca).toBe(true);
    }

    expect((await plane.kubectl(['apply', '-f', join(SEEDS, '002-test-sidecarset.yaml')])).code).toBe(0);
    const run = await plane.kubectl(['run', 'test-pod', '--image=nginx:1.15.1', '--labels=app=nginx', '-n', 'default']);
    expect(run.stderr).toBe('');
    const names = await plane.kubectl(['get', 'pod', 'test-pod', '-n', 'default', '-o', 'jsonpath={.spec.containers[*].name}']);
    expect(names.stdout).toBe('sidecar1 test-pod');
  });
});

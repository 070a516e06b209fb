// What `npm start` shows once the sandbox is up: seed 002 end to end. Its SidecarSet is applied,
// its pod created and injected, the SidecarSet's status written, then the sidecar image changed from
// centos:6.7 to centos:6.8 and upgraded in place (same pod, app container untouched).
import { join } from 'node:path';
import type { ControlPlane } from './controlPlane.js';
import { untilWebhookInjects } from './webhookInjects.js';

const SEED_002 = join(import.meta.dirname, '../../../packages/api/test/fixtures/seeds/002-test-sidecarset.yaml');

// Seed 002's pod, as the document shows it.
const TEST_POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'test-pod', namespace: 'default', labels: { app: 'nginx' } },
  spec: { containers: [{ name: 'app', image: 'nginx:1.15.1' }] },
};

export type Kubectl = ControlPlane['kubectl'];

export async function kubectlOk(kubectl: Kubectl, args: string[], input?: string): Promise<string> {
  const { code, stdout, stderr } = await kubectl(args, input);
  if (code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${stderr.trim()}`);
  return stdout.trim();
}

export async function until(kubectl: Kubectl, args: string[], check: (out: string) => boolean, what: string, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { stdout } = await kubectl(args);
    if (check(stdout.trim())) return stdout.trim();
    if (Date.now() > deadline) throw new Error(`sandbox demo: timed out waiting for ${what} (last: ${stdout.trim()})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function runSeed002Demo(kubectl: Kubectl, say: (line: string) => void): Promise<void> {
  say('demo (seed 002): kubectl apply -f sidecarset.yaml');
  await kubectlOk(kubectl, ['apply', '-f', SEED_002]);
  await untilWebhookInjects(kubectl, { namespace: 'default', labels: TEST_POD.metadata.labels, container: 'sidecar1' });
  say('demo: creating test-pod (app=nginx, one container "app")');
  await kubectlOk(kubectl, ['apply', '-f', '-'], JSON.stringify(TEST_POD));
  const podJsonPath = (path: string) => ['get', 'pod', 'test-pod', '-n', 'default', '-o', `jsonpath=${path}`];
  await until(kubectl, podJsonPath('{.status.containerStatuses[*].ready}'), (out) => out === 'true true', 'test-pod 2/2 ready');
  say(`demo: test-pod is Running with containers [${(await kubectlOk(kubectl, podJsonPath('{.spec.containers[*].name}'))).split(' ').join(', ')}] (2/2 ready): sidecar1 was injected`);
  const status = await until(
    kubectl,
    ['get', 'sidecarset', 'test-sidecarset', '-o', 'jsonpath={.status.matchedPods} {.status.updatedPods} {.status.readyPods} {.status.observedGeneration}'],
    (out) => out.startsWith('1 1 1'),
    'SidecarSet status',
  );
  const [matched, updated, ready, generation] = status.split(' ');
  say(`demo: SidecarSet status: matchedPods ${matched}, updatedPods ${updated}, readyPods ${ready}, observedGeneration ${generation}`);
  say('demo: changing the sidecar image centos:6.7 -> centos:6.8 (kubectl edit sidecarset test-sidecarset)');
  await kubectlOk(kubectl, ['patch', 'sidecarset', 'test-sidecarset', '--type=json', '-p', '[{"op":"replace","path":"/spec/containers/0/image","value":"centos:6.8"}]']);
  const upgraded = await until(
    kubectl,
    podJsonPath('{range .status.containerStatuses[*]}{.name}={.image}/{.restartCount}/{.ready} {end}'),
    (out) => out.includes('sidecar1=centos:6.8/1/true') && out.includes('app=nginx:1.15.1/0/true'),
    'the in-place upgrade of sidecar1',
  );
  say(`demo: upgraded in place, same pod: ${upgraded} (name=image/restarts/ready)`);
  // The controller writes status a moment after the pod events that move it.
  const after = await until(
    kubectl,
    ['get', 'sidecarset', 'test-sidecarset', '-o', 'jsonpath={.status.updatedPods} {.status.updatedReadyPods} {.status.observedGeneration}'],
    (out) => out.startsWith('1 1 ') && !out.endsWith(` ${generation}`),
    'SidecarSet status after the upgrade',
  );
  const [updatedAfter, updatedReady, generationAfter] = after.split(' ');
  say(`demo: SidecarSet status: updatedPods ${updatedAfter}, updatedReadyPods ${updatedReady}, observedGeneration ${generationAfter}`);
}

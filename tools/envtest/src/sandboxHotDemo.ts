// What `npm start` shows after the native sidecar: a hot upgrade, the two containers swapping. A
// HotUpgrade sidecar runs as envoy-1 (working) and envoy-2 (idle, on the empty image); when its image
// changes, envoy-2 gets the new image and becomes the working one, then envoy-1 goes to the empty
// image: one of them runs a real image and is ready all along. Every state the pod goes through is
// printed.
import { kubectlOk, until, type Kubectl } from './sandboxDemo.js';
import { untilWebhookInjects } from './webhookInjects.js';

const NAME = 'demo-hot-upgrade';
const ENVOY_V1 = 'envoyproxy/envoy:v1.30.0';
const ENVOY_V2 = 'envoyproxy/envoy:v1.31.0';
const EMPTY = 'openkruise/hotupgrade-sample:empty';

const SIDECARSET = {
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name: NAME },
  spec: {
    selector: { matchLabels: { app: 'hot-demo' } },
    containers: [{ name: 'envoy', image: ENVOY_V1, upgradeStrategy: { upgradeType: 'HotUpgrade', hotUpgradeEmptyImage: EMPTY } }],
  },
};

const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'hot-demo', namespace: 'default', labels: { app: 'hot-demo' } },
  spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] },
};

// name=spec image/status image/ready per twin, and the working twin the annotation names.
const STATE =
  '{range .spec.containers[*]}{.name}={.image} {end}|{range .status.containerStatuses[*]}{.name}={.image}/{.ready} {end}|{.metadata.annotations.kruise\\.io/sidecarset-working-hotupgrade-container}';

function describeState(raw: string): string {
  const [specs = '', statuses = '', working = ''] = raw.split('|');
  const specOf = new Map(specs.trim().split(' ').filter(Boolean).map((s) => s.split('=') as [string, string]));
  const statusOf = new Map(statuses.trim().split(' ').filter(Boolean).map((s) => s.split('=') as [string, string]));
  const twin = (name: string) => `${name}: spec ${specOf.get(name)}, running ${statusOf.get(name) ?? '-'}`;
  return `${twin('envoy-1')}; ${twin('envoy-2')}; working ${working}`;
}

export async function runHotUpgradeDemo(kubectl: Kubectl, say: (line: string) => void): Promise<void> {
  say(`demo (hot upgrade): SidecarSet ${NAME} with container envoy ${ENVOY_V1}, upgradeType HotUpgrade, hotUpgradeEmptyImage ${EMPTY}`);
  await kubectlOk(kubectl, ['apply', '-f', '-'], JSON.stringify(SIDECARSET));
  await untilWebhookInjects(kubectl, { namespace: 'default', labels: POD.metadata.labels, container: 'envoy-1' });
  await kubectlOk(kubectl, ['apply', '-f', '-'], JSON.stringify(POD));
  const jsonPath = ['get', 'pod', 'hot-demo', '-n', 'default', '-o', `jsonpath=${STATE}`];
  const before = await until(kubectl, jsonPath, (out) => out.includes(`envoy-1=${ENVOY_V1}/true`) && out.includes(`envoy-2=${EMPTY}/true`), 'hot-demo ready with its twins');
  say(`demo: hot-demo runs the twins ${describeState(before)} (running = image/ready)`);
  say(`demo: changing envoy's image to ${ENVOY_V2}`);
  await kubectlOk(kubectl, ['patch', 'sidecarset', NAME, '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/containers/0/image', value: ENVOY_V2 }])]);
  let last = before;
  const done = (out: string) => out.includes(`envoy-2=${ENVOY_V2}/true`) && out.includes(`envoy-1=${EMPTY}/true`) && out.endsWith('{"envoy":"envoy-2"}');
  await until(kubectl, jsonPath, (out) => {
    if (out !== last) say(`demo:   ${describeState((last = out))}`);
    return done(out);
  }, 'the twins to swap', 120_000);
  say('demo: hot upgrade done: envoy-2 works on the new image, envoy-1 idles on the empty image, same pod');
  const status = await until(kubectl, ['get', 'sidecarset', NAME, '-o', 'jsonpath={.status.matchedPods} {.status.updatedPods} {.status.updatedReadyPods}'], (out) => out === '1 1 1', 'SidecarSet status after the hot upgrade');
  const [matched, updated, updatedReady] = status.split(' ');
  say(`demo: SidecarSet ${NAME} status: matchedPods ${matched}, updatedPods ${updated}, updatedReadyPods ${updatedReady}`);
}

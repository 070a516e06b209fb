// What `npm start` shows after seed 002: a native sidecar (an initContainers entry with restartPolicy
// Always) upgraded in place, which OpenKruise leaves alone. The SidecarSet injects it, its image is
// changed, and the pod's initContainerStatuses show the new image with one restart while the app
// container keeps its container and its zero restarts.
import { kubectlOk, until, type Kubectl } from './sandboxDemo.js';
import { untilWebhookInjects } from './webhookInjects.js';

const NAME = 'demo-native-sidecar';
const PROXY_V1 = 'envoyproxy/envoy:v1.30.0';
const PROXY_V2 = 'envoyproxy/envoy:v1.31.0';

const SIDECARSET = {
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name: NAME },
  spec: {
    selector: { matchLabels: { app: 'native-demo' } },
    initContainers: [{ name: 'proxy', image: PROXY_V1, restartPolicy: 'Always' }],
  },
};

const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'native-demo', namespace: 'default', labels: { app: 'native-demo' } },
  spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] },
};

export async function runNativeSidecarDemo(kubectl: Kubectl, say: (line: string) => void): Promise<void> {
  say(`demo (native sidecar): SidecarSet ${NAME} with initContainers [proxy ${PROXY_V1}, restartPolicy Always]`);
  await kubectlOk(kubectl, ['apply', '-f', '-'], JSON.stringify(SIDECARSET));
  await untilWebhookInjects(kubectl, { namespace: 'default', labels: POD.metadata.labels, container: 'proxy' });
  await kubectlOk(kubectl, ['apply', '-f', '-'], JSON.stringify(POD));
  const jsonPath = (path: string) => ['get', 'pod', 'native-demo', '-n', 'default', '-o', `jsonpath=${path}`];
  const statuses = '{range .status.initContainerStatuses[*]}{.name}={.image}/{.restartCount}/{.ready} {end}{range .status.containerStatuses[*]}{.name}={.image}/{.restartCount}/{.ready} {end}';
  const before = await until(kubectl, jsonPath(statuses), (out) => out.includes(`proxy=${PROXY_V1}/0/true`) && out.includes('app=nginx:1.25/0/true'), 'native-demo ready with its native sidecar');
  say(`demo: native-demo runs ${before}(name=image/restarts/ready; proxy is an init container)`);
  say(`demo: changing the native sidecar's image to ${PROXY_V2}`);
  await kubectlOk(kubectl, ['patch', 'sidecarset', NAME, '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/initContainers/0/image', value: PROXY_V2 }])]);
  const after = await until(kubectl, jsonPath(statuses), (out) => out.includes(`proxy=${PROXY_V2}/1/true`) && out.includes('app=nginx:1.25/0/true'), 'the in-place upgrade of the native sidecar');
  say(`demo: native sidecar upgraded in place, same pod, app not restarted: ${after.trim()}`);
  const status = await until(
    kubectl,
    ['get', 'sidecarset', NAME, '-o', 'jsonpath={.status.matchedPods} {.status.updatedPods} {.status.updatedReadyPods}'],
    (out) => out === '1 1 1',
    'SidecarSet status after the native upgrade',
  );
  const [matched, updated, updatedReady] = status.split(' ');
  say(`demo: SidecarSet ${NAME} status: matchedPods ${matched}, updatedPods ${updated}, updatedReadyPods ${updatedReady}`);
}

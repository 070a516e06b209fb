// What `npm start` shows last: a sidecar's resources changed in place through the pods/resize
// subresource (beyond OpenKruise, which calls such a pod not upgradable). The SidecarSet injects a
// log agent with small requests; its resources are raised; the same pod then runs the agent with the
// new requests and limits, as the kubelet (kwok here) reports them, with no container restarted.
import { kubectlOk, until, type Kubectl } from './sandboxDemo.js';
import { untilWebhookInjects } from './webhookInjects.js';

const NAME = 'demo-resize';
const SMALL = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } };
const BIG = { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } };

const SIDECARSET = {
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'SidecarSet',
  metadata: { name: NAME },
  spec: {
    selector: { matchLabels: { app: 'resize-demo' } },
    containers: [{ name: 'logger', image: 'fluent/fluent-bit:3.0', resources: SMALL }],
  },
};

const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'resize-demo', namespace: 'default', labels: { app: 'resize-demo' } },
  spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] },
};

export async function runResizeDemo(kubectl: Kubectl, say: (line: string) => void): Promise<void> {
  say(`demo (resize in place): SidecarSet ${NAME} with logger requests cpu ${SMALL.requests.cpu} memory ${SMALL.requests.memory}`);
  await kubectlOk(kubectl, ['apply', '-f', '-'], JSON.stringify(SIDECARSET));
  await untilWebhookInjects(kubectl, { namespace: 'default', labels: POD.metadata.labels, container: 'logger' });
  await kubectlOk(kubectl, ['apply', '-f', '-'], JSON.stringify(POD));
  const running = '{range .status.containerStatuses[*]}{.name}: requests cpu {.resources.requests.cpu} memory {.resources.requests.memory}, restarts {.restartCount}, ready {.ready}; {end}';
  const jsonPath = ['get', 'pod', 'resize-demo', '-n', 'default', '-o', `jsonpath=${running}`];
  const before = await until(kubectl, jsonPath, (out) => out.includes(`logger: requests cpu ${SMALL.requests.cpu} memory ${SMALL.requests.memory}, restarts 0, ready true`), 'resize-demo ready with its logger');
  say(`demo: resize-demo runs ${before}`);
  say(`demo: raising the logger's resources to requests cpu ${BIG.requests.cpu} memory ${BIG.requests.memory} (kubectl patch sidecarset ${NAME})`);
  await kubectlOk(kubectl, ['patch', 'sidecarset', NAME, '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/containers/0/resources', value: BIG }])]);
  const after = await until(kubectl, jsonPath, (out) => out.includes(`logger: requests cpu ${BIG.requests.cpu} memory ${BIG.requests.memory}, restarts 0, ready true`), 'the in-place resize of the logger');
  say(`demo: resized in place through pods/resize, same pod, nothing restarted: ${after.trim()}`);
  const status = await until(
    kubectl,
    ['get', 'sidecarset', NAME, '-o', 'jsonpath={.status.matchedPods} {.status.updatedPods} {.status.updatedReadyPods}'],
    (out) => out === '1 1 1',
    'SidecarSet status after the resize',
  );
  const [matched, updated, updatedReady] = status.split(' ');
  say(`demo: SidecarSet ${NAME} status: matchedPods ${matched}, updatedPods ${updated}, updatedReadyPods ${updatedReady}`);
}

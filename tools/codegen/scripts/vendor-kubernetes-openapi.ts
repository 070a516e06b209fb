// Refreshes data/kubernetes-openapi.json: the subset of the Kubernetes OpenAPI v3 documents that
// our generated code needs (the closure of ROOTS), taken from k8s.io/kubernetes in the Go module
// cache at the version pinned in tools/envtest/versions.env. Run it only when bumping Kubernetes;
// the output is committed so codegen itself never needs Go or the network.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOTS = [
  'io.k8s.api.core.v1.Pod',
  'io.k8s.api.core.v1.Namespace',
  'io.k8s.api.core.v1.Event',
  'io.k8s.api.core.v1.ConfigMap',
  'io.k8s.api.core.v1.Secret',
  'io.k8s.api.core.v1.Node',
  'io.k8s.api.apps.v1.ControllerRevision',
  'io.k8s.api.apps.v1.Deployment',
  'io.k8s.api.apps.v1.StatefulSet',
  'io.k8s.api.apps.v1.DaemonSet',
  'io.k8s.api.apps.v1.ReplicaSet',
  'io.k8s.api.batch.v1.Job',
  'io.k8s.api.batch.v1.CronJob',
  'io.k8s.api.coordination.v1.Lease',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Status',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Condition',
  'io.k8s.api.authentication.v1.UserInfo',
];
const DOCUMENTS = [
  'api__v1_openapi.json',
  'apis__apps__v1_openapi.json',
  'apis__batch__v1_openapi.json',
  'apis__coordination.k8s.io__v1_openapi.json',
  'apis__authentication.k8s.io__v1_openapi.json',
];

const here = new URL('.', import.meta.url).pathname;
const versions = readFileSync(join(here, '../../envtest/versions.env'), 'utf8');
const version = /^KUBERNETES_VERSION=(\S+)/m.exec(versions)?.[1];
if (!version) throw new Error('tools/envtest/versions.env: KUBERNETES_VERSION is missing');

const download = JSON.parse(
  execFileSync('go', ['mod', 'download', '-json', `k8s.io/kubernetes@${version}`], { encoding: 'utf8' }),
) as { Dir: string };
type Schema = Record<string, unknown>;
const all: Record<string, Schema> = {};
for (const file of DOCUMENTS) {
  const doc = JSON.parse(readFileSync(join(download.Dir, 'api/openapi-spec/v3', file), 'utf8')) as {
    components: { schemas: Record<string, Schema> };
  };
  Object.assign(all, doc.components.schemas);
}

const picked: Record<string, Schema> = {};
const visit = (name: string): void => {
  if (picked[name]) return;
  const schema = all[name];
  if (!schema) throw new Error(`schema ${name} not found in ${DOCUMENTS.join(', ')}`);
  picked[name] = schema;
  for (const match of JSON.stringify(schema).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) visit(match[1]!);
};
ROOTS.forEach(visit);

const sorted = Object.fromEntries(Object.keys(picked).sort().map((k) => [k, picked[k]]));
const out = {
  openapi: '3.0.0',
  info: { title: 'Kubernetes', version, 'x-source': `k8s.io/kubernetes@${version} api/openapi-spec/v3` },
  paths: {},
  components: { schemas: sorted },
};
writeFileSync(join(here, '../data/kubernetes-openapi.json'), JSON.stringify(out, null, 1) + '\n');
console.log(`wrote ${Object.keys(sorted).length} schemas from Kubernetes ${version}`);

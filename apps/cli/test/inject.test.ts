// `kubectl-sidecarset inject`, run as users run it: the built binary in a child process, its stdout
// parsed back, its stderr and exit code checked. Fixtures are in test/fixtures, the working directory.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SidecarSet } from '@sidecarset/api';
import { defaultSidecarSet, sidecarSetHashAnnotations } from '@sidecarset/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

const CLI = join(import.meta.dirname, '../dist/main.js');
const FIXTURES = join(import.meta.dirname, 'fixtures');
const NOW = '2025-01-02T03:04:05.000Z';
const NOW_AS_WRITTEN = '2025-01-02T03:04:05Z'; // metav1.Time: seconds

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const runs = new Map<string, Promise<Run>>();

/** Runs `kubectl-sidecarset inject ARGS --now NOW`; the same arguments and stdin run once. */
function inject(args: string[], stdin = ''): Promise<Run> {
  const key = JSON.stringify([args, stdin]);
  let run = runs.get(key);
  if (!run) {
    run = new Promise<Run>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, 'inject', ...args, '--now', NOW], { cwd: FIXTURES });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject).on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(stdin);
    });
    runs.set(key, run);
  }
  return run;
}

type Manifest = {
  kind: string;
  metadata: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: Record<string, unknown> & { containers?: { name: string; image?: string }[]; volumes?: { name: string }[] };
  items?: Manifest[];
};

/** The YAML documents of a successful run. */
async function documents(running: Promise<Run>): Promise<Manifest[]> {
  const run = await running;
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return parseAllDocuments(run.stdout).map((document) => document.toJS() as Manifest);
}

const fixture = (name: string): Manifest[] =>
  parseAllDocuments(readFileSync(join(FIXTURES, name), 'utf8')).map((document) => document.toJS() as Manifest);
const containerNames = (spec: { containers?: { name: string }[] }): string[] => (spec.containers ?? []).map((c) => c.name);
const templateOf = (workload: Manifest): Manifest => {
  const spec = workload.kind === 'CronJob' ? (workload.spec.jobTemplate as Manifest).spec : workload.spec;
  return spec.template as Manifest;
};

describe('inject: a Pod and a Deployment with seed 002 test-sidecarset', () => {
  const input = fixture('pod-and-deployment.yaml');
  let [pod, deployment, redis, service]: (Manifest | undefined)[] = [];
  beforeAll(async () => {
    [pod, deployment, redis, service] = await documents(inject(['-f', 'pod-and-deployment.yaml', '--sidecarsets', 'test-sidecarset.yaml']));
  });

  it('the nginx-labelled Pod gets sidecar1 ahead of its app container, with the volume it mounts', () => {
    expect(containerNames(pod!.spec)).toEqual(['sidecar1', 'nginx']);
    expect(pod!.spec.volumes?.map((v) => v.name)).toEqual(['log-volume']);
    expect(pod!.metadata.annotations?.['kruise.io/sidecarset-injected-list']).toBe('test-sidecarset');
  });

  it("the Deployment's pod template gets sidecar1 and the Deployment's own metadata is untouched", () => {
    expect(deployment!.metadata).toEqual(input[1]!.metadata);
    expect(deployment!.spec.replicas).toBe(2);
    const template = templateOf(deployment!);
    expect(containerNames(template.spec)).toEqual(['sidecar1', 'nginx']);
    expect(template.metadata.annotations?.['kruise.io/sidecarset-injected-list']).toBe('test-sidecarset');
    expect(template.metadata.labels).toEqual({ app: 'nginx' });
    expect(template.metadata).not.toHaveProperty('namespace');
  });

  it('a Pod the SidecarSet does not select and a Service pass through unchanged', () => {
    expect(redis).toEqual(input[2]);
    expect(service).toEqual(input[3]);
  });

  it('the pod records the hash of the SidecarSet as the webhook stores it (defaulted) and the --now time', () => {
    const seed = fixture('test-sidecarset.yaml')[0] as unknown as SidecarSet;
    const stored = sidecarSetHashAnnotations(defaultSidecarSet(seed));
    const recorded = JSON.parse(pod!.metadata.annotations!['kruise.io/sidecarset-hash']!) as Record<string, { hash: string; updateTimestamp: string }>;
    expect(recorded['test-sidecarset']).toMatchObject({ hash: stored['kruise.io/sidecarset-hash'], updateTimestamp: NOW_AS_WRITTEN });
  });
});

describe.concurrent('inject: inputs, kinds and outputs', () => {
  it('reads stdin with -f - and prints the same as from the file', async () => {
    const fromFile = await inject(['-f', 'pod-and-deployment.yaml', '--sidecarsets', 'test-sidecarset.yaml']);
    const fromStdin = await inject(['-f', '-', '--sidecarsets', 'test-sidecarset.yaml'], readFileSync(join(FIXTURES, 'pod-and-deployment.yaml'), 'utf8'));
    expect(fromStdin).toEqual(fromFile);
  });

  it.each([
    ['StatefulSet', 0],
    ['DaemonSet', 1],
    ['ReplicaSet', 2],
    ['Job', 3],
    ['CronJob (spec.jobTemplate.spec.template)', 4],
  ])('a %s has its pod template injected', async (_kind, index) => {
    const output = await documents(inject(['-f', 'workloads.yaml', '--sidecarsets', 'test-sidecarset.yaml']));
    expect(containerNames(templateOf(output[index]!).spec)).toEqual(['sidecar1', 'main']);
  });

  it('a Pod inside a kind: List is injected and stays in its List', async () => {
    const list = (await documents(inject(['-f', 'workloads.yaml', '--sidecarsets', 'test-sidecarset.yaml'])))[5]!;
    expect(list.kind).toBe('List');
    expect(containerNames(list.items![0]!.spec)).toEqual(['sidecar1', 'main']);
  });

  it('-o json prints one object alone', async () => {
    const run = await inject(['-f', '-', '--sidecarsets', 'test-sidecarset.yaml', '-o', 'json'], JSON.stringify(fixture('pod-and-deployment.yaml')[0]));
    expect(run.code).toBe(0);
    const pod = JSON.parse(run.stdout) as Manifest;
    expect(pod.kind).toBe('Pod');
    expect(containerNames(pod.spec)).toEqual(['sidecar1', 'nginx']);
  });

  it('-o json prints several documents as a v1 List, in input order', async () => {
    const run = await inject(['-f', 'pod-and-deployment.yaml', '--sidecarsets', 'test-sidecarset.yaml', '-o', 'json']);
    expect(run.code).toBe(0);
    const list = JSON.parse(run.stdout) as { apiVersion: string; kind: string; items: Manifest[] };
    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'List' });
    expect(list.items.map((item) => `${item.kind}/${item.metadata.name}`)).toEqual(['Pod/nginx', 'Deployment/web', 'Pod/redis', 'Service/web']);
  });

  it('YAML output keeps the keys in their input order', async () => {
    const run = await inject(['-f', 'pod-and-deployment.yaml', '--sidecarsets', 'test-sidecarset.yaml']);
    const deployment = parse(run.stdout.split(/^---$/m)[1]!) as Record<string, unknown>;
    expect(Object.keys(deployment)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(Object.keys(deployment.spec as object)).toEqual(['replicas', 'selector', 'template']);
  });

  it('a directory of SidecarSets is read recursively (*.yaml, *.yml, *.json), other files ignored', async () => {
    const [pod] = await documents(inject(['-f', 'pod-and-deployment.yaml', '--sidecarsets', 'sidecarsets-dir']));
    expect(pod!.metadata.annotations?.['kruise.io/sidecarset-injected-list']).toBe('filebeat,metrics');
    expect(containerNames(pod!.spec).sort()).toEqual(['exporter', 'filebeat', 'nginx']);
  });

  it('--sidecarsets can be repeated', async () => {
    const [pod] = await documents(inject(['-f', 'pod-and-deployment.yaml', '--sidecarsets', 'sidecarsets-dir', '--sidecarsets', 'test-sidecarset.yaml']));
    expect(pod!.metadata.annotations?.['kruise.io/sidecarset-injected-list']).toBe('filebeat,metrics,test-sidecarset');
  });

  it('a SidecarSet pinned to a ControllerRevision found in --sidecarsets injects that revision', async () => {
    const [pod] = await documents(inject(['-f', 'pod-and-deployment.yaml', '--sidecarsets', 'pinned-revision']));
    expect(pod!.spec.containers?.find((c) => c.name === 'sidecar1')?.image).toBe('busybox:1.36');
  });
});

describe('inject: injectionStrategy.revision.policy Partial with a percentage partition', () => {
  // 40 pods, each drawing for partial-revision/sidecarset.yaml (partition 50%).
  const pods = Array.from({ length: 40 }, (_, i) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, labels: {app: nginx}}\nspec: {containers: [{name: nginx, image: nginx}]}\n`).join('---\n');
  const imagesOf = async (args: string[]): Promise<string[]> =>
    (await documents(inject(['-f', '-', '--sidecarsets', 'partial-revision', ...args], pods))).map((pod) => pod.spec.containers!.find((c) => c.name === 'sidecar1')!.image!);

  it('each pod draws: some get the pinned revision, the others the latest spec', async () => {
    const images = await imagesOf(['--seed', '7']);
    expect(new Set(images)).toEqual(new Set(['busybox:1.36', 'busybox:1.37']));
  });

  it('the same --seed gives the same output; another seed other draws', async () => {
    // '--seed=7' is another run of the same seed (runs are shared by their arguments).
    const [a, b, c] = await Promise.all([imagesOf(['--seed', '7']), imagesOf(['--seed=7']), imagesOf(['--seed', '8'])]);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('a --seed that is not an integer in [0, 2^32) is an error on stderr, exit 1', async () => {
    const run = await inject(['-f', 'pod-and-deployment.yaml', '--sidecarsets', 'partial-revision', '--seed', '-1x']);
    expect(run).toEqual({ code: 1, stdout: '', stderr: 'error: --seed: "-1x" is not an integer in [0, 4294967295]\n' });
  });
});

describe.concurrent('inject: namespaces', () => {
  // namespace-sidecarsets.yaml: shop-proxy for namespace "shop"; payments-audit for namespaces labelled team=payments.
  const sidecarsOf = async (args: string[]): Promise<Record<string, string[]>> =>
    Object.fromEntries(
      (await documents(inject(['-f', 'namespaced-pods.yaml', '--sidecarsets', 'namespace-sidecarsets.yaml', ...args]))).map((pod) => [
        pod.metadata.name,
        containerNames(pod.spec).filter((name) => name !== 'nginx'),
      ]),
    );

  it.each<[string, string[], Record<string, string[]>]>([
    ['without -n, a Pod without a namespace is in "default"', [], { 'in-shop': ['shop-proxy'], unplaced: [] }],
    ['-n places a Pod without a namespace', ['-n', 'shop'], { 'in-shop': ['shop-proxy'], unplaced: ['shop-proxy'] }],
    ["a Pod's own metadata.namespace wins over -n", ['-n', 'other'], { 'in-shop': ['shop-proxy'], unplaced: [] }],
    [
      '--namespace-labels labels the -n namespace for namespaceSelector',
      ['-n', 'shop', '--namespace-labels', 'team=payments,env=prod'],
      { 'in-shop': ['payments-audit', 'shop-proxy'], unplaced: ['payments-audit', 'shop-proxy'] },
    ],
    [
      '--namespace-labels labels only the -n namespace',
      ['-n', 'other', '--namespace-labels', 'team=payments'],
      { 'in-shop': ['shop-proxy'], unplaced: ['payments-audit'] },
    ],
  ])('%s', async (_name, args, expected) => {
    expect(await sidecarsOf(args)).toEqual(expected);
  });

  it('a Namespace document in --sidecarsets gives its labels; --namespace-labels wins for the -n namespace', async () => {
    const both = ['--sidecarsets', 'sidecarsets-dir'];
    const withNamespaceDocument = await sidecarsOf(both);
    expect(withNamespaceDocument['in-shop']).toContain('payments-audit');
    expect(withNamespaceDocument.unplaced).not.toContain('payments-audit');
    expect((await sidecarsOf([...both, '-n', 'shop', '--namespace-labels', 'team=search']))['in-shop']).not.toContain('payments-audit');
  });
});

describe.concurrent('inject: bad input exits 1, prints nothing on stdout and every error on stderr', () => {
  it.each<[string, string[], string[]]>([
    [
      "seed 004's malformed logtail SidecarSet (second document of its file)",
      ['-f', 'pod-and-deployment.yaml', '--sidecarsets', 'invalid/logtail.yaml'],
      [
        'error: invalid/logtail.yaml: document 2 (SidecarSet logtail-sidecarset): spec.containers[0].volumeMounts[0].name: Nested mappings are not allowed in compact mappings (line 56, column 13)',
        'error: invalid/logtail.yaml: document 2 (SidecarSet logtail-sidecarset): spec.containers[0].transferEnv[0].sourceContainerName: Nested mappings are not allowed in compact mappings',
        'error: invalid/logtail.yaml: document 2 (SidecarSet logtail-sidecarset): spec.volumes[0].name: Nested mappings are not allowed in compact mappings',
      ],
    ],
    [
      'a SidecarSet against the CRD schema',
      ['-f', 'pod-and-deployment.yaml', '--sidecarsets', 'invalid/wrong-types.yaml'],
      [
        'error: invalid/wrong-types.yaml: document 1 (SidecarSet wrong-types): spec.selector.matchLabels: must be an object',
        'error: invalid/wrong-types.yaml: document 1 (SidecarSet wrong-types): spec.containers[0].podInjectPolicy: supported values: ',
        'error: invalid/wrong-types.yaml: document 1 (SidecarSet wrong-types): spec.containers[0].colour: unknown field',
      ],
    ],
    [
      'a SidecarSet container without an image (semantic validation)',
      ['-f', 'pod-and-deployment.yaml', '--sidecarsets', 'invalid/missing-image.yaml'],
      ['error: invalid/missing-image.yaml: document 1 (SidecarSet no-image): spec.containers[0].image: '],
    ],
    [
      'two SidecarSets of the same name',
      ['-f', 'pod-and-deployment.yaml', '--sidecarsets', 'test-sidecarset.yaml', '--sidecarsets', 'test-sidecarset.yaml'],
      ['error: test-sidecarset.yaml: document 1 (SidecarSet test-sidecarset): metadata.name: Duplicate value: "test-sidecarset" (also in test-sidecarset.yaml: document 1'],
    ],
    [
      'an unparsable input file',
      ['-f', 'invalid/unparsable-pods.yaml', '--sidecarsets', 'test-sidecarset.yaml'],
      ['error: invalid/unparsable-pods.yaml: document 2 (Pod broken): spec.containers[0].name: '],
    ],
    [
      'unparsable stdin',
      ['-f', '-', '--sidecarsets', 'test-sidecarset.yaml'],
      ['error: <stdin>: document 1: '],
    ],
    [
      'a pinned revision that is not there',
      ['-f', 'pod-and-deployment.yaml', '--sidecarsets', 'invalid/pinned-missing-revision.yaml'],
      [
        'error: pod-and-deployment.yaml: document 1 (Pod nginx): spec.injectionStrategy.revision.revisionName: SidecarSet "pinned" pins injection to ControllerRevision "pinned-7c9d8f6b5", which does not exist',
        'error: pod-and-deployment.yaml: document 2 (Deployment web): spec.injectionStrategy.revision.revisionName: SidecarSet "pinned" pins injection to ControllerRevision "pinned-7c9d8f6b5", which does not exist',
      ],
    ],
    [
      'errors of several files at once',
      ['-f', 'invalid/unparsable-pods.yaml', '--sidecarsets', 'invalid/missing-image.yaml', '--sidecarsets', 'invalid/wrong-types.yaml'],
      ['error: invalid/missing-image.yaml: document 1', 'error: invalid/wrong-types.yaml: document 1', 'error: invalid/unparsable-pods.yaml: document 2'],
    ],
    ['a missing input file', ['-f', 'nope.yaml', '--sidecarsets', 'test-sidecarset.yaml'], ['error: nope.yaml: no such file or directory']],
    ['a missing --sidecarsets path', ['-f', 'pod-and-deployment.yaml', '--sidecarsets', 'nope'], ['error: nope: no such file or directory']],
    [
      'malformed --namespace-labels',
      ['-f', 'pod-and-deployment.yaml', '--sidecarsets', 'test-sidecarset.yaml', '--namespace-labels', 'team'],
      ['error: --namespace-labels: "team" is not key=value'],
    ],
  ])('%s', async (name, args, expectedPrefixes) => {
    const run = await inject(args, name === 'unparsable stdin' ? 'kind: Pod\n  name: x\n bad: [' : '');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    for (const prefix of expectedPrefixes) expect(lines.some((line) => line.startsWith(prefix)), `${prefix}\nnot in\n${run.stderr}`).toBe(true);
    expect(lines.every((line) => line.startsWith('error: ')), run.stderr).toBe(true);
  });

  it('a missing required flag is a usage error', async () => {
    const run = await inject(['-f', 'pod-and-deployment.yaml']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("required option '--sidecarsets <path>' not specified");
  });
});

describe('inject --help', () => {
  it('documents every flag, with examples', async () => {
    const run = spawnSync(process.execPath, [CLI, 'inject', '--help'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    for (const flag of ['-f, --filename', '--sidecarsets', '-n, --namespace', '--namespace-labels', '-o, --output']) expect(run.stdout).toContain(flag);
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).toContain('kubectl-sidecarset inject -f deployment.yaml --sidecarsets ./sidecarsets');
    expect(run.stdout).not.toContain('--now');
  });
});

// The user's seeds as differential cases: every SidecarSet of seeds 000, 002 and 004
// (packages/api/test/fixtures/seeds) in a world of its own (several share a name), against the pod
// fixtures of apps/webhook/test/fixtures/*pod*.yaml in two namespaces, and copies of them labelled
// for the seeds' selectors (seed 004's `app: web-server` in ns-1, seed 000's virtual-node label).
//
// Seed 000's cross-namespace ConfigMap volume (`configMap.name: kube-system/filebeat-config`) and its
// stdlog CSI volume are issue 10 (SidecarSetResourceBinding, the stdlog rewrite): neither is
// something OpenKruise injects into a pod the API server accepts, so those two volumes and their
// mounts are left out of seed 000's SidecarSets here; the rest of each (args, subPath, env) is kept.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Pod, SidecarSet } from '@sidecarset/api';
import { parseAllDocuments } from 'yaml';
import type { PodCase } from './generators.js';

const ROOT = join(import.meta.dirname, '../../../..');
const SEEDS = join(ROOT, 'packages/api/test/fixtures/seeds');
const POD_FIXTURES = join(ROOT, 'apps/webhook/test/fixtures');
/** Issue 10's volumes in seed 000. */
const ISSUE_10_VOLUMES = new Set(['config', 'stdlog']);

export interface SeedWorld {
  label: string;
  sidecarSets: SidecarSet[];
  pods: PodCase[];
}

const documentsOf = (file: string): unknown[] => parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as unknown).filter(Boolean);

function withoutIssue10Volumes(sidecarSet: SidecarSet): SidecarSet {
  const copy = structuredClone(sidecarSet);
  copy.spec.volumes = copy.spec.volumes?.filter((v) => !ISSUE_10_VOLUMES.has(v.name));
  for (const c of [...(copy.spec.containers ?? []), ...(copy.spec.initContainers ?? [])]) c.volumeMounts = c.volumeMounts?.filter((m) => !ISSUE_10_VOLUMES.has(m.name));
  return copy;
}

function seedPods(): PodCase[] {
  const fixtures = readdirSync(POD_FIXTURES)
    .filter((f) => /pod.*\.ya?ml$/.test(f))
    .sort()
    .flatMap((f) => documentsOf(join(POD_FIXTURES, f)).map((d) => ({ file: basename(f, '.yaml'), pod: d as Pod })))
    .filter(({ pod }) => pod.kind === 'Pod');
  const cases: PodCase[] = [];
  for (const { file, pod } of fixtures) {
    const variants: [string, Record<string, string>][] = [
      ['', {}],
      ['-web-server', { app: 'web-server' }],
      ['-virtual-node', { 'serverless.alibabacloud.com/virtual-node': 'true' }],
    ];
    for (const [suffix, labels] of variants) {
      for (const namespace of ['default', 'ns-1']) {
        const copy = structuredClone(pod);
        copy.metadata = { ...copy.metadata, name: `${file}${suffix}`, namespace, labels: { ...copy.metadata?.labels, ...labels } };
        delete copy.metadata.generateName;
        cases.push({ namespace, pod: copy });
      }
    }
  }
  // Seed 004's own pod ("web-server容器中存在环境变量 TZ=Asia/Shanghai"), for its test-sidecarset in ns-1.
  for (const namespace of ['default', 'ns-1']) {
    cases.push({
      namespace,
      pod: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web-server', namespace, labels: { app: 'web-server' } },
        spec: { containers: [{ name: 'web-server', image: 'nginx:1.25', env: [{ name: 'TZ', value: 'Asia/Shanghai' }], volumeMounts: [{ name: 'data', mountPath: '/data' }] }], volumes: [{ name: 'data', emptyDir: {} }] },
      } as Pod,
    });
  }
  return cases;
}

/**
 * Seed 004's two full examples as their authors meant them: as written, their YAML nests keys one
 * level too deep (`transferEnv: [{sourceContainerName: {envName: TZ}}]`, a string
 * `shareVolumePolicy`), and both webhooks refuse them (the suite counts that). These copies fix only
 * that nesting.
 */
function repairedSeed004(file: string, sidecarSet: SidecarSet): SidecarSet | undefined {
  const spec = structuredClone(sidecarSet.spec);
  const container = spec.containers?.[0];
  if (!container) return undefined;
  if (file === '004-logtail-sidecarset.yaml') {
    container.volumeMounts = [{ name: 'nginx-log', mountPath: '/var/log/nginx' }];
    container.transferEnv = [{ sourceContainerName: 'nginx', envName: 'TZ' }];
    spec.volumes = [{ name: 'nginx-log', emptyDir: {} }];
  } else if (file === '004-test-sidecarset.yaml') {
    container.shareVolumePolicy = { type: 'disabled' };
    container.transferEnv = [{ sourceContainerName: 'web-server', envName: 'TZ' }];
  } else return undefined;
  return { ...sidecarSet, spec };
}

/** One world per SidecarSet of seeds 000, 002 and 004 (and seed 004's two repaired examples). */
export function seedWorlds(): SeedWorld[] {
  const pods = seedPods();
  return readdirSync(SEEDS)
    .filter((f) => /^00[024]-.*\.ya?ml$/.test(f))
    .sort()
    .flatMap((f) =>
      documentsOf(join(SEEDS, f))
        .filter((d): d is SidecarSet => (d as SidecarSet).kind === 'SidecarSet')
        .flatMap((s) => {
          const repaired = repairedSeed004(f, s);
          return [
            { label: `seed ${f}`, sidecarSets: [f.startsWith('000-') ? withoutIssue10Volumes(s) : s], pods },
            ...(repaired ? [{ label: `seed ${f}, repaired`, sidecarSets: [repaired], pods }] : []),
          ];
        }),
    );
}

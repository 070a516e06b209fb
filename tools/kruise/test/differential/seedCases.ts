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
  return cases;
}

/** One world per SidecarSet of seeds 000, 002 and 004. */
export function seedWorlds(): SeedWorld[] {
  const pods = seedPods();
  return readdirSync(SEEDS)
    .filter((f) => /^00[024]-.*\.ya?ml$/.test(f))
    .sort()
    .flatMap((f) =>
      documentsOf(join(SEEDS, f))
        .filter((d): d is SidecarSet => (d as SidecarSet).kind === 'SidecarSet')
        .map((s) => ({ label: `seed ${f}`, sidecarSets: [f.startsWith('000-') ? withoutIssue10Volumes(s) : s], pods })),
    );
}

// `kubectl-sidecarset plan --sidecarset FILE --pods FILE`, offline, run as users run it: the built
// binary. The pods are made in the test as the cluster would hold them: fixtures/plan/pods.yaml
// injected with fixtures/plan/old.yaml (log-agent:1.0) by `kubectl-sidecarset inject`, then running and
// ready. fixtures/plan/new.yaml changes only the image (log-agent:1.1), with maxUnavailable 2.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { injectOffline, runningAndReadyStatus, FIRST_ROUND_PLAN, BUDGET_REASON } from './injectedPods.js';
import { FIXTURES, runCli } from './runCli.js';

const PLAN_FIXTURES = join(FIXTURES, 'plan');

let dir: string;
let injected: string; // the pods file

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kubectl-sidecarset-plan-'));
  const pods = (await injectOffline('pods.yaml', 'old.yaml', PLAN_FIXTURES)).map((pod) => ({ ...pod, status: runningAndReadyStatus(pod) }));
  injected = join(dir, 'injected.yaml');
  writeFileSync(injected, pods.map((pod) => stringify(pod)).join('---\n'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const plan = (args: string[], stdin?: string) => runCli(['plan', ...args], { cwd: PLAN_FIXTURES, stdin });

describe('plan offline: 5 pods on log-agent 1.0, the SidecarSet now at 1.1 with maxUnavailable 2', () => {
  it('-o json: all 5 matched, the next round updates 2, the other 3 wait for the maxUnavailable budget', async () => {
    const run = await plan(['--sidecarset', 'new.yaml', '--pods', injected, '-o', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(FIRST_ROUND_PLAN);
    expect(Object.keys(JSON.parse(run.stdout) as object)).toEqual(['matched', 'updated', 'updatedReady', 'unavailable', 'budget', 'next', 'waiting', 'upgrades']);
  });

  it('-o table (the default): a summary line, then POD / ACTION / UPGRADE / REASON', async () => {
    const run = await plan(['--sidecarset', 'new.yaml', '--pods', injected]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('SidecarSet log-agent: 5 matched, 0 updated (0 ready), 0 unavailable, budget 2; next round: 2 to update, 3 waiting');
    expect(lines[2]).toMatch(/^POD\s+ACTION\s+UPGRADE\s+REASON$/);
    expect(lines.slice(3, 5).map((line) => line.split(/\s+/))).toEqual([
      ['shop/web-1', 'update', 'image', 'swap'],
      ['shop/web-2', 'update', 'image', 'swap'],
    ]);
    expect(lines[5]).toMatch(new RegExp(`^shop/web-3\\s+wait\\s+image swap\\s+${BUDGET_REASON.replace(/[()]/g, '\\$&')}$`));
  });

  it('with the SidecarSet the pods were injected with, every pod is updated already: nothing to do', async () => {
    const run = await plan(['--sidecarset', 'old.yaml', '--pods', injected, '-o', 'json']);
    expect(JSON.parse(run.stdout)).toMatchObject({ matched: 5, updated: 5, updatedReady: 5, next: [], waiting: [] });
  });

  it('--pods - reads the pods from stdin', async () => {
    const fromFile = await plan(['--sidecarset', 'new.yaml', '--pods', injected, '-o', 'json']);
    const fromStdin = await plan(['--sidecarset', 'new.yaml', '--pods', '-', '-o', 'json'], readFileSync(injected, 'utf8'));
    expect(fromStdin).toEqual(fromFile);
  });
});

describe.concurrent('plan offline: bad input exits 1, nothing on stdout, stderr starting with', () => {
  it.each<[string, string[], string, string?]>([
    ['a --pods file that does not exist', ['--sidecarset', 'new.yaml', '--pods', 'missing-pods.yaml'], 'error: missing-pods.yaml: no such file or directory\n'],
    [
      'two SidecarSets in the --sidecarset file',
      ['--sidecarset', 'two-sidecarsets.yaml', '--pods', 'pods.yaml'],
      'error: two-sidecarsets.yaml: 2 SidecarSets found (log-agent, metrics-agent): --sidecarset must hold exactly one\n',
    ],
    [
      'a --sidecarset file without a SidecarSet',
      ['--sidecarset', 'pods.yaml', '--pods', 'pods.yaml'],
      'error: pods.yaml: no SidecarSet found: --sidecarset must hold exactly one\n',
    ],
    [
      'a document in --pods that is not a Pod, named by its position and kind',
      ['--sidecarset', 'new.yaml', '--pods', '-'],
      'error: <stdin>: document 2 (Service web): kind: must be Pod (or a List of Pods), not "Service"\n',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n',
    ],
    [
      'unparsable YAML in --pods, at its field',
      ['--sidecarset', 'new.yaml', '--pods', '-'],
      'error: <stdin>: document 1 (Pod a): metadata.name: Flow map in block collection must be sufficiently indented and end with a }',
      'kind: Pod\nmetadata: {name: a\n',
    ],
    [
      'neither NAME nor files',
      [],
      "error: give a SidecarSet NAME (from the cluster), or --sidecarset FILE and --pods FILE (offline)\n(run 'kubectl-sidecarset plan --help' for usage)\n",
    ],
    ['--sidecarset without --pods', ['--sidecarset', 'new.yaml'], 'error: --sidecarset needs --pods FILE: the pods to plan for\n'],
  ])('%s', async (_name, args, stderr, stdin) => {
    const run = await plan(args, stdin);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.slice(0, stderr.length)).toBe(stderr);
  });
});

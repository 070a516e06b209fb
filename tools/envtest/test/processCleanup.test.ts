// stop() — and a failing test, SIGINT or SIGTERM — leaves no process of the control plane behind.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBinaries } from '../src/binaries.js';

const FIXTURE = join(import.meta.dirname, 'fixtures/startAndHold.mjs');

// A killed child whose parent died first stays a zombie until PID 1 reaps it, which a container's
// PID 1 may never do: a zombie runs nothing and holds no port, so it counts as gone.
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
};

async function run(mode: 'stop' | 'hold' | 'crash', signal?: NodeJS.Signals) {
  const child = spawn(process.execPath, [FIXTURE, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    void exited.then(() => reject(new Error(`fixture exited early: ${stderr}`)));
  });
  const { pids, dir } = JSON.parse(firstLine) as { pids: number[]; dir: string };
  expect(pids.length).toBe(4); // etcd, kube-apiserver, kube-controller-manager, kube-scheduler
  expect(pids.every(alive)).toBe(true);
  if (signal) child.kill(signal);
  const code = await exited;
  return { pids, dir, code, stderr };
}

describe('control plane processes', () => {
  beforeAll(async () => {
    await ensureBinaries();
  }, 3_600_000);

  it('are all gone after stop(), with the temporary directory', async () => {
    const { pids, dir, code } = await run('stop');
    expect(code).toBe(0);
    expect(pids.filter(alive)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  }, 120_000);

  it.each(['SIGTERM', 'SIGINT'] as const)('are all gone when the test process gets %s', async (signal) => {
    const { pids, code } = await run('hold', signal);
    expect(code).toBe(signal === 'SIGTERM' ? 143 : 130);
    expect(pids.filter(alive)).toEqual([]);
  }, 120_000);

  it('are all gone when the test process dies of an uncaught error', async () => {
    const { pids, code, stderr } = await run('crash');
    expect(code).not.toBe(0);
    expect(stderr).toContain('simulated test failure');
    await new Promise((r) => setTimeout(r, 200)); // SIGKILL is sent on exit; let the kernel finish
    expect(pids.filter(alive)).toEqual([]);
  }, 120_000);
});

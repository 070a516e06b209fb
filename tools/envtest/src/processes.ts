// Child processes of a control plane: each logs to its own file, and every one still running is
// killed when this Node process exits, however it exits short of SIGKILL, so no test leaves an
// etcd or an API server behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ManagedProcess {
  name: string;
  pid: number;
  logFile: string;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after `graceMs`. Resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
  running(): boolean;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: SIGKILL is the only thing that surely lands in time.
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

export function startProcess(name: string, binary: string, args: string[], logDir: string, env: NodeJS.ProcessEnv = {}): ManagedProcess {
  installExitHook();
  const logFile = join(logDir, `${name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  live.add(child);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve(code ?? signal ?? 'unknown');
    });
    child.once('error', (error) => {
      live.delete(child);
      log.write(`spawn failed: ${error.message}\n`);
      resolve('spawn-error');
    });
  });
  void exited.then(() => log.end());
  const running = (): boolean => child.exitCode === null && child.signalCode === null && live.has(child);
  return {
    name,
    pid: child.pid ?? -1,
    logFile,
    exited,
    running,
    async stop(graceMs = 5000) {
      if (!running()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** PIDs of the processes started here that are still running (for leak checks). */
export const livePids = (): number[] => [...live].map((c) => c.pid ?? -1);

/** The last lines a process logged, to explain why it exited. */
export function logTail(process: ManagedProcess, lines = 15): string {
  if (!existsSync(process.logFile)) return '';
  return readFileSync(process.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

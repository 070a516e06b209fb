// The exit image's program (deploy/exit-image/emitExitElf.ts): emitted, then run under the names
// sidecars use as entrypoints, with arguments a sidecar would pass; it must exit 0 every time.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { arch, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const EMIT = join(import.meta.dirname, '../../../deploy/exit-image/emitExitElf.ts');
const out = mkdtempSync(join(tmpdir(), 'exit-image-'));
execFileSync(process.execPath, [EMIT, out]);

describe('exit image program', () => {
  it('is a tiny static ELF for amd64 and arm64', () => {
    for (const [name, machine, size] of [['exit-amd64', 0x3e, 129], ['exit-arm64', 0xb7, 132]] as const) {
      const elf = readFileSync(join(out, name));
      expect(elf.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
      expect(elf.readUInt16LE(18)).toBe(machine);
      expect(elf.length).toBe(size);
      expect(statSync(join(out, name)).mode & 0o111).toBe(0o111);
    }
    // arm64: movz x0,#0 ; movz x8,#94 (exit_group) ; svc #0
    expect(readFileSync(join(out, 'exit-arm64')).subarray(120).toString('hex')).toBe('000080d2c80b80d2010000d4');
  });

  it.runIf(arch() === 'x64')('exits 0 under every common entrypoint name, whatever its arguments', () => {
    for (const name of ['sh', 'sleep', 'filebeat', 'docker-entrypoint.sh']) {
      const program = join(out, name);
      copyFileSync(join(out, 'exit-amd64'), program);
      for (const args of [[], ['-c', 'cat /etc/filebeat.yml && sleep 36000'], ['36000'], ['--exit', '3', ...Array.from({ length: 200 }, (_, i) => `arg${i}`)]]) {
        const run = spawnSync(program, args, { env: { SOME: 'env' } });
        expect(run.error).toBeUndefined();
        expect([name, args.length, run.status, run.signal]).toEqual([name, args.length, 0, null]);
        expect(run.stdout.length + run.stderr.length).toBe(0);
      }
    }
  });
});

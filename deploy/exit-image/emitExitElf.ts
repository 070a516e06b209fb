// Writes the exit image's one program: a static ELF executable, no libc, no loader, whose only
// instructions are exit_group(0). It exits 0 whatever its name, arguments, environment or
// working directory, which is what a sidecar's container must do once its image is swapped to this
// one (apps/controller jobExit/). Emitted byte by byte rather than compiled, so that it has no
// toolchain and no dependency to build or to audit: 129 bytes (amd64) and 132 bytes (arm64), each an
// ELF header, one PT_LOAD program header (read+execute) and the code.
//
//   node deploy/exit-image/emitExitElf.ts OUT_DIR   -> OUT_DIR/exit-amd64, OUT_DIR/exit-arm64
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LOAD_ADDRESS = 0x400000n;
const ELF_HEADER_SIZE = 64;
const PROGRAM_HEADER_SIZE = 56;

/** The code of each architecture: exit_group(0). */
export const EXIT_CODE: Record<'amd64' | 'arm64', { machine: number; code: number[] }> = {
  amd64: {
    machine: 0x3e, // EM_X86_64
    // xor edi, edi ; mov eax, 231 (exit_group) ; syscall
    code: [0x31, 0xff, 0xb8, 0xe7, 0x00, 0x00, 0x00, 0x0f, 0x05],
  },
  arm64: {
    machine: 0xb7, // EM_AARCH64
    // movz x0, #0 ; movz x8, #94 (exit_group) ; svc #0   (little-endian words)
    code: [0x00, 0x00, 0x80, 0xd2, 0xc8, 0x0b, 0x80, 0xd2, 0x01, 0x00, 0x00, 0xd4],
  },
};

export function exitElf(arch: keyof typeof EXIT_CODE): Buffer {
  const { machine, code } = EXIT_CODE[arch];
  const codeOffset = ELF_HEADER_SIZE + PROGRAM_HEADER_SIZE; // 120: 4-byte aligned, as arm64 needs
  const size = codeOffset + code.length;
  const elf = Buffer.alloc(size);
  // e_ident: magic, ELFCLASS64, ELFDATA2LSB, EV_CURRENT, ELFOSABI_SYSV, padding
  elf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0);
  elf.writeUInt16LE(2, 16); // e_type ET_EXEC
  elf.writeUInt16LE(machine, 18);
  elf.writeUInt32LE(1, 20); // e_version
  elf.writeBigUInt64LE(LOAD_ADDRESS + BigInt(codeOffset), 24); // e_entry
  elf.writeBigUInt64LE(BigInt(ELF_HEADER_SIZE), 32); // e_phoff
  elf.writeBigUInt64LE(0n, 40); // e_shoff: no sections
  elf.writeUInt32LE(0, 48); // e_flags
  elf.writeUInt16LE(ELF_HEADER_SIZE, 52); // e_ehsize
  elf.writeUInt16LE(PROGRAM_HEADER_SIZE, 54); // e_phentsize
  elf.writeUInt16LE(1, 56); // e_phnum
  // e_shentsize, e_shnum, e_shstrndx: 0
  const ph = ELF_HEADER_SIZE;
  elf.writeUInt32LE(1, ph); // p_type PT_LOAD
  elf.writeUInt32LE(5, ph + 4); // p_flags PF_R | PF_X
  elf.writeBigUInt64LE(0n, ph + 8); // p_offset: the whole file
  elf.writeBigUInt64LE(LOAD_ADDRESS, ph + 16); // p_vaddr
  elf.writeBigUInt64LE(LOAD_ADDRESS, ph + 24); // p_paddr
  elf.writeBigUInt64LE(BigInt(size), ph + 32); // p_filesz
  elf.writeBigUInt64LE(BigInt(size), ph + 40); // p_memsz
  elf.writeBigUInt64LE(0x1000n, ph + 48); // p_align
  elf.set(code, codeOffset);
  return elf;
}

if (import.meta.main) {
  const out = process.argv[2];
  if (!out) {
    process.stderr.write('usage: node deploy/exit-image/emitExitElf.ts OUT_DIR\n');
    process.exit(1);
  }
  mkdirSync(out, { recursive: true });
  for (const arch of Object.keys(EXIT_CODE) as (keyof typeof EXIT_CODE)[]) {
    const file = join(out, `exit-${arch}`);
    writeFileSync(file, exitElf(arch));
    chmodSync(file, 0o755);
    process.stdout.write(`${file}\n`);
  }
}

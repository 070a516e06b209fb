// The real process behind the commands' I/O seams (tests pass their own).
import { fileSystemReader } from './inject/manifestFiles.js';

export const processOutput = {
  stdout: (text: string): void => void process.stdout.write(text),
  stderr: (text: string): void => void process.stderr.write(text),
};

export const processInput = {
  files: fileSystemReader,
  readStdin: async (): Promise<string> => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

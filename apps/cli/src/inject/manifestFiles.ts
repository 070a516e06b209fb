// The files behind a --sidecarsets path: the file itself, or every *.yaml, *.yml and *.json file
// under a directory, recursively, in name order so that results do not depend on the file system.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const MANIFEST_EXTENSIONS = /\.(ya?ml|json)$/i;

export interface ManifestFileReader {
  /** The manifest files at `path`: [path] for a file, the manifests under it for a directory. */
  list(path: string): string[];
  read(file: string): string;
}

export const fileSystemReader: ManifestFileReader = {
  list(path) {
    if (!statSync(path).isDirectory()) return [path];
    return readdirSync(path, { withFileTypes: true })
      .map((entry) => entry.name)
      .sort()
      .flatMap((name) => {
        const child = join(path, name);
        if (statSync(child).isDirectory()) return this.list(child);
        return MANIFEST_EXTENSIONS.test(name) ? [child] : [];
      });
  },
  read: (file) => readFileSync(file, 'utf8'),
};

/** `ENOENT: no such file or directory, stat 'x'` -> `no such file or directory`. */
export function ioErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
}

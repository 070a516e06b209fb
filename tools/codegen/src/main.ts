// `npm run codegen`: regenerates crds/*.yaml and packages/api/src/generated/*.ts from the schema
// sources. Deterministic: running it twice, or on another machine, writes the same bytes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateAll } from './generateAll.ts';

const root = join(new URL('.', import.meta.url).pathname, '../../..');
const files = await generateAll(root);
for (const [path, content] of files) {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), content);
}
console.log(`codegen: wrote ${files.size} files`);

#!/usr/bin/env node
// sidecarset-envtest: `build` makes sure the binaries exist and prints their directory.
import { ensureBinaries } from './binaries.js';

const [command] = process.argv.slice(2);
if (command === 'build') {
  process.stdout.write(`${await ensureBinaries()}\n`);
} else {
  process.stderr.write('usage: sidecarset-envtest build\n');
  process.exit(1);
}

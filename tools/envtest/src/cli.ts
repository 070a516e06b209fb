#!/usr/bin/env node
// sidecarset-envtest build            make sure the binaries exist; print their directory
// sidecarset-envtest start [options]  run a control plane in the foreground until Ctrl-C
import { parseArgs } from 'node:util';
import { ensureBinaries } from './binaries.js';
import { startControlPlane } from './controlPlane.js';

const USAGE = `usage:
  sidecarset-envtest build
  sidecarset-envtest start [--nodes N] [--no-scheduler] [--no-controller-manager] [--dir DIR]`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    nodes: { type: 'string', default: '3' },
    'no-scheduler': { type: 'boolean', default: false },
    'no-controller-manager': { type: 'boolean', default: false },
    dir: { type: 'string' },
  },
});

switch (positionals[0]) {
  case 'build':
    process.stdout.write(`${await ensureBinaries()}\n`);
    break;
  case 'start': {
    const nodes = Number(values.nodes);
    if (!Number.isInteger(nodes) || nodes < 0) throw new Error(`--nodes must be a whole number, got ${values.nodes}`);
    const plane = await startControlPlane({
      ...(values.dir ? { dir: values.dir } : {}),
      scheduler: !values['no-scheduler'],
      controllerManager: !values['no-controller-manager'],
      ...(nodes > 0 ? { kwok: { nodes } } : {}),
      log: (line) => void process.stderr.write(`[envtest] ${line}\n`),
    });
    process.stderr.write(`[envtest] ready in ${plane.startupMs} ms\n`);
    process.stdout.write(`export KUBECONFIG=${plane.kubeconfigPath}\n`);
    break;
  }
  default:
    process.stderr.write(`${USAGE}\n`);
    process.exit(1);
}

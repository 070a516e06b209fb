// `inject` starts without loading @kubernetes/client-node (slow to load, and no use offline); the
// cluster commands load it when they run. Observed from the module resolutions of the real binary.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, FIXTURES } from './runCli.js';

const REPORT_CLIENT_NODE = `
import { registerHooks } from 'node:module';
registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    if (resolved.url.includes('/@kubernetes/client-node/')) process.stderr.write('loaded @kubernetes/client-node\\n');
    return resolved;
  },
});`;

const loadsClientNode = (args: string[]): boolean => {
  const run = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(REPORT_CLIENT_NODE)}`, CLI, ...args], {
    cwd: FIXTURES,
    encoding: 'utf8',
  });
  return run.stderr.includes('loaded @kubernetes/client-node');
};

describe.concurrent('what each command loads', () => {
  it.each<[string, string[], boolean]>([
    ['inject (offline)', ['inject', '-f', 'pod-and-deployment.yaml', '--sidecarsets', 'test-sidecarset.yaml'], false],
    ['plan --sidecarset --pods (offline)', ['plan', '--sidecarset', join('plan', 'new.yaml'), '--pods', join('plan', 'pods.yaml')], false],
    ['status (the cluster client, when it runs)', ['status', '--kubeconfig', 'absent.kubeconfig'], true],
  ])('%s', (_name, args, expected) => {
    expect(loadsClientNode(args)).toBe(expected);
  });
});

// `npm start`'s sandbox: prints exactly `export KUBECONFIG=<absolute path>` once everything is up,
// the cluster behind it has 3 Ready kwok nodes and the CRDs, the demos ran (seed 002, a native sidecar
// upgraded in place), and SIGTERM stops it cleanly.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { ensureBinaries } from '../src/binaries.js';

const SANDBOX = join(import.meta.dirname, '../dist/sandbox.js');

describe('the sandbox (npm start)', () => {
  it('prints the KUBECONFIG line when ready and stops on SIGTERM', async () => {
    const binDir = await ensureBinaries();
    const dir = mkdtempSync(join(tmpdir(), 'sidecarset-sandbox-test-')); // leave a developer's .sandbox alone
    const child = spawn(process.execPath, [SANDBOX], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SIDECARSET_SANDBOX_DIR: dir } });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      void exited.then(() => reject(new Error(`sandbox exited early:\n${stderr}`)));
    });

    const match = /^export KUBECONFIG=(\S+)$/.exec(line);
    expect(match, line).not.toBeNull();
    const kubeconfig = match![1]!;
    expect(isAbsolute(kubeconfig)).toBe(true);

    const kubectl = (...args: string[]) =>
      new Promise<string>((resolve, reject) => {
        const p = spawn(join(binDir, 'kubectl'), ['--kubeconfig', kubeconfig, ...args]);
        let out = '';
        p.stdout.on('data', (c: Buffer) => (out += c.toString()));
        p.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`kubectl ${args.join(' ')} failed`))));
      });
    const ready = await kubectl('get', 'nodes', '-o', 'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}');
    expect(ready.trim().split('\n')).toEqual(['True', 'True', 'True']);
    expect(await kubectl('get', 'crds', '-o', 'name')).toContain('sidecarsets.apps.kruise.io');
    // The seed 002 demo ran before the line was printed: injected, status written, upgraded in place.
    expect(stderr).toContain('demo: test-pod is Running with containers [sidecar1, app]');
    expect(await kubectl('get', 'pod', 'test-pod', '-n', 'default', '-o', 'jsonpath={.spec.containers[*].image}')).toBe('centos:6.8 nginx:1.15.1');
    expect(await kubectl('get', 'pod', 'test-pod', '-n', 'default', '-o', 'jsonpath={.status.containerStatuses[?(@.name=="sidecar1")].restartCount}')).toBe('1');
    expect(await kubectl('get', 'sidecarset', 'test-sidecarset', '-o', 'jsonpath={.status.updatedReadyPods}')).toBe('1');
    // Then seed 000 (its YAML unchanged): echo-server in default mounts the mirror of kube-system/filebeat-config.
    expect(stderr).toContain('demo: kubectl get configmap mirror.kube-system.filebeat-config -n default: the same filebeat.yml as kube-system/filebeat-config');
    const echoServer = JSON.parse(await kubectl('get', 'pods', '-n', 'default', '-l', 'app=echo-server', '-o', 'json')) as {
      items: { spec: { initContainers?: { name: string }[]; containers: { name: string }[]; volumes: { name: string; configMap?: { name: string }; hostPath?: { path: string } }[] } }[];
    };
    expect(echoServer.items).toHaveLength(1);
    const echoPod = echoServer.items[0]!;
    expect(echoPod.spec.initContainers?.map((c) => c.name)).toEqual(['filebeat']); // ECI_SIDECAR_CONTAINER=true: a native sidecar
    expect(echoPod.spec.containers.map((c) => c.name)).toEqual(['echo-server']);
    expect(echoPod.spec.volumes.find((v) => v.name === 'config')?.configMap?.name).toBe('mirror.kube-system.filebeat-config');
    expect(echoPod.spec.volumes.find((v) => v.name === 'stdlog')?.hostPath?.path).toBe('/var/log/pods');
    const filebeatYml = (ns: string, name: string) => kubectl('get', 'configmap', name, '-n', ns, '-o', 'jsonpath={.data.filebeat\\.yml}');
    const source = await filebeatYml('kube-system', 'filebeat-config');
    expect(source).toContain('filebeat.inputs:');
    expect(await filebeatYml('default', 'mirror.kube-system.filebeat-config')).toBe(source);
    expect(await kubectl('get', 'sidecarsetresourcebinding', 'filebeat-sidecarset-resourcebinding', '-n', 'kube-system', '-o', 'jsonpath={.status.mirrorCount} {.status.conditions[?(@.type=="Ready")].status}')).toBe('1 True');
    // Then the native sidecar demo: the init container with restartPolicy Always upgraded in place, the app not restarted.
    expect(stderr).toContain('demo: native sidecar upgraded in place');
    const nativeDemo = (path: string) => kubectl('get', 'pod', 'native-demo', '-n', 'default', '-o', `jsonpath=${path}`);
    expect(await nativeDemo('{.spec.initContainers[?(@.name=="proxy")].image}')).toBe('envoyproxy/envoy:v1.31.0');
    expect(await nativeDemo('{.status.initContainerStatuses[?(@.name=="proxy")].restartCount}')).toBe('1');
    expect(await nativeDemo('{.status.containerStatuses[?(@.name=="app")].restartCount}')).toBe('0');
    expect(await kubectl('get', 'sidecarset', 'demo-native-sidecar', '-o', 'jsonpath={.status.updatedReadyPods}')).toBe('1');
    // Then the hot upgrade demo: the twins swapped (envoy-2 works on the new image, envoy-1 idles on the empty one).
    expect(stderr).toContain('demo: hot upgrade done');
    const hotDemo = (path: string) => kubectl('get', 'pod', 'hot-demo', '-n', 'default', '-o', `jsonpath=${path}`);
    expect(await hotDemo('{.spec.containers[*].image}')).toBe('openkruise/hotupgrade-sample:empty envoyproxy/envoy:v1.31.0 nginx:1.25');
    expect(await hotDemo('{.metadata.annotations.kruise\\.io/sidecarset-working-hotupgrade-container}')).toBe('{"envoy":"envoy-2"}');

    // Then the Job demo (issue 12): seed 000's filebeat as a native sidecar, the Job completes.
    expect(stderr).toContain('demo: job-demo complete (2/2 succeeded)');
    expect(await kubectl('get', 'job', 'job-demo', '-n', 'default', '-o', 'jsonpath={.status.succeeded}')).toBe('2');
    expect(await kubectl('get', 'pods', '-n', 'default', '-l', 'batch.kubernetes.io/job-name=job-demo', '-o', 'jsonpath={.items[*].spec.initContainers[*].restartPolicy}')).toBe('Always Always');
    // Then the resize demo (issue 11): the logger's resources raised in place through pods/resize.
    expect(stderr).toContain('demo: resized in place through pods/resize, same pod, nothing restarted');
    const resizeDemo = (path: string) => kubectl('get', 'pod', 'resize-demo', '-n', 'default', '-o', `jsonpath=${path}`);
    expect(await resizeDemo('{.status.containerStatuses[?(@.name=="logger")].resources.requests.cpu}')).toBe('500m');
    expect(await resizeDemo('{.status.containerStatuses[?(@.name=="logger")].restartCount} {.status.containerStatuses[?(@.name=="app")].restartCount}')).toBe('0 0');

    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    rmSync(dir, { recursive: true, force: true });
  }, 600_000);
});

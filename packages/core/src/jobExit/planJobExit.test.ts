// The job-exit plan: which sidecars are swapped to which image, when the phase is written, and why a
// sidecar is left running.
import type { Container, ContainerStatus, Pod } from '@sidecarset/api';
import { describe, expect, it } from 'vitest';
import { planJobExit } from './planJobExit.js';

const TERMINATE = { name: 'KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT', value: 'true' };
const IGNORE = { name: 'KRUISE_TERMINATE_SIDECAR_IGNORE_EXIT_CODE', value: 'true' };
const withImage = (image: string) => ({ name: 'KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT_WITH_IMAGE', value: image });

const running: ContainerStatus['state'] = { running: { startedAt: '2026-01-01T00:00:00Z' } };
const exited = (exitCode: number): ContainerStatus['state'] => ({ terminated: { exitCode, startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:01Z' } });

function pod(containers: Container[], states: Record<string, ContainerStatus['state']>, overrides: { restartPolicy?: string; phase?: string; deleting?: boolean } = {}): Pod {
  return {
    metadata: { name: 'p', namespace: 'default', ...(overrides.deleting ? { deletionTimestamp: '2026-01-01T00:00:02Z' } : {}) },
    spec: { restartPolicy: (overrides.restartPolicy ?? 'Never') as 'Never', containers },
    status: {
      phase: (overrides.phase ?? 'Running') as 'Running',
      containerStatuses: containers.map((c) => ({ name: c.name, image: c.image ?? '', imageID: '', ready: false, restartCount: 0, state: states[c.name] ?? running })),
    },
  };
}

const app: Container = { name: 'app', image: 'app:1' };
const agent = (...env: Container['env'] & object): Container => ({ name: 'agent', image: 'filebeat:8', env });

describe('planJobExit', () => {
  it.each<[string, Pod, ReturnType<typeof planJobExit>]>([
    ['app done, sidecar with its own image: swapped to it', pod([agent(TERMINATE, withImage('exit:1')), app], { app: exited(0) }), { swaps: [{ list: 'containers', index: 0, name: 'agent', field: 'image', value: 'exit:1' }], stuck: [] }],
    ['app done, no image of its own: the controller\'s exit image', pod([app, agent(TERMINATE)], { app: exited(1) }), { swaps: [{ list: 'containers', index: 1, name: 'agent', field: 'image', value: 'sidecarset/exit:1' }], stuck: [] }],
    ['WITH_IMAGE alone marks a sidecar (as OpenKruise reads it)', pod([app, agent(withImage('exit:2'))], { app: exited(0) }), { swaps: [{ list: 'containers', index: 1, name: 'agent', field: 'image', value: 'exit:2' }], stuck: [] }],
    ['the app still runs: nothing', pod([app, agent(TERMINATE)], {}), { swaps: [], stuck: [] }],
    ['OnFailure and the app failed (the kubelet restarts it): nothing', pod([app, agent(TERMINATE)], { app: exited(2) }, { restartPolicy: 'OnFailure' }), { swaps: [], stuck: [] }],
    ['OnFailure and the app exited 0: swapped', pod([app, agent(TERMINATE)], { app: exited(0) }, { restartPolicy: 'OnFailure' }), { swaps: [{ list: 'containers', index: 1, name: 'agent', field: 'image', value: 'sidecarset/exit:1' }], stuck: [] }],
    ['restartPolicy Always: never', pod([app, agent(TERMINATE)], { app: exited(0) }, { restartPolicy: 'Always' }), { swaps: [], stuck: [] }],
    ['being deleted: never', pod([app, agent(TERMINATE)], { app: exited(0) }, { deleting: true }), { swaps: [], stuck: [] }],
    ['already terminal: nothing', pod([app, agent(TERMINATE)], { app: exited(0) }, { phase: 'Failed' }), { swaps: [], stuck: [] }],
    ['sidecar without the variables: an app container, never touched', pod([app, { name: 'agent', image: 'a' }], { app: exited(0) }), { swaps: [], stuck: [] }],
    ['TERMINATE=false: not a sidecar to stop', pod([app, agent({ name: 'KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT', value: 'false' })], { app: exited(0) }), { swaps: [], stuck: [] }],
    ['already swapped, the kubelet restarting it: nothing more', pod([app, { ...agent(TERMINATE), image: 'sidecarset/exit:1' }], { app: exited(0) }), { swaps: [], stuck: [] }],
    ['the sidecar already ended: nothing', pod([app, agent(TERMINATE)], { app: exited(0), agent: exited(0) }), { swaps: [], stuck: [] }],
  ])('%s', (_, input, expected) => {
    expect(planJobExit(input, { exitImage: 'sidecarset/exit:1' })).toEqual(expected);
  });

  it('no exit image anywhere: the sidecar is stuck, and says what to set', () => {
    const plan = planJobExit(pod([app, agent(TERMINATE)], { app: exited(0) }), {});
    expect(plan.swaps).toEqual([]);
    expect(plan.stuck).toEqual([{ name: 'agent', reason: expect.stringContaining('--exit-image') }]);
  });

  it('statuses not reported for every container yet: waits', () => {
    const p = pod([app, agent(TERMINATE)], { app: exited(0) });
    p.status!.containerStatuses = p.status!.containerStatuses!.slice(0, 1);
    expect(planJobExit(p, { exitImage: 'x' })).toEqual({ swaps: [], stuck: [] });
  });

  describe('ignore exit code', () => {
    const ignoring = agent(TERMINATE, IGNORE);
    it('app exited 0: phase Succeeded, then the sidecar is swapped', () => {
      expect(planJobExit(pod([app, ignoring], { app: exited(0) }), { exitImage: 'exit:1' })).toEqual({ phase: 'Succeeded', swaps: [{ list: 'containers', index: 1, name: 'agent', field: 'image', value: 'exit:1' }], stuck: [] });
    });
    it('app failed: phase Failed', () => {
      expect(planJobExit(pod([app, ignoring], { app: exited(3) }), { exitImage: 'exit:1' }).phase).toBe('Failed');
    });
    it('no exit image: the phase alone ends the pod, nothing stuck', () => {
      expect(planJobExit(pod([app, ignoring], { app: exited(0) }), {})).toEqual({ phase: 'Succeeded', swaps: [], stuck: [] });
    });
    it('IGNORE without TERMINATE counts for nothing (OpenKruise reads it only with TERMINATE)', () => {
      expect(planJobExit(pod([app, agent(IGNORE, withImage('e'))], { app: exited(0) }), {}).phase).toBeUndefined();
    });
    it('waits for the other sidecars to end before writing the phase', () => {
      const other: Container = { name: 'proxy', image: 'envoy', env: [TERMINATE] };
      const first = planJobExit(pod([app, ignoring, other], { app: exited(0) }), { exitImage: 'exit:1' });
      expect(first.phase).toBeUndefined();
      expect(first.swaps.map((s) => s.name)).toEqual(['proxy']);
      const second = planJobExit(pod([app, ignoring, { ...other, image: 'exit:1' }], { app: exited(0), proxy: exited(0) }), { exitImage: 'exit:1' });
      expect(second.phase).toBe('Succeeded');
      expect(second.swaps.map((s) => s.name)).toEqual(['agent']);
    });
  });
});

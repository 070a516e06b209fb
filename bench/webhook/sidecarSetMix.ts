// A realistic mix of SidecarSets: a few select the benchmark pods, most select other apps. The
// mix grows by appending, so the first N SidecarSets are the same whatever N the run reaches.
import type { SidecarSet } from '@sidecarset/api';

/** Which SidecarSets of the sequence select benchmark pods: 1 of the first 1, 2 of 10, 5 of 100 or more. */
const MATCHING = [0, 1, 10, 11, 12];

export const matchingCount = (count: number): number => MATCHING.filter((i) => i < count).length;

export function sidecarSetMix(count: number): SidecarSet[] {
  return Array.from({ length: count }, (_, i) => {
    const matches = MATCHING.includes(i);
    return {
      apiVersion: 'apps.kruise.io/v1alpha1',
      kind: 'SidecarSet',
      metadata: { name: `bench-${String(i).padStart(4, '0')}` },
      spec: {
        selector: matches ? { matchLabels: { app: 'bench', [`sidecar-${i}`]: 'on' } } : { matchLabels: { app: `other-${i}` } },
        containers: [
          {
            name: `agent-${i}`,
            image: `registry.example/agent-${i}:1.0`,
            env: [{ name: 'LEVEL', value: 'info' }],
            volumeMounts: [{ name: `agent-${i}-data`, mountPath: `/var/agent-${i}` }],
            resources: { requests: { cpu: '10m', memory: '16Mi' } },
          },
        ],
        volumes: [{ name: `agent-${i}-data`, emptyDir: {} }],
      },
    };
  });
}

/** Labels of a benchmark pod: selected by every matching SidecarSet that exists. */
export const benchPodLabels = (): Record<string, string> => Object.fromEntries([['app', 'bench'], ...MATCHING.map((i) => [`sidecar-${i}`, 'on'])]);

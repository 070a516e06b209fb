// A realistic mix of SidecarSets: a few select the benchmark pods, most select other apps.
import type { SidecarSet } from '@sidecarset/api';

export function sidecarSetMix(count: number, matching: number): SidecarSet[] {
  return Array.from({ length: count }, (_, i) => {
    const matches = i < matching;
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

/** Labels of a benchmark pod selected by the first `matching` SidecarSets of the mix. */
export const benchPodLabels = (matching: number): Record<string, string> =>
  Object.fromEntries([['app', 'bench'], ...Array.from({ length: matching }, (_, i) => [`sidecar-${i}`, 'on'])]);

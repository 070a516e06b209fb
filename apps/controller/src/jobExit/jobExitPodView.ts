// What the job-exit step keeps of a pod (its own watch: only pods with restartPolicy Never/OnFailure
// in phase Running, by field selector): identity, the containers' names, images and the three
// KRUISE_TERMINATE_SIDECAR_* variables, and the containers' states. Everything else is dropped.
import type { Pod } from '@sidecarset/api';
import { IGNORE_EXIT_CODE_ENV, TERMINATE_SIDECAR_ENV, TERMINATE_SIDECAR_WITH_IMAGE_ENV } from '@sidecarset/core';

const KEPT_ENV = new Set([TERMINATE_SIDECAR_ENV, TERMINATE_SIDECAR_WITH_IMAGE_ENV, IGNORE_EXIT_CODE_ENV]);

/** The field selector of the step's pod watch: Job-like pods while they run. */
export const JOB_POD_FIELD_SELECTOR = 'spec.restartPolicy!=Always,status.phase=Running';

export function jobExitPodView(pod: Pod): Pod {
  const m = pod.metadata ?? {};
  return {
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      ...(m.deletionTimestamp ? { deletionTimestamp: m.deletionTimestamp } : {}),
    },
    spec: {
      ...(pod.spec?.restartPolicy ? { restartPolicy: pod.spec.restartPolicy } : {}),
      containers: (pod.spec?.containers ?? []).map((c) => {
        const env = (c.env ?? []).filter((e) => KEPT_ENV.has(e.name)).map((e) => ({ name: e.name, ...(e.value !== undefined ? { value: e.value } : {}) }));
        return { name: c.name, ...(c.image !== undefined ? { image: c.image } : {}), ...(env.length > 0 ? { env } : {}) };
      }),
    },
    status: {
      ...(pod.status?.phase ? { phase: pod.status.phase } : {}),
      containerStatuses: (pod.status?.containerStatuses ?? []).map((s) => ({ name: s.name, image: s.image, imageID: s.imageID, ready: s.ready, restartCount: s.restartCount, ...(s.state ? { state: s.state } : {}) })),
    },
  } as Pod;
}

export { IGNORE_EXIT_CODE_ENV, IMAGE_REFERENCE_LIMIT, jobSidecarOf, TERMINATE_SIDECAR_ENV, TERMINATE_SIDECAR_WITH_IMAGE_ENV, type JobSidecar } from './jobSidecars.js';
export { endedJobSidecars, planJobExit, SIDECAR_TERMINATED_CONDITION, type ExitImageSwap, type JobExitOptions, type JobExitPlan, type StuckSidecar } from './planJobExit.js';

export { rewriteStdlogVolumes, mayRewriteStdlog, type StdlogContext, type StdlogError, type StdlogRewrite } from './rewriteStdlogVolumes.js';
export { enforcedPodSecurity, podSecurityAllowsHostPath, POD_SECURITY_ENFORCE_LABEL, type EnforcedPodSecurity, type PodSecurityLevel } from './podSecurityLevel.js';
export { isStdlogCsiVolume, KUBELET_POD_LOGS_DIR, STDLOG_CSI_DRIVER, STDLOG_POD_ENV, STDLOG_SUBPATH_EXPR } from './stdlogVolume.js';

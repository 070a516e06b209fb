// Reads a kubelet's (or the API server's) version as Node status.nodeInfo.kubeletVersion and /version
// report it: "v1.29.3", "v1.30.1-eks-1234", "v1.28.2+k3s1". Native sidecars (initContainers with
// restartPolicy Always) are on by default from Kubernetes 1.29 (SidecarContainers beta, seed 001).
// Anything else ("kwok", "", a hand-written node) is not a version: such a node is taken as unable.

export interface KubeVersion {
  major: number;
  minor: number;
}

/** Longer text is not a version a kubelet reports; only its start is read. */
const VERSION_TEXT_LIMIT = 64;
const VERSION = /^v?(\d{1,4})\.(\d{1,4})(?:[.+-]|$)/;

export function parseKubeVersion(text: string | undefined): KubeVersion | undefined {
  const match = VERSION.exec((text ?? '').slice(0, VERSION_TEXT_LIMIT).trim());
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

export const NATIVE_SIDECAR_MIN_VERSION: KubeVersion = { major: 1, minor: 29 };

export function supportsNativeSidecars(version: KubeVersion | undefined): boolean {
  if (!version) return false;
  return version.major > NATIVE_SIDECAR_MIN_VERSION.major || (version.major === NATIVE_SIDECAR_MIN_VERSION.major && version.minor >= NATIVE_SIDECAR_MIN_VERSION.minor);
}

#!/usr/bin/env bash
# Builds the exit image (sidecarset/exit, one tag per architecture and a manifest list) with buildah:
# emitExitElf.ts writes the program, hard-linked at every path of entrypoints.txt in one layer,
# from scratch. Needs Node.js 22.19+ (type stripping) and buildah; pushes nothing.
#   deploy/exit-image/build.sh [IMAGE]     (default localhost/sidecarset/exit:1)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
image="${1:-localhost/sidecarset/exit:1}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
node "$here/emitExitElf.ts" "$work/bin" >/dev/null
# One layer: a root tree per architecture with the program hard-linked at every path.
for arch in amd64 arm64; do
  grep -v '^#' "$here/entrypoints.txt" | grep . | while read -r path; do
    mkdir -p "$work/rootfs-$arch$(dirname "$path")"
    ln "$work/bin/exit-$arch" "$work/rootfs-$arch$path"
  done
done
cat > "$work/Containerfile" <<'CONTAINERFILE'
FROM scratch
ARG TARGETARCH=amd64
COPY rootfs-${TARGETARCH}/ /
USER 65534:65534
ENTRYPOINT ["/exit"]
CONTAINERFILE
buildah manifest rm "$image" >/dev/null 2>&1 || true
buildah manifest create "$image" >/dev/null
for arch in amd64 arm64; do
  buildah build --quiet --platform "linux/$arch" --build-arg "TARGETARCH=$arch" -f "$work/Containerfile" -t "$image-$arch" "$work" >/dev/null
  buildah manifest add "$image" "$image-$arch" >/dev/null
  echo "built $image-$arch"
done
echo "manifest list $image (push it with: buildah manifest push --all $image docker://REGISTRY/sidecarset/exit:1)"

#!/usr/bin/env bash
# Builds the helm CLI FROM SOURCE via the Go module proxy (helm.sh/helm/v3, pinned in versions.env;
# go/go.mod + go/go.sum, committed, lock every dependency). The chart tests and
# deploy/generate-manifests.sh use it.
#
# Usage:
#   bash tools/helm/build.sh                   # build (or reuse the cache); last stdout line = the helm binary
#   bash tools/helm/build.sh --print           # print that path for the current pins, build nothing
#   bash tools/helm/build.sh --update-modules  # regenerate go/go.mod + go/go.sum from versions.env
#
# Output: ${SIDECARSET_HELM_CACHE:-$HOME/.cache/sidecarset/helm}/<hash>/bin/helm, where <hash> covers
# versions.env, go.mod, go.sum, the recipe and the Go version. Progress on stderr, the path on stdout.
set -euo pipefail

RECIPE_VERSION=1
HELM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GO_DIR="$HELM_DIR/go"
CACHE_ROOT="${SIDECARSET_HELM_CACHE:-${HOME:?HOME must be set}/.cache/sidecarset/helm}"
START_TS=$(date +%s)
log() { printf '[helm %4ss] %s\n' "$(($(date +%s) - START_TS))" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

command -v go >/dev/null 2>&1 || die "go not found in PATH"
# shellcheck source=/dev/null
source "$HELM_DIR/versions.env"
: "${HELM_VERSION:?HELM_VERSION missing in versions.env}"
export GOWORK=off GO111MODULE=on CGO_ENABLED=0

if [[ "${1:-}" == "--update-modules" ]]; then
  (cd "$GO_DIR" && go get "helm.sh/helm/v3@$HELM_VERSION" && go mod tidy)
  log "modules updated; review and commit tools/helm/go/go.{mod,sum}"
  exit 0
fi
grep -Eq "^(require[[:space:]]+)?[[:space:]]*helm.sh/helm/v3[[:space:]]+$HELM_VERSION([[:space:]]|\$)" "$GO_DIR/go.mod" ||
  die "tools/helm/go/go.mod does not require helm.sh/helm/v3 $HELM_VERSION (versions.env). Run: bash tools/helm/build.sh --update-modules"

HASH=$({ echo "recipe=$RECIPE_VERSION go=$(go env GOVERSION GOOS GOARCH | tr '\n' ' ')"; cat "$HELM_DIR/versions.env" "$GO_DIR/go.mod" "$GO_DIR/go.sum"; } | sha256sum | cut -c1-16)
OUT_DIR="$CACHE_ROOT/$HASH"
HELM_BIN="$OUT_DIR/bin/helm"
if [[ "${1:-}" == "--print" ]]; then echo "$HELM_BIN"; exit 0; fi
[[ $# -eq 0 ]] || die "unknown argument: $1"

complete() { [[ -f "$OUT_DIR/.complete" && -x "$HELM_BIN" ]]; }
if complete; then log "helm up to date: $HELM_BIN"; echo "$HELM_BIN"; exit 0; fi

mkdir -p "$CACHE_ROOT"
# One build at a time; a second caller waits and then finds the first one's result.
exec 9>"$CACHE_ROOT/.build-$HASH.lock"
flock 9
if complete; then log "helm up to date: $HELM_BIN"; echo "$HELM_BIN"; exit 0; fi
STAGE=$(mktemp -d "$CACHE_ROOT/.tmp-$HASH.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
chmod 0755 "$STAGE"
mkdir -p "$STAGE/bin"

# As helm's Makefile stamps it: the version, and the Kubernetes client version from go.mod.
K8S_MODULES_VER=$(cd "$GO_DIR" && go list -mod=readonly -m -f '{{.Version}}' k8s.io/client-go)
K8S_MAJOR=$(echo "$K8S_MODULES_VER" | cut -d. -f1 | tr -d v)
K8S_MINOR=$(echo "$K8S_MODULES_VER" | cut -d. -f2)
LDFLAGS="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
LDFLAGS+=" -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=$((K8S_MAJOR + 1)) -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$K8S_MINOR"
LDFLAGS+=" -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=$((K8S_MAJOR + 1)) -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$K8S_MINOR"
log "building helm $HELM_VERSION ($(go env GOVERSION)) ..."
t0=$(date +%s)
(cd "$GO_DIR" && go build -mod=readonly -trimpath -buildvcs=false -ldflags "$LDFLAGS" -o "$STAGE/bin/helm" helm.sh/helm/v3/cmd/helm)
"$STAGE/bin/helm" version --short >&2 || die "the built helm does not run"
echo "HELM_VERSION=$HELM_VERSION BUILT=$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$STAGE/.complete"
[[ ! -e "$OUT_DIR" ]] || rm -rf "$OUT_DIR"
mv -T "$STAGE" "$OUT_DIR"
log "built helm in $(($(date +%s) - t0))s: $HELM_BIN"
echo "$HELM_BIN"

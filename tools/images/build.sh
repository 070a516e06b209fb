#!/usr/bin/env bash
# Builds the images sidecarset/webhook:<version> and sidecarset/controller:<version> with buildah
# from deploy/images/Containerfile (FROM scratch: the pinned node binary, its libraries, the app with
# its production dependencies). `npm run images` runs it; the podman test in tools/images runs it too.
#
# Usage:
#   bash tools/images/build.sh            # build what changed; prints "<image> <size in bytes>" per app
#   bash tools/images/build.sh --conf     # print the containers.conf path to export as CONTAINERS_CONF
#   bash tools/images/build.sh --tools    # install buildah/podman/runc if missing, then as --conf
#   bash tools/images/build.sh --no-app-build   # the apps' dist/ is fresh already (nx test dependsOn)
#
# Installs buildah, podman and runc from Debian's packages when they are missing (as root: apt-get
# update first). Cached: an image is rebuilt only when its inputs (built code, lock file, package
# manifests, node binary, Containerfile, this script) hash differently from the label on the image
# already in the local store.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE_ROOT="${SIDECARSET_IMAGES_CACHE:-${HOME:?HOME must be set}/.cache/sidecarset/images}"
CONF="$CACHE_ROOT/containers.conf"
APPS=(webhook controller)
START_TS=$(date +%s)
log() { printf '[images %4ss] %s\n' "$(($(date +%s) - START_TS))" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# This machine's podman: runc (crun is not there), cgroupfs (no systemd), and no default ulimits
# (raising them is refused inside this sandbox).
write_conf() {
  mkdir -p "$CACHE_ROOT"
  local tmp
  tmp=$(mktemp "$CACHE_ROOT/.conf.XXXXXX")
  printf '%s\n' '[containers]' 'default_ulimits = []' '' '[engine]' 'runtime = "runc"' 'cgroup_manager = "cgroupfs"' >"$tmp"
  mv "$tmp" "$CONF"
}
write_conf
export CONTAINERS_CONF="$CONF"

ensure_tools() {
  local missing=()
  command -v buildah >/dev/null || missing+=(buildah)
  command -v podman >/dev/null || missing+=(podman)
  command -v runc >/dev/null || missing+=(runc)
  [[ ${#missing[@]} -eq 0 ]] && return
  [[ $(id -u) -eq 0 ]] || die "missing ${missing[*]}: install them (Debian: apt-get install ${missing[*]})"
  log "installing ${missing[*]} from Debian's packages"
  # One installer at a time (apt's own lock fails a second caller instead of waiting).
  exec 8>"$CACHE_ROOT/.apt.lock"
  flock 8
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends buildah podman runc >&2
  exec 8>&-
}
if [[ "${1:-}" == "--conf" ]]; then echo "$CONF"; exit 0; fi
ensure_tools
if [[ "${1:-}" == "--tools" ]]; then echo "$CONF"; exit 0; fi
if [[ "${1:-}" == "--no-app-build" ]]; then
  shift
else
  log "building the apps (nx, cached)"
  (cd "$ROOT" && NX_DAEMON=false npx nx run-many -t build -p @sidecarset/webhook @sidecarset/controller --outputStyle=static >&2)
fi
[[ $# -eq 0 ]] || die "unknown argument: $1"

NODE_BIN="$ROOT/node_modules/node/bin/node"
[[ -x "$NODE_BIN" ]] || die "$NODE_BIN is missing: run npm ci"
VERSION=$(node -p "require('$ROOT/package-lock.json').packages['apps/webhook'].version")
# Workspace packages each app's image carries (its production dependencies inside the repository).
workspaces_of() { # $1=app: prints repository folders, the app first
  node -e '
    const lock = require(process.argv[1] + "/package-lock.json");
    const byName = new Map(Object.entries(lock.packages).filter(([k, v]) => v.name && !k.includes("node_modules")).map(([k, v]) => [v.name, k]));
    const seen = new Set();
    const walk = (dir) => { if (seen.has(dir)) return; seen.add(dir); for (const dep of Object.keys(lock.packages[dir].dependencies ?? {})) if (byName.has(dep)) walk(byName.get(dep)); };
    walk("apps/" + process.argv[2]);
    console.log([...seen].join("\n"));' "$ROOT" "$1"
}

inputs_hash() { # $1=app
  {
    sha256sum "$NODE_BIN" "$ROOT/package-lock.json" "$ROOT/deploy/images/Containerfile" "${BASH_SOURCE[0]}"
    local dir
    for dir in $(workspaces_of "$1"); do
      sha256sum "$ROOT/$dir/package.json"
      (cd "$ROOT/$dir" && find dist -type f ! -name '*.test.*' ! -name '*.map' ! -name '*.d.ts' | LC_ALL=C sort | xargs sha256sum)
    done
  } | sed "s#$ROOT/##" | sha256sum | cut -c1-16
}

# The runtime layer: node, the libraries ldd lists (at the paths ldd gives), a user and group.
stage_runtime() { # $1=dir
  local dir=$1 lib
  mkdir -p "$dir/usr/local/bin" "$dir/etc" "$dir/tmp"
  cp "$NODE_BIN" "$dir/usr/local/bin/node"
  # The npm package's binary carries debug info: 30 MB that no one in a container reads.
  if command -v strip >/dev/null; then strip --strip-debug "$dir/usr/local/bin/node"; fi
  for lib in $(ldd "$NODE_BIN" | grep -o '/[^ )]*'); do
    mkdir -p "$dir$(dirname "$lib")"
    cp -L "$lib" "$dir$lib"
  done
  printf 'root:x:0:0:root:/nonexistent:/sbin/nologin\nsidecarset:x:65532:65532:sidecarset:/nonexistent:/sbin/nologin\n' >"$dir/etc/passwd"
  printf 'root:x:0:\nsidecarset:x:65532:\n' >"$dir/etc/group"
  printf 'hosts: files dns\n' >"$dir/etc/nsswitch.conf"
  chmod 1777 "$dir/tmp"
}

# The app layer: npm ci --omit=dev of the app's workspace in a copy of the repository's manifests
# (the lock file pins every version; npm's cache serves them), then the built code.
stage_app() { # $1=app $2=dir
  local app=$1 dir=$2 ws
  mkdir -p "$dir"
  cp "$ROOT/package.json" "$ROOT/package-lock.json" "$dir/"
  for ws in $(node -e 'const l=require(process.argv[1]+"/package-lock.json");for(const [k,v] of Object.entries(l.packages))if(k&&!k.includes("node_modules")&&v.name)console.log(k)' "$ROOT"); do
    mkdir -p "$dir/$ws" && cp "$ROOT/$ws/package.json" "$dir/$ws/"
  done
  (cd "$dir" && npm ci --omit=dev --prefer-offline --ignore-scripts --no-audit --no-fund --loglevel=error -w "@sidecarset/$app" >&2)
  local keep
  keep=$(workspaces_of "$app")
  for ws in $(node -e 'const l=require(process.argv[1]+"/package-lock.json");for(const [k,v] of Object.entries(l.packages))if(k&&!k.includes("node_modules")&&v.name)console.log(k)' "$ROOT"); do
    if grep -qx "$ws" <<<"$keep"; then
      cp -r "$ROOT/$ws/dist" "$dir/$ws/"
      find "$dir/$ws/dist" \( -name '*.test.*' -o -name '*.map' -o -name '*.d.ts' \) -delete
    else
      rm -rf "${dir:?}/$ws" # a workspace the app does not run, e.g. the test fixture envtest
    fi
  done
  find -L "$dir/node_modules" -maxdepth 2 -type l -delete 2>/dev/null || true # links to what was removed
  rm -rf "$dir/node_modules/.bin" "$dir/package-lock.json"
}

STAGE=
cleanup() { [[ -z "$STAGE" ]] || rm -rf "$STAGE"; }
trap cleanup EXIT
for app in "${APPS[@]}"; do
  image="sidecarset/$app:$VERSION"
  hash=$(inputs_hash "$app")
  current=$(podman image inspect --format '{{index .Labels "dev.sidecarset.inputs"}}' "$image" 2>/dev/null || true)
  if [[ "$current" != "$hash" ]]; then
    log "building $image (inputs $hash)"
    t0=$(date +%s)
    [[ -n "$STAGE" ]] || { STAGE=$(mktemp -d); stage_runtime "$STAGE/runtime"; }
    stage_app "$app" "$STAGE/$app"
    buildah bud --quiet --layers=false --target "$app" --file "$ROOT/deploy/images/Containerfile" \
      --label "dev.sidecarset.inputs=$hash" --label "org.opencontainers.image.version=$VERSION" \
      --tag "$image" "$STAGE" >&2
    log "built $image in $(($(date +%s) - t0))s"
  else
    log "$image up to date (inputs $hash)"
  fi
  echo "localhost/$image $(podman image inspect --format '{{.Size}}' "$image")"
done

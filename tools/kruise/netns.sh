#!/usr/bin/env bash
# Runs a command in a network namespace of its own, where only the loopback interface exists:
#   bash tools/kruise/netns.sh vitest run
# OpenKruise's webhook server listens on every interface and cannot be told otherwise (README.md), and
# servers in tests listen on 127.0.0.1 only. So the whole test run is one new network namespace: every
# process it starts (etcd, kube-apiserver, kruise-manager, kubectl, vitest's workers) is in it, and
# nothing in it can reach, or be reached from, any other network (no route but 127.0.0.0/8 and ::1).
#
# `unshare --net` (util-linux) makes the namespace; its `lo` starts down, and bin/loopback-up from
# build.sh brings it up and execs the command (no iproute2 needed). The build itself runs outside,
# before (root `npm test` runs build.sh first): it needs the Go module proxy.
# As root, `unshare --net`; otherwise `unshare --user --map-root-user --net` (needs unprivileged user
# namespaces).
set -euo pipefail

KRUISE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { echo "netns.sh: $*" >&2; exit 1; }

[[ $# -gt 0 ]] || die "usage: bash tools/kruise/netns.sh COMMAND [ARG...]"
command -v unshare >/dev/null 2>&1 || die "unshare not found (package util-linux)"
OUT_DIR=$(bash "$KRUISE_DIR/build.sh" --print-dir)
LOOPBACK_UP="$OUT_DIR/bin/loopback-up"
[[ -x "$LOOPBACK_UP" ]] ||
  die "$LOOPBACK_UP is missing: OpenKruise is not built. Run 'bash tools/kruise/build.sh' first (root 'npm test' does; it needs the Go module proxy, which the tests' network namespace cannot reach)"

if [[ $EUID -eq 0 ]]; then
  exec unshare --net -- "$LOOPBACK_UP" "$@"
fi
exec unshare --user --map-root-user --net -- "$LOOPBACK_UP" "$@"

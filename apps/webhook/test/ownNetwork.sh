#!/usr/bin/env bash
# Runs a command in a network namespace of its own whose only interface is loopback, with one extra
# address on it: the high-availability test needs an address that is not 127.0.0.0/8 (EndpointSlices
# refuse loopback endpoints), and servers in tests must not be reachable from any network. Inside,
# 192.0.2.10 (TEST-NET-1) exists on `lo` only: nothing outside the namespace can reach it.
#   bash test/ownNetwork.sh vitest run test/highAvailability.integration.test.ts
# As root `unshare --net`, otherwise with a user namespace (needs unprivileged user namespaces), and
# `ip` (Debian's iproute2) to bring `lo` up and add the address.
set -euo pipefail
ADDRESS=192.0.2.10
die() { echo "ownNetwork.sh: $*" >&2; exit 1; }

if [[ "${1:-}" == "--inside" ]]; then
  shift
  ip link set lo up
  ip addr add "$ADDRESS/32" dev lo
  export SIDECARSET_TEST_ENDPOINT_ADDRESS=$ADDRESS
  exec "$@"
fi
[[ $# -gt 0 ]] || die "usage: bash test/ownNetwork.sh COMMAND [ARG...]"
command -v unshare >/dev/null 2>&1 || die "unshare not found (package util-linux)"
command -v ip >/dev/null 2>&1 || die "ip not found (package iproute2)"
SELF=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
if [[ $EUID -eq 0 ]]; then exec unshare --net -- bash "$SELF" --inside "$@"; fi
exec unshare --user --map-root-user --net -- bash "$SELF" --inside "$@"

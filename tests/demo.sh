#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make demo: the classic namespace demonstrations with nsunshare, each
# checked.  Run as root; exits non-zero at the first one that does not hold.
set -euo pipefail

BIN=${NSTOOLS_BIN:?set NSTOOLS_BIN to the build directory}
PATH="$BIN:$PATH"
tmp=$(mktemp -d)
cleanup() {
	umount "$tmp/net" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

step() { printf '\n== %s\n$ %s\n' "$1" "$2"; }
holds() { printf 'ok: %s\n' "$1"; }
fail() { printf 'FAILED: %s\n' "$1" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || fail "the demo needs root"

step "A program that is PID 1 with its own /proc" \
	"nsunshare -pf --mount-proc ps -e -o pid,comm"
out=$(nsunshare -pf --mount-proc ps -e -o pid=,comm=)
echo "$out"
[ "$(echo "$out" | awk '{print $1}')" = 1 ] ||
	fail "ps should see only itself, as PID 1"
holds "ps is PID 1 and sees none of the host's processes"

step "A private host name" "nsunshare -u --hostname container hostname"
host=$(hostname)
out=$(nsunshare -u --hostname container hostname)
echo "$out"
[ "$out" = container ] || fail "the new UTS namespace should say container"
[ "$(hostname)" = "$host" ] || fail "the host name changed"
holds "inside: container; outside still: $host"

step "Root in a user namespace, as the unprivileged user nobody" \
	"nsunshare -Ur sh -c 'id -u; cat /proc/self/uid_map'"
cp "$BIN/nsunshare" "$tmp/nsunshare"
chmod 755 "$tmp" "$tmp/nsunshare"
out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
	"$tmp/nsunshare" -Ur sh -c 'id -u; cat /proc/self/uid_map')
echo "$out"
[ "$(echo "$out" | tr -s ' \n' ' ')" = "0 0 $(id -u nobody) 1 " ] ||
	fail "nobody should be uid 0 inside, mapped to $(id -u nobody)"
holds "uid 0 inside is nobody ($(id -u nobody)) outside"

step "A network namespace kept on a file, entered with nsenter" \
	"nsunshare --net=FILE --loopback true; nsenter --net=FILE ip -o link"
nsunshare --net="$tmp/net" --loopback true
out=$(nsenter --net="$tmp/net" ip -o link show)
echo "$out"
if [ "$(echo "$out" | wc -l)" != 1 ] || [[ "$out" != *"lo:"*"UP"* ]]; then
	fail "the kept namespace should have only lo, up"
fi
holds "the namespace outlived its program; only lo, and it is up"

step "Signals: the shell sees the program's own death" \
	"nsunshare -f sh -c 'kill -TERM \$\$'"
rc=0
nsunshare -f sh -c 'kill -TERM $$' || rc=$?
[ "$(kill -l "$rc")" = TERM ] || fail "status $rc, not death by TERM"
holds "nsunshare died of TERM too (status $rc)"

printf '\nAll demonstrations held.\n'

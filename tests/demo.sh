#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make demo: the classic namespace demonstrations, done with the nstools
# programs and each one checked.  Run as root.  Every step prints the
# command, its output, and what it proves; the first one that does not
# hold stops the demo with FAILED and a non-zero status.  Whatever the
# demo made (processes, the netns name, mounts, files) is removed on any
# exit.
set -euo pipefail

BIN=${NSTOOLS_BIN:?set NSTOOLS_BIN to the build directory}
PATH="$BIN:$PATH"
NAME=nstools-demo-$$-$RANDOM
tmp=
keeper=
current="starting"

cleanup() {
	trap - ERR
	if [ -n "$keeper" ]; then
		kill -KILL "$keeper" 2>/dev/null || true
		wait "$keeper" 2>/dev/null || true
	fi
	if [ -e "/run/netns/$NAME" ]; then
		netnslink -d "$NAME" >/dev/null 2>&1 ||
			ip netns delete "$NAME" 2>/dev/null || true
	fi
	if [ -n "$tmp" ]; then
		umount "$tmp/net" 2>/dev/null || true
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
	printf '\nFAILED (%s): %s\n' "$current" "$1" >&2
	exit 1
}
# A command that fails unexpectedly is a failed step too, said as loudly.
trap 'fail "command failed (line $LINENO): $BASH_COMMAND"' ERR

step() {
	current=$1
	printf '\n== %s\n' "$1"
}
show() { printf '$ %s\n' "$*"; }
holds() { printf 'ok: %s\n' "$1"; }

net_of() { stat -L -c %i "/proc/$1/ns/net"; }
user_of() { stat -L -c %i "/proc/$1/ns/user"; }

[ "$(id -u)" -eq 0 ] || fail "the demo needs root (sudo make demo)"
for tool in ps ip jq setpriv nsenter; do
	command -v "$tool" >/dev/null ||
		fail "$tool is missing: run make deps first"
done
tmp=$(mktemp -d /tmp/nstools-demo.XXXXXX)
# nobody runs copies of the programs from here.
chmod 755 "$tmp"
cp "$BIN/nsunshare" "$BIN/nsmap" "$tmp/"
chmod 755 "$tmp/nsunshare" "$tmp/nsmap"
as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
}

step "A program that is PID 1, with its own /proc"
show "nsunshare -pf --mount-proc ps -e -o pid,comm"
out=$(nsunshare -pf --mount-proc ps -e -o pid=,comm=)
echo "$out"
[ "$(echo "$out" | awk '{print $1}')" = 1 ] ||
	fail "ps should see only itself, as PID 1"
holds "ps is PID 1 and its /proc shows none of the host's processes"

step "A private host name"
show "nsunshare -u --hostname container hostname"
host=$(hostname)
out=$(nsunshare -u --hostname container hostname)
echo "$out"
[ "$out" = container ] || fail "the new UTS namespace should say container"
[ "$(hostname)" = "$host" ] || fail "the host name changed"
holds "inside: container; outside still: $host"

step "Root in a user namespace, as the unprivileged user nobody"
if [ "$(cat /proc/sys/kernel/apparmor_restrict_unprivileged_userns \
	2>/dev/null || echo 0)" = 1 ]; then
	fail "AppArmor restricts unprivileged user namespaces here" \
		"(sysctl kernel.apparmor_restrict_unprivileged_userns=0)"
fi
show "nsunshare -Ur sh -c 'id -u; cat /proc/self/uid_map'    # as nobody"
out=$(as_nobody "$tmp/nsunshare" -Ur sh -c 'id -u; cat /proc/self/uid_map')
echo "$out"
[ "$(echo "$out" | tr -s ' \n' ' ')" = "0 0 $(id -u nobody) 1 " ] ||
	fail "nobody should be uid 0 inside, mapped to $(id -u nobody)"
holds "uid 0 inside is nobody ($(id -u nobody)) outside"

# A namespace that stays for the rest of the demo: nobody's user namespace
# with a network namespace it owns.
# (setpriv, not the as_nobody function: a function in the background is a
# subshell, and $! would be that shell's PID, not the namespace's process.)
setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
	"$tmp/nsunshare" -Urn sleep 1000 </dev/null >/dev/null 2>&1 &
keeper=$!
for _ in $(seq 50); do
	kill -0 "$keeper" 2>/dev/null ||
		fail "nsunshare -Urn sleep 1000, run as nobody, exited"
	[ "$(user_of "$keeper")" != "$(user_of self)" ] && break
	sleep 0.1
done
show "nsunshare -Urn sleep 1000 &    # as nobody: PID $keeper"
show "nsmap --show $keeper    # as nobody"
as_nobody "$tmp/nsmap" --show "$keeper"
out=$(as_nobody "$tmp/nsmap" -r -n -o KIND,INSIDE,OUTSIDE,COUNT "$keeper")
[ "$out" = "uid 0 $(id -u nobody) 1
gid 0 $(id -g nobody) 1" ] || fail "nsmap should show 0 -> nobody: $out"
holds "nsmap reads back the map: one id, 0 inside is nobody outside"

step "A network namespace with a name, as ip netns add"
show "netnslink --new --loopback $NAME"
netnslink --new --loopback "$NAME"
show "ip netns list"
ip netns list
ip netns list | awk -v n="$NAME" '$1 == n { found = 1 } END { exit !found }' ||
	fail "ip netns list does not show $NAME"
ino=$(stat -L -c %i "/run/netns/$NAME")
[ "$ino" != "$(net_of self)" ] || fail "/run/netns/$NAME is our own netns"
holds "iproute2 sees the name; /run/netns/$NAME is namespace $ino"

step "The named namespace, entered with ip netns exec and with nsjoin"
show "ip netns exec $NAME readlink /proc/self/ns/net"
a=$(ip netns exec "$NAME" readlink /proc/self/ns/net)
echo "$a"
show "nsjoin -n$NAME readlink /proc/self/ns/net"
b=$(nsjoin -n"$NAME" readlink /proc/self/ns/net)
echo "$b"
if [ "$a" != "net:[$ino]" ] || [ "$b" != "net:[$ino]" ]; then
	fail "both should be in net:[$ino]"
fi
show "nsjoin -n$NAME ip -br link"
out=$(nsjoin -n"$NAME" ip -br link)
echo "$out"
if [ "$(echo "$out" | wc -l)" != 1 ] || [[ "$out" != lo*UP* ]]; then
	fail "the new namespace should have only lo, and --loopback put it up"
fi
holds "both run in net:[$ino], which has only lo, up"

step "A network namespace kept on a file, entered with util-linux nsenter"
show "nsunshare --net=FILE --loopback true; nsenter --net=FILE ip -br link"
nsunshare --net="$tmp/net" --loopback true
out=$(nsenter --net="$tmp/net" ip -br link)
echo "$out"
if [ "$(echo "$out" | wc -l)" != 1 ] || [[ "$out" != lo*UP* ]]; then
	fail "the kept namespace should have only lo, up"
fi
holds "the namespace outlived its program, and nsenter can enter it"

step "nsls: every namespace, and what keeps each alive"
knet=$(net_of "$keeper")
kuser=$(user_of "$keeper")
fnet=$(stat -L -c %i "$tmp/net")
show "nsls -t net -o NS,NPROCS,PID,USER,NAME,HOLDERS"
nsls -t net -o NS,NPROCS,PID,USER,NAME,HOLDERS 2>/dev/null
json=$(nsls -J -t net -o NS,NPROCS,PID,NAME,NSFS 2>/dev/null)
row() { jq -c --argjson ns "$1" '.namespaces[] | select(.ns == $ns)' \
	<<<"$json"; }
jq -e --arg n "$NAME" '.nprocs == 0 and (.name | index($n))' \
	<<<"$(row "$ino")" >/dev/null ||
	fail "nsls should show $ino named $NAME, with no process in it"
jq -e --argjson p "$keeper" '.nprocs == 1 and .pid == $p' \
	<<<"$(row "$knet")" >/dev/null ||
	fail "nsls should show $knet with only PID $keeper in it"
jq -e --arg f "$tmp/net" '.nprocs == 0 and .nsfs == $f' \
	<<<"$(row "$fnet")" >/dev/null ||
	fail "nsls should show $fnet kept by the mount on $tmp/net"
holds "the named one and the kept one have no process, a mount holds them"

show "nsls --tree=owner -o NS,TYPE,NPROCS,PID,USER,COMMAND"
nsls --tree=owner -o NS,TYPE,NPROCS,PID,USER,COMMAND 2>/dev/null
show "nsls --tree=owner -J | jq '.. | select(.ns? == $kuser) | .children[].ns'"
out=$(nsls --tree=owner -J 2>/dev/null |
	jq --argjson u "$kuser" '.. | objects | select(.ns == $u) |
		.children[]?.ns')
echo "$out"
grep -qx "$knet" <<<"$out" ||
	fail "nobody's user namespace $kuser should own net namespace $knet"
holds "nobody's user namespace $kuser owns the network namespace $knet"

step "Signals: the shell sees the program's own death"
show "nsunshare -f sh -c 'kill -TERM \$\$'"
rc=0
nsunshare -f sh -c 'kill -TERM $$' || rc=$?
[ "$(kill -l "$rc")" = TERM ] || fail "status $rc, not death by TERM"
holds "nsunshare died of TERM too (status $rc)"

step "Removing the name, as ip netns delete"
show "netnslink -d $NAME"
netnslink -d "$NAME"
[ ! -e "/run/netns/$NAME" ] || fail "/run/netns/$NAME is still there"
if ip netns list | awk -v n="$NAME" '$1 == n { f = 1 } END { exit !f }'; then
	fail "ip netns list still shows $NAME"
fi
holds "the name is gone, for ip netns too"

printf '\nAll demonstrations held.\n'

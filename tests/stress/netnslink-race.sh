#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Stress: concurrent runs on one name (issue 14, points 1 and 2).  In a
# private mount namespace with a tmpfs on /run, so /run/netns (and ip netns)
# start fresh every round and nothing reaches the machine.
#
# Phase 1, ROUNDS rounds on a fresh /run/netns: four `netnslink --new x`
# and one `ip netns add` at once.  Exactly one netnslink may succeed, the
# others must say "already exists", x and ip's name must be there as
# namespace mounts, and /run/netns must carry one self-bind, not a stack.
# Phase 2: four loops mixing netnslink --new/-d and ip netns add/delete on
# two shared names; afterwards no stacked self-bind and no name that is not
# a namespace.  Prints the figures; exits 1 if anything was wrong.
set -euo pipefail

ROUNDS=${STRESS_ROUNDS:-80}
LOOPS=${STRESS_LOOPS:-50}
[ -n "${NSTOOLS_BIN:-}" ] && PATH=$NSTOOLS_BIN:$PATH
if [ "$(id -u)" -ne 0 ]; then
	echo "stress netnslink-race: skipped (needs root)"
	exit 0
fi
if [ -z "${STRESS_INSIDE:-}" ]; then
	exec env STRESS_INSIDE=1 unshare -m --propagation private -- "$0" "$@"
fi
# the machine's own /run/netns mounts, hidden below the tmpfs, are not ours
while umount -l /run/netns 2>/dev/null; do :; done
mount -t tmpfs stress /run

fresh() {
	while umount -l /run/netns 2>/dev/null; do :; done
	rm -rf /run/netns /run/netns.lock /run/st
	mkdir /run/st
}

self_binds() {
	awk '$5 == "/run/netns"' /proc/self/mountinfo | wc -l
}

runs=0 wins=0 exists=0 other=0 lost=0 stacked=0 iplost=0 bad=0
start=$SECONDS
for r in $(seq 1 "$ROUNDS"); do
	fresh
	for i in 1 2 3 4; do
		{
			rc=0
			netnslink --new x 2>"/run/st/err$i" || rc=$?
			echo "$rc" >"/run/st/rc$i"
		} &
	done
	ip netns add "ip$r" 2>/dev/null &
	wait
	runs=$((runs + 4))
	ok=$(cat /run/st/rc[1-4] | grep -c '^0$' || true)
	wins=$((wins + ok))
	n=$(cat /run/st/err[1-4] | grep -c 'already exists (--force replaces it)$' || true)
	exists=$((exists + n))
	other=$((other + 4 - ok - n))
	[ "$ok" -eq 1 ] || bad=$((bad + 1))
	if [ "$ok" -ge 1 ] &&
		! netnslink -r -n -o name,kind | grep -q '^x bind$'; then
		lost=$((lost + 1))
	fi
	netnslink -r -n -o name,kind | grep -q "^ip$r bind$" ||
		iplost=$((iplost + 1))
	[ "$(self_binds)" -eq 1 ] || stacked=$((stacked + 1))
done
t1=$((SECONDS - start))
echo "stress netnslink-race: phase 1: $ROUNDS rounds, $runs netnslink runs" \
	"racing 4 at once with ip netns add, ${t1}s: $wins succeeded," \
	"$exists said exists, $other failed otherwise; rounds without" \
	"exactly one success $bad, names lost $lost, ip names lost $iplost," \
	"stacked self-binds $stacked"

fresh
start=$SECONDS
loop() {
	local i n
	for i in $(seq 1 "$LOOPS"); do
		n=$((RANDOM % 2 ? 1 : 2))
		case $(($1 % 2)) in
		0) netnslink --new "s$n" 2>/dev/null || true
			netnslink -d "s$n" 2>/dev/null || true ;;
		1) ip netns add "s$n" 2>/dev/null || true
			ip netns delete "s$n" 2>/dev/null || true ;;
		esac
	done
}
for l in 1 2 3 4; do loop "$l" & done
wait
t2=$((SECONDS - start))
binds=$(self_binds)
notns=$(netnslink -r -n -o kind | grep -vc '^bind$' || true)
mounts=$(awk '$5 ~ "^/run/netns/"' /proc/self/mountinfo | wc -l)
names=$(find /run/netns -mindepth 1 | wc -l)
echo "stress netnslink-race: phase 2: 4 loops x $LOOPS add+delete" \
	"(netnslink and ip netns on 2 names), ${t2}s: self-binds $binds," \
	"names $names, name mounts $mounts, names that are no namespace $notns"
[ "$bad" -eq 0 ] && [ "$lost" -eq 0 ] && [ "$iplost" -eq 0 ] &&
	[ "$stacked" -eq 0 ] && [ "$other" -eq 0 ] && [ "$binds" -le 1 ] &&
	[ "$notns" -eq 0 ]

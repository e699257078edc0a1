#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Stress: kill -9 at random moments (issue 14, point 3).  In a private
# mount namespace with a tmpfs on /run.  KILLS times each: `netnslink --new
# x` on a fresh /run/netns (the first set-up), `netnslink -d x`, and
# `nsunshare --net=/run/f true`, each killed after 0-4 ms.  What a kill may
# leave: nothing, the finished name, or an empty file under the name
# (netnslink(8)); `netnslink -d` (or --new -f) must remove that file.
# Anything else is counted as bad.  Prints the figures; exits 1 on bad.
set -euo pipefail

KILLS=${STRESS_KILLS:-60}
[ -n "${NSTOOLS_BIN:-}" ] && PATH=$NSTOOLS_BIN:$PATH
if [ "$(id -u)" -ne 0 ]; then
	echo "stress netnslink-kill: skipped (needs root)"
	exit 0
fi
if [ -z "${STRESS_INSIDE:-}" ]; then
	exec env STRESS_INSIDE=1 unshare -m --propagation private -- "$0" "$@"
fi
while umount -l /run/netns 2>/dev/null; do :; done
mount -t tmpfs stress /run

# killed CMD...: run CMD, kill -9 it after 0-4 ms; "running" if the kill
# came while it ran.
killed() {
	"$@" 2>/dev/null &
	local pid=$! us=$((RANDOM % 5))
	sleep "0.00$us"
	if kill -KILL "$pid" 2>/dev/null; then
		wait "$pid" 2>/dev/null || true
		echo running
	else
		wait "$pid" 2>/dev/null || true
		echo finished
	fi
}

# What is under NAME in DIR: none, bind, empty (an empty regular file) or
# other.
state() {
	local f=$1
	if [ ! -e "$f" ] && [ ! -L "$f" ]; then
		echo none
	elif [ "$(stat -f -c %T "$f")" = nsfs ]; then
		echo bind
	elif [ -f "$f" ] && [ ! -L "$f" ] && [ ! -s "$f" ]; then
		echo empty
	else
		echo other
	fi
}

declare -A count
bad=0 cleanfail=0 emptysetup=0
note() { count[$1]=$((${count[$1]:-0} + 1)); }
start=$SECONDS
for i in $(seq 1 "$KILLS"); do
	# --new on a fresh directory: the first set-up can be hit too
	while umount -l /run/netns 2>/dev/null; do :; done
	rm -rf /run/netns /run/netns.lock
	note "new-$(killed netnslink --new x)"
	s=$(state /run/netns/x)
	note "new-left-$s"
	[ "$s" = other ] && bad=$((bad + 1))
	if [ -d /run/netns ] && [ "$s" = none ]; then
		emptysetup=$((emptysetup + 1))
	fi
	if [ "$s" != none ]; then
		if ((i % 2)); then
			netnslink -d x || cleanfail=$((cleanfail + 1))
		else
			netnslink --new -f x && netnslink -d x ||
				cleanfail=$((cleanfail + 1))
		fi
	fi

	netnslink --new x
	note "delete-$(killed netnslink -d x)"
	s=$(state /run/netns/x)
	note "delete-left-$s"
	[ "$s" = other ] && bad=$((bad + 1))
	if [ "$s" != none ]; then
		netnslink -d x || cleanfail=$((cleanfail + 1))
	fi

	note "nsunshare-$(killed nsunshare --net=/run/f true)"
	s=$(state /run/f)
	note "nsunshare-left-$s"
	[ "$s" = other ] && bad=$((bad + 1))
	umount -l /run/f 2>/dev/null || true
	rm -f /run/f
done
t=$((SECONDS - start))
for op in new delete nsunshare; do
	echo "stress netnslink-kill: $op: $KILLS kills," \
		"${count[$op-running]:-0} while running;" \
		"left: nothing ${count[$op-left-none]:-0}," \
		"a namespace ${count[$op-left-bind]:-0}," \
		"an empty file ${count[$op-left-empty]:-0}," \
		"anything else ${count[$op-left-other]:-0}"
done
echo "stress netnslink-kill: ${t}s; directory set up with no name" \
	"(the harmless leftover) $emptysetup; leftovers netnslink could not" \
	"remove $cleanfail"
[ "$bad" -eq 0 ] && [ "$cleanfail" -eq 0 ]

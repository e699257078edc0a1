#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsmap against newuidmap: write a uid map into a fresh user namespace,
# alternating the two programs, and print the median wall-time ratio and
# syscall counts.  Needs root (newuidmap is asked for root's own range).
set -eu
bin=${NSTOOLS_BIN:?set NSTOOLS_BIN}
rounds=${ROUNDS:-40}
command -v newuidmap >/dev/null || { echo "nsmap bench: no newuidmap"; exit 0; }

target() {
	"$bin/nsunshare" -U sleep 100 &
	pid=$!
	while [ "$(stat -L -c %i /proc/$pid/ns/user)" = \
		"$(stat -L -c %i /proc/self/ns/user)" ]; do sleep 0.01; done
}

# time_one CMD...: nanoseconds CMD takes; the target is $pid.
time_one() {
	local t0 t1
	t0=$(date +%s%N)
	"$@" >/dev/null
	t1=$(date +%s%N)
	echo $((t1 - t0))
}

ours=() theirs=()
for _ in $(seq "$rounds"); do
	target
	ours+=("$(time_one "$bin/nsmap" -u 0:0:1 "$pid")")
	kill "$pid"; wait "$pid" 2>/dev/null || true
	target
	theirs+=("$(time_one newuidmap "$pid" 0 0 1)")
	kill "$pid"; wait "$pid" 2>/dev/null || true
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mo=$(median "${ours[@]}") mt=$(median "${theirs[@]}")
echo "nsmap -u vs newuidmap: median $((mo / 1000)) us vs $((mt / 1000)) us," \
	"ratio $(awk -v a="$mo" -v b="$mt" 'BEGIN {printf "%.2f", a / b}')"

count() {
	strace -c -f -o /tmp/nsmap-bench.$$ "$@" >/dev/null 2>&1 || true
	awk '$NF == "total" {print $4}' /tmp/nsmap-bench.$$
	rm -f /tmp/nsmap-bench.$$
}
target
a=$(count "$bin/nsmap" -u 0:0:1 "$pid")
kill "$pid"; wait "$pid" 2>/dev/null || true
target
b=$(count newuidmap "$pid" 0 0 1)
kill "$pid"; wait "$pid" 2>/dev/null || true
target
nsmap_show=$(count "$bin/nsmap" "$pid")
kill "$pid"; wait "$pid" 2>/dev/null || true
echo "syscalls: nsmap -u $a, newuidmap $b, nsmap --show $nsmap_show"

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# netnslink PID NAME + netnslink -d NAME against ip netns attach + delete,
# alternately in one run, in a private mount namespace with its own /run.
# Prints the median wall-time ratio (ours / ip) and strace -c -f syscall
# counts of one round each.
set -eu
: "${NSTOOLS_BIN:?set NSTOOLS_BIN to the build directory}"
ROUNDS=${ROUNDS:-200}
export NSTOOLS_BIN ROUNDS
[ "$(id -u)" -eq 0 ] || { echo "netnslink bench: needs root" >&2; exit 0; }

# shellcheck disable=SC2016 # expanded by the inner bash
exec unshare -m --propagation private -- bash -eu -c '
umount -l /run/netns 2>/dev/null || true
mount -t tmpfs tmpfs /run
B=$NSTOOLS_BIN/netnslink
unshare -n sleep 1000 & P=$!
trap "kill $P" EXIT
while [ "$(stat -L -c %i /proc/$P/ns/net)" = "$(stat -L -c %i /proc/self/ns/net)" ]; do
	sleep 0.05
done
$B $P warm && $B -d warm	# the self-bind of /run/netns, made once
ours() { $B $P n && $B -d n; }
theirs() { ip netns attach n $P && ip netns delete n; }
now() { date +%s%N; }
ratios=()
for ((i = 0; i < ROUNDS; i++)); do
	t0=$(now); ours; t1=$(now); theirs; t2=$(now)
	ratios+=("$(( (t1 - t0) * 10000 / (t2 - t1) ))")
	ours_ns+=("$((t1 - t0))"); ip_ns+=("$((t2 - t1))")
done
med() { printf "%s\n" "$@" | sort -n | awk "{a[NR]=\$1} END {print a[int((NR+1)/2)]}"; }
r=$(med "${ratios[@]}")
printf "netnslink: attach+delete, %d rounds: median %d us (ours) vs %d us (ip netns), ratio %d.%02d\n" \
	"$ROUNDS" "$(( $(med "${ours_ns[@]}") / 1000 ))" "$(( $(med "${ip_ns[@]}") / 1000 ))" \
	"$((r / 10000))" "$(((r % 10000) / 100))"
sc() { local o=$1; shift; strace -f -c -o "$o" "$@" >/dev/null; awk "/^100.00/ {print \$4}" "$o"; }
printf "syscalls: netnslink attach %s, delete %s; ip netns attach %s, delete %s\n" \
	"$(sc /run/s1 $B $P n)" "$(sc /run/s2 $B -d n)" \
	"$(sc /run/s3 ip netns attach n $P)" "$(sc /run/s4 ip netns delete n)"
'

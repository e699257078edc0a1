#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsls against lsns on >= 2000 processes in a few hundred namespaces:
# median wall-time and CPU-time ratios, syscalls per process, peak RSS.
set -eu

BIN=${NSTOOLS_BIN:-$(cd "$(dirname "$0")/../../build" && pwd)}
NSLS=$BIN/nsls
LSNS=${LSNS:-$(command -v lsns)}
HOLDERS=${HOLDERS:-250}		# processes that hold new namespaces
KIDS=${KIDS:-7}			# sleeping children of each
RUNS=${RUNS:-7}
PIDS=()

# The holders and their sleepers get fds 0-2 only, as from a terminal:
# nsls now reads every process's fds, and whatever the caller left open
# (a harness's pipes) would count against it.
for fd in /proc/"$$"/fd/*; do
	fd=${fd##*/}
	[ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-"
done

cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		# shellcheck disable=SC2046
		kill -KILL $(cat "/proc/$p/task/$p/children" 2>/dev/null) \
			"$p" 2>/dev/null || true
	done
}
trap cleanup EXIT

# A mix of all eight types: every holder a new uts+ipc+net, every other a
# mnt, every third a pid, every fourth a user (mapping root), every fifth a
# cgroup, every sixth a time namespace (its children's: the sleepers');
# KIDS sleepers inherit them.
for i in $(seq 1 "$HOLDERS"); do
	flags="-u -i -n"
	((i % 2)) && flags="$flags -m"
	((i % 3)) || flags="$flags -f -p"
	((i % 4)) || flags="$flags -U -r"
	((i % 5)) || flags="$flags -C"
	((i % 6)) || flags="$flags -T"
	# nsunshare: util-linux 2.38's unshare -f prints a sigprocmask error
	# when the cleanup kills it
	# shellcheck disable=SC2086
	"$BIN/nsunshare" $flags sh -c "for k in \$(seq $KIDS); do sleep 600 & done; wait" &
	PIDS+=($!)
	disown $!
done
sleep 2
nprocs=$(find /proc -maxdepth 1 -name '[0-9]*' 2>/dev/null | wc -l)
echo "nsls bench: $nprocs processes, $("$NSLS" -rn -o NS 2>/dev/null | wc -l) namespaces"
# lsns reads every process's fds and sockets from util-linux 2.40 on; an
# older one does less work than nsls, and the ratio says less than it seems.
lsns_version=$("$LSNS" --version | sed -n '1s/.*util-linux \([0-9.]*[0-9]\).*/\1/p')
echo "lsns: $LSNS, util-linux ${lsns_version:-unknown}"
IFS=. read -r major minor _ <<<"${lsns_version:-0.0}"
if [ "$major" -lt 2 ] || { [ "$major" -eq 2 ] && [ "$minor" -lt 40 ]; }; then
	echo "NOTE: this lsns is older than 2.40 and reads no fds or sockets:" \
		"the ratios below are not like for like (LSNS=/path/to/lsns)"
fi

# Microseconds of wall time; EPOCHREALTIME costs no process of its own,
# which date(1) in $(...) would add to both sides.
timeit() {
	local t0 t1
	t0=${EPOCHREALTIME/./}
	"$@" >/dev/null 2>&1
	t1=${EPOCHREALTIME/./}
	echo $((t1 - t0))
}

# "WALL_US CPU_MS PEAK_RSS_KIB": CPU time (user + system) and peak RSS
# from GNU time, whose child is small enough not to set the peak itself
# (a fork of python3 would: its pages count for the program it execs).
# On a machine others share, CPU time moves less with their load than
# wall time.  Without GNU time, "-" for both.
GNU_TIME=$(command -v /usr/bin/time || true)
measure() {
	local tf t0 t1 u sy rss
	[ -n "$GNU_TIME" ] || { echo "$(timeit "$@") - -"; return; }
	tf=$(mktemp)
	t0=${EPOCHREALTIME/./}
	"$GNU_TIME" -f '%U %S %M' -o "$tf" "$@" >/dev/null 2>&1 || true
	t1=${EPOCHREALTIME/./}
	read -r u sy rss <"$tf"
	rm -f "$tf"
	echo "$((t1 - t0)) $(echo "($u + $sy) * 1000 / 1" | bc) $rss"
}

# Every system call, one line each: strace -c leaves out the ones it has
# no name for (statmount, listmount in strace 6.1).
syscalls() {
	local log
	log=$(mktemp)
	strace -f -qq -o "$log" "$@" >/dev/null 2>&1
	grep -cv -e '^[0-9 ]*+++' -e '^[0-9 ]*---' -e 'resumed>' "$log"
	rm -f "$log"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# The default listing (the process tree), the full list, one type; nsls
# reads every process's fds and sockets in each (as lsns 2.40+ does by
# default; the lsns installed may not).
cols=NS,TYPE,NPROCS,PID,USER,COMMAND
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for args in "-o $cols" "-l -o $cols" "-l -t net -o $cols"; do
	mine=() theirs=()
	for _ in $(seq "$RUNS"); do
		# shellcheck disable=SC2086
		mine+=("$(measure "$NSLS" $args)")
		# shellcheck disable=SC2086
		theirs+=("$(measure "$LSNS" $args)")
	done
	m=$(printf '%s\n' "${mine[@]}" | cut -d' ' -f1 | median)
	t=$(printf '%s\n' "${theirs[@]}" | cut -d' ' -f1 | median)
	mc=$(printf '%s\n' "${mine[@]}" | cut -d' ' -f2 | median)
	tc=$(printf '%s\n' "${theirs[@]}" | cut -d' ' -f2 | median)
	mr=$(printf '%s\n' "${mine[@]}" | cut -d' ' -f3 | median)
	trss=$(printf '%s\n' "${theirs[@]}" | cut -d' ' -f3 | median)
	# shellcheck disable=SC2086
	sm=$(syscalls "$NSLS" $args)
	# shellcheck disable=SC2086
	st=$(syscalls "$LSNS" $args)
	label=${args%-o *}
	label=${label% }
	printf '%-10s wall nsls %6d us  lsns %7d us  ratio %4.1fx\n' \
		"${label:-default}" "$m" "$t" "$(echo "$t / $m" | bc -l)"
	[ "$mc" = - ] || [ "$mc" -eq 0 ] ||
		printf '%-10s cpu  nsls %6d ms  lsns %7d ms  ratio %4.1fx\n' \
			"" "$mc" "$tc" "$(echo "$tc / $mc" | bc -l)"
	printf '%-10s syscalls/process nsls %.2f lsns %.2f' "" \
		"$(echo "$sm / $nprocs" | bc -l)" "$(echo "$st / $nprocs" | bc -l)"
	printf '   peak RSS (KiB) nsls %s lsns %s\n' "$mr" "$trss"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "nsls -P (fd and socket scan): $(timeit "$NSLS" -P -l) us"

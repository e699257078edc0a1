#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsjoin against nsenter and a minimal setns+exec program, alternately in
# one run: median wall-time ratios and strace -c -f syscall counts.
set -eu
bin=${NSTOOLS_BIN:?set NSTOOLS_BIN to the build directory}
rounds=${ROUNDS:-200}
tmp=$(mktemp -d)
target=
kid=
# The sleep is PID 1 of its namespace: killing unshare alone leaves it.
cleanup() {
	[ -n "$kid" ] && kill -KILL "$kid" 2>/dev/null
	[ -n "$target" ] && kill -KILL "$target" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# The floor: open /proc/PID/ns files, setns each, and exec; after joining
# a PID namespace fork first and wait, as nsjoin and nsenter must for the
# program to be in it, unless "-F" ends the types instead of "--".
# minjoin PID TYPE... --|-F PROGRAM...
cat >"$tmp/minjoin.c" <<'C'
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	char p[64];
	int i, n = 0, fd[16], pidns = 0, status;
	pid_t child;
	/* all opened first: a joined mount namespace has another /proc */
	for (i = 2; i < argc && argv[i][0] != '-' && n < 16; i++) {
		snprintf(p, sizeof(p), "/proc/%s/ns/%s", argv[1], argv[i]);
		fd[n] = open(p, O_RDONLY | O_CLOEXEC);
		if (fd[n++] < 0)
			return 125;
		pidns |= strcmp(argv[i], "pid") == 0;
	}
	for (int k = 0; k < n; k++)
		if (setns(fd[k], 0) != 0)
			return 125;
	if (pidns && strcmp(argv[i], "-F") != 0) {
		child = fork();
		if (child < 0)
			return 125;
		if (child > 0) {
			if (waitpid(child, &status, 0) != child)
				return 125;
			return WIFEXITED(status) ? WEXITSTATUS(status) : 125;
		}
	}
	execvp(argv[i + 1], argv + i + 1);
	return 127;
}
C
cc -O2 -o "$tmp/minjoin" "$tmp/minjoin.c"

unshare -fmuinpC --mount-proc sleep 100000 &
target=$!
disown "$target"	# no "Killed" notice when cleanup kills it
for _ in $(seq 100); do
	kid=$(cat "/proc/$target/task/$target/children" 2>/dev/null || true)
	[ -n "$kid" ] && break
	sleep 0.05
done
kid=${kid%% *}

# now_ns CMD...: wall time of one run in nanoseconds.
now_ns() {
	local t0 t1
	t0=$(date +%s%N)
	"$@" >/dev/null
	t1=$(date +%s%N)
	echo $((t1 - t0))
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# bench LABEL OPTS MINJOIN-ARGS...: nsjoin and nsenter with OPTS, and
# minjoin, alternately.
bench() {
	local label=$1 opts=$2
	shift 2
	: >"$tmp/a"; : >"$tmp/b"; : >"$tmp/c"
	for _ in $(seq "$rounds"); do
		# shellcheck disable=SC2086
		now_ns "$bin/nsjoin" -t "$kid" $opts true >>"$tmp/a"
		# shellcheck disable=SC2086
		now_ns nsenter -t "$kid" $opts true >>"$tmp/b"
		now_ns "$tmp/minjoin" "$kid" "$@" true >>"$tmp/c"
	done
	a=$(median <"$tmp/a"); b=$(median <"$tmp/b"); c=$(median <"$tmp/c")
	printf '%-5s median us: nsjoin %d  nsenter %d  minimal %d   ' \
		"$label" $((a / 1000)) $((b / 1000)) $((c / 1000))
	awk -v a="$a" -v b="$b" -v c="$c" 'BEGIN {
		printf "nsjoin/nsenter %.2f  nsjoin/minimal %.2f\n", a / b, a / c }'
	# shellcheck disable=SC2086
	printf '      syscalls: nsjoin %s  nsenter %s  minimal %s\n' \
		"$(strace -c -f -o "$tmp/s" "$bin/nsjoin" -t "$kid" $opts true &&
			awk '$NF == "total" { print $4 }' "$tmp/s")" \
		"$(strace -c -f -o "$tmp/s" nsenter -t "$kid" $opts true &&
			awk '$NF == "total" { print $4 }' "$tmp/s")" \
		"$(strace -c -f -o "$tmp/s" "$tmp/minjoin" "$kid" "$@" true &&
			awk '$NF == "total" { print $4 }' "$tmp/s")"
}

echo "nsjoin benchmark: $rounds rounds each, alternating"
bench "-n" "-n" net --
# the target's user namespace is ours: -a joins the other six
bench "-a" "-a" mnt uts ipc net pid cgroup --
bench "-a -F" "-a -F" mnt uts ipc net pid cgroup -F

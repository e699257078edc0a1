#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nsunshare against util-linux unshare and a minimal unshare(2)+exec
# program, run alternately in one loop: median wall-time ratios and
# strace -c -f syscall counts.  Needs root.
set -euo pipefail

BIN=${NSTOOLS_BIN:?set NSTOOLS_BIN to the build directory}
N=${BENCH_RUNS:-200}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The floor: unshare(2) with the flags, fork if asked, exec.  -Ur writes
# the two maps as nsunshare does.
cat >"$tmp/min.c" <<'C'
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>
static void put(const char *f, const char *s)
{
	int fd = open(f, O_WRONLY);
	if (fd < 0 || write(fd, s, strlen(s)) < 0) exit(125);
	close(fd);
}
int main(int argc, char **argv)
{
	char m[64];
	uid_t u = geteuid(); gid_t g = getegid();
	int st, flags = strcmp(argv[1], "user") == 0 ?
		CLONE_NEWUSER | CLONE_NEWNET : CLONE_NEWPID | CLONE_NEWNS;
	(void)argc;
	if (unshare(flags)) return 125;
	if (flags & CLONE_NEWUSER) {
		put("/proc/self/setgroups", "deny");
		snprintf(m, sizeof m, "0 %u 1", u); put("/proc/self/uid_map", m);
		snprintf(m, sizeof m, "0 %u 1", g); put("/proc/self/gid_map", m);
		execvp(argv[2], argv + 2);
		return 127;
	}
	pid_t p = fork();
	if (p == 0) {
		mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL);
		mount("proc", "/proc", "proc", MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL);
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	waitpid(p, &st, 0);
	return WEXITSTATUS(st);
}
C
cc -O2 -o "$tmp/min" "$tmp/min.c"

now() { date +%s%N; }
time_one() {
	local t0 t1
	t0=$(now)
	"$@" >/dev/null
	t1=$(now)
	echo $((t1 - t0))
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

bench() {
	local label=$1 minmode=$2
	shift 2
	local i
	: >"$tmp/ours" ; : >"$tmp/peer"; : >"$tmp/min.t"
	for ((i = 0; i < N; i++)); do
		time_one "$BIN/nsunshare" "$@" true >>"$tmp/ours"
		time_one unshare "$@" true >>"$tmp/peer"
		time_one "$tmp/min" "$minmode" true >>"$tmp/min.t"
	done
	local o p m
	o=$(median <"$tmp/ours"); p=$(median <"$tmp/peer"); m=$(median <"$tmp/min.t")
	printf '%-24s nsunshare %6d us  unshare %6d us  minimal %6d us  ratio/unshare %.2f  ratio/minimal %.2f\n' \
		"$label" $((o / 1000)) $((p / 1000)) $((m / 1000)) \
		"$(echo "$o / $p" | bc -l)" "$(echo "$o / $m" | bc -l)"
	for prog in "$BIN/nsunshare" unshare; do
		printf '  syscalls %-10s ' "${prog##*/}:"
		strace -f -c -o "$tmp/strace" "$prog" "$@" true
		awk '$NF == "total" {
			printf "%d calls, %d errors\n", $4, NF == 6 ? $5 : 0 }' \
			"$tmp/strace"
	done
}

echo "nsunshare benchmark: $N alternating runs each, median wall time"
bench "-Urn true" user -Urn
bench "-pf --mount-proc true" pid -pf --mount-proc

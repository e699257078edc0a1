#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Drop-in: what util-linux's own tests (tests/ts/lsns, nsenter, unshare of
# its master branch, run through its harness with nsls, nsjoin and
# nsunshare in place; tests/tools/ul-ts) showed scripts written for lsns,
# nsenter and unshare rely on.  Compared with the installed util-linux
# where it has the feature, else with the behaviour master documents.

bats_require_minimum_version 1.5.0
load helper

teardown() {
	kill_spawned
}

teardown_file() {
	cleanup_nobody_bin
}

# In a new pid namespace with its own /proc, a root sleep (PID 2 there)
# and PROG... run as nobody, who cannot read the namespaces of PIDs 1 and
# 2: prints what PROG wrote to standard error, and its status.
unreadable_run() {
	nobody_bin >/dev/null
	unshare -p -f --mount-proc sh -c 'sleep 1000 & shift;
		setpriv --reuid=nobody --regid=nogroup --clear-groups "$@" \
			2>&1 >/dev/null; echo "status $?"' sh - "$@"
}

@test "processes it cannot read: nothing on standard error unless a terminal, as lsns" {
	require_root
	require_userns
	nobody_bin >/dev/null
	run -0 unreadable_run lsns -n -o NS
	assert_output "status 0"
	run -0 unreadable_run "$NOBODY_BIN/nsls" -n -o NS
	assert_output "status 0"
	run -0 unreadable_run "$NOBODY_BIN/nsls" -t net
	assert_output "status 0"
}

in_our_ns() {
	[ "$(ns_inode "$1" "$2")" = "$(ns_inode $$ "$2")" ]
}

# A net namespace no process is in, kept by a UDP socket (fd 7) of a
# sleep back in ours: sets SOCKNET (its inode) and SOCKPID.
hold_net_by_socket() {
	# shellcheck disable=SC2016 # $$ and $1 are the inner bash's
	spawn nsunshare -n bash -c '
		stat -L -c %i /proc/$$/ns/net >"$1.tmp" && mv "$1.tmp" "$1"
		ip link set lo up
		exec 7<>/dev/udp/127.0.0.1/9 || exit 1
		exec nsenter --net=/dev/fd/8 sleep 1000' _ "$BATS_TEST_TMPDIR/ino" \
		8</proc/self/ns/net
	SOCKPID=$SPAWNED_PID
	wait_until test -s "$BATS_TEST_TMPDIR/ino"
	wait_until in_our_ns "$SOCKPID" net
	SOCKNET=$(cat "$BATS_TEST_TMPDIR/ino")
}

@test "a net namespace held only by a socket: USER root, UID 0 and ONS, as lsns master" {
	require_root
	hold_net_by_socket
	run -0 --separate-stderr nsls -rn -o NS,TYPE,NPROCS,PID,USER,UID,ONS
	assert_line "$SOCKNET net 0  root 0 $(ns_inode $$ user)"
	run -0 --separate-stderr nsls -rn -t net -o NS,USER
	assert_line "$SOCKNET root"
	run -0 --separate-stderr nsls -J -o NS,USER,UID
	run -0 jq -e ".namespaces[] | select(.ns == $SOCKNET) |
		.user == \"root\" and .uid == 0" <<<"$output"
}

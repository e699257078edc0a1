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

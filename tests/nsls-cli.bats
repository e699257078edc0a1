#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# nsls's command line as a user meets it: -Q/--filter (libsmartcols' own
# filter expressions, 2.40 and newer) and the messages that say what to
# type instead.

# run --separate-stderr sets $stderr.
# shellcheck disable=SC2154
bats_require_minimum_version 1.5.0
load helper

teardown() {
	kill_spawned
}

# The libsmartcols nsls is built against: the Makefile asks pkg-config
# the same question (PKG_CONFIG_PATH included).
scols_version() {
	pkg-config --modversion smartcols
}

scols_has_filter() {
	pkg-config --atleast-version=2.40 smartcols
}

# A new net namespace (in a new user namespace, so also as non-root) with
# one sleeping process: NET_INO and NET_PID.
start_netns() {
	unshare -Urn true 2>/dev/null ||
		skip "no new user and net namespace here"
	spawn unshare -Urn sleep 1000
	NET_PID=$SPAWNED_PID
	wait_until ns_differs "$NET_PID" net
	NET_INO=$(ns_inode "$NET_PID" net)
}

@test "-Q with libsmartcols before 2.40: one line naming the version needed, status 2" {
	if scols_has_filter; then
		skip "libsmartcols $(scols_version) has the filter API"
	fi
	local want
	want="nsls: -Q/--filter needs libsmartcols 2.40 or newer; this nsls was built with $(scols_version)"
	run -2 --separate-stderr nsls -Q 'TYPE == "net"'
	assert_output ""
	assert_equal "$stderr" "$want"
	run -2 --separate-stderr nsls --filter='NPROCS > 1' -J
	assert_output ""
	assert_equal "$stderr" "$want"
}

@test "-Q EXPR: only the rows EXPR holds for, also on a column not shown" {
	if ! scols_has_filter; then
		skip "libsmartcols $(scols_version) is older than 2.40: no filter API"
	fi
	start_netns
	run -0 --separate-stderr nsls -rn -o NS,TYPE -Q "NS == $NET_INO"
	assert_output "$NET_INO net"
	# PID is not shown: read for the filter, hidden in table and JSON
	run -0 --separate-stderr nsls -J -o NS -t net -Q "PID == $NET_PID"
	run jq -c . <<<"$output"
	assert_output "{\"namespaces\":[{\"ns\":$NET_INO}]}"
	# numbers compare as numbers, strings as strings; two -Q both hold
	run -0 --separate-stderr nsls -J -Q 'TYPE == "net"' -Q 'NPROCS >= 1'
	run jq -r '[.. | objects | select(has("type")) | .type] | unique | join(",")' <<<"$output"
	assert_output "net"
	run -0 --separate-stderr nsls -rn -o NS -Q "NS > $NET_INO && NS < $NET_INO"
	assert_output ""
}

@test "-Q: the row of a process whose parent's row is filtered out is at the top" {
	if ! scols_has_filter; then
		skip "libsmartcols $(scols_version) is older than 2.40: no filter API"
	fi
	start_netns
	run -0 --separate-stderr nsls -J -Q "NS == $NET_INO"
	run jq -c '[.namespaces[] | .ns]' <<<"$output"
	assert_output "[$NET_INO]"
}

@test "-Q: a bad expression or an unknown column is a usage error, status 2" {
	if ! scols_has_filter; then
		skip "libsmartcols $(scols_version) is older than 2.40: no filter API"
	fi
	run -2 --separate-stderr nsls -Q 'NS =='
	assert_output ""
	assert_regex "${stderr_lines[0]}" "^nsls: invalid filter 'NS ==': .+"
	assert_equal "${stderr_lines[1]}" "Try 'nsls --help' for more information."
	run -2 --separate-stderr nsls -Q 'FOO == 1'
	assert_output ""
	assert_equal "${stderr_lines[0]}" "nsls: invalid filter: unknown column 'FOO'"
}

@test "nsls -T owner: the namespace is not 'owner', did you mean --tree=owner?" {
	local rel
	for rel in owner parent process; do
		run -2 --separate-stderr nsls -T "$rel"
		assert_output ""
		assert_equal "$stderr" "nsls: invalid namespace: '$rel'; did you mean --tree=$rel?
Try 'nsls --help' for more information."
	done
}

@test "nsls net: a type where a namespace should be, did you mean -t net?" {
	run -2 --separate-stderr nsls net
	assert_output ""
	assert_equal "$stderr" "nsls: invalid namespace: 'net'; did you mean -t net?
Try 'nsls --help' for more information."
	run -2 --separate-stderr nsls mount
	assert_equal "${stderr_lines[0]}" "nsls: invalid namespace: 'mount'; did you mean -t mnt?"
	run -2 --separate-stderr nsls 4026531840x
	assert_equal "${stderr_lines[0]}" "nsls: invalid namespace: '4026531840x'"
}

@test "nsls -t network: the message lists the types this kernel has" {
	local t types=
	for t in mnt uts ipc net pid user cgroup time; do
		[ ! -e "/proc/self/ns/$t" ] || types+=" $t"
	done
	run -2 --separate-stderr nsls -t network
	assert_output ""
	assert_equal "$stderr" "nsls: unknown namespace type: 'network' (one of:$types)
Try 'nsls --help' for more information."
}

@test "nsls -T=owner: the tree by owner, as lsns takes it" {
	local rel
	for rel in owner parent process; do
		run -0 --separate-stderr nsls -T="$rel" -t user -o NS,TYPE
		assert_line --regexp '^ *[0-9]+ +user$'
		run -0 --separate-stderr lsns -T="$rel" -t user -o NS,TYPE
	done
	run -2 --separate-stderr nsls -T=sideways
	assert_equal "${stderr_lines[0]}" "nsls: unknown tree: 'sideways' (process, owner or parent)"
}

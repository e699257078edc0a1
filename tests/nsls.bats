#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# nsls: listings of real namespaces, compared with util-linux lsns.

bats_require_minimum_version 1.5.0
load helper

setup() {
	MADE_FILES=()
	MADE_NETNS=()
}

teardown() {
	local f n
	kill_spawned
	for f in "${MADE_FILES[@]}"; do
		umount "$f" 2>/dev/null || true
		rm -f "$f"
	done
	for n in "${MADE_NETNS[@]}"; do
		ip netns del "$n" 2>/dev/null || true
	done
}

teardown_file() {
	cleanup_nobody_bin
}

# A process in new namespaces of every type (a user namespace mapping our
# root); sets HOLDER (the unshare process) and MEMBER (its child, PID 1 of
# the new pid ns, and the one in the new time ns: both are for children).
start_holder() {
	spawn nsunshare -f -U -r -C -T -m -u -i -n -p sleep 1000
	HOLDER=$SPAWNED_PID
	MEMBER=$(first_child "$HOLDER")
	wait_until in_new_ns "$MEMBER" pid
	wait_until in_new_ns "$MEMBER" time
}

# A process in new user (no id map), cgroup and time namespaces only; sets
# UHOLDER and UMEMBER (its child, in the new time ns).
start_user_holder() {
	spawn nsunshare -f -U -C -T sleep 1000
	UHOLDER=$SPAWNED_PID
	UMEMBER=$(first_child "$UHOLDER")
	wait_until in_new_ns "$UMEMBER" time
}

# Rows of a listing for the namespaces of process $1 only: other suites
# run at the same time, so nothing else is stable enough to compare.
rows_for() {
	local pid=$1 t ino inos='' out
	shift
	for t in mnt uts ipc net pid user cgroup time; do
		ino=$(ns_inode "$pid" "$t")
		# Our own namespaces change with every other suite's process.
		[ "$ino" != "$(ns_inode $$ "$t")" ] || continue
		inos="$inos $ino"
	done
	out=$("$@" 2>/dev/null) || return
	awk -v l="$inos" '
		BEGIN { n = split(l, a, " "); for (i = 1; i <= n; i++) w[a[i]] }
		$1 in w' <<<"$out" | sort -u
}

# lsns_retry ARGS...: lsns, run again when it fails.  lsns 2.38 gives up
# on the whole listing (no output, no message, status 1) when a process it
# is reading exits at the wrong moment: a few runs in a hundred while other
# suites start and end processes.
lsns_retry() {
	local _ out
	for _ in 1 2 3 4 5; do
		if out=$(lsns "$@"); then
			printf '%s\n' "$out"
			return 0
		fi
	done
	return 1
}

# same_rows_as_lsns PID ARGS...: `nsls -rn ARGS -o NS,TYPE,NPROCS,PID` and
# the same lsns command agree on PID's namespaces; the rows in $output.
same_rows_as_lsns() {
	local pid=$1 mine
	shift
	echo "# rows of PID $pid's namespaces in: -rn $* -o NS,TYPE,NPROCS,PID"
	run -0 rows_for "$pid" nsls -rn "$@" -o NS,TYPE,NPROCS,PID
	mine=$output
	run -0 rows_for "$pid" lsns_retry -rn "$@" -o NS,TYPE,NPROCS,PID
	assert_equal "$mine" "$output"
}

# in_new_ns PID TYPE: is PID's TYPE namespace no longer ours?  (A function,
# so that wait_until re-reads it each time.)
in_new_ns() {
	[ "$(ns_inode "$1" "$2")" != "$(ns_inode $$ "$2")" ]
}

# new_file: an empty file for a bind mount in $FILE, removed in teardown
# (not called as $(new_file): the record must outlive a subshell).
new_file() {
	FILE=$(mktemp "/tmp/nsls-test.XXXXXX")
	MADE_FILES+=("$FILE")
}

# drop_copies PATH: filter raw nsls output, removing from each comma list
# the holders "mount:/proc/N/rootPATH" and "mount:mnt:[N]PATH": copies of
# our bind mount of PATH that another suite's new mount namespace (unshare
# -m copies every mount; one being made or torn down has no process yet)
# took while the test ran, and the count of them after ours, "(+N
# copies)".  Anything else, ours included, stays.
drop_copies() {
	awk -v p="$1" '{
		for (i = 1; i <= NF; i++) {
			n = split($i, e, ","); out = ""
			for (j = 1; j <= n; j++) {
				if (e[j] ~ /^mount:\/proc\/[0-9]+\/root\// &&
				    substr(e[j], index(e[j], "/root") + 5) == p)
					continue
				if (e[j] ~ /^mount:mnt:\[[0-9]+\]\// &&
				    substr(e[j], index(e[j], "]") + 1) == p)
					continue
				# ours, counting such copies (nsls-held.bats)
				sub(/(\\x20| )\(\+[0-9]+(\\x20| )cop(y|ies)\)$/, "", e[j])
				out = out (out == "" ? "" : ",") e[j]
			}
			$i = out
		}
		print
	}'
}

# churn DIR: start new namespaces and kill them at once, over and over,
# until DIR/churn is gone: processes exit (and linger as zombies) while
# nsls reads /proc.  No new mount namespaces: each would copy the bind
# mounts other suites are testing at the time.
churn() {
	local kids _
	exec 2>/dev/null	# no "Killed" notices in the test's output
	while [ -e "$1/churn" ]; do
		kids=()
		for _ in 1 2 3 4 5 6 7 8; do
			nsunshare -n -u -i sleep 10 &
			kids+=($!)
		done
		sleep "0.0$((RANDOM % 3))"
		kill -KILL "${kids[@]}" 2>/dev/null
		wait
	done
}

# Standard output of nsls run in a pseudo-terminal COLS wide (libsmartcols
# truncates only for a terminal), carriage returns removed.
nsls_on_tty() {
	local cols=$1
	shift
	script -qec "stty cols $cols; $(printf '%q ' "$NSTOOLS_BIN/nsls" "$@") \
		2>/dev/null" /dev/null </dev/null | tr -d '\r'
}

@test "default listing: lsns's columns, the init namespaces, exit 0" {
	run --separate-stderr nsls
	assert_success
	assert_line --index 0 --regexp '^ +NS TYPE +NPROCS +PID USER +COMMAND$'
	assert_line --regexp "^ *$(ns_inode $$ net) net +[0-9]+ +[0-9]+ "
}

@test "same NS, TYPE, NPROCS, PID as lsns for new namespaces of every type, list and tree" {
	start_holder
	start_user_holder
	for mode in -l ""; do
		# shellcheck disable=SC2086 # $mode is an option or nothing
		same_rows_as_lsns "$MEMBER" $mode
		assert_equal "${#lines[@]}" 8
		# Six made by HOLDER, with MEMBER in them too; pid and time
		# are its children's, so MEMBER's alone.
		for t in mnt uts ipc net user cgroup; do
			assert_line "$(ns_inode "$MEMBER" "$t") $t 2 $HOLDER"
		done
		assert_line "$(ns_inode "$MEMBER" pid) pid 1 $MEMBER"
		assert_line "$(ns_inode "$MEMBER" time) time 1 $MEMBER"
		# shellcheck disable=SC2086
		same_rows_as_lsns "$UMEMBER" $mode
		assert_equal "${#lines[@]}" 3
		assert_line "$(ns_inode "$UMEMBER" user) user 2 $UHOLDER"
		assert_line "$(ns_inode "$UMEMBER" cgroup) cgroup 2 $UHOLDER"
		assert_line "$(ns_inode "$UMEMBER" time) time 1 $UMEMBER"
	done
}

@test "-t TYPE for each of the 8 types, and -p PID: the same rows as lsns" {
	start_holder
	start_user_holder
	for t in mnt uts ipc net pid user cgroup time; do
		for mode in -l ""; do
			# shellcheck disable=SC2086 # $mode is an option or nothing
			same_rows_as_lsns "$MEMBER" $mode -t "$t"
			assert_output --regexp "^$(ns_inode "$MEMBER" "$t") $t [12] [0-9]+$"
			# shellcheck disable=SC2086
			same_rows_as_lsns "$UMEMBER" $mode -t "$t"
			case $t in
			user | cgroup | time)
				assert_output --regexp "^$(ns_inode "$UMEMBER" "$t") $t [12] [0-9]+$" ;;
			*) assert_output "" ;;
			esac
		done
	done
	for mode in -l ""; do
		# shellcheck disable=SC2086 # $mode is an option or nothing
		same_rows_as_lsns "$MEMBER" $mode -p "$MEMBER"
		assert_equal "${#lines[@]}" 8
		# HOLDER is still in our pid and time namespaces.
		# shellcheck disable=SC2086
		same_rows_as_lsns "$MEMBER" $mode -p "$HOLDER"
		assert_equal "${#lines[@]}" 6
		# shellcheck disable=SC2086
		same_rows_as_lsns "$UMEMBER" $mode -p "$UMEMBER"
		assert_equal "${#lines[@]}" 3
		# shellcheck disable=SC2086
		same_rows_as_lsns "$UMEMBER" $mode -p "$UHOLDER"
		assert_equal "${#lines[@]}" 2
		# shellcheck disable=SC2086
		same_rows_as_lsns "$MEMBER" $mode -p "$MEMBER" -t time -t user
		assert_equal "${#lines[@]}" 2
	done
	run -0 --separate-stderr nsls -rn -l -p "$MEMBER" -o TYPE
	assert_equal "$(sort <<<"$output" | tr '\n' ' ')" "cgroup ipc mnt net pid time user uts "
}

@test "-J: parses with jq, same keys and number types as lsns -J" {
	start_holder
	cols=NS,TYPE,PATH,NPROCS,PID,PPID,COMMAND,UID,USER,NSFS,PNS,ONS
	run -0 --separate-stderr nsls -J -l -o "$cols" -t pid
	mine=$(jq -c '[.namespaces[0] | to_entries[] | [.key, (.value|type)]]' <<<"$output")
	run -0 --separate-stderr lsns_retry -J -l -o "$cols" -t pid
	theirs=$(jq -c '[.namespaces[0] | to_entries[] | [.key, (.value|type)]]' <<<"$output")
	assert_equal "$mine" "$theirs"
	run -0 --separate-stderr nsls -J -l -t pid
	run -0 jq -e ".namespaces[] | select(.ns == $(ns_inode "$MEMBER" pid)) | .pid == $MEMBER" <<<"$output"
}

@test "a net namespace held only by a bind mount: NPROCS 0, HOLDERS mount:PATH, -P" {
	require_root
	new_file
	f=$FILE
	run -0 nsunshare --net="$f" true
	ino=$(stat -L -c %i "$f")
	run -0 --separate-stderr nsls -rn -l -P -t net -o NS,TYPE,NPROCS,HOLDERS,NSFS
	run -0 drop_copies "$f" <<<"$output"
	assert_line "$ino net 0 mount:$f $f"
	# lsns cannot see it at all.
	run -0 lsns_retry -rn -l -t net -o NS
	refute_line "$ino"
}

# has_nsfs_mount PID PATH: has PID's mount namespace a namespace on PATH?
has_nsfs_mount() {
	awk -v p="$2" '$5 == p && / - nsfs /' "/proc/$1/mountinfo" 2>/dev/null |
		grep -q .
}

@test "a net namespace mounted only in another mount namespace: mount:/proc/PID/root/PATH, also with -t net" {
	require_root
	new_file
	f=$FILE
	spawn nsunshare -m sh -c "nsunshare --net='$f' true && exec sleep 1000"
	pid=$SPAWNED_PID
	wait_until has_nsfs_mount "$pid" "$f"
	ino=$(stat -L -c %i "/proc/$pid/root$f")
	[ "$ino" != "$(ns_inode $$ net)" ]
	# Not in our mount namespace: only the other one holds it.
	run ! has_nsfs_mount $$ "$f"
	for t in "-t net" "-t net -t mnt" ""; do
		# shellcheck disable=SC2086 # the words are options
		run -0 --separate-stderr nsls -rn -l -P $t -o NS,TYPE,NPROCS,HOLDERS,PATH
		assert_line "$ino net 0 mount:/proc/$pid/root$f /proc/$pid/root$f"
	done
}

@test "a mount namespace no process is in, holding a net namespace mount: mount:mnt:[NS]PATH" {
	require_root
	new_file
	f=$FILE
	spawn nsunshare -m sh -c "nsunshare --net='$f' true && exec sleep 1000"
	mntpid=$SPAWNED_PID
	wait_until has_nsfs_mount "$mntpid" "$f"
	net=$(stat -L -c %i "/proc/$mntpid/root$f")
	mnt=$(ns_inode "$mntpid" mnt)
	spawn bash -c "exec 7</proc/$mntpid/ns/mnt; exec sleep 1000"
	fdpid=$SPAWNED_PID
	wait_until test -e "/proc/$fdpid/fd/7"
	kill -KILL "$mntpid"
	wait "$mntpid" 2>/dev/null || true
	run -0 --separate-stderr nsls -rn -l -P -o NS,TYPE,NPROCS,HOLDERS
	assert_line "$mnt mnt 0 fd:$fdpid:7"
	assert_line "$net net 0 mount:mnt:[$mnt]$f"
}

@test "as nobody: a namespace mounted in its own mount namespace is found through /proc" {
	require_root
	require_userns
	require_userns
	nobody_bin >/dev/null
	f=$(as_nobody mktemp /tmp/nsls-nobody.XXXXXX)
	MADE_FILES+=("$f")
	spawn setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
		"$NOBODY_BIN/nsunshare" -U -r -m sh -c \
		"$NOBODY_BIN/nsunshare --uts='$f' true && exec sleep 1000"
	pid=$SPAWNED_PID
	wait_until has_nsfs_mount "$pid" "$f"
	ino=$(stat -L -c %i "/proc/$pid/root$f")
	run -0 --separate-stderr as_nobody nsls -rn -l -P -t uts -o NS,TYPE,NPROCS,HOLDERS
	assert_line "$ino uts 0 mount:/proc/$pid/root$f"
}

@test "a namespace held only by an open fd: HOLDERS fd:PID:FD" {
	require_root
	spawn nsunshare -n sleep 1000
	netpid=$SPAWNED_PID
	wait_until in_new_ns "$netpid" net
	ino=$(ns_inode "$netpid" net)
	spawn bash -c "exec 7</proc/$netpid/ns/net; exec sleep 1000"
	fdpid=$SPAWNED_PID
	wait_until test -e "/proc/$fdpid/fd/7"
	kill -KILL "$netpid"
	wait "$netpid" 2>/dev/null || true
	run -0 --separate-stderr nsls -rn -l -P -o NS,TYPE,NPROCS,HOLDERS
	assert_line "$ino net 0 fd:$fdpid:7"
}

@test "a net namespace held only by a socket: HOLDERS sock:PID:FD, -P" {
	require_root
	# The socket is made in the new netns, then its process goes back to
	# ours: only the socket keeps the new one alive.
	hold_net_by_socket
	pid=$SOCKPID
	ino=$SOCKNET
	[ "$ino" != "$(ns_inode $$ net)" ]
	run -0 --separate-stderr nsls -rn -l -P -t net -o NS,TYPE,NPROCS,HOLDERS
	assert_line "$ino net 0 sock:$pid:7"
	run -0 --separate-stderr nsls -rn -l -t net -o NS,HOLDERS
	assert_line "$ino sock:$pid:7"
}

@test "a user namespace that owns a mounted net namespace: child:NS, -T owner nests them" {
	require_root
	new_file
	f=$FILE
	run -0 nsunshare -U -r --net="$f" true
	net=$(stat -L -c %i "$f")
	run -0 --separate-stderr nsls -rn -l -P -o NS,TYPE,ONS,HOLDERS
	run -0 drop_copies "$f" <<<"$output"
	assert_line --regexp "^[0-9]+ user [0-9]+ child:$net$"
	user=$(awk -v n="$net" '$2 == "user" && $4 == "child:" n {print $1}' <<<"$output")
	assert_line "$net net $user mount:$f"
	run -0 --separate-stderr nsls -J --tree=owner -P -o NS,TYPE
	run -0 jq -e "[.namespaces[] | select(.ns == $user) | .children[].ns] == [$net]" <<<"$output"
}

@test "-T parent: a new pid namespace sits under the one it was made in" {
	start_holder
	pidns=$(ns_inode "$MEMBER" pid)
	run -0 --separate-stderr nsls -J --tree=parent -t pid -o NS,PNS
	run -0 jq -e "[.namespaces[] | select(.ns == $(ns_inode $$ pid)) | .children[].ns] | index($pidns) != null" <<<"$output"
}

@test "default tree: a namespace's row at the top where its process's parent is shown for none" {
	start_holder
	# MEMBER's parent, HOLDER, is in our pid namespace but not its
	# lowest PID: lsns puts MEMBER's pid namespace at the top level.
	run -0 --separate-stderr nsls -J -t pid -o NS,PID,COMMAND
	run -0 jq -e "[.namespaces[] | select(.ns == $(ns_inode "$MEMBER" pid))] | length == 1" <<<"$output"
}

@test "NAME: the name ip netns add gave" {
	require_root
	name=$(unique_name nsls)
	MADE_NETNS+=("$name")
	run -0 ip netns add "$name"
	ino=$(stat -L -c %i "/run/netns/$name")
	run -0 --separate-stderr nsls -rn -l -t net -o NS,NAME
	assert_line "$ino $name"
}

@test "NETNSID: the id ip netns set gave, as lsns shows it; unassigned where none" {
	require_root
	spawn nsunshare -n sleep 1000
	withid=$SPAWNED_PID
	spawn nsunshare -n sleep 1000
	noid=$SPAWNED_PID
	wait_until in_new_ns "$withid" net
	wait_until in_new_ns "$noid" net
	name=$(unique_name nsls)
	MADE_NETNS+=("$name")
	run -0 ip netns attach "$name" "$withid"
	run -0 ip netns set "$name" auto
	id=$(ip netns list-id | awk -v n="$name)" '$NF == n {print $2}')
	[[ "$id" =~ ^[0-9]+$ ]]
	for pid in "$withid" "$noid"; do
		run -0 rows_for "$pid" nsls -rn -l -t net -o NS,NETNSID
		mine=$output
		run -0 rows_for "$pid" lsns_retry -rn -l -t net -o NS,NETNSID
		assert_equal "$mine" "$output"
	done
	run -0 --separate-stderr nsls -rn -l -o NS,NETNSID "$(ns_inode "$withid" net)"
	assert_output "$(ns_inode "$withid" net) $id"
	run -0 --separate-stderr nsls -J -l -o NS,NETNSID "$(ns_inode "$noid" net)"
	run -0 jq -e '.namespaces == [{"ns": '"$(ns_inode "$noid" net)"', "netnsid": "unassigned"}]' <<<"$output"
}

@test "-o +LIST: lsns's default columns, then the ones asked for" {
	require_root
	spawn nsunshare -n sleep 1000
	pid=$SPAWNED_PID
	wait_until in_new_ns "$pid" net
	ino=$(ns_inode "$pid" net)
	run -0 --separate-stderr nsls -r -l -o +PATH,NPROCS -p "$pid"
	run -0 awk -v i="$ino" 'NR == 1 || $1 == i' <<<"$output"
	assert_equal "${lines[0]}" "$(lsns_retry -r -l -o +PATH,NPROCS | head -n 1)"
	assert_equal "${lines[0]}" "NS TYPE NPROCS PID USER COMMAND PATH NPROCS"
	assert_equal "${lines[1]}" "$ino net 1 $pid root sleep\x201000 /proc/$pid/ns/net 1"
	assert_equal "${#lines[@]}" 2
	# With -t net (before or after -o), lsns adds NETNSID and NSFS.
	for args in "-t net -o +PATH" "-o +PATH -t net"; do
		# shellcheck disable=SC2086 # the words are options
		run -0 --separate-stderr nsls -r -l $args -p "$pid"
		# shellcheck disable=SC2086
		assert_equal "${lines[0]}" "$(lsns_retry -r -l $args | head -n 1)"
		assert_equal "${lines[0]}" "NS TYPE NPROCS PID USER NETNSID NSFS COMMAND PATH"
	done
}

@test "--output-all: every column, also in JSON; lsns's all among them" {
	require_root
	spawn nsunshare -n sleep 1000
	pid=$SPAWNED_PID
	wait_until in_new_ns "$pid" net
	ino=$(ns_inode "$pid" net)
	all=$(nsls -H -J | jq -c '[.columns[].name | ascii_downcase]')
	[ "$(jq length <<<"$all")" -ge 15 ]
	run -0 --separate-stderr nsls -J -l --output-all "$ino"
	run -0 jq -c '.namespaces[0] | keys_unsorted' <<<"$output"
	assert_output "$all"
	run -0 --separate-stderr nsls -rn -l --output-all "$ino"
	assert_output --regexp "^$ino net /proc/$pid/ns/net 1 $pid [0-9]+ sleep\\\\x201000 0 root "
	theirs=$(lsns_retry -J -l --output-all -t net | jq -c '.namespaces[0] | keys_unsorted')
	# shellcheck disable=SC2016 # jq variables
	run -0 jq -e --argjson t "$theirs" '. as $m | $t - $m == []' <<<"$all"
}

@test "-n: no header line; -r: one line a namespace, single spaces, lsns's escapes" {
	require_root
	spawn nsunshare -n sleep 1000
	pid=$SPAWNED_PID
	wait_until in_new_ns "$pid" net
	ino=$(ns_inode "$pid" net)
	run -0 --separate-stderr nsls -l -o NS,TYPE,COMMAND "$ino"
	assert_equal "${#lines[@]}" 2
	assert_line --index 0 --regexp '^ +NS TYPE COMMAND$'
	assert_line --index 1 "$ino net  sleep 1000"
	run -0 --separate-stderr nsls -n -l -o NS,TYPE,COMMAND "$ino"
	assert_output "$ino net  sleep 1000"
	run -0 --separate-stderr nsls -r -l -o NS,TYPE,NPROCS,PID,COMMAND "$ino"
	assert_output "$(lsns_retry -r -l -o NS,TYPE,NPROCS,PID,COMMAND -t net |
		awk -v i="$ino" 'NR == 1 || $1 == i')"
	assert_line --index 1 "$ino net 1 $pid sleep\x201000"
	run -0 --separate-stderr nsls -rn -l -o NS,TYPE "$ino"
	assert_output "$ino net"
}

@test "-u: a long command line in full on a narrow terminal, cut without it" {
	require_root
	command -v script >/dev/null || skip "needs script(1)"
	long="sleep 1000$(printf ' 0%.0s' $(seq 40))"
	# shellcheck disable=SC2086 # the words of $long are sleep's arguments
	spawn nsunshare -n $long
	pid=$SPAWNED_PID
	wait_until in_new_ns "$pid" net
	ino=$(ns_inode "$pid" net)
	run -0 nsls_on_tty 60 -n -l -o NS,TYPE,COMMAND "$ino"
	assert_output --regexp "^$ino net  sleep 1000 0 0"
	refute_output --partial "$long"
	[ "${#output}" -le 60 ]
	run -0 nsls_on_tty 60 -u -n -l -o NS,TYPE,COMMAND "$ino"
	assert_output "$ino net  $long"
	run -0 nsls_on_tty 60 --notruncate -n -l -o NS,TYPE,COMMAND "$ino"
	assert_output "$ino net  $long"
}

@test "-W: a namespace's holders on one line, joined by commas" {
	require_root
	new_file
	f=$FILE
	spawn nsunshare --net="$f" sleep 1000
	pid=$SPAWNED_PID
	wait_until has_nsfs_mount $$ "$f"
	wait_until test -e "/proc/$pid/ns/net"
	[ "$(stat -L -c %i "$f")" = "$(ns_inode "$pid" net)" ]
	ino=$(stat -L -c %i "$f")
	run -0 --separate-stderr nsls -n -l -o NS,TYPE,HOLDERS,NSFS "$ino"
	assert_line --index 0 --regexp "^$ino net +pid:$pid +$f$"
	assert_line --index 1 --regexp "^ +mount:$f *$"
	for w in -W --nowrap; do
		run -0 --separate-stderr nsls "$w" -n -l -o NS,TYPE,HOLDERS,NSFS "$ino"
		assert_equal "${#lines[@]}" 1
		run -0 drop_copies "$f" <<<"$output"
		assert_output "$ino net pid:$pid,mount:$f $f"
	done
}

@test "positional NS lists the processes in that namespace; an unknown one fails with 1" {
	start_holder
	ino=$(ns_inode "$MEMBER" uts)
	run -0 --separate-stderr nsls -rn -l -o NS,TYPE,NPROCS,PID "$ino"
	assert_output "$(printf '%s\n' "$ino uts 2 $HOLDER" "$ino uts 2 $MEMBER")"
	run -1 --separate-stderr nsls 123
	assert_equal "$stderr" "nsls: namespace 123 not found"
	assert_output ""
}

@test "as nobody: lists its own user namespace, says how many it could not read" {
	require_root
	require_userns
	require_userns
	nobody_bin >/dev/null
	bin=$NOBODY_BIN
	spawn setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
		"$bin/nsunshare" -U sleep 1000
	pid=$SPAWNED_PID
	wait_until in_new_ns "$pid" user
	ino=$(ns_inode "$pid" user)
	run -0 --separate-stderr as_nobody nsls -rn -l -t user -o NS,TYPE,NPROCS,PID,USER
	assert_line "$ino user 1 $pid nobody"
	# told only when standard error is a terminal, as script(1) gives
	assert_equal "$stderr" ""
	run -0 as_nobody script -qec 'nsls -n -l -t user -o NS >/dev/null' /dev/null
	re='^nsls: cannot read the namespaces of (PIDs? [0-9, and]+|[0-9]+ processes \(PIDs [0-9, ]+ and [0-9]+ more\)): Permission denied$'
	[[ "${output//$'\r'/}" =~ $re ]]
}

@test "processes exiting mid-scan are skipped: every run exits 0 and lists ours" {
	require_root
	spawn nsunshare -n -u sleep 1000
	pid=$SPAWNED_PID
	wait_until in_new_ns "$pid" net
	net=$(ns_inode "$pid" net)
	uts=$(ns_inode "$pid" uts)
	touch "$BATS_TEST_TMPDIR/churn"
	spawn churn "$BATS_TEST_TMPDIR"
	for _ in $(seq 15); do
		run -0 --separate-stderr nsls -rn -l -o NS,TYPE,NPROCS,PID,COMMAND
		assert_line "$net net 1 $pid sleep\x201000"
		assert_line "$uts uts 1 $pid sleep\x201000"
		run -0 --separate-stderr nsls -rn -t net -o NS,NPROCS,HOLDERS
		assert_line "$net 1 pid:$pid"
		run -0 --separate-stderr nsls -J
		run -0 jq -e "[.. | objects | select(.ns? == $net)] | length == 1" <<<"$output"
	done
	rm "$BATS_TEST_TMPDIR/churn"
}

# ---- attacks by a local user on root's nsls (issues 13 and 14) ------------

# bounded CMD...: CMD under timeout(1), so that a regression to a blocking
# open fails the test (status 124) instead of hanging the suite.
bounded() {
	timeout -k 2 10 "$@"
}

@test "as root: a mount path in another user's mount namespace covered by a FIFO or a symlink is never opened" {
	require_root
	require_userns
	nobody_bin >/dev/null
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	# Two net namespaces on /mnt/a and /mnt/b in nobody's mount namespace,
	# then a tmpfs over /mnt: a is now a FIFO, b a symlink to a FIFO of
	# ours (absolute: walked from /proc/PID/root it would land in our /).
	# shellcheck disable=SC2016 # expanded by the inner sh
	spawn setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
		"$NOBODY_BIN/nsunshare" -U -r -m sh -ec '
		mount -t tmpfs t /mnt
		touch /mnt/a /mnt/b
		"$1/nsunshare" --net=/mnt/a true
		"$1/nsunshare" --net=/mnt/b true
		a=$(stat -L -c %i /mnt/a) b=$(stat -L -c %i /mnt/b)
		mount -t tmpfs t /mnt
		echo "$a $b" >/mnt/ino
		mkfifo /mnt/a
		ln -s "$2" /mnt/b
		touch /mnt/ready
		exec sleep 1000' sh "$NOBODY_BIN" "$BATS_TEST_TMPDIR/fifo"
	pid=$SPAWNED_PID
	wait_until test -e "/proc/$pid/root/mnt/ready"
	read -r a b <"/proc/$pid/root/mnt/ino"
	run -0 --separate-stderr bounded nsls -rn -l -P -t net -o NS,NPROCS,HOLDERS,PNS
	# the tmpfs over /mnt hides both (raw output escapes the space)
	assert_line "$a 0 mount:/proc/$pid/root/mnt/a\\x20(hidden) 0"
	assert_line "$b 0 mount:/proc/$pid/root/mnt/b\\x20(hidden) 0"
	run -0 --separate-stderr bounded nsls -rn -t net
	assert_line --regexp "^$a net 0( |$)"
	assert_line --regexp "^$b net 0( |$)"
	run -0 --separate-stderr bounded nsls -rn -l -t net -o NS,ONS,NETNSID
	assert_line --regexp "^$a 0 ?$"
	assert_line --regexp "^$b 0 ?$"
}

@test "as root: an fd swapped between a namespace and an O_PATH FIFO is never opened" {
	require_root
	require_userns
	nobody_bin >/dev/null
	fifo=$(as_nobody mktemp -u /tmp/nsls-fifo.XXXXXX)
	MADE_FILES+=("$fifo")
	as_nobody mkfifo "$fifo"
	spawn setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
		"$NOBODY_BIN/nsunshare" -U -r -n sleep 1000
	nspid=$SPAWNED_PID
	wait_until in_new_ns "$nspid" net
	net=$(ns_inode "$nspid" net)
	# fd 5 flips between the namespace (held on fd 20 too, after 5 in
	# /proc/PID/fd) and an O_PATH fd of the FIFO, as fast as it can.
	spawn setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
		perl -MPOSIX -e '
		open(my $ns, "<", "/proc/$ARGV[0]/ns/net") or die "ns: $!";
		sysopen(my $fifo, $ARGV[1], 0x200000) or die "fifo: $!";
		POSIX::dup2(fileno($ns), 20) or die;
		POSIX::dup2(fileno($fifo), 21) or die;
		close($ns); close($fifo);
		POSIX::dup2(20, 5) or die;
		open(my $r, ">", "$ARGV[1].ready") and close($r);
		for (;;) { POSIX::dup2(21, 5); POSIX::dup2(20, 5); }' \
		"$nspid" "$fifo"
	swapper=$SPAWNED_PID
	MADE_FILES+=("$fifo.ready")
	wait_until test -e "$fifo.ready"
	kill -KILL "$nspid"
	wait "$nspid" 2>/dev/null || true
	for _ in $(seq 20); do
		run -0 --separate-stderr bounded nsls -rn -l -P -t net -o NS,NPROCS,HOLDERS
		assert_line --regexp "^$net 0 .*fd:$swapper:20"
		run -0 --separate-stderr bounded nsls -rn -l -P -t net -o NS,NETNSID,ONS
		assert_line --regexp "^$net (unassigned)? [0-9]+$"
	done
}

@test "a /proc that is not procfs is refused: one line, status 1, nothing read from it" {
	require_root
	# shellcheck disable=SC2016 # expanded by the inner sh
	# (A SANITIZE=1 build warns that it cannot read its own /proc
	# entries, and LeakSanitizer cannot run there: only nsls's lines
	# are looked at.)
	run --separate-stderr no_leak_check bounded unshare -m --propagation private sh -c '
		mount -t tmpfs t /proc
		mkdir -p /proc/1 /proc/2/ns /proc/2/fd
		ln -s 1 /proc/self
		for t in mnt uts ipc net pid user cgroup time; do
			ln -s "$t:[4026599999]" "/proc/2/ns/$t"
		done
		# A made-up process 2 with FIFOs to hang a reader (not
		# "self": a SANITIZE=1 build reads its own cmdline).
		mkfifo /proc/2/stat /proc/2/cmdline /proc/2/mountinfo
		ln -s /proc/2/stat /proc/2/fd/3
		for a in "" -P "-p 2" "-t net"; do
			"$1" $a; echo "status $?"
		done' sh "$NSTOOLS_BIN/nsls"
	assert_success
	assert_output "status 1
status 1
status 1
status 1"
	run -0 grep -c . <<<"$(grep -v '^==[0-9]*==\|^False positive\|^For details' <<<"$stderr")"
	assert_output 4
	run -0 grep -c '^nsls: cannot trust /proc: it is not the procfs of our PID namespace$' <<<"$stderr"
	assert_output 4
}

@test "-p PID exiting between two of its namespace links: all of them or 'No such process'" {
	require_root
	command -v strace >/dev/null || skip "needs strace"
	local n=8 k
	[ -e /proc/self/ns/time ] || n=7
	# In a PID namespace of its own, the task (a sleep of 0.5 s) is PID
	# 2, right after the shell: its links are readlinkat calls 9 to 16.
	# strace holds nsls for a second before call K, and the task exits
	# meanwhile, between two of its links.
	for k in 10 11 12 13 14 15 16; do
		# shellcheck disable=SC2016 # expanded by the inner sh
		run --separate-stderr no_leak_check bounded unshare -pf \
			--mount-proc sh -c 'sleep 0.5 & t=$!
			exec strace -f -qq -o /dev/null -e trace=readlinkat \
				-e inject=readlinkat:delay_enter=1000000:when=$1 \
				"$2" -p "$t" -rn -l -o NS,TYPE' sh "$k" "$NSTOOLS_BIN/nsls"
		echo "# before call $k: status $status, ${#lines[@]} rows: $stderr"
		if [ "$status" = 0 ]; then
			assert_equal "${#lines[@]}" "$n"
		else
			assert_equal "$status" 1
			assert_output ""
			assert_equal "$stderr" "nsls: cannot read namespaces of PID 2: No such process"
		fi
	done
}

@test "-p PID of a process exiting during the scan: all of its namespaces or 'No such process', never part" {
	local n=8 runs=200 full=0 gone=0 i out err
	[ -e /proc/self/ns/time ] || n=7
	for ((i = 0; i < runs; i++)); do
		sleep "0.00$((i % 10))" &
		out=$(nsls -p $! -r -n -l -o NS,TYPE 2>"$BATS_TEST_TMPDIR/err") &&
			rc=0 || rc=$?
		# Other processes exiting meanwhile may shut us out: said
		# apart, and no concern of this test.
		err=$(grep -v '^nsls: cannot read the namespaces of ' \
			"$BATS_TEST_TMPDIR/err" || true)
		wait
		if [ "$rc" = 0 ] && [ -z "$err" ] &&
			[ "$(wc -l <<<"$out")" = "$n" ]; then
			full=$((full + 1))
		elif [ "$rc" = 1 ] && [ -z "$out" ] &&
			[[ "$err" =~ ^nsls:\ cannot\ read\ namespaces\ of\ PID\ [0-9]+:\ No\ such\ process$ ]]; then
			gone=$((gone + 1))
		else
			echo "# run $i: status $rc, $(wc -l <<<"$out") rows: $err"
			return 1
		fi
	done
	echo "# $full full listings, $gone 'No such process'"
}

@test "bad input: one-line error, status 2 for usage, 1 for failures" {
	run -2 --separate-stderr nsls -t foo
	assert_equal "${stderr_lines[0]}" "nsls: unknown namespace type: 'foo' (one of: mnt uts ipc net pid user cgroup time)"
	assert_equal "${stderr_lines[1]}" "Try 'nsls --help' for more information."
	assert_output ""
	run -2 --separate-stderr nsls -o NS,FOO
	assert_equal "${stderr_lines[0]}" "nsls: unknown column: FOO"
	run -2 --separate-stderr nsls -o ''
	assert_equal "${stderr_lines[0]}" "nsls: empty column list"
	run -2 --separate-stderr nsls -J -r
	assert_equal "${stderr_lines[0]}" "nsls: --json and --raw are mutually exclusive"
	assert_output ""
	run -2 --separate-stderr nsls -p abc
	assert_equal "${stderr_lines[0]}" "nsls: invalid PID: 'abc'"
	run -2 --separate-stderr nsls -p 0
	assert_equal "${stderr_lines[0]}" "nsls: invalid PID: '0'"
	run -2 --separate-stderr nsls --tree=sideways
	assert_equal "${stderr_lines[0]}" "nsls: unknown tree: 'sideways' (process, owner or parent)"
	run -2 --separate-stderr nsls -l -T
	assert_equal "${stderr_lines[0]}" "nsls: --list and --tree are mutually exclusive"
	run -2 --separate-stderr nsls 12x
	assert_equal "${stderr_lines[0]}" "nsls: invalid namespace: '12x'"
	run -2 --separate-stderr nsls --bogus
	assert_equal "${stderr_lines[1]}" "Try 'nsls --help' for more information."
	dead=$(dead_pid)
	run -1 --separate-stderr nsls -p "$dead"
	assert_equal "$stderr" "nsls: cannot read namespaces of PID $dead: No such process"
	assert_output ""
}

@test "--help, --version and -H" {
	run -0 nsls --help
	assert_line --index 0 "Usage:"
	assert_line --index 1 " nsls [options] [NS ...]"
	run -0 nsls -V
	assert_output --regexp '^nsls from nstools [0-9]'
	run -0 nsls -H
	assert_line --regexp '^ *HOLDERS +<string array> '
	run -0 nsls -H -J
	run -0 jq -e '.columns | length == 16' <<<"$output"
}

#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# nsls: namespaces held by fds, sockets and bind mounts in the default
# listing, ip netns names that lie, reads another user can stall, and
# HOLDERS kept short.

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
		ip netns del "$n" 2>/dev/null || rm -f "/run/netns/$n"
	done
}

teardown_file() {
	cleanup_nobody_bin
}

in_new_ns() {
	[ "$(ns_inode "$1" "$2")" != "$(ns_inode $$ "$2")" ]
}

bounded() {
	timeout -k 2 10 "$@"
}

# hold_net_by_fd: a net namespace no process is in, kept by fd 7 of a
# sleeping bash; sets NET (its inode) and FDPID.
hold_net_by_fd() {
	local netpid
	spawn nsunshare -n sleep 1000
	netpid=$SPAWNED_PID
	wait_until in_new_ns "$netpid" net
	NET=$(ns_inode "$netpid" net)
	spawn bash -c "exec 7</proc/$netpid/ns/net; exec sleep 1000"
	FDPID=$SPAWNED_PID
	wait_until test -e "/proc/$FDPID/fd/7"
	kill -KILL "$netpid"
	wait "$netpid" 2>/dev/null || true
}

@test "a namespace held only by an fd is in the default listing: NPROCS 0, no PID, no COMMAND" {
	require_root
	hold_net_by_fd
	# The default tree and list, as lsns 2.40+ shows it.
	for a in "" -l "-t net" "-l -t net"; do
		# shellcheck disable=SC2086 # the words are options
		run -0 --separate-stderr nsls -rn $a -o NS,TYPE,NPROCS,PID,COMMAND
		assert_line --regexp "^$NET net 0  ?$"
	done
	run -0 --separate-stderr nsls -J -o NS,NPROCS,PID,COMMAND
	run -0 jq -e ".namespaces[] | select(.ns == $NET) |
		.nprocs == 0 and .pid == null and .command == null" <<<"$output"
	run -0 --separate-stderr nsls -rn -P -o NS,NPROCS,HOLDERS
	assert_line "$NET 0 fd:$FDPID:7"
	# nsls NS lists NS's processes, as lsns NS: found, and none in it
	run -0 --separate-stderr nsls -rn "$NET"
	assert_output ""
}

@test "a net namespace held only by a socket: default listing, -P and nsls NS" {
	require_root
	hold_net_by_socket
	pid=$SOCKPID
	ino=$SOCKNET
	run -0 --separate-stderr nsls -rn -t net -o NS,TYPE,NPROCS
	assert_line "$ino net 0"
	run -0 --separate-stderr nsls -rn -o NS,TYPE,NPROCS
	assert_line "$ino net 0"
	run -0 --separate-stderr nsls -rn -P -o NS,HOLDERS
	assert_line "$ino sock:$pid:7"
	run -0 --separate-stderr nsls -rn "$ino"
	assert_output ""
}


@test "a namespace opened through /run/netns/NAME after ip netns del: default listing, -P, nsls NS" {
	require_root
	name=$(unique_name held)
	MADE_NETNS+=("$name")
	run -0 ip netns add "$name"
	ino=$(stat -L -c %i "/run/netns/$name")
	spawn bash -c "exec 7</run/netns/$name; touch '$BATS_TEST_TMPDIR/open'; exec sleep 1000"
	pid=$SPAWNED_PID
	wait_until test -e "$BATS_TEST_TMPDIR/open"
	# While the name is there, the fd is a holder too.
	run -0 --separate-stderr nsls -rn -W -o NS,HOLDERS
	assert_line --regexp "^$ino .*fd:$pid:7"
	run -0 ip netns del "$name"
	[ "$(readlink "/proc/$pid/fd/7")" = / ]
	run -0 --separate-stderr nsls -rn -o NS,TYPE,NPROCS
	assert_line "$ino net 0"
	run -0 --separate-stderr nsls -rn -t net -o NS,TYPE,NPROCS
	assert_line "$ino net 0"
	run -0 --separate-stderr nsls -rn -P -o NS,TYPE,NPROCS,HOLDERS
	assert_line "$ino net 0 fd:$pid:7"
	run -0 --separate-stderr nsls -rn -P -o NS,TYPE,HOLDERS,PATH
	assert_line "$ino net fd:$pid:7 /proc/$pid/fd/7"
	run -0 --separate-stderr nsls -rn "$ino"
	assert_output ""
}

@test "a user namespace kept only by an fd-held net namespace it owns is in the default listing" {
	require_root
	spawn nsunshare -U -r -n sleep 1000
	netpid=$SPAWNED_PID
	wait_until in_new_ns "$netpid" net
	net=$(ns_inode "$netpid" net)
	user=$(ns_inode "$netpid" user)
	spawn bash -c "exec 7</proc/$netpid/ns/net; exec sleep 1000"
	fdpid=$SPAWNED_PID
	wait_until test -e "/proc/$fdpid/fd/7"
	kill -KILL "$netpid"
	wait "$netpid" 2>/dev/null || true
	run -0 --separate-stderr nsls -rn -l -o NS,TYPE,NPROCS
	assert_line "$net net 0"
	assert_line "$user user 0"
	run -0 --separate-stderr nsls -rn "$user"
	assert_output ""
}

# In a PID namespace of our own, so that a PID can be handed out again on
# purpose (ns_last_pid), as in netnslink.bats: the symlink name made for
# a process in a new net namespace, and one reaching /proc otherwise; the
# PID then recycled by nobody's process in our own net namespace.
recycled_name_script='
	mount -t tmpfs tmpfs /run
	netns_of() { stat -L -c %i "/proc/$1/ns/net"; }
	unshare -n sleep 1000 &
	t=$!
	until [ "$(netns_of $t)" != "$(netns_of self)" ]; do :; done
	netnslink --symlink $t web
	ln -s ../../proc/$t/ns/net /run/netns/relative
	echo "before: $(nsls -rn -l -t net -o NAME "$(netns_of $t)")"
	sleep 0.1
	kill -KILL $t; wait $t 2>/dev/null
	echo $((t - 1)) >/proc/sys/kernel/ns_last_pid
	setpriv --reuid=nobody --regid=nogroup --clear-groups sleep 1000 &
	n=$!
	[ $n = $t ] && echo "PID reused"
	echo "after: $(nsls -rn -l -t net -o NAME "$(netns_of $n)")"
	kill -KILL $n; wait $n 2>/dev/null || :'

@test "NAME: a --symlink name whose PID nobody's process took over names nothing" {
	require_root
	run -0 --separate-stderr no_leak_check unshare -pf --mount-proc bash -c "$recycled_name_script"
	assert_output "before: web
PID reused
after: "
}

@test "as root in nobody's mount namespace: FIFOs mounted over /proc/PID files never block nsls" {
	require_root
	require_userns
	nobody_bin >/dev/null
	spawn setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
		"$NOBODY_BIN/nsunshare" -U -r -m -u sh -ec '
		mount -t tmpfs t /mnt
		mkfifo /mnt/f
		for f in stat cmdline comm mountinfo; do
			mount --bind /mnt/f /proc/$$/$f
		done
		touch /mnt/ready
		exec sleep 1000'
	pid=$SPAWNED_PID
	wait_until test -e "/proc/$pid/root/mnt/ready"
	uts=$(ns_inode "$pid" uts)
	run -0 --separate-stderr bounded nsjoin -t "$pid" -m nsls -rn -l -o NS,NPROCS,PID,COMMAND "$uts"
	assert_output --regexp "^$uts 1 $pid ?$"
}

@test "HOLDERS: a bind mount propagated into other mount namespaces is one holder, (+N copies)" {
	require_root
	name=$(unique_name held)
	MADE_NETNS+=("$name")
	run -0 ip netns add "$name"
	ino=$(stat -L -c %i "/run/netns/$name")
	# /run/netns is shared: each new mount namespace gets a copy.
	for _ in 1 2 3; do
		spawn unshare -m sleep 1000
	done
	wait_until test -e "/proc/$SPAWNED_PID/ns/mnt"
	run -0 --separate-stderr nsls -n -W -P -o NS,HOLDERS
	assert_line --regexp "^$ino mount:/run/netns/$name \(\+[0-9]+ copies\)$"
	n=$(grep "^$ino " <<<"$output" | sed 's/.*(+\([0-9]*\) copies)$/\1/')
	[ "$n" -ge 3 ]
	run -0 --separate-stderr nsls -J -P -o NS,HOLDERS
	run -0 jq -e ".namespaces[] | select(.ns == $ino) | .holders | length == 1" <<<"$output"
}

@test "HOLDERS: a socket in its process's own network namespace is no holder" {
	require_root
	spawn nsunshare -n bash -c 'ip link set lo up; exec 7<>/dev/udp/127.0.0.1/9; exec sleep 1000'
	pid=$SPAWNED_PID
	wait_until test -e "/proc/$pid/fd/7"
	ino=$(ns_inode "$pid" net)
	run -0 --separate-stderr nsls -rn -W -o NS,HOLDERS "$ino"
	assert_output "$ino pid:$pid"
}

# Issue 18 point 2: on a narrow terminal the long lists give way, COMMAND
# does not, and nothing machine-readable depends on the terminal.  All of
# it in new mount and PID namespaces (their own /run and /proc), so that
# only this test's namespaces and processes make the table.
narrow_tty_script='
set -e
mount -t tmpfs nst /run
mkdir /run/netns
unshare -n sleep 1000 &
s1=$!
while [ "$(readlink /proc/$s1/ns/net)" = "$(readlink /proc/$$/ns/net)" ]; do
	sleep 0.1
done
touch "/run/netns/$NAME"
mount --bind "/proc/$s1/ns/net" "/run/netns/$NAME"
nsenter -t "$s1" -n sleep 1001 &
s2=$!
while [ "$(readlink /proc/$s2/ns/net)" != "$(readlink /proc/$s1/ns/net)" ]; do
	sleep 0.1
done
stty cols 80
echo "=== table"
nsls -t net -o +NAME,HOLDERS
for c in 30 80 250; do
	stty cols "$c"
	echo "=== machine"
	nsls -r -t net -o +NAME,HOLDERS
	nsls -J -t net -o +NAME,HOLDERS
done
echo "=== pipe"
COLUMNS=30 nsls -n -t net -o +NAME,HOLDERS | cat
COLUMNS=250 nsls -n -t net -o +NAME,HOLDERS | cat
kill "$s1" "$s2"
'

@test "on 80 columns nsls -t net -o +NAME,HOLDERS keeps COMMAND whole and cuts NAME and HOLDERS with a marker; -r, -J, -n in a pipe never change" {
	# in a user namespace of its own: any user can run it
	command -v script >/dev/null || skip "needs script(1)"
	name=nst-a-rather-long-network-namespace-name-$$
	printf '%s' "$narrow_tty_script" >"$BATS_TEST_TMPDIR/narrow.sh"
	run -0 script -qec "$(printf '%q ' env NAME="$name" \
		PATH="$NSTOOLS_BIN:$PATH" LC_ALL=C.UTF-8 unshare -Urm \
		--propagation private -pf --mount-proc \
		bash "$BATS_TEST_TMPDIR/narrow.sh")" /dev/null </dev/null
	all=$(tr -d '\r' <<<"$output")
	table=$(sed -n '/^=== table$/,/^=== machine$/p' <<<"$all" | sed '1d;$d')
	echo "$table"
	# the rows of both sleeps show their whole command
	grep -E '(^| |─)sleep 1000 ' <<<"$table"
	# the long name and the mount are cut, with the marker
	grep -E " nst[^ ]*… " <<<"$table"
	grep -E "mount:/r[^ ]*…$" <<<"$table"
	refute grep -F "$name" <<<"$table"
	# nothing wider than the terminal
	[ "$(LC_ALL=C.UTF-8 wc -L <<<"$table")" -le 80 ]
	# -r and -J: the same bytes at 30, 80 and 250 columns
	run -0 awk '/^=== machine$/ { n++; next } /^=== pipe$/ { exit }
		{ print > (dir "/machine." n) }' dir="$BATS_TEST_TMPDIR" <<<"$all"
	grep -F "$name" "$BATS_TEST_TMPDIR/machine.1"
	cmp "$BATS_TEST_TMPDIR/machine.1" "$BATS_TEST_TMPDIR/machine.2"
	cmp "$BATS_TEST_TMPDIR/machine.1" "$BATS_TEST_TMPDIR/machine.3"
	# a table into a pipe: whatever COLUMNS says
	pipe=$(sed -n '/^=== pipe$/,$p' <<<"$all" | sed 1d)
	n=$(wc -l <<<"$pipe")
	[ "$(head -n $((n / 2)) <<<"$pipe")" = "$(tail -n $((n / 2)) <<<"$pipe")" ]
	# its own tmpfs on /run, stacked on the old one: not hidden
	grep -E "mount:/run/netns/$name\$" <<<"$pipe"
}

netnslink_tty_script='
set -e
mount -t tmpfs nst /run
mkdir /run/netns
unshare -n sleep 1000 &
s1=$!
while [ "$(readlink /proc/$s1/ns/net)" = "$(readlink /proc/$$/ns/net)" ]; do
	sleep 0.1
done
for _ in 1 2 3 4 5; do
	nsenter -t "$s1" -n sleep 1000 &
	while [ "$(readlink /proc/$!/ns/net)" != "$(readlink /proc/$s1/ns/net)" ]; do
		sleep 0.1
	done
done
netnslink "$s1" "$NAME"
stty cols 80
netnslink
kill $(jobs -p)
'

@test "netnslink on 80 columns: a long NAME stays whole on its row, PIDS is cut with a marker" {
	# in a user namespace of its own: any user can run it
	command -v script >/dev/null || skip "needs script(1)"
	name=nst-a-long-network-namespace-name-$$
	printf '%s' "$netnslink_tty_script" >"$BATS_TEST_TMPDIR/nl.sh"
	run -0 script -qec "$(printf '%q ' env NAME="$name" \
		PATH="$NSTOOLS_BIN:$PATH" unshare -Urm --propagation private \
		-pf --mount-proc bash "$BATS_TEST_TMPDIR/nl.sh")" /dev/null </dev/null
	output=$(tr -d '\r' <<<"$output")
	mapfile -t lines <<<"$output"
	assert_line --index 0 --regexp '^NAME +NS KIND +NPROCS NOTE +PIDS *$'
	assert_line --index 1 --regexp "^$name +[0-9]+ bind +6 +[0-9,]+~$"
	[ "${#lines[@]}" -eq 2 ]
	[ "$(wc -L <<<"$output")" -le 80 ]
}

# is_sleeping PID: has PID become the sleep its script ends in?
is_sleeping() {
	[ "$(cat "/proc/$1/comm" 2>/dev/null)" = sleep ]
}

# hold_net_on_mnt KIND: a sleep in new user, mount and network namespaces
# whose network namespace is bind-mounted on /mnt/f of a tmpfs; KIND cover:
# then another tmpfs mounted over /mnt; chroot: the sleep chroot'ed into a
# copy of / (made before the bind mount, so /mnt/f is outside its root;
# /mnt/R/mnt/f, inside it, is its /mnt/f);
# plain: neither.  As nobody when we are root (root lists another user's
# mounts through statmount, nobody through /proc/PID/mountinfo), else as
# ourselves.  Sets PID and NET.
hold_net_on_mnt() {
	local -a as=()
	local script='
	mount -t tmpfs t /mnt
	touch /mnt/f
	if [ "$1" = chroot ]; then
		mkdir /mnt/R
		mount --rbind / /mnt/R
		mount --bind /proc/self/ns/net /mnt/R/mnt/f
	fi
	mount --bind /proc/self/ns/net /mnt/f
	case $1 in
	cover) mount -t tmpfs c /mnt ;;
	chroot) exec chroot /mnt/R sleep 1000 ;;
	esac
	exec sleep 1000'

	if [ "$(id -u)" -eq 0 ]; then
		require_userns
		as=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
	fi
	spawn "${as[@]}" unshare -Urmn --propagation private sh -ec "$script" sh "$1"
	PID=$SPAWNED_PID
	wait_until is_sleeping "$PID"
	NET=$(ns_inode "$PID" net)
}

# The HOLDERS of NET, one a line, listed by nsls as us and, if we are
# root, as nobody too (the two back ends), each line once.
holders_both_ways() {
	{
		nsls -J -o NS,HOLDERS "$NET" 2>/dev/null | jq -r '.namespaces[].holders[]'
		if [ "$(id -u)" -eq 0 ]; then
			as_nobody nsls -J -o NS,HOLDERS "$NET" 2>/dev/null |
				jq -r '.namespaces[].holders[]'
		fi
	} | sort -u
}

@test "HOLDERS: a bind mount another mount covers says (hidden), with statmount and from mountinfo" {
	hold_net_on_mnt cover
	run -0 holders_both_ways
	assert_output "mount:/proc/$PID/root/mnt/f (hidden)
pid:$PID"
	# nothing to open it by: no NSFS, and PATH is the process's
	run -0 --separate-stderr nsls -J -o NS,NSFS,PATH "$NET"
	run -0 jq -r '.namespaces[0] | "\(.nsfs) \(.path)"' <<<"$output"
	assert_output "null /proc/$PID/ns/net"
	[ "$(id -u)" -eq 0 ] || return 0
	# seen from inside that mount namespace: our own mount, hidden
	run -0 --separate-stderr nsenter -t "$PID" -m "$NSTOOLS_BIN/nsls" -J \
		-o NS,HOLDERS,NSFS "$NET"
	run -0 jq -r '.namespaces[0] | (.holders[], .nsfs)' <<<"$output"
	assert_output "pid:$PID
mount:/mnt/f (hidden)
null"
}

@test "HOLDERS: the same bind mount uncovered is not hidden, with statmount and from mountinfo" {
	hold_net_on_mnt plain
	run -0 holders_both_ways
	assert_output "mount:/proc/$PID/root/mnt/f
pid:$PID"
}

@test "HOLDERS: a bind mount outside a chroot'ed process's root is (hidden) or unseen; one inside is named from that root" {
	hold_net_on_mnt chroot
	run -0 holders_both_ways
	# the one inside its root, by its path from there, both ways
	assert_output --regexp "^mount:/proc/$PID/root/mnt/f
(mount:/proc/$PID/root/mnt/f \(hidden\)
)?pid:$PID\$"
	if [ "$(id -u)" -eq 0 ]; then
		# statmount lists every mount of the namespace
		run -0 --separate-stderr nsls -J -o NS,HOLDERS "$NET"
		run -0 jq -r '.namespaces[].holders[]' <<<"$output"
		assert_output "pid:$PID
mount:/proc/$PID/root/mnt/f
mount:/proc/$PID/root/mnt/f (hidden)"
	fi
}

# ---- several threads ---------------------------------------------------------

children_at_least() {
	[ "$(pgrep -c -P "$1")" -ge "$2" ]
}

@test "300 processes read by two threads or by one (taskset): the same rows, fds and sockets included" {
	require_root
	command -v taskset >/dev/null || skip "needs taskset"
	[ "$(nproc)" -ge 2 ] || skip "one CPU: nsls reads in one thread only"
	command -v strace >/dev/null || skip "needs strace"
	local one two
	hold_net_by_fd
	hold_net_by_socket
	spawn bash -c 'exec 2>/dev/null; for i in $(seq 300); do sleep 1000 & done; wait'
	wait_until children_at_least "$SPAWNED_PID" 300
	# only the rows of these two: other processes come and go
	one=$(taskset -c 0 nsls -rn -t net -o NS,NPROCS,HOLDERS 2>/dev/null |
		grep -e "^$NET " -e "^$SOCKNET ")
	two=$(nsls -rn -t net -o NS,NPROCS,HOLDERS 2>/dev/null |
		grep -e "^$NET " -e "^$SOCKNET ")
	assert_equal "$two" "$NET 0 fd:$FDPID:7
$SOCKNET 0 sock:$SOCKPID:7"
	assert_equal "$one" "$two"
	# two threads read, or one: a thread beside the main one for the
	# links and one for the fds, or none
	LSAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=clone,clone3 -o "$BATS_TEST_TMPDIR/st" nsls -n >/dev/null 2>&1
	run grep -c clone "$BATS_TEST_TMPDIR/st"
	assert_output 2
	LSAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=clone,clone3 -o "$BATS_TEST_TMPDIR/st" taskset -c 0 nsls -n >/dev/null 2>&1
	run grep -c clone "$BATS_TEST_TMPDIR/st"
	assert_output 0
}

#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# nsjoin: run a program inside existing namespaces, on real namespaces.

bats_require_minimum_version 1.5.0
load helper

ALL_TYPES="mnt uts ipc net pid user cgroup time"

setup() {
	require_root
}

# /etc/netns/$NETNS/resolv.conf with the line $1; /etc/netns too where
# the machine has none (taken back in teardown).
etc_netns_resolv() {
	[ -d /etc/netns ] || ETC_NETNS_MADE=1
	mkdir -p "/etc/netns/$NETNS"
	echo "$1" >"/etc/netns/$NETNS/resolv.conf"
}

teardown() {
	kill_spawned
	if [ -n "${NETNS:-}" ]; then
		ip netns del "$NETNS" 2>/dev/null || true
		rm -rf "/etc/netns/$NETNS"
	fi
	if [ -n "${ETC_NETNS_MADE:-}" ]; then
		rmdir /etc/netns 2>/dev/null || true
	fi
	if [ -n "${JUNK:-}" ]; then
		rm -rf "$JUNK"
	fi
	if [ -n "${NSFILE:-}" ]; then
		umount "$NSFILE" 2>/dev/null || true
		rm -f "$NSFILE"
	fi
}

teardown_file() {
	cleanup_nobody_bin
}

# start_target NSUNSHARE-OPTIONS...: a sleep in new namespaces; TARGET is it.
start_target() {
	spawn nsunshare -f "$@" sleep 1000
	TARGET=$(first_child "$SPAWNED_PID")
	wait_until exe_is_sleep "$TARGET"
}

# Conditions for wait_until, evaluated on every try.
exe_is_sleep() {
	[ "$(readlink "/proc/$1/exe")" = "$(command -v sleep)" ]
}
net_is_ours() {
	[ "$(ns_inode "$1" net)" = "$(ns_inode self net)" ]
}
owned_by_nobody() {
	[ "$(stat -c %u "/proc/$1")" = 65534 ]
}

# opt_of TYPE: nsjoin's option letter for a namespace type.
opt_of() {
	case $1 in
	mnt) printf %s -m ;;
	user) printf %s -U ;;
	cgroup) printf %s -C ;;
	time) printf %s -T ;;
	*) printf %s "-${1:0:1}" ;;
	esac
}

# The inodes of every namespace of the program nsjoin runs, one "type ino"
# per line.
inodes_script='for t in mnt uts ipc net pid user cgroup time; do
	echo "$t $(stat -L -c %i /proc/self/ns/$t)"; done'

@test "each type alone: that namespace is the target's, the others stay ours" {
	start_target -m -u -i -n -p -C -T -U -r
	for t in $ALL_TYPES; do
		opt=$(opt_of "$t")
		lsan=()
		if [ "$t" = pid ]; then lsan=(no_leak_check); fi
		run "${lsan[@]}" nsjoin -t "$TARGET" "$opt" sh -c "$inodes_script"
		[ "$status" = 0 ] || fail "$opt: $output"
		for u in $ALL_TYPES; do
			got=$(echo "$output" | awk -v t="$u" '$1 == t { print $2 }')
			if [ "$u" = "$t" ]; then
				want=$(ns_inode "$TARGET" "$u")
			else
				want=$(ns_inode self "$u")
			fi
			[ "$got" = "$want" ] ||
				fail "$opt: $u is $got, expected $want"
			[ "$want" != "" ]
		done
		# and the target's namespace really differs from ours
		[ "$(ns_inode "$TARGET" "$t")" != "$(ns_inode self "$t")" ]
	done
}

@test "-a: every namespace is the target's, and the program runs in its cwd" {
	start_target -m -u -i -n -p -C -T -U -r
	run -0 no_leak_check nsjoin -t "$TARGET" -a sh -c "$inodes_script; pwd"
	for t in $ALL_TYPES; do
		assert_line "$t $(ns_inode "$TARGET" "$t")"
	done
	assert_line "$(readlink "/proc/$TARGET/cwd")"
}

@test "-p: the program lives in the target's PID namespace but is not PID 1" {
	start_target -p
	run -0 no_leak_check nsjoin -t "$TARGET" -p sh -c \
		'grep NSpid /proc/self/status; stat -L -c %i /proc/self/ns/pid'
	read -r _ outer inner <<<"${lines[0]}"
	[ "$inner" -gt 1 ]
	[ "$outer" != "$inner" ]
	assert_equal "${lines[1]}" "$(ns_inode "$TARGET" pid)"
}

@test "-p: the forked program's exit status and signal death are nsjoin's" {
	start_target -p
	run -3 no_leak_check nsjoin -t "$TARGET" -p sh -c 'exit 3'
	run -137 no_leak_check nsjoin -t "$TARGET" -p sh -c 'kill -KILL $$'
	run -0 nsjoin -t "$TARGET" -p -F sh -c 'exit 0'
}

@test "-p: a program killed by a signal kills nsjoin by the same signal, no core" {
	start_target -p
	# perl tells a death by signal N from an exit with 128+N; bash cannot.
	report='system @ARGV; printf "%d %d %d\n", $? & 127, ($? & 128) >> 7, $? >> 8'
	run -0 no_leak_check perl -e "$report" -- \
		nsjoin -t "$TARGET" -p sh -c 'kill -TERM $$'
	assert_output "15 0 0"
	run -0 no_leak_check perl -e "$report" -- \
		nsjoin -t "$TARGET" -p sh -c 'exit 143'
	assert_output "0 0 143"
	# with cores allowed, nsjoin's own re-raised QUIT still leaves none
	dir=$BATS_TEST_TMPDIR/cwd
	mkdir "$dir"
	run -0 no_leak_check bash -c \
		'cd "$1" && shift && ulimit -c unlimited && exec "$@"' _ "$dir" \
		perl -e "$report" -- nsjoin -t "$TARGET" -p sh -c \
		'ulimit -c 0; kill -QUIT $$'
	assert_output "3 0 0"
	assert_equal "$(ls -A "$dir")" ""
}

@test "-p -F: no fork, the program keeps our PID namespace, nsjoin says nothing" {
	start_target -p
	# bash's PID, then the program's: equal when nsjoin did not fork.
	run -0 --separate-stderr no_leak_check bash -c 'echo $$
		exec nsjoin -t "$1" -p -F sh -c "echo \$\$; exec stat -L -c %i \
			/proc/self/ns/pid /proc/self/ns/pid_for_children"' _ "$TARGET"
	assert_equal "$stderr" ""
	assert_equal "${#lines[@]}" 4
	assert_equal "${lines[1]}" "${lines[0]}"
	assert_equal "${lines[2]}" "$(ns_inode self pid)"
	assert_equal "${lines[3]}" "$(ns_inode "$TARGET" pid)"
	[ "${lines[2]}" != "${lines[3]}" ]
}

@test "--net=FILE joins a namespace persisted by nsunshare" {
	NSFILE=$(mktemp /tmp/nsjoin-netns.XXXXXX)
	run -0 nsunshare --net="$NSFILE" true
	want=$(stat -L -c %i "$NSFILE")
	run -0 nsjoin --net="$NSFILE" stat -L -c %i /proc/self/ns/net
	assert_output "$want"
	[ "$want" != "$(ns_inode self net)" ]
}

@test "-nNAME and --net=NAME join /run/netns/NAME of ip netns add" {
	NETNS=$(unique_name nsjoin)
	ip netns add "$NETNS"
	want=$(stat -L -c %i "/run/netns/$NETNS")
	run -0 nsjoin -n"$NETNS" stat -L -c %i /proc/self/ns/net
	assert_output "$want"
	run -0 nsjoin --net="$NETNS" stat -L -c %i /proc/self/ns/net
	assert_output "$want"
	# and the same as ip netns exec sees
	run -0 ip netns exec "$NETNS" stat -L -c %i /proc/self/ns/net
	assert_output "$want"
}

@test "-n NAME as a separate word joins /run/netns/NAME when there is no -t" {
	NETNS=$(unique_name nsjoin)
	ip netns add "$NETNS"
	want=$(stat -L -c %i "/run/netns/$NETNS")
	run -0 nsjoin -n "$NETNS" stat -L -c %i /proc/self/ns/net
	assert_output "$want"
	run -0 nsjoin --net "$NETNS" stat -L -c %i /proc/self/ns/net
	assert_output "$want"
	# with -t, a bare -n followed by a word that is no name is the
	# target's namespace, and the word is the program
	spawn nsunshare -n sleep 1000
	wait_until ns_differs "$SPAWNED_PID" net
	missing=$(unique_name missing)
	run -127 nsjoin -t "$SPAWNED_PID" -n "$missing"
	assert_output --partial "cannot run '$missing'"
}

@test "-n NAME with /run/netns/NAME: the name, wherever -n stands, with any options" {
	NETNS=$(unique_name nsjoin)
	ip netns add "$NETNS"
	want=$(stat -L -c %i "/run/netns/$NETNS")
	start_target -u -i
	uts=$(ns_inode "$TARGET" uts)
	ipc=$(ns_inode "$TARGET" ipc)
	check='stat -L -c %i /proc/self/ns/net /proc/self/ns/uts'
	# before: -t PID -n NAME ran a program called NAME (127)
	for args in "-t $TARGET -n $NETNS -u" "-t $TARGET -u -n $NETNS" \
		"-u -n $NETNS -t $TARGET" "-n $NETNS -t $TARGET -u" \
		"-t $TARGET -u --net $NETNS" "--uts -t $TARGET --net $NETNS"; do
		# shellcheck disable=SC2086
		run -0 nsjoin $args sh -c "$check"
		assert_output "$(printf '%s\n%s' "$want" "$uts")"
	done
	# with -a, every other namespace is the target's
	run -0 nsjoin -t "$TARGET" -a -n "$NETNS" \
		stat -L -c %i /proc/self/ns/net /proc/self/ns/ipc
	assert_output "$(printf '%s\n%s' "$want" "$ipc")"
	# a program of that name is run only after --
	run -127 --separate-stderr nsjoin -t "$TARGET" -n -- "$NETNS"
	assert_equal "$stderr" "nsjoin: cannot run '$NETNS': No such file or directory"
	# -m still needs a target: the message names it
	run -125 --separate-stderr nsjoin -m -n "$NETNS" true
	assert_equal "${stderr_lines[0]}" "nsjoin: -m (--mount) without FILE needs --target"
}

@test "--net=FILE relative: the file, as nsenter opens it, even where a name is the same" {
	NETNS=$(unique_name nsjoin)
	ip netns add "$NETNS"
	named=$(stat -L -c %i "/run/netns/$NETNS")
	dir=$BATS_TEST_TMPDIR/cwd
	mkdir "$dir"
	# In a private mount namespace: ./nsf and ./NETNS hold namespaces of
	# their own; each way of naming them is asked of nsjoin and nsenter.
	# shellcheck disable=SC2016 # expanded by the inner shell
	run -0 unshare -m --propagation private sh -c '
		cd "$1" && touch nsf "$2" &&
		nsunshare --net=nsf true && nsunshare --net="$2" true || exit 9
		for f in nsf "$2"; do
			echo "$f $(stat -L -c %i "$f")"
			echo "nsenter $(nsenter --net="$f" stat -L -c %i /proc/self/ns/net)"
			echo "nsjoin $(nsjoin --net="$f" stat -L -c %i /proc/self/ns/net)"
			echo "short $(nsjoin -n"$f" stat -L -c %i /proc/self/ns/net)"
		done
		echo "word $(nsjoin -n "$2" stat -L -c %i /proc/self/ns/net)"' \
		sh "$dir" "$NETNS"
	for i in 0 4; do
		read -r _ file <<<"${lines[i]}"
		[ "$file" != "$named" ]
		assert_equal "${lines[i + 1]}" "nsenter $file"
		assert_equal "${lines[i + 2]}" "nsjoin $file"
		assert_equal "${lines[i + 3]}" "short $file"
	done
	# a separate word after -n is always the name
	assert_equal "${lines[8]}" "word $named"
}

@test "-n NAME as a separate word: options after NAME are options, up to the program" {
	NETNS=$(unique_name nsjoin)
	ip netns add "$NETNS"
	want=$(stat -L -c %i "/run/netns/$NETNS")
	# options after NAME were taken for the program: 127, cannot run '...'
	run -0 --separate-stderr nsjoin -n "$NETNS" --netns-etc \
		stat -L -c %i /proc/self/ns/net
	assert_output "$want"
	assert_equal "$stderr" ""
	run -0 nsjoin --net "$NETNS" -- stat -L -c %i /proc/self/ns/net
	assert_output "$want"
	# a -t after NAME is a target: net from NAME, uts from the target
	start_target -u
	run -0 nsjoin -n "$NETNS" -t "$TARGET" -u sh -c \
		'stat -L -c %i /proc/self/ns/net /proc/self/ns/uts'
	assert_output "$(printf '%s\n%s' "$want" "$(ns_inode "$TARGET" uts)")"
	run -125 --separate-stderr nsjoin -n "$NETNS" -u true
	assert_equal "${stderr_lines[0]}" \
		"nsjoin: -u (--uts) without FILE needs --target"
	# the program's own options stay the program's
	run -0 nsjoin -n "$NETNS" sh -c 'echo "$*"' sh -t 1 -u --netns-etc
	assert_output "-t 1 -u --netns-etc"
	# after --, the next word is the program, never a NAME
	run -125 --separate-stderr nsjoin -n -- "$NETNS"
	assert_equal "${stderr_lines[0]}" \
		"nsjoin: -n (--net) without FILE needs --target"
}

@test "--netns-etc: /etc/netns/NAME files are seen in /etc, only there" {
	NETNS=$(unique_name nsjoin)
	ip netns add "$NETNS"
	etc_netns_resolv "nameserver 192.0.2.53"
	before=$(mount_count)
	run -0 nsjoin --net="$NETNS" --netns-etc cat /etc/resolv.conf
	rm -rf "/etc/netns/$NETNS"
	assert_output "nameserver 192.0.2.53"
	[ "$(mount_count)" = "$before" ]
	run -125 nsjoin -t $$ -n --netns-etc true
	assert_output --partial "--netns-etc needs"
}

@test "--netns-etc: a fresh /sys shows the network namespace's own interfaces" {
	NETNS=$(unique_name nsjoin)
	ip netns add "$NETNS"
	host=$(ls /sys/class/net)
	[ "$host" != lo ] || skip "the host has no interface but lo"
	sys_before=$(grep -c ' /sys ' /proc/self/mountinfo)
	before=$(mount_count)
	run -0 --separate-stderr nsjoin -n "$NETNS" --netns-etc ls /sys/class/net
	assert_output lo
	assert_equal "$stderr" ""
	# the same as ip netns exec; without --netns-etc, /sys is still ours
	run -0 ip netns exec "$NETNS" ls /sys/class/net
	assert_output lo
	run -0 nsjoin -n "$NETNS" ls /sys/class/net
	assert_output "$host"
	[ "$(mount_count)" = "$before" ]
	[ "$(grep -c ' /sys ' /proc/self/mountinfo)" = "$sys_before" ]
}

@test "--netns-etc where sysfs cannot be mounted: a warning, the old /sys, status 0" {
	# sysfs is mounted for a network namespace only by who has
	# CAP_SYS_ADMIN over its owner: after joining a user namespace of
	# its own, nsjoin has none over NETNS, owned by the initial one.
	NETNS=$(unique_name nsjoin)
	ip netns add "$NETNS"
	etc_netns_resolv "nameserver 192.0.2.54"
	start_target -U -r
	host=$(ls /sys/class/net)
	before=$(mount_count)
	run -0 --separate-stderr nsjoin --user="/proc/$TARGET/ns/user" \
		-n "$NETNS" --netns-etc sh -c \
		'ls /sys/class/net; cat /etc/resolv.conf
		stat -L -c %i /proc/self/ns/net /proc/self/ns/user'
	rm -rf "/etc/netns/$NETNS"
	assert_equal "$stderr" "nsjoin: cannot mount a fresh /sys for $NETNS, keeping the old one: Operation not permitted"
	assert_output "$(printf '%s\n%s\n%s\n%s' "$host" \
		"nameserver 192.0.2.54" "$(stat -L -c %i "/run/netns/$NETNS")" \
		"$(ns_inode "$TARGET" user)")"
	[ "$(mount_count)" = "$before" ]
}

@test "-r and -w: root and working directory from the target or as given" {
	cd /var/tmp
	start_target -m
	cd - >/dev/null
	run -0 nsjoin -t "$TARGET" -m pwd
	assert_output /var/tmp
	run -0 nsjoin -t "$TARGET" -m -w/tmp pwd
	assert_output /tmp
	run -0 nsjoin -t "$TARGET" -m -W /usr pwd
	assert_output /usr
	# a root of our own: a copy of sh and the libraries it needs
	dir=$(mktemp -d)
	mkdir -p "$dir/bin" "$dir/inside"
	cp /bin/dash "$dir/bin/sh"
	for lib in $(ldd /bin/dash | grep -o '/[^ ]*'); do
		mkdir -p "$dir$(dirname "$lib")"
		cp "$lib" "$dir$lib"
	done
	touch "$dir/marker"
	run -0 nsjoin -t "$TARGET" -m --root="$dir" -w"$dir/inside" /bin/sh -c \
		'test -e /marker && echo chrooted; echo "$PWD"'
	rm -rf "$dir"
	assert_line chrooted
	assert_line --partial inside
	run -125 --separate-stderr nsjoin -t "$TARGET" -m -r/nonexistent true
	assert_equal "$stderr" "nsjoin: cannot open /nonexistent: No such file or directory"
}

@test "-W: the directory is looked up inside the joined mount namespace" {
	dir=$BATS_TEST_TMPDIR/wdns
	mkdir "$dir"
	# only the target's mount namespace has $dir/only-there
	spawn unshare -m --propagation private sh -c \
		"mount -t tmpfs nsjoin-test '$dir' && mkdir '$dir/only-there' &&
		exec sleep 1000"
	wait_until exe_is_sleep "$SPAWNED_PID"
	[ ! -e "$dir/only-there" ]
	run -0 nsjoin -t "$SPAWNED_PID" -m -W "$dir/only-there" pwd
	assert_output "$dir/only-there"
	run -0 nsjoin -t "$SPAWNED_PID" -m --wdns="$dir/only-there" pwd
	assert_output "$dir/only-there"
	# -w opens its directory before joining: here it does not exist
	run -125 --separate-stderr nsjoin -t "$SPAWNED_PID" -m -w"$dir/only-there" pwd
	assert_equal "$stderr" "nsjoin: cannot open $dir/only-there: No such file or directory"
	run -125 --separate-stderr nsjoin -t "$SPAWNED_PID" -m -W "$dir/nowhere" pwd
	assert_equal "$stderr" "nsjoin: cannot change directory to $dir/nowhere: No such file or directory"
}

@test "-e: the program gets the target's environment" {
	spawn env -i NSJOIN_MARK=target-env-42 PATH=/usr/bin:/bin sleep 1000
	# until env has exec'd sleep, the environment is still the test's
	wait_until grep -qz NSJOIN_MARK "/proc/$SPAWNED_PID/environ"
	run -0 nsjoin -t "$SPAWNED_PID" -u -e env
	assert_line NSJOIN_MARK=target-env-42
	refute_line --partial BATS_
}

@test "-S follow -G follow: the program runs as the target's owner" {
	spawn setpriv --reuid=nobody --regid=nogroup --clear-groups sleep 1000
	wait_until owned_by_nobody "$SPAWNED_PID"
	run -0 nsjoin -t "$SPAWNED_PID" -u -S follow -G follow id -u
	assert_output 65534
	run -0 nsjoin -t "$SPAWNED_PID" -u -S nobody -G nogroup id -g
	assert_output "$(getent group nogroup | cut -d: -f3)"
}

@test "-S NAME -G NAME: the program runs as those ids, with no other groups" {
	start_target -u
	uid=$(getent passwd nobody | cut -d: -f3)
	gid=$(getent group daemon | cut -d: -f3)
	[ "$uid" != 0 ]
	[ "$gid" != 0 ]
	[ "$uid" != "$gid" ]
	run -0 nsjoin -t "$TARGET" -u -S nobody -G daemon sh -c 'id -u; id -g; id -G'
	assert_output "$(printf '%s\n%s\n%s' "$uid" "$gid" "$gid")"
	run -0 nsjoin -t "$TARGET" -u --setuid=nobody --setgid=daemon id -u
	assert_output "$uid"
}

@test "--keep-caps with -S 1000: the program has our capabilities as ambient" {
	start_target -u
	caps=$(awk '$1 == "CapPrm:" { print $2 }' /proc/self/status)
	[ "$caps" != 0000000000000000 ]
	script='id -u; awk '\''$1 == "CapAmb:" { print $2 }'\'' /proc/self/status'
	run -0 nsjoin -t "$TARGET" -u -S 1000 --keep-caps sh -c "$script"
	assert_output "$(printf '1000\n%s' "$caps")"
	# without it, nothing is left after the change of user
	run -0 nsjoin -t "$TARGET" -u -S 1000 sh -c "$script"
	assert_output "$(printf '1000\n0000000000000000')"
}

@test "--preserve-credentials: joining a user namespace keeps our ids" {
	require_userns
	bin=$(nobody_bin)
	# nobody's namespace maps its 0 to nobody; our root is not mapped
	spawn setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$bin/nsunshare" -U -r sleep 1000
	wait_until exe_is_sleep "$SPAWNED_PID"
	overflow=$(cat /proc/sys/kernel/overflowuid)
	run -0 nsjoin -t "$SPAWNED_PID" -U --preserve-credentials sh -c \
		'id -u; stat -L -c %i /proc/self/ns/user'
	assert_output "$(printf '%s\n%s' "$overflow" "$(ns_inode "$SPAWNED_PID" user)")"
	# without it, who joins a user namespace becomes its root
	run -0 nsjoin -t "$SPAWNED_PID" -U id -u
	assert_output 0
}

@test "--user-parent: joins the parent of the target's user namespace" {
	spawn unshare -U -r sh -c 'unshare -U -r sleep 1000'
	target=$(first_child "$SPAWNED_PID")
	wait_until exe_is_sleep "$target"
	want=$(ns_inode "$SPAWNED_PID" user)
	[ "$want" != "$(ns_inode "$target" user)" ]
	run -0 nsjoin -t "$target" --user-parent stat -L -c %i /proc/self/ns/user
	assert_output "$want"
	run -0 nsjoin -t "$target" -U --user-parent stat -L -c %i /proc/self/ns/user
	assert_output "$want"
	# the parent of a FILE's namespace, no target needed
	run -0 nsjoin --user="/proc/$target/ns/user" --user-parent \
		stat -L -c %i /proc/self/ns/user
	assert_output "$want"
	# with -a, although the target's own user namespace is not ours
	run -0 nsjoin -t "$target" -a --user-parent stat -L -c %i /proc/self/ns/user
	assert_output "$want"
	run -125 --separate-stderr nsjoin -t $$ --user-parent true
	assert_equal "$stderr" "nsjoin: cannot get parent user namespace of PID $$: Operation not permitted"
}

@test "-N: the network namespace of a socket whose netns has no process" {
	NETNS=$(unique_name nsjoin)
	ip netns add "$NETNS"
	ip -n "$NETNS" link set lo up
	want=$(stat -L -c %i "/run/netns/$NETNS")
	# the socket is made in NETNS, then its process goes back to ours
	spawn nsenter --net="/run/netns/$NETNS" bash -c \
		'exec 7<>/dev/udp/127.0.0.1/9; exec nsenter --net=/dev/fd/8 sleep 1000' \
		8</proc/self/ns/net
	wait_until net_is_ours "$SPAWNED_PID"
	wait_until exe_is_sleep "$SPAWNED_PID"
	ip netns del "$NETNS"
	NETNS=
	run -0 nsjoin -t "$SPAWNED_PID" -N 7 stat -L -c %i /proc/self/ns/net
	assert_output "$want"
	# -a leaves out what the target shares with us, but not the socket's
	run -0 nsjoin -t "$SPAWNED_PID" -a -N 7 stat -L -c %i /proc/self/ns/net
	assert_output "$want"
	run -125 nsjoin -t "$SPAWNED_PID" -N 0 true
	assert_output --partial "cannot get network namespace of fd 0 of PID $SPAWNED_PID"
}

@test "-c: the program runs in the target's cgroup (full v2 path)" {
	cg2=$(findmnt -n -t cgroup2 -o TARGET | head -n 1)
	[ -n "$cg2" ] || skip "no cgroup2 mount"
	cg=$cg2/nsjoin-test-$$-$RANDOM
	mkdir "$cg"
	spawn sh -c "echo \$\$ >$cg/cgroup.procs && exec sleep 1000"
	wait_until grep -qx "0::/${cg#"$cg2"/}" "/proc/$SPAWNED_PID/cgroup"
	run -0 nsjoin -t "$SPAWNED_PID" -u -c cat /proc/self/cgroup
	assert_line "0::/${cg#"$cg2"/}"
	kill_spawned
	wait_until rmdir "$cg"
}

@test "stdin closed: nsjoin joins, and the program finds stdin still closed" {
	start_target -n
	# The lowest free fd, 0, becomes nsjoin's pidfd or namespace file.
	check='stat -L -c %i /proc/self/ns/net; [ -e /proc/$$/fd/0 ] || echo closed'
	for how in "-t $TARGET -n" "-t $TARGET -n -c" \
		"--net=/proc/$TARGET/ns/net"; do
		# shellcheck disable=SC2086
		run -0 bash -c 'nsjoin "$@" <&-' _ $how sh -c "$check"
		assert_output "$(printf '%s\nclosed' "$(ns_inode "$TARGET" net)")"
	done
}

@test "fds the caller passed in pass through; nsjoin's own do not" {
	start_target -n -p
	want=$(bash -c 'ls /proc/self/fd 5</dev/null')
	run -0 no_leak_check bash -c \
		'nsjoin -t "$1" -n -p ls /proc/self/fd 5</dev/null' \
		_ "$TARGET"
	assert_output "$want"
	assert_line 5
}

@test "nsjoin is non-dumpable before it opens the target or joins" {
	command -v strace >/dev/null || skip "needs strace"
	start_target -n
	log=$BATS_TEST_TMPDIR/strace
	run -0 strace -qq -o "$log" -e trace=prctl,pidfd_open,openat,setns \
		nsjoin -t "$TARGET" -n true
	nodump=$(grep -n 'PR_SET_DUMPABLE, SUID_DUMP_DISABLE) = 0' "$log" |
		cut -d: -f1)
	target=$(grep -n -E "pidfd_open\($TARGET|/proc/$TARGET|setns" "$log" |
		head -n 1 | cut -d: -f1)
	[ -n "$nodump" ] || fail "no PR_SET_DUMPABLE 0 in: $(cat "$log")"
	[ -n "$target" ]
	[ "$nodump" -lt "$target" ] || fail "$(cat "$log")"
}

@test "nobody joins its own user, net and mount namespaces" {
	require_userns
	bin=$(nobody_bin)
	spawn setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$bin/nsunshare" -U -r -n -m sleep 1000
	wait_until exe_is_sleep "$SPAWNED_PID"
	run -0 as_nobody nsjoin -t "$SPAWNED_PID" -U -n -m sh -c \
		'id -u; for t in user net mnt; do stat -L -c %i /proc/self/ns/$t; done'
	assert_output "$(printf '0\n%s\n%s\n%s' "$(ns_inode "$SPAWNED_PID" user)" \
		"$(ns_inode "$SPAWNED_PID" net)" "$(ns_inode "$SPAWNED_PID" mnt)")"
	run -0 as_nobody nsjoin -t "$SPAWNED_PID" -a stat -L -c %i /proc/self/ns/net
	assert_output "$(ns_inode "$SPAWNED_PID" net)"
}

@test "nobody joining root's network namespace: the kernel's reason, 125" {
	require_userns
	start_target -n
	run -125 --separate-stderr as_nobody nsjoin -t "$TARGET" -n true
	[ "$stderr" = "nsjoin: cannot join net namespace of PID $TARGET: Operation not permitted" ]
	run -125 --separate-stderr as_nobody nsjoin -t "$TARGET" -u -n true
	[ "${stderr%%:*}" = nsjoin ]
	[[ $stderr == *"namespace of PID $TARGET: Operation not permitted" ]]
}

@test "differential: nsenter and nsjoin end in the same namespaces" {
	start_target -m -u -i -n -p -C -T
	for opts in "-n" "-m -u" "-i -p" "-C -T" "-a" "-n -u -i -m -p"; do
		lsan=()
		case $opts in *-p* | -a) lsan=(no_leak_check) ;; esac
		# shellcheck disable=SC2086
		ours=$("${lsan[@]}" nsjoin -t "$TARGET" $opts sh -c "$inodes_script")
		# shellcheck disable=SC2086
		theirs=$(nsenter -t "$TARGET" $opts sh -c "$inodes_script")
		[ "$ours" = "$theirs" ] || fail "$opts: $ours <> $theirs"
	done
}

# secret_dir: SECRET_DIR holding a file "secret" that a target started
# with start_target_hiding cannot see (a tmpfs covers the directory there).
secret_dir() {
	SECRET_DIR=$(mktemp -d "$BATS_TEST_TMPDIR/secret.XXXXXX")
	echo HOSTSECRET >"$SECRET_DIR/secret"
}
start_target_hiding() {
	spawn nsunshare "$@" -m --propagation=private sh -c \
		'mount -t tmpfs hide "$1" && exec sleep 1000' sh "$SECRET_DIR"
	TARGET=$SPAWNED_PID
	wait_until exe_is_sleep "$TARGET"
}

@test "/proc/C with /proc/D bound over it: refused, D's root never taken" {
	secret_dir
	start_target_hiding -U -r
	spawn sleep 1000
	other=$SPAWNED_PID
	# before the fix: C's namespaces through the pidfd, D's root from
	# the directory, and the host's file printed
	run -125 --separate-stderr timeout 20 unshare -m --propagation private \
		sh -c 'mount --bind "/proc/$1" "/proc/$2" && shift 2 && exec "$@"' \
		sh "$other" "$TARGET" nsjoin -t "$TARGET" -m -U cat "$SECRET_DIR/secret"
	assert_output ""
	assert_equal "$stderr" "nsjoin: cannot trust /proc/$TARGET: a mount covers it"
	# without the mount, the target's own view: the file is hidden
	run -1 nsjoin -t "$TARGET" -m -U cat "$SECRET_DIR/secret"
}

@test "/proc/C/root or /proc/C/cwd with a symlink mounted over it: refused, never the host's directory" {
	command -v perl >/dev/null || skip "needs perl"
	secret_dir
	start_target_hiding -U -r
	ln -s / "$BATS_TEST_TMPDIR/host-root"
	ln -s "$SECRET_DIR" "$BATS_TEST_TMPDIR/host-dir"
	# before the fix: C's namespaces joined, the root (or cwd) taken
	# through the link mounted over C's own, and the host's file printed
	# shellcheck disable=SC2016 # expanded by the inner bash
	cover='mount_symlink_over "$1" "/proc/$2" "$3" && shift 3 && exec "$@"'
	run -125 --separate-stderr timeout 20 unshare -m --propagation private \
		bash -c "$(declare -f mount_symlink_over); $cover" _ \
		"$BATS_TEST_TMPDIR/host-root" "$TARGET" root \
		nsjoin -t "$TARGET" -m -U cat "$SECRET_DIR/secret"
	assert_output ""
	assert_equal "$stderr" "nsjoin: cannot open root directory of PID $TARGET: /proc/$TARGET/root is covered by a mount"
	run -125 --separate-stderr timeout 20 unshare -m --propagation private \
		bash -c "$(declare -f mount_symlink_over); $cover" _ \
		"$BATS_TEST_TMPDIR/host-dir" "$TARGET" cwd \
		nsjoin -t "$TARGET" -m -U -w cat secret
	assert_output ""
	assert_equal "$stderr" "nsjoin: cannot open cwd directory of PID $TARGET: /proc/$TARGET/cwd is covered by a mount"
}

@test "/proc of another PID namespace, where PID C is another process: refused" {
	# the sanitizers' runtime reads /proc/self, which is not ours there
	if ldd "$(command -v nsjoin)" | grep -q libasan; then
		skip "a SANITIZE=1 build cannot run with another PID namespace's /proc"
	fi
	secret_dir
	start_target_hiding
	# In a mount namespace of the test's own, /proc becomes the procfs of
	# a new PID namespace in which a sleep is given the number C (through
	# ns_last_pid): its /proc/C is that sleep, with the host's root.
	# shellcheck disable=SC2016 # expanded by the inner shells
	run -125 --separate-stderr timeout 20 unshare -m --propagation private sh -c '
		c=$1 dir=$2
		unshare -p -f --kill-child sh -c "mount -t proc proc /proc || exit
			echo $((c - 1)) >/proc/sys/kernel/ns_last_pid
			sleep 1000 & wait" &
		holder=$!
		for _ in $(seq 100); do
			[ -e /proc/$c/status ] && ! readlink /proc/self >/dev/null &&
				break
			sleep 0.1
		done
		grep -q "^NSpid:.$c\$" /proc/$c/status || echo "no decoy $c" >&2
		nsjoin -t $c -m cat "$dir/secret"
		rc=$?
		kill -KILL $holder
		exit $rc' sh "$TARGET" "$SECRET_DIR"
	assert_output ""
	assert_equal "$stderr" "nsjoin: cannot trust /proc: it is not the procfs of our PID namespace"
}

@test "-p: a FIFO at the child's /proc/N/status in the container: signals still forwarded" {
	# The container's own /proc is a tmpfs; once nsjoin's child N runs,
	# N/status there becomes a FIFO.  nsjoin, chrooted into the container,
	# must read the child's state through its own /proc, never this one.
	spawn nsunshare -f -p -m --propagation=private sh -c \
		'mount -t tmpfs fake /proc && exec sleep 1000'
	TARGET=$(first_child "$SPAWNED_PID")
	wait_until exe_is_sleep "$TARGET"
	spawn env LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}detect_leaks=0" \
		nsjoin -t "$TARGET" -m -p sleep 1000
	joiner=$SPAWNED_PID
	child=$(first_child "$joiner")
	wait_until exe_is_sleep "$child"
	nsenter -t "$TARGET" -m sh -c \
		'mkdir -p "/proc/$1" && mkfifo "/proc/$1/status"' sh "$child"
	kill -TERM "$joiner"
	# before the fix nsjoin blocked opening the FIFO: the child lived on
	run timeout 10 sh -c 'while kill -0 "$1" 2>/dev/null; do sleep 0.1; done' \
		sh "$child"
	[ "$status" = 0 ] || fail "the child was not signalled"
	run wait "$joiner"
	assert_equal "$status" 143
}

@test "race: a target killed meanwhile is joined or refused, never another" {
	ours=$(ns_inode self net)
	for i in $(seq 1 200); do
		unshare -n sleep 1000 3>&- &
		pid=$!
		# record the target's namespace once it has made it
		want=$ours
		while [ "$want" = "$ours" ]; do
			want=$(ns_inode "$pid" net)
		done
		kill -KILL "$pid" &
		rc=0
		out=$(nsjoin -t "$pid" -n stat -L -c %i /proc/self/ns/net 2>&1) ||
			rc=$?
		wait
		if [ "$rc" -eq 0 ]; then
			[ "$out" = "$want" ] || fail "run $i joined $out, not $want"
		else
			[ "$rc" -eq 125 ] || fail "run $i: status $rc: $out"
			[[ $out == "nsjoin: cannot "*"PID $pid"* ]] ||
				fail "run $i: $out"
		fi
	done
}

@test "a PID reused while nsjoin waits to join: refused, 125, never joined" {
	command -v strace >/dev/null || skip "needs strace"
	# In a PID namespace of our own, so that PID 2 can be handed out
	# again on purpose: nsjoin opens target 2 and is held at the entry
	# of its first setns(2); meanwhile 2 is killed, and a new process in
	# a network namespace of its own is given PID 2.  The first setns is
	# the pidfd one, or (EINVAL injected) the one an old kernel refuses,
	# after which nsjoin goes through /proc/PID/ns.
	script='
	dir=$1 inject=$2
	netns_of() { stat -L -c %i "/proc/$1/ns/net"; }
	unshare -n sleep 1000 &
	target=$!
	until [ "$(netns_of $target)" != "$(netns_of self)" ]; do :; done
	echo "target $target $(netns_of $target)"
	# held, so that the new netns cannot be given its freed inode number
	exec 7<"/proc/$target/ns/net"
	strace -qq -o "$dir/strace" -e trace=pidfd_open,setns \
		-e inject=setns:$inject nsjoin -t $target -n \
		stat -L -c %i /proc/self/ns/net >"$dir/out" 2>"$dir/err" &
	tracer=$!
	for _ in $(seq 1 1000); do
		grep -qs "^setns(" "$dir/strace" && break
		sleep 0.01
	done
	kill -KILL $target
	wait $target 2>/dev/null
	echo $((target - 1)) >/proc/sys/kernel/ns_last_pid
	unshare -n sleep 1000 &
	new=$!
	until [ "$(netns_of $new)" != "$(netns_of self)" ]; do :; done
	echo "new $new $(netns_of $new)"
	rc=0
	wait $tracer || rc=$?
	echo "status $rc"
	kill -KILL $new'
	for inject in delay_enter=3000000 \
		error=EINVAL:delay_enter=3000000:when=1; do
		rm -f "$BATS_TEST_TMPDIR"/{strace,out,err}
		run -0 no_leak_check unshare -pf --mount-proc bash -c \
			"$script" _ "$BATS_TEST_TMPDIR" "$inject"
		# bash may report the killed job ("line N: 2 Killed ...")
		mapfile -t lines < <(grep -v '^_: line [0-9]*: .* Killed ' <<<"$output")
		assert_equal "${#lines[@]}" 3 || fail "$output"
		read -r what target old <<<"${lines[0]}"
		assert_equal "$what" target
		read -r what new reused <<<"${lines[1]}"
		assert_equal "$what" new
		# the PID really was reused, by a process in another netns
		assert_equal "$new" "$target"
		[ "$reused" != "$old" ]
		assert_equal "${lines[2]}" "status 125"
		# target 2 was opened before it died; the join came after
		log=$(cat "$BATS_TEST_TMPDIR/strace")
		pidfd=$(sed -n "s/^pidfd_open($target, 0) *= \([0-9]*\)$/\1/p" \
			<<<"$log")
		[ -n "$pidfd" ] || fail "$log"
		grep -q "^setns($pidfd, CLONE_NEWNET).*(DELAYED)" <<<"$log" ||
			fail "$log"
		assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" \
			"nsjoin: cannot join namespaces of PID $target: it has exited"
		# the program never ran, in either namespace
		assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" ""
	done
}

@test "kernel without setns(pidfd) (EINVAL injected): joined through /proc/PID/ns" {
	command -v strace >/dev/null || skip "needs strace"
	start_target -n -u
	log=$BATS_TEST_TMPDIR/strace
	# Linux before 5.8 refuses setns on a pidfd with EINVAL: the first
	# setns(2) of nsjoin is made to fail so, the later ones are real.
	run -0 strace -f -qq -o "$log" -e trace=setns \
		-e inject=setns:error=EINVAL:when=1 \
		nsjoin -t "$TARGET" -n -u sh -c "$inodes_script"
	assert_line "net $(ns_inode "$TARGET" net)"
	assert_line "uts $(ns_inode "$TARGET" uts)"
	assert_line "ipc $(ns_inode self ipc)"
	grep -q 'CLONE_NEWNET.*(INJECTED)' "$log"
	[ "$(grep -c ' = 0$' "$log")" = 2 ]
}

@test "-U of a target in our own user namespace: it says so, naming user" {
	run -125 --separate-stderr nsjoin -t $$ -U -u true
	assert_equal "$stderr" "nsjoin: cannot join user namespace of PID $$: it already is your user namespace"
	run -125 --separate-stderr nsjoin --user=/proc/self/ns/user true
	assert_equal "$stderr" "nsjoin: cannot join user namespace /proc/self/ns/user: it already is your user namespace"
}

@test "-t FILE of a namespace: the option that takes it is named" {
	NETNS=$(unique_name nsjoin)
	ip netns add "$NETNS"
	run -125 --separate-stderr nsjoin -t "/run/netns/$NETNS" -n true
	assert_equal "${stderr_lines[0]}" "nsjoin: '/run/netns/$NETNS' is a net namespace file, not a PID: join it with --net=/run/netns/$NETNS"
	assert_equal "${stderr_lines[1]}" "Try 'nsjoin --help' for more information."
	run -125 --separate-stderr nsjoin -t /proc/self/ns/uts true
	assert_equal "${stderr_lines[0]}" "nsjoin: '/proc/self/ns/uts' is a uts namespace file, not a PID: join it with --uts=/proc/self/ns/uts"
	run -125 --separate-stderr nsjoin -t /etc/passwd -n true
	assert_equal "${stderr_lines[0]}" "nsjoin: invalid PID: '/etc/passwd'"
}

@test "bad PIDs: one-line error, status 125" {
	for bad in 0 -1 abc 12x ""; do
		run -125 --separate-stderr nsjoin -t "$bad" -n true
		[ "${lines[0]:-}" = "" ]
		[ "${stderr_lines[0]}" = "nsjoin: invalid PID: '$bad'" ]
	done
	dead=$(dead_pid)
	run -125 --separate-stderr nsjoin -t "$dead" -n true
	[ "$stderr" = "nsjoin: cannot open PID $dead: No such process" ]
}

@test "no namespace, or no target: a usage error, status 125" {
	run -125 --separate-stderr nsjoin -t $$ hostname
	assert_equal "${stderr_lines[0]}" "nsjoin: no namespace to join: add -a for all of the target's, or some of -m -u -i -n -p -U -C -T"
	assert_equal "${stderr_lines[1]}" "Try 'nsjoin --help' for more information."
	run -125 --separate-stderr nsjoin -u true
	assert_equal "${stderr_lines[0]}" "nsjoin: -u (--uts) without FILE needs --target"
	run -125 --separate-stderr nsjoin -n
	assert_equal "${stderr_lines[0]}" "nsjoin: -n (--net) without FILE needs --target"
	run -125 --separate-stderr nsjoin -a true
	assert_equal "${stderr_lines[0]}" "nsjoin: -a (--all) needs --target"
	# attached, .. is the directory (as nsenter takes it); a word, a name
	run -125 --separate-stderr nsjoin -n.. true
	assert_equal "${stderr_lines[0]}" "nsjoin: .. is not a namespace file"
	run -125 --separate-stderr nsjoin -n . true
	[[ ${stderr_lines[0]} == "nsjoin: invalid netns name: '.': "* ]]
	run -125 --separate-stderr nsjoin --bogus
	[[ ${stderr_lines[0]} == "nsjoin: unrecognized option '--bogus'" ]]
	run -125 --separate-stderr nsjoin -t $$ -u -S nosuchuser true
	[[ ${stderr_lines[0]} == "nsjoin: invalid uid: 'nosuchuser'" ]]
	run -125 --separate-stderr nsjoin -t $$ -u -G x true
	[[ ${stderr_lines[0]} == "nsjoin: invalid gid: 'x'" ]]
	run -125 --separate-stderr nsjoin -t $$ -N x true
	[[ ${stderr_lines[0]} == "nsjoin: invalid file descriptor: 'x'" ]]
}

@test "bad namespace files: not one, wrong type, missing name: 125" {
	run -125 --separate-stderr nsjoin --net=/etc/passwd true
	assert_equal "$stderr" "nsjoin: /etc/passwd is not a namespace file"
	run -125 --separate-stderr nsjoin --net=/proc/self/ns/uts true
	assert_equal "$stderr" "nsjoin: /proc/self/ns/uts is a uts namespace, not net"
	name=$(unique_name missing)
	run -125 --separate-stderr nsjoin --net="$name" true
	assert_equal "$stderr" "nsjoin: cannot open /run/netns/$name: No such file or directory"
	[ ! -e "/run/netns/$name" ]
}

@test "--net=FILE that another user made a FIFO or a device: refused at once" {
	# an open(2) for reading would block on the FIFO (and act on a device)
	fifo=$BATS_TEST_TMPDIR/fifo
	mkfifo "$fifo"
	run -125 --separate-stderr timeout 10 nsjoin --net="$fifo" true
	assert_equal "$stderr" "nsjoin: $fifo is not a namespace file"
	run -125 --separate-stderr timeout 10 nsjoin --uts=/dev/null true
	assert_equal "$stderr" "nsjoin: /dev/null is not a namespace file"
	# a symlink to a namespace file is still followed
	ln -s /proc/self/ns/net "$BATS_TEST_TMPDIR/link"
	run -0 nsjoin --net="$BATS_TEST_TMPDIR/link" stat -L -c %i /proc/self/ns/net
	assert_output "$(ns_inode self net)"
}

@test "--net=FILE with a /proc that is not procfs (FIFOs at /proc/self/fd/N): refused at once" {
	# the sanitizers' runtime reads /proc/self, which is made up here
	if ldd "$(command -v nsjoin)" | grep -q libasan; then
		skip "a SANITIZE=1 build cannot run with a /proc that is not procfs"
	fi
	# the nsfs file is reopened through /proc/self/fd: a FIFO there
	# blocked the open (and a device there would have been opened)
	f=$BATS_TEST_TMPDIR/netns
	: >"$f"
	# shellcheck disable=SC2016 # expanded by the inner bash
	run -125 --separate-stderr timeout 20 unshare -m --propagation private bash -c '
		mount --bind /proc/self/ns/net "$1"
		mount -t tmpfs fake /proc
		mkdir -p /proc/self/fd /proc/thread-self/fd
		for i in $(seq 0 40); do
			mkfifo /proc/self/fd/$i /proc/thread-self/fd/$i
		done
		exec nsjoin --net="$1" true' _ "$f"
	assert_equal "$stderr" "nsjoin: cannot open $f: /proc/self/fd is not procfs's own"
}

@test "-nNAME of a file or directory in /run/netns that is no namespace: 125" {
	mkdir -p /run/netns
	JUNK=/run/netns/$(unique_name junk)
	echo junk >"$JUNK"
	run -125 --separate-stderr nsjoin -n"${JUNK##*/}" true
	assert_equal "$stderr" "nsjoin: $JUNK is not a namespace file"
	assert_equal "$(cat "$JUNK")" junk
	rm "$JUNK"
	mkdir "$JUNK"
	run -125 --separate-stderr nsjoin --net="${JUNK##*/}" true
	assert_equal "$stderr" "nsjoin: $JUNK is not a namespace file"
	[ -d "$JUNK" ]
}

@test "-Z where SELinux is off or absent: one line, 125, the program never runs" {
	[ ! -e /sys/fs/selinux/enforce ] || skip "SELinux is enabled here"
	start_target -n
	run -125 --separate-stderr nsjoin -t "$TARGET" -n -Z echo ran
	assert_output ""
	assert_equal "$stderr" "nsjoin: --follow-context needs SELinux: it is not enabled"
	run -125 --separate-stderr nsjoin -t "$TARGET" -n --follow-context echo ran
	assert_equal "$stderr" "nsjoin: --follow-context needs SELinux: it is not enabled"
	# without libselinux (an empty file in its place, in a private mount
	# namespace): the same one line naming the library
	lib=$(ldconfig -p | awk '$1 == "libselinux.so.1" { print $NF; exit }')
	if [ -n "$lib" ]; then
		run -125 --separate-stderr unshare -m --propagation private sh -c \
			'mount --bind /dev/null "$1" && shift && exec "$@"' sh "$lib" \
			nsjoin -t "$TARGET" -n -Z echo ran
		assert_output ""
		assert_equal "$stderr" "nsjoin: --follow-context needs SELinux: cannot load libselinux.so.1"
	fi
	# it needs a target to follow; and nsjoin does not link libselinux
	run -125 --separate-stderr nsjoin --net=/proc/self/ns/net -Z true
	assert_equal "${stderr_lines[0]}" "nsjoin: an option that takes from the target needs --target"
	run -0 ldd "$(command -v nsjoin)"
	refute_output --partial libselinux
}

@test "the program's status: 126 not executable, 127 not found" {
	start_target -u
	run -127 --separate-stderr nsjoin -t "$TARGET" -u /nonexistent/prog
	[[ $stderr == "nsjoin: cannot run '/nonexistent/prog': No such file or directory" ]]
	run -126 nsjoin -t "$TARGET" -u /etc/passwd
	run -0 nsjoin -t "$TARGET" -u env SHELL=/bin/true nsjoin -t "$TARGET" -u
}

@test "no program: \$SHELL runs, or /bin/sh with SHELL unset or empty" {
	start_target -n
	run -0 env -u SHELL nsjoin -t "$TARGET" -n <<<'echo "$0"; stat -L -c %i /proc/self/ns/net'
	assert_output "$(printf '/bin/sh\n%s' "$(ns_inode "$TARGET" net)")"
	run -0 env SHELL= nsjoin -t "$TARGET" -n <<<'echo "$0"'
	assert_output /bin/sh
	run -0 env SHELL=/bin/bash nsjoin -t "$TARGET" -n <<<'echo "$0"'
	assert_output /bin/bash
}

@test "--help and --version go to stdout, exit 0" {
	run -0 --separate-stderr nsjoin --help
	assert_line --index 1 " nsjoin [options] [program [argument ...]]"
	[ -z "$stderr" ]
	while IFS= read -r l; do [ "${#l}" -le 80 ]; done <<<"$output"
	run -0 nsjoin -V
	assert_output --regexp '^nsjoin from nstools [0-9.]+$'
}

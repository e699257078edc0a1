#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# netnslink: names under /run/netns, checked against ip netns and the kernel.
# Most tests run in a private mount namespace with a tmpfs on /run, so the
# names, the self-bind of /run/netns and ip netns all live and die there.

load helper
bats_require_minimum_version 1.5.0

setup() {
	require_root
	REAL_NAMES=()
}

teardown() {
	local n
	for n in "${REAL_NAMES[@]}"; do
		ip netns delete "$n" 2>/dev/null || true
	done
	kill_spawned
}

teardown_file() {
	cleanup_nobody_bin
}

# priv SCRIPT: run SCRIPT (bash, set -e) in a private mount namespace with
# an empty tmpfs on /run.
priv() {
	unshare -m --propagation private -- bash -ec \
		'umount -l /run/netns 2>/dev/null || true
		mount -t tmpfs tmpfs /run; eval "$1"' _ "$1"
}

# own_netns PID: is PID in a network namespace other than ours?
own_netns() {
	[ "$(ns_inode "$1" net)" != "$(ns_inode self net)" ]
}

# netns_proc: start a process in a new network namespace with a veth link
# of its own, v0; sets PID.
netns_proc() {
	spawn nsunshare -n sleep 1000
	PID=$SPAWNED_PID
	wait_until own_netns "$PID"
	nsenter -t "$PID" -n ip link add v0 type veth peer name v1
}

# mounts_at DIR: how many mounts sit on DIR in our mount namespace.
mounts_at() {
	awk -v d="$1" '$5 == d' /proc/self/mountinfo | wc -l
}

@test "PID NAME: ip netns list shows the name and ip netns exec sees its veth" {
	netns_proc
	run priv "netnslink $PID blue; ip netns list; ip netns exec blue ip -br link"
	assert_success
	assert_line --regexp '^blue'
	assert_line --regexp '^v0@v1 '
}

@test "PID NAME: the name still works after the process exits" {
	netns_proc
	ino=$(ns_inode "$PID" net)
	run priv "netnslink $PID blue; kill -KILL $PID
		while kill -0 $PID 2>/dev/null; do sleep 0.1; done
		stat -L -c %i /run/netns/blue; ip netns exec blue ip -br link
		netnslink -r -n -o name,kind,ns,nprocs"
	assert_success
	assert_line "$ino"
	assert_line --regexp '^v0@v1 '
	assert_line "blue bind $ino 0"
}

@test "--symlink: a link to /proc/PID/ns/net that turns dangling when the process exits" {
	netns_proc
	ino=$(ns_inode "$PID" net)
	run priv "netnslink --symlink $PID red
		readlink /run/netns/red
		netnslink -r -n -o name,kind,ns
		kill -KILL $PID; while kill -0 $PID 2>/dev/null; do sleep 0.1; done
		netnslink -r -n -o name,kind,ns
		grep -c /run/netns/red /proc/self/mountinfo || true"
	assert_success
	assert_line "/proc/$PID/ns/net"
	assert_line "red symlink $ino"
	assert_line "red dangling "
	assert_line 0
}

@test "--new --loopback: ip netns exec finds a new namespace with lo up" {
	run priv "netnslink --new --loopback a; netnslink --new b
		ip netns exec a ip -br link; ip netns exec b ip -br link
		test \$(stat -L -c %i /run/netns/a) != \$(stat -L -c %i /proc/self/ns/net)"
	assert_success
	assert_line --regexp '^lo +UNKNOWN .*<LOOPBACK,UP,LOWER_UP>'
	assert_line --regexp '^lo +DOWN '
}

@test "-d: ip netns list no longer has the name and its mount is gone" {
	run priv "netnslink --new a; netnslink --new b
		grep -c ' /run/netns/a ' /proc/self/mountinfo
		netnslink -d a
		echo list:; ip netns list
		grep -c ' /run/netns/a ' /proc/self/mountinfo || true
		test ! -e /run/netns/a"
	assert_success
	assert_equal "${lines[0]}" 1
	assert_equal "${lines[1]}" list:
	assert_equal "${lines[2]}" b
	assert_equal "${lines[3]}" 0
}

@test "a name from ip netns add is listed by netnslink and removed by netnslink -d" {
	run priv "ip netns add fromip
		netnslink -r -n -o name,kind,ns
		stat -L -c 'ino %i' /run/netns/fromip
		netnslink -d fromip; echo list:; ip netns list; ls /run/netns"
	assert_success
	ino=$(echo "$output" | awk '/^ino /{print $2}')
	assert_line "fromip bind $ino"
	assert_equal "${lines[-1]}" list:
}

@test "a name from netnslink is removed by ip netns delete" {
	netns_proc
	run priv "netnslink $PID mine; ip netns delete mine
		ls -A /run/netns; grep -c /run/netns/mine /proc/self/mountinfo || true"
	assert_success
	assert_output 0
}

@test "--identify agrees with ip netns identify, --pids with ip netns pids" {
	netns_proc
	run priv "netnslink $PID one; ip netns attach two $PID; netnslink --new other
		echo ours:; netnslink -i $PID; echo ip:; ip netns identify $PID
		echo pids:; netnslink --pids two; echo ippids:; ip netns pids two"
	assert_success
	# ip netns identify prints one of the names; netnslink prints all.
	assert_output --regexp "^ours:
one
two
ip:
(one|two)
pids:
$PID
ippids:
$PID\$"
}

@test "-J: JSON that jq reads, with numbers as numbers" {
	netns_proc
	run priv "netnslink $PID j; netnslink --new k; netnslink -J |
		jq -c '.netns[] | [.name, .kind, .ns, .nprocs, .pids]'"
	assert_success
	assert_line "[\"j\",\"bind\",$(ns_inode "$PID" net),1,[$PID]]"
	assert_line --regexp '^\["k","bind",[0-9]+,0,'
}

@test "PID of the caller's own namespace is allowed and --list says current" {
	run priv "netnslink \$\$ here; netnslink -r -n -o name,note"
	assert_success
	assert_output "here current"
}

# The VM's own PID 1 is not ours to look at, so "host" is tested where PID 1
# is: a new PID namespace with its own /proc, in which the caller's PID 1 is
# the shell that runs the script.  "host" is read from the /proc mounted in
# the caller's mount namespace, and wins over "current".
@test "PID 1's namespace is allowed and --list says host; another netns has no note" {
	d=$BATS_TEST_TMPDIR/names
	run unshare -pf --mount-proc bash -ec '
		netnslink --dir "$1" 1 h
		netnslink --dir "$1" --new other
		unshare -n bash -ec "netnslink --dir \"\$1\" \$\$ c
			netnslink --dir \"\$1\" -r -n -o note,name" _ "$1"
		echo --
		netnslink --dir "$1" -r -n -o note,name
		netnslink --dir "$1" -J -o name,note | jq -c "[.netns[].note]"' _ "$d"
	assert_success
	assert_output "current c
host h
 other
--
 c
host h
 other
[null,\"host\",null]"
}

@test "/run/netns becomes a shared mount of its own: a name made later appears in a copy" {
	run priv "netnslink --new first
		awk '\$5 == \"/run/netns\"' /proc/self/mountinfo
		mkfifo /run/go
		unshare -m --propagation unchanged bash -c 'read < /run/go; ls /run/netns' &
		netnslink --new later; echo > /run/go; wait"
	assert_success
	assert_line --regexp ' /run/netns rw[^ ]* shared:[0-9]+ '
	assert_line later
}

@test "the self-bind is recursive: a name mounted before it stays visible" {
	netns_proc
	run priv "mkdir /run/netns; touch /run/netns/old
		mount --bind /proc/$PID/ns/net /run/netns/old
		netnslink --new new; netnslink -r -n -o name,kind"
	assert_success
	assert_output "new bind
old bind"
}

@test "two runs at once on a fresh directory leave one self-bind, not a stack" {
	run priv "for i in 1 2 3 4 5; do
			d=/run/t\$i
			netnslink --dir \$d --new a & netnslink --dir \$d --new b & wait
			awk -v d=\$d '\$5 == d' /proc/self/mountinfo | wc -l
			ls \$d | tr '\n' ' '; echo
		done"
	assert_success
	assert_equal "$(grep -c '^1$' <<<"$output")" 5
	assert_equal "$(grep -c '^a b $' <<<"$output")" 5
}

@test "--dir /var/run/netns follows the link to /run/netns" {
	[ -L /var/run ] || skip "/var/run is not a link here"
	run priv "netnslink --dir /var/run/netns --new v; ls /run/netns
		awk '\$5 ~ /netns/ {print \$5}' /proc/self/mountinfo"
	assert_success
	assert_output "v
/run/netns
/run/netns/v"
}

@test "real /run/netns: a unique name is seen by ip netns and removed again" {
	n=$(unique_name link)
	REAL_NAMES+=("$n")
	run netnslink --new "$n"
	assert_success
	run ip netns list
	assert_line --regexp "^$n( |$)"
	run ip netns exec "$n" ip -br link
	assert_line --regexp '^lo +DOWN'
	run netnslink -d "$n"
	assert_success
	run -0 ip netns list
	refute_output --partial "$n"
	run grep -c " /run/netns/$n " /proc/self/mountinfo
	assert_output 0
}

@test "real /run/netns: a name from ip netns add is listed" {
	n=$(unique_name ipadd)
	REAL_NAMES+=("$n")
	ip netns add "$n"
	run netnslink -r -n -o name,kind
	assert_success
	assert_line "$n bind"
	run netnslink -d "$n"
	assert_success
	[ ! -e "/run/netns/$n" ]
}

# ---- bad input --------------------------------------------------------------

@test "invalid names: status 2, one line, nothing created" {
	long=$(printf 'x%.0s' $(seq 300))
	for name in '' a/b .. . "$long"; do
		run -2 --separate-stderr netnslink --dir "$BATS_TEST_TMPDIR/d" --new "$name"
		assert_equal "${stderr_lines[0]:0:23}" "netnslink: invalid name"
		assert_equal "${#stderr_lines[@]}" 2
		run -2 netnslink --dir "$BATS_TEST_TMPDIR/d" $$ "$name"
		run -2 netnslink --dir "$BATS_TEST_TMPDIR/d" -d "$name"
	done
	[ ! -e "$BATS_TEST_TMPDIR/d" ]
}

@test "an existing name without --force: status 1, the old one untouched; --force replaces it" {
	netns_proc
	run priv "netnslink --new taken; old=\$(stat -L -c %i /run/netns/taken)
		netnslink $PID taken 2>/run/err && exit 9 || echo rc=\$?
		cat /run/err
		test \$(stat -L -c %i /run/netns/taken) = \$old && echo untouched
		netnslink -f $PID taken; stat -L -c %i /run/netns/taken
		grep -c ' /run/netns/taken ' /proc/self/mountinfo"
	assert_success
	assert_output "rc=1
netnslink: /run/netns/taken already exists (--force replaces it)
untouched
$(ns_inode "$PID" net)
1"
}

@test "a dead PID: status 1, no such process, nothing created" {
	pid=$(dead_pid)
	run -1 --separate-stderr netnslink --dir "$BATS_TEST_TMPDIR/d" "$pid" x
	assert_equal "$stderr" "netnslink: cannot open PID $pid: No such process"
	run -1 netnslink --dir "$BATS_TEST_TMPDIR/d" --symlink "$pid" x
	run -1 netnslink -i "$pid"
	[ ! -e "$BATS_TEST_TMPDIR/d" ]
}

@test "a zombie is as dead as an exited PID" {
	spawn bash -c 'sleep 0 & exec sleep 1000'
	z=$(first_child "$SPAWNED_PID")
	wait_until grep -q '^State:.*Z' "/proc/$z/status"
	run -1 --separate-stderr netnslink --dir "$BATS_TEST_TMPDIR/d" "$z" x
	assert_equal "$stderr" "netnslink: cannot open PID $z: No such process"
	[ ! -e "$BATS_TEST_TMPDIR/d" ]
}

@test "malformed PIDs and options: status 2 and a hint" {
	for pid in abc 0 -1 12x 99999999999; do
		run -2 --separate-stderr netnslink -- "$pid" x
		assert_equal "$stderr" "netnslink: invalid PID '$pid'
Try 'netnslink --help' for more information."
	done
	run -2 --separate-stderr netnslink --bogus
	assert_equal "${stderr_lines[-1]}" "Try 'netnslink --help' for more information."
	run -2 netnslink 1
	run -2 netnslink 1 a b
	run -2 netnslink --new
	run -2 netnslink --new a b
	run -2 netnslink -d
	run -2 netnslink --new -d a
	run -2 netnslink --loopback 1 a
	run -2 netnslink --symlink --new a
	run -2 netnslink -J --new a
	run -2 --separate-stderr netnslink -o name,bogus
	assert_equal "${stderr_lines[0]}" "netnslink: unknown column: bogus"
	run -2 --separate-stderr netnslink -J -r
	assert_equal "${stderr_lines[0]}" "netnslink: --json and --raw exclude each other"
}

@test "-d refuses what is not a namespace mount or our link, and leaves it" {
	d=$BATS_TEST_TMPDIR/d
	mkdir "$d"
	touch "$d/plain"
	ln -s /etc/passwd "$d/passwd"
	mkfifo "$d/fifo"
	for n in plain passwd fifo; do
		run -1 --separate-stderr netnslink --dir "$d" -d "$n"
		assert_equal "$stderr" "netnslink: refusing to remove $d/$n: neither a network namespace mount nor a link to /proc/PID/ns/net"
		[ -e "$d/$n" ] || [ -L "$d/$n" ]
	done
	run -1 --separate-stderr netnslink --dir "$d" -d missing
	assert_equal "$stderr" "netnslink: cannot remove $d/missing: No such file or directory"
	run -1 --separate-stderr netnslink --dir "$d" --pids plain
	assert_equal "$stderr" "netnslink: $d/plain is not a network namespace"
}

@test "-d removes what it can and reports the rest with status 1" {
	run priv "netnslink --new a; netnslink --new b
		netnslink -d a nope b 2>/run/err || echo rc=\$?
		cat /run/err; ls -A /run/netns"
	assert_success
	assert_output "rc=1
netnslink: cannot remove /run/netns/nope: No such file or directory"
}

@test "as nobody: the kernel's reason, and nothing left behind" {
	require_userns
	d=/tmp/nst-netnslink-$$-$RANDOM
	mkdir -m 755 "$d" && chown nobody "$d"
	run -1 --separate-stderr as_nobody netnslink --dir "$d/n/m" --new a
	assert_equal "$stderr" "netnslink: cannot bind-mount $d/n/m onto itself: Operation not permitted"
	# the directories it made are gone again
	run ls -A "$d"
	assert_output ""
	run mounts_at "$d/n/m"
	assert_output 0
	rm -rf "$d"
}

@test "a failure after the directory was made and bound takes both back; an old directory stays" {
	d=$(mktemp -d)
	run unshare -m bash -c '
		d=$1
		# (no leak check: LeakSanitizer cannot run under ptrace)
		fail_unshare() {
			LSAN_OPTIONS=detect_leaks=0 strace -qq -o /dev/null \
				-e inject=unshare:error=ENOMEM "$@"
		}
		fail_unshare netnslink --dir "$d/x/y" --new a; echo "rc=$?"
		ls -A "$d"; grep -c " $d/" /proc/self/mountinfo
		netnslink --dir "$d/x/y" --new b
		fail_unshare netnslink --dir "$d/x/y" --new c; echo "rc=$?"
		ls -A "$d/x/y"; grep -c " $d/" /proc/self/mountinfo' sh "$d"
	rmdir "$d" 2>/dev/null || rm -r "$d"
	assert_output "netnslink: cannot create a network namespace: Cannot allocate memory
rc=1
0
netnslink: cannot create a network namespace: Cannot allocate memory
rc=1
b
2"
}

@test "as nobody in its own user and mount namespace: --new, --list, -d work" {
	require_userns
	run as_nobody unshare -rm bash -ec 'd=$(mktemp -d); netnslink --dir $d --new u
		netnslink --dir $d -r -n -o name,kind; netnslink --dir $d -d u
		ls -A $d; umount $d; rmdir $d'
	assert_success
	assert_output "u bind"
}

@test "--help prints the synopsis of the man page; -V the version" {
	run -0 netnslink --help
	assert_line --index 0 "Usage:"
	syn=$(sed -n '/^\.Sh SYNOPSIS/,/^\.Sh DESCRIPTION/p' "$BATS_TEST_DIRNAME/../man/netnslink.8" | grep -c '^\.Nm')
	assert_equal "$(grep -c '^ netnslink \[options\]' <<<"$output")" "$syn"
	run -0 netnslink -V
	assert_output --regexp '^netnslink from nstools '
	[ "$(awk '{ if (length > 80) print }' <<<"$(netnslink --help)")" = "" ]
}

@test "-H lists the columns" {
	run -0 netnslink -H
	assert_line --regexp '^ *NAME '
	assert_line --regexp '^ *PIDS '
}

@test "--force refuses to replace what is not a namespace name, and leaves it" {
	netns_proc
	run priv "mkdir /run/netns; echo keep >/run/netns/file
		netnslink -f $PID file 2>/run/err || echo rc=\$?
		netnslink -f --symlink $PID file 2>>/run/err || echo rc=\$?
		cat /run/err /run/netns/file
		grep -c ' /run/netns/file ' /proc/self/mountinfo || true"
	assert_success
	assert_output "rc=1
rc=1
netnslink: refusing to remove /run/netns/file: neither a network namespace mount nor a link to /proc/PID/ns/net
netnslink: refusing to remove /run/netns/file: neither a network namespace mount nor a link to /proc/PID/ns/net
keep
0"
}

@test "--list calls a file with no namespace behind it stale" {
	d=$BATS_TEST_TMPDIR/d
	mkdir "$d"
	touch "$d/leftover"
	run -0 netnslink --dir "$d" -r -o name,ns,kind,nprocs
	assert_output "NAME NS KIND NPROCS
leftover  stale "
	run -2 --separate-stderr netnslink -l --new x
	assert_equal "${stderr_lines[0]}" "netnslink: --list goes alone"
}

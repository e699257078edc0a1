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
	# the set-up lock beside the real /run/netns: taken back if a test
	# made it
	REAL_LOCK_WAS=$([ -e /run/netns.lock ] && echo yes || echo no)
}

teardown() {
	local n
	for n in "${REAL_NAMES[@]}"; do
		ip netns delete "$n" 2>/dev/null || true
	done
	if [ "${REAL_LOCK_WAS:-yes}" = no ]; then
		rm -f /run/netns.lock
	fi
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
		assert_equal "$stderr" "netnslink: invalid PID: '$pid'
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
	assert_equal "${stderr_lines[0]}" "netnslink: --json and --raw are mutually exclusive"
}

@test "-d refuses what is not a namespace mount or our link, and leaves it" {
	d=$BATS_TEST_TMPDIR/d
	mkdir "$d" "$d/dir"
	echo text >"$d/plain"
	ln -s /etc/passwd "$d/passwd"
	mkfifo "$d/fifo"
	for n in plain passwd fifo dir; do
		run -1 --separate-stderr netnslink --dir "$d" -d "$n"
		assert_equal "$stderr" "netnslink: refusing to remove $d/$n: neither a network namespace mount, a link to /proc/PID/ns/net nor an empty file"
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
netnslink: refusing to remove /run/netns/file: neither a network namespace mount, a link to /proc/PID/ns/net nor an empty file
netnslink: refusing to remove /run/netns/file: neither a network namespace mount, a link to /proc/PID/ns/net nor an empty file
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
	assert_equal "${stderr_lines[0]}" "netnslink: --list and --new are mutually exclusive"
}

# ---- acting as root among other users (issue 13) ------------------------------

# swap_racer: as nobody, swap a symlink to /run/victim in for the name
# file x in /run/u the moment a regular file appears there (perl: rename(2)
# in a tight loop).  Sets RACER.
swap_racer() {
	echo victim >/run/victim
	mkdir -m 755 /run/u && chown nobody /run/u
	setpriv --reuid=nobody --regid=nogroup --clear-groups perl -e '
		chdir "/run/u" or die;
		while (1) {
			symlink "/run/victim", "t";
			1 until lstat("x") && -f _;
			rename "t", "x";
		}' &
	RACER=$!
}

# The program is held at its mount call (strace delays it), so the racer
# always wins the swap: the old path-based mount(2) then followed the link.
race_script='
	swap_racer
	held() {
		LSAN_OPTIONS=detect_leaks=0 strace -f -qq -o /dev/null \
			-e trace=mount,move_mount \
			-e inject=mount,move_mount:delay_enter=200000 "$@"
	}
	ok=0 over=0 swapped=0
	for i in 1 2 3; do
		if [ "$prog" = netnslink ]; then
			held netnslink --dir /run/u --new x 2>>/run/err && ok=$((ok + 1))
		else
			held nsunshare --net=/run/u/x true 2>>/run/err && ok=$((ok + 1))
		fi
		if grep -q " /run/victim " /proc/self/mountinfo; then
			over=$((over + 1))
			umount -l /run/victim
		fi
		[ -L /run/u/x ] && swapped=$((swapped + 1))
		umount -l /run/u/x 2>/dev/null || true
		rm -f /run/u/x
	done
	kill -KILL $RACER; wait $RACER 2>/dev/null || true
	echo "ok $ok overmounted $over swapped $swapped $(cat /run/victim)"
	sort -u /run/err'

@test "a symlink swapped in for the name file while netnslink mounts: never mounted over, status 1" {
	command -v strace >/dev/null || skip "needs strace"
	command -v perl >/dev/null || skip "needs perl"
	run priv "$(declare -f swap_racer); prog=netnslink; $race_script"
	assert_success
	assert_output "ok 0 overmounted 0 swapped 3 victim
netnslink: cannot bind-mount the network namespace onto /run/u/x: No such file or directory"
}

@test "a symlink swapped in for nsunshare --net=FILE while it mounts: never mounted over, 125" {
	command -v strace >/dev/null || skip "needs strace"
	command -v perl >/dev/null || skip "needs perl"
	run priv "$(declare -f swap_racer); prog=nsunshare; $race_script"
	assert_success
	assert_line --index 0 "ok 0 overmounted 0 swapped 3 victim"
	# gone, or a link where the file was: refused either way
	assert_line --regexp "^nsunshare: --net=/run/u/x: cannot persist the net namespace: (No such file or directory|Too many levels of symbolic links: it is a symbolic link)$"
}

@test "nobody holding flock on /run/netns does not hold up netnslink's first set-up" {
	require_userns
	run priv "mkdir /run/netns
		# one process, holding the lock on fd 9 (flock CMD would fork)
		setpriv --reuid=nobody --regid=nogroup --clear-groups bash -c \
			'exec 9</run/netns; flock 9; : >/run/locked; exec sleep 1000' &
		holder=\$!
		until [ -e /run/locked ]; do sleep 0.05; done
		rc=0; timeout 20 netnslink --new a || rc=\$?
		{ kill -KILL \$holder; wait \$holder; } 2>/dev/null || true
		echo rc=\$rc
		netnslink -r -n -o name,kind
		[ -e /run/netns.lock ] || echo 'no lock file left'"
	assert_success
	assert_output "rc=0
a bind
no lock file left"
}

@test "the set-up lock is bounded: held by another run for 10 s is a one-line error; a lock file of another user is refused" {
	d=/tmp/nst-netnslink-lock-$$-$RANDOM
	mkdir -m 755 "$d"
	chown nobody "$d"
	run priv "bash -c 'umask 077; exec 9>/run/netns.lock; flock 9
			: >/run/locked; exec sleep 1000' &
		holder=\$!
		until [ -e /run/locked ]; do sleep 0.05; done
		rc=0; timeout 30 netnslink --new a 2>/run/err || rc=\$?
		{ kill -KILL \$holder; wait \$holder; } 2>/dev/null || true
		echo rc=\$rc; cat /run/err; ls -A /run/netns
		setpriv --reuid=nobody --regid=nogroup --clear-groups touch $d/names.lock
		rc=0; netnslink --dir $d/names --new b 2>/run/err || rc=\$?
		echo rc=\$rc; cat /run/err"
	rm -rf "$d"
	assert_success
	assert_output "rc=1
netnslink: cannot lock /run/netns.lock: held by another run for 10 seconds
rc=1
netnslink: cannot lock $d/names.lock: not a mode 0600 file of the caller"
}

# In a PID namespace of our own, so that the PID can be handed out again
# on purpose (ns_last_pid), as in nsjoin.bats.
recycle_script='
	mount -t tmpfs tmpfs /run
	netns_of() { stat -L -c %i "/proc/$1/ns/net"; }
	unshare -n sleep 1000 &
	t=$!
	until [ "$(netns_of $t)" != "$(netns_of self)" ]; do :; done
	netnslink --symlink $t web
	netnslink -r -n -o name,kind
	[ "$(nsjoin -n web stat -L -c %i /proc/self/ns/net)" = "$(netns_of $t)" ] &&
		echo joined
	sleep 0.1
	kill -KILL $t; wait $t 2>/dev/null
	echo $((t - 1)) >/proc/sys/kernel/ns_last_pid
	sleep 1000 &
	n=$!
	[ $n = $t ] && echo "PID reused"
	netnslink -r -n -o name,kind,ns
	echo "identify: $(netnslink -i $n)"
	rc=0; nsjoin -n web true || rc=$?; echo "nsjoin rc=$rc"
	rc=0; netnslink --pids web || rc=$?; echo "pids rc=$rc"
	kill -KILL $n; wait $n 2>/dev/null
	netnslink -d web; ls -A /run/netns'

@test "--symlink name whose PID was recycled: listed as recycled, nsjoin -n refuses it with one line" {
	run -0 no_leak_check unshare -pf --mount-proc bash -c "$recycle_script"
	assert_output "web symlink
joined
PID reused
web recycled 
identify: 
nsjoin: cannot open /run/netns/web: the process it links to has exited and its PID is another process's now
nsjoin rc=125
netnslink: /run/netns/web is a link to a PID that is another process's now
pids rc=1"
}

# The same PID namespace set-up: links that reach the process by other
# spellings than /proc/PID/ns/net, and a /proc/PID/stat covered by a file
# that says the new process started long ago.
other_links_script='
	mount -t tmpfs tmpfs /run
	mkdir /run/netns
	netns_of() { stat -L -c %i "/proc/$1/ns/net"; }
	unshare -n sleep 1000 &
	t=$!
	until [ "$(netns_of $t)" != "$(netns_of self)" ]; do :; done
	netnslink --symlink $t web
	ln -s web /run/netns/alias
	ln -s ../../proc/$t/ns/net /run/netns/relative
	ln -s /proc/$t/task/$t/ns/net /run/netns/task
	ln -s //proc/$t/ns/net /run/netns/slashes
	netnslink -r -n -o name,kind
	sleep 0.1
	kill -KILL $t; wait $t 2>/dev/null
	echo $((t - 1)) >/proc/sys/kernel/ns_last_pid
	sleep 1000 &
	n=$!
	[ $n = $t ] && echo "PID reused"
	netnslink -r -n -o name,kind,ns
	for name in alias relative task slashes; do
		rc=0; nsjoin -n $name true 2>&1 || rc=$?; echo "nsjoin $name rc=$rc"
	done
	kill -KILL $n; wait $n 2>/dev/null || :'

@test "links to a recycled PID spelt otherwise (alias, relative, task/, //proc): never joined, listed so" {
	run -0 no_leak_check unshare -pf --mount-proc bash -c "$other_links_script"
	assert_output "alias symlink
relative unchecked
slashes unchecked
task unchecked
web symlink
PID reused
alias recycled 
relative unchecked 
slashes unchecked 
task unchecked 
web recycled 
nsjoin: cannot open /run/netns/alias: the process it links to has exited and its PID is another process's now
nsjoin alias rc=125
nsjoin: cannot open /run/netns/relative: it reaches a namespace through a /proc/PID path that cannot be checked against a reused PID
nsjoin relative rc=125
nsjoin: cannot open /run/netns/task: it reaches a namespace through a /proc/PID path that cannot be checked against a reused PID
nsjoin task rc=125
nsjoin: cannot open /run/netns/slashes: it reaches a namespace through a /proc/PID path that cannot be checked against a reused PID
nsjoin slashes rc=125"
}

covered_stat_script='
	mount -t tmpfs tmpfs /run
	netns_of() { stat -L -c %i "/proc/$1/ns/net"; }
	unshare -n sleep 1000 &
	t=$!
	until [ "$(netns_of $t)" != "$(netns_of self)" ]; do :; done
	netnslink --symlink $t web
	sleep 0.1
	kill -KILL $t; wait $t 2>/dev/null
	echo $((t - 1)) >/proc/sys/kernel/ns_last_pid
	sleep 1000 &
	n=$!
	[ $n = $t ] && echo "PID reused"
	# field 22, the start, made 1 tick after boot
	sed "s/^\(\([^ ]* \)\{21\}\)[0-9]*/\11/" /proc/$n/stat >/run/stat
	mount --bind /run/stat /proc/$n/stat
	netnslink -r -n -o name,kind
	rc=0; nsjoin -n web true 2>&1 || rc=$?; echo "nsjoin rc=$rc"
	umount /proc/$n/stat
	kill -KILL $n; wait $n 2>/dev/null || :'

@test "a recycled link's /proc/PID/stat covered by a file with an old start: not taken for live" {
	run -0 no_leak_check unshare -pf --mount-proc bash -c "$covered_stat_script"
	assert_output "PID reused
web unchecked
nsjoin: cannot open /run/netns/web: it reaches a namespace through a /proc/PID path that cannot be checked against a reused PID
nsjoin rc=125"
}

@test "a /proc that is not procfs (FIFOs at /proc/self/fd/N): --list, -d, --new, --pids refuse at once" {
	# the sanitizers' runtime reads /proc/self, which is made up here
	if ldd "$(command -v netnslink)" | grep -q libasan; then
		skip "a SANITIZE=1 build cannot run with a /proc that is not procfs"
	fi
	run priv "netnslink --new x
		mount -t tmpfs fake /proc
		mkdir -p /proc/self/fd /proc/thread-self/ns /proc/1/ns
		for i in \$(seq 0 40); do mkfifo /proc/self/fd/\$i; done
		mkfifo /proc/self/mountinfo /proc/thread-self/ns/net /proc/1/ns/net
		for args in '-r -n' '-d x' '--new y' '--pids x'; do
			rc=0; timeout 10 netnslink \$args 2>&1 || rc=\$?
			echo \"\$args: rc=\$rc\"
		done
		umount /proc
		netnslink -r -n -o name,kind"
	assert_success
	assert_output "netnslink: cannot trust /proc: it is not the procfs of our PID namespace
-r -n: rc=1
netnslink: cannot trust /proc: it is not the procfs of our PID namespace
-d x: rc=1
netnslink: cannot trust /proc: it is not the procfs of our PID namespace
--new y: rc=1
netnslink: cannot trust /proc: it is not the procfs of our PID namespace
--pids x: rc=1
x bind"
}

@test "nsunshare --net=FILE where /proc/PID/ns/net is a FIFO (/proc not procfs): refused at once, nothing mounted" {
	# the sanitizers' runtime reads /proc/self, which is made up here
	if ldd "$(command -v nsunshare)" | grep -q libasan; then
		skip "a SANITIZE=1 build cannot run with a /proc that is not procfs"
	fi
	# shellcheck disable=SC2016 # expanded by the inner sh
	run priv 'mount -t tmpfs fake /proc
		rc=0
		timeout 10 sh -c "mkdir -p /proc/\$\$/ns && mkfifo /proc/\$\$/ns/net &&
			exec nsunshare --net=/run/x true" 2>&1 || rc=$?
		echo "rc=$rc"
		umount /proc
		[ ! -e /run/x ] || echo "/run/x left"
		grep -c " /run/x " /proc/self/mountinfo || true'
	assert_success
	assert_line --index 0 "nsunshare: cannot trust /proc: it is not the procfs of our PID namespace"
	assert_line --index 1 "rc=125"
	assert_line --index 2 "0"
}

# ---- runs that race or die (issue 14) -----------------------------------------

@test "four --new of one name at once: exactly one succeeds, the others say exists, one self-bind" {
	run priv "for r in \$(seq 1 15); do
			d=/run/r\$r
			for i in 1 2 3 4; do
				{ rc=0; netnslink --dir \$d --new x 2>/run/err\$i ||
					rc=\$?; echo \$rc >/run/rc\$i; } &
			done
			wait
			ok=\$(cat /run/rc[1-4] | grep -c '^0\$'); rm /run/rc[1-4]
			echo \"ok=\$ok mounts=\$(awk -v d=\$d '\$5 == d' /proc/self/mountinfo | wc -l) \$(netnslink --dir \$d -r -n -o name,kind)\"
			cat /run/err1 /run/err2 /run/err3 /run/err4 | sed \"s|\$d|DIR|\"
		done | sort | uniq -c | sed 's/^ *//'"
	assert_success
	assert_output "45 netnslink: DIR/x already exists (--force replaces it)
15 ok=1 mounts=1 x bind"
}

@test "a first run that fails after its set-up leaves the names others made meanwhile" {
	command -v strace >/dev/null || skip "needs strace"
	run priv "
		LSAN_OPTIONS=detect_leaks=0 strace -qq -o /dev/null \
			-e inject=unshare:delay_enter=1500000:error=ENOMEM \
			netnslink --new first 2>/run/err &
		held=\$!
		until grep -q ' /run/netns ' /proc/self/mountinfo; do sleep 0.02; done
		netnslink --new second
		ip netns add third
		wait \$held || echo rc=\$?
		cat /run/err
		netnslink -r -n -o name,kind
		awk '\$5 == \"/run/netns\"' /proc/self/mountinfo | wc -l"
	assert_success
	assert_output "rc=1
netnslink: cannot create a network namespace: Cannot allocate memory
second bind
third bind
1"
}

@test "an empty file left under a name (kill -9, a failed ip netns add): stale, removed by -d and replaced by --new -f" {
	run priv "mkdir /run/netns
		touch /run/netns/left /run/netns/again
		netnslink -r -n -o name,kind
		netnslink --new again 2>&1 || true
		netnslink -d left; netnslink --new -f again
		netnslink -r -n -o name,kind; ls -A /run/netns"
	assert_success
	assert_output "again stale
left stale
netnslink: /run/netns/again already exists (--force replaces it)
again bind
again"
}

@test "-d leaves an empty file that is a mount point, and a non-empty file" {
	run priv "mkdir /run/netns; : >/run/empty
		touch /run/netns/covered; mount --bind /run/empty /run/netns/covered
		echo data >/run/netns/full
		for n in covered full; do netnslink -d \$n 2>&1 || echo rc=\$?; done
		ls -A /run/netns; grep -c ' /run/netns/covered ' /proc/self/mountinfo"
	assert_success
	assert_output "netnslink: refusing to remove /run/netns/covered: neither a network namespace mount, a link to /proc/PID/ns/net nor an empty file
rc=1
netnslink: refusing to remove /run/netns/full: neither a network namespace mount, a link to /proc/PID/ns/net nor an empty file
rc=1
covered
full
1"
}

@test "a signed or spaced PID is refused: netnslink PID NAME, -i, nsjoin -t" {
	for pid in "+$$" " $$" "$$ " "-$$" "0x1"; do
		# --symlink: a binary that took the PID makes no mount here
		run -2 --separate-stderr netnslink --dir "$BATS_TEST_TMPDIR/d" --symlink -- "$pid" x
		assert_equal "${stderr_lines[0]}" "netnslink: invalid PID: '$pid'"
		run -2 --separate-stderr netnslink --identify="$pid"
		assert_equal "${stderr_lines[0]}" "netnslink: invalid PID: '$pid'"
		run -125 --separate-stderr nsjoin -t "$pid" -n true
		assert_equal "${stderr_lines[0]}" "nsjoin: invalid PID: '$pid'"
	done
	[ ! -e "$BATS_TEST_TMPDIR/d" ]
}

# ---- a new user's first day (issue 18) -----------------------------------------

@test "the table keeps rows short: five PIDs and a count, NOTE before PIDS; -r and -J list them all" {
	run priv "netnslink \$\$ here; netnslink --new empty
		netnslink | grep -E '^(NAME|here) '
		netnslink -r -n -o name,nprocs,pids | awk '\$1 == \"here\" {
			print (split(\$3, p, \",\") == \$2) ? \"raw: all\" : \"raw: cut\" }'
		netnslink -J | jq -c '.netns[] | [.name, (.pids|length) == .nprocs]'"
	assert_success
	assert_line --index 0 --regexp '^NAME +NS KIND +NPROCS NOTE +PIDS$'
	assert_line --index 1 --regexp '^here +[0-9]+ bind +[0-9]+ current ([0-9]+,){4}[0-9]+ and [0-9]+ more$'
	n=$(awk '{print $4}' <<<"${lines[1]}")
	more=$(awk '{print $(NF - 1)}' <<<"${lines[1]}")
	assert_equal "$more" "$((n - 5))"
	[ "${#lines[1]}" -lt 80 ]
	assert_line --index 2 "raw: all"
	assert_line '["empty",true]'
	assert_line '["here",true]'
}

@test "-J prints an empty PIDS array as [], whatever the libsmartcols version" {
	run priv "netnslink --new none; netnslink -J -o name,pids"
	assert_success
	assert_output '{
   "netns": [
      {
         "name": "none",
         "pids": []
      }
   ]
}'
}

@test "NAME PID (ip netns attach order): did you mean PID NAME?" {
	run -2 --separate-stderr netnslink web 14205
	assert_equal "$stderr" "netnslink: invalid PID: 'web': did you mean 'netnslink 14205 web'?
Try 'netnslink --help' for more information."
	run -2 --separate-stderr netnslink web blue
	assert_equal "${stderr_lines[0]}" "netnslink: invalid PID: 'web'"
}

@test "-i without a PID names the caller's namespace, as ip netns identify" {
	run priv "netnslink \$\$ here; netnslink --new other
		echo ours: \$(netnslink -i); echo ip: \$(ip netns identify)
		echo sep: \$(netnslink -i \$\$) \$(netnslink --identify=\$\$)"
	assert_success
	assert_output "ours: here
ip: here
sep: here here"
}

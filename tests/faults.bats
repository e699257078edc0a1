#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The fault matrix: every program against the faults a real system throws at
# it.  Each @test is one row: program, fault, the one-line message (a
# regular expression), the status, and the state compared before and after
# (mounts and files under the row's own directory, its names under
# /run/netns, the processes carrying the row's marker, the target's maps).
# Faults that need a changed system (a read-only or full /run/netns, /proc
# with hidepid=2, user namespaces switched off) are made in private mount,
# PID or user namespaces, so the machine itself is never changed.
#
# Each row failed on the code it was written against before its fix;
# none is skipped.

bats_require_minimum_version 1.5.0
load helper

setup_file() {
	# faultenv FAULT DIR CMD...: in the private mount namespace it is run
	# in, make FAULT at DIR, run CMD, list what is left in DIR ("left: X"
	# lines on stdout) and end with CMD's status.
	cat >"$BATS_FILE_TMPDIR/faultenv" <<'EOF'
#!/bin/bash
set -u
fault=$1 dir=$2
shift 2
case $fault in
missing) ;;
ro) mkdir -p "$dir" && mount --rbind "$dir" "$dir" &&
	mount -o remount,bind,ro "$dir" ;;
ro-named) mkdir -p "$dir" && netnslink --dir "$dir" --new keep &&
	mount --rbind "$dir" "$dir" && mount -o remount,bind,ro "$dir" ;;
full) mkdir -p "$dir" &&
	mount -t tmpfs -o size=4k,nr_inodes=1,mode=755 tmpfs "$dir" ;;
run-missing) mount -t tmpfs -o mode=755 tmpfs /run ;;
run-ro) mount -t tmpfs -o mode=755 tmpfs /run && mkdir /run/netns &&
	netnslink --new keep && mount --rbind /run/netns /run/netns &&
	mount -o remount,bind,ro /run/netns ;;
run-full) mount -t tmpfs -o mode=755 tmpfs /run && mkdir /run/netns &&
	mount -t tmpfs -o size=4k,nr_inodes=1,mode=755 tmpfs /run/netns ;;
hidepid) mount -t proc -o hidepid=2 proc /proc ;;
*) echo "faultenv: unknown fault $fault" >&2; exit 99 ;;
esac || { echo "faultenv: cannot make $fault" >&2; exit 99; }
"$@" </dev/null
rc=$?
[ "$dir" = - ] || find "$dir" -mindepth 1 -printf 'left: %P\n' 2>/dev/null | sort
exit "$rc"
EOF
	chmod 755 "$BATS_FILE_TMPDIR/faultenv"
	cat >"$BATS_FILE_TMPDIR/lim" <<'EOF'
#!/bin/bash
for f in /proc/self/fd/*; do
	f=${f##*/}
	[ "$f" -gt 2 ] && eval "exec $f>&-"
done
ulimit -n "$1" && shift && exec "$@"
EOF
	chmod 755 "$BATS_FILE_TMPDIR/lim"
}

teardown_file() {
	cleanup_nobody_bin
}

setup() {
	D=$(mktemp -d "$BATS_TEST_TMPDIR/fault.XXXXXX")
	MARK=$RANDOM$RANDOM
	# a sleep no other process has: the row's process marker
	NAP="3600.$MARK"
	# Every row makes its fault as root.  Not in setup_file: a skip
	# there fails the whole file.  Not before NAP is set: teardown runs
	# after a skip, and pkill -f "" would kill every process of the user.
	require_root
	TARGET=
	FAULTENV=$BATS_FILE_TMPDIR/faultenv
	# LeakSanitizer (SANITIZE=1) cannot stop a process whose children go
	# to another PID namespace (see no_leak_check in helper.bash).
	case $BATS_TEST_DESCRIPTION in
	*-pf* | *"nsjoin -p:"*) export LSAN_OPTIONS=detect_leaks=0 ;;
	esac
}

teardown() {
	kill_spawned
	pkill -KILL -f "$NAP" 2>/dev/null || true
	grep -F " $D" /proc/self/mountinfo | awk '{print $5}' | sort -r |
		while read -r m; do umount -l "$m"; done
	rm -rf "$D"
}

# ---- the columns of a row ----------------------------------------------------

# What a row compares before and after.
state() {
	echo "mounts:"
	awk -v d="$D" -v m="$MARK" 'index($5, d) == 1 || index($5, m) {
		print $5, $9 }' /proc/self/mountinfo | sort
	echo "files:"
	find "$D" -mindepth 1 ! -name '.state*' | sort
	echo "netns names:"
	find /run/netns -maxdepth 1 -name "*$MARK*" 2>/dev/null | sort
	echo "processes:"
	pgrep -f "$NAP" | sort
	if [ -n "$TARGET" ]; then
		echo "maps of $TARGET:"
		cat "/proc/$TARGET/uid_map" "/proc/$TARGET/gid_map" \
			"/proc/$TARGET/setgroups" 2>&1
	fi
}

before() {
	state >"$D/.state.before"
}

# The state is as before: nothing was left, nothing was taken away.
unchanged() {
	state >"$D/.state.after"
	diff -u "$D/.state.before" "$D/.state.after"
}

# row STATUS REGEX CMD...: the row's command ends with STATUS and says one
# line on stderr that matches REGEX (nothing at all for an empty REGEX);
# output and stderr are left in $output and $stderr for more checks.
row() {
	local want=$1 re=$2
	shift 2
	before
	run --separate-stderr "$@"
	assert_equal "$status" "$want"
	if [ -z "$re" ]; then
		assert_equal "$stderr" ""
	else
		assert_equal "${#stderr_lines[@]}" 1
		assert_regex "${stderr_lines[0]}" "$re"
	fi
}

# The listings of a whole system may warn about processes only the kernel
# may read (here, the VM's own PID 1): that line is not the row's.
drop_unreadable_warning() {
	local l
	local -a kept=()
	for l in "${stderr_lines[@]}"; do
		[[ $l =~ ^nsls:\ cannot\ read\ the\ namespaces\ of\ (PIDs?\ [0-9]|[0-9]+\ process) ]] ||
			kept+=("$l")
	done
	stderr_lines=("${kept[@]}")
	stderr=$(printf '%s\n' "${kept[@]}")
	[ "${#kept[@]}" -gt 0 ] || stderr=
}

# lim N CMD...: CMD with at most N open files, and only 0, 1 and 2 open
# (bats holds more); a script, to be usable further down a chain.
lim() {
	"$BATS_FILE_TMPDIR/lim" "$@"
}

# NOBODY=(...): the words that run a command as nobody (as_nobody's),
# for commands run further down a chain, where functions are not known.
as_nobody_words() {
	NOBODY=(setpriv --reuid=nobody --regid=nogroup --clear-groups --
		env -i PATH="$(nobody_bin):/usr/sbin:/usr/bin:/sbin:/bin"
		HOME=/ SHELL=/bin/sh LANG=C)
}

gone() {
	! kill -0 "$1" 2>/dev/null
}

# PID has ended (a zombie not yet reaped counts): a hung program fails its
# row after wait_until's 10 s instead of hanging the suite.
ended() {
	local st
	st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)
	[ -z "$st" ] || [ "$st" = Z ]
}

# A process in a user namespace of its own, maps not yet written.
new_userns_target() {
	spawn unshare -U sleep "$NAP"
	TARGET=$SPAWNED_PID
	wait_until in_other_userns "$TARGET"
}

in_other_userns() {
	[ "$(readlink "/proc/$1/ns/user")" != "$(readlink /proc/self/ns/user)" ]
}

# ---- the target exits between being named and being used ----------------------

# race_row PROG ARGS...: 60 times, PROG on a target that is exiting (PID
# last in ARGS as @PID@).  Every outcome is success or the one-line
# "No such process" failure; which one depends on the moment.
race() {
	local want_fail=$1 re=$2 make=$3 i pid a ok=0 failed=0
	shift 3
	local -a args
	for i in $(seq 1 60); do
		case $make in
		plain) if [ $((i % 2)) = 0 ]; then true & else sleep 0.00$((i % 4)) & fi
			pid=$! ;;
		userns) unshare -U sleep 0.0$((i % 6)) &
			pid=$!
			while ! in_other_userns "$pid" && kill -0 "$pid" 2>/dev/null; do :; done ;;
		esac
		args=()
		for a in "$@"; do args+=("${a//@PID@/$pid}"); done
		run --separate-stderr "${args[@]}"
		wait "$pid" || true
		if [ "$status" -eq 0 ]; then
			ok=$((ok + 1))
			continue
		fi
		failed=$((failed + 1))
		assert_equal "$status" "$want_fail"
		assert_equal "${#stderr_lines[@]}" 1
		assert_regex "${stderr_lines[0]}" "$re"
	done
	echo "succeeded $ok, failed $failed"
	# The loop must have hit the exit at least once, or it tested nothing.
	[ "$failed" -gt 0 ]
}

@test "nsjoin -t PID: a target exiting meanwhile is 'No such process', 125, never another process" {
	before
	race 125 '^nsjoin: cannot (open|join|get) .*PID [0-9]+: No such process$' \
		plain nsjoin -t @PID@ -n -u -i -m true
	unchanged
}

@test "nsmap -u MAP PID: a target exiting meanwhile is status 1, no process, no map half written" {
	before
	race 1 "^nsmap: .*PID [0-9]+.*: No such process$" \
		userns nsmap -u 0:100000:10 -g 0:100000:10 @PID@
	unchanged
}

@test "netnslink PID NAME: a target exiting meanwhile is status 1 and leaves no name" {
	mkdir "$D/n"
	before
	race 1 '^netnslink: cannot open (PID [0-9]+|the network namespace of PID [0-9]+): No such process$' \
		plain unshare -m --propagation private sh -c \
		'netnslink --dir "$1" @PID@ x && netnslink --dir "$1" -d x' sh "$D/n"
	unchanged
}

# A link names a PID, not a process: one made as the target exits must be
# taken back, or it would name whoever gets the PID next.  No mount is made
# for a link, so this row runs in our own mount namespace, where a stray
# mount would show.
@test "netnslink --symlink PID NAME: a target exiting meanwhile is status 1 and leaves no link" {
	mkdir "$D/n"
	before
	race 1 '^netnslink: (cannot open PID [0-9]+: No such process|PID [0-9]+ exited)$' \
		plain sh -c \
		'netnslink --dir "$1" --symlink @PID@ x && netnslink --dir "$1" -d x' sh "$D/n"
	unchanged
}

# The race above almost never lands between symlinkat(2) and the check after
# it; here the target is killed (and reaped: its PID free for anyone) while
# netnslink is held on its way back from symlinkat(2) (at_stage, below).
@test "netnslink --symlink PID NAME: a target exiting just after symlink(2) is 'PID N exited', 1, link taken back" {
	local pid rc=0
	mkdir "$D/n"
	before
	spawn sleep "$NAP"
	pid=$SPAWNED_PID
	at_stage symlinkat:delay_exit netnslink --dir "$D/n" --symlink "$pid" x
	[ -L "$D/n/x" ]
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null || true
	wait_until ended "$STRACE_PID"
	wait "$STRACE_PID" || rc=$?
	assert_equal "$rc" 1
	run grep -v '^strace: ' "$D/.state.stage-err"
	assert_output "netnslink: PID $pid exited"
	unchanged
}

@test "nsls -p PID: a target exiting meanwhile is status 1, 'No such process'" {
	before
	race 1 '^nsls: cannot read namespaces of PID [0-9]+: No such process$' \
		plain nsls -p @PID@ -o NS
	unchanged
}

# ---- /run/netns (and --dir) missing, read-only, full ------------------------------

@test "netnslink --new with /run/netns missing: made as ip netns makes it, status 0" {
	row 0 '' unshare -m --propagation private \
		"$FAULTENV" run-missing /run/netns netnslink --new "nst-$MARK"
	assert_output "left: nst-$MARK"
	unchanged
}

@test "netnslink -l with /run/netns missing: nothing listed, status 0" {
	row 0 '' unshare -m --propagation private \
		"$FAULTENV" run-missing /run/netns netnslink -J
	assert_equal "$(jq '.netns | length' <<<"$output")" 0
	unchanged
}

@test "netnslink -d NAME with /run/netns missing: status 1, No such file" {
	row 1 "^netnslink: cannot remove /run/netns/nst-$MARK: No such file or directory$" \
		unshare -m --propagation private \
		"$FAULTENV" run-missing /run/netns netnslink -d "nst-$MARK"
	assert_output ""
	unchanged
}

@test "nsjoin -nNAME with /run/netns missing: status 125, No such file" {
	row 125 "^nsjoin: cannot open /run/netns/nst-$MARK: No such file or directory$" \
		unshare -m --propagation private \
		"$FAULTENV" run-missing /run/netns nsjoin -n"nst-$MARK" true
	assert_output ""
	unchanged
}

@test "netnslink --new on a read-only /run/netns: status 1, Read-only, nothing made" {
	row 1 "^netnslink: .*/run/netns/nst-$MARK: Read-only file system$" \
		unshare -m --propagation private \
		"$FAULTENV" run-ro /run/netns netnslink --new "nst-$MARK"
	assert_output "left: keep"
	unchanged
}

@test "netnslink PID NAME on a read-only /run/netns: status 1, nothing made" {
	spawn sleep "$NAP"
	row 1 "^netnslink: .*/run/netns/nst-$MARK: Read-only file system$" \
		unshare -m --propagation private \
		"$FAULTENV" run-ro /run/netns netnslink "$SPAWNED_PID" "nst-$MARK"
	assert_output "left: keep"
	unchanged
}

@test "netnslink --symlink PID NAME on a read-only /run/netns: status 1, nothing made" {
	spawn sleep "$NAP"
	row 1 "^netnslink: .*/run/netns/nst-$MARK: Read-only file system$" \
		unshare -m --propagation private \
		"$FAULTENV" run-ro /run/netns netnslink --symlink "$SPAWNED_PID" "nst-$MARK"
	assert_output "left: keep"
	unchanged
}

@test "netnslink -d NAME on a read-only /run/netns: status 1, the name still holds its namespace" {
	row 1 '^netnslink: cannot remove /run/netns/keep: Read-only file system$' \
		unshare -m --propagation private \
		"$FAULTENV" run-ro /run/netns sh -c \
		'netnslink -d keep; rc=$?; echo "kind: $(netnslink -n -o KIND)"; exit $rc'
	assert_line "kind: bind"
	assert_line "left: keep"
	unchanged
}

@test "netnslink -d NAME on a read-only --dir: status 1, the name still bound, not stale" {
	run --separate-stderr unshare -m --propagation private \
		"$FAULTENV" ro-named "$D/ro" sh -c \
		'netnslink --dir "$0" -d keep; rc=$?; echo "kind: $(netnslink --dir "$0" -n -o KIND)"; exit $rc' "$D/ro"
	assert_equal "$status" 1
	assert_equal "$stderr" "netnslink: cannot remove $D/ro/keep: Read-only file system"
	assert_line "kind: bind"
	assert_line "left: keep"
}

@test "nsunshare --net=FILE on a read-only /run/netns: status 125, nothing made" {
	row 125 "^nsunshare: --net=/run/netns/nst-$MARK: cannot persist the net namespace: Read-only file system$" \
		unshare -m --propagation private \
		"$FAULTENV" run-ro /run/netns nsunshare --net="/run/netns/nst-$MARK" true
	assert_output "left: keep"
	unchanged
}

@test "netnslink --dir DIR --new on a read-only bind mount: status 1, nothing made" {
	mkdir "$D/ro"
	row 1 "^netnslink: .*$D/ro/nst-$MARK: Read-only file system$" \
		unshare -m --propagation private \
		"$FAULTENV" ro "$D/ro" netnslink --dir "$D/ro" --new "nst-$MARK"
	assert_output ""
	unchanged
}

@test "netnslink --new on a full /run/netns (tiny tmpfs): status 1, No space, no stray file" {
	row 1 "^netnslink: .*/run/netns/nst-$MARK: No space left on device$" \
		unshare -m --propagation private \
		"$FAULTENV" run-full /run/netns netnslink --new "nst-$MARK"
	assert_output ""
	unchanged
}

@test "netnslink PID NAME on a full --dir: status 1, No space, no stray file" {
	mkdir "$D/full"
	spawn sleep "$NAP"
	row 1 "^netnslink: .*$D/full/nst-$MARK: No space left on device$" \
		unshare -m --propagation private \
		"$FAULTENV" full "$D/full" netnslink --dir "$D/full" "$SPAWNED_PID" "nst-$MARK"
	assert_output ""
	unchanged
}

@test "netnslink --symlink PID NAME on a full --dir: status 1, No space" {
	mkdir "$D/full"
	spawn sleep "$NAP"
	row 1 "^netnslink: .*$D/full/nst-$MARK: No space left on device$" \
		unshare -m --propagation private \
		"$FAULTENV" full "$D/full" netnslink --dir "$D/full" --symlink "$SPAWNED_PID" "nst-$MARK"
	assert_output ""
	unchanged
}

@test "nsunshare --net=FILE on a full directory: status 125, No space, no stray file" {
	mkdir "$D/full"
	row 125 "^nsunshare: --net=$D/full/x: cannot persist the net namespace: No space left on device$" \
		unshare -m --propagation private \
		"$FAULTENV" full "$D/full" nsunshare --net="$D/full/x" true
	assert_output ""
	unchanged
}

# ---- /proc with hidepid=2, for an unprivileged caller -----------------------------

# In a private mount and PID namespace whose /proc hides other users'
# processes; PID 1 there is root's.
hidepid() {
	unshare -m -p -f --propagation private --kill-child \
		"$FAULTENV" hidepid - "$@"
}

@test "nsls as nobody under hidepid=2: its own processes only, no warning, status 0" {
	as_nobody_words
	row 0 '' hidepid sh -c 'sleep "$0" & "$@"; rc=$?; kill $!; exit $rc' \
		"$NAP" "${NOBODY[@]}" nsls -l -o PID,USER -n
	refute_output --partial "root"
	assert_output --regexp "nobody"
	unchanged
}

@test "nsls -p 1 as nobody under hidepid=2: status 1, No such process" {
	as_nobody_words
	row 1 '^nsls: cannot read namespaces of PID 1: No such process$' \
		hidepid "${NOBODY[@]}" nsls -p 1
	unchanged
}

@test "nsjoin -t 1 as nobody under hidepid=2: status 125, No such process" {
	as_nobody_words
	row 125 '^nsjoin: cannot open PID 1: No such process$' \
		hidepid "${NOBODY[@]}" nsjoin -t 1 -n true
	unchanged
}

@test "nsmap 1 as nobody under hidepid=2: status 1, No such process" {
	as_nobody_words
	row 1 '^nsmap: cannot open PID 1: No such process$' hidepid "${NOBODY[@]}" nsmap 1
	unchanged
}

@test "netnslink -i 1 as nobody under hidepid=2: status 1, No such process" {
	as_nobody_words
	row 1 '^netnslink: cannot open PID 1: No such process$' \
		hidepid "${NOBODY[@]}" netnslink -i 1
	unchanged
}

@test "nsunshare -Urm --mount-proc -pf as nobody under hidepid=2: its own new proc, status 0" {
	as_nobody_words
	row 0 '' hidepid "${NOBODY[@]}" LSAN_OPTIONS=detect_leaks=0 \
		nsunshare -Urm --mount-proc -pf \
		sh -c 'nsls -t pid -n -o NPROCS,PID'
	assert_output --regexp '^ *[0-9]+ +1$'
	unchanged
}

# ---- user namespaces disabled ------------------------------------------------------

# userns_limit N CMD...: CMD in a user namespace whose
# user.max_user_namespaces is N.
userns_limit() {
	local n=$1
	shift
	unshare -U -r sh -c 'echo "$0" >/proc/sys/user/max_user_namespaces &&
		exec "$@"' "$n" "$@"
}

@test "nsunshare -U with max_user_namespaces=0: status 125, says user namespaces are disabled" {
	row 125 '^nsunshare: cannot unshare user namespace: No space left on device; user namespaces are disabled \(sysctl user.max_user_namespaces is 0\)$' \
		userns_limit 0 nsunshare -U sleep "$NAP"
	unchanged
}

@test "nsunshare -Urf as nobody with max_user_namespaces=0: status 125, no child" {
	as_nobody_words
	row 125 '^nsunshare: cannot unshare user namespace: No space left on device; user namespaces are disabled' \
		"${NOBODY[@]}" unshare -U -r sh -c 'echo 0 >/proc/sys/user/max_user_namespaces && exec "$@"' sh \
		nsunshare -Urf sleep "$NAP"
	unchanged
}

@test "nested nsunshare -U over a limit of 1: the inner says the limit is reached, 125 passes out" {
	row 125 '^nsunshare: cannot unshare user namespace: No space left on device; the limit of user namespaces is reached \(sysctl user.max_user_namespaces\)$' \
		userns_limit 1 nsunshare -U nsunshare -U sleep "$NAP"
	unchanged
}

@test "nsunshare -U --net=FILE with max_user_namespaces=0: status 125, FILE not left" {
	row 125 '^nsunshare: cannot unshare net,user namespace: No space left on device; user namespaces are disabled' \
		userns_limit 0 nsunshare -U --net="$D/keep" sleep "$NAP"
	unchanged
}

# ---- ENOSPC and EMFILE --------------------------------------------------------------

# Twelve namespaces of the row's own, each kept in a different way: a
# process, a bind mount, an open fd.
many_namespaces() {
	local i
	NSES=() NETS=()
	for i in 1 2 3 4 5 6; do
		spawn unshare -n -u -i sleep "$NAP"
		wait_until in_other_net "$SPAWNED_PID"
		NETS+=("$(ns_inode "$SPAWNED_PID" net)")
		NSES+=("$(ns_inode "$SPAWNED_PID" net)" "$(ns_inode "$SPAWNED_PID" uts)")
	done
	for i in 1 2 3; do
		touch "$D/net$i"
		unshare --net="$D/net$i" true
		NETS+=("$(stat -L -c %i "$D/net$i")")
		NSES+=("$(stat -L -c %i "$D/net$i")")
	done
	spawn sh -c 'exec 7<"$1"; exec sleep "$2"' sh "$D/net1" "$NAP"
}

in_other_net() {
	[ "$(readlink "/proc/$1/ns/net")" != "$(readlink /proc/self/ns/net)" ]
}

# emfile_rows ARGS...: nsls ARGS with 4 to 12 open files: the listing is
# whole, or status 1 with one "Too many open files" line; both must occur.
emfile_rows() {
	local n whole=0 refused=0 reference
	run --separate-stderr nsls "$@" "${NSES[@]}"
	assert_success
	reference=$output
	[ -n "$reference" ]
	for n in 4 5 6 7 8 10 12; do
		run --separate-stderr lim "$n" nsls "$@" "${NSES[@]}"
		drop_unreadable_warning
		if [ "$status" -eq 0 ]; then
			assert_equal "$output" "$reference"
			assert_equal "$stderr" ""
			whole=$((whole + 1))
		else
			assert_equal "$status" 1
			assert_output ""
			assert_equal "${#stderr_lines[@]}" 1
			assert_regex "${stderr_lines[0]}" '^nsls: .*: Too many open files$'
			refused=$((refused + 1))
		fi
	done
	echo "whole $whole, refused $refused"
	[ "$whole" -gt 0 ] && [ "$refused" -gt 0 ]
}

@test "nsls -l with few open files (EMFILE): whole listing or status 1, never short" {
	many_namespaces
	before
	emfile_rows -J -o NS,TYPE,NPROCS,PID,COMMAND,PNS,ONS
	unchanged
}

@test "nsls HOLDERS with few open files (EMFILE): bind mounts and fds all there or status 1" {
	many_namespaces
	before
	emfile_rows -J -o NS,TYPE,NPROCS,HOLDERS,NSFS
	unchanged
}

@test "nsls -t net NETNSID,NAME with few open files (EMFILE): whole or status 1" {
	many_namespaces
	before
	NSES=("${NETS[@]}")
	emfile_rows -J -t net -o NS,NETNSID,NAME,HOLDERS
	unchanged
}

@test "nsunshare -f --net=FILE with few open files: runs or status 125, no FILE, no child" {
	local n ran=0 refused=0
	mkdir "$D/t"
	before
	# (the persist file's directory and mount are held as fds: 10 runs)
	for n in 4 5 6 8 10 12; do
		run --separate-stderr unshare -m --propagation private sh -c \
			'mount -t tmpfs tmpfs "$0" || exit 99; "$@"; rc=$?
			ls -A "$0"; exit $rc' "$D/t" \
			"$BATS_FILE_TMPDIR/lim" "$n" \
			nsunshare -f --kill-child --net="$D/t/keep" \
			sleep 0.1
		if [ "$status" -eq 0 ]; then
			assert_output "keep"
			ran=$((ran + 1))
		else
			assert_output ""
			assert_equal "$status" 125
			assert_equal "${#stderr_lines[@]}" 1
			assert_regex "${stderr_lines[0]}" '^nsunshare: .*: Too many open files'
			refused=$((refused + 1))
		fi
	done
	echo "ran $ran, refused $refused"
	[ "$ran" -gt 0 ]
	unchanged
}

@test "nsmap -u MAP with few open files: written whole or status 1, never half" {
	local n
	for n in 4 5 6 8; do
		new_userns_target
		before
		run --separate-stderr lim "$n" nsmap -u 0:100000:10 -g 0:100000:10 "$TARGET"
		if [ "$status" -eq 0 ]; then
			assert_equal "$(awk '{print $1, $2, $3}' "/proc/$TARGET/uid_map")" "0 100000 10"
			assert_equal "$(awk '{print $1, $2, $3}' "/proc/$TARGET/gid_map")" "0 100000 10"
		else
			assert_equal "$status" 1
			assert_equal "${#stderr_lines[@]}" 1
			assert_regex "${stderr_lines[0]}" 'Too many open files'
			unchanged
		fi
		kill -KILL "$TARGET"
	done
}

@test "nsls to a full disk (ENOSPC): status 1, write error" {
	before
	run --separate-stderr sh -c 'nsls -l >/dev/full'
	drop_unreadable_warning
	assert_equal "$status" 1
	assert_equal "$stderr" "nsls: write error: No space left on device"
	unchanged
}

@test "nsmap PID to a full disk (ENOSPC): status 1, write error" {
	new_userns_target
	nsmap -u 0:100000:10 "$TARGET"
	row 1 '^nsmap: write error: No space left on device$' sh -c 'nsmap "$0" >/dev/full' "$TARGET"
	unchanged
}

@test "netnslink -l to a full disk (ENOSPC): status 1, write error" {
	mkdir "$D/n"
	row 1 '^netnslink: write error: No space left on device$' \
		unshare -m --propagation private sh -c \
		'mount -t tmpfs tmpfs "$0" && netnslink --dir "$0" --new x &&
		netnslink --dir "$0" >/dev/full' "$D/n"
	unchanged
}

@test "nsls, nsmap, netnslink --help/-V/-H to a full disk: status 1, write error" {
	local p a
	for p in nsls nsmap netnslink; do
		for a in -h -V -H; do
			run --separate-stderr sh -c '"$0" "$1" >/dev/full' "$p" "$a"
			assert_equal "$status" 1
			assert_equal "$stderr" "$p: write error: No space left on device"
		done
	done
}

@test "nsunshare, nsjoin --help/-V to a full disk: status 125, write error" {
	local p a
	for p in nsunshare nsjoin; do
		for a in -h -V; do
			run --separate-stderr sh -c '"$0" "$1" >/dev/full' "$p" "$a"
			assert_equal "$status" 125
			assert_equal "$stderr" "$p: write error: No space left on device"
		done
	done
}

# ---- signals at each stage of a run with a child -------------------------------------
# A shell starts background commands with SIGINT and SIGQUIT ignored, and
# what is ignored at exec stays ignored: each run here starts from the
# default dispositions (env --default-signal), as from a terminal.

# at_stage SYSCALL:delay_enter|delay_exit CMD...: run CMD under strace, held
# 3 s in SYSCALL (entering it, or on its way back), and set STAGE_PID to
# CMD's PID once it is held there.  x86_64 syscall numbers.
at_stage() {
	local inj=$1 nr
	shift
	[ "$(uname -m)" = x86_64 ] || skip "syscall numbers are x86_64's"
	case ${inj%%:*} in
	unshare) nr=272 ;;
	clone) nr=56 ;;
	setns) nr=308 ;;
	symlink) nr=88 ;;
	symlinkat) nr=266 ;;
	esac
	# LeakSanitizer (SANITIZE=1) cannot run under ptrace: no leak check
	# for a program strace holds.
	spawn env --default-signal=INT,QUIT \
		LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}detect_leaks=0" \
		strace -o /dev/null -e trace="${inj%%:*}" \
		-e inject="$inj=3000000" "$@" 2>"$D/.state.stage-err"
	STRACE_PID=$SPAWNED_PID
	STAGE_PID=$(first_child "$STRACE_PID")
	wait_until in_syscall "$STAGE_PID" "$nr"
}

in_syscall() {
	[ "$(cut -d' ' -f1 "/proc/$1/syscall" 2>/dev/null)" = "$2" ]
}

# sig_row SIG WANT: send SIG to STAGE_PID; CMD (under strace) ends with
# status WANT, said nothing (strace's own notes aside), left nothing.
sig_row() {
	local rc=0
	kill -"$1" "$STAGE_PID"
	wait_until ended "$STRACE_PID"
	wait "$STRACE_PID" || rc=$?
	assert_equal "$rc" "$2"
	run grep -v '^strace: ' "$D/.state.stage-err"
	assert_output ""
	wait_until no_marked_process
	unchanged
}

no_marked_process() {
	! pgrep -f "$NAP" >/dev/null
}

# The child of PROG's PID, once it runs the marked sleep.
running_child() {
	local kid
	kid=$(first_child "$1") || return 1
	wait_until runs_nap "$kid" || return 1
	echo "$kid"
}

runs_nap() {
	grep -qF "$NAP" "/proc/$1/cmdline" 2>/dev/null
}

@test "nsunshare -f --net=FILE: SIGTERM while it enters unshare(2): 143, no FILE, no helper" {
	before
	at_stage unshare:delay_enter nsunshare -f --kill-child --net="$D/keep" sleep "$NAP"
	sig_row TERM 143
}

@test "nsunshare -f --net=FILE: SIGINT after unshare(2), before the fork: 130, nothing left" {
	before
	at_stage unshare:delay_exit nsunshare -f --kill-child --net="$D/keep" sleep "$NAP"
	sig_row INT 130
}

@test "nsunshare -f: SIGKILL after unshare(2), before the fork: 137, nothing left" {
	before
	at_stage unshare:delay_exit nsunshare -f -n --kill-child sleep "$NAP"
	sig_row KILL 137
}

@test "nsunshare -f: SIGTERM while forking: forwarded once the child starts, 143, no child" {
	before
	at_stage clone:delay_exit nsunshare -f -n sleep "$NAP"
	sig_row TERM 143
}

@test "nsunshare -f --kill-child: SIGKILL while forking: 137, the waiting child gives up" {
	before
	at_stage clone:delay_exit nsunshare -f -n --kill-child sleep "$NAP"
	sig_row KILL 137
}

@test "nsunshare -f: SIGKILL while forking, no --kill-child: 137, the waiting child gives up" {
	before
	at_stage clone:delay_exit nsunshare -f -n sleep "$NAP"
	sig_row KILL 137
}

# run_sig SIG WANT ARGS...: nsunshare/nsjoin ARGS with the marked sleep as
# the child; once it runs, SIG to the parent; parent's status WANT; the
# child's PID in KID.
run_sig() {
	local sig=$1 want=$2 rc=0
	shift 2
	spawn env --default-signal=INT,QUIT "$@" sleep "$NAP"
	KID=$(running_child "$SPAWNED_PID")
	kill -"$sig" "$SPAWNED_PID"
	wait_until ended "$SPAWNED_PID"
	wait "$SPAWNED_PID" || rc=$?
	assert_equal "$rc" "$want"
}

@test "nsunshare -f: SIGTERM while the child runs: forwarded, 143, no child" {
	before
	run_sig TERM 143 nsunshare -f -n
	wait_until gone "$KID"
	unchanged
}

@test "nsunshare -f: SIGINT while the child runs: forwarded, 130, no child" {
	before
	run_sig INT 130 nsunshare -f -n
	wait_until gone "$KID"
	unchanged
}

@test "nsunshare -f: SIGHUP while the child runs: forwarded, 129, no child" {
	before
	run_sig HUP 129 nsunshare -f -n
	wait_until gone "$KID"
	unchanged
}

@test "nsunshare -f: SIGQUIT while the child runs: forwarded, 131, no child" {
	before
	(cd "$D" && run_sig QUIT 131 nsunshare -f -n)
	wait_until no_marked_process
	unchanged
}

@test "nsunshare --kill-child: SIGKILL while the child runs: 137, the child dies too" {
	before
	run_sig KILL 137 nsunshare -n --kill-child
	wait_until gone "$KID"
	unchanged
}

@test "nsunshare --kill-child=TERM -S 65534: SIGKILL while the child runs: the child dies too" {
	before
	run_sig KILL 137 nsunshare -n --kill-child=TERM -S 65534 -G 65534
	wait_until gone "$KID"
	unchanged
}

@test "nsunshare -pf --kill-child: SIGKILL while PID 1 runs: 137, PID 1 dies too" {
	before
	run_sig KILL 137 nsunshare -pf --kill-child
	wait_until gone "$KID"
	unchanged
}

@test "nsunshare -f without --kill-child: SIGKILL while the child runs: 137, the child outlives it (as unshare)" {
	before
	run_sig KILL 137 nsunshare -f -n
	sleep 0.2
	kill -0 "$KID"
	kill -KILL "$KID"
	wait_until gone "$KID"
	unchanged
}

@test "nsunshare -f --die-with-parent: its parent killed: nsunshare and the child die too" {
	local ns rc=0
	before
	spawn sh -c 'nsunshare -f -n --die-with-parent sleep "$0" & wait' "$NAP"
	ns=$(first_child "$SPAWNED_PID")
	KID=$(running_child "$ns")
	kill -KILL "$SPAWNED_PID"
	wait_until ended "$SPAWNED_PID"
	wait "$SPAWNED_PID" || rc=$?
	assert_equal "$rc" 137
	wait_until gone "$ns"
	wait_until gone "$KID"
	unchanged
}

@test "nsunshare -pf: SIGTERM while PID 1 (no handler) runs: 143, PID 1 gone" {
	before
	run_sig TERM 143 nsunshare -pf
	wait_until gone "$KID"
	unchanged
}

@test "nsunshare -pf: SIGINT while PID 1 (no handler) runs: 130, PID 1 gone" {
	before
	run_sig INT 130 nsunshare -pf
	wait_until gone "$KID"
	unchanged
}

# A process in PID namespace of its own, for nsjoin -p to join.
pidns_target() {
	spawn unshare -p -f sleep "3601.$MARK"
	TPID=$(first_child "$SPAWNED_PID")
}

@test "nsjoin -p: SIGTERM while it enters setns(2): 143, nothing left" {
	pidns_target
	before
	at_stage setns:delay_enter nsjoin -t "$TPID" -p sleep "$NAP"
	sig_row TERM 143
}

@test "nsjoin -p: SIGKILL after setns(2), before the fork: 137, nothing left" {
	pidns_target
	before
	at_stage setns:delay_exit nsjoin -t "$TPID" -p sleep "$NAP"
	sig_row KILL 137
}

@test "nsjoin -p: SIGTERM while forking: forwarded once the child runs, 143, no child" {
	pidns_target
	before
	at_stage clone:delay_exit nsjoin -t "$TPID" -p sleep "$NAP"
	sig_row TERM 143
}

@test "nsjoin -p: SIGTERM while the child runs: forwarded, 143, no child" {
	pidns_target
	before
	run_sig TERM 143 nsjoin -t "$TPID" -p
	wait_until gone "$KID"
	unchanged
}

@test "nsjoin -p: SIGINT while the child runs: forwarded, 130, no child" {
	pidns_target
	before
	run_sig INT 130 nsjoin -t "$TPID" -p
	wait_until gone "$KID"
	unchanged
}

@test "nsjoin -p: SIGHUP while the child runs: forwarded, 129, no child" {
	pidns_target
	before
	run_sig HUP 129 nsjoin -t "$TPID" -p
	wait_until gone "$KID"
	unchanged
}

@test "nsjoin -p: SIGKILL while the child runs: 137, the child outlives it (as nsenter's)" {
	pidns_target
	before
	run_sig KILL 137 nsjoin -t "$TPID" -p
	sleep 0.2
	kill -0 "$KID"
	kill -KILL "$KID"
	wait_until gone "$KID"
	unchanged
}

# ---- namespace types the table does not have ---------------------------------------
# No kernel here has a type newer than the build, so the first row makes a
# /proc that shows one: in a private mount namespace, a tmpfs over the ns
# directory of the process that then execs nsls (/proc itself stays procfs,
# which nsls checks), holding its real links as symbolic links and
# "future:[4026599999]" beside them.  The only fabricated /proc entry of
# the suite.  The rows after it are real: /proc/PID/ns entries that are no
# type (*_for_children), and a namespace reachable only through one of
# them.

# with_future_type CMD...: exec CMD (same PID) under that /proc
with_future_type() {
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare -m --propagation private sh -ec '
		links=$(mktemp -d)
		for e in /proc/$$/ns/*; do
			ln -s "$(readlink "$e")" "$links/${e##*/}"
		done
		ln -s "future:[4026599999]" "$links/future"
		mount -t tmpfs tmpfs "/proc/$$/ns"
		cp -a "$links"/. "/proc/$$/ns/"
		rm -rf "$links"
		exec "$@"' with_future_type "$@"
}

@test "nsls: a type newer than the build (a made-up /proc): listed by its name, -t takes it" {
	before
	run --separate-stderr with_future_type nsls -J -o NS,TYPE,NPROCS,PATH
	drop_unreadable_warning
	assert_success
	assert_equal "$stderr" ""
	run jq -r '.namespaces[] | select(.type == "future") |
		"\(.ns) \(.nprocs) \(.path)"' <<<"$output"
	assert_output --regexp '^4026599999 1 /proc/[0-9]+/ns/future$'
	run --separate-stderr with_future_type nsls -rn -t future -o TYPE,NS
	drop_unreadable_warning
	assert_success
	assert_output "future 4026599999"
	assert_equal "$stderr" ""
	run --separate-stderr nsls -t future
	assert_equal "$status" 2
	assert_equal "$stderr" "nsls: unknown namespace type: 'future' (one of: mnt uts ipc net pid user cgroup time)
Try 'nsls --help' for more information."
	unchanged
}

@test "nsls: /proc/PID/ns entries that are not types are never listed as types" {
	local extra
	extra=$(find /proc/self/ns/ -mindepth 1 -printf '%f\n' | grep -c _for_children)
	[ "$extra" -gt 0 ]
	spawn unshare -p -T sleep "$NAP"
	before
	run --separate-stderr nsls -J -o TYPE -p "$SPAWNED_PID"
	drop_unreadable_warning
	assert_success
	assert_equal "$(jq -r '[.namespaces[].type] | sort | join(",")' <<<"$output")" \
		"cgroup,ipc,mnt,net,pid,time,user,uts"
	assert_equal "$stderr" ""
	unchanged
}

# A time namespace that only time_for_children holds: unshare(2) without
# the exec that would enter it.  (pid_for_children cannot hold one alone:
# the kernel does not open it before its PID 1 exists.)
only_time_for_children() {
	spawn perl -e 'syscall(272, 0x80) == 0 or die "unshare: $!\n"; sleep 3600'
	wait_until time_for_children_differs "$SPAWNED_PID"
	TFC=$(stat -L -c %i "/proc/$SPAWNED_PID/ns/time_for_children")
}

time_for_children_differs() {
	[ "$(readlink "/proc/$1/ns/time_for_children")" != \
		"$(readlink "/proc/$1/ns/time")" ]
}

@test "nsls: a time namespace only time_for_children holds: skipped, as documented, no error" {
	[ "$(uname -m)" = x86_64 ] || skip "syscall numbers are x86_64's"
	only_time_for_children
	before
	run --separate-stderr nsls -J -o NS,TYPE
	drop_unreadable_warning
	assert_success
	assert_equal "$stderr" ""
	run jq -r '[.namespaces[].type] | unique | join(",")' <<<"$output"
	assert_output "cgroup,ipc,mnt,net,pid,time,user,uts"
	run --separate-stderr nsls "$TFC"
	drop_unreadable_warning
	assert_equal "$status" 1
	assert_equal "$stderr" "nsls: namespace $TFC not found"
	unchanged
}

@test "nsjoin --time=/proc/PID/ns/time_for_children: typed by the kernel (NS_GET_NSTYPE), joined, 0" {
	[ "$(uname -m)" = x86_64 ] || skip "syscall numbers are x86_64's"
	only_time_for_children
	before
	run --separate-stderr nsjoin --time="/proc/$SPAWNED_PID/ns/time_for_children" \
		readlink /proc/self/ns/time
	assert_success
	assert_output "time:[$TFC]"
	assert_equal "$stderr" ""
	unchanged
}

@test "nsjoin --net=FILE of another type: status 125, names both types" {
	row 125 '^nsjoin: /proc/self/ns/user is a user namespace, not net$' \
		nsjoin --net=/proc/self/ns/user true
	unchanged
}

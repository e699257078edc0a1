#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# nsunshare run by root among hostile users (issue 13): every path, fd and
# PID it acts on as root, with another user or process controlling it.
# Each scenario runs in a private mount namespace.

load helper
bats_require_minimum_version 1.5.0

setup() {
	D=$(mktemp -d "$BATS_TEST_TMPDIR/d.XXXXXX")
	TOP=
	# as_nobody in a private_ns function finds the copied binaries
	if [ "$(id -u)" -eq 0 ]; then
		nobody_bin >/dev/null
	fi
}

teardown() {
	kill_spawned
	if [ -n "$TOP" ] && [ -d "$TOP" ]; then
		rm -rf "$TOP"
	fi
}

teardown_file() {
	cleanup_nobody_bin
}

# private_ns FUNCTION ARG...: run one of this file's functions in a new
# private mount namespace, so that whatever it mounts ends with it.
private_ns() {
	unshare -m --propagation private bash -c "$(declare -f); \"\$@\"" \
		bash "$@"
}

# A directory below /tmp that nobody may enter, owned by root, and in it
# one that nobody owns: where the attacker works.
attacker_dir() {
	TOP=$(mktemp -d /tmp/nst-attack.XXXXXX)
	chmod 755 "$TOP"
	mkdir -m 755 "$TOP/evil"
	chown nobody:nogroup "$TOP/evil"
}

# fill_pipe FD: write into the pipe FD until it is full, so that the next
# write blocks until someone reads.
fill_pipe() {
	perl -e 'use Fcntl; open(my $p, ">&=", $ARGV[0]) or die "$!\n";
		my $f = fcntl($p, F_GETFL, 0);
		fcntl($p, F_SETFL, $f | O_NONBLOCK) or die "$!\n";
		1 while defined syswrite($p, "x" x 4096);
		fcntl($p, F_SETFL, $f) or die "$!\n";' "$1"
}

# ---- a /proc that is not procfs ---------------------------------------------

# In the namespace: a shared mount for the --mount=FILE that the kernel
# refuses (so that the hint is looked for), and /proc/self covered by a
# link to FIFOs where ns/mnt and mountinfo should be.
made_up_proc_self() {
	local d=$1
	mount -t tmpfs tmpfs "$d/s" && mount --make-shared "$d/s" &&
		mount --bind "$d/s" "$d/s" &&
		mount_symlink_over "$d/self" /proc self &&
		exec timeout 30 nsunshare --mount="$d/s/mnt" true
}

@test "/proc/self a link to FIFOs: --mount=FILE fails at once saying why, never blocks" {
	require_root
	# the sanitizers' runtime reads /proc/self, which is made up here
	if ldd "$(command -v nsunshare)" | grep -q libasan; then
		skip "a SANITIZE=1 build cannot run with a /proc that is not procfs"
	fi
	mkdir -p "$D/fake/ns" "$D/s"
	mkfifo "$D/fake/ns/mnt" "$D/fake/mountinfo"
	ln -s "$D/fake" "$D/self"
	run private_ns made_up_proc_self "$D"
	# an old binary blocked in open(2) of a FIFO: let it go on
	: <>"$D/fake/ns/mnt"
	: <>"$D/fake/mountinfo"
	assert_equal "$status" 125
	assert_output 'nsunshare: cannot trust /proc: it is not the procfs of our PID namespace'
}

# ---- the helper's target: /proc/PID of nsunshare ----------------------------

# In the namespace: /proc/OURS is VICTIM's directory (a bind mount), then
# we become nsunshare, whose helper writes our maps as root.
proc_pid_covered() {
	mount --bind "/proc/$1" "/proc/$$" &&
		exec nsunshare --map-users=0:0:1 --map-groups=0:0:1 true
}

@test "/proc/PID of nsunshare covered by another process's: its uid_map and gid_map stay unwritten" {
	require_userns
	# the sanitizers' runtime reads /proc/self, here another process's
	if ldd "$(command -v nsunshare)" | grep -q libasan; then
		skip "a SANITIZE=1 build cannot run with a /proc that is not procfs"
	fi
	local victim
	# nobody's process in a user namespace of its own, maps not yet set
	spawn setpriv --reuid=nobody --regid=nogroup --clear-groups \
		unshare -U sleep 1000
	victim=$SPAWNED_PID
	wait_until ns_differs "$victim" user
	run private_ns proc_pid_covered "$victim"
	assert_equal "$(cat "/proc/$victim/uid_map")" ""
	assert_equal "$(cat "/proc/$victim/gid_map")" ""
	assert_equal "$status" 125
	assert_output --regexp '^nsunshare: cannot trust /proc/[0-9]+: a mount covers it$'
}

# In the namespace: /proc/self a link to VICTIM's directory, and the
# inodes of the new namespaces asked for (--info-fd).
proc_self_covered() {
	ln -s "/proc/$1" "$2/self" &&
		mount_symlink_over "$2/self" /proc self &&
		exec nsunshare -U --info-fd 3 true 3>&1
}

@test "/proc/self a link to another process's directory: --info-fd never reports that process's namespaces" {
	require_userns
	# the sanitizers' runtime reads /proc/self, which is made up here
	if ldd "$(command -v nsunshare)" | grep -q libasan; then
		skip "a SANITIZE=1 build cannot run with a /proc that is not procfs"
	fi
	local victim
	spawn setpriv --reuid=nobody --regid=nogroup --clear-groups \
		unshare -U sleep 1000
	victim=$SPAWNED_PID
	wait_until ns_differs "$victim" user
	run private_ns proc_self_covered "$victim" "$D"
	refute_output --partial "$(ns_inode "$victim" user)"
	assert_equal "$status" 125
	assert_output 'nsunshare: cannot trust /proc: it is not the procfs of our PID namespace'
}

# ---- undoing a persist --------------------------------------------------------

# In the namespace: persist into evil/d (nobody's), with the info JSON
# written to a full pipe, so that nsunshare waits there, the namespace
# bound; the attacker moves evil/d away and puts a link to VICTIM in its
# place; then the pipe is read and the program is not found (127), and
# what was persisted is undone.  Prints what VICTIM/ns holds and whether
# the moved file is still there.
undo_after_swap() {
	local top=$1 victim=$2 pid rc=0
	as_nobody mkdir "$top/evil/d" || return 1
	mkfifo "$top/info"
	exec 4<>"$top/info"
	fill_pipe 4
	nsunshare --net="$top/evil/d/ns" --info-fd=3 /nonexistent/program 3>&4 &
	pid=$!
	wait_until mountpoint -q "$top/evil/d/ns" || return 1
	as_nobody mv "$top/evil/d" "$top/evil/moved" &&
		as_nobody ln -s "$victim" "$top/evil/d" || return 1
	dd if="$top/info" of=/dev/null bs=64k count=16 iflag=nonblock \
		2>/dev/null
	wait "$pid" || rc=$?
	exec 4>&-
	echo "status $rc"
	echo "victim $(cat "$victim/ns")"
	if mountpoint -q "$top/evil/moved/ns"; then
		echo "left mounted"
	elif [ -e "$top/evil/moved/ns" ]; then
		echo "left behind"
	fi
}

@test "undo after a failure: a directory on the path swapped for a link since redirects neither the umount nor the unlink" {
	require_userns
	local victim
	attacker_dir
	victim=$TOP/victim
	mkdir -m 700 "$victim"
	echo precious >"$victim/ns"
	run private_ns undo_after_swap "$TOP" "$victim"
	assert_output "nsunshare: cannot run '/nonexistent/program': No such file or directory
status 127
victim precious"
}

# In the namespace: nobody's file NAME exists when nsunshare looks; the
# lstat(2) that decided "made here" answers ENOENT (strace fault
# injection), as it would have a moment before nobody made the file.  -R
# to a missing root then fails after the persist, which is undone.
persist_on_existing() {
	local file=$1/evil/ns
	as_nobody sh -c "echo mine >'$file'" || return 1
	strace -f -qq -o /dev/null -P "$file" \
		-e inject=newfstatat:error=ENOENT:when=1 \
		nsunshare --net="$file" -R /nonexistent true
	echo "status $?"
	cat "$file"
}

@test "undo after a failure: a file nsunshare did not create (another user's) is never removed" {
	require_userns
	command -v strace >/dev/null || skip "needs strace"
	# LeakSanitizer cannot run under ptrace
	export LSAN_OPTIONS=detect_leaks=0
	attacker_dir
	run private_ns persist_on_existing "$TOP"
	assert_line "status 125"
	assert_line "mine"
}

# In the namespace: -f, persist, and fail writing the info JSON.
info_full() {
	nsunshare -f --net="$1/ns" --info-fd 3 true 3>/dev/full
	echo "status $?"
	ls -A "$1"
}

@test "-f, and the info JSON cannot be written: the persisted file is removed" {
	require_root
	run private_ns info_full "$D"
	assert_output "nsunshare: cannot write to --info-fd 3: No space left on device
status 125"
}

# ---- --mount-binfmt=DIR in a directory another user controls ----------------

# Root mounts binfmt_misc on nobody's DIR and registers an interpreter;
# each mount call is held 1.5 s (strace delay injection), and while the
# new mount exists nobody renames DIR away and puts a directory with a
# FIFO called register in its place.  A register looked up by DIR's path
# again is that FIFO, and the open for writing blocks.
binfmt_swap() {
	local bf=$1/evil/bf pid rc=0
	mkdir "$bf" && chown nobody:nogroup "$bf"
	timeout 30 strace -f -qq -o /dev/null \
		-e inject=mount:delay_exit=1500000 \
		-e inject=move_mount:delay_exit=1500000 \
		nsunshare -r --mount-binfmt="$bf" -l ':nsttest:E::nsttest::/bin/cat:' \
		cat "$1/evil/old/nsttest" &
	pid=$!
	for _ in $(seq 100); do
		grep -qs -- " $bf " /proc/[0-9]*/mountinfo && break
		sleep 0.1
	done
	as_nobody sh -c "mv '$bf' '$1/evil/old' && mkdir '$bf' && mkfifo -m 666 '$bf/register'"
	wait "$pid" || rc=$?
	echo "status $rc"
}

@test "--mount-binfmt=DIR swapped after the mount: -l registers in nsunshare's own mount, never opens the FIFO put in its place" {
	require_root
	command -v strace >/dev/null || skip "needs strace"
	export LSAN_OPTIONS=detect_leaks=0
	attacker_dir
	run binfmt_swap "$TOP"
	assert_output "enabled
interpreter /bin/cat
flags: 
extension .nsttest
status 0"
}

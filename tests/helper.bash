# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Shared bats helpers for the nstools suites: load with `load helper`.
#
# Every suite runs on real kernel namespaces.  Processes a test starts in
# the background are recorded with `spawn` and killed by PID in teardown
# (`teardown() { kill_spawned; }`, or call it from your own teardown).

bats_load_library() { load "/usr/lib/bats/$1/load"; }
bats_load_library bats-support
bats_load_library bats-assert

NSTOOLS_BIN=${NSTOOLS_BIN:-$(cd "$BATS_TEST_DIRNAME/../build" && pwd)}
export NSTOOLS_BIN
PATH="$NSTOOLS_BIN:$PATH"

# ---- who may run what ------------------------------------------------------

# A non-root `make check` (how distributions build) skips each test that
# needs root, with one of these reasons; tests/run-bats counts them by
# reason.  Call them inside the test or setup(), never in setup_file: a
# skip there fails the whole file (bats 1.8).
require_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
}

# Unprivileged user namespaces: needed by every test that runs as nobody.
# Becoming nobody (setpriv --reuid=nobody --clear-groups) takes root too.
require_userns() {
	local max
	[ "$(id -u)" -eq 0 ] || skip "needs root to run programs as nobody"
	max=$(cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo 0)
	[ "$max" -gt 0 ] || skip "user namespaces are disabled"
	if [ -r /proc/sys/kernel/unprivileged_userns_clone ]; then
		[ "$(cat /proc/sys/kernel/unprivileged_userns_clone)" = 1 ] ||
			skip "unprivileged user namespaces are disabled"
	fi
}

# The checkout may sit where nobody cannot enter: copy the binaries to a
# mode-755 directory once per test file, and run from there.  The name is
# derived from the run's own random temporary directory, not made by
# mktemp, because `run` and $(...) call this in subshells, whose NOBODY_BIN
# is lost: each call would otherwise leave a copy behind.
nobody_bin_dir() {
	echo "${NOBODY_BIN:-/tmp/nstools-bin.${BATS_RUN_TMPDIR##*/}.${BATS_TEST_FILENAME##*/}}"
}

nobody_bin() {
	NOBODY_BIN=$(nobody_bin_dir)
	export NOBODY_BIN
	if [ ! -d "$NOBODY_BIN" ] || [ -L "$NOBODY_BIN" ]; then
		mkdir -m 755 "$NOBODY_BIN" || return 1
		cp "$NSTOOLS_BIN"/ns* "$NSTOOLS_BIN"/netnslink "$NOBODY_BIN"/ \
			2>/dev/null || true
		chmod 755 "$NOBODY_BIN"/* 2>/dev/null || true
	fi
	echo "$NOBODY_BIN"
}

# as_nobody CMD...: run CMD as nobody:nogroup with no supplementary groups,
# our binaries first on PATH, and a clean, predictable environment.
as_nobody() {
	local bin
	bin=$(nobody_bin)
	setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
		env -i PATH="$bin:/usr/sbin:/usr/bin:/sbin:/bin" HOME=/ \
		SHELL=/bin/sh LANG=C "$@"
}

# Remove the copied binaries: call from teardown_file.
cleanup_nobody_bin() {
	local d
	d=$(nobody_bin_dir)
	if [ -d "$d" ] && [ ! -L "$d" ]; then
		rm -rf "$d"
	fi
}

# mount_symlink_over LINK DIR NAME: bind the symbolic link LINK itself (not
# what it points to) over the entry NAME of DIR, without following NAME
# either (open_tree + move_mount, numbered alike on every architecture):
# what anyone who may mount in a mount namespace can put over
# /proc/PID/root there.  Needs perl.
mount_symlink_over() {
	perl -e '
		my ($src, $dir, $name) = @ARGV;
		my ($cwd, $empty) = (-100, "");
		# OPEN_TREE_CLONE | AT_SYMLINK_NOFOLLOW | OPEN_TREE_CLOEXEC
		my $tree = syscall(428, $cwd, $src, 0x1 | 0x100 | 0x80000);
		$tree >= 0 or die "open_tree $src: $!\n";
		opendir(my $d, $dir) or die "opendir $dir: $!\n";
		# MOVE_MOUNT_F_EMPTY_PATH
		syscall(429, $tree, $empty, fileno($d), $name, 0x4) == 0 or
			die "move_mount onto $dir/$name: $!\n";' "$@"
}

# ---- namespaces and processes ------------------------------------------------

# ns_inode PID TYPE: inode of /proc/PID/ns/TYPE ("self" works as PID).
ns_inode() {
	stat -L -c %i "/proc/$1/ns/$2"
}

# ns_differs PID TYPE: is PID's TYPE namespace not ours?  (A function, so
# that wait_until reads the inodes again on every try.)
ns_differs() {
	[ "$(ns_inode "$1" "$2")" != "$(ns_inode self "$2")" ]
}

# wait_until CMD...: retry CMD for up to 10 s (100 x 0.1 s).
wait_until() {
	local _
	for _ in $(seq 1 100); do
		"$@" && return 0
		sleep 0.1
	done
	echo "timed out waiting for: $*" >&2
	return 1
}

# has_children PID: a function, so that wait_until reads the file each try
# (a "$(...)" argument would be expanded once, before the first try).
has_children() {
	[ -n "$(cat "/proc/$1/task/$1/children" 2>/dev/null)" ]
}

# first_child PID: the first child of PID (e.g. the program that nsunshare
# -f forked), waiting for it to appear.
first_child() {
	local kids
	wait_until has_children "$1" || return 1
	kids=$(cat "/proc/$1/task/$1/children")
	echo "${kids%% *}"
}

# unique_name PREFIX: a name no other test or run uses, for /run/netns.
unique_name() {
	echo "nst-$1-$$-$RANDOM$RANDOM"
}

# spawn CMD...: start CMD in the background (fd 3 closed, so bats does not
# wait on it), record its PID for kill_spawned, and set SPAWNED_PID.
spawn() {
	"$@" 3>&- &
	SPAWNED_PID=$!
	echo "$SPAWNED_PID" >>"$BATS_TEST_TMPDIR/spawned.pids"
}

# Kill what spawn started, and its children, by PID; reap it.
kill_spawned() {
	local pid kid
	[ -f "$BATS_TEST_TMPDIR/spawned.pids" ] || return 0
	while read -r pid; do
		# shellcheck disable=SC2013 # the file is one line of PIDs
		for kid in $(cat "/proc/$pid/task/$pid/children" 2>/dev/null); do
			kill -KILL "$kid" 2>/dev/null || true
		done
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done <"$BATS_TEST_TMPDIR/spawned.pids"
	rm -f "$BATS_TEST_TMPDIR/spawned.pids"
}

# A PID that is certainly not running now.
dead_pid() {
	local pid
	sh -c 'exit 0' &
	pid=$!
	wait "$pid"
	while kill -0 "$pid" 2>/dev/null; do pid=$((pid + 1)); done
	echo "$pid"
}

# Count of mounts in this mount namespace (for "nothing left behind").
mount_count() {
	wc -l </proc/self/mountinfo
}

# ---- subordinate ids ---------------------------------------------------------

# with_subid_files SUBUID SUBGID [--nobody] CMD...: run CMD where /etc/subuid
# and /etc/subgid hold the given text, in a private mount namespace whose
# /etc is an overlay: the machine's files are never touched and need not
# exist.  With --nobody, CMD runs as as_nobody runs it.
with_subid_files() {
	local d
	local -a who=()
	d=$(mktemp -d "$BATS_TEST_TMPDIR/etc.XXXXXX")
	mkdir "$d/up" "$d/work"
	printf '%s\n' "$1" >"$d/up/subuid"
	printf '%s\n' "$2" >"$d/up/subgid"
	chmod 644 "$d/up/subuid" "$d/up/subgid"
	shift 2
	if [ "${1:-}" = --nobody ]; then
		shift
		who=(setpriv --reuid=nobody --regid=nogroup --clear-groups --
			env -i PATH="$(nobody_bin):/usr/sbin:/usr/bin:/sbin:/bin"
			HOME=/ SHELL=/bin/sh LANG=C)
	fi
	# shellcheck disable=SC2016 # expanded by the inner sh
	unshare -m --propagation private sh -c '
		mount -t overlay overlay \
			-o "lowerdir=/etc,upperdir=$1/up,workdir=$1/work" /etc &&
		shift && exec "$@"' sh "$d" "${who[@]}" "$@"
}

# no_leak_check CMD...: CMD with LeakSanitizer off, for a run that joins or
# creates a PID namespace.  Such a process's children go to another PID
# namespace; in a SANITIZE=1 build, LSan's tracer at exit is one of those
# children, cannot see the process it should stop, and LSan spins forever.
# (as_nobody clears the environment: pass `env LSAN_OPTIONS=...` there.)
no_leak_check() {
	LSAN_OPTIONS=${LSAN_OPTIONS:+$LSAN_OPTIONS:}detect_leaks=0 "$@"
}

# Is PID in our own namespace of TYPE?
in_our_ns() {
	[ "$(ns_inode "$1" "$2")" = "$(ns_inode $$ "$2")" ]
}

# A net namespace no process is in, kept by a UDP socket (fd 7) of a
# sleep back in ours: sets SOCKNET (its inode) and SOCKPID.
# shellcheck disable=SC2034 # SOCKNET and SOCKPID are the suites'
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

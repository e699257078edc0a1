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

require_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
}

# Unprivileged user namespaces: needed by every test that runs as nobody.
require_userns() {
	local max
	max=$(cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo 0)
	[ "$max" -gt 0 ] || skip "user namespaces are disabled"
	if [ -r /proc/sys/kernel/unprivileged_userns_clone ]; then
		[ "$(cat /proc/sys/kernel/unprivileged_userns_clone)" = 1 ] ||
			skip "unprivileged user namespaces are disabled"
	fi
}

# The checkout may sit where nobody cannot enter: copy the binaries to a
# mode-755 directory once per test file, and run from there.
nobody_bin() {
	if [ -z "${NOBODY_BIN:-}" ] || [ ! -d "$NOBODY_BIN" ]; then
		NOBODY_BIN=$(mktemp -d /tmp/nstools-bin.XXXXXX)
		cp "$NSTOOLS_BIN"/ns* "$NSTOOLS_BIN"/netnslink "$NOBODY_BIN"/ \
			2>/dev/null || true
		chmod 755 "$NOBODY_BIN"
		chmod 755 "$NOBODY_BIN"/* 2>/dev/null || true
		export NOBODY_BIN
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
	if [ -n "${NOBODY_BIN:-}" ] && [ -d "$NOBODY_BIN" ]; then
		rm -rf "$NOBODY_BIN"
	fi
}

# ---- namespaces and processes ------------------------------------------------

# ns_inode PID TYPE: inode of /proc/PID/ns/TYPE ("self" works as PID).
ns_inode() {
	stat -L -c %i "/proc/$1/ns/$2"
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

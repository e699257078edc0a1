#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# netnslink as root among other users (issues 13 and 14): every path, fd
# and name it acts on while another user controls the directory around it.
# Each test runs in a private mount namespace with a tmpfs on /run.

load helper
bats_require_minimum_version 1.5.0

teardown() {
	kill_spawned
}

teardown_file() {
	cleanup_nobody_bin
}

# priv SCRIPT: run SCRIPT (bash, set -e) in a private mount namespace with
# an empty tmpfs on /run, and /run/u a directory of nobody's.
priv() {
	unshare -m --propagation private -- bash -ec \
		'umount -l /run/netns 2>/dev/null || true
		mount -t tmpfs tmpfs /run
		mkdir -m 755 /run/u; chown nobody /run/u
		as_nobody() {
			setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
		}
		eval "$1"' _ "$1"
}

# ---- the undo of a failed first run ----------------------------------------

# netnslink makes /run/u/x/y, binds it onto itself and then fails
# (strace: unshare ENOMEM).  Its undo checks the mount id of the
# self-bind, then unmounts it; strace holds the umount2 call 2 s before it
# runs, and nobody, owner of /run/u, swaps the directory x for a link to
# /run/victim meanwhile, where y is a mount of root's.  The old undo
# unmounted by path: it took away /run/victim/y, then removed the
# directory.
@test "a failed run's undo swapped under it by a link: only its own self-bind and directory go" {
	require_root
	command -v strace >/dev/null || skip "needs strace"
	run priv '
		mkdir -p /run/victim/y; mount -t tmpfs victim /run/victim/y
		LSAN_OPTIONS=detect_leaks=0 strace -qq -o /dev/null \
			-e trace=unshare,umount2 -e inject=unshare:error=ENOMEM \
			-e inject=umount2:delay_enter=2000000 \
			netnslink --dir /run/u/x/y --new a 2>/run/err &
		run=$!
		until grep -q . /run/err; do sleep 0.01; done
		as_nobody sh -c "mv /run/u/x /run/u/x.old; ln -s /run/victim /run/u/x"
		wait $run || echo rc=$?
		cat /run/err
		echo "victim: $(grep -c " /run/victim/y " /proc/self/mountinfo) $(ls -A /run/victim)"
		echo ours: $(grep -c " /run/u/" /proc/self/mountinfo || true) \
			$(ls -A /run/u) "[$(ls -A /run/u/x.old)]"'
	assert_success
	assert_output "rc=1
netnslink: cannot create a network namespace: Cannot allocate memory
victim: 1 y
ours: 0 x x.old []"
}

# ---- retry loops are bounded ------------------------------------------------

# nobody, who may write beside /run/u/names, removes names.lock again and
# again; strace holds every flock 200 ms so that the removal always comes
# between taking the lock and checking it is still there.  The old loop
# opened a new lock file forever.
@test "a set-up lock that keeps being removed: given up after 20 tries with one line" {
	require_root
	command -v strace >/dev/null || skip "needs strace"
	command -v perl >/dev/null || skip "needs perl"
	run priv '
		setpriv --reuid=nobody --regid=nogroup --clear-groups \
			perl -e "while (1) { unlink q(/run/u/names.lock); select(undef, undef, undef, 0.001) }" &
		racer=$!
		touch /run/u/names.lock
		while [ -e /run/u/names.lock ]; do sleep 0.01; done
		rc=0; timeout 30 env LSAN_OPTIONS=detect_leaks=0 strace -qq \
			-o /dev/null -e trace=flock \
			-e inject=flock:delay_exit=200000 \
			netnslink --dir /run/u/names --new a 2>/run/err || rc=$?
		kill -KILL $racer; wait $racer 2>/dev/null || true
		echo rc=$rc; cat /run/err
		grep -c " /run/u/" /proc/self/mountinfo || true'
	assert_success
	assert_output "rc=1
netnslink: cannot lock /run/u/names.lock: removed by another process 20 times in a row
0"
}

# ---- --help, messages and rows (issues 16 and 18) ---------------------------

@test "--help: options in one column, a blank line before -h, the manual named last, 80 columns" {
	run -0 netnslink --help
	assert_line --index 0 "Usage:"
	assert_equal "${lines[-1]}" "For more details see netnslink(8)."
	# bats drops empty lines from $lines: count the bytes of the line
	run -0 bash -c 'netnslink --help | grep -B1 -- "^ -h, --help" | head -1 | wc -c'
	assert_output 1
	run -0 bash -c 'netnslink --help | awk "length > 80"'
	assert_output ""
	# every option line's description starts at column 24 (from 0)
	run -0 bash -c 'netnslink --help | sed -n "/^Options:/,\$p" |
		grep -E "^ (-[a-zA-Z], |    )--" |
		awk "{ d = match(\$0, /[^ ]  +[^ ]/); s = substr(\$0, d + 1)
			match(s, /[^ ]/); print d + RSTART - 1 }" | sort -u'
	assert_output "24"
	run -0 netnslink --help
	assert_line " -J, --json             JSON output"
	assert_line " -r, --raw              raw output: no padding, one space between cells"
	assert_line " -n, --noheadings       no header line"
	assert_line " -o, --output LIST      columns to print (+LIST adds to the default)"
	assert_line "     --output-all       print every column"
	assert_line " -H, --list-columns     list the columns and exit"
}

@test "one voice: usage errors through the shared wording, every message on one line in the source" {
	run -2 --separate-stderr netnslink --new -d a
	assert_equal "${stderr_lines[0]}" "netnslink: --new and --delete are mutually exclusive"
	run -2 --separate-stderr netnslink -i --pids a
	assert_equal "${stderr_lines[0]}" "netnslink: --identify and --pids are mutually exclusive"
	run -2 --separate-stderr netnslink -l -d a
	assert_equal "${stderr_lines[0]}" "netnslink: --list and --delete are mutually exclusive"
	run -2 --separate-stderr netnslink --dir '' -l
	assert_equal "${stderr_lines[0]}" "netnslink: invalid directory: ''"
	run -2 --separate-stderr netnslink x1 y
	assert_equal "${stderr_lines[0]}" "netnslink: invalid PID: 'x1'"
	run -2 --separate-stderr netnslink --new 'a/b'
	assert_equal "${stderr_lines[0]}" "netnslink: invalid name: 'a/b': contains '/'"
	local f
	for f in "$BATS_TEST_DIRNAME"/../cmd/netnslink/*.c; do
		# a string literal continued on the next line (other than a
		# --help line ending in \n) hides its message from grep -rn
		run -1 awk 'p ~ /[^n]"$/ && /^[ \t]*"/ { print FNR": "$0; f = 1 }
			{ p = $0 } END { exit !f }' "$f"
		run -1 grep -nE "exclude (each|one) other|goes alone|conflict|cannot allocate|invalid PID '|\"(fork|asprintf|malloc|strdup|calloc)\"" "$f"
	done
}

# Issue 18 point 2: `netnslink | grep NAME` rows are short, and on a
# terminal the PIDS cell is never cut without saying so: it lists five
# PIDs and counts the rest ("and N more"), at any width.
@test "on a terminal, at 80 and at 40 columns, a PIDS cell shows five PIDs and says how many more" {
	require_root
	command -v script >/dev/null || skip "needs script(1)"
	run priv 'netnslink $$ here
		script -qc "stty cols 80; netnslink -o name,nprocs,pids
			stty cols 40; netnslink -o name,nprocs,pids" /dev/null |
			tr -d "\r" | grep "^here"
		netnslink | grep "^here" | awk "{ print length < 80 }"'
	assert_success
	assert_line --index 0 --regexp '^here +[0-9]+ ([0-9]+,){4}[0-9]+ and [0-9]+ more$'
	assert_line --index 1 --regexp '^here +[0-9]+ ([0-9]+,){4}[0-9]+ and [0-9]+ more$'
	assert_line --index 2 "1"
}

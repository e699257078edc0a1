#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# nsjoin's shape as a user and a reader meet it: the --help layout every
# program shares, the usage errors in the suite's one voice, and functions
# short enough to read.  None of these needs root.

bats_require_minimum_version 1.5.0
load helper

@test "nsjoin --help: one description column, -h and -V after a blank line, the man page last" {
	run -0 --separate-stderr nsjoin --help
	assert_equal "$stderr" ""
	# Every option's text starts at column 26; a line below an option at
	# 26 too (an option too long for the column) or 28 (its text goes on).
	run -0 awk -v col=26 '
	length($0) > 80 { print "over 80 columns: " $0 }
	/^ +-/ {
		n++
		if ($0 ~ /^ -h, --help / && prev != "")
			print "no blank line before -h"
		if (match($0, /^ +-[^ ]+( [^ ]+)*  +/) && RLENGTH != col)
			print "not at column " col ": " $0
		if (RSTART == 0 && !/^ +-[^ ]+$/)
			print "no description: " $0
	}
	/^    / && !/^ +-/ {
		match($0, /^ +/)
		if (RLENGTH != col && RLENGTH != col + 2)
			print "below an option, not at " col " or " col + 2 ": " $0
	}
	{ prev = $0 }
	/^ -h, --help / { h = 1 }
	END { if (n < 20 || !h) print n " options, -h: " h }' <<<"$output"
	assert_output ''
	# ns_usage_help_version's output, in nsjoin's column
	run -0 bash -c 'nsjoin --help | grep -A1 -- "^ -h, --help"'
	assert_output " -h, --help               print this help and exit
 -V, --version            print the version and exit"
	run -0 bash -c 'nsjoin --help | tail -n 2'
	assert_output "
For more details see nsjoin(1)."
}

@test "nsjoin --help: --preserve-credentials has its words below it, at the column" {
	run -0 bash -c 'nsjoin --help | grep -A1 -- "--preserve-credentials"'
	assert_output "     --preserve-credentials
                          keep uid and gid on joining a user namespace"
}

@test "nsjoin --help: the namespace options say '<type> namespace' as nsunshare does" {
	run -0 nsjoin --help
	local opt type
	for opt in "m, --mount|mount" "u, --uts|UTS" "i, --ipc|IPC" \
		"n, --net|network" "p, --pid|PID" "U, --user|user" \
		"C, --cgroup|cgroup" "T, --time|time"; do
		type=${opt#*|}
		assert_line --regexp "^ -${opt%|*}\[=FILE[^]]*\] +join the $type namespace"
	done
}

@test "nsjoin usage errors: one wording each, Try --help, status 125" {
	run -125 --separate-stderr nsjoin -t $$ -N 0 --net=/proc/self/ns/net true
	assert_equal "${stderr_lines[0]}" "nsjoin: --net-socket and --net=FILE are mutually exclusive"
	assert_equal "${stderr_lines[1]}" "Try 'nsjoin --help' for more information."
	run -125 --separate-stderr nsjoin --net= true
	assert_equal "${stderr_lines[0]}" "nsjoin: --net: empty file name"
	run -125 --separate-stderr nsjoin --uts= true
	assert_equal "${stderr_lines[0]}" "nsjoin: --uts: empty file name"
	run -125 --separate-stderr nsjoin -n '' true
	assert_equal "${stderr_lines[0]}" "nsjoin: --net: empty file name"
	run -125 --separate-stderr nsjoin -t $$ -u -S nosuchuser true
	assert_equal "${stderr_lines[0]}" "nsjoin: invalid uid: 'nosuchuser'"
	run -125 --separate-stderr nsjoin -t $$ -u -G 4294967296 true
	assert_equal "${stderr_lines[0]}" "nsjoin: invalid gid: '4294967296'"
	run -125 --separate-stderr nsjoin -t x -n true
	assert_equal "${stderr_lines[0]}" "nsjoin: invalid PID: 'x'"
	run -125 --separate-stderr nsjoin -t /proc/self/ns/uts true
	assert_equal "${stderr_lines[0]}" "nsjoin: '/proc/self/ns/uts' is a uts namespace file, not a PID: join it with --uts=/proc/self/ns/uts"
	run -125 --separate-stderr nsjoin -n . true
	assert_equal "${stderr_lines[0]}" "nsjoin: invalid netns name: '.': '.' and '..' are not names"
}

@test "nsjoin and nsmap: no function over 80 lines, none nested deeper than 3" {
	cd "$BATS_TEST_DIRNAME/.."
	run -0 tests/tools/function-sizes --max-depth 3 cmd/nsjoin.c cmd/nsmap.c
	assert_output ''
	# parse_args too, in nsjoin: its options are parsed one by one apart
	run -0 tests/tools/function-sizes --list cmd/nsjoin.c
	run -0 awk '$3 > 80' <<<"$output"
	assert_output ''
}

@test "nsjoin: parse_args, check_args, then the job" {
	cd "$BATS_TEST_DIRNAME/.."
	run -0 awk '/^main\(/, /^}/' cmd/nsjoin.c
	assert_line --index 0 'main(int argc, char **argv)'
	local parse check
	parse=$(grep -n '	parse_args(argc, argv, &o);' <<<"$output" | cut -d: -f1)
	check=$(grep -n '	check_args(&o);' <<<"$output" | cut -d: -f1)
	[ -n "$parse" ]
	[ -n "$check" ]
	[ "$check" -eq $((parse + 1)) ]
	run grep -c 'check_args(' cmd/nsjoin.c
	assert_output 2
}

#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# One voice for errors (STYLE.md): each kind of failure worded once, by
# one helper where it recurs, and every message on one line of the source
# so that grep finds it.  These rows grep cmd/ and common/ for the old
# wordings and shapes; each failure lists FILE:LINE of what it found.

bats_require_minimum_version 1.5.0
load helper

setup() {
	cd "$BATS_TEST_DIRNAME/.." || return 1
	SOURCES=$(find cmd common -name '*.[ch]' | LC_ALL=C sort)
}

# String literals of the C sources matching the ERE $1, as FILE:LINE:
# TEXT, less the lines matching the ERE $2 (the helper that words it).
literals_matching() {
	# shellcheck disable=SC2086
	grep -nHE "\"[^\"]*($1)" $SOURCES |
		grep -vE '^[^:]+:[0-9]+:[[:space:]]*(\*|/\*|//)' |
		grep -vE "${2:-^$}" || true
}

# Each call of an error function (err, errx, warn, warnx, their v forms,
# ns_usage_*), joined onto one line from its name to its ';', as FILE:LINE:
# CALL, with string literals as they are in the source.
error_calls() {
	# shellcheck disable=SC2086
	awk '
	FNR == 1 { call = "" }
	call == "" && match($0, /[^A-Za-z0-9_](v?errx?|v?warnx?|ns_usage_[a-z]+)\(/) {
		call = substr($0, RSTART + 1)
		start = FNR
		# a prototype, not a call
		if (call ~ /^[a-z_]+\((int|const|void) /)
			call = ""
	}
	call != "" && FNR > start { call = call "\n" $0 }
	call != "" && /\);[ \t]*$/ {
		gsub(/\n[ \t]*/, " \\n ", call)
		print FILENAME ":" start ": " call
		call = ""
	}' $SOURCES
}

@test "voice: exclusive options worded once, by ns_usage_exclusive" {
	run literals_matching 'mutually exclusive|exclude each other|exclude one another|conflict' \
		'"%s and %s are mutually exclusive"'
	assert_output ''
}

@test "voice: a bad PID is \"invalid PID: 'X'\" from ns_usage_invalid only" {
	# (a hint after the value, as netnslink's 'did you mean', is its own)
	run literals_matching "invalid PID:? '"
	run grep -v "did you mean" <<<"$output"
	assert_output ''
}

@test "voice: an empty FILE for an option has one wording" {
	run literals_matching 'empty file for --'
	assert_output ''
}

@test "voice: a bad uid or gid is \"invalid uid: 'X'\" from ns_usage_invalid only" {
	run literals_matching "(invalid|no such) (user|group|%s)( id)? '|invalid %s id"
	assert_output ''
}

@test "voice: /proc or a PID that cannot be opened is worded once, in common/proc.c" {
	run literals_matching 'no process with PID|procfs of (our|your) (pid|PID) namespace|it is not procfs"|/proc is not procfs|/proc/%d is covered by a mount|a mount covers it' \
		'^common/proc.c:'
	assert_output ''
}

@test "voice: no bare word (a syscall's name) as a message" {
	calls=$(error_calls)
	[ -n "$calls" ]
	run grep -E '^[^ ]+ (v?errx?|v?warnx?)\(([^,"]*, *)?"[A-Za-z_][A-Za-z0-9_]*"\)' <<<"$calls"
	assert_output ''
}

@test "voice: every error message stands on one line of the source" {
	calls=$(error_calls)
	[ -n "$calls" ]
	run grep -E '" \\n "' <<<"$calls"
	assert_output ''
}

@test "voice: the greps above find each old shape (a made-up source)" {
	local f="$BATS_TEST_TMPDIR/old.c"
	cat >"$f" <<'SRC'
static void
old(void)
{
	ns_usage_error(2, "--a and --b exclude each other");
	ns_usage_error(2, "invalid PID '%s'", s);
	ns_usage_error(2, "empty file for --%s", o);
	ns_usage_error(2, "--%s: invalid %s id '%s'", o, w, a);
	errx(1, "no process with PID %d", pid);
	errx(1, "cannot trust /proc: it is not the procfs of your pid namespace");
	err(1, "fork");
	warn("asprintf");
	errx(1, "cannot do this "
		"and that");
	/* a comment: mutually exclusive */
}
SRC
	SOURCES=$f
	run literals_matching 'mutually exclusive|exclude each other|exclude one another|conflict'
	assert_output "$f:4:	ns_usage_error(2, \"--a and --b exclude each other\");"
	run literals_matching "invalid PID:? '"
	assert_output --partial ":5:"
	run literals_matching 'empty file for --'
	assert_output --partial ":6:"
	calls=$(error_calls)
	run grep -cE '^[^ ]+ (v?errx?|v?warnx?)\(([^,"]*, *)?"[A-Za-z_][A-Za-z0-9_]*"\)' <<<"$calls"
	assert_output 2
	run grep -E '" \\n "' <<<"$calls"
	assert_output --partial ":12: errx(1, \"cannot do this \" \\n \"and that\");"
	run literals_matching "(invalid|no such) (user|group|%s)( id)? '|invalid %s id"
	assert_output --partial ":7:"
	run literals_matching 'no process with PID|procfs of (our|your) (pid|PID) namespace|it is not procfs"|/proc is not procfs|/proc/%d is covered by a mount|a mount covers it' \
		'^common/proc.c:'
	assert_output --partial ":8:"
	assert_output --partial ":9:"
}

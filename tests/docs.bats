#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# What a user reads: every --help fits an 80-column terminal, names only
# long options the man page documents, and shows the man page's SYNOPSIS;
# a bad option points at --help; --version names the suite's VERSION.

# run --separate-stderr sets $stderr.
# shellcheck disable=SC2154
bats_require_minimum_version 1.5.0
load helper

# The pages as make builds and installs them (dated, with the footer).
MAN_DIR=$NSTOOLS_BIN/man
REPO=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
VERSION=$(cat "$REPO/VERSION")

# man_text PROG: the rendered man page, plain text.
man_text() {
	local page
	page=$(echo "$MAN_DIR/$1".[18])
	[ -f "$page" ] || {
		echo "no man page for $1 in $MAN_DIR" >&2
		return 1
	}
	mandoc -Tascii "$page" | col -b
}

# normalize: squeeze blanks, and write "a | b" and "x ..." as "a|b" and
# "x..." (mandoc puts blanks there; the usage text may not).
normalize() {
	sed -E 's/^[[:blank:]]+//; s/[[:blank:]]+/ /g; s/ ?\| ?/|/g; s/ \.\.\./.../g'
}

help_fits_80_columns() {
	local long
	run -0 --separate-stderr "$1" --help
	assert_equal "$stderr" ""
	long=$(awk 'length > 80 { printf "%d: %s\n", NR, $0 }' <<<"$output")
	assert_equal "$long" ""
}

long_options_are_in_man_page() {
	local text opt missing=
	text=$(man_text "$1")
	for opt in $("$1" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
		grep -qE -- "$opt([^a-z-]|\$)" <<<"$text" || missing+=" $opt"
	done
	assert_equal "${missing# }" ""
}

synopsis_matches_man_page() {
	local usage synopsis
	usage=$("$1" --help | awk '
		/^Usage:/ { u = 1; sub(/^Usage: */, ""); if ($0 != "") print; next }
		u && /^$/ { exit }
		u { print }' | normalize)
	synopsis=$(man_text "$1" | awk -v prog="$1" '
		/^SYNOPSIS/ { s = 1; next }
		s && /^[A-Z]/ { exit }
		s && NF == 0 { next }
		# mandoc indents a wrapped synopsis line further: join it.
		s && $1 != prog { line = line " " $0; next }
		s { if (line != "") print line; line = $0 }
		END { if (line != "") print line }' | normalize)
	[ -n "$usage" ] || fail "$1 --help shows no Usage: lines"
	assert_equal "$usage" "$synopsis"
}

bad_option_says_try_help() {
	local status=$2
	run -"$status" --separate-stderr "$1" --no-such-option
	assert_output ""
	assert_equal "$(sed -n '$p' <<<"$stderr")" \
		"Try '$1 --help' for more information."
	[[ $stderr == *no-such-option* ]] ||
		fail "the error does not name the option: $stderr"
}

version_is_the_suite_version() {
	run -0 "$1" --version
	assert_output "$1 from nstools $(cat "$BATS_TEST_DIRNAME/../VERSION")"
}

# ---- nsunshare ---------------------------------------------------------------

@test "nsunshare --help fits 80 columns" {
	help_fits_80_columns nsunshare
}
@test "nsunshare: every long option in --help is in nsunshare(1)" {
	long_options_are_in_man_page nsunshare
}
@test "nsunshare: the Usage lines of --help are the SYNOPSIS of nsunshare(1)" {
	synopsis_matches_man_page nsunshare
}
@test "nsunshare --no-such-option: Try 'nsunshare --help', status 125" {
	bad_option_says_try_help nsunshare 125
}
@test "nsunshare --version prints nsunshare from nstools VERSION" {
	version_is_the_suite_version nsunshare
}

# ---- nsjoin ----------------------------------------------------------------

@test "nsjoin --help fits 80 columns" {
	help_fits_80_columns nsjoin
}
@test "nsjoin: every long option in --help is in nsjoin(1)" {
	long_options_are_in_man_page nsjoin
}
@test "nsjoin: the Usage lines of --help are the SYNOPSIS of nsjoin(1)" {
	synopsis_matches_man_page nsjoin
}
@test "nsjoin --no-such-option: Try 'nsjoin --help', status 125" {
	bad_option_says_try_help nsjoin 125
}
@test "nsjoin --version prints nsjoin from nstools VERSION" {
	version_is_the_suite_version nsjoin
}

# ---- nsmap -----------------------------------------------------------------

@test "nsmap --help fits 80 columns" {
	help_fits_80_columns nsmap
}
@test "nsmap: every long option in --help is in nsmap(1)" {
	long_options_are_in_man_page nsmap
}
@test "nsmap: the Usage lines of --help are the SYNOPSIS of nsmap(1)" {
	synopsis_matches_man_page nsmap
}
@test "nsmap --no-such-option: Try 'nsmap --help', status 2" {
	bad_option_says_try_help nsmap 2
}
@test "nsmap --version prints nsmap from nstools VERSION" {
	version_is_the_suite_version nsmap
}

# ---- nsls --------------------------------------------------------------------

@test "nsls --help fits 80 columns" {
	help_fits_80_columns nsls
}
@test "nsls: every long option in --help is in nsls(8)" {
	long_options_are_in_man_page nsls
}
@test "nsls: the Usage line of --help is the SYNOPSIS of nsls(8)" {
	synopsis_matches_man_page nsls
}
@test "nsls --no-such-option: Try 'nsls --help', status 2" {
	bad_option_says_try_help nsls 2
}
@test "nsls --version prints nsls from nstools VERSION" {
	version_is_the_suite_version nsls
}

# ---- netnslink ---------------------------------------------------------------

@test "netnslink --help fits 80 columns" {
	help_fits_80_columns netnslink
}
@test "netnslink: every long option in --help is in netnslink(8)" {
	long_options_are_in_man_page netnslink
}
@test "netnslink: the Usage lines of --help are the SYNOPSIS of netnslink(8)" {
	synopsis_matches_man_page netnslink
}
@test "netnslink --no-such-option: Try 'netnslink --help', status 2" {
	bad_option_says_try_help netnslink 2
}
@test "netnslink --version prints netnslink from nstools VERSION" {
	version_is_the_suite_version netnslink
}

# ---- every page ----------------------------------------------------------------

# A date as mdoc writes it: "November 23, 2026".
MDOC_DATE='(January|February|March|April|May|June|July|August|September|October|November|December) [1-9][0-9]?, [0-9]{4}'

@test "every built man page ends in 'nstools VERSION  DATE  nstools VERSION', the date fixed" {
	local page last when
	for page in "$REPO"/man/*.[18]; do
		# the source leaves both to the build
		grep -qx '\.Dd \$Mdocdate\$' "$page"
		grep -qx '\.Os' "$page"
		last=$(mandoc -Tascii "$MAN_DIR/${page##*/}" | col -bx |
			sed -n '$p')
		[[ $last =~ ^nstools\ $VERSION\ +($MDOC_DATE)\ +nstools\ $VERSION$ ]] ||
			fail "${page##*/}: footer is '$last'"
		# the date of the page's last commit, not the day it is read
		git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1 || continue
		[ -z "$(git -C "$REPO" status --porcelain -- "$page")" ] || continue
		[ -n "${SOURCE_DATE_EPOCH:-}" ] && continue
		when=$(git -C "$REPO" log -1 --format=%ct -- "$page")
		assert_equal "${BASH_REMATCH[1]}" \
			"$(LC_ALL=C date -u -d "@$when" '+%B %-d, %Y')"
	done
}

@test "SOURCE_DATE_EPOCH dates the built man pages: the same bytes on every build" {
	local out=$BATS_TEST_TMPDIR/b1 page
	run -0 env SOURCE_DATE_EPOCH=86400 make -s -C "$REPO" \
		BUILDDIR="$out" "$out/man/nsls.8" "$out/man/nsjoin.1"
	run -0 sed -n '/^\.Dd/p; /^\.Os/p' "$out/man/nsls.8"
	assert_output "$(printf '%s\n' '.Dd January 2, 1970' ".Os nstools $VERSION")"
	run -0 mandoc -Tlint -Wwarning "$out/man/nsls.8" "$out/man/nsjoin.1"
	cp "$out/man/nsjoin.1" "$BATS_TEST_TMPDIR/first"
	rm -rf "$out"
	run -0 env SOURCE_DATE_EPOCH=86400 make -s -C "$REPO" \
		BUILDDIR="$out" "$out/man/nsjoin.1"
	cmp "$BATS_TEST_TMPDIR/first" "$out/man/nsjoin.1"
}

#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# --help of all five programs has one layout, util-linux's: the options in
# one description column, -h and -V after a blank line, the same words for
# the same options, the man page named on the last line, 80 columns.

load helper

# help_problems PROG SECTION: each way PROG --help breaks the layout, one
# per line; nothing when it is right.
help_problems() {
	local prog=$1 section=$2 text
	text=$("$prog" --help) || {
		echo "$prog --help failed"
		return
	}
	awk -v prog="$prog" -v section="$section" '
	function problem(s) { print prog ": " s }
	# The description column of an option line, 0-based; 0 for none.
	function desc_col(line) {
		if (match(line, /^ +-([^ ]| [^ ])*  +[^ ]/))
			return RLENGTH - 1
		return 0
	}
	function long_name(line) {
		if (match(line, /^ +(-[A-Za-z0-9], )?--[a-z-]+/)) {
			s = substr(line, RSTART, RLENGTH)
			sub(/^.*--/, "--", s)
			return s
		}
		return ""
	}
	{ lines[NR] = $0 }
	length($0) > 80 { problem("line " NR " is over 80 columns: " $0) }
	/^ -h, --help/ {
		help = NR
		if (lines[NR - 1] != "")
			problem("no blank line before -h, --help")
	}
	/^ -V, --version/ && help != NR - 1 {
		problem("-V, --version does not follow -h, --help")
	}
	/^Options:$/ { opts = 1; next }
	opts && (/^[A-Z][A-Za-z ]*:$/ || /^For more details/) { opts = 0 }
	opts && /^ +-/ {
		c = desc_col($0)
		name = long_name($0)
		if (c > 0) {
			if (col == 0)
				col = c
			else if (c != col)
				problem("\"" $0 "\" starts its description at " c ", not " col)
			d = substr($0, c + 1)
			if (name in words && d != words[name])
				problem(name ": \"" d "\", not \"" words[name] "\"")
			if (name in nswords && index(d, nswords[name]) == 0)
				problem(name ": \"" d "\" does not say \"" nswords[name] "\"")
		} else if (name in words) {
			problem(name ": its description is not on its line")
		}
		bare = c == 0
		next
	}
	opts && /^ +[^ ]/ {
		match($0, /^ +/)
		c = RLENGTH
		if (col > 0 && c != (bare ? col : col + 2))
			problem("\"" $0 "\" is indented " c ", not " (bare ? col : col + 2))
		bare = 0
	}
	END {
		want = "For more details see " prog "(" section ")."
		if (lines[NR] != want)
			problem("the last line is \"" lines[NR] "\", not \"" want "\"")
		else if (lines[NR - 1] != "")
			problem("no blank line before \"" want "\"")
		if (!help)
			problem("no -h, --help line")
	}
	BEGIN {
		words["--json"] = "JSON output"
		words["--raw"] = "raw output: no padding, one space between cells"
		words["--noheadings"] = "no header line"
		words["--output"] = "columns to print (+LIST adds to the default)"
		words["--output-all"] = "print every column"
		words["--list-columns"] = "list the columns and exit"
		words["--help"] = "print this help and exit"
		words["--version"] = "print the version and exit"
		if (prog == "nsunshare" || prog == "nsjoin") {
			nswords["--mount"] = "mount namespace"
			nswords["--uts"] = "UTS namespace"
			nswords["--ipc"] = "IPC namespace"
			nswords["--net"] = "network namespace"
			nswords["--pid"] = "PID namespace"
			nswords["--user"] = "user namespace"
			nswords["--cgroup"] = "cgroup namespace"
			nswords["--time"] = "time namespace"
		}
	}' <<<"$text"
}

@test "nsls --help: one column, -h after a blank line, the suite's words, nsls(8) last" {
	assert_equal "$(help_problems nsls 8)" ""
}

@test "nsmap --help: one column, -h after a blank line, the suite's words, nsmap(1) last" {
	assert_equal "$(help_problems nsmap 1)" ""
}

@test "netnslink --help: one column, -h after a blank line, the suite's words, netnslink(8) last" {
	assert_equal "$(help_problems netnslink 8)" ""
}

@test "nsunshare --help: one column, -h after a blank line, the suite's words, nsunshare(1) last" {
	assert_equal "$(help_problems nsunshare 1)" ""
}

@test "nsjoin --help: one column, -h after a blank line, the suite's words, nsjoin(1) last" {
	assert_equal "$(help_problems nsjoin 1)" ""
}

@test "the layout check finds each kind of fault in a made-up --help" {
	local fake=$BATS_TEST_TMPDIR/bin
	mkdir -p "$fake"
	cat >"$fake/nsfake" <<-'EOF'
		#!/bin/sh
		cat <<'TEXT'
		Usage:
		 nsfake [options]

		Options:
		 -J, --json               print JSON
		 -a, --all              all of them
		     --a-very-long-option-name=VALUE
		                          its description on the next line
		 -b, --bee                a description that goes on
		                          with the wrong indent
		 -h, --help               print this help and exit
		 -V, --version            print the version and exit
		 -x, --xylophone          a description that is far too long for an eighty-column terminal

		See nsfake(1).
		TEXT
	EOF
	chmod 755 "$fake/nsfake"
	PATH=$fake:$PATH run help_problems nsfake 1
	assert_line 'nsfake: --json: "print JSON", not "JSON output"'
	assert_line --partial '" -a, --all              all of them" starts its description at 24, not 26'
	assert_line --partial '"                          with the wrong indent" is indented 26, not 28'
	assert_line 'nsfake: no blank line before -h, --help'
	assert_line --partial 'nsfake: line 13 is over 80 columns'
	assert_line 'nsfake: the last line is "See nsfake(1).", not "For more details see nsfake(1)."'
	refute_line --partial 'a-very-long-option-name'
	assert_equal "${#lines[@]}" 6
}

# ---- README ---------------------------------------------------------------

@test "README: an example under a \$ prompt shows no other user's process" {
	# The output after a "$ CMD" line (not sudo) up to the next prompt is
	# what an ordinary user sees: never kthreadd or init, which only
	# root's view of /proc/PID/ns shows.
	run awk '
		/^    [$#] / || /^[$#] / {
			user = $0 ~ /^ *\$ / && $0 !~ /^ *\$ sudo /
			cmd = $0
			next
		}
		/^ *$/ || /^```/ { user = 0 }
		user && /kthreadd|systemd|\/sbin\/init/ { print cmd " -> " $0 }
	' "$BATS_TEST_DIRNAME/../README.md"
	assert_success
	assert_output ""
}

# ---- drop-in: the peer's version and the differences ----------------------

# man_section_text PAGE: the rendered page, plain text.
man_plain() {
	mandoc -Tascii "$BATS_TEST_DIRNAME/../man/$1" | col -b
}

@test "every man page names the peer version it replaces and lists the differences" {
	local page peer text missing=
	for page in nsls.8:"lsns(8) of util-linux 2.42 and its master branch" \
		nsunshare.1:"unshare(1) of util-linux 2.42 and its master branch" \
		nsjoin.1:"nsenter(1) of util-linux 2.42 and its master branch" \
		netnslink.8:"iproute2 (6.1 and later)" \
		nsmap.1:"shadow 4.13 and later"; do
		peer=${page#*:}
		page=${page%%:*}
		text=$(man_plain "$page" | tr -s ' \n' '  ')
		[[ $text == *"$peer"* ]] || missing+=" $page: '$peer';"
		[[ $text == *" DIFFERENCES "* || $text == *"Differences from newuidmap and newgidmap"* ]] ||
			missing+=" $page: no DIFFERENCES;"
	done
	assert_equal "${missing# }" ""
}

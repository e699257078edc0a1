#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Bash completion (cmd/completion/PROG): each file is sourced after
# bash-completion's own functions, a command line is split into words as
# bash splits it, and the COMPREPLY the program's function leaves is checked.

# Each @test is a subshell of its own: SLEEPER is meant to be per test.
# shellcheck disable=SC2030,SC2031
bats_require_minimum_version 1.5.0
load helper

BASH_COMPLETION=/usr/share/bash-completion/bash_completion

setup() {
	[ -r "$BASH_COMPLETION" ] || skip "bash-completion is not installed"
	# shellcheck source=/dev/null
	source "$BASH_COMPLETION"
	local p
	for p in nsunshare nsjoin nsmap nsls netnslink; do
		# shellcheck source=/dev/null
		source "$BATS_TEST_DIRNAME/../cmd/completion/$p"
	done
	NETNS_NAME=
}

teardown() {
	kill_spawned
	if [ -n "$NETNS_NAME" ]; then
		ip netns delete "$NETNS_NAME" 2>/dev/null || true
	fi
}

# compopt works only while bash itself completes; record what is asked.
compopt() {
	COMPOPT+=" $*"
}

# complete_line LINE: complete LINE with the cursor at its end, as bash
# would on TAB, and print COMPREPLY one entry a line, sorted.  Bash splits
# at blanks, and each run of = or : (from COMP_WORDBREAKS) is a word too.
complete_line() {
	local line=$1 w func
	local -a parts
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMP_WORDS=()
	read -ra parts <<<"$line"
	for w in "${parts[@]}"; do
		while [[ $w =~ ^([^=:]*)([=:]+)(.*)$ ]]; do
			[ -z "${BASH_REMATCH[1]}" ] ||
				COMP_WORDS+=("${BASH_REMATCH[1]}")
			COMP_WORDS+=("${BASH_REMATCH[2]}")
			w=${BASH_REMATCH[3]}
		done
		[ -z "$w" ] || COMP_WORDS+=("$w")
	done
	[[ $line != *' ' ]] || COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	COMPOPT=
	func=$(complete -p "${COMP_WORDS[0]}")
	func=${func#*-F }
	func=${func%% *}
	"$func" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" \
		"${COMP_WORDS[COMP_CWORD - 1]}"
	[ "${#COMPREPLY[@]}" -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}" | sort
}

# long_options PROG: the long options PROG --help lists, sorted.
long_options() {
	"$1" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u
}

# A process to complete the PID of: SLEEPER.
start_sleeper() {
	spawn sleep 1000 </dev/null >/dev/null 2>&1
	SLEEPER=$SPAWNED_PID
}

# is_sleeping: SLEEPER has become sleep (a function, read on each try).
is_sleeping() {
	[ "$(cat "/proc/$SLEEPER/comm")" = sleep ]
}

# A network namespace under /run/netns with a name no one else uses.
make_netns() {
	require_root
	NETNS_NAME=$(unique_name comp)
	ip netns add "$NETNS_NAME"
}

# ---- every program ---------------------------------------------------------

@test "every program: PROG --<TAB> offers exactly the long options of --help" {
	local p
	for p in nsunshare nsjoin nsmap nsls netnslink; do
		run -0 complete_line "$p --"
		assert_output "$(long_options "$p")"
	done
}

# ---- nsunshare ---------------------------------------------------------------

@test "nsunshare --map-r<TAB> completes to --map-root-user" {
	run -0 complete_line "nsunshare --map-r"
	assert_output --map-root-user
}

@test "nsunshare --propagation <TAB> offers the four propagation modes" {
	run -0 complete_line "nsunshare --propagation "
	assert_output "$(printf '%s\n' private shared slave unchanged)"
}

@test "nsunshare -s d<TAB> completes to deny" {
	run -0 complete_line "nsunshare -s d"
	assert_output deny
}

@test "nsunshare --kill-child=TE<TAB> completes the signal name TERM" {
	run -0 complete_line "nsunshare -f --kill-child=TE"
	assert_output TERM
}

@test "nsunshare --mount-proc=<TAB> offers directories" {
	local d
	d=$(mktemp -d "$BATS_TEST_TMPDIR/proc.XXXXXX")
	touch "$BATS_TEST_TMPDIR/not-a-dir"
	run -0 complete_line "nsunshare -pf --mount-proc=$BATS_TEST_TMPDIR/"
	assert_output "$d"
}

@test "nsunshare -U -r ech<TAB>: the program to run is a command" {
	run -0 complete_line "nsunshare -U -r ech"
	assert_line echo
}

@test "nsunshare -R /tmp --hostname box --net=/tmp/n ech<TAB>: option values are not the program" {
	run -0 complete_line "nsunshare -R /tmp --hostname box --net=/tmp/n ech"
	assert_line echo
}

@test "nsunshare --whitelist-env NST_A,NST_<TAB> completes exported names after the comma" {
	export NST_COMPL_ONE=1 NST_COMPL_TWO=2
	run -0 complete_line "nsunshare --whitelist-env NST_COMPL_ONE,NST_COMPL_T"
	assert_output NST_COMPL_ONE,NST_COMPL_TWO
}

@test "nsunshare -l DEF --owner 0:0 ech<TAB>: the values of -l and --owner are not the program" {
	run -0 complete_line "nsunshare -rpf -l :x:E::x::/bin/cat: --owner 0:0 ech"
	assert_line echo
	run -0 complete_line "nsunshare --mount-b"
	assert_output --mount-binfmt
}

@test "nsunshare -f nsls -t u<TAB>: the program's arguments use its own completion" {
	run -0 complete_line "nsunshare -f --net=/tmp/n nsls -t u"
	assert_output "$(printf '%s\n' user uts)"
}

# ---- nsjoin ----------------------------------------------------------------

@test "nsjoin --netns-<TAB> completes to --netns-etc" {
	run -0 complete_line "nsjoin --netns-"
	assert_output --netns-etc
}

@test "nsjoin -t <PID><TAB> offers the running process" {
	start_sleeper
	run -0 complete_line "nsjoin -t $SLEEPER"
	assert_line "$SLEEPER"
	run -0 complete_line "nsjoin --target=$SLEEPER"
	assert_line "$SLEEPER"
}

@test "nsjoin --net=<name><TAB> and -n<name><TAB> offer a name under /run/netns" {
	make_netns
	run -0 complete_line "nsjoin --net=${NETNS_NAME%?}"
	assert_output "$NETNS_NAME"
	run -0 complete_line "nsjoin -n${NETNS_NAME%?}"
	assert_output "-n$NETNS_NAME"
}

@test "nsjoin -S fol<TAB> completes to follow" {
	run -0 complete_line "nsjoin -t 1 -a -S fol"
	assert_output follow
}

@test "nsjoin -t PID -N <TAB> offers the target's socket file descriptors" {
	spawn bash -c 'exec 7<>/dev/udp/127.0.0.1/9; exec sleep 1000' \
		</dev/null >/dev/null 2>&1
	SLEEPER=$SPAWNED_PID
	wait_until is_sleeping
	test -S "/proc/$SPAWNED_PID/fd/7"
	run -0 complete_line "nsjoin -t $SPAWNED_PID -N "
	assert_output 7
}

@test "nsjoin -t 1 -n nsls --ty<TAB>: the program's arguments use its own completion" {
	run -0 complete_line "nsjoin -t 1 -n nsls --ty"
	assert_output --type
}

@test "nsjoin -n <TAB> and --net <TAB> offer the names under /run/netns" {
	make_netns
	# before: commands, as for a program
	run -0 complete_line "nsjoin -n ${NETNS_NAME%?}"
	assert_output "$NETNS_NAME"
	run -0 complete_line "nsjoin -t 1 -u --net ${NETNS_NAME%?}"
	assert_output "$NETNS_NAME"
	run -0 complete_line "nsjoin -n -t 1 -un ${NETNS_NAME%?}"
	refute_output "$NETNS_NAME"
}

@test "nsjoin [-t PID] -n NAME nsls --ty<TAB>: the program's own completion" {
	make_netns
	# before: files, NAME being taken for the program
	run -0 complete_line "nsjoin -t 1 -n $NETNS_NAME nsls --ty"
	assert_output --type
	run -0 complete_line "nsjoin -n $NETNS_NAME -t 1 -u nsls --ty"
	assert_output --type
	run -0 complete_line "nsjoin -t 1 -u --net $NETNS_NAME nsl"
	assert_line nsls
}

# ---- nsmap -----------------------------------------------------------------

@test "nsmap --outs<TAB> completes to --outside" {
	run -0 complete_line "nsmap --outs"
	assert_output --outside
}

@test "nsmap -o KIND,IN<TAB> completes the second column, without a space" {
	run -0 complete_line "nsmap -o KIND,IN"
	assert_output KIND,INSIDE
	complete_line "nsmap -o KIND,IN" >/dev/null
	[[ $COMPOPT == *nospace* ]]
}

@test "nsmap --setgroups=<TAB> offers allow and deny" {
	run -0 complete_line "nsmap --setgroups="
	assert_output "$(printf '%s\n' allow deny)"
}

@test "nsmap -s <TAB> offers allow and deny, as --setgroups" {
	run -0 complete_line "nsmap -s "
	assert_output "$(printf '%s\n' allow deny)"
}

@test "nsmap <PID><TAB> offers the running process" {
	start_sleeper
	run -0 complete_line "nsmap -u 0:1000:1 $SLEEPER"
	assert_line "$SLEEPER"
}

# ---- nsls --------------------------------------------------------------------

@test "nsls --pers<TAB> completes to --persistent" {
	run -0 complete_line "nsls --pers"
	assert_output --persistent
}

@test "nsls -t <TAB> offers the eight namespace types" {
	run -0 complete_line "nsls -t "
	assert_output "$(printf '%s\n' cgroup ipc mnt net pid time user uts)"
}

@test "nsls -o +NP<TAB> and -o NS,TY<TAB> complete the column being typed" {
	run -0 complete_line "nsls -o +NP"
	assert_output +NPROCS
	run -0 complete_line "nsls --output=NS,TY"
	assert_output NS,TYPE
}

@test "nsls -o <TAB> offers every column nsls -H lists" {
	run -0 complete_line "nsls -o "
	assert_output "$(nsls -H -r -n | cut -d ' ' -f 1 | sort)"
}

@test "nsls --tree=o<TAB> completes to owner" {
	run -0 complete_line "nsls --tree=o"
	assert_output owner
}

@test "nsls -p <PID><TAB> offers the running process" {
	start_sleeper
	run -0 complete_line "nsls -p $SLEEPER"
	assert_line "$SLEEPER"
}

@test "nsls <NS><TAB> offers the inode of a namespace nsls sees" {
	local ino
	ino=$(ns_inode self net)
	run -0 complete_line "nsls -l $ino"
	assert_output "$ino"
}

# ---- netnslink ---------------------------------------------------------------

@test "netnslink --loop<TAB> completes to --loopback" {
	run -0 complete_line "netnslink --new --loop"
	assert_output --loopback
}

@test "netnslink -o N<TAB> offers the columns that start with N" {
	run -0 complete_line "netnslink -o N"
	assert_output "$(printf '%s\n' NAME NOTE NPROCS NS)"
}

@test "netnslink -d <name><TAB> offers a name under /run/netns" {
	make_netns
	run -0 complete_line "netnslink -d ${NETNS_NAME%?}"
	assert_output "$NETNS_NAME"
	run -0 complete_line "netnslink --pids ${NETNS_NAME%?}"
	assert_output "$NETNS_NAME"
}

@test "netnslink --dir DIR -d <TAB> offers the names in DIR" {
	local d=$BATS_TEST_TMPDIR/names
	mkdir "$d"
	touch "$d/blue" "$d/red"
	run -0 complete_line "netnslink --dir $d -f -d "
	assert_output "$(printf '%s\n' blue red)"
	run -0 complete_line "netnslink --dir=$d --pids r"
	assert_output red
}

@test "netnslink <PID><TAB> offers the process; the NAME after it is new" {
	start_sleeper
	run -0 complete_line "netnslink $SLEEPER"
	assert_line "$SLEEPER"
	run -0 complete_line "netnslink -i $SLEEPER"
	assert_line "$SLEEPER"
	run -0 complete_line "netnslink $SLEEPER "
	assert_output ''
}

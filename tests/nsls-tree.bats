#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# nsls: the process tree, `nsls NS`, several -p PIDs and the cells of
# namespaces no process is in, each compared with util-linux lsns.

bats_require_minimum_version 1.5.0
load helper

setup() {
	MADE_FILES=()
	MADE_NETNS=()
	TREES=()
}

# kill_tree PID: PID and every descendant, deepest first.
kill_tree() {
	local kid
	# shellcheck disable=SC2013 # one line of PIDs per task
	for kid in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		kill_tree "$kid"
	done
	kill -KILL "$1" 2>/dev/null || true
}

teardown() {
	local f n p
	for p in "${TREES[@]}"; do
		kill_tree "$p"
	done
	kill_spawned
	for f in "${MADE_FILES[@]}"; do
		umount "$f" 2>/dev/null || true
		rm -f "$f"
	done
	for n in "${MADE_NETNS[@]}"; do
		ip netns del "$n" 2>/dev/null || true
	done
}

teardown_file() {
	cleanup_nobody_bin
}

# lsns_retry ARGS...: lsns, run again when it fails (2.38 gives up on the
# whole listing when a process it reads exits at the wrong moment).
lsns_retry() {
	local _ out
	for _ in 1 2 3 4 5; do
		if out=$(lsns "$@" 2>/dev/null); then
			printf '%s\n' "$out"
			return 0
		fi
	done
	return 1
}

net_of() {
	ns_inode "$1" net
}

# net_differs A B: are processes A and B in different network namespaces?
net_differs() {
	[ "$(net_of "$1")" != "$(net_of "$2")" ]
}

# new_file: an empty file for a bind mount in $FILE, removed in teardown.
new_file() {
	FILE=$(mktemp "/tmp/nslstree.XXXXXX")
	MADE_FILES+=("$FILE")
}

# pid_in FILE: wait for FILE to hold a PID, print it.
file_has_pid() {
	[ -s "$1" ]
}
pid_in() {
	wait_until file_has_pid "$1" && cat "$1"
}

# start_nests: two process trees whose namespaces nest, or not, by lsns's
# rule (a namespace under another only where its process's parent is the
# process shown for that one):
#   S1 (sh, the lowest PID of new net ns A)
#     +- B (sleep in new net ns NB): S1 is A's process, so NB under A
#     +- INNER (sh, in A but not the process shown for A)
#          +- C (sleep in new net ns NC): at the top
#   S2 (sh, the lowest PID of new uts ns U)
#     +- D (sleep in new net ns ND): at the top of -t net; in a listing of
#        every type, under U where lsns puts it (U's row comes first).
# OURS holds their inodes.
start_nests() {
	local t=$BATS_TEST_TMPDIR
	spawn nsunshare -n sh -c "sh -c 'echo \$\$ >$t/b; exec nsunshare -n sleep 1000' &
		sh -c 'echo \$\$ >$t/inner; nsunshare -n sleep 1000; :' & wait"
	S1=$SPAWNED_PID
	TREES+=("$S1")
	spawn nsunshare -u sh -c "sh -c 'echo \$\$ >$t/d; exec nsunshare -n sleep 1000' & wait"
	S2=$SPAWNED_PID
	TREES+=("$S2")
	B=$(pid_in "$t/b")
	INNER=$(pid_in "$t/inner")
	D=$(pid_in "$t/d")
	C=$(first_child "$INNER")
	wait_until ns_differs "$S1" net
	wait_until ns_differs "$S2" uts
	wait_until net_differs "$B" "$S1"
	wait_until net_differs "$C" "$S1"
	wait_until net_differs "$D" "$S2"
	A=$(net_of "$S1")
	NB=$(net_of "$B")
	NC=$(net_of "$C")
	ND=$(net_of "$D")
	U=$(ns_inode "$S2" uts)
	OURS="$A $NB $NC $ND $U"
}

# tree_pairs CMD...: "PARENT CHILD" (PARENT "top" at the top level) for
# every row of the JSON of CMD whose NS is one of $OURS, sorted: the other
# rows belong to other suites running at the same time.
tree_pairs() {
	local out
	out=$("$@" 2>/dev/null) || return
	jq -r 'def w(p): .ns as $me | "\(p) \($me)",
			((.children // [])[] | w($me));
		.namespaces[] | w("top")' <<<"$out" |
		awk -v l="$OURS" '
			BEGIN { n = split(l, a, " "); for (i = 1; i <= n; i++) w[a[i]] }
			$2 in w' | sort
}

# our_rows CMD...: the lines of CMD's output whose first word is in $OURS.
our_rows() {
	local out
	out=$("$@" 2>/dev/null) || return
	awk -v l="$OURS" '
		BEGIN { n = split(l, a, " "); for (i = 1; i <= n; i++) w[a[i]] }
		$1 in w' <<<"$out" | sort
}

@test "default tree: under another namespace only where its process's parent is shown there, as lsns" {
	require_root
	start_nests
	for args in "" "-t net" "-t uts" "-t net -t uts" "-t mnt -t net"; do
		echo "# nsls -J $args"
		# shellcheck disable=SC2086 # the words are options
		run -0 tree_pairs nsls -J $args
		mine=$output
		# shellcheck disable=SC2086
		run -0 tree_pairs lsns_retry -J $args
		assert_equal "$mine" "$output"
	done
	# lsns places rows in inode order: NB goes under A only if A's row
	# came first (inode numbers are reused, so either may be lower).
	under=top
	[ "$A" -gt "$NB" ] || under=$A
	run -0 tree_pairs nsls -J -t net
	assert_output "$(printf '%s\n' "$under $NB" "top $A" "top $NC" "top $ND" | sort)"
}

@test "-J -t net: every netns made under a process that is shown for none is in .namespaces[] itself" {
	require_root
	start_nests
	run -0 --separate-stderr nsls -J -t net
	run -0 jq -c "[.namespaces[].ns | select(. == $NC or . == $ND)] | sort" <<<"$output"
	assert_output "$(jq -nc "[$NC, $ND] | sort")"
}

@test "-r: tree glyphs in COMMAND only where lsns nests, the same rows as lsns -r" {
	require_root
	start_nests
	for args in "-t net" ""; do
		# shellcheck disable=SC2086 # the words are options
		run -0 our_rows nsls -rn $args -o NS,PID,COMMAND
		mine=$output
		# shellcheck disable=SC2086
		run -0 our_rows lsns_retry -rn $args -o NS,PID,COMMAND
		assert_equal "$mine" "$output"
	done
	run -0 our_rows nsls -rn -t net -o NS,PID,COMMAND
	assert_line "$NC $C sleep\\x201000"
	assert_line "$ND $D sleep\\x201000"
	if [ "$A" -lt "$NB" ]; then
		assert_line --regexp "^$NB $B [^s].*sleep\\\\x201000\$"
	else
		assert_line "$NB $B sleep\\x201000"
	fi
}

@test "nsls NS: the processes in it, PID PPID USER COMMAND as a tree, as lsns NS with any output option" {
	require_root
	start_nests
	for args in "" "-J" "-r" "-l" "-n" "-l -J" "-o +NS,NPROCS,PATH,UID" \
		"-o PID,COMMAND" "-r -o NS,TYPE,PID" "-W" "-u"; do
		echo "# nsls $args $A"
		# shellcheck disable=SC2086 # the words are options
		run -0 --separate-stderr nsls $args "$A"
		mine=$output
		# shellcheck disable=SC2086
		run -0 lsns_retry $args "$A"
		assert_equal "$mine" "$output"
	done
	run -0 --separate-stderr nsls -r "$A"
	assert_equal "${lines[0]}" "PID PPID USER COMMAND"
	assert_line --index 1 --regexp "^$S1 [0-9]+ root sh\\\\x20"
	assert_line --index 2 --regexp "^$INNER $S1 root \\\\xe2.*sh\\\\x20-c"
	assert_equal "${#lines[@]}" 3
	# A namespace file names it as well as its inode does.
	run -0 --separate-stderr nsls "/proc/$S1/ns/net"
	mine=$output
	run -0 --separate-stderr nsls "$A"
	assert_equal "$mine" "$output"
}

@test "nsls NS...: several namespaces, each one's processes with NS in front; none without processes" {
	require_root
	start_nests
	run -0 --separate-stderr nsls -r "$A" "$ND" "$A"
	assert_equal "${lines[0]}" "NS PID PPID USER COMMAND"
	assert_line --index 1 --regexp "^$A $S1 "
	assert_line --index 2 --regexp "^$A $INNER $S1 root \\\\xe2.*sh\\\\x20-c"
	assert_line --index 3 --regexp "^$ND $D $S2 root sleep"
	assert_equal "${#lines[@]}" 4
	name=$(unique_name nslstree)
	MADE_NETNS+=("$name")
	run -0 ip netns add "$name"
	ino=$(stat -L -c %i "/run/netns/$name")
	run -0 --separate-stderr nsls -r "$ino"
	# libsmartcols prints no header for a table without rows, as for lsns
	assert_output ""
	run -0 --separate-stderr nsls -J "/run/netns/$name"
	run -0 jq -e '.namespaces == []' <<<"$output"
}

@test "nsls NS: bad arguments, one line each, and --task with NS is a usage error as in lsns" {
	run -1 --separate-stderr nsls /etc/passwd
	assert_equal "$stderr" "nsls: not a namespace file: '/etc/passwd'"
	assert_output ""
	run -1 --separate-stderr nsls /nonexistent/ns
	assert_equal "$stderr" "nsls: cannot open namespace file /nonexistent/ns: No such file or directory"
	run -2 --separate-stderr nsls net
	assert_equal "${stderr_lines[0]}" "nsls: invalid namespace: 'net'; did you mean -t net?"
	run -2 --separate-stderr nsls -p $$ "$(ns_inode $$ net)"
	assert_equal "${stderr_lines[0]}" "nsls: --task and NS are mutually exclusive"
	assert_equal "${stderr_lines[1]}" "Try 'nsls --help' for more information."
	assert_output ""
}

@test "-p A -p B: the union of their namespaces, TASKS naming which of them is in each" {
	start_user_ns_pair
	run -0 --separate-stderr nsls -rn -l -p "$P1" -p "$P2" -p "$P1" -o NS,TYPE,TASKS
	union=$output
	for t in mnt uts ipc net pid user cgroup time; do
		i1=$(ns_inode "$P1" "$t")
		i2=$(ns_inode "$P2" "$t")
		if [ "$i1" = "$i2" ]; then
			assert_line "$i1 $t $P1,$P2"
		else
			assert_line "$i1 $t $P1"
			assert_line "$i2 $t $P2"
		fi
	done
	# The union of the rows of each alone, nothing else.
	mine=$(cut -d ' ' -f 1,2 <<<"$union" | sort)
	theirs=$( (nsls -rn -l -p "$P1" -o NS,TYPE; nsls -rn -l -p "$P2" -o NS,TYPE) 2>/dev/null | sort -u)
	assert_equal "$mine" "$theirs"
	# Default columns gain TASKS before COMMAND; one -p keeps lsns's.
	run -0 --separate-stderr nsls -r -p "$P1" -p "$P2"
	assert_equal "${lines[0]}" "NS TYPE NPROCS PID USER TASKS COMMAND"
	run -0 --separate-stderr nsls -r -p "$P1"
	assert_equal "${lines[0]}" "$(lsns_retry -r -p "$P1" | head -n 1)"
	# Do they share a network namespace?  JSON for scripts: numbers.
	run -0 --separate-stderr nsls -J -t net -p "$P1" -p "$P2" -o NS,TASKS
	run -0 jq -c '[.namespaces[].tasks] | sort' <<<"$output"
	assert_output "$(jq -nc "[[$P1],[$P2]] | sort")"
	run -0 --separate-stderr nsls -J -t user -p "$P1" -p "$P2" -o NS,TASKS
	run -0 jq -c '[.namespaces[].tasks]' <<<"$output"
	assert_output "[[$P1,$P2]]"
}

# Two processes of ours in one new user namespace, each in a network
# namespace of its own: P1 and P2.  Unprivileged where user namespaces
# allow it, so as root and as a build user alike.
start_user_ns_pair() {
	nsunshare -U -r true 2>/dev/null || skip "cannot make a user namespace"
	local t=$BATS_TEST_TMPDIR
	spawn nsunshare -U -r sh -c "nsunshare -n sh -c 'echo \$\$ >$t/p1; exec sleep 1000' &
		nsunshare -n sh -c 'echo \$\$ >$t/p2; exec sleep 1000' & wait"
	TREES+=("$SPAWNED_PID")
	P1=$(pid_in "$t/p1")
	P2=$(pid_in "$t/p2")
	wait_until ns_differs "$P1" net
	wait_until ns_differs "$P2" net
}

@test "-p: a bad or missing PID among several fails the whole listing" {
	dead=$(dead_pid)
	for args in "-p $$ -p $dead" "-p $dead -p $$"; do
		# shellcheck disable=SC2086 # the words are options
		run -1 --separate-stderr nsls $args
		assert_equal "$stderr" "nsls: cannot read namespaces of PID $dead: No such process"
		assert_output ""
	done
	run -2 --separate-stderr nsls -p $$ -p 12x
	assert_equal "${stderr_lines[0]}" "nsls: invalid PID: '12x'"
	assert_output ""
}

@test "USER and UID of a namespace no process is in: the owner of its user namespace" {
	require_root
	require_userns
	nobody_bin >/dev/null
	new_file
	spawn setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
		"$NOBODY_BIN/nsunshare" -U -r -n sleep 1000
	pid=$SPAWNED_PID
	wait_until ns_differs "$pid" net
	netns=$(ns_inode "$pid" net)
	userns=$(ns_inode "$pid" user)
	run -0 mount --bind "/proc/$pid/ns/net" "$FILE"
	kill_spawned
	run -0 --separate-stderr nsls -rn -l -t net -o NS,NPROCS,UID,USER
	assert_line "$netns 0 65534 nobody"
	# The user namespace is kept by the net namespace it owns.
	run -0 --separate-stderr nsls -rn -l -P -o NS,TYPE,UID,USER
	assert_line "$netns net 65534 nobody"
	assert_line "$userns user 65534 nobody"
}

@test "NETNSID: a JSON string as lsns -J prints it, 'unassigned' where ours has no id" {
	require_root
	start_nests
	name=$(unique_name nslstree)
	MADE_NETNS+=("$name")
	run -0 ip netns attach "$name" "$B"
	run -0 ip netns set "$name" auto
	id=$(ip netns list-id | awk -v n="$name)" '$NF == n {print $2}')
	[[ "$id" =~ ^[0-9]+$ ]]
	sel=".namespaces[] | select(.ns == $NB or .ns == $NC) | [.ns, .netnsid]"
	run -0 --separate-stderr nsls -J -l -t net -o NS,NETNSID
	run -0 jq -c "[$sel] | sort" <<<"$output"
	assert_output "$(jq -nc "[[$NB,\"$id\"],[$NC,\"unassigned\"]] | sort")"
	mine=$output
	run -0 lsns_retry -J -l -t net -o NS,NETNSID
	run -0 jq -c "[$sel] | sort" <<<"$output"
	assert_equal "$mine" "$output"
	run -0 --separate-stderr nsls -rn -l -t net -o NS,NETNSID
	assert_line "$NC unassigned"
}

# In a new pid namespace with its own /proc: PID 1 a root shell, N more
# root sleeps (PIDs 2 to N+1), then nsls as nobody, who can read none of
# them, its standard error a terminal (script(1)), printed here without
# the terminal's carriage returns.  When the shell, PID 1 there, ends,
# the kernel kills the sleeps.
unreadable_by_nobody() {
	local n=$1 sleeps='' _
	for _ in $(seq 1 "$n"); do sleeps+='sleep 1000 & '; done
	nobody_bin >/dev/null
	unshare -p -f --mount-proc sh -c "$sleeps setpriv --reuid=nobody \
		--regid=nogroup --clear-groups script -qec \
		'$NOBODY_BIN/nsls -n -o NS >/dev/null' /dev/null" | tr -d '\r'
}

@test "the processes whose namespaces cannot be read are named when few, counted beyond five" {
	require_root
	run -0 unreadable_by_nobody 0
	assert_output "nsls: cannot read the namespaces of PID 1: Permission denied"
	run -0 unreadable_by_nobody 4
	assert_output "nsls: cannot read the namespaces of PIDs 1, 2, 3, 4 and 5: Permission denied"
	run -0 unreadable_by_nobody 7
	assert_output "nsls: cannot read the namespaces of 8 processes (PIDs 1, 2, 3, 4, 5 and 3 more): Permission denied"
}

@test "--help and -H: -p repeats, TASKS listed" {
	run -0 nsls --help
	assert_line --regexp '^ -p, --task PID +namespaces of this process \(again: the union\)$'
	run -0 nsls -H -r -n
	assert_line --regexp '^TASKS <integer\\x20array> '
	assert_line --regexp '^NETNSID <string> '
}

# complete_nsls WORD: what TAB offers for nsls's last word WORD, one a line.
complete_nsls() {
	compopt() { :; }
	COMP_WORDS=(nsls "$1")
	COMP_CWORD=1
	COMP_LINE="nsls $1"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_nsls nsls "$1" nsls
	[ "${#COMPREPLY[@]}" -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}" | sort
}

@test "completion: NS completes a namespace file's path after a '/', inodes otherwise" {
	local bc=/usr/share/bash-completion/bash_completion
	[ -r "$bc" ] || skip "bash-completion is not installed"
	# shellcheck source=/dev/null
	source "$bc"
	# shellcheck source=/dev/null
	source "$BATS_TEST_DIRNAME/../cmd/completion/nsls"
	run -0 complete_nsls /proc/self/ns/ne
	assert_line /proc/self/ns/net
	run -0 complete_nsls "$(ns_inode self net | cut -c 1-9)"
	assert_line "$(ns_inode self net)"
}

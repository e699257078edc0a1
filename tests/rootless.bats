#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# A network namespace named without root: netnslink keeps it with a holder
# process of the user's own and records it under $XDG_RUNTIME_DIR/netns;
# nsjoin -n NAME enters it, nsls shows it.  Run as nobody when the suite
# runs as root, else as the build user itself.

load helper
bats_require_minimum_version 1.5.0

setup() {
	require_userns
	if [ "$(id -u)" -eq 0 ]; then
		OWNER=$(id -u nobody)
		OWNER_GROUP=$(id -g nobody)
	else
		OWNER=$(id -u)
		OWNER_GROUP=$(id -g)
	fi
	XDG=$(mktemp -d /tmp/nst-xdg.XXXXXX)
	chown "$OWNER:$OWNER_GROUP" "$XDG"
	chmod 700 "$XDG"
	NAME=$(unique_name rl)
	REAL_NAMES=()
}

# Kill by PID every holder this test started (their cmdline carries NAME).
teardown() {
	local pid
	for pid in $(pgrep -u "$OWNER" -f "^netnslink-hold $NAME" || true); do
		kill -KILL "$pid" 2>/dev/null || true
	done
	for pid in "${REAL_NAMES[@]}"; do
		netnslink -d "$pid" 2>/dev/null || true
	done
	kill_spawned
	rm -rf "$XDG" "$XDG.completion"
}

teardown_file() {
	cleanup_nobody_bin
}

# own CMD...: run CMD as the unprivileged user with XDG_RUNTIME_DIR=$XDG.
own() {
	own_env XDG_RUNTIME_DIR="$XDG" "$@"
}

# own_env CMD...: the same user and a clean environment, nothing more.
own_env() {
	if [ "$(id -u)" -eq 0 ]; then
		as_nobody "$@"
	else
		env -i PATH="$NSTOOLS_BIN:/usr/sbin:/usr/bin:/sbin:/bin" \
			HOME=/ SHELL=/bin/sh LANG=C "$@"
	fi
}

# own_spawn CMD...: spawn CMD as that user, so that SPAWNED_PID becomes CMD
# itself (setpriv and env exec it; a shell function would be a subshell).
own_spawn() {
	if [ "$(id -u)" -eq 0 ]; then
		spawn setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
			env -i PATH="$(nobody_bin):/usr/sbin:/usr/bin:/sbin:/bin" \
			"$@"
	else
		spawn env -i PATH="$NSTOOLS_BIN:/usr/sbin:/usr/bin:/sbin:/bin" \
			"$@"
	fi
}

# record_field NAME KEY: a value of the record of NAME.
record_field() {
	awk -v k="$2" '$1 == k { print $2 }' "$XDG/netns/$1"
}

# start_time PID: field 22 of /proc/PID/stat (after the comm).
start_time() {
	sed 's/.*) //' "/proc/$1/stat" | cut -d ' ' -f 20
}

# has_comm PID COMM: a function, so that wait_until reads comm on each try.
has_comm() {
	[ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]
}

# holder_gone PID START: the process is gone, a zombie, or another process
# (a PID the init process reaped and the kernel gave out again).
holder_gone() {
	local state
	state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d ' ' -f 1)
	[ -z "$state" ] || [ "$state" = Z ] || [ "$(start_time "$1")" != "$2" ]
}

@test "--new NAME as a user: a holder process keeps it, a record names it" {
	run -0 --separate-stderr own netnslink --new "$NAME"
	assert_output ""
	assert_equal "$stderr" ""
	run -0 stat -c '%F %a %u' "$XDG/netns" "$XDG/netns/$NAME"
	assert_output "directory 700 $OWNER
regular file 600 $OWNER"
	pid=$(record_field "$NAME" pid)
	assert_equal "$(record_field "$NAME" start)" "$(start_time "$pid")"
	assert_equal "$(record_field "$NAME" netns)" "$(ns_inode "$pid" net)"
	assert_equal "$(record_field "$NAME" userns)" "$(ns_inode "$pid" user)"
	# The holder: comm and command line, its own session, cwd /, only
	# /dev/null on 0..2, every signal blocked but SIGTERM (and SIGKILL).
	assert_equal "$(cat "/proc/$pid/comm")" netnslink-hold
	assert_equal "$(tr '\0' ' ' <"/proc/$pid/cmdline")" "netnslink-hold $NAME "
	assert_equal "$(ps -o sid= -p "$pid" | tr -d ' ')" "$pid"
	assert_equal "$(readlink "/proc/$pid/cwd")" /
	run -0 bash -c "cd /proc/$pid/fd && for f in *; do echo \$f \$(readlink \$f); done"
	assert_output "0 /dev/null
1 /dev/null
2 /dev/null"
	blocked=$(awk '$1 == "SigBlk:" { print $2 }' "/proc/$pid/status")
	assert_equal "$(((0x$blocked >> 14) & 1))$(((0x$blocked >> 0) & 1))$(((0x$blocked >> 1) & 1))" 011
	assert_equal "$(stat -L -c %u "/proc/$pid")" "$OWNER"
	# Non-dumpable: another user is refused its namespaces even as that
	# user's own uid would otherwise do (root looks, above, regardless).
	if [ "$(id -u)" -eq 0 ]; then
		run setpriv --reuid=daemon --regid=daemon --clear-groups \
			stat -L -c %i "/proc/$pid/ns/net"
		assert_failure
	fi
	# listed as the root listing is, KIND holder
	run -0 own netnslink -r -n -o NAME,NS,KIND,NPROCS,PIDS
	assert_output "$NAME $(ns_inode "$pid" net) holder 1 $pid"
	run -0 own netnslink -J -o NAME,KIND
	assert_output "{
   \"netns\": [
      {
         \"name\": \"$NAME\",
         \"kind\": \"holder\"
      }
   ]
}"
	run -0 own netnslink -i "$pid"
	assert_output "$NAME"
	run -0 own netnslink --pids "$NAME"
	assert_output "$pid"
}

@test "nsjoin -n NAME as the user: root in its own user namespace, lo up with --loopback" {
	run -0 own netnslink --new --loopback "$NAME"
	pid=$(record_field "$NAME" pid)
	run -0 own nsjoin -n "$NAME" sh -c 'id -u; ip -br link; stat -L -c %i /proc/self/ns/net /proc/self/ns/user'
	assert_line --index 0 0
	assert_line --index 1 --regexp '^lo +UNKNOWN .*<LOOPBACK,UP,LOWER_UP>'
	assert_line --index 2 "$(ns_inode "$pid" net)"
	assert_line --index 3 "$(ns_inode "$pid" user)"
	# --net=NAME is the same; without --loopback lo stays down
	run -0 own netnslink --new "$NAME-2"
	run -0 own nsjoin --net="$NAME-2" ip -br link
	assert_output --regexp '^lo +DOWN '
	# root in there may do what root does to links
	run -0 own nsjoin -n "$NAME-2" sh -c 'ip link set lo up && ip -br link'
	assert_output --regexp '^lo +UNKNOWN '
}

@test "-d NAME ends the holder through its pidfd and removes the record" {
	run -0 own netnslink --new "$NAME"
	pid=$(record_field "$NAME" pid)
	start=$(start_time "$pid")
	run -0 --separate-stderr own netnslink -d "$NAME"
	assert_equal "$stderr" ""
	holder_gone "$pid" "$start"
	run -0 ls -A "$XDG/netns"
	assert_output ""
	run -1 own netnslink -d "$NAME"
	assert_output "netnslink: cannot remove $XDG/netns/$NAME: No such file or directory"
	run -125 own nsjoin -n "$NAME" true
	assert_output "nsjoin: no network namespace named '$NAME' in $XDG/netns or /run/netns"
}

@test "a record whose PID is another process now: stale, refused by nsjoin, -d removes only the record" {
	run -0 own netnslink --new "$NAME"
	holder=$(record_field "$NAME" pid)
	# A process of the same user in the holder's PID: what a recycled
	# PID looks like.
	own_spawn sleep 1000
	sleeper=$SPAWNED_PID
	wait_until has_comm "$sleeper" sleep
	sed -i "s/^pid .*/pid $sleeper/" "$XDG/netns/$NAME"
	run -0 own netnslink -r -n -o NAME,NS,KIND,NPROCS,PIDS
	assert_output "$NAME  stale  "
	run -125 own nsjoin -n "$NAME" true
	assert_output "nsjoin: $XDG/netns/$NAME is stale: its holder (PID $sleeper) is gone or is another process now (netnslink -d $NAME removes the name)"
	run -0 own netnslink -d "$NAME"
	run -0 ls -A "$XDG/netns"
	assert_output ""
	# the process in the recorded PID was not signalled
	run -0 kill -0 "$sleeper"
	assert_equal "$(cat "/proc/$sleeper/comm")" sleep
	kill -KILL "$holder"
}

@test "the holder's own PID with another start time, or other namespaces: stale, and not signalled" {
	run -0 own netnslink --new "$NAME"
	pid=$(record_field "$NAME" pid)
	start=$(record_field "$NAME" start)
	sed -i "s/^start .*/start $((start + 1))/" "$XDG/netns/$NAME"
	run -0 own netnslink -r -n -o NAME,KIND
	assert_output "$NAME stale"
	run -125 own nsjoin -n "$NAME" true
	sed -i "s/^start .*/start $start/; s/^netns .*/netns 4026531840/" \
		"$XDG/netns/$NAME"
	run -0 own netnslink -r -n -o NAME,KIND
	assert_output "$NAME stale"
	run -0 own netnslink -d "$NAME"
	# not ended: it is not what the record said
	run -0 kill -0 "$pid"
	# a record that is no record, and a link in its place: stale too
	echo junk >"$XDG/netns/$NAME"
	chown "$OWNER" "$XDG/netns/$NAME"
	ln -s "/proc/$pid/ns/net" "$XDG/netns/$NAME-link"
	run -0 own netnslink -r -n -o NAME,KIND
	assert_output "$NAME stale
$NAME-link stale"
	run -125 own nsjoin -n "$NAME-link" true
	assert_output "nsjoin: $XDG/netns/$NAME-link is stale: it is not the record of a holder (netnslink -d $NAME-link removes the name)"
	run -0 own netnslink -d "$NAME" "$NAME-link"
	run -0 ls -A "$XDG/netns"
	assert_output ""
	kill -KILL "$pid"
}

@test "two --new NAME at once: exactly one wins, the other leaves no holder" {
	local i
	for i in 1 2 3 4; do
		own netnslink --new "$NAME" >"$XDG.out$i" 2>&1 &
	done
	rcs=()
	for i in 1 2 3 4; do
		wait -n && rcs+=(0) || rcs+=($?)
	done
	run -0 cat "$XDG.out1" "$XDG.out2" "$XDG.out3" "$XDG.out4"
	rm -f "$XDG.out"?
	assert_equal "$(printf '%s\n' "${rcs[@]}" | sort | tr '\n' ' ')" "0 1 1 1 "
	assert_equal "$(echo "$output" | sort -u)" "netnslink: $XDG/netns/$NAME already exists (--force replaces it)"
	# one holder of NAME is left, the one the record names
	run -0 pgrep -u "$OWNER" -f "^netnslink-hold $NAME\$"
	assert_output "$(record_field "$NAME" pid)"
	run -0 ls -A "$XDG/netns"
	assert_output "$NAME"
}

@test "--force replaces a name of the user's: the old holder ends" {
	run -0 own netnslink --new "$NAME"
	old=$(record_field "$NAME" pid)
	start=$(start_time "$old")
	run -1 own netnslink --new "$NAME"
	run -0 own netnslink --force --new "$NAME"
	holder_gone "$old" "$start"
	new=$(record_field "$NAME" pid)
	[ "$new" != "$old" ]
	assert_equal "$(cat "/proc/$new/comm")" netnslink-hold
}

@test "netnslink PID NAME: a network namespace the user owns, and one they do not" {
	own_spawn nsunshare -Urn sleep 1000
	target=$SPAWNED_PID
	wait_until ns_differs "$target" net
	wait_until has_comm "$target" sleep
	run -0 own netnslink "$target" "$NAME"
	pid=$(record_field "$NAME" pid)
	assert_equal "$(ns_inode "$pid" net)" "$(ns_inode "$target" net)"
	assert_equal "$(ns_inode "$pid" user)" "$(ns_inode "$target" user)"
	# kept after the process that made it is gone
	kill -KILL "$target"
	run -0 own nsjoin -n "$NAME" sh -c 'id -u; stat -L -c %i /proc/self/ns/net'
	assert_output "0
$(ns_inode "$pid" net)"
	# the host's network namespace belongs to root's user namespace
	own_spawn sleep 1000
	wait_until has_comm "$SPAWNED_PID" sleep
	run -1 own netnslink "$SPAWNED_PID" "$NAME-host"
	assert_output "netnslink: the network namespace of PID $SPAWNED_PID is not yours: its user namespace was created by uid 0"
	run -0 ls -A "$XDG/netns"
	assert_output "$NAME"
}

@test "bad names are usage errors, and nothing is made" {
	long=$(printf 'x%.0s' $(seq 256))
	run -2 own netnslink --new "a/b"
	assert_output --partial "netnslink: invalid name: 'a/b'"
	run -2 own netnslink --new ..
	run -2 own netnslink --new ""
	run -2 own netnslink --new "$long"
	run -2 own netnslink -d "a/b"
	run -125 own nsjoin -n "a/b" true
	run -2 own netnslink --symlink 1 "$NAME"
	run -2 own netnslink --new "$NAME" extra
	# --symlink has no rootless form
	own_spawn sleep 1000
	run -2 own netnslink --symlink "$SPAWNED_PID" "$NAME"
	assert_output --partial "netnslink: --symlink needs root: a name of yours is kept by a holder process"
	run -0 ls -A "$XDG"
	assert_output ""
}

@test "XDG_RUNTIME_DIR missing, relative, not the user's, or a netns link: one-line errors" {
	uid=$OWNER
	if [ -e "/run/user/$uid" ]; then
		skip "/run/user/$uid exists here"
	fi
	run -1 own_env netnslink --new "$NAME"
	assert_output "netnslink: no directory for your network namespace names: XDG_RUNTIME_DIR is not set and /run/user/$uid does not exist"
	run -1 own_env netnslink
	assert_output "netnslink: no directory for your network namespace names: XDG_RUNTIME_DIR is not set and /run/user/$uid does not exist"
	run -125 own_env nsjoin -n "$NAME" true
	assert_output "nsjoin: no directory for your network namespace names: XDG_RUNTIME_DIR is not set and /run/user/$uid does not exist"
	run -1 own_env XDG_RUNTIME_DIR=run/user netnslink --new "$NAME"
	assert_output "netnslink: XDG_RUNTIME_DIR is not an absolute path: 'run/user'"
	run -1 own_env XDG_RUNTIME_DIR=/tmp netnslink --new "$NAME"
	assert_output "netnslink: refusing /tmp (XDG_RUNTIME_DIR): it is not yours with mode 0700"
	chmod 750 "$XDG"
	run -1 own netnslink --new "$NAME"
	assert_output "netnslink: refusing $XDG (XDG_RUNTIME_DIR): it is not yours with mode 0700"
	chmod 700 "$XDG"
	# netns as a link elsewhere is not followed
	mkdir -m 700 "$XDG.elsewhere"
	chown "$OWNER" "$XDG.elsewhere"
	ln -s "$XDG.elsewhere" "$XDG/netns"
	run -1 own netnslink --new "$NAME"
	assert_output "netnslink: refusing $XDG/netns: it is not a directory"
	run -1 own netnslink
	assert_output "netnslink: refusing $XDG/netns: it is not a directory"
	run -0 ls -A "$XDG.elsewhere"
	assert_output ""
	rm -rf "$XDG.elsewhere"
	# no holder was left by any of them
	run -1 pgrep -u "$OWNER" -f "^netnslink-hold $NAME"
}

@test "nsls as the user shows the holder and the name" {
	run -0 own netnslink --new "$NAME"
	pid=$(record_field "$NAME" pid)
	run -0 --separate-stderr own nsls -t net -r -n -o NS,PID,COMMAND,NAME
	assert_line "$(ns_inode "$pid" net) $pid netnslink-hold\\x20$NAME $NAME"
	run -0 --separate-stderr own nsls -J -p "$pid" -t net -o NAME
	assert_output --partial "\"$NAME\""
}

@test "completion: netnslink -d and nsjoin --net= offer the user's names when not root" {
	[ -r /usr/share/bash-completion/bash_completion ] ||
		skip "bash-completion is not installed"
	run -0 own netnslink --new "$NAME"
	# (a copy the user can read: the checkout may be closed to nobody)
	dir=$XDG.completion
	mkdir -m 755 "$dir"
	cp "$BATS_TEST_DIRNAME"/../cmd/completion/{netnslink,nsjoin} "$dir/"
	chmod 644 "$dir"/*
	# shellcheck disable=SC2016 # expanded by the inner bash
	script='source /usr/share/bash-completion/bash_completion
		source "$1/netnslink"; source "$1/nsjoin"
		compopt() { :; }
		words=(netnslink -d ""); cword=2
		COMP_WORDS=("${words[@]}"); COMP_CWORD=2
		COMP_LINE="netnslink -d "; COMP_POINT=${#COMP_LINE}
		_netnslink netnslink "" -d; printf "%s\n" "${COMPREPLY[@]}"
		COMP_WORDS=(nsjoin --net = ""); COMP_CWORD=3
		COMP_LINE="nsjoin --net="; COMP_POINT=${#COMP_LINE}
		COMPREPLY=(); _nsjoin nsjoin "" =
		printf "%s\n" "${COMPREPLY[@]}"'
	run -0 own bash -c "$script" _ "$dir"
	rm -rf "$dir"
	assert_line --index 0 "$NAME"
	assert_line "$NAME"
	[ "$(grep -c "^$NAME\$" <<<"$output")" -eq 2 ]
}

@test "root keeps /run/netns: the user's directory is neither read nor followed" {
	require_root
	run -0 own netnslink --new "$NAME"
	run -0 env XDG_RUNTIME_DIR="$XDG" netnslink --new "$NAME-root"
	REAL_NAMES+=("$NAME-root")
	run -0 findmnt -n -o FSTYPE "/run/netns/$NAME-root"
	assert_output nsfs
	run -0 env XDG_RUNTIME_DIR="$XDG" netnslink -r -n -o NAME,KIND
	assert_line "$NAME-root bind"
	refute_line --partial "$NAME holder"
	run -0 env XDG_RUNTIME_DIR="$XDG" nsjoin -n "$NAME-root" stat -L -c %i /proc/self/ns/net
	assert_output "$(stat -L -c %i "/run/netns/$NAME-root")"
	# the user's name is no name for root
	run -125 env XDG_RUNTIME_DIR="$XDG" nsjoin -n "$NAME" true
	assert_output "nsjoin: cannot open /run/netns/$NAME: No such file or directory"
	run -1 env XDG_RUNTIME_DIR="$XDG" netnslink -d "$NAME"
	run -0 ls -A "$XDG/netns"
	assert_output "$NAME"
	# (no leak check: LeakSanitizer cannot run under ptrace)
	run -0 no_leak_check env XDG_RUNTIME_DIR="$XDG" strace -f -e trace=openat,openat2 -o "$XDG.trace" netnslink -l
	run -1 grep -c "$XDG" "$XDG.trace"
	rm -f "$XDG.trace"
	run -0 env XDG_RUNTIME_DIR="$XDG" netnslink -d "$NAME-root"
	REAL_NAMES=()
}

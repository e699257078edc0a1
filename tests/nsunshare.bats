#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# nsunshare: run a program in new namespaces.  Real namespaces throughout.

load helper
bats_require_minimum_version 1.5.0

setup() {
	require_root
	D=$(mktemp -d "$BATS_TEST_TMPDIR/d.XXXXXX")
	# LeakSanitizer (SANITIZE=1) cannot stop the world of a process whose
	# children go to a new PID namespace: no leak check where -p is used.
	case $BATS_TEST_DESCRIPTION in
	*-p* | *8\ options* | long\ options* | stdin* | *info-fd\ writes* | \
	differential* | *-m=FILE* | *binfmt* | *--clear-env*)
		export LSAN_OPTIONS=detect_leaks=0 ;;
	esac
}

teardown() {
	kill_spawned
	local m
	# Anything a failing test left mounted below its own directory.
	for m in $(awk -v d="$D" 'index($5, d) == 1 { print $5 }' \
		/proc/self/mountinfo | sort -r); do
		umount -l "$m" 2>/dev/null || true
	done
}

teardown_file() {
	cleanup_nobody_bin
}

# inodes PROG...: "type=inode" for all 8 types of the program's own process.
ns_report='for t in mnt uts ipc net pid user cgroup time; do
	printf "%s=%s\n" $t $(stat -L -c %i /proc/self/ns/$t); done'

# new_types OUTPUT: the types whose inode differs from ours.
new_types() {
	local line t
	while read -r line; do
		t=${line%%=*}
		[ "${line#*=}" = "$(ns_inode self "$t")" ] || printf '%s ' "$t"
	done <<<"$1"
}

@test "each of the 8 options makes that namespace new and only that one" {
	local opt want
	for opt in m:mnt u:uts i:ipc n:net p:pid U:user C:cgroup T:time; do
		want=${opt#*:}
		run -0 nsunshare "-${opt%%:*}" sh -c "$ns_report"
		assert_equal "$(new_types "$output")" "$want "
	done
}

@test "long options and several types at once" {
	run -0 nsunshare --mount --uts --ipc --net --pid --user --cgroup \
		--time sh -c "$ns_report"
	assert_equal "$(new_types "$output")" \
		"mnt uts ipc net pid user cgroup time "
}

@test "-pf --mount-proc ps -e shows PID 1 and nothing of the host" {
	run -0 nsunshare -pf --mount-proc ps -e -o pid=,comm=
	assert_equal "$(echo "$output" | awk '{print $1}' | tr '\n' ' ')" "1 "
	assert_output --regexp '^ +1 ps$'
	# The host's /proc is untouched.
	[ -d "/proc/$$" ]
}

@test "-p implies -f: the program is PID 1 and can fork" {
	run -0 nsunshare -p --mount-proc sh -c 'echo $$; sh -c true; echo ok'
	assert_output $'1\nok'
}

@test "-u --hostname prints the new name; the host name is unchanged" {
	local before
	before=$(hostname)
	run -0 nsunshare -u --hostname container hostname
	assert_output container
	assert_equal "$(hostname)" "$before"
}

@test "--domainname sets the NIS domain in the new UTS namespace" {
	run -0 nsunshare -u --domainname=example.test domainname
	assert_output example.test
}

@test "-Ur: uid 0 inside, uid_map is '0 0 1', setgroups deny" {
	run -0 nsunshare -Ur sh -c 'id -u; cat /proc/self/uid_map
		cat /proc/self/gid_map /proc/self/setgroups'
	assert_equal "$(echo "$output" | tr -s ' \n' ' ')" \
		"0 0 0 1 0 0 1 deny "
}

@test "-s and --setgroups: /proc/PID/setgroups reads allow or deny as asked" {
	local o
	for o in "--setgroups=allow allow" "--setgroups deny deny" \
		"-s allow allow" "-s deny deny" "-sdeny deny"; do
		# shellcheck disable=SC2016,SC2086 # expanded by the inner sh
		run -0 nsunshare -U ${o% *} sh -c 'cat /proc/$$/setgroups'
		assert_output "${o##* }"
	done
	# Written before the helper writes gid_map, after which it is fixed.
	# shellcheck disable=SC2016 # expanded by the inner sh
	run -0 nsunshare -s allow --map-users=0:0:1 --map-groups=0:0:1 \
		sh -c 'cat /proc/$$/setgroups /proc/$$/gid_map'
	assert_equal "$(echo $output)" "allow 0 0 1"
	# shellcheck disable=SC2016 # expanded by the inner sh
	run -0 nsunshare -s deny --map-users=0:0:1 --map-groups=0:0:1 \
		sh -c 'cat /proc/$$/setgroups /proc/$$/gid_map'
	assert_equal "$(echo $output)" "deny 0 0 1"
	require_userns
	# shellcheck disable=SC2016 # expanded by the inner sh
	run -0 as_nobody nsunshare -U -s deny sh -c 'cat /proc/$$/setgroups'
	assert_output deny
	# shellcheck disable=SC2016 # expanded by the inner sh
	run -0 as_nobody nsunshare -U --setgroups=allow sh -c 'cat /proc/$$/setgroups'
	assert_output allow
	run -0 as_nobody nsunshare -Ur -s deny cat /proc/self/setgroups
	assert_output deny
}

@test "as nobody: -Ur maps root to 65534, -c keeps the user" {
	require_userns
	run -0 as_nobody nsunshare -Ur sh -c 'id -u; cat /proc/self/uid_map
		cat /proc/self/setgroups'
	assert_equal "$(echo "$output" | tr -s ' \n' ' ')" \
		"0 0 65534 1 deny "
	run -0 as_nobody nsunshare -c sh -c 'id -u; cat /proc/self/gid_map'
	assert_equal "$(echo "$output" | tr -s ' \n' ' ')" \
		"65534 65534 65534 1 "
}

@test "as nobody: -Urpf --mount-proc and -Urn --loopback work" {
	require_userns
	run -0 as_nobody env LSAN_OPTIONS=detect_leaks=0 nsunshare -Urpf --mount-proc sh -c 'echo $$; cat /proc/1/comm; ls /proc | grep -c "^[0-9]"'
	assert_output $'1\nsh\n3'
	run -0 as_nobody nsunshare -Urn --loopback ip -o link show lo
	assert_output --partial "<LOOPBACK,UP,LOWER_UP>"
}

@test "as nobody: -Uru --hostname container prints container" {
	require_userns
	local before
	before=$(hostname)
	run -0 as_nobody nsunshare -Uru --hostname container hostname
	assert_output container
	assert_equal "$(hostname)" "$before"
}

@test "as nobody: a namespace without -U is refused with the reason, 125" {
	require_userns
	run -125 --separate-stderr as_nobody nsunshare -n true
	assert_equal "$stderr" "nsunshare: cannot unshare net namespace: Operation not permitted; without CAP_SYS_ADMIN a new user namespace is needed too (add -U or -r)"
}

@test "as nobody: --map-users beyond our own id runs newuidmap and fails cleanly" {
	require_userns
	run -125 --separate-stderr as_nobody nsunshare --map-users=0:100000:10 true
	assert_output ""
	[[ "$stderr" == *"nsunshare: newuidmap failed" ]]
}

@test "--map-users and --map-groups as root write several ranges" {
	run -0 nsunshare --map-users=0:100000:10 --map-users=10:0:1 \
		--map-groups=0:200000:5 cat /proc/self/uid_map /proc/self/gid_map
	assert_equal "$(echo "$output" | tr -s ' ' ' ' | sed 's/^ //')" \
		"$(printf '0 100000 10\n10 0 1\n0 200000 5')"
}

@test "--map-users accepts the old OUTER,INNER,COUNT form" {
	run -0 nsunshare --map-users=100000,0,10 cat /proc/self/uid_map
	assert_equal "$(echo $output)" "0 100000 10"
}

@test "--map-user and --map-group map our ids to the named ones" {
	run -0 nsunshare --map-user=nobody --map-group=4 sh -c \
		'id -u; id -g; cat /proc/self/setgroups'
	assert_output $'65534\n4\ndeny'
}

@test "--map-users=all copies our map through" {
	run -0 nsunshare --map-users=all --map-groups=all cat /proc/self/uid_map
	assert_equal "$(echo $output)" "0 0 4294967295"
}

@test "--net=FILE persists: nsenter --net=FILE enters the same namespace" {
	local ino
	ino=$(nsunshare --net="$D/ns" --info-fd=3 true 3>&1 | jq '.namespaces[0].ns')
	[ -n "$ino" ]
	assert_equal "$(stat -L -c %i "$D/ns")" "$ino"
	run -0 nsenter --net="$D/ns" stat -L -c %i /proc/self/ns/net
	assert_output "$ino"
	umount "$D/ns"
}

@test "-m=FILE and -mFILE persist like --mount=FILE" {
	mount --bind "$D" "$D"
	mount --make-private "$D"
	run -0 nsunshare -m="$D/a" true
	run -0 nsunshare -m"$D/b" true
	run -0 nsunshare -u"$D/c" -pf true
	# After a long option, letters are a file name, not options.
	run -0 bash -c 'cd "$0" && nsunshare --uts=pf true' "$D"
	local f
	for f in a b c pf; do
		assert_equal "$(stat -f -c %T "$D/$f")" nsfs
	done
	[ "$(stat -L -c %i "$D/a")" != "$(stat -L -c %i "$D/b")" ]
	[ "$(stat -L -c %i "$D/c")" != "$(ns_inode self uts)" ]
	umount "$D/a" "$D/b" "$D/c" "$D/pf"
	umount "$D"
}

@test "-p=FILE and -T=FILE persist the namespaces the children enter" {
	run -0 nsunshare --pid="$D/pid" --time="$D/time" --info-fd=3 true 3>"$D/info"
	assert_equal "$(stat -L -c %i "$D/pid")" \
		"$(jq '.namespaces[] | select(.type=="pid") | .ns' "$D/info")"
	assert_equal "$(stat -L -c %i "$D/time")" \
		"$(jq '.namespaces[] | select(.type=="time") | .ns' "$D/info")"
	umount "$D/pid" "$D/time"
}

@test "a persist that fails leaves nothing: no file, no mount" {
	run -125 --separate-stderr nsunshare --net="$D/ok" --uts=/nonexistent/dir/file true
	assert_equal "$stderr" "nsunshare: --uts=/nonexistent/dir/file: cannot persist the uts namespace: No such file or directory"
	assert_equal "$(ls -A "$D")" ""
	assert_equal "$(findmnt -n "$D/ok")" ""
}

@test "persisting a mount namespace on a shared mount says what to do" {
	mount -t tmpfs tmpfs "$D"
	mount --make-shared "$D"
	run -125 --separate-stderr nsunshare --propagation=unchanged --mount="$D/mnt" true
	local group
	group=$(awk -v d="$D" '$5 == d { for (i = 7; $i != "-"; i++)
		if ($i ~ /^shared:/) print substr($i, 8) }' /proc/self/mountinfo)
	assert_equal "$stderr" "nsunshare: --mount=$D/mnt: cannot persist the mnt namespace: Invalid argument: $D/mnt is on a shared mount (peer group $group), and the kernel does not propagate a mount namespace file to peers: make that mount private (mount --make-private), or bind its directory on itself first (mount --bind DIR DIR)"
	assert_equal "$(ls -A "$D")" ""
	umount "$D"
}

@test "-f: kill -TERM reaches a child that traps it; its status is ours" {
	spawn nsunshare -f sh -c 'trap "exit 42" TERM; echo ready >'"$D/r"'; while :; do sleep 0.1; done'
	wait_until test -s "$D/r"
	kill -TERM "$SPAWNED_PID"
	local rc=0
	wait "$SPAWNED_PID" || rc=$?
	assert_equal "$rc" 42
}

@test "-f: a child that dies of TERM makes nsunshare die of TERM" {
	run nsunshare -f sh -c 'kill -TERM $$'
	assert_equal "$status" 143
	assert_equal "$(kill -l "$status")" TERM
	spawn nsunshare -f sleep 100
	first_child "$SPAWNED_PID" >/dev/null
	kill -TERM "$SPAWNED_PID"
	local rc=0
	wait "$SPAWNED_PID" || rc=$?
	assert_equal "$(kill -l "$rc")" TERM
}

# wait_status CMD...: "SIGNAL CORE STATUS" of CMD as waitpid(2) reports it
# (perl's $?); a shell's $? cannot tell death by signal N from exit 128+N.
wait_status() {
	perl -e 'system @ARGV; print $? & 127, " ", ($? & 128) >> 7, " ", $? >> 8' -- "$@"
}

# with_cores DIR CMD...: CMD run in DIR with core dumps allowed.
with_cores() {
	cd "$1" && ulimit -c unlimited && shift && "$@"
}

@test "-f: waitpid sees nsunshare killed by the child's signal, not exit 128+N; no core file" {
	run -0 wait_status nsunshare -f sh -c 'kill -TERM $$'
	assert_output "15 0 0"
	run -0 wait_status nsunshare -f sh -c 'exit 143'
	assert_output "0 0 143"
	# SIGQUIT dumps core by default.  The child allows itself none, so
	# that a core in the directory could only be nsunshare's.
	mkdir "$D/cwd"
	# shellcheck disable=SC2016 # expanded by the inner sh
	run -0 with_cores "$D/cwd" wait_status nsunshare -f sh -c 'ulimit -c 0; kill -QUIT $$'
	assert_output "3 0 0"
	assert_equal "$(ls -A "$D/cwd")" ""
	# Where the kernel writes cores to the working directory, show that
	# one would have been written there without nsunshare's care.
	case $(cat /proc/sys/kernel/core_pattern) in
	'|'* | */*) ;;
	*)
		mkdir "$D/ctl"
		# shellcheck disable=SC2016 # expanded by the inner sh
		run -0 with_cores "$D/ctl" wait_status sh -c 'kill -QUIT $$'
		assert_output "3 1 0"
		[ -n "$(ls -A "$D/ctl")" ]
		;;
	esac
}

@test "-pf: kill -HUP reaches PID 1 that traps it" {
	spawn nsunshare -pf sh -c 'trap "exit 7" HUP; echo ready >'"$D/r"'; while :; do sleep 0.1; done'
	wait_until test -s "$D/r"
	kill -HUP "$SPAWNED_PID"
	local rc=0
	wait "$SPAWNED_PID" || rc=$?
	assert_equal "$rc" 7
}

@test "--kill-child kills the child when nsunshare dies, also with -S/-G and -p" {
	local args kid
	for args in "--kill-child" "--kill-child=TERM -S 65534 -G 65534" \
		"-p --kill-child" "-p --kill-child -S 65534 -G 65534"; do
		# shellcheck disable=SC2086
		spawn nsunshare $args sleep 1000
		kid=$(first_child "$SPAWNED_PID")
		wait_until grep -q '^sleep' "/proc/$kid/comm" 2>/dev/null
		kill -KILL "$SPAWNED_PID"
		wait_until test ! -e "/proc/$kid"
	done
}

@test "without --kill-child the child outlives a killed nsunshare" {
	spawn nsunshare -f sleep 1000
	kid=$(first_child "$SPAWNED_PID")
	kill -KILL "$SPAWNED_PID"
	sleep 0.3
	[ -e "/proc/$kid" ]
	kill -KILL "$kid"
}

# caps OUTPUT: "PRM EFF AMB" from the Cap lines of /proc/PID/status.
caps() {
	awk '/^CapPrm/ { p = $2 } /^CapEff/ { e = $2 } /^CapAmb/ { a = $2 }
		END { print p, e, a }' <<<"$1"
}

@test "-S and -G set the ids and drop the capabilities" {
	run -0 nsunshare -S 65534 -G 65534 sh -c 'id -u; id -g; grep ^Cap /proc/self/status'
	assert_line -n 0 65534
	assert_line -n 1 65534
	assert_equal "$(caps "$output")" \
		"0000000000000000 0000000000000000 0000000000000000"
}

@test "--keep-caps -S 65534: the program has every capability, ambient" {
	local c
	run -0 nsunshare --keep-caps -S 65534 -G 65534 sh -c 'id -u; grep ^Cap /proc/self/status'
	assert_line -n 0 65534
	read -r -a c <<<"$(caps "$output")"
	[ "${c[0]}" != 0000000000000000 ]
	assert_equal "${c[1]}" "${c[0]}"
	assert_equal "${c[2]}" "${c[0]}"
	# The same our own capability sets have: all of them.
	assert_equal "${c[0]}" "$(awk '/^CapPrm/ { print $2 }' /proc/self/status)"
}

@test "as nobody: -Ur --keep-caps makes the user namespace's capabilities ambient" {
	require_userns
	local c
	run -0 as_nobody nsunshare -Ur --keep-caps grep ^Cap /proc/self/status
	read -r -a c <<<"$(caps "$output")"
	[ "${c[0]}" != 0000000000000000 ]
	assert_equal "${c[2]}" "${c[0]}"
	run -0 as_nobody nsunshare -Ur grep ^Cap /proc/self/status
	read -r -a c <<<"$(caps "$output")"
	assert_equal "${c[2]}" 0000000000000000
}

@test "exit status: the program's own, 126 not executable, 127 not found" {
	run -7 nsunshare -n sh -c 'exit 7'
	run -127 --separate-stderr nsunshare -n /nonexistent/prog
	assert_equal "$stderr" "nsunshare: cannot run '/nonexistent/prog': No such file or directory"
	run -126 --separate-stderr nsunshare -n "$D"
	assert_equal "$stderr" "nsunshare: cannot run '$D': Permission denied"
	run -127 nsunshare -f nosuchprogram-xyz
}

@test "no program runs \$SHELL, and /bin/sh without it" {
	run -0 bash -c "echo 'echo \$0' | SHELL=/bin/bash nsunshare -u"
	assert_output /bin/bash
	run -0 bash -c "echo 'readlink /proc/\$\$/exe' | env -u SHELL nsunshare -u"
	assert_output "$(readlink -f /bin/sh)"
}

@test "stdin closed does not break anything" {
	run -0 bash -c 'nsunshare -pf --mount-proc -r --net="$0/ns" sh -c "echo \$\$" <&-' "$D"
	assert_output 1
	umount "$D/ns"
}

@test "--monotonic and --boottime shift the clocks in a new time namespace" {
	run -0 nsunshare -T --boottime=-10 --monotonic=86400 cat /proc/self/timens_offsets
	assert_equal "$(echo $output)" "monotonic 86400 0 boottime -10 0"
	run -0 nsunshare -T --boottime=86400 cat /proc/uptime
	[ "${output%%.*}" -ge 86400 ]
}

@test "--loopback brings lo up in the new network namespace" {
	run -0 nsunshare -n --loopback ip -o link show lo
	assert_output --partial "<LOOPBACK,UP,LOWER_UP>"
	run -0 nsunshare -n ip -o link show lo
	assert_output --partial "<LOOPBACK> "
}

@test "--info-fd writes the child's PID and the new namespaces as JSON" {
	run -0 bash -c 'nsunshare -pfn --info-fd=3 sh -c "echo \$\$ >&2; readlink /proc/self/ns/net >&2" 3>&1 2>/dev/null' 
	assert_equal "$(jq -r '.namespaces|map(.type)|join(",")' <<<"$output")" "net,pid"
	[ "$(jq .pid <<<"$output")" -gt 1 ]
}

@test "--info-fd: the PID is usable by nsenter while the program runs" {
	exec 4<> <(:)
	spawn nsunshare -fn --info-fd=5 sleep 1000 5>"$D/info"
	wait_until test -s "$D/info"
	pid=$(jq .pid "$D/info")
	run -0 nsenter -t "$pid" -n stat -L -c %i /proc/self/ns/net
	assert_output "$(jq '.namespaces[0].ns' "$D/info")"
	assert_equal "$(ns_inode "$pid" net)" "$output"
}

@test "-R and -w change root and directory" {
	run -0 nsunshare -w /etc pwd
	assert_output /etc
	run -0 nsunshare -R / -w /usr pwd
	assert_output /usr
}

@test "--propagation: private by default, unchanged leaves it as it is" {
	# Under a shared / (in a mount namespace of the test's own), so that
	# each mode shows.
	# shellcheck disable=SC2016 # expanded by the inner sh
	run -0 unshare -m --propagation shared sh -c 'for p in "" \
		--propagation=unchanged --propagation=shared \
		--propagation=slave --propagation=private; do
		nsunshare -m $p findmnt -n -o PROPAGATION /; done'
	assert_equal "$(echo $output)" \
		"private shared shared private,slave private"
}

# differential [--nobody] OPTIONS...: unshare and nsunshare, given the same
# OPTIONS (as nobody with --nobody), make the same types of namespace new
# and write the same uid_map, gid_map and setgroups.
differential() {
	local a b cmd="$ns_report; cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups"
	local -a who=()
	if [ "$1" = --nobody ]; then
		who=(as_nobody)
		shift
	fi
	a=$("${who[@]}" unshare "$@" sh -c "$cmd")
	b=$("${who[@]}" env LSAN_OPTIONS=detect_leaks=0 nsunshare "$@" sh -c "$cmd")
	assert_equal "$(grep -c = <<<"$a")" 8
	assert_equal "$(grep -c = <<<"$b")" 8
	assert_equal "$(new_types "$(grep = <<<"$b")")" "$(new_types "$(grep = <<<"$a")")"
	assert_equal "$(grep -v = <<<"$b")" "$(grep -v = <<<"$a")"
}

@test "differential: same namespaces and maps as unshare, as root" {
	local o
	for o in -m -u -i -n -pf -U -C -T -Ur -rmn "-c -n" "--map-user=1000 --map-group=100" "-U --setgroups=deny"; do
		# shellcheck disable=SC2086
		differential $o
	done
}

@test "differential: same namespaces and maps as unshare, as nobody" {
	require_userns
	local o
	for o in -Ur -c "-Urn" "-Urpf" "-Ucm" "-Urui" "-UrCT" "-U --setgroups=deny"; do
		# shellcheck disable=SC2086
		differential --nobody $o
	done
}

@test "bad input: one line naming the option, status 125, nothing created" {
	local args want long
	long=$(printf '%065d' 0)
	while IFS='|' read -r args want; do
		# Each also asks to keep an IPC namespace in $D: it must not be.
		# shellcheck disable=SC2086
		run -125 --separate-stderr nsunshare --ipc="$D/ipc" $args true 77<&-
		assert_equal "${stderr%%$'\n'*}" "$want"
		assert_equal "$(ls -A "$D")" ""
		assert_equal "$(findmnt -n "$D/ipc")" ""
	done <<EOT
--map-user=nosuchuser|nsunshare: invalid uid: 'nosuchuser'
--map-user=4294967295|nsunshare: invalid uid: '4294967295'
--map-group=nosuchgroup|nsunshare: invalid gid: 'nosuchgroup'
--propagation=bogus|nsunshare: --propagation: unknown mode 'bogus' (private, shared, slave, unchanged)
--setgroups=maybe|nsunshare: --setgroups: expected allow or deny, not 'maybe'
--setgroups=deny|nsunshare: --setgroups needs a new user namespace (-U/--user)
--kill-child=NOTASIG|nsunshare: invalid --kill-child signal: 'NOTASIG'
--kill-child=0|nsunshare: invalid --kill-child signal: '0'
-T --monotonic=abc|nsunshare: --monotonic: invalid number of seconds 'abc'
-T --monotonic=99999999999999999999|nsunshare: --monotonic: invalid number of seconds '99999999999999999999'
-T --boottime=1x|nsunshare: --boottime: invalid number of seconds '1x'
--monotonic=5|nsunshare: --monotonic and --boottime need -T/--time
--hostname=x|nsunshare: --hostname and --domainname need -u/--uts
--domainname=x|nsunshare: --hostname and --domainname need -u/--uts
-u --hostname=$long|nsunshare: --hostname: longer than 64 bytes
--loopback|nsunshare: --loopback needs -n/--net
--map-users=1:2|nsunshare: --map-users: invalid range '1:2': expected INSIDE:OUTSIDE:COUNT
--map-users=0:0:0|nsunshare: --map-users: invalid range '0:0:0': COUNT must be greater than 0
--map-users=4294967295:0:2|nsunshare: --map-users: invalid range '4294967295:0:2': range goes beyond 4294967294 (32 bits)
--map-users=0:100000:10 --map-users=5:200000:10|nsunshare: --map-users: invalid range '5:200000:10': ranges overlap inside the namespace
--map-groups=0:100000:10 --map-groups=20:100005:1|nsunshare: --map-groups: invalid range '20:100005:1': ranges overlap outside the namespace
--map-groups=1,2|nsunshare: --map-groups: invalid range '1,2'
--map-auto --map-subids|nsunshare: --map-subids and --map-auto are mutually exclusive
-S nosuchuser|nsunshare: invalid uid: 'nosuchuser'
-S 4294967296|nsunshare: invalid uid: '4294967296'
-G nosuchgroup|nsunshare: invalid gid: 'nosuchgroup'
-G 4294967295|nsunshare: invalid gid: '4294967295'
--info-fd=77|nsunshare: --info-fd: 77 is not open
--info-fd=notanumber|nsunshare: --info-fd: invalid file descriptor 'notanumber'
--info-fd=-1|nsunshare: --info-fd: invalid file descriptor '-1'
--net=|nsunshare: --net: empty file name
-n=|nsunshare: --net: empty file name
--net=/nonexistent/dir/file|nsunshare: --net=/nonexistent/dir/file: cannot persist the net namespace: No such file or directory
--net=$D/nodir/ns|nsunshare: --net=$D/nodir/ns: cannot persist the net namespace: No such file or directory
-n/nonexistent/x|nsunshare: --net=/nonexistent/x: cannot persist the net namespace: No such file or directory
-C=/nonexistent/x|nsunshare: --cgroup=/nonexistent/x: cannot persist the cgroup namespace: No such file or directory
-r --setgroups=allow|nsunshare: --setgroups=allow cannot go with a single mapped group (-r, -c, --map-group): the kernel needs deny for that
-w /nonexistent|nsunshare: cannot change directory to /nonexistent: No such file or directory
-f -w /nonexistent|nsunshare: cannot change directory to /nonexistent: No such file or directory
-R /nonexistent|nsunshare: cannot change root to /nonexistent: No such file or directory
--mount-proc=/nonexistent|nsunshare: cannot mount proc on /nonexistent: No such file or directory
-U -S 4000000|nsunshare: cannot set uid 4000000: Invalid argument
--bogus|nsunshare: unrecognized option '--bogus'
EOT
}

@test "a program that cannot be run, also with -p, leaves no persisted namespace behind" {
	run -127 --separate-stderr nsunshare --net="$D/net" /nonexistent/prog
	assert_equal "$stderr" "nsunshare: cannot run '/nonexistent/prog': No such file or directory"
	run -127 nsunshare -fp --uts="$D/uts" --pid="$D/pid" /nonexistent/prog
	assert_equal "$(ls -A "$D")" ""
	assert_equal "$(findmnt -n "$D/net")" ""
}

@test "--help prints the usage on stdout with status 0; -V the version" {
	run -0 --separate-stderr nsunshare --help
	assert_line -n 1 " nsunshare [options] [program [argument ...]]"
	assert_equal "$stderr" ""
	run -0 nsunshare -V
	assert_output --regexp '^nsunshare'
	run -0 bash -c 'nsunshare --help | awk "length > 80" | wc -l'
	assert_output 0
}

# help_misaligned: the lines of --help's option list (from "Options:" on)
# whose description does not start at column 27: an option line has it
# there, or nothing after the option and the description on the next
# line; a continuation is indented 27, or 29 within a description.
help_misaligned() {
	awk '/^Options:/ { on = 1; next }
		!on || /^$/ || /^For more details/ { next }
		/^ +-/ {
			if (substr($0, 27, 1) == " " && substr($0, 28, 1) != " ")
				next
			if (match($0, /^ +-[^ ]*(, -[^ ]*)? *$/)) next
			print; next
		}
		/^                           [^ ]/ || /^                             [^ ]/ { next }
		{ print }'
}

@test "--help: a blank line before -h, descriptions in one column, the man page last" {
	run -0 --separate-stderr nsunshare --help
	assert_line -n 1 " nsunshare [options] [program [argument ...]]"
	assert_output --partial "

 -h, --help                print this help and exit
 -V, --version             print the version and exit

For more details see nsunshare(1)."
	[ "${lines[-1]}" = "For more details see nsunshare(1)." ]
	assert_line " -s, --setgroups=allow|deny"
	run -0 bash -c "$(declare -f help_misaligned); nsunshare --help | help_misaligned"
	assert_output ""
}

@test "a mount namespace persists on a shared mount when / is made private" {
	mount -t tmpfs tmpfs "$D"
	mount --make-shared "$D"
	run -0 nsunshare --mount="$D/mnt" true
	assert_equal "$(stat -f -c %T "$D/mnt")" nsfs
	umount "$D/mnt"
	umount "$D"
}

# ---- subordinate ids (/etc/subuid and /etc/subgid exist only in the
# private mount namespace with_subid_files makes) ----------------------------

maps='cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups'

# squeeze TEXT: the kernel's padded columns as single spaces.
squeeze() {
	sed 's/^ *//; s/  */ /g' <<<"$1"
}

@test "--map-auto as root maps the first subuid and subgid range from 0" {
	run -0 with_subid_files $'root:100000:65536\nroot:300000:10' \
		root:400000:65536 nsunshare --map-auto sh -c "$maps"
	assert_equal "$(squeeze "$output")" \
		$'0 100000 65536\n0 400000 65536\nallow'
	run -0 with_subid_files root:100000:65536 root:400000:65536 \
		nsunshare -r --map-auto sh -c "id -u; $maps"
	assert_equal "$(squeeze "$output")" \
		$'0\n0 0 1\n1 100000 65535\n0 0 1\n1 400000 65535\nallow'
}

@test "as nobody: --map-auto and -r --map-auto map through newuidmap and newgidmap" {
	require_userns
	run -0 with_subid_files $'nobody:200000:1000\nnobody:300000:10' \
		nobody:500000:1000 --nobody nsunshare --map-auto sh -c "$maps"
	assert_equal "$(squeeze "$output")" \
		$'0 200000 1000\n0 500000 1000\nallow'
	run -0 with_subid_files nobody:200000:1000 nobody:500000:1000 \
		--nobody nsunshare -r --map-auto sh -c "id -u; $maps"
	assert_equal "$(squeeze "$output")" \
		$'0\n0 65534 1\n1 200000 999\n0 65534 1\n1 500000 999\nallow'
}

@test "--map-subids maps every subordinate range to itself, as root and as nobody" {
	run -0 with_subid_files $'root:100000:65536\nroot:300000:10' \
		root:400000:65536 nsunshare --map-subids sh -c "$maps"
	assert_equal "$(squeeze "$output")" \
		$'100000 100000 65536\n300000 300000 10\n400000 400000 65536\nallow'
	require_userns
	run -0 with_subid_files $'nobody:200000:1000\nnobody:300000:10' \
		nobody:500000:1000 --nobody nsunshare -r --map-subids \
		sh -c "id -u; $maps"
	assert_equal "$(squeeze "$output")" \
		$'0\n0 65534 1\n200000 200000 1000\n300000 300000 10\n0 65534 1\n500000 500000 1000\nallow'
}

@test "--map-users=subids and --map-groups=subids (util-linux 2.41) map as --map-subids does, each its own" {
	run -0 with_subid_files $'root:100000:65536\nroot:300000:10' \
		root:400000:65536 nsunshare --map-users=subids --map-groups=subids sh -c "$maps"
	assert_equal "$(squeeze "$output")" \
		$'100000 100000 65536\n300000 300000 10\n400000 400000 65536\nallow'
	run -0 with_subid_files root:100000:65536 root:400000:65536 \
		nsunshare --map-users=subids sh -c "$maps"
	assert_equal "$(squeeze "$output")" $'100000 100000 65536\nallow'
}

@test "--map-auto without a range for us names the option and the file, 125, nothing created" {
	run -125 --separate-stderr with_subid_files someone:100000:10 \
		root:400000:10 nsunshare --map-auto --net="$D/ns" true
	assert_equal "$stderr" "nsunshare: --map-auto: no subordinate uids for root (uid 0) in /etc/subuid"
	run -125 --separate-stderr with_subid_files root:100000:10 "" \
		nsunshare --map-groups=auto --net="$D/ns" true
	assert_equal "$stderr" "nsunshare: --map-groups=auto: no subordinate gids for root (uid 0) in /etc/subgid"
	assert_equal "$(ls -A "$D")" ""
}

# same_maps_as_unshare [--nobody] UNSHARE-OPTIONS NSUNSHARE-OPTIONS: with the
# subordinate ids in $SUBUID and $SUBGID, both give the same maps.
same_maps_as_unshare() {
	local -a who=()
	local a b
	[ "$1" = --nobody ] && who=(--nobody) && shift
	# shellcheck disable=SC2086
	a=$(with_subid_files "$SUBUID" "$SUBGID" "${who[@]}" unshare $1 sh -c "$maps")
	# shellcheck disable=SC2086
	b=$(with_subid_files "$SUBUID" "$SUBGID" "${who[@]}" nsunshare $2 sh -c "$maps")
	[ -n "$a" ]
	assert_equal "$b" "$a"
}

@test "differential: --map-auto and --map-users give the maps unshare gives" {
	require_userns
	local who o
	local -a as
	for who in root nobody; do
		as=()
		[ "$who" = nobody ] && as=(--nobody)
		SUBUID=$(printf '%s:%s\n' "$who" 100000:65536 "$who" 300000:10)
		SUBGID="$who:400000:65536"
		for o in --map-auto "-r --map-auto" "--map-user=5 --map-auto" \
			--map-users=auto --map-groups=auto \
			"--map-users=100000,0,10 --map-groups=400000,0,5"; do
			same_maps_as_unshare "${as[@]}" "$o" "$o"
		done
		same_maps_as_unshare "${as[@]}" \
			"--map-users=100000,0,10 --map-groups=400000,0,5" \
			"--map-users=0:100000:10 --map-groups=0:400000:5"
		same_maps_as_unshare "${as[@]}" \
			"-r --map-users=100000,1,10 --map-groups=400000,1,10" \
			"-r --map-users=1:100000:10 --map-groups=1:400000:10"
	done
}

# ---- processes and signals ---------------------------------------------------

# started_by_sh FILE NSUNSHARE-ARGS...: spawn a sh that starts nsunshare in
# the background and waits; nsunshare's PID lands in FILE.
started_by_sh() {
	local file=$1
	shift
	spawn sh -c '"$@" & echo $! >"$0"; wait' "$file" nsunshare "$@"
	wait_until test -s "$file"
}

@test "--die-with-parent: the program dies with the process that started nsunshare" {
	local pid kid
	# Without -f the program is nsunshare's own process.
	started_by_sh "$D/a" -u --die-with-parent sleep 1000
	pid=$(cat "$D/a")
	wait_until grep -qx sleep "/proc/$pid/comm"
	kill -KILL "$SPAWNED_PID"
	wait_until test ! -e "/proc/$pid"
	# With -f nsunshare dies with its parent, and the child with it.
	started_by_sh "$D/b" -fu --die-with-parent sleep 1000
	kid=$(first_child "$(cat "$D/b")")
	wait_until grep -qx sleep "/proc/$kid/comm"
	kill -KILL "$SPAWNED_PID"
	wait_until test ! -e "/proc/$kid"
	# Without it, the program outlives the parent.
	started_by_sh "$D/c" -u sleep 1000
	pid=$(cat "$D/c")
	wait_until grep -qx sleep "/proc/$pid/comm"
	kill -KILL "$SPAWNED_PID"
	wait "$SPAWNED_PID" || true
	sleep 0.3
	grep -qx sleep "/proc/$pid/comm"
	kill -KILL "$pid"
}

@test "--kill-child=SIGUSR1: the child gets that signal when nsunshare dies" {
	# An orphan once nsunshare is gone: it ends itself, also if the test fails.
	spawn nsunshare --kill-child=SIGUSR1 sh -c 'sleep 1000 & s=$!
		trap "echo USR1 >\"\$0/got\"; kill \$s; exit 0" USR1
		echo ready >"$0/r"; wait' "$D"
	wait_until test -s "$D/r"
	kill -KILL "$SPAWNED_PID"
	wait_until test -s "$D/got"
	assert_equal "$(cat "$D/got")" USR1
}

@test "--forward-signals implies -f, as in unshare 2.42: the program is our child" {
	# shellcheck disable=SC2016 # expanded by the inner sh
	run -0 nsunshare --forward-signals sh -c 'cat /proc/$PPID/comm'
	assert_output nsunshare
}

@test "--forward-signals is accepted: kill -TERM reaches the child" {
	spawn nsunshare -f --forward-signals sh -c 'trap "exit 42" TERM
		echo ready >"$0/r"; while :; do sleep 0.1; done' "$D"
	wait_until test -s "$D/r"
	kill -TERM "$SPAWNED_PID"
	local rc=0
	wait "$SPAWNED_PID" || rc=$?
	assert_equal "$rc" 42
}

@test "-R runs the program in a new root: it sees only that tree; -p --mount-proc mounts its proc" {
	local f
	mkdir "$D/root" "$D/root/etc" "$D/root/usr" "$D/root/proc"
	echo inside >"$D/root/etc/marker"
	# /bin, /lib... are links into /usr on merged-/usr systems, else
	# directories to bind-mount, as /usr is, in a mount namespace of the
	# test's own.
	for f in bin sbin lib lib32 lib64; do
		if [ -L "/$f" ]; then
			cp -P "/$f" "$D/root/$f"
		elif [ -d "/$f" ]; then
			mkdir "$D/root/$f"
		fi
	done
	# shellcheck disable=SC2016 # expanded by the inner sh
	run -0 nsunshare -m sh -c 'for f in usr bin sbin lib lib32 lib64; do
			if [ -d "$0/$f" ] && [ ! -L "$0/$f" ]; then
				mount --rbind "/$f" "$0/$f" || exit 1
			fi
		done
		nsunshare -R "$0" -w /etc sh -c "pwd; cat marker; echo /*" &&
		exec nsunshare -R "$0" -p --mount-proc sh -c \
			"echo \$\$; cat /proc/1/comm; ls -d /proc/[0-9]*"' \
		"$D/root"
	assert_equal "$output" "/etc
inside
$(cd "$D/root" && for f in *; do printf '/%s ' "$f"; done | sed 's/ $//')
1
sh
/proc/1"
	# Nothing of it is left mounted outside.
	assert_equal "$(findmnt -n "$D/root/usr")" ""
}

# ---- why an unprivileged unshare is refused ---------------------------------

@test "as nobody: namespaces disabled or at their limit: the message names the sysctl" {
	require_userns
	local before
	before=$(cat /proc/sys/user/max_user_namespaces)
	# The limits of a user namespace are its own (root there may set
	# them): the host's sysctl is never touched.
	run -0 --separate-stderr as_nobody nsunshare -Ur sh -c '
		echo 0 >/proc/sys/user/max_user_namespaces || exit 1
		nsunshare -U true; echo "status $?"
		echo 1 >/proc/sys/user/max_user_namespaces || exit 1
		nsunshare -U nsunshare -U true; echo "status $?"
		echo 0 >/proc/sys/user/max_net_namespaces || exit 1
		nsunshare -n true; echo "status $?"'
	assert_output $'status 125\nstatus 125\nstatus 125'
	assert_equal "$stderr" "nsunshare: cannot unshare user namespace: No space left on device; user namespaces are disabled (sysctl user.max_user_namespaces is 0)
nsunshare: cannot unshare user namespace: No space left on device; the limit of user namespaces is reached (sysctl user.max_user_namespaces)
nsunshare: cannot unshare net namespace: No space left on device; net namespaces are disabled (sysctl user.max_net_namespaces is 0)"
	assert_equal "$(cat /proc/sys/user/max_user_namespaces)" "$before"
}

# ---- signals: every catchable one is forwarded -------------------------------

# proc_state PID: R, S, T, ... of /proc/PID/stat (the field after the comm).
proc_state() {
	local s
	s=$(cat "/proc/$1/stat") || return 1
	s=${s##*) }
	echo "${s%% *}"
}

# stopped PID...: all of them stopped (a function, for wait_until).
stopped() {
	local p
	for p; do [ "$(proc_state "$p")" = T ] || return 1; done
}

running() {
	local p
	for p; do [ "$(proc_state "$p")" != T ] || return 1; done
}

@test "-f and -pf: USR1 and USR2 reach a child that traps them; its status is ours" {
	local args rc
	for args in -f -pf; do
		rm -f "$D/r" "$D/got"
		spawn nsunshare $args sh -c 'trap "echo USR1 >>\"\$0/got\"" USR1
			trap "echo USR2 >>\"\$0/got\"; exit 42" USR2
			echo ready >"$0/r"; while :; do sleep 0.1; done' "$D"
		wait_until test -s "$D/r"
		kill -USR1 "$SPAWNED_PID"
		wait_until grep -q USR1 "$D/got"
		kill -USR2 "$SPAWNED_PID"
		rc=0
		wait "$SPAWNED_PID" || rc=$?
		assert_equal "$rc" 42
		assert_equal "$(cat "$D/got")" $'USR1\nUSR2'
	done
}

@test "-f and -pf: a child that leaves USR1 and RTMIN+2 alone dies of them, nsunshare too; no orphan" {
	local args sig kid rc
	for args in -f -pf; do
		for sig in USR1 RTMIN+2; do
			spawn nsunshare $args sleep 1000
			kid=$(first_child "$SPAWNED_PID")
			wait_until grep -q '^sleep' "/proc/$kid/comm"
			kill -"$sig" "$SPAWNED_PID"
			rc=0
			wait "$SPAWNED_PID" || rc=$?
			assert_equal "$(kill -l "$rc")" "$sig"
			wait_until test ! -e "/proc/$kid"
		done
	done
}

@test "-f and -pf: TSTP stops the child and nsunshare, CONT resumes both; WINCH harms no PID 1" {
	local args sig pid kid
	for args in -f -pf; do
		for sig in TSTP TTIN TTOU; do
			# The kernel drops these stop signals in an orphaned
			# process group (as a background make check may run
			# in): bash with job control gives nsunshare a group
			# whose parent is in the session, as a shell's job has
			# (and stays: a leader that exits would hang it up).
			rm -f "$D/pid"
			spawn setsid bash -c 'set -m; nsunshare '"$args"' sleep 1000 &
				echo $! >"$0/pid"; exec sleep 1000' "$D"
			wait_until test -s "$D/pid"
			pid=$(cat "$D/pid")
			kid=$(first_child "$pid")
			wait_until grep -q '^sleep' "/proc/$kid/comm"
			kill -"$sig" "$pid"
			wait_until stopped "$pid" "$kid"
			kill -CONT "$pid"
			wait_until running "$pid" "$kid"
			# Ignored by default: a PID 1 must not be killed for it.
			kill -WINCH "$pid"
			sleep 0.2
			[ -e "/proc/$kid" ]
			kill -KILL "$kid" "$pid"
			kill_spawned
		done
	done
}

@test "nsjoin -p: USR1 and USR2 reach the child; one it leaves alone kills it, no orphan" {
	local target kid rc
	spawn unshare -pf --mount-proc sleep 1000
	target=$(first_child "$SPAWNED_PID")
	spawn nsjoin -t "$target" -p sh -c 'trap "echo USR1 >>\"\$0/got\"" USR1
		trap "echo USR2 >>\"\$0/got\"; exit 42" USR2
		echo ready >"$0/r"; while :; do sleep 0.1; done' "$D"
	wait_until test -s "$D/r"
	kill -USR1 "$SPAWNED_PID"
	wait_until grep -q USR1 "$D/got"
	kill -USR2 "$SPAWNED_PID"
	rc=0
	wait "$SPAWNED_PID" || rc=$?
	assert_equal "$rc" 42
	assert_equal "$(cat "$D/got")" $'USR1\nUSR2'
	spawn nsjoin -t "$target" -p sleep 1000
	kid=$(first_child "$SPAWNED_PID")
	wait_until grep -q '^sleep' "/proc/$kid/comm"
	kill -USR2 "$SPAWNED_PID"
	rc=0
	wait "$SPAWNED_PID" || rc=$?
	assert_equal "$(kill -l "$rc")" USR2
	wait_until test ! -e "/proc/$kid"
}

# ---- --info-fd while the child mounts its proc -------------------------------

@test "-p --mount-proc --info-fd: 200 runs, each with whole JSON and the program's status" {
	local i out rc bad=0
	for i in $(seq 1 200); do
		rc=0
		out=$(nsunshare -p --mount-proc --info-fd 3 sh -c 'exit 7' \
			3>&1 2>"$D/err") || rc=$?
		if [ "$rc" != 7 ] || [ -s "$D/err" ] ||
			! jq -e '.pid > 0 and (.namespaces|length) == 2' \
				<<<"$out" >/dev/null 2>&1; then
			bad=$((bad + 1))
			echo "run $i: status $rc, '$out', $(cat "$D/err")" >&2
		fi
	done
	assert_equal "$bad" 0
}

@test "--info-fd that cannot be written: 125, and the program never ran" {
	run -125 --separate-stderr nsunshare -f --info-fd 3 touch "$D/ran" 3>/dev/full
	assert_equal "$stderr" "nsunshare: cannot write to --info-fd 3: No space left on device"
	[ ! -e "$D/ran" ]
}

# ---- why a persist was refused ----------------------------------------------

@test "as nobody: -Ur --net=FILE says a bind mount needs CAP_SYS_ADMIN and what works instead" {
	require_userns
	local dir
	dir=$(mktemp -d /tmp/nst-persist.XXXXXX)
	chmod 1777 "$dir"
	run -125 --separate-stderr as_nobody nsunshare -Ur --net="$dir/net" true
	rm -rf "$dir/net"
	rmdir "$dir"
	assert_equal "$stderr" "nsunshare: --net=$dir/net: cannot persist the net namespace: Operation not permitted: a bind mount of a namespace file needs CAP_SYS_ADMIN in the user namespace that owns the mount namespace of $dir/net (root, for /run/netns); without it, keep the namespace alive with a process in it (e.g. netnslink --new NAME)"
}

@test "--mount=FILE on a private mount refused for the namespace ids: the message says so, not propagation" {
	[ "$(nproc)" -ge 2 ] || skip "needs two CPUs"
	local a b i
	# The kernel gives out mount namespace ids in batches per CPU: a
	# namespace made on one CPU may get a lower id than one made before
	# on another.  Make the outer namespace on A and the new one on B.
	for i in 1 2 3; do
		for a in 0 1; do
			b=$((1 - a))
			# shellcheck disable=SC2016 # expanded by the inner sh
			run taskset -c "$a" unshare -m --propagation private sh -c '
				mount -t tmpfs tmpfs "$1" &&
				exec taskset -c "$2" nsunshare --mount="$1/mnt" true' \
				sh "$D" "$b"
			[ "$status" -eq 0 ] || break 2
		done
	done
	[ "$status" -ne 0 ] || skip "the namespace ids came in order on every CPU"
	assert_equal "$status" 125
	# EINVAL from mount(2), ELOOP from move_mount(2)
	assert_output --regexp "^nsunshare: --mount=$D/mnt: cannot persist the mnt namespace: (Invalid argument|Too many levels of symbolic links): the kernel binds a mount namespace file only in a mount namespace of a lower id; the new one got ([0-9]+), the one $D/mnt is in has ([0-9]+) \(the kernel gives out ids per CPU: another run may get a higher one\)\$"
	[[ $output =~ got\ ([0-9]+).*has\ ([0-9]+) ]]
	[ "${BASH_REMATCH[1]}" -lt "${BASH_REMATCH[2]}" ]
	assert_equal "$(ls -A "$D")" ""
}

# ---- options of util-linux 2.39 to 2.42 and master ---------------------------

# ns_owner: the uid that owns our user namespace (ioctl NS_GET_OWNER_UID).
ns_owner='perl -e '\''open(my $f, "<", "/proc/self/ns/user") or die;
	my $u = pack("L", 0); ioctl($f, 0xb704, $u) or die "ioctl: $!";
	print unpack("L", $u), "\n"'\'

@test "--owner UID:GID: the user namespace belongs to UID; the helper writes -r and ranges" {
	run -0 nsunshare --owner 65534:65534 sh -c "$ns_owner; id -u; id -g"
	assert_output $'65534\n65534\n65534'
	# -r maps root to the caller (root), as unshare(1) does with --owner.
	run -0 nsunshare --owner 65534:65534 -r sh -c "$ns_owner; $maps"
	assert_equal "$(squeeze "$output")" "65534
0 0 1
0 0 1
allow"
	run -0 nsunshare --owner=65534:65534 --map-users=0:100000:10 \
		--map-groups=0:100000:10 sh -c "$ns_owner; $maps"
	assert_equal "$(squeeze "$output")" "65534
0 100000 10
0 100000 10
allow"
	# The owner may enter it (CAP_SYS_ADMIN there), another user not.
	local dir owner other
	dir=$(mktemp -d /tmp/nst-owner.XXXXXX)
	chmod 755 "$dir"
	run -0 nsunshare --owner 65534:65534 --map-users=0:100000:10 \
		--map-groups=0:100000:10 --user="$dir/user" true
	owner=0 other=0
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		nsenter --user="$dir/user" --preserve-credentials true || owner=$?
	setpriv --reuid=1 --regid=1 --clear-groups \
		nsenter --user="$dir/user" --preserve-credentials true 2>/dev/null || other=$?
	umount "$dir/user"
	rm -rf "$dir"
	assert_equal "$owner $other" "0 1"
}

@test "--owner: malformed values and a refused setuid, one line each, 125" {
	local v
	for v in 1 1: :1 a:b 1:2:3 -1:0 0:-1 4294967295:0 "" " 1:1"; do
		run -125 --separate-stderr nsunshare --owner="$v" true
		assert_equal "${stderr%%$'\n'*}" "nsunshare: --owner: expected UID:GID, not '$v'"
	done
	require_userns
	run -125 --separate-stderr as_nobody nsunshare --owner 0:0 true
	assert_equal "$stderr" "nsunshare: --owner: cannot drop supplementary groups: Operation not permitted"
}

# binfmt_in_ns: "DIR FSTYPE" of each binfmt_misc mount the program sees.
binfmt_mounts='awk '\''$9 == "binfmt_misc" { print $5 }'\'' /proc/self/mountinfo'

@test "--mount-binfmt mounts a new binfmt_misc in the new mount namespace, as root and as nobody with -r" {
	local before
	before=$(awk '$9 == "binfmt_misc"' /proc/self/mountinfo)
	run -0 nsunshare -pf --mount-binfmt sh -c "$binfmt_mounts; ls /proc/sys/fs/binfmt_misc"
	assert_output $'/proc/sys/fs/binfmt_misc\nregister\nstatus'
	mkdir "$D/bf"
	run -0 nsunshare --mount-binfmt="$D/bf" sh -c "$binfmt_mounts"
	assert_output "$D/bf"
	require_userns
	local dir
	dir=$(mktemp -d /tmp/nst-binfmt.XXXXXX)
	chmod 755 "$dir"
	run -0 as_nobody env LSAN_OPTIONS=detect_leaks=0 nsunshare -rpf --mount-binfmt sh -c "$binfmt_mounts; id -u"
	assert_output $'/proc/sys/fs/binfmt_misc\n0'
	run as_nobody nsunshare -r --mount-binfmt="$dir" sh -c "$binfmt_mounts"
	rmdir "$dir"
	assert_success
	assert_output "$dir"
	# Nothing of it outside.
	assert_equal "$(awk '$9 == "binfmt_misc"' /proc/self/mountinfo)" "$before"
}

@test "--mount-binfmt without DIR in a user namespace without -p: the proc mount is refused, and the message says why" {
	run -125 --separate-stderr nsunshare --mount-binfmt true
	assert_equal "$stderr" "nsunshare: cannot mount proc on /proc: Operation not permitted; in a new user namespace that needs a new PID namespace too (-p)"
}

@test "-l registers an interpreter in the namespace's own binfmt_misc, as nobody" {
	require_userns
	local dir
	dir=$(mktemp -d /tmp/nst-binfmt.XXXXXX)
	chmod 755 "$dir"
	printf 'hello from the file\n' >"$dir/x.nsttest"
	chmod 755 "$dir/x.nsttest"
	run as_nobody env LSAN_OPTIONS=detect_leaks=0 nsunshare -rpf -l ':nsttest:E::nsttest::/bin/cat:' \
		sh -c "cat /proc/sys/fs/binfmt_misc/nsttest; $dir/x.nsttest"
	rm -rf "$dir"
	assert_success
	assert_output $'enabled\ninterpreter /bin/cat\nflags: \nextension .nsttest\nhello from the file'
	run -125 --separate-stderr nsunshare -rpf -l ':bad' true
	assert_equal "$stderr" "nsunshare: --load-interp: cannot register in /proc/sys/fs/binfmt_misc/register: Invalid argument"
}

@test "--mount-binfmt and -l where a seccomp filter says fsopen(2) is unknown (ENOSYS): mount(2), then DIR checked" {
	require_root
	command -v strace >/dev/null || skip "needs strace"
	export LSAN_OPTIONS=detect_leaks=0
	run -0 strace -f -qq -o /dev/null -e inject=fsopen:error=ENOSYS \
		nsunshare -rpf -l ':nsttest:E::nsttest::/bin/cat:' \
		sh -c "$binfmt_mounts; head -1 /proc/sys/fs/binfmt_misc/nsttest"
	assert_output $'/proc/sys/fs/binfmt_misc\nenabled'
}

@test "--clear-env runs the program with no environment; --whitelist-env keeps the named variables that are set" {
	run -0 env NST_A=1 nsunshare --clear-env env
	assert_output ""
	run -0 env NST_A=1 NST_B='two words' NST_C=3 nsunshare \
		--whitelist-env NST_A,,NST_UNSET --whitelist-env=NST_B env
	assert_equal "$(sort <<<"$output")" $'NST_A=1\nNST_B=two words'
	# -f: the child's environment, not ours, is cleared.
	run -0 env NST_A=1 nsunshare -pf --whitelist-env=NST_A sh -c 'env | grep ^NST_'
	assert_output "NST_A=1"
}

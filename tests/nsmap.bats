#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# nsmap: writing, showing, checking and translating uid/gid maps of real
# user namespaces, as root and as nobody (with /etc/subuid and /etc/subgid
# entries that exist only in a private mount namespace).

bats_require_minimum_version 1.5.0
load helper

setup_file() {
	# nsmap installed as a package would install it, with file
	# capabilities.  setcap needs root (CAP_SETFCAP); as another user
	# the tests that use it skip (require_userns: they run as nobody).
	CAPS_ROOT=$(mktemp -d /tmp/nstools-nsmap-caps.XXXXXX)
	chmod 755 "$CAPS_ROOT"
	export CAPS_ROOT
	[ "$(id -u)" -eq 0 ] || return 0
	make -s -C "$BATS_TEST_DIRNAME/.." install-caps PROGS=nsmap \
		BUILDDIR="$NSTOOLS_BIN" DESTDIR="$CAPS_ROOT" PREFIX=/usr \
		MAN1= MAN8= >/dev/null
	chmod -R a+rX "$CAPS_ROOT"
}

teardown_file() {
	rm -rf "$CAPS_ROOT"
	cleanup_nobody_bin
}

teardown() {
	kill_spawned
}

# new_target [nobody]: a process in a new, unmapped user namespace: TARGET.
new_target() {
	local -a who=()
	[ "${1:-}" = nobody ] &&
		who=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
	if [ -x "$NSTOOLS_BIN/nsunshare" ]; then
		spawn "${who[@]}" "$NSTOOLS_BIN/nsunshare" -U sleep 1000
	else
		spawn "${who[@]}" unshare -U sleep 1000
	fi
	TARGET=$SPAWNED_PID
	wait_until in_own_userns "$TARGET"
}

in_own_userns() {
	[ "$(ns_inode "$1" user)" != "$(ns_inode self user)" ]
}

maps_of() {
	cat "/proc/$1/uid_map" "/proc/$1/gid_map" "/proc/$1/setgroups"
}

# with_subids SUBUID SUBGID CMD...: run CMD as nobody where /etc/subuid and
# /etc/subgid hold the given text (helper.bash: an overlay over /etc in a
# private mount namespace; the machine's files are never touched).
with_subids() {
	with_subid_files "$1" "$2" --nobody "${@:3}"
}

CAPS_NSMAP() {
	echo "$CAPS_ROOT/usr/bin/nsmap"
}

# ---- root ------------------------------------------------------------------

@test "root writes uid and gid maps; the kernel shows exactly them" {
	require_root
	new_target
	run nsmap -u 0:100000:1000,1000:5000:10 -g 0:200000:65536 "$TARGET"
	assert_success
	assert_output ""
	run maps_of "$TARGET"
	assert_line -n 0 -e '^ +0 +100000 +1000$'
	assert_line -n 1 -e '^ +1000 +5000 +10$'
	assert_line -n 2 -e '^ +0 +200000 +65536$'
	assert_line -n 3 allow
}

@test "--setgroups=deny is written before the gid map" {
	require_root
	new_target
	run nsmap --setgroups=deny -g 0:0:1 "$TARGET"
	assert_success
	[ "$(cat "/proc/$TARGET/setgroups")" = deny ]
	[ "$(wc -l <"/proc/$TARGET/gid_map")" -eq 1 ]
}

@test "--show prints KIND INSIDE OUTSIDE COUNT SETGROUPS; it is the default" {
	require_root
	new_target
	nsmap -u 0:1000:10 -g 0:2000:5 "$TARGET"
	run nsmap --show "$TARGET"
	assert_success
	assert_line -n 0 -e '^KIND +INSIDE +OUTSIDE +COUNT +SETGROUPS$'
	assert_line -n 1 -e '^uid +0 +1000 +10 allow$'
	assert_line -n 2 -e '^gid +0 +2000 +5 allow$'
	run nsmap "$TARGET"
	assert_line -n 1 -e '^uid +0 +1000 +10 allow$'
}

@test "-J prints JSON with numbers; -r -n -o KIND,COUNT prints raw fields" {
	require_root
	new_target
	nsmap -u 0:1000:10 -g 0:2000:5 "$TARGET"
	run --separate-stderr nsmap -J "$TARGET"
	assert_success
	[ "$(jq -c '.idmaps[0]' <<<"$output")" = \
		'{"kind":"uid","inside":0,"outside":1000,"count":10,"setgroups":"allow"}' ]
	[ "$(jq '.idmaps | length' <<<"$output")" -eq 2 ]
	run nsmap -rn -o KIND,COUNT "$TARGET"
	assert_success
	assert_output $'uid 10\ngid 5'
}

@test "--show of a map not written yet: a row with empty numbers, so setgroups shows" {
	require_root
	new_target
	run -0 nsmap -rn "$TARGET"
	assert_output $'uid    allow\ngid    allow'
	echo deny >"/proc/$TARGET/setgroups"
	run -0 nsmap -J "$TARGET"
	[ "$(jq -c '.idmaps[1]' <<<"$output")" = \
		'{"kind":"gid","inside":null,"outside":null,"count":null,"setgroups":"deny"}' ]
	nsmap -u 0:1000:2 "$TARGET"
	run -0 nsmap -rn -o KIND,INSIDE,COUNT "$TARGET"
	assert_output $'uid 0 2\ngid  '
}

@test "--uid/--gid translate inside to here, --outside the other way" {
	require_root
	new_target
	nsmap -u 0:100000:1000,1000:5000:10 -g 0:200000:65536 "$TARGET"
	run nsmap --uid=5 "$TARGET"
	assert_success
	assert_output 100005
	run nsmap --uid=1003 "$TARGET"
	assert_output 5003
	run nsmap --gid=7 "$TARGET"
	assert_output 200007
	run nsmap --uid=5009 --outside "$TARGET"
	assert_success
	assert_output 1009
	run nsmap --gid 265535 --outside "$TARGET"
	assert_output 65535
}

@test "an unmapped id is an answer: 'not mapped', status 1, no overflow id" {
	require_root
	new_target
	nsmap -u 0:100000:10 "$TARGET"
	run -1 --separate-stderr nsmap --uid=10 "$TARGET"
	assert_output ""
	[ "$stderr" = "nsmap: uid 10 of the user namespace of PID $TARGET is not mapped" ]
	run -1 --separate-stderr nsmap --uid=0 --outside "$TARGET"
	assert_output ""
	[ "$stderr" = "nsmap: uid 0 is not mapped into the user namespace of PID $TARGET" ]
	run -1 nsmap --gid=0 "$TARGET"
}

@test "--uid/--gid from inside the namespace: a mapped id is itself, both ways" {
	require_userns
	bin=$(nobody_bin)
	# shellcheck disable=SC2016 # $$ is the inner shell's
	run as_nobody "$bin/nsunshare" -U -r sh -c '
		for a in --uid=0 "--uid=0 --outside" --gid=0; do
			"$1/nsmap" $a $$ || echo "rc=$?"
		done
		"$1/nsmap" --uid=7 $$ 2>&1 || echo "rc=$?"' sh "$bin"
	assert_success
	assert_equal "${#lines[@]}" 5
	assert_equal "${lines[*]:0:3}" "0 0 0"
	assert_line -n 3 -e '^nsmap: uid 7 of the user namespace of PID [0-9]+ is not mapped$'
	assert_line -n 4 "rc=1"
}

@test "a map already written: 'already written', not EPERM; nothing changes" {
	require_root
	new_target
	nsmap -u 0:1000:1 "$TARGET"
	before=$(maps_of "$TARGET")
	run -1 nsmap -u 0:2000:1 -g 0:2000:1 "$TARGET"
	assert_output "nsmap: uid map of PID $TARGET is already written"
	[ "$(maps_of "$TARGET")" = "$before" ]
}

@test "--check warns about a range that maps a real account, status 1" {
	require_root
	new_target
	# uid 0 is root on every machine, and root is not the caller here
	# only when we map it for nobody; so check a range around daemon (1).
	run -1 nsmap --check -u 0:1:1 "$TARGET"
	assert_output -p "uid range 1-1 maps the user '$(getent passwd 1 | cut -d: -f1)' (uid 1)"
	run -0 nsmap --check -u 0:3000000000:10 "$TARGET"
	assert_output ""
	# --check writes nothing
	[ -z "$(cat "/proc/$TARGET/uid_map")" ]
}

@test "--check warns about a range another live user namespace maps" {
	require_root
	new_target
	other=$TARGET
	nsmap -u 0:3100000000:100 "$other"
	new_target
	run -1 nsmap --check -u 0:3100000050:10 "$TARGET"
	assert_output "nsmap: uid range 3100000050-3100000059 is also mapped by the user namespace of PID $other"
	nsmap -u 0:3100000050:10 "$TARGET"
	run -1 nsmap --check "$TARGET"
	assert_output -p "also mapped by the user namespace of PID $other"
}

@test "--auto as root maps root's own id to 0" {
	require_root
	new_target
	run nsmap --auto "$TARGET"
	assert_success
	run cat "/proc/$TARGET/uid_map"
	assert_output -e '^ +0 +0 +1$'
}

# ---- unprivileged ----------------------------------------------------------

@test "nobody maps its own uid and gid (setgroups denied for it)" {
	require_userns
	new_target nobody
	run as_nobody nsmap -u 0:65534:1 -g 0:65534:1 "$TARGET"
	assert_success
	run maps_of "$TARGET"
	assert_line -n 0 -e '^ +0 +65534 +1$'
	assert_line -n 1 -e '^ +0 +65534 +1$'
	assert_line -n 2 deny
}

@test "nobody's own gid with --setgroups=allow is refused; nothing written" {
	require_userns
	new_target nobody
	run -1 as_nobody nsmap --setgroups=allow -g 0:65534:1 "$TARGET"
	assert_output "nsmap: --setgroups=allow: a gid map of your own gid alone needs setgroups denied"
	[ -z "$(cat "/proc/$TARGET/gid_map")" ]
	[ "$(cat "/proc/$TARGET/setgroups")" = allow ]
}

@test "nobody cannot map a namespace that belongs to root" {
	require_userns
	new_target
	run -1 as_nobody nsmap -u 0:65534:1 "$TARGET"
	assert_output -p "nsmap: "
	[ -z "$(cat "/proc/$TARGET/uid_map")" ]
}

@test "nobody may not map an id that is not its own nor in /etc/subuid" {
	require_userns
	new_target nobody
	run -1 with_subids "nobody:100000:65536" "nobody:100000:65536" \
		"$(CAPS_NSMAP)" -u 0:65534:1,1:200000:10 "$TARGET"
	assert_output "nsmap: uid range 200000-200009 (inside 1) is neither your own uid nor yours in /etc/subuid"
	[ -z "$(cat "/proc/$TARGET/uid_map")" ]
	[ -z "$(cat "/proc/$TARGET/gid_map")" ]
}

@test "with file capabilities nobody maps its /etc/subuid and /etc/subgid ranges" {
	require_userns
	new_target nobody
	run with_subids "nobody:100000:65536" "65534:300000:1000" \
		"$(CAPS_NSMAP)" -u 0:65534:1,1:100000:65536 \
		-g 0:65534:1,1:300000:1000 "$TARGET"
	assert_success
	run maps_of "$TARGET"
	assert_line -n 0 -e '^ +0 +65534 +1$'
	assert_line -n 1 -e '^ +1 +100000 +65536$'
	assert_line -n 3 -e '^ +1 +300000 +1000$'
	# a subgid range was given: setgroups stays allowed, as newgidmap
	assert_line -n 4 allow
}

@test "--auto as nobody maps its id to 0 and its ranges after it" {
	require_userns
	new_target nobody
	run with_subids $'nobody:100000:1000\nnobody:500000:10' \
		"nobody:300000:1000" "$(CAPS_NSMAP)" --auto "$TARGET"
	assert_success
	run cat "/proc/$TARGET/uid_map"
	assert_line -n 0 -e '^ +0 +65534 +1$'
	assert_line -n 1 -e '^ +1 +100000 +1000$'
	assert_line -n 2 -e '^ +1001 +500000 +10$'
}

@test "without file capabilities a subuid range is refused by the kernel, explained" {
	require_userns
	new_target nobody
	bin=$(nobody_bin)
	run -1 with_subids "nobody:100000:65536" "nobody:100000:65536" \
		"$bin/nsmap" -u 0:100000:10 "$TARGET"
	assert_output -p "need nsmap installed with file capabilities"
	[ -z "$(cat "/proc/$TARGET/uid_map")" ]
}

@test "without file capabilities a refused map is refused before anything is written" {
	require_userns
	new_target nobody
	bin=$(nobody_bin)
	# own uid (allowed alone) with a subgid range: neither map, no setgroups
	run -1 with_subids "nobody:100000:65536" "nobody:100000:65536" \
		"$bin/nsmap" -u 0:65534:1 -g 0:100000:10 "$TARGET"
	assert_output "nsmap: cannot write gid map of PID $TARGET: Operation not permitted (ranges beyond your own id need nsmap installed with file capabilities)"
	run -1 with_subids "nobody:100000:65536" "nobody:100000:65536" \
		"$bin/nsmap" --setgroups=deny -u 0:100000:10 "$TARGET"
	assert_output -p "cannot write uid map of PID $TARGET"
	[ -z "$(cat "/proc/$TARGET/uid_map")" ]
	[ -z "$(cat "/proc/$TARGET/gid_map")" ]
	assert_equal "$(cat "/proc/$TARGET/setgroups")" allow
}

@test "make install-caps: nsmap keeps only CAP_SETUID and CAP_SETGID while running" {
	require_root
	require_userns
	run getcap "$CAPS_ROOT/usr/bin/nsmap"
	assert_output -p "cap_setgid,cap_setuid=ep"
	# A copy given more capabilities than it needs must drop the rest.
	cp "$CAPS_ROOT/usr/bin/nsmap" "$CAPS_ROOT/nsmap-more"
	setcap cap_setuid,cap_setgid,cap_sys_admin,cap_net_admin+ep \
		"$CAPS_ROOT/nsmap-more"
	new_target nobody
	target=$TARGET
	# /etc/subuid is a FIFO: nsmap blocks opening it, after its start-up,
	# and the kernel shows its capability sets meanwhile.
	d=$(mktemp -d "$BATS_TEST_TMPDIR/etc.XXXXXX")
	mkdir "$d/up" "$d/work"
	mkfifo -m 644 "$d/up/subuid"
	echo "nobody:100000:65536" >"$d/up/subgid"
	chmod 644 "$d/up/subgid"
	spawn unshare -m --propagation private sh -c '
		mount -t overlay overlay \
			-o "lowerdir=/etc,upperdir=$1/up,workdir=$1/work" /etc &&
		exec setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
			env -i "$2" -u 0:100000:10 "$3"' sh "$d" \
		"$CAPS_ROOT/nsmap-more" "$target"
	pid=$SPAWNED_PID
	wait_until grep -q '^Name:.*nsmap' "/proc/$pid/status"
	wait_until grep -q '^CapPrm:.*00000000000000c0$' "/proc/$pid/status"
	run grep -E '^Cap(Inh|Prm|Eff|Amb)' "/proc/$pid/status"
	assert_line "CapPrm:	00000000000000c0"
	assert_line "CapInh:	0000000000000000"
	assert_line "CapAmb:	0000000000000000"
	# An overlay FIFO is its own pipe: feed it through the overlay.
	nsenter -t "$pid" -m sh -c 'echo nobody:100000:65536 >/etc/subuid'
	wait "$pid"
	run cat "/proc/$target/uid_map"
	assert_output -e '^ +0 +100000 +10$'
}

@test "a setuid install is refused" {
	require_root
	require_userns
	d=$(mktemp -d /tmp/nstools-nsmap-suid.XXXXXX)
	chmod 755 "$d"
	install -m 4755 "$NSTOOLS_BIN/nsmap" "$d/nsmap"
	new_target nobody
	run -1 as_nobody "$d/nsmap" -u 0:65534:1 "$TARGET"
	rm -rf "$d"
	assert_output "nsmap: refusing to run setuid or setgid: install with file capabilities instead"
	[ -z "$(cat "/proc/$TARGET/uid_map")" ]
}

# ---- bad input -----------------------------------------------------------------

@test "malformed maps: one-line usage error, status 2, nothing written" {
	require_root
	new_target
	for spec in "" "0:1000" "0:1000:1:2" "a:b:c" "0:1000:0" \
		"4294967290:0:10" "0:4294967290:10" "0:1000:1,0:2000:1" \
		"0:1000:10,20:1005:1" "-1:0:1" " 0:0:1" "0:0:1," "0:0:99999999999"; do
		run -2 --separate-stderr nsmap -u "$spec" "$TARGET"
		[ "${#lines[@]}" -eq 0 ]
		[[ "$stderr" == "nsmap: invalid uid map: '$spec': "* ]] ||
			{ echo "spec '$spec': $stderr"; false; }
	done
	[ -z "$(cat "/proc/$TARGET/uid_map")" ]
}

@test "341 ranges are refused before writing: the kernel accepts 340" {
	require_root
	new_target
	spec=$(seq 0 340 | awk '{printf "%s%d:%d:1", (NR > 1 ? "," : ""), $1, $1 + 1000}')
	run -2 nsmap -u "$spec" "$TARGET"
	assert_output -p "too many ranges (the kernel accepts 340)"
	spec=$(seq 0 339 | awk '{printf "%s%d:%d:1", (NR > 1 ? "," : ""), $1, $1 + 1000}')
	run -0 nsmap -u "$spec" "$TARGET"
	[ "$(wc -l <"/proc/$TARGET/uid_map")" -eq 340 ]
}

@test "bad PIDs and options: message, status 1 or 2" {
	require_root
	run -2 nsmap
	assert_line -n 0 "nsmap: no PID given"
	assert_line -n 1 "Try 'nsmap --help' for more information."
	run -2 nsmap abc
	assert_line -n 0 "nsmap: invalid PID: 'abc'"
	run -2 nsmap 0
	run -2 nsmap 12x
	run -2 nsmap 1 2
	assert_line -n 0 "nsmap: unexpected argument '2' (a map is -u INSIDE:OUTSIDE:COUNT PID, or -u PID INSIDE OUTSIDE COUNT in newuidmap's order)"
	run -2 nsmap --bogus 1
	assert_line -n 1 "Try 'nsmap --help' for more information."
	run -2 nsmap --setgroups=maybe 1
	assert_line -n 0 "nsmap: invalid --setgroups value (allow or deny): 'maybe'"
	run -2 nsmap --uid=x 1
	assert_line -n 0 "nsmap: invalid uid: 'x'"
	run -2 nsmap --gid=x 1
	assert_line -n 0 "nsmap: invalid gid: 'x'"
	run -2 nsmap --uid=4294967295 1
	run -2 nsmap --outside 1
	assert_line -n 0 "nsmap: --outside needs --uid or --gid"
	run -2 nsmap --auto -u 0:0:1 1
	assert_line -n 0 "nsmap: --auto and --map-uid/--map-gid are mutually exclusive"
	run -2 nsmap --show -u 0:0:1 1
	assert_line -n 0 "nsmap: --show and --map-uid/--map-gid are mutually exclusive"
	run -2 nsmap --uid=0 --check 1
	assert_line -n 0 "nsmap: --uid/--gid and --check are mutually exclusive"
	run -2 nsmap --check -s deny 1
	assert_line -n 0 "nsmap: --check and --setgroups are mutually exclusive"
	run -2 nsmap -J -r 1
	run -2 nsmap -o BOGUS 1
	assert_line -n 0 "nsmap: unknown column: BOGUS"
	pid=$(dead_pid)
	run -1 nsmap "$pid"
	assert_output "nsmap: cannot open PID $pid: No such process"
	run -1 nsmap -u 0:0:1 "$pid"
	assert_output "nsmap: cannot open PID $pid: No such process"
}

@test "--help fits 80 columns and matches the man page synopsis; -V" {
	run -0 nsmap --help
	assert_line -n 0 "Usage:"
	[ -z "$(awk 'length > 80' <<<"$output")" ]
	run -0 nsmap -V
	assert_output -e '^nsmap from nstools [0-9]'
	run -0 nsmap -H
	assert_line -p SETGROUPS
}

# ---- differential: newuidmap / newgidmap -----------------------------------------

# to_args "0:1:2,3:4:5" -> "0 1 2 3 4 5"
to_args() {
	tr ',:' '  ' <<<"$1"
}

@test "same accept/refuse and same map as newuidmap/newgidmap, as nobody" {
	require_userns
	command -v newuidmap >/dev/null || skip "newuidmap is not installed"
	many=$(seq 0 340 | awk '{printf "%s%d:%d:1", (NR > 1 ? "," : ""), $1, $1 + 100000}')
	# request | kind
	local -a requests=(
		"0:65534:1|u" "0:100000:10|u" "0:65534:1,1:100000:65536|u"
		"0:100000:70000|u" "0:100000:10,5:100020:10|u" "$many|u"
		"0:100000:0|u" "0:4294967290:10|u" "0:200000:1|u"
		"0:65534:1|g" "0:300000:100|g" "0:300000:2000|g"
		"0:65534:1,1:300000:10|g"
	)
	for req in "${requests[@]}"; do
		spec=${req%|*} kind=${req#*|}
		peer=newuidmap file=uid_map opt=-u
		[ "$kind" = g ] && peer=newgidmap file=gid_map opt=-g
		new_target nobody
		ours=$TARGET
		new_target nobody
		theirs=$TARGET
		# shellcheck disable=SC2046
		with_subids "nobody:100000:65536" "nobody:300000:1000" \
			"$(CAPS_NSMAP)" "$opt" "$spec" "$ours" 2>/dev/null &&
			a=ok || a=refused
		# shellcheck disable=SC2046
		with_subids "nobody:100000:65536" "nobody:300000:1000" \
			"$peer" "$theirs" $(to_args "$spec") 2>/dev/null &&
			b=ok || b=refused
		[ "$a" = "$b" ] ||
			{ echo "$peer $spec: nsmap $a, $peer $b"; false; }
		[ "$(cat "/proc/$ours/$file")" = "$(cat "/proc/$theirs/$file")" ] ||
			{ echo "$peer $spec: maps differ"; false; }
		[ "$(cat "/proc/$ours/setgroups")" = "$(cat "/proc/$theirs/setgroups")" ] ||
			{ echo "$peer $spec: setgroups differ"; false; }
	done
	# a target owned by someone else (root): both refuse
	new_target
	run -1 with_subids "nobody:100000:65536" "" "$(CAPS_NSMAP)" \
		-u 0:65534:1 "$TARGET"
	run -1 with_subids "nobody:100000:65536" "" newuidmap "$TARGET" 0 65534 1
	[ -z "$(cat "/proc/$TARGET/uid_map")" ]
}

# ---- shadow's policy, with private /etc/passwd, group, login.defs --------------

# private_etc: copies of /etc/passwd, /etc/group and /etc/login.defs and
# empty /etc/subuid and /etc/subgid in $ETC/up, for in_etc (the machine's
# files are never touched); tests append their users and lines there.
private_etc() {
	ETC=$(mktemp -d "$BATS_TEST_TMPDIR/etc.XXXXXX")
	mkdir "$ETC/up" "$ETC/work"
	cp /etc/passwd /etc/group "$ETC/up/"
	if [ -f /etc/login.defs ]; then
		cp /etc/login.defs "$ETC/up/"
	else
		: >"$ETC/up/login.defs"
	fi
	: >"$ETC/up/subuid"
	: >"$ETC/up/subgid"
	chmod 755 "$ETC"
	chmod 644 "$ETC"/up/*
}

# in_etc UID GID CMD...: CMD as UID:GID (no supplementary groups, empty
# environment) in a private mount namespace whose /etc shows $ETC/up.
in_etc() {
	local uid=$1 gid=$2
	shift 2
	# shellcheck disable=SC2016 # expanded by the inner sh
	unshare -m --propagation private sh -c '
		mount -t overlay overlay \
			-o "lowerdir=/etc,upperdir=$1/up,workdir=$1/work" /etc &&
		shift && exec "$@"' sh "$ETC" \
		setpriv --reuid="$uid" --regid="$gid" --clear-groups -- \
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C "$@"
}

# target_as UID GID: a process of UID:GID in a new, unmapped user
# namespace: TARGET.
# (Its output goes nowhere: under `run`, a sleep holding the captured
# stdout would keep the test waiting.)
target_as() {
	spawn setpriv --reuid="$1" --regid="$2" --clear-groups -- \
		unshare -U sleep 1000 >/dev/null 2>&1
	TARGET=$SPAWNED_PID
	wait_until in_own_userns "$TARGET"
}

# peer_agrees UID GID u|g SPEC: nsmap (with file capabilities) and
# newuidmap/newgidmap, run as UID:GID on two fresh targets of that user,
# both accept or both refuse, and leave the same map and setgroups.
# Prints "ok" or "refused".
peer_agrees() {
	local uid=$1 gid=$2 kind=$3 spec=$4 ours theirs a b peer=newuidmap
	local file=uid_map
	[ "$kind" = g ] && peer=newgidmap file=gid_map
	target_as "$uid" "$gid"
	ours=$TARGET
	target_as "$uid" "$gid"
	theirs=$TARGET
	in_etc "$uid" "$gid" "$(CAPS_NSMAP)" "-$kind" "$spec" "$ours" \
		>"$BATS_TEST_TMPDIR/nsmap.err" 2>&1 && a=ok || a=refused
	# shellcheck disable=SC2046 # the ranges as separate words
	in_etc "$uid" "$gid" "$peer" "$theirs" $(tr ',:' '  ' <<<"$spec") \
		>"$BATS_TEST_TMPDIR/peer.err" 2>&1 && b=ok || b=refused
	if [ "$a" != "$b" ] ||
		[ "$(cat "/proc/$ours/$file")" != "$(cat "/proc/$theirs/$file")" ] ||
		[ "$(cat "/proc/$ours/setgroups")" != "$(cat "/proc/$theirs/setgroups")" ]; then
		echo "$uid:$gid -$kind $spec: nsmap $a, $peer $b" >&2
		cat "$BATS_TEST_TMPDIR/nsmap.err" "$BATS_TEST_TMPDIR/peer.err" >&2
		return 1
	fi
	echo "$a"
}

@test "a numeric /etc/subgid owner is a uid: user A (gid 1014) gets nothing of uid 1014's line" {
	require_root
	require_userns
	private_etc
	# The issue's reproduction: A's primary gid is 1014, B's uid is 1014.
	echo "nstA:x:41013:1014::/:/bin/sh" >>"$ETC/up/passwd"
	echo "nstB:x:1014:41014::/:/bin/sh" >>"$ETC/up/passwd"
	echo "nstgA:x:1014:" >>"$ETC/up/group"
	echo "nstgB:x:41014:" >>"$ETC/up/group"
	echo "1014:800000:10" >"$ETC/up/subgid"
	target_as 41013 1014
	run -1 in_etc 41013 1014 "$(CAPS_NSMAP)" -g 0:1014:1,1:800000:10 "$TARGET"
	assert_output "nsmap: gid range 800000-800009 (inside 1) is neither your own gid nor yours in /etc/subgid"
	[ -z "$(cat "/proc/$TARGET/gid_map")" ]
	assert_equal "$(cat "/proc/$TARGET/setgroups")" allow
	# --auto maps A's own gid alone
	run -0 in_etc 41013 1014 "$(CAPS_NSMAP)" --auto "$TARGET"
	run cat "/proc/$TARGET/gid_map"
	assert_output -e '^ +0 +1014 +1$'
	# newgidmap refuses A too; B, whose uid the line names, gets it.
	run -0 peer_agrees 41013 1014 g 0:1014:1,1:800000:10
	assert_output refused
	run -0 peer_agrees 1014 41014 g 0:41014:1,1:800000:10
	assert_output ok
}

@test "subid owners compared as shadow does: '01003' is a name, not uid 1003; aliases; uid text" {
	require_root
	require_userns
	private_etc
	{
		echo "nstC:x:1003:41015::/:/bin/sh"
		echo "01003:x:41016:41015::/:/bin/sh"
		echo "nstalias:x:41016:41015::/:/bin/sh"
	} >>"$ETC/up/passwd"
	echo "nstgC:x:41015:" >>"$ETC/up/group"
	printf '%s\n' "01003:700000:10" "nstalias:710000:10" "41016:720000:10" \
		" nstC:730000:10" "nstC:0740000:10" "nstC:0x12345:10" \
		>"$ETC/up/subuid"
	# uid 1003 does not own "01003"; a user called 01003 (uid 41016) does
	run -0 peer_agrees 1003 41015 u 0:1003:1,1:700000:10
	assert_output refused
	run -0 peer_agrees 41016 41015 u 0:41016:1,1:700000:10
	assert_output ok
	# another name of the same uid, and the uid as text
	run -0 peer_agrees 41016 41015 u 0:710000:10
	assert_output ok
	run -0 peer_agrees 41016 41015 u 0:720000:10,10:700000:10
	assert_output ok
	# " nstC" is nobody's name
	run -0 peer_agrees 1003 41015 u 0:730000:10
	assert_output refused
	# shadow reads 0740000 as octal (245760) and 0x12345 as hex; nsmap
	# reads neither, never a different range than shadow does
	target_as 1003 41015
	run -1 in_etc 1003 41015 "$(CAPS_NSMAP)" -u 0:740000:10 "$TARGET"
	assert_output "nsmap: uid range 740000-740009 (inside 0) is neither your own uid nor yours in /etc/subuid"
	run -1 in_etc 1003 41015 "$(CAPS_NSMAP)" -u 0:245760:10 "$TARGET"
	[ -z "$(cat "/proc/$TARGET/uid_map")" ]
}

@test "GRANT_AUX_GROUP_SUBIDS: a real gid other than the primary group only with it, as newgidmap" {
	require_root
	require_userns
	private_etc
	echo "nstD:x:41013:41014::/:/bin/sh" >>"$ETC/up/passwd"
	echo "nstgD:x:41014:" >>"$ETC/up/group"
	echo "nstgaux:x:41015:nstD" >>"$ETC/up/group"
	echo "nstD:800000:10" >"$ETC/up/subgid"
	sed -i '/GRANT_AUX_GROUP_SUBIDS/d' "$ETC/up/login.defs"
	target_as 41013 41015
	run -1 in_etc 41013 41015 "$(CAPS_NSMAP)" -g 0:41015:1 "$TARGET"
	assert_output "nsmap: your gid 41015 is not the primary group 41014 of user 'nstD' (only with GRANT_AUX_GROUP_SUBIDS yes in /etc/login.defs)"
	[ -z "$(cat "/proc/$TARGET/gid_map")" ]
	run -0 peer_agrees 41013 41015 g 0:41015:1
	assert_output refused
	run -0 peer_agrees 41013 41015 u 0:41013:1
	assert_output refused
	echo 'GRANT_AUX_GROUP_SUBIDS  "Yes"' >>"$ETC/up/login.defs"
	run -0 peer_agrees 41013 41015 g 0:41015:1
	assert_output ok
	run -0 peer_agrees 41013 41015 g 0:41015:1,1:800000:10
	assert_output ok
	run -0 peer_agrees 41013 41015 g 0:41014:1
	assert_output refused
	# the last line naming the item wins
	echo 'GRANT_AUX_GROUP_SUBIDS no' >>"$ETC/up/login.defs"
	run -0 peer_agrees 41013 41015 g 0:41015:1
	assert_output refused
}

@test "a caller without a passwd entry is refused, as newuidmap: 'cannot determine your user name'" {
	require_root
	require_userns
	private_etc
	echo "45678:100000:10" >"$ETC/up/subuid"
	target_as 45678 45678
	run -1 in_etc 45678 45678 "$(CAPS_NSMAP)" -u 0:45678:1 "$TARGET"
	assert_output "nsmap: cannot determine your user name: uid 45678 has no entry in the passwd database"
	run -1 in_etc 45678 45678 "$(CAPS_NSMAP)" -u 0:100000:10 "$TARGET"
	assert_output "nsmap: cannot determine your user name: uid 45678 has no entry in the passwd database"
	[ -z "$(cat "/proc/$TARGET/uid_map")" ]
	run -0 peer_agrees 45678 45678 u 0:100000:10
	assert_output refused
}

@test "a target running as another gid is refused, as newuidmap" {
	require_root
	require_userns
	private_etc
	echo "nstE:x:41013:41014::/:/bin/sh" >>"$ETC/up/passwd"
	echo "nstE:100000:10" >"$ETC/up/subuid"
	target_as 41013 41015
	run -1 in_etc 41013 41014 "$(CAPS_NSMAP)" -u 0:100000:10 "$TARGET"
	assert_output "nsmap: PID $TARGET runs as uid 41013 gid 41015, not as you (uid 41013 gid 41014)"
	[ -z "$(cat "/proc/$TARGET/uid_map")" ]
	run -1 in_etc 41013 41014 newuidmap "$TARGET" 0 100000 10
	[ -z "$(cat "/proc/$TARGET/uid_map")" ]
}

# ---- a privileged process the caller cannot look into ------------------------

@test "nsmap with file capabilities is not dumpable: its /proc/PID is root's, environ unreadable" {
	require_root
	require_userns
	new_target nobody
	target=$TARGET
	# /etc/subuid is a FIFO: nsmap blocks opening it, mid-run, holding
	# its capabilities (root's file; only root feeds it).
	d=$(mktemp -d "$BATS_TEST_TMPDIR/etc.XXXXXX")
	mkdir "$d/up" "$d/work"
	mkfifo -m 644 "$d/up/subuid"
	echo "nobody:100000:65536" >"$d/up/subgid"
	chmod 644 "$d/up/subgid"
	# shellcheck disable=SC2016 # expanded by the inner sh
	spawn unshare -m --propagation private sh -c '
		mount -t overlay overlay \
			-o "lowerdir=/etc,upperdir=$1/up,workdir=$1/work" /etc &&
		exec setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
			env -i SECRET=caller-env "$2" -u 0:100000:10 "$3"' sh "$d" \
		"$(CAPS_NSMAP)" "$target"
	pid=$SPAWNED_PID
	wait_until grep -q '^Name:.*nsmap' "/proc/$pid/status"
	wait_until grep -q '^CapPrm:.*00000000000000c0$' "/proc/$pid/status"
	# (/proc/PID itself keeps the euid owner: its files tell dumpability)
	assert_equal "$(stat -c %u:%g "/proc/$pid/environ")" 0:0
	run -1 setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
		cat "/proc/$pid/environ"
	assert_output -p "Permission denied"
	nsenter -t "$pid" -m sh -c 'echo nobody:100000:65536 >/etc/subuid'
	wait "$pid"
	run cat "/proc/$target/uid_map"
	assert_output -e '^ +0 +100000 +10$'
}

@test "/proc/PID with another process mounted over it is refused; nothing written to either" {
	require_root
	new_target
	victim=$TARGET
	new_target
	other=$TARGET
	run -1 unshare -m --propagation private sh -c '
		mount --bind "/proc/$2" "/proc/$1" && exec "$3" -u 0:100000:1 "$1"' \
		sh "$victim" "$other" "$NSTOOLS_BIN/nsmap"
	assert_output "nsmap: cannot trust /proc/$victim: a mount covers it"
	[ -z "$(cat "/proc/$victim/uid_map")" ]
	[ -z "$(cat "/proc/$other/uid_map")" ]
	run -1 unshare -m --propagation private sh -c '
		mount -t tmpfs none /proc && exec "$2" "$1"' \
		sh "$victim" "$NSTOOLS_BIN/nsmap"
	# (a SANITIZE=1 build adds warnings: its runtime reads this /proc too)
	assert_line "nsmap: cannot trust /proc: it is not the procfs of our PID namespace"
}

@test "a /proc of another pid namespace is refused" {
	require_root
	spawn unshare -p -f --mount-proc sleep 1000
	kid=$(first_child "$SPAWNED_PID")
	# our pid 1 is not the pid 1 that procfs shows
	run -1 nsenter -t "$kid" -m "$NSTOOLS_BIN/nsmap" 1
	# (a SANITIZE=1 build adds warnings: its runtime reads this /proc too)
	assert_line "nsmap: cannot trust /proc: it is not the procfs of our PID namespace"
}

# ---- the kernel's rules, checked for both maps before either is written ------

@test "a gid map of 4096 bytes or more is refused before the uid map is written" {
	require_root
	new_target
	# 330 ranges, under the 340-line limit, 4510 bytes as the kernel reads them
	spec=$(seq 0 329 | awk '{printf "%s%d:%d:1", (NR > 1 ? "," : ""), $1, 1000000 + $1 * 2}')
	run -1 nsmap -u 0:100000:1 -g "$spec" "$TARGET"
	assert_output "nsmap: the gid map is 4510 bytes as written to the kernel, which takes less than 4096; nothing written"
	[ -z "$(cat "/proc/$TARGET/uid_map")" ]
	[ -z "$(cat "/proc/$TARGET/gid_map")" ]
	assert_equal "$(cat "/proc/$TARGET/setgroups")" allow
	# the kernel agrees: the same text in one write is refused
	run -1 sh -c 'printf "%s" "$1" >"/proc/$2/gid_map"' sh \
		"$(tr ',:' '\n ' <<<"$spec")" "$TARGET"
	# 290 such ranges (3930 bytes) are written
	spec=$(seq 0 289 | awk '{printf "%s%d:%d:1", (NR > 1 ? "," : ""), $1, 1000000 + $1 * 2}')
	run -0 nsmap -u 0:100000:1 -g "$spec" "$TARGET"
	[ "$(wc -l <"/proc/$TARGET/gid_map")" -eq 290 ]
}

@test "a range the writer's own namespace does not map is refused before anything is written" {
	require_userns
	bin=$(nobody_bin)
	# As root of a namespace that maps only nobody: a child namespace's
	# gid 1 would be refused by the kernel after the uid map.
	# shellcheck disable=SC2016 # expanded by the inner sh
	run as_nobody "$bin/nsunshare" -U -r sh -c '
		unshare -U sleep 1000 & kid=$!
		while [ "$(readlink /proc/$kid/ns/user)" = "$(readlink /proc/self/ns/user)" ]; do sleep 0.05; done
		"$1/nsmap" -u 0:0:1 -g 0:0:1,1:1:1 $kid; echo "rc=$?"
		echo "uid_map=$(cat /proc/$kid/uid_map) gid_map=$(cat /proc/$kid/gid_map)"
		"$1/nsmap" -u 0:0:1 -g 0:0:1 $kid; echo "rc=$?"
		cat /proc/$kid/uid_map /proc/$kid/gid_map
		kill $kid' sh "$bin"
	assert_line -n 0 "nsmap: gid range 1-1 is not within one range mapped in your own user namespace; nothing written"
	assert_line -n 1 "rc=1"
	assert_line -n 2 "uid_map= gid_map="
	assert_line -n 3 "rc=0"
	assert_line -n 4 -e '^ +0 +0 +1$'
	assert_line -n 5 -e '^ +0 +0 +1$'
}

@test "setgroups the kernel will refuse is refused before anything is written" {
	require_root
	new_target
	echo deny >"/proc/$TARGET/setgroups"
	run -1 nsmap -u 0:100000:1 --setgroups=allow -g 0:100000:1 "$TARGET"
	assert_output "nsmap: setgroups of PID $TARGET is already deny, and the kernel never allows it again"
	[ -z "$(cat "/proc/$TARGET/uid_map")" ]
	new_target
	nsmap -g 0:100000:1 "$TARGET"
	run -1 nsmap -s deny -u 0:100000:1 "$TARGET"
	assert_output "nsmap: cannot deny setgroups of PID $TARGET: its gid map is already written"
	[ -z "$(cat "/proc/$TARGET/uid_map")" ]
}

# ---- newuidmap's order, and -s ------------------------------------------------

@test "-u PID INSIDE OUTSIDE COUNT...: newuidmap's own arguments write the same map" {
	require_root
	new_target
	run -0 nsmap -u "$TARGET" 0 100000 1000 1000 5000 10
	run -0 nsmap -g "$TARGET" 0 200000 5 -s deny
	run maps_of "$TARGET"
	assert_line -n 0 -e '^ +0 +100000 +1000$'
	assert_line -n 1 -e '^ +1000 +5000 +10$'
	assert_line -n 2 -e '^ +0 +200000 +5$'
	assert_line -n 3 deny
	run -2 nsmap -u "$TARGET" 0 100000
	assert_line -n 0 "nsmap: -u PID takes INSIDE OUTSIDE COUNT, three numbers a range (2 given)"
	run -2 nsmap -g "$TARGET"
	assert_line -n 0 "nsmap: -g PID takes INSIDE OUTSIDE COUNT, three numbers a range (0 given)"
	run -2 nsmap -u "$TARGET" 0 x 1
	assert_line -n 0 "nsmap: invalid uid map: 'x': not a number"
	run -2 nsmap -u "$TARGET" 0 1 1 -g "$TARGET" 0 1 1
	assert_line -n 0 "nsmap: -g PID: newuidmap's order takes one map a run (already -u PID)"
	run -2 nsmap -u "$TARGET" 0 1 10 5 2 1
	assert_line -n 0 "nsmap: invalid uid map: '5 2 1': ranges overlap inside the namespace"
	run -2 nsmap --check -u "$TARGET" 0 1 1
	assert_line -n 0 "nsmap: -u PID INSIDE OUTSIDE COUNT and --check are mutually exclusive"
	run -2 nsmap "$TARGET" 0 1000 1
	assert_line -n 0 "nsmap: unexpected argument '0' (a map is -u INSIDE:OUTSIDE:COUNT PID, or -u PID INSIDE OUTSIDE COUNT in newuidmap's order)"
	[ "$(wc -l <"/proc/$TARGET/uid_map")" -eq 2 ]
}

@test "newuidmap's arguments to nsmap -u/-g give what newuidmap/newgidmap give, as nobody" {
	require_userns
	command -v newuidmap >/dev/null || skip "newuidmap is not installed"
	for args in "u 0 65534 1 1 100000 10" "g 0 65534 1" "g 0 300000 10" \
		"u 0 200000 1"; do
		set -- $args
		kind=$1
		shift
		new_target nobody
		ours=$TARGET
		new_target nobody
		theirs=$TARGET
		with_subids "nobody:100000:65536" "nobody:300000:1000" \
			"$(CAPS_NSMAP)" "-$kind" "$ours" "$@" 2>/dev/null &&
			a=ok || a=refused
		with_subids "nobody:100000:65536" "nobody:300000:1000" \
			"new${kind}idmap" "$theirs" "$@" 2>/dev/null && b=ok || b=refused
		[ "$a" = "$b" ] || { echo "$args: nsmap $a, peer $b"; false; }
		[ "$(maps_of "$ours")" = "$(maps_of "$theirs")" ] ||
			{ echo "$args: maps differ"; false; }
	done
}

@test "-s is --setgroups, as in nsunshare; an old '-s PID' still shows, with a note" {
	require_root
	new_target
	run -0 nsmap -s deny -g 0:100000:1 "$TARGET"
	assert_equal "$(cat "/proc/$TARGET/setgroups")" deny
	run -0 --separate-stderr nsmap -s -rn -o KIND,SETGROUPS "$TARGET"
	assert_output $'uid deny\ngid deny'
	assert_equal "$stderr" "nsmap: -s without allow or deny is read as --show; use --show (-s means --setgroups now)"
	run -0 --separate-stderr nsmap -rns "$TARGET"
	assert_line -n 0 -e '^uid +deny$'
	run -2 nsmap -sJ "$TARGET"
	assert_line -n 0 "nsmap: invalid -s value (allow or deny): 'J' (--show has no short option now)"
	run -0 nsmap --show -rn "$TARGET"
	run -2 nsmap --setgroups maybe "$TARGET"
	assert_line -n 0 "nsmap: invalid --setgroups value (allow or deny): 'maybe'"
}

@test "nsmap's and idmap.c's messages stand on one line in the source, in the suite's wording" {
	local src=$BATS_TEST_DIRNAME/.. f
	for f in "$src/cmd/nsmap.c" "$src/common/idmap.c"; do
		# A string literal continued on the next line, other than a
		# --help line ending in \n, hides its message from grep -rn.
		run -1 awk 'p ~ /[^n]"$/ && /^[ \t]*"/ { print FNR": "$0; f = 1 }
			{ p = $0 } END { exit !f }' "$f"
		run -1 grep -nE "exclude (each|one) other|conflict|cannot allocate memory|invalid PID '|\"(fork|asprintf|malloc|strdup)\"" "$f"
	done
}

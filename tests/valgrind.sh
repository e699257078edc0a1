#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The paths of the nstools programs that end without exec'ing a command,
# each run once under valgrind (memcheck): listings in every output mode,
# map writes, names made and removed, and the error paths, down to those of
# nsunshare and nsjoin that fail before (or at) the exec.  A row passes when
# the program ends with the status it documents for that case and valgrind
# reports no error and no definite leak.  Run as root (make check-valgrind):
# it writes maps and makes names, in a private mount namespace and a
# temporary --dir, so nothing of it outlives the run.
#
# Valgrind 3.19 does not know listmount/statmount (6.8): they fail with
# ENOSYS under it and nsls takes its /proc path; the sanitizer build of
# `make check SANITIZE=1` covers the other.  Its notes on that are dropped.
set -u

bin=${NSTOOLS_BIN:?set NSTOOLS_BIN to the directory of the programs}
[ "$(id -u)" -eq 0 ] || { echo "valgrind.sh: run as root" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "valgrind.sh: no valgrind" >&2; exit 1; }

# Everything below in a mount namespace of its own, so that the self-bind
# netnslink makes of its --dir and the names' bind mounts go with it; the
# temporary directory is removed outside, after they are gone.
if [ -z "${NSTOOLS_VG_TMP:-}" ]; then
	tmp=$(mktemp -d /tmp/nstools-valgrind.XXXXXX) || exit 1
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 1' INT TERM
	NSTOOLS_VG_TMP=$tmp unshare -m --propagation private bash "$0" "$@"
	exit
fi
tmp=$NSTOOLS_VG_TMP
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
}
trap cleanup EXIT
trap 'exit 1' INT TERM

VALGRIND=(valgrind -q --error-exitcode=99 --leak-check=full
	--errors-for-leak-kinds=definite --show-leak-kinds=definite
	--track-origins=yes --child-silent-after-fork=no --vgdb=no
	--suppressions="$(dirname "$0")/valgrind.supp")
# valgrind's own notes, not findings in our code
NOISE='unhandled amd64-linux syscall|You may be able to write your own|README_MISSING_SYSCALL_OR_IOCTL|Nevertheless we consider this a bug|valgrind.org/support/bug_reports|noted but unhandled ioctl|set address range perms: large range|This could cause spurious value errors|See README_MISSING|^==[0-9]+== *$|^--[0-9]+-- *$'

runs=0 failed=0

# vg STATUS PROG ARG...: PROG under valgrind must end with STATUS, no report.
vg() {
	local want=$1 prog=$2 rc report
	shift 2
	runs=$((runs + 1))
	rm -f "$tmp"/vg.log.*
	"${VALGRIND[@]}" --log-file="$tmp/vg.log.%p" "$bin/$prog" "$@" \
		>"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	report=$(cat "$tmp"/vg.log.* 2>/dev/null | grep -vE "$NOISE")
	if [ "$rc" -ne "$want" ] || [ -n "$report" ]; then
		failed=$((failed + 1))
		printf 'FAIL: %s %s: status %d (want %d)\n' "$prog" "$*" \
			"$rc" "$want"
		[ -n "$report" ] && printf '%s\n' "$report"
		sed 's/^/  stderr: /' "$tmp/err" | head -5
	fi
}

# A process in a new user namespace with no maps yet, for nsmap to write.
new_userns() {
	unshare -U sleep 600 &
	pids+=("$!")
	NEW_PID=$!
	# the map files exist once unshare has made the namespace
	while [ "$(readlink "/proc/$NEW_PID/ns/user")" = \
		"$(readlink /proc/self/ns/user)" ]; do
		sleep 0.05
	done
}

dead=$(sh -c 'echo $$')
while kill -0 "$dead" 2>/dev/null; do dead=$((dead + 1)); done

# ---- nsls: every output mode, a bound namespace, errors --------------------
sleep 600 &
pids+=("$!")
self_net=$(stat -L -c %i /proc/self/ns/net)
touch "$tmp/netfile"
unshare --net="$tmp/netfile" true
for args in "" "-l" "-J" "-r" "-n" "-J -l" "-r -l -n" "--output-all" \
	"-o NS,TYPE,PATH,NPROCS,PID,PPID,COMMAND,UID,USER" \
	"-o +NETNSID,NSFS,PNS,ONS,NAME,HOLDERS" "-t net" "-t user -Towner" \
	"-t pid --tree=parent" "--tree=process" "-T" "-P" "-P -J --output-all" \
	"-p $$" "-p $$ -J" "$self_net" "-u -W -l" "-H" "-H -J" "-V" "-h"; do
	# shellcheck disable=SC2086 # the options are words on purpose
	vg 0 nsls $args
done
for t in mnt uts ipc net pid user cgroup time; do
	vg 0 nsls -l -t "$t" --output-all
done
vg 2 nsls -t bogus
vg 2 nsls -o BOGUS
vg 2 nsls -o NS,,TYPE
vg 2 nsls -p abc
vg 2 nsls 12x
vg 2 nsls -l -T
vg 2 nsls --bogus
vg 1 nsls -p "$dead"
umount "$tmp/netfile"

# ---- nsmap: write, show, translate, check, errors --------------------------
new_userns
target=$NEW_PID
vg 0 nsmap -u 0:100000:65536 -g 0:100000:65536 "$target"
for args in "" "-J" "-r -n" "-o KIND,COUNT" "--output-all" "-s -J" \
	"--uid=5" "--gid=5" "--uid=100005 --outside" "--check -u 0:0:1" \
	"-H" "-h" "-V"; do
	# shellcheck disable=SC2086
	vg 0 nsmap $args "$target"
done
new_userns
vg 0 nsmap --setgroups=deny -u 0:200000:10 "$NEW_PID"
vg 0 nsmap -J "$NEW_PID"
vg 1 nsmap --gid=70000 "$target"
vg 1 nsmap --uid=7 --outside "$target"
vg 1 nsmap -u 0:1:1 "$target"
vg 1 nsmap -u 0:0:1 $$
vg 1 nsmap "$dead"
vg 2 nsmap -u 0:1 "$target"
vg 2 nsmap -u 0:1:0 "$target"
vg 2 nsmap -u 0:1:5,2:1:1 "$target"
vg 2 nsmap --uid=abc "$target"
vg 2 nsmap -o BOGUS "$target"
vg 2 nsmap --setgroups=maybe "$target"
vg 2 nsmap abc
vg 2 nsmap
vg 2 nsmap --bogus

# ---- netnslink: link, list, identify, delete in a temporary --dir ----------
dir=$tmp/netns
mkdir "$dir"
sleep 600 &
pids+=("$!")
holder=$!
vg 0 netnslink --dir "$dir" "$holder" web
vg 0 netnslink --dir "$dir" --symlink "$holder" sym
vg 0 netnslink --dir "$dir" --new lab
vg 0 netnslink --dir "$dir" --new --loopback lab2
vg 0 netnslink --dir "$dir" -f "$holder" lab2
for args in "" "-l" "-J" "-r" "-n" "-o NAME,NS" "--output-all" "-J -o +PIDS" \
	"-i $holder" "--pids web" "-H" "-h" "-V"; do
	# shellcheck disable=SC2086
	vg 0 netnslink --dir "$dir" $args
done
vg 1 netnslink --dir "$dir" "$holder" web
vg 1 netnslink --dir "$dir" "$dead" gone
vg 1 netnslink --dir "$dir" -d nosuchname
vg 1 netnslink --dir "$tmp/netfile/dir" "$holder" x
vg 2 netnslink --dir "$dir" "$holder" a/b
vg 2 netnslink --dir "$dir" "$holder" ..
vg 2 netnslink --dir "$dir" "$holder" ""
vg 2 netnslink --dir "$dir" abc x
vg 2 netnslink --dir "$dir" -o BOGUS
vg 2 netnslink --dir "$dir" --bogus
vg 0 netnslink --dir "$dir" -d web sym lab lab2
vg 0 netnslink --dir "$dir"

# ---- nsunshare and nsjoin: what fails before the exec ----------------------
vg 0 nsunshare -h
vg 0 nsunshare -V
vg 125 nsunshare -Q
vg 125 nsunshare --kill-child=BOGUS true
vg 125 nsunshare -S nosuchuser-nstools true
vg 125 nsunshare -G nosuchgroup-nstools true
vg 125 nsunshare --monotonic=5 true
vg 125 nsunshare -T --monotonic=abc true
vg 125 nsunshare --map-users=1:2 -U true
vg 125 nsunshare --propagation=sideways -m true
vg 125 nsunshare --setgroups=maybe -U true
vg 125 nsunshare --info-fd=abc true
vg 125 nsunshare --net="$tmp/missing/x" true
vg 125 nsunshare -R "$tmp/missing" true
vg 125 nsunshare -w "$tmp/missing" true
vg 127 nsunshare "$tmp/missing"
vg 127 nsunshare -f "$tmp/missing"
vg 126 nsunshare -f /etc/passwd
vg 0 nsjoin -h
vg 0 nsjoin -V
vg 125 nsjoin -Z
vg 125 nsjoin -t abc -n true
vg 125 nsjoin -t 0 -n true
vg 125 nsjoin -t "$dead" -n true
vg 125 nsjoin -n true
vg 125 nsjoin --net="$tmp/missing" true
vg 125 nsjoin --net=/etc/passwd true
vg 125 nsjoin -n"nst-valgrind-$$-none" true
vg 125 nsjoin -t $$ -N abc true
vg 125 nsjoin -t $$ -S nosuchuser-nstools -n true
vg 127 nsjoin -t $$ -n "$tmp/missing"
vg 126 nsjoin -t $$ -n -F /etc/passwd

# What failed left nothing: no file, no name, no mount below the directory.
left=$(find "$tmp/missing" "$dir" -mindepth 1 2>/dev/null)
left+=$(grep -F " $tmp/" /proc/self/mountinfo | grep -vF " $dir ")
if [ -n "$left" ]; then
	failed=$((failed + 1))
	printf 'FAIL: left behind:\n%s\n' "$left"
fi

echo "valgrind: $runs runs, $failed failed"
[ "$failed" -eq 0 ]

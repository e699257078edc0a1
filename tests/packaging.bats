#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Packaging: make install into a DESTDIR puts the programs, man pages and
# bash completions where a distribution expects them, the installed
# programs work from there, make uninstall takes exactly that away, and the
# make dist tarball builds every program on its own.

# Each @test is a subshell of its own: these variables are per test.
# shellcheck disable=SC2030,SC2031
bats_require_minimum_version 1.5.0
load helper

REPO=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
VERSION=$(cat "$REPO/VERSION")
PROGRAMS="nsunshare nsjoin nsmap nsls netnslink"

setup() {
	DEST=$(mktemp -d /tmp/nstools-destdir.XXXXXX)
	NETNS_DIR=
}

teardown() {
	kill_spawned
	if [ -n "$NETNS_DIR" ]; then
		# netnslink --dir makes the directory a mount of its own, as
		# ip netns does with /run/netns.
		umount "$NETNS_DIR" 2>/dev/null || true
		rm -rf "$NETNS_DIR"
	fi
	rm -rf "$DEST"
}

# The completions directory bash-completion reads, as the Makefile works
# it out.
completionsdir() {
	local d
	d=$(pkg-config --variable=completionsdir bash-completion 2>/dev/null) ||
		d=
	echo "${d:-/usr/share/bash-completion/completions}"
}

# pkg_make TARGET [VAR=VALUE...]: make TARGET into $DEST with PREFIX=/usr,
# installing the binaries under test ($NSTOOLS_BIN) without rebuilding them.
pkg_make() {
	make -s -C "$REPO" -o all BUILDDIR="$NSTOOLS_BIN" DESTDIR="$DEST" \
		PREFIX=/usr "$@"
}

# in_new_ns PID TYPE: PID's TYPE namespace is not ours (a function, so that
# wait_until reads it again on each try).
in_new_ns() {
	[ "$(ns_inode "$1" "$2")" != "$(ns_inode self "$2")" ]
}

# files_under DIR: every file and link under DIR, relative, with its mode.
files_under() {
	(cd "$1" && find . ! -type d -printf '%P %m\n' | sort)
}

@test "make install DESTDIR PREFIX=/usr: programs 755, man pages in man1 and man8, completions" {
	local cdir p
	cdir=$(completionsdir)
	run -0 pkg_make install
	run -0 files_under "$DEST"
	assert_output "$({
		for p in $PROGRAMS; do
			echo "usr/bin/$p 755"
			echo "${cdir#/}/$p 644"
		done
		for p in nsunshare nsjoin nsmap; do
			echo "usr/share/man/man1/$p.1 644"
		done
		for p in nsls netnslink; do
			echo "usr/share/man/man8/$p.8 644"
		done
	} | sort)"
	for p in $PROGRAMS; do
		cmp "$REPO/cmd/completion/$p" "$DEST$cdir/$p"
		cmp "$NSTOOLS_BIN/$p" "$DEST/usr/bin/$p"
	done
	# the man pages as built: dated, "nstools VERSION" as the footer
	run -0 grep -h '^\.Os' "$DEST"/usr/share/man/man[18]/*
	assert_output "$(for p in $PROGRAMS; do echo ".Os nstools $VERSION"; done)"
	run -1 grep -l 'Mdocdate' -r "$DEST"
}

@test "make install: COMPLETIONSDIR is PREFIX/share/bash-completion/completions without pkg-config's, or as given" {
	run -0 pkg_make install PREFIX=/opt/nstools PKG_CONFIG=false
	[ -f "$DEST/opt/nstools/share/bash-completion/completions/nsls" ]
	run -0 pkg_make install COMPLETIONSDIR=/etc/bash_completion.d
	[ -f "$DEST/etc/bash_completion.d/netnslink" ]
}

@test "PREFIX=/usr/local: completions under PREFIX, not bash-completion's /usr" {
	run -0 pkg_make install PREFIX=/usr/local
	[ -f "$DEST/usr/local/share/bash-completion/completions/nsls" ]
	[ ! -e "$DEST/usr/share" ]
}

@test "installed completions load by program name in bash-completion" {
	local cdir
	cdir=$(completionsdir)
	[ -r /usr/share/bash-completion/bash_completion ] ||
		skip "bash-completion is not installed"
	[[ $cdir == /usr/share/* ]] || skip "completionsdir is $cdir"
	run -0 pkg_make install
	# bash-completion looks in DIR/bash-completion/completions for each
	# DIR of XDG_DATA_DIRS, and loads the file named as the program.
	# shellcheck disable=SC2016 # expanded by the inner bash
	run -0 env XDG_DATA_DIRS="$DEST/usr/share" \
		BASH_COMPLETION_USER_DIR="$DEST/none" bash -c '
		source /usr/share/bash-completion/bash_completion
		for p in nsunshare nsjoin nsmap nsls netnslink; do
			__load_completion "$p" && complete -p "$p"
		done'
	assert_output "$(
		for p in $PROGRAMS; do echo "complete -F _$p $p"; done
	)"
}

@test "each installed program's --version prints PROG from nstools VERSION" {
	local p
	run -0 pkg_make install
	for p in $PROGRAMS; do
		run -0 "$DEST/usr/bin/$p" --version
		assert_output "$p from nstools $VERSION"
	done
}

@test "the installed programs do their jobs from DESTDIR" {
	require_root
	local bin=$DEST/usr/bin target
	run -0 pkg_make install

	# nsunshare: a new user namespace where our uid is unmapped.
	run -0 "$bin/nsunshare" -U id -u
	assert_output "$(cat /proc/sys/kernel/overflowuid)"

	# nsls: our own network namespace is listed.
	run -0 "$bin/nsls" -t net -n -r -o NS
	assert_line "$(ns_inode self net)"

	# nsjoin: into the network namespace of a process in a new one.
	spawn "$bin/nsunshare" -n sleep 1000
	target=$SPAWNED_PID
	wait_until in_new_ns "$target" net
	run -0 "$bin/nsjoin" -t "$target" -n readlink /proc/self/ns/net
	assert_output "net:[$(ns_inode "$target" net)]"

	# nsmap: write and read back the maps of a new user namespace.
	spawn "$bin/nsunshare" -U sleep 1000
	target=$SPAWNED_PID
	wait_until in_new_ns "$target" user
	run -0 "$bin/nsmap" -u 0:100000:10 -g 0:100000:10 "$target"
	run -0 "$bin/nsmap" -r -n -o KIND,INSIDE,OUTSIDE,COUNT "$target"
	assert_output "$(printf '%s\n' 'uid 0 100000 10' 'gid 0 100000 10')"
	assert_equal "$(tr -s ' ' <"/proc/$target/uid_map")" " 0 100000 10"

	# netnslink: a new named namespace in a directory of our own, gone
	# again with -d.
	NETNS_DIR=$(mktemp -d /tmp/nstools-netns.XXXXXX)
	run -0 "$bin/netnslink" --dir="$NETNS_DIR" --new pkgtest
	run -0 "$bin/netnslink" --dir="$NETNS_DIR" -r -n -o NAME,KIND
	assert_output "pkgtest bind"
	run -0 "$bin/netnslink" --dir="$NETNS_DIR" -d pkgtest
	[ ! -e "$NETNS_DIR/pkgtest" ]
}

@test "make uninstall removes what make install put, and nothing else" {
	local before
	mkdir -p "$DEST/usr/bin" "$DEST/usr/share/man/man1" \
		"$DEST$(completionsdir)"
	echo other >"$DEST/usr/bin/other-tool"
	echo other >"$DEST/usr/share/man/man1/other-tool.1"
	echo other >"$DEST$(completionsdir)/other-tool"
	before=$(files_under "$DEST")
	run -0 pkg_make install
	[ "$(files_under "$DEST")" != "$before" ]
	run -0 pkg_make uninstall
	run -0 files_under "$DEST"
	assert_output "$before"
}

@test "make dist: nstools-VERSION.tar.gz holds the committed tree and builds every program" {
	git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1 ||
		skip "not a git checkout: make dist packs git HEAD"
	local out=$DEST/out p
	run -0 make -s -C "$REPO" BUILDDIR="$out" dist
	[ -f "$out/nstools-$VERSION.tar.gz" ]
	(cd "$out" && sha256sum --quiet -c "nstools-$VERSION.tar.gz.sha256")

	run -0 tar -tzf "$out/nstools-$VERSION.tar.gz"
	# Everything is under nstools-VERSION/.
	assert_equal "$(grep -cv "^nstools-${VERSION}/" <<<"$output")" 0
	# The committed tree less this repository's CI and git files
	# (.gitattributes export-ignore).
	assert_equal "$(grep -v '/$' <<<"$output" | sed "s|^nstools-$VERSION/||" |
		sort)" "$(git -C "$REPO" ls-tree -r --name-only HEAD |
		grep -Ev '^(\.ci/|\.gitignore$|\.gitattributes$)' | sort)"

	tar -xzf "$out/nstools-$VERSION.tar.gz" -C "$DEST"
	# BUILDDIR from an outer `make check BUILDDIR=...` must not leak in
	run -0 make -s -C "$DEST/nstools-$VERSION" -j2 BUILDDIR=build
	for p in $PROGRAMS; do
		run -0 "$DEST/nstools-$VERSION/build/$p" --version
		assert_output "$p from nstools $VERSION"
	done
}

@test "make -f DIR/Makefile from another directory fails and says make -C DIR" {
	run -2 make -C "$DEST" -f "$REPO/Makefile" BUILDDIR="$DEST/b"
	assert_output -p "run make in the nstools directory, as make -C $REPO"
	[ ! -e "$DEST/b" ]
}

@test "make clean removes BUILDDIR as given, and will not remove /" {
	mkdir -p "$DEST/b/common"
	: >"$DEST/b/nsls"
	run -0 make -s -C "$REPO" BUILDDIR="$DEST/b" clean
	[ ! -e "$DEST/b" ]
	[ -d "$DEST" ]
	run -2 make -s -C "$REPO" BUILDDIR=/ clean
	assert_output -p "will not remove BUILDDIR=/"
}

# make_n VAR=VALUE...: the commands a fresh build into $DEST/b would run.
make_n() {
	make -C "$REPO" -n BUILDDIR="$DEST/b" "$@"
}

@test "CC, AR, CPPFLAGS, CFLAGS, LDFLAGS, INSTALL, PKG_CONFIG are used as given" {
	local line
	run -0 env CC=my-cc AR=my-ar CPPFLAGS=-DMY_CPP CFLAGS=-MY_CFLAGS \
		LDFLAGS=-MY_LDFLAGS INSTALL=my-install PKG_CONFIG=pkg-config \
		make -C "$REPO" -n BUILDDIR="$DEST/b" DESTDIR="$DEST" install
	# every compile and link line has CPPFLAGS and CFLAGS; each link
	# line LDFLAGS too (blhc reads the build log this way)
	for line in "${lines[@]}"; do
		case $line in
		my-cc*-c\ *)
			[[ $line == *-DMY_CPP*-MY_CFLAGS* ]] || fail "compile: $line" ;;
		my-cc*)
			[[ $line == *-DMY_CPP*-MY_CFLAGS*-MY_LDFLAGS* ]] ||
				fail "link: $line" ;;
		esac
	done
	assert_line -p "my-ar rcs"
	assert_line -p "my-install -m 755"
	assert_equal "$(grep -c '^my-cc .*-o .*/b/nsls ' <<<"$output")" 1
	refute_output --regexp -- '-Werror( |$)'
	run -0 make_n CPPFLAGS=-D_FORTIFY_SOURCE=2 CFLAGS='-O2 -g'
	assert_line -p "cc -D_GNU_SOURCE"
	assert_line -p -- "-D_FORTIFY_SOURCE=2"
}

@test "-Werror only where the project asks for it: make check, WERROR=1 (-Werror=format-security from CFLAGS stays)" {
	run -0 make_n
	refute_output --regexp -- '-Werror( |$)'
	run -0 make_n WERROR=1
	assert_line -p -- "-Wextra -Werror"
	run -0 make_n check
	assert_line -p -- "-Wextra -Werror"
	run -0 make_n check WERROR=0
	refute_output --regexp -- '-Werror( |$)'
}

@test "make install-caps without CAP_SETFCAP stops before installing anything" {
	local -a who=()
	[ "$(id -u)" -ne 0 ] ||
		who=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
	chmod 777 "$DEST"
	run -2 "${who[@]}" make -s -C "$REPO" -o all BUILDDIR="$NSTOOLS_BIN" \
		DESTDIR="$DEST" PREFIX=/usr install-caps
	assert_output -p "install-caps: setting file capabilities needs CAP_SETFCAP (root); nothing was installed"
	assert_equal "$(files_under "$DEST")" ""
}

@test "make install-caps under fakeroot says no capability would reach the package" {
	run -2 env FAKEROOTKEY=1 make -s -C "$REPO" -o all \
		BUILDDIR="$NSTOOLS_BIN" DESTDIR="$DEST" PREFIX=/usr install-caps
	assert_output -p "install-caps: under fakeroot no file capability reaches the package"
	assert_equal "$(files_under "$DEST")" ""
}

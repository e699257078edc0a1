# SPDX-License-Identifier: GPL-2.0-or-later
# nstools: build, test, install.  Every built file goes under $(BUILDDIR).

# Every path here is relative to the source directory: from elsewhere,
# `make -C DIR`, not `make -f DIR/Makefile` (which would build nothing).
ifneq ($(abspath $(dir $(lastword $(MAKEFILE_LIST)))),$(CURDIR))
$(error run make in the nstools directory, as make -C $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST)))))
endif

# The one place the version is written: --version, the man page footers,
# make dist and the packaging in dist/ read it from here.
VERSION := $(shell cat VERSION)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
# bash-completion's own directory (its pkg-config file) when PREFIX is
# bash-completion's prefix; else under PREFIX, where it also looks
# (XDG_DATA_DIRS).
BASHCOMP_PREFIX = $(shell $(PKG_CONFIG) --variable=prefix bash-completion \
	2>/dev/null)
COMPLETIONSDIR ?= $(or $(if $(filter $(PREFIX),$(BASHCOMP_PREFIX)),$(shell \
	$(PKG_CONFIG) --variable=completionsdir bash-completion 2>/dev/null)),$\
	$(PREFIX)/share/bash-completion/completions)
DESTDIR ?=

# The GNU conventions: CC, AR, INSTALL, PKG_CONFIG, CPPFLAGS, CFLAGS and
# LDFLAGS from the environment or the command line are used as given; our
# own flags come first, so a distribution's can add to them or override.
CC ?= cc
AR ?= ar
INSTALL ?= install
PKG_CONFIG ?= pkg-config
CPPFLAGS ?=
CFLAGS ?= -O2 -g
LDFLAGS ?=
# Warnings are errors in the project's own gates (make check, lint, fuzz,
# CI), never in a packager's plain `make`: a newer compiler's warning must
# not break a distribution's build.  WERROR=0 or 1 decides either way.
ifneq ($(filter check check-nonroot check-valgrind distcheck lint fuzz,$(MAKECMDGOALS)),)
WERROR ?= 1
endif
WERROR ?= 0
WERROR_FLAG := $(if $(filter 1,$(WERROR)),-Werror)

ifeq ($(SANITIZE),1)
BUILDDIR ?= build/sanitize
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
else
BUILDDIR ?= build
SANFLAGS :=
endif

PKGS := smartcols libcap
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS))
PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS))
# libsmartcols 2.40 brought the filter expressions nsls -Q hands to it.
SCOLS_CPPFLAGS := $(shell $(PKG_CONFIG) --atleast-version=2.40 smartcols \
	2>/dev/null && echo -DHAVE_SCOLS_FILTER)

NS_CPPFLAGS = -D_GNU_SOURCE -DNSTOOLS_VERSION='"$(VERSION)"' -Icommon \
	$(SCOLS_CPPFLAGS) $(CPPFLAGS)
NS_CFLAGS = -std=gnu11 -Wall -Wextra $(WERROR_FLAG) $(PKG_CFLAGS) \
	$(CFLAGS) $(SANFLAGS)
NS_LDFLAGS = $(LDFLAGS) $(SANFLAGS)

# A program is cmd/PROG.c, or cmd/PROG/*.c with its own header(s) once it
# outgrows one file.
DIR_PROGS := $(notdir $(patsubst %/,%,$(filter-out cmd/completion/,$(wildcard cmd/*/))))
PROGS ?= $(basename $(notdir $(wildcard cmd/*.c))) $(DIR_PROGS)
BINS := $(addprefix $(BUILDDIR)/,$(PROGS))
COMMON_OBJS := $(patsubst common/%.c,$(BUILDDIR)/common/%.o,$(wildcard common/*.c))
LIBCOMMON := $(BUILDDIR)/libnscommon.a
MAN1 := $(wildcard man/*.1)
MAN8 := $(wildcard man/*.8)
# The pages as installed: dated and with the version in the footer.
BUILT_MAN1 = $(addprefix $(BUILDDIR)/,$(MAN1))
BUILT_MAN8 = $(addprefix $(BUILDDIR)/,$(MAN8))
COMPLETIONS := $(wildcard $(addprefix cmd/completion/,$(PROGS)))

# Which suites `make check` runs; TESTS=tests/nsjoin.bats runs one.
TESTS ?= tests
BATS ?= bats

.PHONY: all check check-nonroot check-valgrind lint lint-man bench demo deps install install-caps uninstall clean fuzz \
	dist distcheck stress

all: $(BINS) $(BUILT_MAN1) $(BUILT_MAN8)

$(BUILDDIR)/common/%.o: common/%.c $(wildcard common/*.h)
	@mkdir -p $(@D)
	$(CC) $(NS_CPPFLAGS) $(NS_CFLAGS) -c -o $@ $<

# --version is printed from here
$(BUILDDIR)/common/usage.o: VERSION

$(LIBCOMMON): $(COMMON_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILDDIR)/%: cmd/%.c $(LIBCOMMON) common/nscommon.h VERSION
	@mkdir -p $(@D)
	$(CC) $(NS_CPPFLAGS) $(NS_CFLAGS) -o $@ $< $(LIBCOMMON) $(NS_LDFLAGS) \
		$(PKG_LIBS)

$(BUILDDIR)/cmd/%.o: cmd/%.c common/nscommon.h $(wildcard cmd/*/*.h)
	@mkdir -p $(@D)
	$(CC) $(NS_CPPFLAGS) $(NS_CFLAGS) -c -o $@ $<

define DIR_PROG_RULE
$(BUILDDIR)/$(1): $(patsubst %.c,$(BUILDDIR)/%.o,$(wildcard cmd/$(1)/*.c)) \
		$(LIBCOMMON)
	$$(CC) $$(NS_CPPFLAGS) $$(NS_CFLAGS) -o $$@ $$^ $$(NS_LDFLAGS) $$(PKG_LIBS)
endef
$(foreach p,$(DIR_PROGS),$(eval $(call DIR_PROG_RULE,$(p))))
# nsls reads /proc in a few threads where there are CPUs for them.
$(BUILDDIR)/nsls: NS_LDFLAGS += -pthread

# man/ has `.Dd $Mdocdate$` and an empty `.Os`; the built page gets a
# fixed date, SOURCE_DATE_EPOCH's where it is set (reproducible builds),
# else that of the last commit that changed the page, else the page's
# mtime (a make dist tarball gives every file its commit's time), and
# "nstools VERSION" as its footer.  A commit (it writes git's index)
# makes them again, so the date follows it.
GIT_INDEX := $(wildcard $(shell git rev-parse --git-path index 2>/dev/null))
$(BUILDDIR)/man/%: man/% VERSION $(GIT_INDEX)
	@mkdir -p $(@D)
	@t=$${SOURCE_DATE_EPOCH:-$$(git log -1 --format=%ct -- $< 2>/dev/null)}; \
	t=$${t:-$$(stat -c %Y $<)}; \
	d=$$(LC_ALL=C date -u -d "@$$t" '+%B %-d, %Y') && \
	sed -e "s/^\.Dd .*/.Dd $$d/" -e 's/^\.Os.*/.Os nstools $(VERSION)/' \
		$< >$@.tmp && mv $@.tmp $@

lint-man: $(BUILT_MAN1) $(BUILT_MAN8)
	@for m in $(MAN1) $(MAN8) $(BUILT_MAN1) $(BUILT_MAN8); do \
		mandoc -Tlint -Wwarning $$m || exit 1; \
	done; echo "man pages: mandoc -Tlint clean"

# Static analysis of the C sources and the shell scripts (see .clang-tidy),
# and the layout .clang-format gives.
SHELL_SCRIPTS = tests/helper.bash tests/run-bats tests/tools/function-sizes \
	tests/tools/ul-ts \
	$(wildcard .ci/run .ci/packaging dist/debian/*.postinst) \
	$(wildcard tests/*.sh tests/bench/*.sh tests/stress/*.sh) $(COMPLETIONS)
lint: lint-man
	cppcheck --error-exitcode=1 --enable=warning,portability,performance \
		--std=c11 -D_GNU_SOURCE -Icommon \
		--suppress=missingIncludeSystem --inline-suppr -q cmd common
	@# One file a run: clang-tidy 14 crashed (SIGSEGV) on the whole list.
	for f in cmd/*.c $(wildcard cmd/*/*.c) common/*.c; do \
		clang-tidy -quiet $$f -- -std=gnu11 -D_GNU_SOURCE \
			-Icommon $(PKG_CFLAGS) || exit 1; \
	done
	shellcheck $(SHELL_SCRIPTS)
	clang-format --dry-run -Werror cmd/*.c $(wildcard cmd/*/*.[ch]) common/*.c common/*.h \
		tests/fuzz/*.c tests/fuzz/*.h
	tests/tools/function-sizes
	@echo "lint: cppcheck, clang-tidy, shellcheck, clang-format, sizes and mandoc clean"

# The bats run ends on one plain "N passed, N failed" line for CI to read.
check: all lint-man
	@NSTOOLS_BIN=$(abspath $(BUILDDIR)) tests/run-bats $(BATS) $(TESTS)

# make check as a distribution runs it: as a non-root user (nobody, or
# NONROOT_USER), on a copy of the tree that user owns; as root.  The
# root-only tests skip, each with its reason.
NONROOT_USER ?= nobody
check-nonroot:
	@[ "$$(id -u)" -eq 0 ] || \
		{ echo "check-nonroot: run as root; as a user, make check"; exit 1; }
	@d=$$(mktemp -d /tmp/nstools-nonroot.XXXXXX) && \
	trap 'rm -rf "$$d"' EXIT && trap 'exit 1' INT TERM && \
	chmod 755 "$$d" && \
	cp -a . "$$d/src" && rm -rf "$$d/src/$(BUILDDIR)" && \
	chown -R $(NONROOT_USER): "$$d" && cd "$$d/src" && \
	setpriv --reuid=$(NONROOT_USER) --regid="$$(id -g $(NONROOT_USER))" \
		--clear-groups env HOME="$$d" $(MAKE) check TESTS="$(TESTS)"

# The paths that end without exec'ing a command, each under valgrind
# memcheck: no error, no definite leak (tests/valgrind.sh; as root).
check-valgrind: all
	@[ "$(SANITIZE)" != 1 ] || \
		{ echo "check-valgrind: not on a SANITIZE=1 build"; exit 1; }
	@NSTOOLS_BIN=$(abspath $(BUILDDIR)) bash tests/valgrind.sh

# Bounded stress runs (tests/stress/, as root): races and kill -9 on the
# programs, in private mount namespaces; each prints its figures and stops
# by itself.  STRESS_ROUNDS, STRESS_LOOPS, STRESS_KILLS size them.
stress: all
	@for s in tests/stress/*.sh; do \
		[ -f "$$s" ] || continue; \
		NSTOOLS_BIN=$(abspath $(BUILDDIR)) bash "$$s" || exit 1; \
	done

bench: all
	@for b in tests/bench/*.sh; do \
		[ -f "$$b" ] || continue; \
		NSTOOLS_BIN=$(abspath $(BUILDDIR)) bash "$$b" || exit 1; \
	done

demo: all
	@NSTOOLS_BIN=$(abspath $(BUILDDIR)) bash tests/demo.sh

# Besides the build: what the tests and the demo call (ps from procps,
# setcap/getcap from libcap2-bin, mount/umount, git for make dist); the
# rest of util-linux (unshare, nsenter, lsns, setpriv) is always installed.
# The gates CI runs besides make check: make fuzz (clang with libFuzzer),
# make lint (cppcheck, clang-tidy, shellcheck), make check-valgrind, and
# .ci/packaging (debhelper, lintian, blhc, rpm's rpmbuild, makepkg with
# bsdtar from libarchive-tools).
DEB_PKGS := build-essential pkg-config libcap-dev libsmartcols-dev bats \
	bats-support bats-assert mandoc uidmap iproute2 jq strace \
	bash-completion procps libcap2-bin mount git \
	clang libclang-rt-dev clang-tidy clang-format cppcheck shellcheck \
	valgrind bsdextrautils \
	debhelper dpkg-dev fakeroot lintian blhc rpm makepkg libarchive-tools
deps:
	@if command -v apt-get >/dev/null 2>&1; then \
		sudo=; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
		export DEBIAN_FRONTEND=noninteractive; \
		$$sudo apt-get update -qq && \
		$$sudo apt-get install -y -qq --no-install-recommends \
			$(DEB_PKGS); \
	else \
		echo "No apt-get here. Install the equivalents of:"; \
		echo "  Fedora: dnf install gcc make pkgconf libcap-devel" \
			"libsmartcols-devel bats mandoc shadow-utils iproute" \
			"jq strace bash-completion procps-ng libcap git"; \
		echo "  Arch:   pacman -S base-devel libcap util-linux-libs" \
			"bats bats-support bats-assert mandoc shadow iproute2" \
			"jq strace bash-completion procps-ng libcap git"; \
		exit 1; \
	fi

install: all
	$(INSTALL) -d $(DESTDIR)$(BINDIR)
	$(INSTALL) -m 755 $(BINS) $(DESTDIR)$(BINDIR)/
	$(INSTALL) -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man8
	$(if $(MAN1),$(INSTALL) -m 644 $(BUILT_MAN1) $(DESTDIR)$(MANDIR)/man1/)
	$(if $(MAN8),$(INSTALL) -m 644 $(BUILT_MAN8) $(DESTDIR)$(MANDIR)/man8/)
	$(if $(COMPLETIONS),$(INSTALL) -d $(DESTDIR)$(COMPLETIONSDIR))
	$(if $(COMPLETIONS),$(INSTALL) -m 644 $(COMPLETIONS) $(DESTDIR)$(COMPLETIONSDIR)/)

# nsmap writes maps for unprivileged users with these two capabilities
# only.  Setting them takes CAP_SETFCAP: without it, stop before anything
# is installed.  Under fakeroot setcap "succeeds" and nothing reaches the
# disk or the package: a package sets them when it is installed instead
# (PACKAGING.md).
NSMAP_CAPS := cap_setuid,cap_setgid=ep
install-caps:
	@if [ -n "$${FAKEROOTKEY:-}" ]; then \
		echo "install-caps: under fakeroot no file capability reaches the package; set $(NSMAP_CAPS) on nsmap at install time (PACKAGING.md)" >&2; \
		exit 1; \
	fi
	@eff=$$(sed -n 's/^CapEff:[[:blank:]]*//p' /proc/self/status); \
	if [ $$(( (0x$${eff:-0} >> 31) & 1 )) -ne 1 ]; then \
		echo "install-caps: setting file capabilities needs CAP_SETFCAP (root); nothing was installed" >&2; \
		exit 1; \
	fi
	@$(MAKE) --no-print-directory install
	setcap $(NSMAP_CAPS) $(DESTDIR)$(BINDIR)/nsmap

# libFuzzer harnesses, one per parser of user or file input (tests/fuzz/);
# clang only.  Each runs FUZZ_SECONDS on its seed corpus; a crash, a
# sanitizer report or a broken property stops the run.  The last line is
# the total number of executions.
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZERS ?= $(basename $(notdir $(wildcard tests/fuzz/*.c)))
fuzz:
	@mkdir -p $(BUILDDIR)/fuzz
	@total=0; for f in $(FUZZERS); do \
		$(FUZZ_CC) -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror \
			-g -O1 -fsanitize=fuzzer,address,undefined \
			-fno-sanitize-recover=all -Icommon \
			$(PKG_CFLAGS) -o $(BUILDDIR)/fuzz/$$f tests/fuzz/$$f.c \
			$(wildcard common/*.c) $(PKG_LIBS) || exit 1; \
		mkdir -p $(BUILDDIR)/fuzz/corpus-$$f; \
		$(BUILDDIR)/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) \
			-print_final_stats=1 \
			-artifact_prefix=$(BUILDDIR)/fuzz/$$f- \
			$(BUILDDIR)/fuzz/corpus-$$f \
			tests/fuzz/corpus/$$f >$(BUILDDIR)/fuzz/$$f.log 2>&1; \
		rc=$$?; \
		n=$$(sed -n 's/^stat::number_of_executed_units: *//p' \
			$(BUILDDIR)/fuzz/$$f.log); \
		echo "$$f: $${n:-0} executions"; \
		if [ $$rc -ne 0 ] || grep -q 'runtime error' \
			$(BUILDDIR)/fuzz/$$f.log; then \
			grep -E 'ERROR|SUMMARY|runtime error|Test unit' \
				$(BUILDDIR)/fuzz/$$f.log; \
			echo "fuzz: $$f found a defect: $(BUILDDIR)/fuzz/$$f.log"; \
			exit 1; \
		fi; \
		total=$$((total + $${n:-0})); \
	done; echo "fuzz: $$total executions in all, nothing found"

uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(PROGS))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MAN1)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man8/,$(notdir $(MAN8)))
	rm -f $(addprefix $(DESTDIR)$(COMPLETIONSDIR)/,$(notdir $(COMPLETIONS)))

# The release tarball: the committed tree (git archive of HEAD) under
# nstools-X.Y.Z/, less what .gitattributes marks export-ignore (this
# repository's CI and git files), written to $(BUILDDIR) with its SHA-256
# beside it.  distcheck unpacks it elsewhere, builds it there and runs the
# whole suite on that build.
DIST := nstools-$(VERSION)
dist:
	@mkdir -p $(BUILDDIR)
	git archive --format=tar.gz --prefix=$(DIST)/ \
		-o $(BUILDDIR)/$(DIST).tar.gz HEAD
	cd $(BUILDDIR) && sha256sum $(DIST).tar.gz >$(DIST).tar.gz.sha256
	@git diff --quiet HEAD -- || \
		echo "dist: uncommitted changes are not in the tarball"
	@echo "dist: $(BUILDDIR)/$(DIST).tar.gz and .sha256"

distcheck: dist
	@d=$$(mktemp -d /tmp/nstools-distcheck.XXXXXX) && \
	trap 'rm -rf "$$d"' EXIT && trap 'exit 1' INT TERM && \
	chmod 755 "$$d" && \
	tar -xzf $(BUILDDIR)/$(DIST).tar.gz -C "$$d" && \
	$(MAKE) -C "$$d/$(DIST)" BUILDDIR=build check && \
	echo "distcheck: $(DIST).tar.gz builds and passes make check"

# BUILDDIR as given (build/sanitize for SANITIZE=1); build/ by default,
# with the sanitizer build in it.
clean:
	$(if $(filter-out / . ./ .. ../,$(BUILDDIR)),rm -rf $(BUILDDIR),$(error clean: will not remove BUILDDIR=$(BUILDDIR)))

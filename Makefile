# SPDX-License-Identifier: GPL-2.0-or-later
# nstools: build, test, install.  Every built file goes under $(BUILDDIR).

VERSION := $(shell cat VERSION)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
# Where bash-completion looks, by its own pkg-config file; else under PREFIX.
COMPLETIONSDIR ?= $(or $(shell $(PKG_CONFIG) --variable=completionsdir \
	bash-completion 2>/dev/null),$(PREFIX)/share/bash-completion/completions)
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
# Distributions pass their own CFLAGS/LDFLAGS; the warnings stay regardless.
CFLAGS ?= -O2 -g
LDFLAGS ?=

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

NS_CFLAGS = -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror \
	-DNSTOOLS_VERSION='"$(VERSION)"' -Icommon $(PKG_CFLAGS) \
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
COMPLETIONS := $(wildcard $(addprefix cmd/completion/,$(PROGS)))

# Which suites `make check` runs; TESTS=tests/nsjoin.bats runs one.
TESTS ?= tests
BATS ?= bats

.PHONY: all check check-valgrind lint lint-man bench demo deps install install-caps uninstall clean fuzz \
	dist distcheck

all: $(BINS)

$(BUILDDIR)/common/%.o: common/%.c common/nscommon.h
	@mkdir -p $(@D)
	$(CC) $(NS_CFLAGS) -c -o $@ $<

# --version is printed from here
$(BUILDDIR)/common/nscommon.o: VERSION

$(LIBCOMMON): $(COMMON_OBJS)
	$(AR) rcs $@ $^

$(BUILDDIR)/%: cmd/%.c $(LIBCOMMON) common/nscommon.h VERSION
	@mkdir -p $(@D)
	$(CC) $(NS_CFLAGS) -o $@ $< $(LIBCOMMON) $(NS_LDFLAGS) $(PKG_LIBS)

$(BUILDDIR)/cmd/%.o: cmd/%.c common/nscommon.h $(wildcard cmd/*/*.h)
	@mkdir -p $(@D)
	$(CC) $(NS_CFLAGS) -c -o $@ $<

define DIR_PROG_RULE
$(BUILDDIR)/$(1): $(patsubst %.c,$(BUILDDIR)/%.o,$(wildcard cmd/$(1)/*.c)) \
		$(LIBCOMMON)
	$$(CC) $$(NS_CFLAGS) -o $$@ $$^ $$(NS_LDFLAGS) $$(PKG_LIBS)
endef
$(foreach p,$(DIR_PROGS),$(eval $(call DIR_PROG_RULE,$(p))))

lint-man:
	@for m in $(MAN1) $(MAN8); do \
		mandoc -Tlint -Wwarning $$m || exit 1; \
	done; echo "man pages: mandoc -Tlint clean"

# Static analysis of the C sources and the shell scripts (see .clang-tidy),
# and the layout .clang-format gives.
SHELL_SCRIPTS = tests/helper.bash tests/run-bats .ci/run \
	$(wildcard tests/*.sh tests/bench/*.sh) $(COMPLETIONS)
lint: lint-man
	cppcheck --error-exitcode=1 --enable=warning,portability,performance \
		--std=c11 -D_GNU_SOURCE -Icommon \
		--suppress=missingIncludeSystem --inline-suppr -q cmd common
	clang-tidy -quiet cmd/*.c $(wildcard cmd/*/*.c) common/*.c -- -std=gnu11 -D_GNU_SOURCE \
		-Icommon $(PKG_CFLAGS)
	shellcheck $(SHELL_SCRIPTS)
	clang-format --dry-run -Werror cmd/*.c $(wildcard cmd/*/*.[ch]) common/*.c common/*.h \
		tests/fuzz/*.c tests/fuzz/*.h
	@echo "lint: cppcheck, clang-tidy, shellcheck, clang-format and mandoc clean"

# The bats run ends on one plain "N passed, N failed" line for CI to read.
check: all lint-man
	@NSTOOLS_BIN=$(abspath $(BUILDDIR)) tests/run-bats $(BATS) $(TESTS)

# The paths that end without exec'ing a command, each under valgrind
# memcheck: no error, no definite leak (tests/valgrind.sh; as root).
check-valgrind: all
	@[ "$(SANITIZE)" != 1 ] || \
		{ echo "check-valgrind: not on a SANITIZE=1 build"; exit 1; }
	@NSTOOLS_BIN=$(abspath $(BUILDDIR)) bash tests/valgrind.sh

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
# make lint (cppcheck, clang-tidy, shellcheck), make check-valgrind.
DEB_PKGS := build-essential pkg-config libcap-dev libsmartcols-dev bats \
	bats-support bats-assert mandoc uidmap iproute2 jq strace \
	bash-completion procps libcap2-bin mount git \
	clang libclang-rt-dev clang-tidy clang-format cppcheck shellcheck \
	valgrind
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
	install -d $(DESTDIR)$(BINDIR)
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)/
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man8
	$(if $(MAN1),install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/)
	$(if $(MAN8),install -m 644 $(MAN8) $(DESTDIR)$(MANDIR)/man8/)
	$(if $(COMPLETIONS),install -d $(DESTDIR)$(COMPLETIONSDIR))
	$(if $(COMPLETIONS),install -m 644 $(COMPLETIONS) $(DESTDIR)$(COMPLETIONSDIR)/)

# nsmap writes maps for unprivileged users with these two capabilities only.
install-caps: install
	setcap cap_setuid,cap_setgid+ep $(DESTDIR)$(BINDIR)/nsmap

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
# nstools-X.Y.Z/, written to $(BUILDDIR).  distcheck unpacks it elsewhere,
# builds it there and runs the whole suite on that build.
DIST := nstools-$(VERSION)
dist:
	@mkdir -p $(BUILDDIR)
	git archive --format=tar.gz --prefix=$(DIST)/ \
		-o $(BUILDDIR)/$(DIST).tar.gz HEAD
	@git diff --quiet HEAD -- || \
		echo "dist: uncommitted changes are not in the tarball"
	@echo "dist: $(BUILDDIR)/$(DIST).tar.gz"

distcheck: dist
	@d=$$(mktemp -d /tmp/nstools-distcheck.XXXXXX) && \
	trap 'rm -rf "$$d"' EXIT && trap 'exit 1' INT TERM && \
	chmod 755 "$$d" && \
	tar -xzf $(BUILDDIR)/$(DIST).tar.gz -C "$$d" && \
	$(MAKE) -C "$$d/$(DIST)" BUILDDIR=build check && \
	echo "distcheck: $(DIST).tar.gz builds and passes make check"

clean:
	rm -rf build

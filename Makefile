# accord: one Makefile for the library, the command, tests, demo and CI.
#
#   make            bin/accord and libaccord.a
#   make test       unit tests (one cmocka binary per module) + end-to-end tests
#   make check      the same tests under AddressSanitizer + UBSan (build/asan-clang)
#   make demo       a scripted story on a throwaway ledger
#   make valgrind   the tests under valgrind memcheck
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX ?= /usr/local
DESTDIR ?=
VERSION := 0.1.0

# zlib: lib/store/batch.c compresses objects to write packfiles in bulk (libgit2 links it anyway).
# libmbedcrypto (no pkg-config file in Debian 12): the SHA-1 of those packs' trailers, which
# libsodium lacks; Debian's libgit2 loads it anyway.
PKGS := libsodium libgit2 libcjson zlib
CC ?= cc

ifeq ($(SANITIZE),1)
# clang's sanitizer runtime starts a process in 60 ms where gcc's takes 90
# (measured here), and the end-to-end scripts start thousands: the sanitizer
# build uses clang where there is one (CI installs it), and its objects stay
# apart from the other compiler's.
ifneq ($(shell command -v clang 2>/dev/null),)
ifeq ($(origin CC),default)
CC := clang
endif
endif
BUILD := build/asan-$(notdir $(CC))
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT := -O1
else
BUILD := build/plain
SANFLAGS :=
OPT := -O2
endif
# BUILDDIR lets parallel builds (helpers, CI variants) keep separate objects.
ifdef BUILDDIR
BUILD := $(BUILDDIR)
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lmbedcrypto -lm
CMOCKA_CFLAGS := $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
CFLAGS ?= $(OPT) -g
# lib/ has one folder per layer, lowest first (README "Layers"); a module's
# private headers sit beside it and are found by their bare name.
LIB_DIRS := util crypto entry store ledger sync audit report
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE -DACCORD_VERSION='"$(VERSION)"' $(WARN) $(CFLAGS) $(SANFLAGS) \
	-Iinclude $(LIB_DIRS:%=-Ilib/%) -I$(BUILD)/gen $(PKG_CFLAGS) -MMD -MP
ALL_LDFLAGS := $(LDFLAGS) $(SANFLAGS)

LIB_SRC := $(sort $(wildcard $(LIB_DIRS:%=lib/%/*.c)))
CMD_SRC := $(sort $(wildcard cmd/*.c))
TEST_SRC := $(sort $(wildcard tests/test_*.c))
SCHEMAS := $(sort $(wildcard schemas/*.json))

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/schemas_gen.o
CMD_OBJ := $(CMD_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
LIBA := $(BUILD)/libaccord.a
ACCORD := $(BUILD)/bin/accord

.PHONY: all deps test check warnings demo valgrind stress clean install uninstall

all: $(ACCORD) $(LIBA)
ifneq ($(SANITIZE),1)
	@mkdir -p bin && cp $(ACCORD) bin/accord.tmp && mv -f bin/accord.tmp bin/accord && cp $(LIBA) libaccord.a
endif

deps:
	@ACCORD_DEPS_TESTS=$(DEPS_TESTS) sh tools/deps.sh

$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -o $@ $<

$(BUILD)/gen/schemas_gen.c: $(BUILD)/tools/embed $(SCHEMAS)
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed $@ $(SCHEMAS)

$(BUILD)/gen/schemas_gen.o: $(BUILD)/gen/schemas_gen.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Tests find their inputs from any working directory: ACCORD_FIXTURES, else
# the source tree they were built from.
$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -DACCORD_SRCDIR='"$(CURDIR)"' -c -o $@ $<

$(LIBA): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(ACCORD): $(CMD_OBJ) $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(CMD_OBJ) $(LIBA) $(PKG_LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(LIBA)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBA) $(PKG_LIBS) $(CMOCKA_LIBS)

# The tests: every cmocka binary, then the end-to-end scripts against the
# real binary. tests/run prints the closing "N passed, N failed" line.
test:
	@$(MAKE) --no-print-directory deps DEPS_TESTS=1
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory $(TEST_BIN)
	@ACCORD_BIN=$(CURDIR)/$(ACCORD) BUILD=$(BUILD) sh tests/run $(TEST_BIN)

# In the end-to-end scripts (ACCORD_E2E_ASAN_OPTIONS, tests/run) the leak
# check is off: LeakSanitizer scans the sanitizer's own 9.7 MB of globals
# at every exit, about 20 ms in each of the thousands of processes the
# scripts start, a fifth of this run, which CI's 45 minutes cannot hold.
# Leaks are checked by LeakSanitizer in every unit test here, and by
# valgrind in the unit tests and the scripts of VALGRIND_E2E (make valgrind).
check:
	@ACCORD_E2E_ASAN_OPTIONS=detect_leaks=0$${ASAN_OPTIONS:+:$$ASAN_OPTIONS} \
		$(MAKE) --no-print-directory test SANITIZE=1

# The whole tree, tests included, must build without a single warning.
warnings:
	@$(MAKE) --no-print-directory BUILDDIR=build/werror CFLAGS="-O2 -g -Werror" \
		build/werror/bin/accord $(TEST_SRC:tests/%.c=build/werror/tests/%)

# Every unit test, and the end-to-end scripts in VALGRIND_E2E (all of them
# under valgrind take too long for CI), under memcheck: any error or leak fails.
VALGRIND_E2E ?= t0001-core.sh
valgrind:
	@$(MAKE) --no-print-directory all $(TEST_BIN)
	@ACCORD_VALGRIND=1 ACCORD_E2E="$(VALGRIND_E2E)" ACCORD_BIN=$(CURDIR)/$(ACCORD) BUILD=$(BUILD) sh tests/run $(TEST_BIN)

# The long hardening runs (counts in tests/stress.sh); not part of make test.
stress:
	@$(MAKE) --no-print-directory all
	@ACCORD_BIN=$(CURDIR)/$(ACCORD) sh tests/stress.sh

demo:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory all
	@bash tools/demo.sh $(CURDIR)/bin/accord

# Everything a system install needs; DESTDIR for staging, PREFIX for the layout.
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
MANDIR ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(PREFIX)/lib/pkgconfig

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/accord \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(PKGCONFIGDIR)
	install -m 0755 bin/accord $(DESTDIR)$(PREFIX)/bin/accord
	install -m 0644 libaccord.a $(DESTDIR)$(PREFIX)/lib/libaccord.a
	install -m 0644 include/accord.h $(DESTDIR)$(PREFIX)/include/accord.h
	install -m 0644 include/accord/*.h $(DESTDIR)$(PREFIX)/include/accord/
	install -m 0644 docs/accord.1 $(DESTDIR)$(MANDIR)/man1/accord.1
	install -m 0644 completion/accord.bash $(DESTDIR)$(BASHCOMPDIR)/accord
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' accord.pc.in \
		> $(DESTDIR)$(PKGCONFIGDIR)/accord.pc

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/accord $(DESTDIR)$(PREFIX)/lib/libaccord.a
	rm -f $(DESTDIR)$(PREFIX)/include/accord.h
	rm -rf $(DESTDIR)$(PREFIX)/include/accord
	rm -f $(DESTDIR)$(MANDIR)/man1/accord.1 $(DESTDIR)$(BASHCOMPDIR)/accord
	rm -f $(DESTDIR)$(PKGCONFIGDIR)/accord.pc

clean:
	rm -rf build bin libaccord.a

-include $(shell find build -name '*.d' 2>/dev/null)
.SECONDARY:
-include fuzz/fuzz.mk
-include bench/bench.mk
-include bench/run.mk

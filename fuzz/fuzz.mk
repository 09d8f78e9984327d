# libFuzzer harnesses (issue 5), included by the Makefile:
#
#   make fuzz                         build/fuzz/fuzz-<name> for each harness
#   make -j2 fuzz-run FUZZ_SECONDS=60 run each for FUZZ_SECONDS (two at once), seeded from fuzz/corpus/<name>/
#
# The library is compiled again with clang, sanitizers and coverage, into
# build/fuzz, so fuzzing objects never mix with the normal ones. Crashes are
# written to build/fuzz/crash-<name>-*; keep each as tests/fixtures/fuzz/<name>-<what>,
# where tests/test_fuzz_regress.c replays it under `make test`.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_DIR := build/fuzz
FUZZ_NAMES := entry sshsig json commit schema
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
# The Makefile's PKG_CFLAGS / PKG_LIBS when it defines them (so new dependencies follow).
FUZZ_PKG_CFLAGS := $(or $(PKG_CFLAGS),$(shell pkg-config --cflags libsodium libgit2 libcjson zlib 2>/dev/null))
FUZZ_PKG_LIBS := $(or $(PKG_LIBS),$(shell pkg-config --libs libsodium libgit2 libcjson zlib 2>/dev/null) -lmbedcrypto -lm)
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -DACCORD_VERSION='"fuzz"' -g -O1 $(FUZZ_SAN) \
	-Iinclude $(LIB_DIRS:%=-Ilib/%) -I$(FUZZ_DIR)/gen $(FUZZ_PKG_CFLAGS)
FUZZ_LIBS := $(FUZZ_PKG_LIBS) -lz -lpthread
FUZZ_LIB_OBJ := $(patsubst lib/%.c,$(FUZZ_DIR)/lib/%.o,$(LIB_SRC)) $(FUZZ_DIR)/gen/schemas_gen.o
FUZZ_BINS := $(FUZZ_NAMES:%=$(FUZZ_DIR)/fuzz-%)

.PHONY: fuzz fuzz-run

fuzz: $(FUZZ_BINS)

$(FUZZ_DIR)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -o $@ $<

$(FUZZ_DIR)/gen/schemas_gen.c: $(FUZZ_DIR)/tools/embed $(sort $(wildcard schemas/*.json))
	@mkdir -p $(dir $@)
	$(FUZZ_DIR)/tools/embed $@ $(sort $(wildcard schemas/*.json))

$(FUZZ_DIR)/gen/schemas_gen.o: $(FUZZ_DIR)/gen/schemas_gen.c
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_DIR)/lib/%.o: lib/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_DIR)/fuzz-%: fuzz/main.c fuzz/harnesses.h $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -DFUZZ_FN=fuzz_$* -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB_OBJ) $(FUZZ_LIBS)

# Each harness runs FUZZ_SECONDS; new inputs go to build/fuzz/corpus/<name>/
# (fuzz/corpus/<name>/ is the checked-in seed corpus, read only). One target
# per harness, so that `make -j2 fuzz-run` fuzzes two at once: the same time
# each, half the wall time on two cores.
fuzz-run: $(FUZZ_NAMES:%=fuzz-run-%)

fuzz-run-%: $(FUZZ_DIR)/fuzz-%
	@mkdir -p $(FUZZ_DIR)/corpus/$*
	@echo "fuzz-$*: $(FUZZ_SECONDS) s"
	@if ! $(FUZZ_DIR)/fuzz-$* -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
		-rss_limit_mb=2048 -max_len=70000 -print_final_stats=1 \
		-artifact_prefix=$(FUZZ_DIR)/crash-$*- \
		$(FUZZ_DIR)/corpus/$* fuzz/corpus/$* > $(FUZZ_DIR)/fuzz-$*.log 2>&1; then \
		tail -60 $(FUZZ_DIR)/fuzz-$*.log; \
		echo "fuzz-$* failed: keep the input as tests/fixtures/fuzz/$*-<what>"; exit 1; \
	fi; \
	grep -E '^Done|stat::number_of_executed_units' $(FUZZ_DIR)/fuzz-$*.log | sed 's/^/fuzz-$*: /'

-include $(wildcard $(FUZZ_DIR)/lib/*/*.d)

# bench/gen, the benchmark ledger generator (issue 7). The Makefile
# includes this file; `make` then also builds bench/gen.

BENCH_GEN := $(BUILD)/bench/gen
# bench/verify-limit: Ed25519 verifications per second on every core, the
# ceiling make bench sets the audit against (issue 14). libsodium only.
BENCH_LIMIT := $(BUILD)/bench/verify-limit
BENCH_BIN := $(BENCH_GEN) $(BENCH_LIMIT)

# lib/store/batch.c deflates pack objects with zlib (which libgit2 links anyway).
ifeq ($(filter -lz,$(PKG_LIBS)),)
PKG_LIBS += $(shell pkg-config --libs zlib 2>/dev/null || echo -lz)
endif

$(BENCH_GEN): $(BUILD)/bench/gen.o $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -pthread -o $@ $< $(LIBA) $(PKG_LIBS)

$(BENCH_LIMIT): $(BUILD)/bench/verify-limit.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -pthread -o $@ $< $(PKG_LIBS)

# Like bin/accord: the plain build is copied into the tree, the sanitized one is not.
ifneq ($(SANITIZE),1)
all: bench/gen bench/verify-limit
bench/gen: $(BENCH_GEN)
	cp $< $@
bench/verify-limit: $(BENCH_LIMIT)
	cp $< $@
endif

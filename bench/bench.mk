# bench/gen, the benchmark ledger generator (issue 7). The Makefile
# includes this file; `make` then also builds bench/gen.

BENCH_GEN := $(BUILD)/bench/gen
BENCH_BIN := $(BENCH_GEN)

# lib/batch.c deflates pack objects with zlib (which libgit2 links anyway).
ifeq ($(filter -lz,$(PKG_LIBS)),)
PKG_LIBS += $(shell pkg-config --libs zlib 2>/dev/null || echo -lz)
endif

$(BENCH_GEN): $(BUILD)/bench/gen.o $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -pthread -o $@ $< $(LIBA) $(PKG_LIBS)

# Like bin/accord: the plain build is copied into the tree, the sanitized one is not.
ifneq ($(SANITIZE),1)
all: bench/gen
bench/gen: $(BENCH_GEN)
	cp $< $@
endif

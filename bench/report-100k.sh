#!/bin/sh
# Time `accord report` on a ledger of about 100,000 entries (N=... to change).
#   sh bench/report-100k.sh [BUILD]   (BUILD defaults to build/plain; run `make` first)
# The ledger is written with the library directly (bench/report-100k.c) and
# removed afterwards. Timings are printed, never checked: they belong in notes.
set -eu
B=${1:-build/plain}
N=${N:-100000}
D=$(mktemp -d "${TMPDIR:-/tmp}/accord-bench.XXXXXX")
trap 'rm -rf "$D"' EXIT
echo "ledger and reports in $D (removed at the end)"
export GIT_CONFIG_NOSYSTEM=1 HOME="$D/home"
cc -O2 -std=c11 -D_GNU_SOURCE -Iinclude $(pkg-config --cflags libsodium libgit2 libcjson) \
	-o "$D/gen" bench/report-100k.c "$B/libaccord.a" $(pkg-config --libs libsodium libgit2 libcjson) -lm
echo "writing about $N entries..."
/usr/bin/time -f "  written in %es (max RSS %MkB)" "$D/gen" "$D" "$N"
export ACCORD_DIR="$D/ledger" ACCORD_NOW=2026-01-01T00:00:00Z
for f in json text html; do
	/usr/bin/time -f "  report --format $f: %es wall, %Us user, max RSS %MkB" "$B/bin/accord" --home "$D/alice" report --format $f -o "$D/report.$f"
done
/usr/bin/time -f "  loading and verifying alone (accord export): %es wall, %Us user" "$B/bin/accord" export >/dev/null
ls -l "$D"/report.*

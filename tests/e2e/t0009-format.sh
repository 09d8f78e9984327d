#!/bin/sh
# tools/check-format.sh passes on the tree and fails on a copy with one
# badly formatted line planted in it.
. "$(dirname "$0")/lib.sh"
SRC=$(cd "$(dirname "$0")/../.." && pwd)

expect 0 sh "$SRC/tools/check-format.sh"
contains "$OUT" "every C file is formatted" "the tree is formatted"

rm -rf "$T/tree"
mkdir -p "$T/tree"
cp -r "$SRC/lib" "$SRC/include" "$SRC/cmd" "$SRC/tests" "$SRC/bench" "$SRC/tools" "$SRC/fuzz" \
	"$SRC/.clang-format" "$T/tree/"
printf 'static int planted(void) { return 1; }\n' >>"$T/tree/lib/util/buf.c"
expect 1 sh "$T/tree/tools/check-format.sh"
contains "$ERR" "lib/util/buf.c: not formatted" "a badly formatted line is caught"
finish

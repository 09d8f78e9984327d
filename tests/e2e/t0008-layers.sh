#!/bin/sh
# tools/check-layers.sh passes on the tree and fails on an upward include
# planted in a copy of it (a lower layer including a higher one, one of
# sync, audit, report including another, a module outside the layer folders).
. "$(dirname "$0")/lib.sh"
SRC=$(cd "$(dirname "$0")/../.." && pwd)

expect 0 sh "$SRC/tools/check-layers.sh"
contains "$OUT" "every include points down" "the tree's layers hold"

plant() { # FILE LINE: a copy of the tree with LINE added to FILE
	rm -rf "$T/tree"
	mkdir -p "$T/tree"
	cp -r "$SRC/lib" "$SRC/include" "$SRC/cmd" "$SRC/tools" "$T/tree/"
	printf '%s\n' "$2" >>"$T/tree/$1"
}
plant lib/util/buf.c '#include "accord/ledger.h"'
expect 1 sh "$T/tree/tools/check-layers.sh"
contains "$ERR" "lib/util/buf.c (util) includes accord/ledger.h (ledger)" "util including the ledger is caught"
plant include/accord/entry.h '#include "accord/sync.h"'
expect 1 sh "$T/tree/tools/check-layers.sh"
contains "$ERR" "include/accord/entry.h (entry) includes accord/sync.h (sync)" "a public header including a higher one is caught"
plant lib/audit/audit.c '#include "accord/report.h"'
expect 1 sh "$T/tree/tools/check-layers.sh"
contains "$ERR" "lib/audit/audit.c (audit) includes accord/report.h (report)" "audit including report is caught"
plant lib/util/buf.c ''
touch "$T/tree/lib/newthing.c"
expect 1 sh "$T/tree/tools/check-layers.sh"
contains "$ERR" "lib/newthing.c: not in a layer folder" "a module outside the layer folders is caught"
rm "$T/tree/lib/newthing.c"
plant lib/ledger/index.h '#include "report_impl.h"'
touch "$T/tree/lib/report/report_impl.h"
expect 1 sh "$T/tree/tools/check-layers.sh"
contains "$ERR" "lib/ledger/index.h (ledger) includes report_impl.h (report)" "a private header including a higher layer's is caught"
finish

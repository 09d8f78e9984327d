#!/bin/sh
# The library's layers, lowest first (README "Layers"), one folder of lib/
# each:
#   util → crypto → entry → store → ledger → {sync, audit, report} → cmd
# A module may include its own layer's headers and those below it, never a
# higher layer's, and sync, audit and report never include each other.
# A module's layer is the folder of lib/ it sits in; a public header
# (include/accord/NAME.h) has the layer of lib/*/NAME.c. Checked on every
# #include "..." of lib/, include/accord/ and cmd/; `make test` runs it.
# Prints each violation and exits 1 if there is one. One awk reads every
# file once: the map of modules to layers comes from the file names.
set -u
cd "$(dirname "$0")/.." || exit 2
files=""
for f in lib/*.c lib/*.h lib/*/*.c lib/*/*.h include/accord/*.h cmd/*.c cmd/*.h; do
	[ -e "$f" ] && files="$files $f"
done
# shellcheck disable=SC2086
awk '
function base(p) { sub(/.*\//, "", p); sub(/\.[ch]$/, "", p); return p }
function folder(p) { sub(/^lib\//, "", p); sub(/\/.*/, "", p); return p }
BEGIN {
	split("util crypto entry store ledger sync audit report", names, " ")
	for (i = 1; i <= 8; i++) rank[names[i]] = i < 6 ? i : 6
	# a module is where its source sits, else its private header (the first found)
	for (pass = 1; pass <= 2; pass++)
		for (i = 1; i < ARGC; i++) {
			f = ARGV[i]
			if (f !~ /^lib\/[^\/]+\/[^\/]+$/ || (pass == 1) != (f ~ /\.c$/)) continue
			m = base(f)
			if (!(m in layer)) layer[m] = folder(f)
		}
	# the layer of each file; one in none is a fault (an empty one too: awk never reads it)
	for (i = 1; i < ARGC; i++) {
		f = ARGV[i]
		me = ""
		if (f ~ /^cmd\//) me = "cmd"
		else if (f ~ /^include\//) { m = base(f); if (m in layer) me = layer[m] }
		else if (f ~ /^lib\/[^\/]+\//) me = folder(f)
		if (me == "cmd" || me in rank) { of[f] = me; continue }
		print f ": not in a layer folder of lib/ (util, crypto, entry, store, ledger, sync, audit, report)" > "/dev/stderr"
		status = 1
	}
}
FNR == 1 {
	if (!(FILENAME in of)) nextfile
	me = of[FILENAME]
	myrank = me == "cmd" ? 7 : rank[me]
}
/^[[:space:]]*#[[:space:]]*include[[:space:]]*"/ {
	h = $0
	sub(/^[^"]*"/, "", h)
	sub(/".*/, "", h)
	hm = h
	sub(/.*\//, "", hm)
	sub(/\.h$/, "", hm)
	if (!(hm in layer)) next # a header of cmd/ or tests, not the library'"'"'s
	they = layer[hm]
	if (rank[they] > myrank || (rank[they] == 6 && myrank == 6 && they != me)) {
		print FILENAME " (" me ") includes " h " (" they "): a lower layer never includes a higher one" > "/dev/stderr"
		status = 1
	}
}
END {
	if (!status) print "layers: every include points down"
	exit status
}' $files

#!/bin/sh
# The library's layers, lowest first (README "Layers"), one folder of lib/
# each:
#   util → crypto → entry → store → ledger → {sync, audit, report} → cmd
# A module may include its own layer's headers and those below it, never a
# higher layer's, and sync, audit and report never include each other.
# A module's layer is the folder of lib/ it sits in; a public header
# (include/accord/NAME.h) has the layer of lib/*/NAME.c. Checked on every
# #include "..." of lib/, include/accord/ and cmd/; `make test` runs it.
# Prints each violation and exits 1 if there is one.
set -u
cd "$(dirname "$0")/.." || exit 2

# rank FOLDER: the rank of a layer folder of lib/
rank() {
	case "$1" in
	util) echo 1 ;;
	crypto) echo 2 ;;
	entry) echo 3 ;;
	store) echo 4 ;;
	ledger) echo 5 ;;
	sync | audit | report) echo 6 ;;
	cmd) echo 7 ;;
	*) echo "" ;;
	esac
}

# layer MODULE: "RANK FOLDER" of a module (a file's base name), from where
# its source or private header sits in lib/; empty if it is not the library's
layer() {
	for f in lib/*/"$1".c lib/*/"$1".h; do
		[ -e "$f" ] || continue
		d=$(basename "$(dirname "$f")")
		echo "$(rank "$d") $d"
		return
	done
}

status=0
for f in lib/*.c lib/*.h lib/*/*.c lib/*/*.h include/accord/*.h cmd/*.c cmd/*.h; do
	[ -e "$f" ] || continue
	m=$(basename "$f" | sed 's/\.[ch]$//')
	case "$f" in
	cmd/*) me="7 cmd" ;;
	include/*) me=$(layer "$m") ;;
	lib/*/*) d=$(basename "$(dirname "$f")") && me="$(rank "$d") $d" ;;
	*) me="" ;;
	esac
	if [ -z "${me% *}" ] || [ "$me" = " " ]; then
		echo "$f: not in a layer folder of lib/ (util, crypto, entry, store, ledger, sync, audit, report)" >&2
		status=1
		continue
	fi
	for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
		hm=$(basename "$h" | sed 's/\.h$//')
		they=$(layer "$hm")
		[ -n "$they" ] || continue # a header of cmd/ or tests, not the library's
		if [ "${they% *}" -gt "${me% *}" ] ||
			{ [ "${they% *}" = 6 ] && [ "${me% *}" = 6 ] && [ "${they#* }" != "${me#* }" ]; }; then
			echo "$f (${me#* }) includes $h (${they#* }): a lower layer never includes a higher one" >&2
			status=1
		fi
	done
done
[ "$status" = 0 ] && echo "layers: every include points down"
exit "$status"

#!/bin/sh
# The library's layers, lowest first (README "Layers"):
#   util → crypto → entry → store → ledger → {sync, audit, report} → cmd
# A module may include its own layer's headers and those below it, never a
# higher layer's, and sync, audit and report never include each other.
# Checked on every #include "..." of lib/, include/accord/ and cmd/; `make
# test` runs it. Prints each violation and exits 1 if there is one.
set -u
cd "$(dirname "$0")/.." || exit 2

# layer MODULE: the rank and group of a module (a file's base name)
layer() {
	case "$1" in
	array | buf | encode | error | escape | file | idmap | json | process | timefmt) echo "1 util" ;;
	agent | key | key_* | sigcache | sshsig) echo "2 crypto" ;;
	entry | global | schema | schema_* | schemas_gen) echo "3 entry" ;;
	batch | chain | store) echo "4 store" ;;
	agreement | causal | clock | figure | hours | incident | incident_json | index | ledger | ledger_impl | party | verify)
		echo "5 ledger" ;;
	sync | transport) echo "6 sync" ;;
	audit) echo "6 audit" ;;
	inbox | ledgers | report) echo "6 report" ;;
	*) echo "" ;;
	esac
}

status=0
for f in lib/*.c lib/*.h include/accord/*.h cmd/*.c cmd/*.h; do
	[ -e "$f" ] || continue
	m=$(basename "$f" | sed 's/\.[ch]$//')
	case "$f" in cmd/*) me="7 cmd" ;; *) me=$(layer "$m") ;; esac
	if [ -z "$me" ]; then
		echo "$f: module '$m' has no layer in tools/check-layers.sh" >&2
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

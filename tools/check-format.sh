#!/bin/sh
# Every C file of the tree is formatted as .clang-format says (clang-format
# 14, Debian 12's; other versions format a few constructs differently).
# `make test` runs it. Prints each file that differs and exits 1 if one does;
# `clang-format -i FILE` fixes it.
set -u
cd "$(dirname "$0")/.." || exit 2
cf=$(command -v clang-format-14) || {
	echo "check-format: clang-format not found (apt-get install clang-format-14)" >&2
	exit 2
}
# one clang-format for every file: it names each line that differs
# shellcheck disable=SC2046
if out=$("$cf" --dry-run --Werror $(find lib include cmd tests bench tools fuzz -name '*.[ch]' | sort) 2>&1); then
	echo "format: every C file is formatted"
	exit 0
fi
bad=$(printf '%s\n' "$out" | sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error:.*/\1/p' | uniq)
[ -n "$bad" ] || {
	printf '%s\n' "$out" >&2
	exit 2
}
for f in $bad; do
	echo "$f: not formatted as .clang-format says (clang-format -i $f)" >&2
done
exit 1

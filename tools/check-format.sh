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
status=0
for f in $(find lib include cmd tests bench tools fuzz -name '*.[ch]' | sort); do
	if ! "$cf" --dry-run --Werror "$f" >/dev/null 2>&1; then
		echo "$f: not formatted as .clang-format says (clang-format -i $f)" >&2
		status=1
	fi
done
[ "$status" = 0 ] && echo "format: every C file is formatted"
exit "$status"

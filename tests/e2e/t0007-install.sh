# make install / uninstall, the man page and the pkg-config file (issue 9).
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
D="$T/stage"
make -s -C "$ROOT" install PREFIX=/opt/accord DESTDIR="$D" >/dev/null 2>"$T/err" && ok || bad "make install: $(cat "$T/err")"
for f in bin/accord lib/libaccord.a include/accord.h include/accord/ledger.h share/man/man1/accord.1 \
	share/bash-completion/completions/accord lib/pkgconfig/accord.pc; do
	[ -f "$D/opt/accord/$f" ] && ok || bad "installed $f"
done
"$D/opt/accord/bin/accord" --version >/dev/null && ok || bad "installed binary runs"
PKG_CONFIG_PATH="$D/opt/accord/lib/pkgconfig" pkg-config --cflags accord | grep -q -- "-I/opt/accord/include" && ok || bad "accord.pc"
# a program built against the installed library and header
cat > "$T/use.c" <<'C'
#include <accord.h>
int main(void) { return accord_init() == 0 ? 0 : 1; }
C
cc -o "$T/use" "$T/use.c" -I"$D/opt/accord/include" $(pkg-config --cflags libcjson) \
	"$D/opt/accord/lib/libaccord.a" $(pkg-config --libs libsodium libgit2 libcjson) -lm 2>"$T/err" && "$T/use" && ok || bad "link against libaccord: $(cat "$T/err")"
if command -v mandoc >/dev/null; then
	equal "$(mandoc -T lint -W warning "$ROOT/docs/accord.1" 2>&1)" "" "mandoc -T lint reports nothing above style level"
else
	skip "mandoc not installed"
fi
make -s -C "$ROOT" uninstall PREFIX=/opt/accord DESTDIR="$D" >/dev/null 2>&1 && ok || bad "make uninstall"
equal "$(find "$D" -type f | wc -l)" 0 "uninstall removes every file"
finish

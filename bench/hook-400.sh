#!/bin/sh
# The hub's hook under a hostile push (issue 12): N feeds of keys that belong
# to no party, then N evidence refs that prove nothing, pushed with stock git
# to a hub running `accord hook pre-receive`. Both are refused; this prints
# how long each push took. Linear work is what the tests check (they count
# signature checks); this measures time. usage: sh bench/hook-400.sh [N]
set -eu
N=${1:-400}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ACCORD=${ACCORD_BIN:-$ROOT/build/plain/bin/accord}
LIBA=${ACCORD_LIBA:-$ROOT/build/plain/libaccord.a}
T=$(mktemp -d /tmp/accord-bench.XXXXXX)
trap 'rm -rf "$T"' EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME="$T/home"
unset ACCORD_HOME ACCORD_DIR ACCORD_PASSPHRASE
mkdir -p "$HOME"
cc -std=c11 -D_GNU_SOURCE -O2 -I"$ROOT/include" $(pkg-config --cflags libsodium libgit2 libcjson) \
	-o "$T/outsiders" "$ROOT/bench/outsiders.c" "$LIBA" \
	$(pkg-config --libs libsodium libgit2 libcjson) -lm
now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l | sed 's/^\./0./' | cut -c1-5; }

"$ACCORD" --home "$T/alice" key new --name alice --no-passphrase >/dev/null 2>&1 ||
	"$ACCORD" --home "$T/alice" key new --name alice >/dev/null 2>&1
"$ACCORD" --home "$T/alice" init --party acme "$T/a" >/dev/null 2>&1
git init -q --bare "$T/hub.git"
printf '#!/bin/sh\nexec "%s" hook pre-receive\n' "$ACCORD" >"$T/hub.git/hooks/pre-receive"
chmod +x "$T/hub.git/hooks/pre-receive"
git -C "$T/a" push -q "$T/hub.git" 'refs/accord/*:refs/accord/*'
"$T/outsiders" "$T/a" "$T/keys" "$N" >"$T/list"

t0=$(now)
git -C "$T/a" push -q "$T/hub.git" 'refs/accord/feeds/*:refs/accord/feeds/*' >"$T/out" 2>&1 && exit 1
t1=$(now)
refused=$(grep -o '[0-9]* refused' "$T/out" | head -1)
echo "push of $N feeds of unknown keys: refused ($refused) in $(secs "$t0" "$t1") s"

# N evidence refs naming those commits: validly signed, by keys of no party
while read -r c k; do
	git -C "$T/a" update-ref "refs/accord/evidence/$k/$c" "$c"
done <"$T/list"
t0=$(now)
git -C "$T/a" push -q "$T/hub.git" 'refs/accord/evidence/*:refs/accord/evidence/*' >"$T/out" 2>&1 && exit 1
t1=$(now)
refused=$(grep -o '[0-9]* refused' "$T/out" | head -1)
echo "push of $N evidence refs that prove nothing: refused ($refused) in $(secs "$t0" "$t1") s"

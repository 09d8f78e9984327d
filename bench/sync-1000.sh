#!/bin/sh
# Sync time for 1,000 new entries over git:// on loopback (issue 4).
# A founder appends 1,000 entries (one incident and 999 notes, written in
# one process by bench/sync-append.c), then times `accord sync` pushing
# them to a hub served by `git daemon` on 127.0.0.1 (the hub runs the
# accord pre-receive hook, so the push includes the hub's verification),
# and a second party's `accord sync` fetching and verifying them.
# usage: sh bench/sync-1000.sh [N]   (after make; uses build/plain)
set -eu
N=${1:-1000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ACCORD=${ACCORD_BIN:-$ROOT/build/plain/bin/accord}
LIBA=${ACCORD_LIBA:-$ROOT/build/plain/libaccord.a}
T=$(mktemp -d /tmp/accord-bench.XXXXXX)
PID=""
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -rf "$T"' EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME="$T/home"
unset ACCORD_HOME ACCORD_DIR ACCORD_PASSPHRASE
mkdir -p "$HOME"

cc -std=c11 -D_GNU_SOURCE -O2 -I"$ROOT/include" $(pkg-config --cflags libsodium libgit2 libcjson) \
	-o "$T/sync-append" "$ROOT/bench/sync-append.c" "$LIBA" \
	$(pkg-config --libs libsodium libgit2 libcjson) -lm

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l | sed 's/^\./0./' | cut -c1-5; }

"$ACCORD" --home "$T/alice" key new --name alice --no-passphrase >/dev/null 2>&1
"$ACCORD" --home "$T/bob" key new --name bob --no-passphrase >/dev/null 2>&1
"$ACCORD" --home "$T/alice" init --party acme "$T/a" >/dev/null
git init -q --bare "$T/srv/hub.git"
printf '#!/bin/sh\nexec "%s" hook pre-receive\n' "$ACCORD" >"$T/srv/hub.git/hooks/pre-receive"
chmod +x "$T/srv/hub.git/hooks/pre-receive"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
git daemon --reuseaddr --listen=127.0.0.1 --port="$PORT" --base-path="$T/srv" --export-all \
	--enable=receive-pack "$T/srv" 2>/dev/null &
PID=$!
URL="git://127.0.0.1:$PORT/hub.git"
i=0
until git ls-remote "$URL" >/dev/null 2>&1 || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
"$ACCORD" --home "$T/alice" -C "$T/a" party invite globex --key "$T/bob/key.pub" >/dev/null
"$ACCORD" -C "$T/a" remote add hub "$URL"
"$ACCORD" --home "$T/alice" -C "$T/a" sync >/dev/null
"$ACCORD" --home "$T/bob" clone "$URL" "$T/b" >/dev/null

t0=$(now)
"$T/sync-append" "$T/a" "$T/alice" "$N"
t1=$(now)
"$ACCORD" --home "$T/alice" -C "$T/a" sync --no-checkpoint >/dev/null
t2=$(now)
"$ACCORD" --home "$T/bob" -C "$T/b" sync --no-checkpoint >/dev/null
t3=$(now)
test "$(git -C "$T/b" for-each-ref refs/accord/feeds)" = "$(git -C "$T/a" for-each-ref refs/accord/feeds)"
echo "entries:                      $N (written in $(secs "$t0" "$t1") s)"
echo "push sync (incl. hub hook):   $(secs "$t1" "$t2") s"
echo "fetch sync (verify + take):   $(secs "$t2" "$t3") s"

# Network faults (issue 8): a connection cut mid-transfer, with the git
# daemon killed at that moment, during a push and during a fetch. Both sides
# stay valid, the failure is reported, and a retry completes.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
GEN="$ROOT/bench/gen"
[ -x "$GEN" ] || { skip "bench/gen is not built (run make)"; finish; exit $?; }

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
DPORT=$(free_port)
start_daemon() {
	git daemon --reuseaddr --listen=127.0.0.1 --port="$DPORT" --base-path="$T" --export-all \
		--enable=receive-pack --pid-file="$T/daemon.pid" "$T" 2>/dev/null &
	i=0; while ! (echo > /dev/tcp/127.0.0.1/$DPORT) 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done 2>/dev/null
	sleep 0.3
}
kill_daemon() {
	[ -f "$T/daemon.pid" ] && kill -9 "$(cat "$T/daemon.pid")" 2>/dev/null
	pkill -9 -f "git-daemon.*--port=$DPORT" 2>/dev/null
	pkill -9 -f "git-upload-pack $T" 2>/dev/null; pkill -9 -f "git-receive-pack $T" 2>/dev/null
	pkill -9 -f "upload-pack.*$T" 2>/dev/null; pkill -9 -f "receive-pack.*$T" 2>/dev/null
	rm -f "$T/daemon.pid"; sleep 0.3
}
PROXY=""
start_proxy() { # DIRECTION LIMIT
	PPORT=$(free_port); rm -f "$T/cut"
	/usr/bin/python3 "$(dirname "$0")/cutproxy.py" "$PPORT" "$DPORT" "$1" "$2" "$T/cut" & PROXY=$!
	sleep 0.3
}
stop_all() { [ -n "$PROXY" ] && kill "$PROXY" 2>/dev/null; kill_daemon; }
trap 'stop_all; rm -rf "$T"' EXIT
# wait for the cut, kill the daemon right then
kill_at_cut() { i=0; while [ ! -e "$T/cut" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done; [ -e "$T/cut" ] && kill_daemon; }

"$GEN" --entries 4000 --seed 7 --homes "$T/homes" "$T/a" >/dev/null 2>&1 || bad "bench/gen"
HOME_A="$T/homes/$(ls "$T/homes" | head -1)"
git init -q --bare "$T/hub.git"
start_daemon

# --- push cut: sync from A to the hub --------------------------------------------------
start_proxy up 200000
git -C "$T/a" remote add hub "git://127.0.0.1:$PPORT/hub.git"
BEFORE=$(refs "$T/a")
accord -C "$T/a" --home "$HOME_A" sync --no-checkpoint hub > "$T/out" 2> "$T/err" & SYNC=$!
kill_at_cut && ok || bad "the proxy cut the push"
wait $SYNC; code=$?
[ "$code" != 0 ] && ok || bad "a cut push is reported as a failure (exit $code)"
contains "$(cat "$T/err")" "hub" "the failure names the remote"
equal "$(refs "$T/a")" "$BEFORE" "the local ledger is unchanged"
expect 0 accord -C "$T/a" list --limit 1
git -C "$T/hub.git" fsck --no-dangling >/dev/null 2>&1 && ok || bad "the hub is a valid repository after the cut"
kill "$PROXY" 2>/dev/null; wait "$PROXY" 2>/dev/null
# retry: through a proxy that lets everything pass
start_daemon
start_proxy up 0
git -C "$T/a" remote set-url hub "git://127.0.0.1:$PPORT/hub.git"
expect 0 accord -C "$T/a" --home "$HOME_A" sync --no-checkpoint hub
equal "$(refs "$T/hub.git")" "$(refs "$T/a")" "the retried push completes"
kill "$PROXY" 2>/dev/null; wait "$PROXY" 2>/dev/null

# --- fetch cut: clone and sync from the hub ------------------------------------------------
start_proxy down 200000
accord clone "git://127.0.0.1:$PPORT/hub.git" "$T/b" > "$T/out" 2> "$T/err" & CLONE=$!
kill_at_cut && ok || bad "the proxy cut the fetch"
wait $CLONE; code=$?
[ "$code" != 0 ] && ok || bad "a cut fetch is reported as a failure (exit $code)"
[ ! -e "$T/b" ] && ok || bad "a failed clone leaves nothing behind"
kill "$PROXY" 2>/dev/null; wait "$PROXY" 2>/dev/null
start_daemon
start_proxy down 0
expect 0 accord clone "git://127.0.0.1:$PPORT/hub.git" "$T/b"
equal "$(refs "$T/b")" "$(refs "$T/a")" "the retried clone completes"
kill "$PROXY" 2>/dev/null; wait "$PROXY" 2>/dev/null
# a sync whose fetch is cut: A writes more, B (a clone) fetches through the cutting proxy
HID=$(accord -C "$T/a" list --quiet --limit 1 --status open)
[ -n "$HID" ] || HID=$(accord -C "$T/a" list --quiet --limit 1)
i=0
while [ $i -lt 300 ]; do
	i=$((i + 1))
	accord -C "$T/a" --home "$HOME_A" note "$HID" "note $i with some text to make the pack larger: $(head -c 300 /dev/zero | tr '\0' x)" >/dev/null 2>&1 || { bad "note $i"; break; }
done
git -C "$T/a" remote set-url hub "git://127.0.0.1:$DPORT/hub.git"
expect 0 accord -C "$T/a" --home "$HOME_A" sync --no-checkpoint hub
start_proxy down 60000
git -C "$T/b" remote add cut "git://127.0.0.1:$PPORT/hub.git"
BEFORE=$(refs "$T/b")
accord -C "$T/b" sync --no-checkpoint cut > "$T/out" 2> "$T/err" & SYNC=$!
kill_at_cut && ok || bad "the proxy cut the sync's fetch"
wait $SYNC; code=$?
[ "$code" != 0 ] && ok || bad "a cut fetch in sync is reported (exit $code)"
contains "$(cat "$T/err")" "cut" "the failure names the remote"
equal "$(refs "$T/b")" "$BEFORE" "the local ledger is unchanged by the cut fetch"
expect 0 accord -C "$T/b" list --limit 1
kill "$PROXY" 2>/dev/null; wait "$PROXY" 2>/dev/null
start_daemon
start_proxy down 0
git -C "$T/b" remote set-url cut "git://127.0.0.1:$PPORT/hub.git"
expect 0 accord -C "$T/b" sync --no-checkpoint cut
equal "$(refs "$T/b")" "$(refs "$T/a")" "the retried sync completes"
finish

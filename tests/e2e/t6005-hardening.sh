# Hardening (issue 8), short variants: concurrency, stale locks, kills, hostile input.
# tests/stress.sh runs the long variants (make stress).
. "$(dirname "$0")/lib.sh"

N_CONC=${ACCORD_STRESS_CONC:-40}
N_KILL=${ACCORD_STRESS_KILLS:-40}
L="$T/ledger"
git init -q "$L"
export ACCORD_DIR="$L"
newkey alice; newkey bob
accord --home "$T/alice" init --party acme >/dev/null || bad init
accord --home "$T/alice" member add --key "$(accord --home "$T/bob" key show | tail -1)" --name bob >/dev/null || bad "add bob"
ID=$(accord --home "$T/alice" open --title t --severity 3 --service s) || bad open
AID=$(accord --home "$T/alice" key show | head -1)
BID=$(accord --home "$T/bob" key show | head -1)

# --- two processes, same key: one linear feed, no loss, no failed command ---------------
before=$(git -C "$L" rev-list --count "refs/accord/feeds/$AID")
writer() { i=0; while [ $i -lt "$N_CONC" ]; do i=$((i + 1)); accord --home "$T/$1" note "$ID" "$2 $i" >/dev/null 2>>"$T/errors" || echo fail >> "$T/failures"; done; }
writer alice one & p1=$!
writer alice two & p2=$!
wait $p1 $p2
equal "$(cat "$T/failures" 2>/dev/null | wc -l)" 0 "no failed command with one key ($(cat "$T/errors" 2>/dev/null | head -3))"
equal "$(git -C "$L" rev-list --count "refs/accord/feeds/$AID")" $((before + 2 * N_CONC)) "one linear feed of every entry"
equal "$(git -C "$L" rev-list --merges --count "refs/accord/feeds/$AID")" 0 "no merge, no fork"
# two different keys at once
writer alice three & p1=$!
writer bob four & p2=$!
wait $p1 $p2
equal "$(cat "$T/failures" 2>/dev/null | wc -l)" 0 "no failed command with two keys"
equal "$(git -C "$L" rev-list --count "refs/accord/feeds/$BID")" "$N_CONC" "bob's feed complete"
expect 0 accord log --json
equal "$(echo "$OUT" | jget 'len([e for e in d if e["type"] == "note"])')" $((4 * N_CONC)) "every note verified and present"

# --- stale locks ---------------------------------------------------------------------------
# our flock dies with its process; git's ref lock file does not, and is recovered under the flock
# (one process holds the lock, as accord does, and is killed while holding it)
/usr/bin/python3 -c 'import fcntl,sys,time; f=open(sys.argv[1],"a"); fcntl.flock(f, fcntl.LOCK_EX); open(sys.argv[2],"w").close(); time.sleep(60)' \
	"$L/.git/accord/lock" "$T/locked" & holder=$!
while [ ! -e "$T/locked" ]; do sleep 0.05; done
kill -9 $holder; wait $holder 2>/dev/null
expect 0 accord --home "$T/alice" note "$ID" "after a killed lock holder"
touch "$L/.git/refs/accord/feeds/$AID.lock"
expect 0 accord --home "$T/alice" note "$ID" "after a stale ref lock"
[ ! -e "$L/.git/refs/accord/feeds/$AID.lock" ] && ok || bad "stale ref lock removed"

# --- SIGKILL at random moments during appends ------------------------------------------------
: > "$T/printed"
i=0
while [ $i -lt "$N_KILL" ]; do
	i=$((i + 1))
	"$ACCORD_BIN" --home "$T/alice" note "$ID" "kill $i" >> "$T/printed" 2>/dev/null &
	pid=$!
	# sleep 0 to 40 ms, then kill: sometimes before, during or after the append
	sleep "0.0$(( $(od -An -N1 -tu1 /dev/urandom) % 5 ))"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
done
git -C "$L" fsck --no-dangling >/dev/null 2>"$T/fsck" && ok || bad "git fsck after kills: $(cat "$T/fsck")"
expect 0 accord log --json
LOG=$OUT
lost=0
for id in $(cat "$T/printed"); do
	case "$LOG" in *"\"$id"*) ;; *) lost=$((lost + 1)) ;; esac
done
equal "$lost" 0 "every entry whose id was printed before a kill is present ($(wc -l < "$T/printed") printed)"
expect 0 accord --home "$T/alice" note "$ID" "appends still work after the kills"

# --- SIGKILL at random moments during syncs -----------------------------------------------------
N_SYNCKILL=${ACCORD_STRESS_SYNCKILLS:-5}
accord clone "$L" "$T/b" >/dev/null 2>&1 || bad "clone for the sync kills"
i=0
while [ $i -lt "$N_SYNCKILL" ]; do
	i=$((i + 1))
	accord --home "$T/alice" note "$ID" "before sync kill $i" >> "$T/printed" 2>/dev/null || bad "note before sync $i"
	accord --home "$T/bob" -C "$T/b" note "$ID" "from b, sync kill $i" >> "$T/printed_b" 2>/dev/null || bad "note in b $i"
	"$ACCORD_BIN" --home "$T/bob" -C "$T/b" sync --no-checkpoint >/dev/null 2>&1 &
	pid=$!
	sleep "0.0$(( $(od -An -N1 -tu1 /dev/urandom) % 10 ))"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
done
# kill -9 stops accord, not the git push or fetch it started: fsck once they are done
for w in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	pgrep -f "git.*($T/b|$L)" >/dev/null 2>&1 || break
	sleep 0.25
done
git -C "$T/b" fsck --no-dangling >/dev/null 2>"$T/fsck" && ok || bad "git fsck in b after sync kills: $(cat "$T/fsck")"
git -C "$L" fsck --no-dangling >/dev/null 2>"$T/fsck" && ok || bad "git fsck in a after sync kills: $(cat "$T/fsck")"
expect 0 accord --home "$T/bob" -C "$T/b" sync --no-checkpoint
expect 0 accord -C "$T/b" audit --no-record
expect 0 accord audit --no-record
expect 0 accord -C "$T/b" log --json
LOGB=$OUT
lost=0
for id in $(cat "$T/printed" "$T/printed_b"); do
	case "$LOGB" in *"\"$id"*) ;; *) lost=$((lost + 1)) ;; esac
done
equal "$lost" 0 "after $N_SYNCKILL killed syncs and a retry, every printed entry is in b"
equal "$(refs "$T/b" | grep feeds)" "$(refs "$L" | grep feeds)" "both sides hold the same feeds"

# --- a killed sync takes its git with it ----------------------------------------------------------
# a remote whose upload-pack hangs: the git fetch accord starts would outlive a
# killed accord and race the next sync in the quarantine, unless it dies with it
git -C "$T/b" remote add slow "$L"
git -C "$T/b" config remote.slow.uploadpack "sleep 30; git-upload-pack"
"$ACCORD_BIN" --home "$T/bob" -C "$T/b" sync slow --no-checkpoint >/dev/null 2>&1 &
pid=$!
n=0
while [ $n -lt 100 ] && ! pgrep -P $pid -f "fetch" >/dev/null; do sleep 0.05; n=$((n + 1)); done
child=$(pgrep -P $pid -f "fetch" | head -1)
[ -n "$child" ] && ok || bad "the slow sync started its git fetch"
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
n=0
while [ $n -lt 100 ] && [ -n "$child" ] && kill -0 "$child" 2>/dev/null; do sleep 0.05; n=$((n + 1)); done
if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then bad "git fetch $child outlived the killed accord: $(ps -o pid,ppid,stat,args -p $child | tail -1)"; else ok; fi
git -C "$T/b" remote remove slow
expect 0 accord --home "$T/bob" -C "$T/b" sync --no-checkpoint

# --- a rolled-back feed is never written on again (that would be equivocation) ---------------------
FEED="refs/accord/feeds/$AID"
HEAD_NOW=$(git -C "$L" rev-parse "$FEED")
git -C "$L" update-ref "$FEED" "$HEAD_NOW~2"
rm -rf "$L/.git/accord/index/incidents" # even a damaged index keeps the furthest point verified
BEFORE=$(refs "$L")
expect 3 accord --home "$T/alice" note "$ID" "on a rolled-back feed"
contains "$ERR" "rolled back" "the refusal says the feed was rolled back"
equal "$(refs "$L")" "$BEFORE" "nothing written on a rolled-back feed"
git -C "$L" update-ref "$FEED" "$HEAD_NOW"
expect 0 accord --home "$T/alice" note "$ID" "after the feed is restored"

# --- hostile input ------------------------------------------------------------------------------
BEFORE=$(refs "$L")
expect 2 accord --home "$T/alice" note "$ID" "$(head -c 100000 /dev/zero | tr '\0' x)"
expect 2 accord --home "$T/alice" open --title "$(head -c 100000 /dev/zero | tr '\0' x)" --severity 1 --service s
expect 2 accord --home "$T/alice" note "$ID" "$(printf 'bad \300\200 overlong')"
expect 2 accord --home "$T/alice" note "$ID" "$(printf 'bad \355\240\200 surrogate')"
expect 2 accord --home "$T/alice" open --title "$(printf 'tab\there')" --severity 1 --service s
expect 2 accord --home "$T/alice" init --party ../../etc
expect 2 accord --home "$T/alice" party invite "a/b" --key "$(accord --home "$T/bob" key show | tail -1)"
expect 2 accord --home "$T/alice" member add --key "$(accord --home "$T/bob" key show | tail -1)" --name "../x"
expect 2 accord --home "$T/alice" open --title t --severity 1 --service s --parties "..,/etc"
expect 2 accord --home "$T/alice" open --title t --severity 1 --service s --ticket "../x:1"
equal "$(refs "$L")" "$BEFORE" "nothing written by hostile input"
# a 10 MB commit on a feed ref: refused with exit 3 without reading it whole
head -c 10485760 /dev/zero | tr '\0' ' ' > "$T/big"
BIGC=$( (printf 'tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor x <x> 1 +0000\ncommitter x <x> 1 +0000\n\n{"v":1,'; cat "$T/big"; printf '}') | git -C "$L" hash-object -t commit -w --stdin --literally)
BOBHEAD=$(git -C "$L" rev-parse "refs/accord/feeds/$BID")
git -C "$L" update-ref "refs/accord/feeds/$BID" "$BIGC"
expect 0 accord list
contains "$ERR" "left out" "list says it left entries out"
expect 3 accord list --strict
# alice's entries that depend on bob's are pending meanwhile, so the first line may name those
expect 3 accord audit --no-record
contains "$OUT" "larger than" "oversized entry named"
git -C "$L" update-ref "refs/accord/feeds/$BID" "$BOBHEAD" # bob's feed back: alice's entries depend on it
# refs outside the layout under refs/accord/feeds/
git -C "$L" update-ref "refs/accord/feeds/not-a-key" "$(git -C "$L" rev-parse "refs/accord/feeds/$AID")"
expect 0 accord list
expect 3 accord audit --no-record
contains "$OUT" "outside the layout" "a ref outside the layout is named by the audit"
git -C "$L" update-ref -d "refs/accord/feeds/not-a-key"
expect 0 accord list

# --- too many entries in one push: the hub's hook refuses it, bounded ---------------------------
HUB="$T/hub.git"
git init -q --bare "$HUB"
printf '#!/bin/sh\nexec "%s" hook pre-receive\n' "$ACCORD_BIN" > "$HUB/hooks/pre-receive"
chmod +x "$HUB/hooks/pre-receive"
N_PUSH=${ACCORD_STRESS_PUSH:-0}
if [ "$N_PUSH" -gt 0 ] && [ -x "$(dirname "$0")/../../bench/gen" ]; then
	# the long variant: a real ledger of N_PUSH entries against the default limit
	"$(dirname "$0")/../../bench/gen" --entries "$N_PUSH" --seed 3 --homes "$T/bighomes" "$T/bigledger" >/dev/null 2>&1 || bad "bench/gen"
	SRC="$T/bigledger"
else
	git -C "$HUB" config accord.maxPushEntries 20
	SRC="$L"
fi
expect 1 git -C "$SRC" push "$HUB" 'refs/accord/feeds/*:refs/accord/feeds/*'
contains "$ERR" "adds more than" "the hook says why the push is refused"
equal "$(refs "$HUB")" "" "nothing written to the hub"
if [ "$N_PUSH" = 0 ]; then
	git -C "$HUB" config accord.maxPushEntries 100000
	expect 0 git -C "$SRC" push "$HUB" 'refs/accord/feeds/*:refs/accord/feeds/*'
	equal "$(refs "$HUB")" "$(refs "$SRC")" "a push within the limit is taken"
	# "evidence" from another ledger would be a false charge of equivocation kept forever
	newkey mallory
	git init -q "$T/other"
	accord --home "$T/mallory" -C "$T/other" init --party other >/dev/null || bad "other ledger"
	MK=$(accord --home "$T/mallory" key show | head -1)
	MC=$(git -C "$T/other" rev-parse "refs/accord/feeds/$MK")
	expect 1 git -C "$T/other" push "$HUB" "$MC:refs/accord/evidence/$MK/$MC"
	contains "$ERR" "another ledger" "foreign evidence is refused by the hub"
	# and a member's own genesis as "evidence" of another ledger's key id under ours
	AC=$(git -C "$T/other" rev-parse "refs/accord/feeds/$MK")
	expect 1 git -C "$T/other" push "$HUB" "$AC:refs/accord/evidence/$AID/$AC"
	equal "$(refs "$HUB")" "$(refs "$SRC")" "the hub holds no false evidence"
	# accord sync to a hub on a local path runs the hub's hook as git push would
	git -C "$HUB" config accord.maxPushEntries 1
	accord --home "$T/alice" note "$ID" "one" >/dev/null && accord --home "$T/alice" note "$ID" "two" >/dev/null
	git -C "$L" remote add hardhub "$HUB" 2>/dev/null
	expect 1 accord --home "$T/alice" sync --no-checkpoint hardhub
	contains "$ERR" "declined" "the hub's hook runs on a local-path sync"
	git -C "$HUB" config accord.maxPushEntries 100000
	expect 0 accord --home "$T/alice" sync --no-checkpoint hardhub
fi

finish

# One key on two machines (issue 12): the fork is found and proven on every
# copy, the forked key stops counting and refuses to write, and the member's
# work is re-recorded under a new key per machine: nothing is lost.
. "$(dirname "$0")/lib.sh"

kid() { accord --home "$T/$1" key show --json | jget 'd["id"]'; }
pub() { accord --home "$T/$1" key show | tail -1; }
newkey alice
newkey bob
ALICE=$(kid alice) BOB=$(kid bob)
HUB="$T/hub.git" A="$T/a" LAPTOP="$T/laptop" DESKTOP="$T/desktop"
hooked_hub() { # a bare hub at $1 with accord's hook
	git init -q --bare "$1"
	printf '#!/bin/sh\nexec "%s" hook pre-receive\n' "$ACCORD_BIN" >"$1/hooks/pre-receive"
	chmod +x "$1/hooks/pre-receive"
}
hooked_hub "$HUB"
a() { accord --home "$T/alice" -C "$A" "$@"; }

expect 0 accord --home "$T/alice" init --party acme --title "acme and its partners" "$A"
expect 0 a remote add hub "$HUB"
expect 0 a member add --key "$(pub bob)" --name bob
expect 0 a open --title "Checkout fails" --severity 2 --service checkout
INC=$OUT
expect 0 a sync --no-checkpoint
# bob copies his key home to a second machine: the mistake
expect 0 accord --home "$T/bob" clone "$HUB" "$LAPTOP"
# bob writes and syncs once before the second machine: every copy holds that seq 1
expect 0 accord --home "$T/bob" -C "$LAPTOP" note "$INC" "before the copy"
expect 0 accord --home "$T/bob" -C "$LAPTOP" sync --no-checkpoint
expect 0 a sync --no-checkpoint
# the second machine: bob's key home copied to it ($T/bob-desk)
cp -r "$T/bob" "$T/bob-desk"
expect 0 accord --home "$T/bob-desk" clone "$HUB" "$DESKTOP"
expect 0 accord --home "$T/bob" -C "$LAPTOP" note "$INC" "from the laptop"
expect 0 accord --home "$T/bob-desk" -C "$DESKTOP" note "$INC" "from the desktop"
expect 0 accord --home "$T/bob-desk" -C "$DESKTOP" open --title "Refunds slow" --severity 3 --service refunds
INC2=$OUT
expect 0 accord --home "$T/bob-desk" -C "$DESKTOP" note "$INC2" "desktop again"
expect 0 accord --home "$T/bob" -C "$LAPTOP" sync --no-checkpoint
expect 3 accord --home "$T/bob-desk" -C "$DESKTOP" sync --no-checkpoint
contains "$ERR" "equivocation" "the second machine finds the fork"
expect 3 accord --home "$T/bob" -C "$LAPTOP" sync --no-checkpoint
expect 3 a sync --no-checkpoint

# every copy that holds the proof reports the fork alike (exit 3, one equivocation
# finding naming both entries): the hub, both machines, alice's copy, which holds
# bob's feed only up to seq 1 (sync took no further) and both forks as evidence,
# and a fresh clone. Recovery re-records the work under new keys and revokes the
# forked key below the fork: the proof then stays listed, set aside as recovered
# (docs/audit.md), and the audit exits 0. audit_all LABEL EXIT SECTION.
# the two entries with the forked seq (each side's later tip is kept too: both sides travel)
FORKS=$(git -C "$HUB" for-each-ref --format='%(objectname)' "refs/accord/evidence/$BOB/" |
	while read -r c; do git -C "$HUB" cat-file commit "$c" | sed '1,/^$/d' >"$T/ev"
		echo "$(jget 'd["seq"]' <"$T/ev") $(sha256sum <"$T/ev" | cut -c1-16)"; done |
	sort -n | awk 'NR == 1 { low = $1 } $1 == low { print $2 }' | sort | tr '\n' ' ')
equal "$(echo "$FORKS" | wc -w)" 2 "the hub keeps both forked entries as evidence"
equal "$(git -C "$HUB" for-each-ref "refs/accord/evidence/$BOB/" | wc -l)" 3 \
	"and the desktop's side's later tip, so that side travels whole"
audit_all() {
	rm -rf "$T/fresh"
	expect 0 accord clone "$HUB" "$T/fresh"
	for d in "$HUB" "$LAPTOP" "$DESKTOP" "$A" "$T/fresh"; do
		expect "$2" accord -C "$d" audit --json --no-record
		equal "$(echo "$OUT" | jget '[f["kind"] for f in d["'"$3"'"] if f["feed"] == "'"$BOB"'" and f["kind"] == "equivocation"]')" '["equivocation"]' "$1: proof on $(basename "$d") in $3"
		equal "$(echo "$OUT" | jget '" ".join(sorted(i for i in "'"$FORKS"'".split() if i in [f for f in d["'"$3"'"] if f["kind"] == "equivocation"][0]["explanation"]))' 2>/dev/null) " \
			"$FORKS" "$1: the finding on $(basename "$d") names both entries"
		equal "$(echo "$OUT" | jget 'd["clean"]')" "$([ "$2" = 0 ] && echo true || echo false)" "$1: $(basename "$d") clean is $([ "$2" = 0 ] && echo true || echo false)"
	done
}
audit_all "before recovery" 3 findings
expect 0 a show "$INC"
contains "$ERR" "equivocation" "show says what it left out"
case "$OUT" in *"from the laptop"*|*"from the desktop"*) bad "a forked entry is shown" ;; *) ok ;; esac
# the forked key refuses to write, and says what to do
expect 3 accord --home "$T/bob" -C "$LAPTOP" note "$INC" "still here?"
contains "$ERR" "two different entries" "the forked key refuses"
contains "$ERR" "accord recover" "and names the recovery"

# recovery: a new key on each machine, added by alice, re-records what that machine holds
newkey laptop-bob
newkey desktop-bob
expect 0 a member add --key "$(pub laptop-bob)" --name bob-laptop
expect 0 a member add --key "$(pub desktop-bob)" --name bob-desktop
expect 0 a sync --no-checkpoint
# a fork each copy holds proof of already is not news: sync says nothing of it
expect 0 accord --home "$T/laptop-bob" -C "$LAPTOP" sync --no-checkpoint
expect 0 accord --home "$T/desktop-bob" -C "$DESKTOP" sync --no-checkpoint
expect 1 accord --home "$T/bob" -C "$LAPTOP" recover --from "$BOB"
contains "$ERR" "new key" "recovering with the forked key itself is refused"
expect 0 accord --home "$T/laptop-bob" -C "$LAPTOP" recover --from "$BOB" --dry-run
contains "$OUT" "would re-record 1 entry" "dry run on the laptop"
expect 0 accord --home "$T/laptop-bob" -C "$LAPTOP" recover --from "$BOB" --json
equal "$(echo "$OUT" | jget '[r["type"] for r in d["recorded"]]')" '["note"]' "the laptop re-records its note"
expect 0 accord --home "$T/desktop-bob" -C "$DESKTOP" recover --from "$BOB" --json
equal "$(echo "$OUT" | jget '[r["type"] for r in d["recorded"]]')" '["note", "open", "note"]' "the desktop re-records its three entries"
NEWINC=$(echo "$OUT" | jget 'd["recorded"][1]["new"]')
for d in "$LAPTOP" "$DESKTOP" "$A" "$LAPTOP"; do
	accord --home "$T/alice" -C "$d" sync --no-checkpoint >/dev/null 2>&1
done
# again, with the other branch too (explore60b 02): what either machine re-recorded
# already is not recorded twice (an open twice would count its customer-minutes twice)
expect 0 accord --home "$T/desktop-bob" -C "$DESKTOP" recover --from "$BOB" --with-evidence --json
equal "$(echo "$OUT" | jget '[r["type"] for r in d["recorded"]]')" '[]' "recover again records nothing twice"
equal "$(echo "$OUT" | jget 'sorted(s["type"] for s in d["skipped"] if s["reason"].startswith("re-recorded already"))')" \
	'["note", "note", "note", "open"]' "recover again: both machines' entries named as re-recorded already"

accord --home "$T/alice" -C "$A" sync --no-checkpoint >/dev/null 2>&1
# re-recorded, but the forked key is still a member: the fork stays a fault
audit_all "after re-recording" 3 findings
# the admin revokes the forked key; its cut is below the fork, so nothing of it can count again
expect 0 a member revoke "$BOB" --reason "forked: used on two machines"
for d in "$A" "$LAPTOP" "$DESKTOP" "$A"; do
	accord --home "$T/alice" -C "$d" sync --no-checkpoint >/dev/null 2>&1
done
audit_all "after recovery" 0 set_aside

# nothing lost: every copy shows both machines' words, under the new keys
for d in "$A" "$LAPTOP" "$DESKTOP"; do
	expect 0 accord -C "$d" show "$INC"
	contains "$OUT" "from the laptop" "laptop note back on $(basename "$d")"
	contains "$OUT" "from the desktop" "desktop note back on $(basename "$d")"
	expect 0 accord -C "$d" show "$NEWINC"
	contains "$OUT" "Refunds slow" "the incident opened on the desktop is back on $(basename "$d")"
	contains "$OUT" "desktop again" "and its note follows it on $(basename "$d")"
done
# the new keys' entries count everywhere; the old fork is listed, set aside as recovered
expect 0 a audit --json --no-record
equal "$(echo "$OUT" | jget 'sorted(set(f["kind"] for f in d["findings"]))')" '[]' "no fault is left"
contains "$(echo "$OUT" | jget '[f["explanation"] for f in d["set_aside"] if f["kind"] == "equivocation"][0]')" "recovered: the key is revoked" "the fork is set aside as recovered"
equal "$(echo "$OUT" | jget '[f["verified"] == f["entries"] for f in d["feeds"] if (f["member"] or "").startswith("bob-")]')" '[true, true]' "the new keys' feeds count in full"

# --- the forked key is its party's only root: the party's recovery key, committed
# to in the genesis and kept offline, makes a new root; no other party can
test -f "$T/alice/recovery/key" && ok || bad "init made a recovery key"
# alice's key home copied to a machine at home ($T/alice-home): the same mistake
cp -r "$T/alice" "$T/alice-home"
expect 0 accord --home "$T/alice-home" clone "$HUB" "$T/a2"
expect 0 a note "$INC" "alice at the office"
expect 0 accord --home "$T/alice-home" -C "$T/a2" note "$INC" "alice at home"
expect 0 a sync --no-checkpoint
expect 3 accord --home "$T/alice-home" -C "$T/a2" sync --no-checkpoint
expect 3 a sync --no-checkpoint
contains "$ERR" "took proof" "the office copy takes the proof"
expect 3 a note "$INC" "once more"
contains "$ERR" "two different entries" "the forked root refuses to write"
newkey alice-new
# bob's new key is an admin of nothing: it cannot make itself root, and neither can a stranger's key
expect 1 accord --home "$T/laptop-bob" -C "$A" party recover acme --recovery "$T/laptop-bob" --key "$(pub alice-new)"
contains "$ERR" "not the recovery key" "a key the party did not commit to cannot recover it"
expect 0 accord --home "$T/alice" -C "$A" party recover acme --recovery "$T/alice/recovery" --key "$(pub alice-new)" --name alice
contains "$ERR" "party acme commits to the recovery key in $T/alice/recovery/next" "a recovery says which key comes next"
expect 0 accord -C "$A" member list --json
equal "$(echo "$OUT" | jget '[k["key_id"] for m in d for k in m["keys"] if k["role"] == "root" and k["active"] and m["party"] == "acme"]')" "[\"$(kid alice-new)\"]" "the new key is acme's only live root"
equal "$(echo "$OUT" | jget '[k["active"] for m in d for k in m["keys"] if k["key_id"] == "'"$ALICE"'"]')" '[false]' "the forked root is revoked"
# the recovery revoked the forked root below its fork: that proof too is set aside as recovered
expect 0 a audit --json --no-record
equal "$(echo "$OUT" | jget '[f["kind"] for f in d["findings"]]')" '[]' "no fault once the root is recovered"
equal "$(echo "$OUT" | jget 'sorted(f["feed"][:8] for f in d["set_aside"] if f["kind"] == "equivocation")')" "$(printf '%s\n' "$ALICE" "$BOB" | cut -c1-8 | sort | python3 -c 'import json, sys; print(json.dumps(sorted(sys.stdin.read().split())))')" "both forks are listed as recovered"
# the recovery key is used once: the party now commits to the next one
expect 1 accord --home "$T/alice" -C "$A" party recover acme --recovery "$T/alice/recovery" --key "$(pub laptop-bob)"
contains "$ERR" "not the recovery key" "a recovery key works once"
case "$ERR" in *"commits to"*) bad "a refused recovery claims a new recovery key (attack125 01): $ERR" ;; *) ok ;; esac
test -f "$T/alice/recovery/next/key" && ok || bad "the next recovery key was made"
# the new root re-records alice's branch, and admin work goes on
expect 0 accord --home "$T/alice-new" -C "$A" recover --from "$ALICE" --json
equal "$(echo "$OUT" | jget '[r["type"] for r in d["recorded"]]')" '["note"]' "the office note is re-recorded"
newkey carol
expect 0 accord --home "$T/alice-new" -C "$A" member add --key "$(pub carol)" --name carol
expect 0 accord --home "$T/alice-new" -C "$A" sync --no-checkpoint
expect 0 accord -C "$A" show "$INC"
contains "$OUT" "alice at the office" "the root's work is back"

# (attack74 01) a recovery on the copy kept offline with the recovery key since
# `accord init` cut the old root at the genesis: the partner it invited, and
# its incident, were set aside on every copy. The CLI now syncs first, and
# refuses when a remote cannot be reached, unless --offline.
newkey dora
newkey gina
newkey dora-new
H2="$T/hub2.git" O="$T/o" OFF="$T/o-offline" G2="$T/g2"
hooked_hub "$H2"
d() { accord --home "$T/dora" -C "$O" "$@"; }
expect 0 accord --home "$T/dora" init --party initech --title "initech and globex" "$O"
LEDGER2=$OUT
expect 0 d remote add hub "$H2"
expect 0 d sync --no-checkpoint
cp -r "$O" "$OFF" # kept offline with the recovery key
expect 0 d party invite globex --key "$(pub gina)"
expect 0 d sync --no-checkpoint
expect 0 accord --home "$T/gina" clone "$H2" "$G2" --ledger "$LEDGER2"
expect 0 accord --home "$T/gina" -C "$G2" party accept globex --ledger "$LEDGER2"
expect 0 accord --home "$T/gina" -C "$G2" sync --no-checkpoint
expect 0 d sync --no-checkpoint
expect 0 d open --title "Ledger down" --severity 2 --service ledger --parties globex
INC3=$OUT
expect 0 d sync --no-checkpoint
# a copy whose remote cannot be reached: refused, nothing written
cp -r "$OFF" "$T/o-lost"
git -C "$T/o-lost" remote set-url hub "$T/no-such-hub.git"
expect 1 accord --home "$T/dora" -C "$T/o-lost" party recover initech --recovery "$T/dora/recovery" --key "$(pub dora-new)" --name dora
contains "$ERR" "--offline" "a recovery that cannot take what a remote holds is refused, saying how to go on"
equal "$(git -C "$T/o-lost" for-each-ref refs/accord/feeds | wc -l | tr -d ' ')" 1 "and writes nothing"
# the offline copy itself: it takes what the hub holds first
expect 0 accord --home "$T/dora" -C "$OFF" party recover initech --recovery "$T/dora/recovery" --key "$(pub dora-new)" --name dora
expect 0 accord -C "$OFF" sync --no-checkpoint
rm -rf "$T/f2.git" && git init -q --bare "$T/f2.git" && git -C "$T/f2.git" fetch -q "$H2" "+refs/accord/*:refs/accord/*"
expect 0 accord -C "$T/f2.git" show "$INC3" --json
equal "$(echo "$OUT" | jget 'd["parties"]')" '["initech", "globex"]' "a recovery on the offline copy keeps the partner the old root invited"
expect 0 accord --home "$T/gina" -C "$G2" sync --no-checkpoint
expect 0 accord --home "$T/gina" -C "$G2" note "$INC3" "globex goes on"

# --- recover finds only re-recordings (review60 F4): another member's incident opened
# alike before the old key's is no re-recording of it, so the old key's own is recorded
newkey fay
newkey fay-new
L4="$T/l4.git"
git init -q --bare "$L4"
f4() { who=$1; shift; accord --home "$T/$who" -C "$L4" "$@"; }
expect 0 f4 alice init --party acme
expect 0 f4 alice member add --key "$(pub fay)" --name fay
expect 0 f4 fay member accept acme
alike() { f4 "$1" open --title "DB latency alert" --severity 3 --service db --started 2026-11-20T10:00:00Z; }
expect 0 alike alice
MINE=$OUT
sleep 1 # fay's, on her laptop, a second later: a re-recording could not be earlier
cp -r "$L4" "$T/fay-laptop.git"
expect 0 accord --home "$T/fay" -C "$T/fay-laptop.git" open --title "DB latency alert" --severity 3 --service db --started 2026-11-20T10:00:00Z
FAYS=$OUT
expect 0 accord --home "$T/fay" -C "$T/fay-laptop.git" impact "$FAYS" --customers 500 --start 2026-11-20T10:00:00Z --end 2026-11-20T11:00:00Z
expect 0 f4 alice member revoke fay --reason "laptop lost"
git -C "$L4" fetch -q "$T/fay-laptop.git" "+refs/accord/feeds/$(kid fay):refs/accord/feeds/$(kid fay)" || bad "fetch fay's feed"
expect 0 f4 alice member add --key "$(pub fay-new)" --name fay
expect 0 f4 fay-new member accept acme
expect 0 f4 fay-new recover --from "$(kid fay)" --json
equal "$(echo "$OUT" | jget '[r["type"] for r in d["recorded"]]')" '["open", "impact"]' "recover: fay's own incident is recorded, not merged into alice's"
expect 0 f4 alice list --json --all
equal "$(echo "$OUT" | jget 'len([i for i in d if i["title"] == "DB latency alert"])')" 2 "recover: two incidents, as opened"
finish

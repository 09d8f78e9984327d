# Attacks on time and witnessing (findings 01, 02, 08, 09 of the second review), played as a member of another party would:
# validly signed entries made with stock ssh-keygen and git plumbing
# (forge.py), pushed through a hub whose hook is accord's. Each case checks
# that the attacker hurts only itself: the hook refuses, sync keeps it out,
# and the honest members' entries count on every path.
. "$(dirname "$0")/lib.sh"
FORGE="/usr/bin/python3 $(cd "$(dirname "$0")" && pwd)/forge/forge.py"
forge() { $FORGE "$@" || bad "forge $*"; }
unset SSH_AUTH_SOCK

for k in alice bob gina; do newkey $k; done
for k in alice bob gina; do $FORGE sshkey "$T/$k" "$T/$k.ssh" || bad "sshkey $k"; done
pub() { accord --home "$T/$1" key show | tail -1; }
kid() { accord --home "$T/$1" key show --json | jget 'd["id"]'; }
ALICE=$(kid alice) BOB=$(kid bob) GINA=$(kid gina)
as() { who=$1 repo=$2; shift 2; accord --home "$T/$who" -C "$T/$repo" "$@"; }
hook() { printf '#!/bin/sh\nexec "%s" hook pre-receive\n' "$ACCORD_BIN" >"$1/hooks/pre-receive"; chmod +x "$1/hooks/pre-receive"; }
msg() { git -C "$T/$1" log -1 --format=%B "refs/accord/feeds/$2"; }
eid() { git -C "$T/$1" cat-file commit "$2" | sed '1,/^$/d' | sha256sum | cut -c1-64; }

# base: hub with the hook; acme (alice root, bob admin) in repo acme; globex
# (gina root) in repo globex; bob's own clone bobrepo; one incident of both.
git init -q --bare "$T/hub.git"
hook "$T/hub.git"
git init -q "$T/acme"
expect 0 as alice acme init --party acme --title attacks
LEDGER=$OUT
expect 0 as alice acme party invite globex --key "$(pub gina)"
expect 0 as alice acme member add --key "$(pub bob)" --name bob --admin
expect 0 as alice acme remote add hub "$T/hub.git"
expect 0 as alice acme sync
expect 0 accord clone "$T/hub.git" "$T/globex" --ledger "$LEDGER"
expect 0 as gina globex party accept globex --ledger "$LEDGER"
expect 0 as gina globex sync
expect 0 as alice acme sync
expect 0 accord clone "$T/hub.git" "$T/bobrepo" --ledger "$LEDGER"
expect 0 as alice acme open --title "db down" --severity 2 --service db \
	--started 2026-11-20T10:00:00Z --parties globex
INC=$OUT
# every copy holds everything (each sync may write a checkpoint: one more round)
for r in 1 2; do
	expect 0 as alice acme sync
	expect 0 as gina globex sync
	expect 0 as bob bobrepo sync
done
expect 0 as alice acme sync
expect 0 as gina globex sync
# the incident's full id: its open entry's id
INCID=$(git -C "$T/acme" log --format=%H "refs/accord/feeds/$ALICE" | while read -r c; do
	[ "$(git -C "$T/acme" cat-file commit "$c" | sed '1,/^$/d' | jget 'd["type"]')" = open ] && eid acme "$c"; done)
cp -a "$T/hub.git" "$T/base-hub.git"
for r in acme globex bobrepo; do cp -a "$T/$r" "$T/base-$r"; done
# reset: every copy back to the base, and every key home on a machine that
# never wrote (new_machines): each case replays the base with the same keys
reset() { new_machines; for r in hub.git acme globex bobrepo; do rm -rf "$T/$r"; cp -a "$T/base-$r" "$T/$r"; done; }
NOW=$(date +%s)

# --- finding 01: a commit time past 2106 ------------------------------------
# accord wrote the commit's time through libgit2, which prints 32 bits: an
# entry dated after 2106 made a commit whose time differs from its entry's,
# a bad-commit of the writer's own (frozen, blamed by audit)
test_time_past_2106() {
	reset
	ACCORD_NOW=2200-01-01T00:00:00Z expect 0 as alice acme note "$INC" "written in 2200"
	C=$(git -C "$T/acme" rev-parse "refs/accord/feeds/$ALICE")
	equal "$(git -C "$T/acme" cat-file commit "$C" | sed -n 's/^committer .* \([0-9]*\) +0000$/\1/p')" 7258118400 \
		"2106: the committer time holds all 64 bits"
	expect 0 as alice acme audit --no-record
	contains "$OUT" "CLEAN" "2106: the writer's own entry is no bad-commit"
	ACCORD_NOW=2200-01-01T00:01:00Z expect 0 as alice acme note "$INC" "and the writer can go on"
	# the clock right again (explore60a 04): a later entry would take 2200's date (a feed's
	# time never runs back), which partners refuse until then: the write says so and
	# writes nothing, and sync says it holds the writer's entries back, exit 1
	H=$(git -C "$T/acme" rev-parse "refs/accord/feeds/$ALICE")
	expect 1 as alice acme note "$INC" "the clock is right again"
	contains "$ERR" "ahead of this machine's clock" "future: a write after a far-future entry is refused, saying why"
	equal "$(git -C "$T/acme" rev-parse "refs/accord/feeds/$ALICE")" "$H" "future: the refused write wrote nothing"
	expect 1 as alice acme sync
	contains "$ERR" "held back your entries from seq" "future: sync says it holds the writer's entries back"
	case "$OUT" in *"up to date"*) bad "future: sync says up to date" ;; *) ok ;; esac
	expect 1 as alice acme sync --json
	equal "$(echo "$OUT" | jget 'd["remotes"][0]["held_back"]["time"]')" "2200-01-01T00:00:00Z" \
		"future: sync --json names the date"
	equal "$(git -C "$T/acme" rev-parse "refs/accord/feeds/$ALICE")" "$H" "future: sync wrote no checkpoint after it"
}

# --- finding 02: one member's far-future time in everyone's signatures -------
# time >= deps would carry gina's 2040 into every honest writer's signed time;
# sync, clone and the hook take no entry dated more than 5 minutes ahead of
# their clock (a policy on what to take now, not a verdict), and a writer
# never depends on one
test_future_time_contained() {
	reset
	forge entry "$T/globex" "$T/gina.ssh" --type note --incident "$INCID" \
		--body '{"text":"from the future"}' --time 2208988800 >/dev/null
	before=$(git -C "$T/hub.git" rev-parse "refs/accord/feeds/$GINA")
	expect 1 as gina globex sync
	contains "$ERR" "held back your entries from seq" "future: sync tells the writer it holds them back"
	equal "$(git -C "$T/hub.git" rev-parse "refs/accord/feeds/$GINA")" "$before" "future: sync does not push it"
	git -C "$T/globex" push -q "$T/hub.git" "refs/accord/feeds/$GINA" 2>"$T/push.err" && bad "future: the hook took it" || ok
	contains "$(cat "$T/push.err")" "too early" "future: the hook refuses it, saying why"
	equal "$(git -C "$T/hub.git" rev-parse "refs/accord/feeds/$GINA")" "$before" "future: the hub's feed did not move"
	# a hub without the hook holds it: alice's sync leaves it out, saying why
	git init -q --bare "$T/open.git"
	git -C "$T/globex" push -q "$T/open.git" 'refs/accord/*:refs/accord/*' || bad "push to a hub without the hook"
	expect 0 as alice acme remote add open "$T/open.git"
	expect 3 as alice acme sync open
	contains "$ERR$OUT" "too early at seq" "future: sync says why it waits"
	contains "$ERR$OUT" "2040-01-01T00:00:00Z" "future: sync names the date"
	equal "$(git -C "$T/acme" rev-parse "refs/accord/feeds/$GINA")" "$before" "future: sync did not take it"
	expect 0 as alice acme status "$INC" resolved
	t=$(msg acme "$ALICE" | jget 'd["time"]')
	case "$t" in 2040*) bad "future: alice's status is dated $t" ;; *) ok ;; esac
	# a copy that holds it anyway (a plain git fetch): it counts there (the
	# verdict never reads the clock); sync's checkpoint does not depend on it,
	# and sync does not push it (the hook would refuse alice's push whole)
	git -C "$T/acme" fetch -q "$T/open.git" "+refs/accord/feeds/$GINA:refs/accord/feeds/$GINA" || bad "fetch"
	expect 0 as alice acme audit --no-record
	FUT=$(eid acme "$(git -C "$T/acme" rev-parse "refs/accord/feeds/$GINA")")
	# a note would depend on it and take its date: refused, naming whose entry (review60 F3)
	expect 1 as alice acme note "$INC" "after the entry from the future"
	contains "$ERR" "which this entry must depend on, is dated 2040-01-01T00:00:00Z" "future: a write that would take a dep's date is refused, naming it"
	contains "$ERR" "gina@globex" "future: and whose entry it is"
	expect 0 as alice acme sync hub
	equal "$(git -C "$T/hub.git" log --format=%B "refs/accord/feeds/$ALICE" | grep -c '"resolved"')" 1 \
		"future: alice's own entries still reach the hub"
	equal "$(git -C "$T/hub.git" rev-parse "refs/accord/feeds/$GINA")" "$before" "future: the held entry is not pushed"
	M=$(msg acme "$ALICE")
	case "$(echo "$M" | jget 'd["time"]')" in 2040*) bad "future: alice's latest entry is dated 2040" ;; *) ok ;; esac
	equal "$(echo "$M" | jget "'$FUT' in d['deps']")" false "future: sync's checkpoint does not depend on it"
	# and once that time comes, the same entry is taken
	ACCORD_NOW=2040-01-01T00:03:00Z expect 0 as bob bobrepo remote add open "$T/open.git"
	ACCORD_NOW=2040-01-01T00:03:00Z expect 0 as bob bobrepo sync open
	equal "$(git -C "$T/bobrepo" rev-parse "refs/accord/feeds/$GINA")" \
		"$(git -C "$T/open.git" rev-parse "refs/accord/feeds/$GINA")" "future: taken once its time comes"
}

# --- findings 08 and 09: a checkpoint claiming heads not written yet ------------
# it counted (nothing could judge it), the named member's next entry depended
# on it and made it false: that entry, and all after it, pending for ever
test_preemptive_checkpoint() {
	reset
	ASEQ=$(msg globex "$ALICE" | jget 'd["seq"]')
	FAKE=$(echo fake | sha256sum | cut -c1-64)
	forge entry "$T/globex" "$T/gina.ssh" --type checkpoint \
		--body "{\"heads\":[{\"feed\":\"$ALICE\",\"seq\":$((ASEQ + 1)),\"hash\":\"$FAKE\"}],\"remote\":\"x\"}" >/dev/null
	before=$(git -C "$T/hub.git" rev-parse "refs/accord/feeds/$GINA")
	expect 0 as gina globex sync
	equal "$(git -C "$T/hub.git" rev-parse "refs/accord/feeds/$GINA")" "$before" "pre-emptive: never pushed"
	# pushed by hand, the hook refuses it
	git -C "$T/globex" push -q "$T/hub.git" "refs/accord/feeds/$GINA" 2>"$T/push.err" && bad "pre-emptive: the hook took it" || ok
	contains "$(cat "$T/push.err")" "false-checkpoint" "pre-emptive: the hook names it"
	expect 3 as gina globex audit --no-record
	contains "$OUT" "not in its causal past" "pre-emptive: false at once on the liar's own copy"
	contains "$OUT" "gina@globex" "pre-emptive: blamed on its author"
	# alice's copy holds it anyway (plain git fetch), then alice writes seq ASEQ+1
	git -C "$T/acme" fetch -q "$T/globex" "+refs/accord/feeds/$GINA:refs/accord/feeds/$GINA" || bad "fetch"
	expect 0 as alice acme note "$INC" "important finding"
	expect 3 as alice acme audit --no-record --json
	equal "$(echo "$OUT" | jget '[f["kind"] for f in d["findings"]]')" '["false-checkpoint"]' "pre-emptive: only the checkpoint is a fault"
	equal "$(echo "$OUT" | jget '[f["feed"] for f in d["findings"]]')" "[\"$GINA\"]" "pre-emptive: against gina"
	equal "$(echo "$OUT" | jget '[f["kind"] for f in d["set_aside"]]')" '[]' "pre-emptive: nothing of alice's pending"
	expect 0 as alice acme show "$INC"
	contains "$OUT" "important finding" "pre-emptive: alice's note counts"
	expect 0 as alice acme sync
	equal "$(git -C "$T/hub.git" log --format=%B "refs/accord/feeds/$ALICE" | grep -c 'important finding')" 1 \
		"pre-emptive: alice's note reaches the hub"
	expect 0 as bob bobrepo sync
	expect 0 as bob bobrepo show "$INC"
	contains "$OUT" "important finding" "pre-emptive: and every other copy"
}

test_checkpoint_cannot_block_revocation() {
	reset
	ASEQ=$(msg bobrepo "$ALICE" | jget 'd["seq"]')
	FAKE=$(echo fake | sha256sum | cut -c1-64)
	H=$(for i in 1 2 3 4 5 6 7 8; do printf '{"feed":"%s","seq":%d,"hash":"%s"}\n' "$ALICE" $((ASEQ + i)) "$FAKE"; done | paste -sd, -)
	forge entry "$T/bobrepo" "$T/bob.ssh" --type checkpoint --body "{\"heads\":[$H],\"remote\":\"x\"}" >/dev/null
	git -C "$T/bobrepo" push -q "$T/hub.git" "refs/accord/feeds/$BOB" 2>"$T/push.err" && bad "unrevocable: the hook took it" || ok
	contains "$(cat "$T/push.err")" "false-checkpoint" "unrevocable: the hook refuses bob's checkpoint"
	# alice's copy holds it anyway; her revocation of bob counts and travels
	git -C "$T/acme" fetch -q "$T/bobrepo" "+refs/accord/feeds/$BOB:refs/accord/feeds/$BOB" || bad "fetch"
	expect 0 as alice acme member revoke bob --reason fired
	expect 0 as alice acme sync
	expect 0 as gina globex sync
	expect 0 as gina globex member list
	equal "$(echo "$OUT" | grep -cE '^acme +bob +admin +[0-9a-f]+ +[0-9TZ:-]+ +[0-9]{4}-[0-9TZ:-]+$')" 1 "unrevocable: globex sees bob revoked"
	expect 0 accord --home "$T/gina" -C "$T/hub.git" member list
	equal "$(echo "$OUT" | grep -cE '^acme +bob +admin +[0-9a-f]+ +[0-9TZ:-]+ +[0-9]{4}-[0-9TZ:-]+$')" 1 "unrevocable: so does the hub"
}

# --- honest checkpoints name what they claim, and the index agrees -------------
test_honest_checkpoint() {
	reset
	expect 0 as gina globex note "$INC" "gina writes"
	expect 0 as gina globex sync
	expect 0 as alice acme sync
	CP=$(msg acme "$ALICE")
	equal "$(echo "$CP" | jget 'd["type"]')" checkpoint "honest: sync wrote a checkpoint"
	equal "$(echo "$CP" | jget 'all(h["hash"] in d["deps"] for h in d["body"]["heads"])')" true \
		"honest: every head it claims is one of its deps"
	expect 0 as alice acme audit --no-record
	# the index's catch-up (gina's copy, opened through its index) equals a full verification
	expect 0 as gina globex show "$INC"
	expect 0 as gina globex sync
	# one clock for both reads: show's running clocks count seconds up to now
	SHOWNOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	ACCORD_NOW=$SHOWNOW expect 0 as gina globex show "$INC"
	A=$OUT
	rm -rf "$T/globex/.git/accord/index"
	ACCORD_NOW=$SHOWNOW expect 0 as gina globex show "$INC"
	equal "$OUT" "$A" "honest: the index's catch-up shows what a full verification shows"
}

test_time_past_2106
test_future_time_contained
test_preemptive_checkpoint
test_checkpoint_cannot_block_revocation
test_honest_checkpoint
finish

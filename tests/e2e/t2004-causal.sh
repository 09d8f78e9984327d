# Rules no one can game (issue 13): causal order, revocation by cut, admissions.
# Each attack is played as an attacker would, with the CLI where it can and with
# stock ssh-keygen and git plumbing (forge.py) otherwise, and checked on every
# path: the hub's hook refuses the push, sync keeps it out of the refs, show,
# member list and audit leave it out and say why.
. "$(dirname "$0")/lib.sh"
FORGE="/usr/bin/python3 $(cd "$(dirname "$0")" && pwd)/forge/forge.py"
forge() { $FORGE "$@" || bad "forge $*"; }
unset SSH_AUTH_SOCK

for k in alice dave erin frank bob carol gina ivan; do newkey $k; done
pub() { accord --home "$T/$1" key show | tail -1; }
kid() { accord --home "$T/$1" key show --json | jget 'd["id"]'; }
pkhex() { $FORGE keyid "$T/$1/key.pub" | cut -d' ' -f1; }
B="$T/base.git"
git init -q --bare "$B"
as() { who=$1; shift; accord --home "$T/$who" -C "$B" "$@"; }
expect 0 as alice init --party acme --title "causal"
expect 0 as alice member add --key "$(pub dave)" --name dave --admin
expect 0 as alice member add --key "$(pub erin)" --name erin --admin
expect 0 as alice member add --key "$(pub bob)" --name bob
expect 0 as alice member add --key "$(pub carol)" --name carol
expect 0 as alice party invite globex --key "$(pub gina)"
expect 0 as gina party accept globex
expect 0 as alice open --title "Checkout down" --severity 2 --service checkout \
	--started 2026-11-20T10:00:00Z --parties acme,globex
INC=$OUT
expect 0 as dave member add --key "$(pub frank)" --name frank
expect 0 as dave note "$INC" "dave's first entry accepts his admission"
expect 0 as erin note "$INC" "erin too"
expect 0 as bob note "$INC" "bob too"
expect 0 as frank note "$INC" "frank too"
expect 0 as carol note "$INC" "carol too"
INCID=$(git -C "$B" log --format=%B -1 "refs/accord/feeds/$(kid bob)" | jget 'd["incident"]')
for k in alice dave bob carol gina; do forge sshkey "$T/$k" "$T/$k.ssh"; done
ssh-keygen -q -t ed25519 -N '' -C mallory -f "$T/mallory" </dev/null
MALLORY_PK=$($FORGE keyid "$T/mallory.pub" | cut -d' ' -f1)
MALLORY=$($FORGE keyid "$T/mallory.pub" | cut -d' ' -f2)

# --- the writer derives deps and the clock ------------------------------------
test_writer_derives() {
	M=$(git -C "$B" log -1 --format=%B "refs/accord/feeds/$(kid carol)")
	equal "$(echo "$M" | jget 'd["v"]')" 2 "writer: format version 2"
	equal "$(echo "$M" | jget 'd["deps"] == sorted(set(d["deps"])) and len(d["deps"]) > 0')" true \
		"writer: deps sorted, without duplicates, naming what carol had seen"
	expect 0 accord -C "$B" audit --json --no-record
	equal "$(echo "$OUT" | jget 'len(d["findings"])')" 0 "writer: the base ledger is clean"
}

# --- helpers -------------------------------------------------------------------
C="$T/case.git" HUB="$T/hub.git"
fresh() {
	rm -rf "$C" "$HUB" "$T/copy.git"
	cp -r "$B" "$C"
	cp -r "$B" "$HUB"
	printf '#!/bin/sh\nexec "%s" hook pre-receive\n' "$ACCORD_BIN" >"$HUB/hooks/pre-receive"
	chmod +x "$HUB/hooks/pre-receive"
	new_machines
}
tip() { git -C "$C" rev-parse "refs/accord/feeds/$1"; }
syncwith() { # syncwith WHO REPO OTHER: WHO syncs copy REPO with copy OTHER (its exit code)
	git -C "$2" remote remove src >/dev/null 2>&1
	accord -C "$2" remote add src "$3" >/dev/null || bad "remote add $3"
	accord --home "$T/$1" -C "$2" sync src --no-checkpoint
}
idof() { git -C "$C" cat-file commit "$1" | sed '1,/^$/d' | tr -d '\n' | sha256sum | cut -c1-64; }
kinds() { # the kinds audit gives $C, faults and set aside alike, sorted, whatever its exit code
	accord -C "$C" audit --json --no-record 2>/dev/null | jget '" ".join(sorted(set(f["kind"] for f in d["findings"] + d["set_aside"])))'
}
# every path leaves FEED's commit BAD out: audit names KIND, show does not print
# TEXT. A fault: the hook refuses the push, sync from an unhooked copy keeps the
# ref before it. Set aside by a rule (past-cut, revoked-key): it travels, the
# author's signed word that other copies need as a dep, and counts nowhere.
contained() { # contained NAME FEED BAD KIND TEXT
	name=$1 feed=$2 bad=$3 kind=$4 text=$5
	contains " $(kinds) " " $kind " "$name: audit says $kind"
	accord -C "$C" audit --json --no-record 2>/dev/null >"$T/a.json"
	equal "$(jget "'$bad' in [f['commit'] for f in d['findings'] + d['set_aside'] if f['kind'] == '$kind']" <"$T/a.json")" true \
		"$name: audit names the commit"
	case $kind in
	past-cut | revoked-key)
		expect 0 git -C "$C" push -q "$HUB" "refs/accord/feeds/*:refs/accord/feeds/*"
		if git -C "$HUB" merge-base --is-ancestor "$bad" "refs/accord/feeds/$feed" 2>/dev/null; then ok
		else bad "$name: the hook took the feed with its entries set aside"; fi ;;
	*)
		expect 1 git -C "$C" push -q "$HUB" "refs/accord/feeds/*:refs/accord/feeds/*"
		equal "$(git -C "$HUB" rev-parse "refs/accord/feeds/$feed" 2>/dev/null)" \
			"$(git -C "$B" rev-parse "refs/accord/feeds/$feed" 2>/dev/null)" "$name: the hook refused the push" ;;
	esac
	rm -rf "$T/copy.git"
	cp -r "$B" "$T/copy.git"
	syncwith alice "$T/copy.git" "$C" >/dev/null 2>&1
	carried=0
	git -C "$T/copy.git" merge-base --is-ancestor "$bad" "refs/accord/feeds/$feed" 2>/dev/null && carried=1
	case $kind in
	past-cut | revoked-key)
		equal "$carried" 1 "$name: sync carries the entry set aside"
		accord -C "$T/copy.git" audit --json --no-record 2>/dev/null >"$T/a2.json"
		equal "$(jget "'$bad' in [f['commit'] for f in d['findings'] + d['set_aside'] if f['kind'] == '$kind']" <"$T/a2.json")" true \
			"$name: the synced copy sets it aside too" ;;
	*) equal "$carried" 0 "$name: sync did not move the ref onto a commit that does not count" ;;
	esac
	expect 0 accord -C "$C" show "$INC"
	case "$OUT" in *"$text"*) bad "$name: show prints what does not count" ;; *) ok ;; esac
	contains "$ERR" "left out" "$name: show says it left entries out"
	contains "$ERR" "accord audit" "$name: show says where to read why"
}

# --- a revoked admin backdates a member-add and a party-invite -----------------
test_revoked_admin_backdates() {
	fresh
	DAVE_SEQ=$(git -C "$C" log --format=%B -1 "refs/accord/feeds/$(kid dave)" | jget 'd["seq"]')
	expect 0 accord --home "$T/alice" -C "$C" member revoke dave
	equal "$(git -C "$C" log --format=%B -1 "refs/accord/feeds/$(kid alice)" | jget 'd["body"]["cut"]')" "$DAVE_SEQ" \
		"revoke: the writer derives the cut from its causal past"
	# dave, revoked, signs with stock ssh-keygen as if he had not seen it, an hour back
	BACK=$(git -C "$C" log -1 --format=%ct "refs/accord/feeds/$(kid dave)") # as early as his own last entry allows
	ADD=$(forge entry "$C" "$T/dave.ssh" --type member-add --extra '{"incident":null}' --deps none --time "$BACK" \
		--body "{\"key\":\"$MALLORY_PK\",\"member\":\"mallory\",\"admin\":true}")
	forge entry "$C" "$T/mallory" --type note --incident "$INCID" --body '{"text":"mallory was let in"}' \
		--admission "$(idof "$ADD")" >/dev/null
	contained "revoked admin" "$(kid dave)" "$ADD" past-cut "mallory was let in"
	accord -C "$C" audit --json --no-record 2>/dev/null >"$T/a.json"
	# its first entry names the member-add, set aside: it rests on it and is set aside too
	equal "$(jget "[f['kind'] for f in d['findings'] + d['set_aside'] if f['feed'] == '$MALLORY']" <"$T/a.json")" '["past-cut"]' \
		"revoked admin: the key it added rests on it, set aside too"
	expect 0 accord -C "$C" member list --json
	case "$OUT" in *mallory*) bad "revoked admin: member list shows mallory" ;; *) ok ;; esac
	# the same with a party-invite naming the attacker's root key
	fresh
	expect 0 accord --home "$T/alice" -C "$C" member revoke dave
	INV=$(forge entry "$C" "$T/dave.ssh" --type party-invite --extra '{"incident":null}' --deps none --time "$BACK" \
		--body "{\"key\":\"$MALLORY_PK\",\"party\":\"evil\",\"member\":\"root\"}")
	forge entry "$C" "$T/mallory" --type party-accept --extra '{"incident":null}' \
		--body "{\"party\":\"evil\",\"invite\":\"$(idof "$INV")\"}" >/dev/null
	contained "revoked admin invite" "$(kid dave)" "$INV" past-cut "evil"
	expect 0 accord -C "$C" party list --json
	case "$OUT" in *evil*) bad "revoked admin invite: party list shows evil" ;; *) ok ;; esac
}

# --- a revoked admin who has seen its revocation gets a colleague to vouch --------
# The cut is raised for entries a colleague of the same party depends on (TRUST
# attack 1), but never over an entry written knowing of the revocation: else any
# plain member could let a revoked admin add admins.
test_vouched_revoked_admin() {
	fresh
	expect 0 accord --home "$T/alice" -C "$C" member revoke dave
	# dave's member-add depends on every head, his revocation included
	ADD=$(forge entry "$C" "$T/dave.ssh" --type member-add --extra '{"incident":null}' \
		--body "{\"key\":\"$MALLORY_PK\",\"member\":\"mallory\",\"admin\":true}")
	# carol, a plain member of acme, vouches for it by depending on it
	VOUCH=$(forge entry "$C" "$T/carol.ssh" --type note --incident "$INCID" --deps "$(idof "$ADD")" \
		--body '{"text":"carol vouches"}')
	forge entry "$C" "$T/mallory" --type note --incident "$INCID" --body '{"text":"mallory vouched in"}' \
		--admission "$(idof "$ADD")" >/dev/null
	contained "vouched revoked admin" "$(kid dave)" "$ADD" revoked-key "mallory vouched in"
	accord -C "$C" audit --json --no-record 2>/dev/null >"$T/a.json"
	# carol's note counts on its own; what it saw stays set aside and adds no one
	equal "$(jget "[f['kind'] for f in d['findings'] + d['set_aside'] if f['commit'] == '$VOUCH']" <"$T/a.json")" '[]' \
		"vouched revoked admin: the vouching note counts on its own"
	expect 0 accord -C "$C" show "$INC"
	contains "$OUT" "carol vouches" "vouched revoked admin: show has the vouching note"
	expect 0 accord -C "$C" member list --json
	case "$OUT" in *mallory*) bad "vouched revoked admin: member list shows mallory" ;; *) ok ;; esac
}

# --- a revoked member writes with the CLI before it has synced -----------------
test_revoked_member_cli() {
	fresh
	rm -rf "$T/carol-copy.git"
	cp -r "$B" "$T/carol-copy.git"
	expect 0 accord --home "$T/alice" -C "$HUB" member revoke carol
	expect 0 accord --home "$T/carol" -C "$T/carol-copy.git" note "$INC" "carol, offline"
	NOTE=$(git -C "$T/carol-copy.git" rev-parse "refs/accord/feeds/$(kid carol)")
	# her note is set aside, not a fault: the hook takes it, to be shown as excluded everywhere
	expect 0 git -C "$T/carol-copy.git" push -q "$HUB" "refs/accord/feeds/$(kid carol):refs/accord/feeds/$(kid carol)"
	equal "$(git -C "$HUB" rev-parse "refs/accord/feeds/$(kid carol)")" "$NOTE" \
		"revoked member: the hook takes the entry past the cut, set aside"
	git -C "$C" fetch -q "$HUB" "+refs/accord/*:refs/accord/*"
	git -C "$C" fetch -q "$T/carol-copy.git" "+refs/accord/feeds/$(kid carol):refs/accord/feeds/$(kid carol)"
	contains " $(kinds) " " past-cut " "revoked member: set aside as past-cut, not a fault"
	expect 0 accord -C "$C" show "$INC"
	case "$OUT" in *"carol, offline"*) bad "revoked member: show prints it" ;; *) ok ;; esac
	expect 0 accord -C "$C" allowed-signers
	contains "$OUT" "carol@acme" "revoked member: allowed-signers lists her"
	VB=$(echo "$OUT" | grep "^carol@acme" | sed 's/.*valid-before="\([0-9]*\)Z*".*/\1/')
	LAST=$(git -C "$B" log -1 --format=%cd --date=format-local:%Y%m%d%H%M%S "refs/accord/feeds/$(kid carol)")
	# valid-before is inclusive (ssh-keygen): the second of her last entry that counts, no later
	# (attack131 01); the copy's last counted entry may be one written a second after B's tip
	if [ "$VB" -ge "$LAST" ] 2>/dev/null && [ "$VB" -le "$(TZ=UTC date -d "@$(($(git -C "$B" log -1 --format=%ct "refs/accord/feeds/$(kid carol)") + 1))" +%Y%m%d%H%M%S)" ]; then ok
	else bad "revoked member: valid-before $VB is not the time of her last entry that counts ($LAST)"; fi
}

# --- Lamport inflation and a chosen low clock ---------------------------------
test_lamport() {
	fresh
	BAD=$(forge entry "$C" "$T/bob.ssh" --type note --incident "$INCID" --body '{"text":"inflated"}' --lamport 9007199254740991)
	contained "lamport inflation" "$(kid bob)" "$BAD" chain-broken "inflated"
	fresh
	BAD=$(forge entry "$C" "$T/bob.ssh" --type note --incident "$INCID" --body '{"text":"backdated"}' --lamport 2)
	contained "lamport low" "$(kid bob)" "$BAD" chain-broken "backdated"
	fresh
	GT=$(git -C "$C" log -1 --format=%ct "refs/accord/feeds/$(kid gina)")
	BAD=$(forge entry "$C" "$T/bob.ssh" --type note --incident "$INCID" --body '{"text":"before its deps"}' --time "$((GT - 60))")
	contained "time before a dep" "$(kid bob)" "$BAD" time-backwards "before its deps"
}

# --- a revoke with a chosen low cut -------------------------------------------
test_chosen_cut() {
	fresh
	BAD=$(forge entry "$C" "$T/alice.ssh" --type member-revoke --extra '{"incident":null}' \
		--body "{\"key\":\"$(pkhex bob)\",\"cut\":0}")
	contained "chosen cut" "$(kid alice)" "$BAD" not-authorized "no such text"
	expect 0 accord -C "$C" show "$INC"
	contains "$OUT" "bob too" "chosen cut: bob's work still counts"
}

# --- another party's admin revokes your key; an admin outside its subtree ------
test_foreign_admin_revoke() {
	fresh
	# globex's root adds ivan first, acme's root second; ivan accepts acme's
	expect 0 accord --home "$T/gina" -C "$C" member add --key "$(pub ivan)" --name ivan
	expect 0 accord --home "$T/alice" -C "$C" member add --key "$(pub ivan)" --name ivan
	expect 1 accord --home "$T/ivan" -C "$C" note "$INC" "which party?"
	contains "$ERR" "does not choose" "two admissions: the CLI does not choose for the key's owner"
	forge sshkey "$T/ivan" "$T/ivan.ssh"
	ACME_ADD=$(git -C "$C" log -1 --format=%B "refs/accord/feeds/$(kid alice)" | tr -d '\n' | sha256sum | cut -c1-64)
	forge entry "$C" "$T/ivan.ssh" --type note --incident "$INCID" --body '{"text":"ivan of acme"}' --admission "$ACME_ADD" >/dev/null
	forge sshkey "$T/gina" "$T/gina.ssh"
	BAD=$(forge entry "$C" "$T/gina.ssh" --type member-revoke --extra '{"incident":null}' \
		--body "{\"key\":\"$(pkhex ivan)\",\"cut\":1}")
	contained "foreign admin" "$(kid gina)" "$BAD" not-authorized "no such text"
	expect 0 accord -C "$C" show "$INC"
	contains "$OUT" "ivan of acme" "foreign admin: ivan's entry still counts"
	# erin (admin) may not revoke frank, whom dave admitted, nor dave; dave may
	fresh
	expect 1 accord --home "$T/erin" -C "$C" member revoke frank
	contains "$ERR" "only keys it admitted" "sibling admin: the CLI refuses erin's revoke of frank"
	forge sshkey "$T/erin" "$T/erin.ssh"
	BAD=$(forge entry "$C" "$T/erin.ssh" --type member-revoke --extra '{"incident":null}' \
		--body "{\"key\":\"$(pkhex dave)\",\"cut\":$(git -C "$C" log -1 --format=%B "refs/accord/feeds/$(kid dave)" | jget 'd["seq"]')}")
	contained "sibling admin" "$(kid erin)" "$BAD" not-authorized "no such text"
	fresh
	expect 0 accord --home "$T/dave" -C "$C" member revoke frank
	equal "$(kinds)" "" "subtree: dave revokes the key he admitted"
	# (attack77) nor withdraw ivan's admission, which dave made and ivan has not
	# accepted; forged once ivan accepted, depending on the admission alone and
	# so sorting before ivan's first entry (which saw bob's note too), it cut
	# ivan at 0
	fresh
	expect 0 accord --home "$T/dave" -C "$C" member add --key "$(pub ivan)" --name ivan
	ADD=$(idof "$(tip "$(kid dave)")")
	expect 1 accord --home "$T/erin" -C "$C" member revoke ivan
	contains "$ERR" "only admissions it made" "sibling admin: the CLI refuses erin's withdrawal of ivan's admission"
	expect 0 accord --home "$T/bob" -C "$C" note "$INC" "bob, meanwhile"
	expect 0 accord --home "$T/ivan" -C "$C" note "$INC" "ivan accepts"
	BAD=$(forge entry "$C" "$T/erin.ssh" --type member-revoke --extra '{"incident":null}' --deps "$ADD" \
		--lamport $(($(git -C "$C" log -1 --format=%B "refs/accord/feeds/$(kid dave)" | jget 'd["lamport"]') + 1)) \
		--body "{\"key\":\"$(pkhex ivan)\",\"cut\":0}")
	contained "sibling admin, unaccepted" "$(kid erin)" "$BAD" not-authorized "no such text"
	expect 0 accord -C "$C" show "$INC"
	contains "$OUT" "ivan accepts" "sibling admin, unaccepted: ivan's entry still counts"
	fresh
	expect 0 accord --home "$T/dave" -C "$C" member add --key "$(pub ivan)" --name ivan
	expect 0 accord --home "$T/dave" -C "$C" member revoke ivan
	equal "$(kinds)" "" "subtree: dave withdraws the admission he made"
}

# --- deps on missing ids pushed to a hub ----------------------------------------
test_missing_deps() {
	fresh
	NOPE=$(printf nothing | sha256sum | cut -c1-64)
	BAD=$(forge entry "$C" "$T/bob.ssh" --type note --incident "$INCID" --body '{"text":"depends on nothing here"}' --deps "$NOPE")
	contained "missing deps" "$(kid bob)" "$BAD" pending "depends on nothing here"
}

# --- an entry of a type a newer accord writes -----------------------------------
test_unknown_type() {
	fresh
	forge entry "$C" "$T/bob.ssh" --type escalation --incident "$INCID" --body '{"level":3}' >/dev/null
	expect 0 accord --home "$T/bob" -C "$C" note "$INC" "bob after the new type"
	expect 0 git -C "$C" push -q "$HUB" "refs/accord/feeds/*:refs/accord/feeds/*"
	equal "$(kinds)" "" "unknown type: kept and verified, and the author's later entries count"
	expect 0 accord -C "$C" show "$INC"
	contains "$OUT" "bob after the new type" "unknown type: later entries shown"
}

# --- incremental verification equals a fresh clone's ----------------------------
test_incremental() {
	fresh
	expect 0 accord --home "$T/alice" -C "$C" member revoke carol
	forge entry "$C" "$T/carol.ssh" --type note --incident "$INCID" --body '{"text":"late carol"}' --deps none >/dev/null
	expect 0 accord --home "$T/gina" -C "$C" note "$INC" "gina after"
	expect 0 accord --home "$T/bob" -C "$C" note "$INC" "bob after"
	verdict() { accord -C "$1" audit --json --no-record 2>/dev/null | jget 'sorted((f["kind"], f["commit"]) for f in d["findings"] + d["set_aside"])'; }
	shown() { accord -C "$1" log --json 2>/dev/null | jget 'sorted(e["commit"] for e in d)'; }
	WANT=$(verdict "$C") WANTLOG=$(shown "$C")
	for order in "alice gina bob carol dave" "carol bob gina alice dave" "bob carol alice dave gina"; do
		rm -rf "$T/inc.git"
		cp -r "$B" "$T/inc.git"
		accord -C "$T/inc.git" list >/dev/null 2>&1 # the index, warm
		for who in $order; do
			git -C "$T/inc.git" fetch -q "$C" "+refs/accord/feeds/$(kid $who):refs/accord/feeds/$(kid $who)"
			accord -C "$T/inc.git" show "$INC" >/dev/null 2>&1
		done
		equal "$(verdict "$T/inc.git")" "$WANT" "incremental ($order): the same findings as a fresh copy"
		equal "$(shown "$T/inc.git")" "$WANTLOG" "incremental ($order): the same entries count"
	done
}

# --- F1: a revocation with a clock behind an entry it has seen ---------------------
# alice's copy syncs carol's note written at :40 (its index holds it); alice then
# revokes carol with her clock at :35. The note is in the revocation's causal
# past, so the cut covers it: it counts on every path, the warm index included.
test_revoke_behind_synced_note() {
	fresh
	HOUR=$(date -u -d '+3 hours' +%Y-%m-%dT%H)
	rm -rf "$T/carol.git"
	cp -r "$C" "$T/carol.git"
	ACCORD_NOW=$HOUR:40:00Z expect 0 accord --home "$T/carol" -C "$T/carol.git" note "$INC" "carol at forty"
	NOTE=$(git -C "$T/carol.git" rev-parse "refs/accord/feeds/$(kid carol)")
	expect 0 accord --home "$T/alice" -C "$C" list # the index, warm
	ACCORD_NOW=$HOUR:41:00Z expect 0 syncwith alice "$C" "$T/carol.git"
	expect 0 accord --home "$T/alice" -C "$C" show "$INC"
	contains "$OUT" "carol at forty" "F1: the synced note is shown (the index holds it)"
	ACCORD_NOW=$HOUR:35:00Z expect 0 accord --home "$T/alice" -C "$C" member revoke carol
	REV=$(git -C "$C" log -1 --format=%B "refs/accord/feeds/$(kid alice)")
	equal "$(echo "$REV" | jget 'd["body"]["cut"]')" "$(git -C "$C" log -1 --format=%B "$NOTE" | jget 'd["seq"]')" \
		"F1: the cut covers the note the revoker had seen"
	equal "$(echo "$REV" | jget "'$(idof "$NOTE")' in d['deps']")" true "F1: the revocation depends on the note"
	equal "$(echo "$REV" | jget 'd["time"] >= "'"$HOUR"':40:00Z"')" true "F1: its time is not before what it depends on"
	# a note carol writes on her copy, not having seen the revocation: past the cut everywhere
	ACCORD_NOW=$HOUR:50:00Z expect 0 accord --home "$T/carol" -C "$T/carol.git" note "$INC" "carol unaware"
	LATE=$(git -C "$T/carol.git" rev-parse "refs/accord/feeds/$(kid carol)")
	git -C "$C" fetch -q "$T/carol.git" "+refs/accord/feeds/$(kid carol):refs/accord/feeds/$(kid carol)"
	N8=$(echo "$NOTE" | cut -c1-8) L8=$(echo "$LATE" | cut -c1-8)
	paths() { # what show, log, export and audit say of the two notes, on copy $1
		printf '%s' "$(accord -C "$1" show "$INC" 2>/dev/null | grep -c 'carol at forty')"
		printf ' %s' "$(accord -C "$1" show "$INC" 2>/dev/null | grep -c 'carol unaware')"
		printf ' %s' "$(accord -C "$1" log --json 2>/dev/null | jget "[c[:8] for c in sorted(e['commit'] for e in d) if c in ('$NOTE', '$LATE')]")"
		printf ' %s' "$(accord -C "$1" export 2>/dev/null | grep -c 'carol at forty\|carol unaware')"
		printf ' %s\n' "$(accord -C "$1" audit --json --no-record 2>/dev/null | jget "sorted(f['kind'] + ':' + (f['commit'] or '')[:8] for f in d['findings'] + d['set_aside'])")"
	}
	WARM=$(paths "$C")
	equal "$WARM" "1 0 [\"$N8\"] 1 [\"past-cut:$L8\"]" \
		"F1: show, log, export and audit agree: the note counts, the unaware one is past the cut"
	rm -rf "$C/accord/index"
	equal "$(paths "$C")" "$WARM" "F1: a rebuilt index agrees with the warm one (TRUST.md attack 5)"
	rm -rf "$T/copy.git"
	cp -r "$B" "$T/copy.git"
	# at that hour: sync takes nothing dated more than 5 minutes ahead of its clock
	ACCORD_NOW=$HOUR:55:00Z syncwith bob "$T/copy.git" "$C" >/dev/null 2>&1
	equal "$(paths "$T/copy.git")" "$WARM" \
		"F1: a copy synced from it counts the same entries and carries the one set aside"
}

# --- F2: a revocation that does not count has no effect at all ------------------------
# dave (an admin, who added frank) is revoked by alice; dave's stale copy, not having
# seen it, revokes frank. That revocation is past dave's cut: frank stays a member on
# every copy, also on one that holds dave's feed, and his entries count, also one
# written concurrently that sorts before the stale revocation (a replay round that
# still took the revocation had cut it).
test_stale_revoker() {
	fresh
	rm -rf "$T/dave.git"
	cp -r "$C" "$T/dave.git"
	expect 0 accord --home "$T/frank" -C "$C" note "$INC" "frank concurrent"
	FRANK1=$(tip "$(kid frank)")
	expect 0 accord --home "$T/bob" -C "$C" note "$INC" "bob one"
	expect 0 accord --home "$T/bob" -C "$C" note "$INC" "bob two"
	expect 0 accord --home "$T/alice" -C "$C" member revoke dave
	expect 0 accord --home "$T/dave" -C "$T/dave.git" note "$INC" "dave stale"
	expect 0 accord --home "$T/dave" -C "$T/dave.git" member revoke frank
	STALE=$(git -C "$T/dave.git" rev-parse "refs/accord/feeds/$(kid dave)")
	equal "$(git -C "$T/dave.git" log -1 --format=%B "$STALE" | jget 'd["lamport"]')" \
		"$(($(git -C "$C" log -1 --format=%B "$FRANK1" | jget 'd["lamport"]') + 1))" \
		"F2: the stale revocation sorts after frank's concurrent note"
	# a copy that holds dave's feed, as a hub serving it would leave one
	git -C "$C" fetch -q "$T/dave.git" "+refs/accord/feeds/$(kid dave):refs/accord/feeds/$(kid dave)"
	expect 0 accord --home "$T/frank" -C "$C" note "$INC" "frank still here"
	FRANK=$(tip "$(kid frank)")
	accord -C "$C" audit --json --no-record 2>/dev/null >"$T/a.json"
	equal "$(jget "sorted(set(f['kind'] + ':' + str(f['feed']) for f in d['findings'] + d['set_aside']))" <"$T/a.json")" \
		"[\"past-cut:$(kid dave)\"]" "F2: dave's stale entries are set aside, and nothing else"
	expect 0 accord -C "$C" show "$INC"
	contains "$OUT" "frank concurrent" "F2: show has frank's concurrent note"
	expect 0 accord -C "$C" member list --json
	equal "$(echo "$OUT" | jget "[m['active'] for m in d if m['member'] == 'frank']")" "[true]" "F2: frank is still a member"
	expect 0 accord -C "$C" show "$INC"
	contains "$OUT" "frank still here" "F2: show has frank's note"
	expect 0 accord -C "$C" log --json
	equal "$(echo "$OUT" | jget "'$FRANK' in [e['commit'] for e in d]")" true "F2: log has frank's note"
	rm -rf "$C/accord/index"
	expect 0 accord -C "$C" log --json
	equal "$(echo "$OUT" | jget "'$FRANK' in [e['commit'] for e in d]")" true "F2: so does a rebuilt index"
	expect 0 git -C "$C" push -q "$HUB" "refs/accord/feeds/$(kid alice):refs/accord/feeds/$(kid alice)" \
		"refs/accord/feeds/$(kid bob):refs/accord/feeds/$(kid bob)" \
		"refs/accord/feeds/$(kid frank):refs/accord/feeds/$(kid frank)"
	equal "$(git -C "$HUB" rev-parse "refs/accord/feeds/$(kid frank)")" "$FRANK" "F2: the hook takes frank's push"
	# the stale revocation is set aside by a rule: it travels, and has no effect on the hub either
	expect 0 git -C "$C" push -q "$HUB" "refs/accord/feeds/$(kid dave):refs/accord/feeds/$(kid dave)"
	equal "$(git -C "$HUB" rev-parse "refs/accord/feeds/$(kid dave)")" "$STALE" \
		"F2: and takes the stale revocation, set aside"
	expect 0 accord -C "$HUB" member list --json
	equal "$(echo "$OUT" | jget "[m['active'] for m in d if m['member'] == 'frank']")" "[true]" "F2: frank is a member on the hub"
	rm -rf "$T/copy.git"
	cp -r "$B" "$T/copy.git"
	syncwith bob "$T/copy.git" "$C" >/dev/null 2>&1
	expect 0 accord -C "$T/copy.git" show "$INC"
	contains "$OUT" "frank still here" "F2: a copy synced from it has frank's note too"
}

test_writer_derives
test_revoked_admin_backdates
test_vouched_revoked_admin
test_revoked_member_cli
test_lamport
test_chosen_cut
test_foreign_admin_revoke
test_missing_deps
test_unknown_type
test_incremental
test_revoke_behind_synced_note
test_stale_revoker
finish

#!/bin/bash
# One verdict on every path (attack34, second tester): what show derives
# through the index equals what list, report and audit take from the
# engine, and a warm index says what a rebuilt one says; a hub operator's
# odd ref is healed by the next sync. Through a hub whose pre-receive hook
# runs accord; entries with chosen deps signed with stock ssh-keygen.
#   setaside_reopen   a reopen whose only path to the close runs through a
#                     revoked member's set-aside note: every path says
#                     reopened (finding 01)
#   setaside_close    a close whose only path to the partner's co-signature
#                     runs through such a note: every path says closed (02)
#   evidence_named    after a sync that took proof of equivocation, the warm
#                     index names the evidence ref the copy holds (03)
#   tag_ref_healed    a hub operator points a feed ref at a tag of its head:
#                     the member's next sync puts the feed back (04)
#   hub_junk          a hub operator puts an unsigned commit on top of a member's feed:
#                     the member still writes (attack90 01)
#   hub_rollback      a hub operator puts every ref back where it was before
#                     gary's last two notes (git update-ref: no hook runs);
#                     gary clones again: his key home knows what it signed,
#                     so his next write is refused, not a second entry with a
#                     seq acme holds (his key burnt as forked); from acme's
#                     copy he gets his notes back and writes on (attack79 01)
#   vouch_chain       an admin forks its key and, on the other side, admits a
#                     chain of admin keys, each vouching for the next admission:
#                     vouching settles within 8 replay rounds, so the chain
#                     costs a bounded number of replays, not one per link (05)
. "$(dirname "$0")/lib.sh"
FORGE="/usr/bin/python3 $(cd "$(dirname "$0")" && pwd)/forge/forge.py"
unset SSH_AUTH_SOCK

mkkey() { accord --home "$W/k-$1" key new --name "$1" --no-passphrase >/dev/null 2>&1 || bad "key new $1"; }
pub() { accord --home "$W/k-$1" key show | tail -1; }
kid() { accord --home "$W/k-$1" key show --json | jget 'd["id"]'; }
as() { local n=$1 r=$2; shift 2; accord -C "$W/$r" --home "$W/k-$n" "$@"; }
q() { "$@" >"$T/.q" 2>&1 || bad "$*: $(tail -3 "$T/.q")"; }
feed() { echo "refs/accord/feeds/$(kid "$1")"; }
# the entry id of the commit at REF in REPO: the SHA-256 of its message
eid() { git -C "$W/$1" cat-file commit "$2" | /usr/bin/python3 -c 'import sys,hashlib; print(hashlib.sha256(sys.stdin.buffer.read().split(b"\n\n",1)[1]).hexdigest())'; }
# base NAME: acme (alice root, bob member) and globex (gary root) through a hub
base() {
	W="$T/$1"
	mkdir -p "$W"
	for k in alice bob gary; do mkkey $k; done
	git init -q --bare "$W/hub.git"
	printf '#!/bin/sh\nexec "%s" hook pre-receive\n' "$ACCORD_BIN" >"$W/hub.git/hooks/pre-receive"
	chmod +x "$W/hub.git/hooks/pre-receive"
	git init -q "$W/acme"
	LEDGER=$(as alice acme init --party acme --title t 2>/dev/null)
	q as alice acme party invite globex --key "$(pub gary)"
	q as alice acme member add --key "$(pub bob)" --name bob
	q as alice acme remote add origin "$W/hub.git"
	q as alice acme sync
	q accord clone "$W/hub.git" "$W/globex" --ledger "$LEDGER"
	q as gary globex party accept globex --ledger "$LEDGER"
	q as gary globex sync
	q accord clone "$W/hub.git" "$W/bobrepo" --ledger "$LEDGER"
	q as bob bobrepo sync
	q as alice acme sync
}
fresh() {
	rm -rf "$W/fresh"
	q accord clone "$W/hub.git" "$W/fresh" --ledger "$LEDGER"
}
# agree LABEL ID WANT: show, show --json, list and the report's csv row say status WANT
agree() {
	expect 0 as gary fresh show "$2" --json
	equal "$(echo "$OUT" | jget 'd["status"]')" "$3" "$1: show --json"
	expect 0 as gary fresh list --all
	equal "$(echo "$OUT" | awk -v i="$2" '$1==i{print $2}')" "$3" "$1: list"
	expect 0 as gary fresh report --format csv
	equal "$(echo "$OUT" | awk -F, 'NR>1{print $5}')" "$3" "$1: report"
}

# stale_note ALICE_AT TEXT: bob's stale copy holds globex's feed and alice's feed up
# to ALICE_AT (not the revocation after it) and writes an honest note, set
# aside; pushed to the hub. Prints the note's entry id.
stale_note() {
	q git -C "$W/bobrepo" fetch -q origin "+$(feed gary):$(feed gary)" "+$(feed alice):$(feed alice)"
	q git -C "$W/bobrepo" update-ref "$(feed alice)" "$1"
	q as bob bobrepo note "$ID" "$2"
	q git -C "$W/bobrepo" push -q origin "$(feed bob)"
	eid bobrepo "$(feed bob)"
}
# forge_status WHO REPO DEP STATUS: WHO signs a status naming only DEP, with stock tools
forge_status() {
	q git -C "$W/$2" fetch -q origin "+$(feed bob):$(feed bob)" "+$(feed alice):$(feed alice)" "+$(feed gary):$(feed gary)"
	FULL=$(as "$1" "$2" show "$ID" --json | jget 'd["full_id"]')
	$FORGE sshkey "$W/k-$1" "$W/ssh-$1" || bad "sshkey $1"
	$FORGE entry "$W/$2" "$W/ssh-$1" --type status --incident "$FULL" --deps "$3" --body "{\"status\":\"$4\"}" >/dev/null || bad "forge $4"
	q git -C "$W/$2" push -q origin "$(feed "$1")"
	fresh
}

# joint: acme opens an incident with globex ($ID), resolves it, and globex co-signs
joint() {
	ID=$(as alice acme open --title "outage" --severity 2 --service api --parties acme,globex 2>/dev/null)
	q as alice acme status "$ID" resolved
	q as alice acme resolve "$ID" --summary done
	q as alice acme sync --no-checkpoint
	q as gary globex sync --no-checkpoint
	q as gary globex cosign "$ID"
}

test_case setaside_reopen
base setaside_reopen
joint
q as gary globex sync --no-checkpoint
q as alice acme sync --no-checkpoint
q as alice acme status "$ID" closed
CLOSE=$(git -C "$W/acme" rev-parse "$(feed alice)")
q as alice acme member revoke bob --reason lost # alice has not seen bob's next entry
q as alice acme sync --no-checkpoint
B=$(stale_note "$CLOSE" "bob saw the close")
# globex reopens, its only path to the close through bob's note
forge_status gary globex "$B" investigating
agree setaside_reopen "$ID" investigating

test_case setaside_close
base setaside_close
joint
q git -C "$W/globex" push -q origin "$(feed gary)"
BEFORE=$(git -C "$W/acme" rev-parse "$(feed alice)")
q as alice acme member revoke bob --reason lost
q git -C "$W/acme" push -q origin "$(feed alice)"
B=$(stale_note "$BEFORE" "bob saw the cosign")
# acme closes, its only path to globex's co-signature through bob's note
forge_status alice acme "$B" closed
agree setaside_close "$ID" closed

test_case evidence_named
base evidence_named
ID=$(as alice acme open --title "outage" --severity 2 --service api --parties acme,globex 2>/dev/null)
q as alice acme sync
q as bob bobrepo sync --no-checkpoint
cp -a "$W/bobrepo" "$W/bobrepo2" # the same key on a second machine, its home copied too
cp -a "$W/k-bob" "$W/k-bob2"
q as bob bobrepo note "$ID" "from the laptop"
q as bob bobrepo sync --no-checkpoint
q as bob2 bobrepo2 note "$ID" "from the desktop"
as bob2 bobrepo2 sync --no-checkpoint >/dev/null 2>&1 # finds the fork: exits 3
as alice acme sync >/dev/null 2>&1                   # takes the proof: exits 3 too
expect 0 as alice acme list --all
EV=$(echo "$ERR" | grep -o 'kept under refs/accord/evidence/[^)]*' | head -1 | cut -d' ' -f3)
[ -n "$EV" ] && ok || bad "evidence_named: the finding names no evidence ref: $ERR"
git -C "$W/acme" rev-parse -q --verify "$EV" >/dev/null && ok || bad "evidence_named: the warm index names $EV, which acme does not hold"
rm -rf "$W/acme/.git/accord/index"
expect 0 as alice acme list --all
contains "$ERR" "kept under $EV" "evidence_named: a rebuilt index names the same ref"

test_case tag_ref_healed
base tag_ref_healed
ID=$(as alice acme open --title "t" --severity 2 --service api --parties acme,globex 2>/dev/null)
q as alice acme sync
q as gary globex sync
R=$(feed gary)
C=$(git -C "$W/hub.git" rev-parse "$R")
TAG=$(printf 'object %s\ntype commit\ntag x\ntagger t <t@t> 1700000000 +0000\n\nx\n' "$C" | git -C "$W/hub.git" mktag)
q git -C "$W/hub.git" update-ref "$R" "$TAG" # the hub operator's only act
q as gary globex note "$ID" "globex sees errors"
N=$(git -C "$W/globex" rev-parse "$R")
as gary globex sync >/dev/null 2>&1
equal "$(git -C "$W/hub.git" cat-file -t "$R")" commit "tag_ref_healed: the hub's ref names a commit again"
equal "$(git -C "$W/hub.git" rev-parse "$R")" "$N" "tag_ref_healed: gary's feed is back, new entry included"
q as alice acme sync
expect 0 as alice acme show "$ID"
contains "$OUT" "globex sees errors" "tag_ref_healed: acme reads globex's note"

test_case hub_rollback
base hub_rollback
ID=$(as alice acme open --title "outage" --severity 2 --service api --parties acme,globex 2>/dev/null)
q as alice acme sync
q as gary globex sync
SAVED=$(git -C "$W/hub.git" for-each-ref --format='%(objectname) %(refname)' refs/accord/)
q as gary globex note "$ID" "globex: first look"
q as gary globex note "$ID" "globex: found it"
q as gary globex sync
q as alice acme sync
echo "$SAVED" | while read -r o r; do git -C "$W/hub.git" update-ref "$r" "$o"; done
rm -rf "$W/globex"
q accord clone "$W/hub.git" "$W/globex" --ledger "$LEDGER"
HUBHEAD=$(git -C "$W/hub.git" rev-parse "$(feed gary)")
expect 3 as gary globex note "$ID" "globex: after the clone"
contains "$ERR" "already signed seq" "hub_rollback: the write is refused, naming the seq the key signed"
contains "$ERR" "Sync with a copy that has it" "hub_rollback: and what to do"
as gary globex sync >/dev/null 2>&1
equal "$(git -C "$W/hub.git" rev-parse "$(feed gary)")" "$HUBHEAD" "hub_rollback: no second entry with that seq reached the hub"
q as gary globex remote add acme "$W/acme"
q as gary globex sync acme --no-checkpoint
q as gary globex note "$ID" "globex: after the clone"
q as gary globex sync
q as alice acme sync
expect 0 as alice acme audit --no-record
expect 0 as alice acme show "$ID"
equal "$(echo "$OUT" | grep -c 'globex: ')" 3 "hub_rollback: acme counts all three of gary's notes"
fresh
expect 0 as gary fresh audit --no-record

test_case hub_junk
base hub_junk
ID=$(as alice acme open --title "outage" --severity 2 --service api --parties acme,globex 2>/dev/null)
q as alice acme sync
q as gary globex sync
# the operator (no hook runs) puts an unsigned commit on top of gary's feed on the hub
R="$(feed gary)"
J=$(git -C "$W/hub.git" commit-tree -p "$(git -C "$W/hub.git" rev-parse "$R")" -m '{"junk":true}' 4b825dc642cb6eb9a060e54bf8d69288fbee4904)
git -C "$W/hub.git" update-ref "$R" "$J"
as gary globex sync >/dev/null 2>&1 # refuses the junk, and remembers what the hub showed
expect 0 git -C "$W/globex" rev-parse -q --verify "refs/quarantine/origin/feeds/$(kid gary)"
equal "$OUT" "$J" "hub_junk: sync saw the junk on the hub"
expect 0 as gary globex note "$ID" "globex: after the junk"
contains "$(as gary globex show "$ID" 2>/dev/null)" "globex: after the junk" "hub_junk: gary writes on: the junk is no entry of his key"
expect 0 as gary globex audit --no-record

test_case vouch_chain
base vouch_chain
mkkey dan
q as alice acme member add --key "$(pub dan)" --name dan --admin
q as alice acme sync
q accord clone "$W/hub.git" "$W/danrepo" --ledger "$LEDGER"
q as dan danrepo sync
q as alice acme sync
DAN=$(kid dan)
FORK=$(git -C "$W/acme" rev-parse "$(feed dan)")
S=$(git -C "$W/acme" cat-file commit "$FORK" | sed '1,/^$/d' | jget 'd["seq"]')
L=$(git -C "$W/acme" cat-file commit "$FORK" | sed '1,/^$/d' | jget 'd["lamport"]')
$FORGE sshkey "$W/k-dan" "$W/ssh-dan" || bad "sshkey dan"
$FORGE sshkey "$W/k-alice" "$W/ssh-alice" || bad "sshkey alice"
# side A, on dan's feed: one member-add at the fork's seq
mkkey dummy
$FORGE entry "$W/acme" "$W/ssh-dan" --type member-add --deps none --body "{\"key\":\"$($FORGE keyid "$W/k-dummy/key.pub" | cut -d' ' -f1)\",\"member\":\"dummy\",\"admin\":false}" >/dev/null || bad "forge side A"
# side B: member-adds of admins k2..k13, chained from the same parent (an admission on a
# fork side counts only where an admin of the key's party vouches for it: each k is one)
F=12
for i in $(seq 2 $((F + 1))); do mkkey "k$i"; done
for i in $(seq 1 $F); do
	if [ "$i" = 1 ]; then at="--parent $FORK --seq $((S + 1)) --prev $(eid acme "$FORK") --lamport $((L + 1))"; else at=""; fi
	# shellcheck disable=SC2086
	$FORGE entry "$W/acme" "$W/ssh-dan" --ref refs/sideb $at --type member-add --deps none --body "{\"key\":\"$($FORGE keyid "$W/k-k$((i + 1))/key.pub" | cut -d' ' -f1)\",\"member\":\"k$((i + 1))\",\"admin\":true}" >/dev/null || bad "forge link $i"
done
LINKS=$(git -C "$W/acme" rev-list --reverse --first-parent "$FORK..refs/sideb")
set -- $LINKS
q git -C "$W/acme" update-ref "refs/accord/evidence/$DAN/$1" "$1"
eval "LAST=\${$#}"
q git -C "$W/acme" update-ref "refs/accord/evidence/$DAN/$LAST" "$LAST"
q git -C "$W/acme" update-ref -d refs/sideb
# alice (no fork) vouches for link 1; k(i), admitted by link i-1, vouches for link i
L1=$(eid acme "$1")
$FORGE entry "$W/acme" "$W/ssh-alice" --type checkpoint --deps "$L1" --body "{\"heads\":[{\"feed\":\"$DAN\",\"seq\":$((S + 1)),\"hash\":\"$L1\"}],\"remote\":\"origin\"}" >/dev/null || bad "forge alice's vouch"
i=2
for c in $(echo "$LINKS" | tail -n +2); do
	PREVC=$(echo "$LINKS" | sed -n "$((i - 1))p")
	$FORGE sshkey "$W/k-k$i" "$W/ssh-k$i" || bad "sshkey k$i"
	$FORGE entry "$W/acme" "$W/ssh-k$i" --type checkpoint --deps "$(eid acme "$c")" --admission "$(eid acme "$PREVC")" --body "{\"heads\":[{\"feed\":\"$DAN\",\"seq\":$((S + i)),\"hash\":\"$(eid acme "$c")\"}],\"remote\":\"origin\"}" >/dev/null || bad "forge k$i's vouch"
	i=$((i + 1))
done
expect 3 as alice acme audit --json --no-record
ROUNDS_OK=$(echo "$OUT" | jget "len([s for s in d['set_aside'] if s['feed'] not in ('$DAN',)])")
expect 0 as alice acme member list --json
equal "$(echo "$OUT" | jget "sorted(int(m['member'][1:]) for m in d if m['member'].startswith('k') and m['active'])")" "$(seq 2 9 | tr '\n' ' ' | sed 's/ $//;s/ /, /g;s/^/[/;s/$/]/')" "vouch_chain: the chain counts 8 links deep, the rest is set aside"
[ "$ROUNDS_OK" -gt 0 ] && ok || bad "vouch_chain: nothing of the chain set aside"
finish

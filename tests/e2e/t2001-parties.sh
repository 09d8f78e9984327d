# Parties, members and jointly authored resolutions (issue 3), with separate homes on one ledger.
. "$(dirname "$0")/lib.sh"

L="$T/ledger"
git init -q "$L"
export ACCORD_DIR="$L"
newkey alice; newkey gina; newkey gus; newkey oscar; newkey amy
pub() { accord --home "$T/$1" key show | tail -1; }
kid() { accord --home "$T/$1" key show | head -1; }

expect 0 accord --home "$T/alice" init --party acme
# --- invite and accept -------------------------------------------------------------
expect 0 accord --home "$T/alice" party invite globex --key "$(pub gina)"
expect 0 accord --home "$T/alice" party list --json
equal "$(echo "$OUT" | jget '[(p["name"], p["state"]) for p in d]')" '[["acme", "joined"], ["globex", "invited"]]' "globex invited"
BEFORE=$(refs "$L")
expect 1 accord --home "$T/gina" open --title x --severity 3 --service s
contains "$ERR" "not an active member" "invited key may not open before accepting"
expect 1 accord --home "$T/gina" party accept initech
equal "$(refs "$L")" "$BEFORE" "refs unchanged after refused writes"
expect 0 accord --home "$T/gina" party accept globex
expect 1 accord --home "$T/oscar" party invite evil --key "$(pub oscar)"
contains "$ERR" "not a member" "an outsider cannot invite"
expect 1 accord --home "$T/alice" party invite globex --key "$(pub oscar)"

# --- members ---------------------------------------------------------------------
pub gus > "$T/gus.pub"
expect 0 accord --home "$T/gina" member add --key "$T/gus.pub" --name gus
expect 0 accord --home "$T/alice" member add --key "$(pub amy)" --name amy --admin
expect 1 accord --home "$T/gus" member add --key "$(pub oscar)" --name oscar
contains "$ERR" "only a party's root or an admin" "a plain member cannot add members"
expect 2 accord --home "$T/gina" member add --key "ssh-rsa AAAAB3NzaC1yc2E= x" --name x
expect 2 accord --home "$T/gina" member add --key "$(pub oscar)" --name "../oscar"
expect 0 accord member list --json
equal "$(echo "$OUT" | jget '[(m["party"], m["member"], m["role"]) for m in d]')" \
	'[["acme", "alice", "root"], ["globex", "gina", "root"], ["globex", "gus", "member"], ["acme", "amy", "admin"]]' "member list"

# --- an incident involving both parties ---------------------------------------------
BEFORE=$(refs "$L")
expect 1 accord --home "$T/oscar" open --title x --severity 3 --service s
equal "$(refs "$L")" "$BEFORE" "a key of no party is refused, refs unchanged"
expect 0 accord --home "$T/alice" open --title "Checkout down" --severity 1 --service checkout \
	--parties globex --ticket acme:INC-1 --ticket globex:G-7 --started 2026-11-20T09:00:00Z
ID=$OUT
expect 0 accord show "$ID" --json
equal "$(echo "$OUT" | jget 'd["parties"]')" '["acme", "globex"]' "opener's party first, then --parties"
expect 2 accord --home "$T/alice" open --title x --severity 3 --service s --parties "a/b"
expect 1 accord --home "$T/alice" open --title x --severity 3 --service s --parties initech
expect 0 accord --home "$T/gus" note "$ID" "gateway certificate expired on our side"
expect 0 accord --home "$T/gus" impact "$ID" --customers 500 --start 2026-11-20T09:00:00Z --end 2026-11-20T10:00:00Z

# --- resolution: proposal, cosign, revision ---------------------------------------------
expect 2 accord --home "$T/alice" resolve "$ID" --summary s --fault globex
expect 2 accord --home "$T/alice" resolve "$ID" --summary s --action "no owner"
expect 2 accord --home "$T/alice" resolve "$ID" --summary s --action "x@acme:2026-13-40"
expect 0 accord --home "$T/alice" resolve "$ID" --summary "Certificate renewed; monitoring added on both sides" \
	--factor "certificate expiry not monitored at globex" --factor "acme retries amplified the load" \
	--went-well "fast joint bridge call" --went-wrong "status page late" --lucky "low traffic hour" \
	--action "add expiry alerts@globex:2026-12-01" --action "cap retries@acme" --action "joint runbook@acme,globex"
R1=$OUT
expect 0 accord show "$ID" --json
equal "$(echo "$OUT" | jget 'd["resolution"]["state"]')" proposed "proposed until globex signs"
equal "$(echo "$OUT" | jget 'd["resolution"]["waiting_for"]')" '["globex"]' "waiting for globex"
equal "$(echo "$OUT" | jget 'len(d["resolution"]["factors"])')" 2 "two contributing factors"
equal "$(echo "$OUT" | jget '[a["owners"] for a in d["resolution"]["actions"]]')" '[["globex"], ["acme"], ["acme", "globex"]]' "action owners"
equal "$(echo "$OUT" | jget 'd["resolution"]["actions"][0]["due"]')" 2026-12-01 "due date"
expect 1 accord --home "$T/alice" status "$ID" closed
expect 1 accord --home "$T/alice" cosign "$ID"
contains "$ERR" "nothing of incident" "the proposer does not cosign itself: nothing waits for its party"
expect 1 accord --home "$T/oscar" cosign "$ID"
expect 0 accord --home "$T/gus" cosign "$ID"
expect 0 accord show "$ID" --json
equal "$(echo "$OUT" | jget 'd["resolution"]["state"]')" joint "joint after globex cosigns"
equal "$(echo "$OUT" | jget '[(s["party"], s["member"], s["role"]) for s in d["resolution"]["signatures"]]')" \
	'[["acme", "alice", "proposer"], ["globex", "gus", "cosigner"]]' "who signed for which party"
# globex revises: a new round, the earlier cosignature does not count
expect 0 accord --home "$T/gina" resolve "$ID" --summary "Certificate renewed; expiry monitoring is a shared duty" \
	--factor "certificate expiry not monitored" --action "shared expiry calendar@acme,globex:2026-12-15" \
	--action "renew certificates yearly@globex"
R2=$OUT
expect 0 accord show "$ID" --json
equal "$(echo "$OUT" | jget 'd["resolution"]["state"]')" proposed "a revision voids earlier cosignatures"
equal "$(echo "$OUT" | jget 'd["resolution"]["revision"]')" 2 "revision 2"
equal "$(echo "$OUT" | jget 'd["resolution"]["revises"][:12]')" "$R1" "the revision names the proposal it revises"
equal "$(echo "$OUT" | jget 'd["resolution"]["waiting_for"]')" '["acme"]' "now waiting for acme"
expect 0 accord --home "$T/amy" cosign "$ID" "$R2"
expect 0 accord show "$ID"
contains "$OUT" "JOINT" "text show says joint"
contains "$OUT" "amy for acme" "text show names the signer"
# action items: only an owning party's member
expect 1 accord --home "$T/amy" action "$ID" 2 done
contains "$ERR" "not owned by acme" "only an owning party marks an action"
expect 0 accord --home "$T/amy" action "$ID" 1 done --note "calendar shared"
expect 1 accord --home "$T/amy" action "$ID" 1 done
expect 2 accord --home "$T/amy" action "$ID" 1 finished
expect 1 accord --home "$T/amy" action "$ID" 9 done
expect 0 accord show "$ID" --json
equal "$(echo "$OUT" | jget 'd["resolution"]["actions"][0]["status"]')" done "action done"
expect 0 accord --home "$T/alice" status "$ID" resolved
expect 0 accord --home "$T/gina" status "$ID" closed

# a closed incident takes no new party; action owners must be involved
expect 1 accord --home "$T/alice" involve "$ID" acme
newkey pat
accord --home "$T/alice" party invite initech --key "$(pub pat)" >/dev/null && accord --home "$T/pat" party accept initech >/dev/null
expect 1 accord --home "$T/alice" involve "$ID" initech
contains "$ERR" "closed" "involving a party in a closed incident is refused"

# --- involve a party later, with its ticket ------------------------------------------------
expect 0 accord --home "$T/alice" open --title "Slow search" --severity 3 --service search
ID2=$OUT
expect 1 accord --home "$T/gus" note "$ID2" "not involved yet"
contains "$ERR" "not involved" "a party not involved cannot write"
expect 1 accord --home "$T/alice" resolve "$ID2" --summary s --action "x@globex"
contains "$ERR" "not involved" "an action owner must be involved"
expect 0 accord --home "$T/alice" involve "$ID2" globex --ticket G-99
expect 1 accord --home "$T/alice" involve "$ID2" globex
expect 0 accord --home "$T/gus" note "$ID2" "looking"
expect 0 accord show "$ID2" --json
equal "$(echo "$OUT" | jget '[(t["party"], t["id"], t["named_by"]) for t in d["tickets"]]')" '[["globex", "G-99", "acme"]]' "involve keeps the party's ticket, named by the involving party"

# --- revocation ---------------------------------------------------------------------------
expect 1 accord --home "$T/gina" member revoke "$(kid alice)"
expect 1 accord --home "$T/gina" member revoke "$(kid gina)"
contains "$ERR" "root key" "a root key cannot be revoked"
expect 0 accord --home "$T/gina" member revoke gus
BEFORE=$(refs "$L")
expect 1 accord --home "$T/gus" note "$ID2" "after revocation"
contains "$ERR" "revoked" "a revoked key is refused"
# this copy holds the revocation: the refusal claims no ignorance of it (explore60b 14)
case "$ERR" in *"before its author learned"*) bad "a revoked key is told it wrote before it learned" ;; *) ok ;; esac
# an id this copy does not hold: most often a proposal not synced yet (explore60b 13)
expect 1 accord --home "$T/gina" cosign 0123456789ab
contains "$ERR" "sync first" "cosign of an id not here says to sync first"
# an entry of another kind is named as such, not as "no incident" (explore60a 11 b)
NOTEID=$(accord log --json | jget '[e["id"] for e in d if e["type"] == "note"][0]')
expect 1 accord --home "$T/gina" cosign "$(echo "$NOTEID" | cut -c1-12)"
contains "$ERR" "is a note entry: cosign takes a proposal" "cosign of a note says it is a note"
expect 1 accord --home "$T/gus" cosign "$ID"
equal "$(refs "$L")" "$BEFORE" "refs unchanged after the revoked key tried"
expect 0 accord show "$ID2"
contains "$OUT" "looking" "entries signed before the revocation stay valid"
expect 0 accord member list --json
equal "$(echo "$OUT" | jget '[m["active"] for m in d if m["member"] == "gus"]')" '[false]' "gus inactive"

# --- stock git verifies every commit with the allowed-signers output ----------------------
accord allowed-signers > "$T/allowed"
contains "$(cat "$T/allowed")" "gus@globex namespaces=\"git\",valid-after=" "gus listed"
contains "$(grep gus@globex "$T/allowed")" "valid-before=" "gus has valid-before"
N=0
for c in $(git -C "$L" rev-list --glob=refs/accord/feeds/); do
	N=$((N + 1))
	if git -C "$L" -c gpg.ssh.allowedSignersFile="$T/allowed" verify-commit "$c" 2>&1 | grep -q 'Good "git" signature for'; then ok; else bad "git verify-commit $c"; fi
done
[ "$N" -ge 19 ] && ok || bad "expected at least 19 commits, got $N"

# --- forged with plumbing: rejected on read with exit 3 ------------------------------------
LEDGER_ID=$(git -C "$L" config accord.ledger)
FULL=$(accord show "$ID" --json | jget 'd["full_id"]')
ssh-keygen -q -t ed25519 -N '' -C mallory -f "$T/mallory"
# an outsider's signed entry on its own feed ref
MPK=$(/usr/bin/python3 -c 'import base64,sys; b=base64.b64decode(open(sys.argv[1]).read().split()[1]); print(b[-32:].hex())' "$T/mallory.pub")
MKID=$(/usr/bin/python3 -c 'import hashlib,sys; print(hashlib.sha256(bytes.fromhex(sys.argv[1])).digest()[:16].hex())' "$MPK")
NOW=$(date +%s)
STAMP=$(date -u -d "@$NOW" +%Y-%m-%dT%H:%M:%SZ)
printf '{"v":2,"ledger":"%s","author":"%s","seq":1,"prev":null,"lamport":1,"time":"%s","type":"note","incident":"%s","deps":[],"admission":null,"body":{"text":"globex is at fault"}}' \
	"$LEDGER_ID" "$MPK" "$STAMP" "$FULL" > "$T/forged.json"
FORGED=$(cd "$L" && GIT_COMMITTER_DATE="@$NOW +0000" GIT_AUTHOR_DATE="@$NOW +0000" \
	GIT_AUTHOR_NAME=$MKID GIT_AUTHOR_EMAIL=$MKID@accord GIT_COMMITTER_NAME=$MKID GIT_COMMITTER_EMAIL=$MKID@accord \
	git -c gpg.format=ssh -c user.signingKey="$T/mallory" commit-tree -S 4b825dc642cb6eb9a060e54bf8d69288fbee4904 -F "$T/forged.json")
git -C "$L" update-ref "refs/accord/feeds/$MKID" "$FORGED"
expect 0 accord show "$ID"
contains "$ERR" "unknown-key" "outsider's commit rejected on read"
contains "$ERR" "$FORGED" "the forged commit is named"
if echo "$OUT" | grep -q "globex is at fault"; then bad "the outsider's note is shown"; else ok; fi
expect 0 accord list
expect 3 accord list --strict
git -C "$L" update-ref -d "refs/accord/feeds/$MKID"
expect 0 accord show "$ID"

# a cosign by the revoked key: write it in a view where the revocation is hidden, then restore
GINA_FEED="refs/accord/feeds/$(kid gina)"
GINA_HEAD=$(git -C "$L" rev-parse "$GINA_FEED")
git -C "$L" update-ref "$GINA_FEED" "$GINA_HEAD~1"
expect 0 accord --home "$T/alice" note "$ID2" "bump the clock"
expect 0 accord --home "$T/gus" cosign "$R2"
git -C "$L" update-ref "$GINA_FEED" "$GINA_HEAD"
expect 0 accord show "$ID"
contains "$ERR" "revoked" "a cosign by a revoked key is rejected on read"
expect 0 accord log
contains "$ERR" "past-cut" "log says what it left out: set aside beyond the cut"
expect 3 accord log --strict

finish

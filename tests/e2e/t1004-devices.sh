# One key per device and key rotation (issue 16), tried as a new user would:
# alice works on a laptop and on a desktop, each machine with its own key
# home and its own copy of the ledger, syncing through a bare hub whose
# pre-receive hook runs accord. Attacks are played with the CLI where it can
# and with stock ssh-keygen and git plumbing (forge.py) where it cannot, and
# checked on every path: hook, sync, show, member list, audit.
. "$(dirname "$0")/lib.sh"
FORGE="/usr/bin/python3 $(cd "$(dirname "$0")" && pwd)/forge/forge.py"
forge() { $FORGE "$@" || bad "forge $*"; }
AGENT_PID=""
cleanup() {
	[ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE
unset SSH_AUTH_SOCK SSH_AGENT_PID

kid() { accord --home "$T/$1" key show --json | jget 'd["id"]'; }
tip() { git -C "$1" rev-parse -q --verify "refs/accord/feeds/$2" 2>/dev/null; }
idof() { git -C "$1" cat-file commit "$2" | sed '1,/^$/d' | tr -d '\n' | sha256sum | cut -c1-64; }
findings() { # findings COPY: the kinds audit gives, faults and set aside alike, sorted, whatever its exit code
	accord -C "$1" audit --json --no-record 2>/dev/null | jget '" ".join(sorted(f["kind"] for f in d["findings"] + d["set_aside"]))'
}
HUB="$T/hub.git"
git init -q --bare "$HUB"
printf '#!/bin/sh\nexec "%s" hook pre-receive\n' "$ACCORD_BIN" >"$HUB/hooks/pre-receive"
chmod +x "$HUB/hooks/pre-receive"
boss() { accord --home "$T/boss" -C "$T/boss-copy" "$@"; }
laptop() { accord --home "$T/laptop" -C "$T/laptop-copy" "$@"; }
desktop() { accord --home "$T/desktop" -C "$T/desktop-copy" "$@"; }
bob() { accord --home "$T/bob" -C "$T/bob-copy" "$@"; }
gus() { accord --home "$T/gus" -C "$T/gus-copy" "$@"; }

# --- every machine makes its own key ---------------------------------------------
for m in boss bob gina gus eve dan; do newkey $m; done
expect 0 accord --home "$T/laptop" key new --name alice --no-passphrase
contains "$ERR" "one key per machine" "key new says to make one key per machine"
contains "$ERR" "accord member add --key PUBKEY --name NAME" "key new says how the key joins"
expect 0 accord --home "$T/desktop" key new --name alice --no-passphrase
LAPTOP=$(kid laptop) DESKTOP=$(kid desktop)
[ "$LAPTOP" != "$DESKTOP" ] && ok || bad "two machines, two keys"

# --- acme's ledger on the hub; alice's laptop joins as an admin --------------------
expect 0 accord --home "$T/boss" init --party acme --title "devices" "$T/boss-copy"
expect 0 boss remote add hub "$HUB"
expect 0 boss member add --key "$T/laptop/key.pub" --name alice --admin
expect 0 boss member add --key "$T/bob/key.pub" --name bob
expect 0 boss party invite globex --key "$T/gina/key.pub" --name gina
expect 0 boss sync
expect 0 accord --home "$T/gina" clone "$HUB" "$T/gina-copy"
expect 0 accord --home "$T/gina" -C "$T/gina-copy" party accept globex
expect 0 accord --home "$T/gina" -C "$T/gina-copy" member add --key "$T/gus/key.pub" --name gus --admin
expect 0 accord --home "$T/gina" -C "$T/gina-copy" sync
for m in laptop bob gus; do expect 0 accord --home "$T/$m" clone "$HUB" "$T/$m-copy"; done
expect 0 laptop open --title "Printer on fire" --severity 3 --service office
INC=$OUT
INCID=$(idof "$T/laptop-copy" "$(tip "$T/laptop-copy" "$(kid laptop)")")
equal "$(echo "$INCID" | cut -c1-12)" "$INC" "the incident's id is its open entry's"
expect 0 laptop sync

# --- the laptop adds the desktop's key under its own name ----------------------------
expect 0 laptop member add --key "$T/desktop/key.pub" --name alice
contains "$ERR" "another device key of alice (acme), role admin" "member add says it is a device key, with the member's role"
# The same key again before it is accepted (explore60a 02): refused before anything is
# written, on this copy whose index is warm (a state restored from the index holds no offers).
expect 0 laptop list
HEAD_BEFORE=$(tip "$T/laptop-copy" "$LAPTOP")
expect 1 laptop member add --key "$T/desktop/key.pub" --name alice
contains "$ERR" "was already added to acme" "a second add of a key not accepted yet is refused"
equal "$(tip "$T/laptop-copy" "$LAPTOP")" "$HEAD_BEFORE" "the refused add writes nothing"
expect 0 laptop audit --no-record
expect 0 laptop member list --json
equal "$(echo "$OUT" | jget '[(m["party"], m["member"], m["role"], len(m["keys"])) for m in d if m["member"] == "alice"]')" \
	'[["acme", "alice", "admin", 2]]' "member list groups alice's two keys under one name"
equal "$(echo "$OUT" | jget '[(k["key_id"], k["role"], k["this_machine"]) for m in d if m["member"] == "alice" for k in m["keys"]]')" \
	"[[\"$LAPTOP\", \"admin\", true], [\"$DESKTOP\", \"admin\", false]]" "each key with its role; the laptop's is this machine's"
# party list counts members, not keys (explore60b 12): boss, alice (two keys) and bob
expect 0 laptop party list --json
equal "$(echo "$OUT" | jget '[p["members"] for p in d if p["name"] == "acme"]')" '[3]' "party list counts alice once"
expect 0 laptop member list
contains "$(echo "$OUT" | grep "$LAPTOP")" "this machine" "member list marks this machine's key"
case "$(echo "$OUT" | grep "$DESKTOP")" in *"this machine"*) bad "the desktop's key is not the laptop's" ;; *) ok ;; esac
equal "$(echo "$OUT" | grep -c '^acme  *alice ')" 1 "alice's name once, her keys under it"
expect 0 laptop sync

# --- who may add a device key ---------------------------------------------------------
ssh-keygen -q -t ed25519 -N '' -C mallory -f "$T/mallory" </dev/null
MALLORY_PK=$($FORGE keyid "$T/mallory.pub" | cut -d' ' -f1)
MALLORY=$($FORGE keyid "$T/mallory.pub" | cut -d' ' -f2)
BEFORE=$(refs "$T/bob-copy")
expect 1 bob member add --key "$T/mallory.pub" --name alice
contains "$ERR" "only a party's root or an admin" "a plain member cannot add a device key for another member"
equal "$(refs "$T/bob-copy")" "$BEFORE" "nothing written"
# bob signs the member-add himself with stock ssh-keygen: the hook and audit refuse it
forge sshkey "$T/bob" "$T/bob.ssh"
rm -rf "$T/case.git" && git clone -q --mirror "$HUB" "$T/case.git"
git -C "$T/case.git" config accord.ledger "$(git -C "$T/boss-copy" config accord.ledger)"
ADD=$(forge entry "$T/case.git" "$T/bob.ssh" --type member-add --extra '{"incident":null}' \
	--body "{\"key\":\"$MALLORY_PK\",\"member\":\"alice\",\"admin\":true}")
forge entry "$T/case.git" "$T/mallory" --type note --incident "$INCID" --body '{"text":"mallory as alice"}' \
	--admission "$(idof "$T/case.git" "$ADD")" >/dev/null
contains " $(findings "$T/case.git") " " not-authorized " "audit: bob's forged member-add is not authorized"
expect 1 git -C "$T/case.git" push -q "$HUB" "refs/accord/feeds/*:refs/accord/feeds/*"
equal "$(tip "$HUB" "$(kid bob)")" "$(tip "$T/boss-copy" "$(kid bob)")" "the hook refuses bob's forged member-add"
equal "$(tip "$HUB" "$MALLORY")" "" "the hook refuses the key it named"
expect 0 accord -C "$T/case.git" member list --json
equal "$(echo "$OUT" | jget '[len(m["keys"]) for m in d if m["member"] == "alice"]')" "[2]" "the forged device key is no key of alice"
expect 0 accord -C "$T/case.git" show "$INC"
case "$OUT" in *"mallory as alice"*) bad "show prints the forged device key's note" ;; *) ok ;; esac
# another party's admin can only add to its own party: that alice is globex's, not acme's
expect 0 gus sync
expect 0 gus member add --key "$T/eve/key.pub" --name alice
expect 0 gus member list --json
equal "$(echo "$OUT" | jget '[(m["party"], len(m["keys"])) for m in d if m["member"] == "alice"]')" \
	'[["acme", 2], ["globex", 1]]' "globex's admin adds a globex alice; acme's alice keeps her two keys"
expect 0 gus sync

# --- both machines write on one incident ------------------------------------------------
expect 0 accord --home "$T/desktop" clone "$HUB" "$T/desktop-copy"
expect 0 desktop note "$INC" "from the desktop"
expect 0 laptop note "$INC" "from the laptop"
expect 0 desktop sync --no-checkpoint
expect 0 laptop sync --no-checkpoint
expect 0 desktop sync --no-checkpoint
equal "$(tip "$T/desktop-copy" "$LAPTOP")" "$(tip "$T/laptop-copy" "$LAPTOP")" "the desktop has the laptop's feed"
equal "$(tip "$T/laptop-copy" "$DESKTOP")" "$(tip "$T/desktop-copy" "$DESKTOP")" "the laptop has the desktop's feed"
equal "$(git -C "$T/desktop-copy" log -1 --format=%B "refs/accord/feeds/$DESKTOP" | jget 'd["seq"]')" 1 \
	"the desktop's key has its own feed and seq"
for c in laptop desktop; do
	expect 0 accord -C "$T/$c-copy" audit --json --no-record
	equal "$(echo "$OUT" | jget 'len(d["findings"]) + len(d["set_aside"])')" 0 "$c: no equivocation, nothing set aside"
done
equal "$(git -C "$HUB" for-each-ref refs/accord/evidence/ | wc -l)" 0 "no proof of equivocation on the hub"
expect 0 desktop show "$INC" --json
equal "$(echo "$OUT" | jget '[e["by"] for e in d["timeline"] if e["type"] == "note"]')" '["alice@acme", "alice@acme"]' \
	"show attributes both machines' notes to alice"
expect 0 desktop show "$INC"
contains "$OUT" "alice@acme           from the desktop" "show text: the desktop's note by alice"
contains "$OUT" "alice@acme           from the laptop" "show text: the laptop's note by alice"
expect 0 desktop member list
contains "$(echo "$OUT" | grep "$DESKTOP")" "this machine" "on the desktop, the desktop's key is this machine's"

# --- revoking one device key leaves the other -------------------------------------------
expect 0 boss sync
BEFORE=$(refs "$T/boss-copy")
expect 2 boss member revoke alice
contains "$ERR" "$LAPTOP" "a name with two keys: the laptop's key is listed"
contains "$ERR" "$DESKTOP" "a name with two keys: the desktop's key is listed"
equal "$(refs "$T/boss-copy")" "$BEFORE" "an ambiguous name revokes nothing"
expect 0 boss member revoke "$LAPTOP" --reason "laptop stolen"
expect 0 boss sync
expect 0 laptop note "$INC" "the laptop, before it hears of its revocation"
STALE_NOTE=$(tip "$T/laptop-copy" "$LAPTOP")
laptop sync >/dev/null 2>&1
# honest work past a cut travels, set aside (t2003-revoke.sh): the hub keeps it and it counts nowhere
equal "$(tip "$HUB" "$LAPTOP")" "$STALE_NOTE" "the hub keeps the revoked laptop's note"
contains " $(findings "$HUB") " " past-cut " "the hub sets the revoked laptop's note aside"
expect 0 desktop sync
expect 0 desktop note "$INC" "the desktop still writes"
expect 0 desktop sync
expect 0 desktop member list --json
equal "$(echo "$OUT" | jget '[(m["active"], [k["active"] for k in m["keys"]]) for m in d if m["member"] == "alice" and m["party"] == "acme"]')" \
	'[[true, [false, true]]]' "alice stays active with her desktop key"
expect 0 accord -C "$T/desktop-copy" audit --no-record
git -C "$T/desktop-copy" fetch -q "$T/laptop-copy" "+refs/accord/feeds/$LAPTOP:refs/accord/feeds/$LAPTOP"
contains " $(findings "$T/desktop-copy") " " past-cut " "the revoked laptop's note is set aside on the desktop's copy"
expect 0 desktop show "$INC"
case "$OUT" in *"before it hears"*) bad "show prints the revoked laptop's note" ;; *) ok ;; esac
contains "$OUT" "the desktop still writes" "show has the desktop's note"
git -C "$T/desktop-copy" update-ref "refs/accord/feeds/$LAPTOP" "$(tip "$HUB" "$LAPTOP")"

# --- rotation -----------------------------------------------------------------------------
cp -r "$T/desktop" "$T/desktop-stale" # a backup of the key home, made before the rotation
cp -r "$T/boss-copy" "$T/boss-old"     # boss's copy as it was, before it hears of the rotation
cp -r "$T/boss" "$T/boss-old-home"     # on a machine of its own: boss's key home copied with it
OLD=$DESKTOP
expect 0 desktop key rotate --no-passphrase
NEW=$(echo "$OUT" | sed -n 1p)
equal "$NEW" "$(kid desktop)" "key rotate prints the new key, now the key home's"
[ "$NEW" != "$OLD" ] && ok || bad "rotate made a new key"
contains "$ERR" "key.old-$OLD" "rotate says where the old private key is kept"
equal "$(stat -c %a "$T/desktop/key.old-$OLD")" 600 "the old private key stays 0600"
equal "$(stat -c %a "$T/desktop/key")" 600 "the new private key is 0600"
[ -z "$(ls -A "$T/desktop" | grep '^\.rotate')" ] && ok || bad "no staged key left behind"
ROT=$(tip "$T/desktop-copy" "$OLD")
equal "$(git -C "$T/desktop-copy" log -1 --format=%B "$ROT" | jget 'd["type"] + " " + d["body"]["key"]')" \
	"key-rotate $($FORGE keyid "$T/desktop/key.pub" | cut -d' ' -f1)" "the old key signs an entry naming the new one"
expect 0 desktop note "$INC" "after the rotation"
FIRST=$(git -C "$T/desktop-copy" rev-list --max-parents=0 "refs/accord/feeds/$NEW")
equal "$(git -C "$T/desktop-copy" log -1 --format=%B "$FIRST" | jget 'd["type"] + " " + d["admission"]')" "checkpoint $(idof "$T/desktop-copy" "$ROT")" \
	"the new key accepts the rotation at once: its first entry names it as its admission"
expect 0 desktop sync
expect 0 gus sync
expect 1 gus member add --key "$T/desktop/key.pub" --name alice
contains "$ERR" "already known" "another party cannot offer the new key a place: it has accepted its rotation"
expect 0 desktop member list --json
equal "$(echo "$OUT" | jget '[(m["role"], [(k["key_id"], k["active"], k["role"], k["this_machine"]) for k in m["keys"]]) for m in d if m["member"] == "alice" and m["party"] == "acme"]')" \
	"[[\"admin\", [[\"$LAPTOP\", false, \"admin\", false], [\"$OLD\", false, \"admin\", false], [\"$NEW\", true, \"admin\", true]]]]" \
	"the member keeps name, party and role; the old key is retired"
expect 0 desktop show "$INC" --json
equal "$(echo "$OUT" | jget '[e["by"] for e in d["timeline"] if e["body"].get("text") == "after the rotation"]')" '["alice@acme"]' \
	"the new key writes as alice"
# one member across devices: the new desktop key retracts what the laptop's key wrote
LNOTE=$(echo "$OUT" | jget '[e["id"] for e in d["timeline"] if e["body"].get("text") == "from the laptop"][0]')
expect 0 desktop retract "$LNOTE" --reason "wrong printer"
expect 0 desktop show "$INC" --json
equal "$(echo "$OUT" | jget '[e["mark"] for e in d["timeline"] if e["body"].get("text") == "from the laptop"]')" '["retracted"]' \
	"a member retracts its own entry written on another device"
expect 0 desktop sync
rm -rf "$T/fresh" && expect 0 accord clone "$HUB" "$T/fresh"
expect 0 accord -C "$T/fresh" audit --no-record
contains "$OUT" "CLEAN" "a fresh clone audits clean after the rotation"
accord -C "$T/fresh" allowed-signers >"$T/allowed"
contains "$(grep "$(cut -d' ' -f2 "$T/desktop/key.old-$OLD.pub")" "$T/allowed")" "valid-before=" "the old key is valid only before its retirement"
# and not a second past its rotation: ssh-keygen's valid-before includes its second (attack131 01)
ROT=$(TZ=UTC date -d "@$(git -C "$T/fresh" log -1 --format=%ct "refs/accord/feeds/$OLD")" +%Y%m%d%H%M%S)
contains "$(grep "$(cut -d' ' -f2 "$T/desktop/key.old-$OLD.pub")" "$T/allowed")" "valid-before=\"${ROT}Z\"" \
	"the old key ends at its rotation's second"
for k in "$OLD" "$NEW"; do
	for c in $(git -C "$T/fresh" rev-list "refs/accord/feeds/$k"); do
		git -C "$T/fresh" -c gpg.ssh.allowedSignersFile="$T/allowed" verify-commit "$c" >/dev/null 2>&1 && ok ||
			bad "git verify-commit $c of key $k"
	done
done

# --- the old key after its rotation ------------------------------------------------------
# a stale copy of the key home, on a copy that has the rotation: refused, nothing written
rm -rf "$T/stale-copy" && expect 0 accord --home "$T/desktop-stale" clone "$HUB" "$T/stale-copy"
BEFORE=$(refs "$T/stale-copy")
expect 1 accord --home "$T/desktop-stale" -C "$T/stale-copy" note "$INC" "the old key writes on"
contains "$ERR" "revoked" "the old key is told it is retired"
expect 1 accord --home "$T/desktop-stale" -C "$T/stale-copy" key rotate --no-passphrase
contains "$ERR" "a revoked key cannot rotate" "rotation by a retired key is refused, clearly"
expect 1 accord --home "$T/laptop" -C "$T/stale-copy" key rotate --no-passphrase
contains "$ERR" "a revoked key cannot rotate" "rotation by a revoked key is refused"
equal "$(refs "$T/stale-copy")" "$BEFORE" "nothing written by the retired or the revoked key"
[ "$(kid laptop)" = "$LAPTOP" ] && ok || bad "a refused rotation leaves the key home as it was"
[ -z "$(ls -A "$T/laptop" | grep -e '^\.rotate' -e 'key.old')" ] && ok || bad "a refused rotation leaves nothing behind"

# the old key's private half, with stock ssh-keygen: a note past the cut, and a rotation of its own
forge sshkey "$T/desktop-stale" "$T/old.ssh"
contained() { # contained NAME FEED BAD TEXT: every path leaves FEED's commit BAD out
	name=$1 feed=$2 badc=$3 text=$4
	accord -C "$T/case.git" audit --json --no-record 2>/dev/null >"$T/a.json"
	equal "$(jget "'$badc' in [f['commit'] for f in d['findings'] + d['set_aside']]" <"$T/a.json")" true "$name: audit sets it aside"
	# past a cut is set aside, not a fault: the hook keeps it, as it keeps honest stale work
	expect 0 git -C "$T/case.git" push -q "$HUB" "refs/accord/feeds/*:refs/accord/feeds/*"
	equal "$(tip "$HUB" "$feed")" "$badc" "$name: the hook keeps it"
	accord -C "$HUB" audit --json --no-record 2>/dev/null >"$T/a.json"
	equal "$(jget "'$badc' in [f['commit'] for f in d['set_aside']]" <"$T/a.json")" true "$name: the hub sets it aside"
	rm -rf "$T/copy" && git clone -q --mirror "$FRESH_HUB" "$T/copy"
	git -C "$T/copy" config accord.ledger "$(git -C "$T/fresh" config accord.ledger)"
	accord -C "$T/copy" remote add case "$T/case.git" >/dev/null
	expect 0 accord --home "$T/boss" -C "$T/copy" sync case --no-checkpoint
	accord -C "$T/copy" audit --json --no-record 2>/dev/null >"$T/a.json"
	equal "$(jget "'$badc' in [f['commit'] for f in d['set_aside']]" <"$T/a.json")" true "$name: a copy that syncs it sets it aside"
	for r in "$T/case.git" "$HUB" "$T/copy"; do
		expect 0 accord -C "$r" show "$INC"
		case "$OUT" in *"$text"*) bad "$name: show prints what does not count" ;; *) ok ;; esac
		contains "$ERR" "left out" "$name: show says it left entries out"
	done
	# the next case starts from the hub as it was
	rm -rf "$HUB" && cp -a "$FRESH_HUB" "$HUB"
}
FRESH_HUB="$T/hub-before-cases"
rm -rf "$FRESH_HUB" && cp -a "$HUB" "$FRESH_HUB"
fresh_case() {
	rm -rf "$T/case.git" && git clone -q --mirror "$HUB" "$T/case.git"
	git -C "$T/case.git" config accord.ledger "$(git -C "$T/fresh" config accord.ledger)"
}
fresh_case
PAST=$(forge entry "$T/case.git" "$T/old.ssh" --type note --incident "$INCID" --body '{"text":"the old key, forged"}')
contained "forged note past the rotation" "$OLD" "$PAST" "the old key, forged"
contains " $(findings "$T/case.git") " " revoked-key " "the forged note is past the cut, the rotation in its past"

fresh_case
ROT2=$(forge entry "$T/case.git" "$T/old.ssh" --type key-rotate --extra '{"incident":null}' --body "{\"key\":\"$MALLORY_PK\"}")
forge entry "$T/case.git" "$T/mallory" --type note --incident "$INCID" --body '{"text":"mallory took over"}' \
	--admission "$(idof "$T/case.git" "$ROT2")" >/dev/null
contained "a second rotation by the retired key" "$OLD" "$ROT2" "mallory took over"
MNOTE=$(tip "$T/case.git" "$MALLORY")
accord -C "$T/case.git" audit --json --no-record 2>/dev/null >"$T/a.json"
equal "$(jget "'$MNOTE' in [f['commit'] for f in d['findings'] + d['set_aside']]" <"$T/a.json")" true \
	"what the key a forged rotation names writes counts nowhere"
expect 0 accord -C "$T/case.git" member list --json
equal "$(echo "$OUT" | jget "[k['key_id'] for m in d for k in m['keys'] if k['key_id'] == '$MALLORY']")" "[]" \
	"the key a forged rotation names is no member"

# bob, a member, names alice's new key as his successor: a known key is never taken over
fresh_case
ROT3=$(forge entry "$T/case.git" "$T/bob.ssh" --type key-rotate --extra '{"incident":null}' \
	--body "{\"key\":\"$($FORGE keyid "$T/desktop/key.pub" | cut -d' ' -f1)\"}")
contains " $(findings "$T/case.git") " " not-authorized " "a rotation naming another member's key is not authorized"
expect 0 accord -C "$T/case.git" show "$INC" --json
equal "$(echo "$OUT" | jget '[e["by"] for e in d["timeline"] if e["body"].get("text") == "after the rotation"]')" '["alice@acme"]' \
	"alice's new key is still alice's"

# --- a revocation concurrent with the rotation reaches the new key ------------------------
# boss, not knowing of the rotation, revokes the desktop's old key; his clock runs past the
# rotation's, so the rotation sorts first: the revocation must not be void for that
for i in 1 2 3 4 5; do accord --home "$T/boss-old-home" -C "$T/boss-old" note "$INC" "boss, busy $i" >/dev/null || bad "boss note $i"; done
expect 0 accord --home "$T/boss-old-home" -C "$T/boss-old" member revoke "$OLD"
REV=$(tip "$T/boss-old" "$(kid boss)")
fresh_case
git -C "$T/case.git" fetch -q "$T/boss-old" "+refs/accord/feeds/$(kid boss):refs/accord/feeds/$(kid boss)"
equal "$(git -C "$T/case.git" log -1 --format=%B "$REV" | jget 'd["lamport"]' | awk -v r="$(git -C "$T/case.git" log -1 --format=%B "$ROT" | jget 'd["lamport"]')" '{print ($1 > r)}')" 1 \
	"the revocation sorts after the rotation it did not see"
accord -C "$T/case.git" audit --json --no-record 2>/dev/null >"$T/a.json"
equal "$(jget "sorted(set(f['kind'] for f in d['findings'] + d['set_aside'] if f['feed'] == '$NEW'))" <"$T/a.json")" '["past-cut"]' \
	"the new key's entries are set aside: the revocation followed the rotation"
expect 0 accord -C "$T/case.git" member list --json
equal "$(echo "$OUT" | jget "[k['active'] for m in d for k in m['keys'] if k['key_id'] == '$NEW']")" "[false]" \
	"the new key is revoked with the old one"
expect 0 accord -C "$T/case.git" show "$INC"
case "$OUT" in *"after the rotation"*) bad "show prints the new key's note after a revocation reached it" ;; *) ok ;; esac
rm -rf "$T/boss-old" "$T/boss-old-home"

# --- the root rotates too -------------------------------------------------------------------
expect 0 boss sync
BOSS_OLD=$(kid boss)
expect 0 boss key rotate --no-passphrase
BOSS_NEW=$(kid boss)
expect 0 boss party list --json
equal "$(echo "$OUT" | jget '[p["root_key"] for p in d if p["name"] == "acme"]')" "[\"$BOSS_NEW\"]" "the rotated root key is the party's root"
expect 0 boss member add --key "$T/dan/key.pub" --name dan
expect 0 boss member revoke dan
expect 0 boss sync
expect 0 accord -C "$T/boss-copy" audit --no-record
contains "$OUT" "CLEAN" "the root's rotation audits clean"

# --- an agent key rotates to another agent key ------------------------------------------------
S="$T/ssh"
mkdir -p "$S"
ssh-keygen -q -t ed25519 -N '' -C carol -f "$S/carol1" </dev/null
ssh-keygen -q -t ed25519 -N '' -C carol -f "$S/carol2" </dev/null
eval "$(ssh-agent -s -a "$T/agent.sock")" >/dev/null
AGENT_PID=$SSH_AGENT_PID
ssh-add -q "$S/carol1" 2>/dev/null && ok || bad "ssh-add carol1"
rm "$S/carol1"
carol() { accord --home "$T/carol" -C "$T/carol-copy" "$@"; }
expect 0 accord --home "$T/carol" key import --agent "$S/carol1.pub"
CAROL1=$(kid carol)
expect 0 boss member add --key "$S/carol1.pub" --name carol
expect 0 boss sync
expect 0 accord --home "$T/carol" clone "$HUB" "$T/carol-copy"
expect 0 carol note "$INC" "carol, through the agent"
BEFORE=$(refs "$T/carol-copy")
expect 1 carol key rotate --agent "$S/carol2.pub"
contains "$ERR" "ssh-add it first" "rotating to a key the agent lacks: said so"
equal "$(refs "$T/carol-copy")" "$BEFORE" "nothing written without the new key in the agent"
equal "$(kid carol)" "$CAROL1" "the key home is unchanged"
ssh-add -q "$S/carol2" 2>/dev/null && ok || bad "ssh-add carol2"
PRIVATE_LINES=$(sed -n '2,$p' "$S/carol2" | grep -v -- '-----')
rm "$S/carol2"
expect 2 carol key rotate --agent "$S/carol2.pub" --no-passphrase
expect 0 carol key rotate --agent "$S/carol2.pub"
CAROL2=$(kid carol)
equal "$CAROL2" "$($FORGE keyid "$S/carol2.pub" | cut -d' ' -f2)" "the agent's second key is the key home's now"
# (signed/ holds "SEQ ID" of the last entry each key signed, public too; the
# private-byte check below covers it)
equal "$(ls "$T/carol" | grep -v -e index.key -e '^signed$' | tr '\n' ' ')" "agent key.old-$CAROL1.pub key.pub " \
	"the key home holds public keys and the marker only"
found=0
for l in $PRIVATE_LINES; do grep -rqF "$l" "$T/carol" && found=1; done
equal "$found" 0 "no private key byte in the key home"
expect 0 carol note "$INC" "carol, rotated, through the agent"
expect 0 carol sync
rm -rf "$T/fresh" && expect 0 accord clone "$HUB" "$T/fresh"
expect 0 accord -C "$T/fresh" audit --no-record
contains "$OUT" "CLEAN" "the agent key's rotation audits clean"
accord -C "$T/fresh" allowed-signers >"$T/allowed"
for k in "$CAROL1" "$CAROL2"; do
	for c in $(git -C "$T/fresh" rev-list "refs/accord/feeds/$k"); do
		git -C "$T/fresh" -c gpg.ssh.allowedSignersFile="$T/allowed" verify-commit "$c" >/dev/null 2>&1 && ok ||
			bad "git verify-commit $c of agent key $k"
	done
done
expect 0 accord -C "$T/fresh" show "$INC" --json
equal "$(echo "$OUT" | jget '[e["by"] for e in d["timeline"] if e["body"].get("text", "").startswith("carol")]')" \
	'["carol@acme", "carol@acme"]' "both agent keys write as carol"
finish

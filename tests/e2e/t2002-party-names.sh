# A party is its join, not its name (attack25 findings 11, 16 and 12). Played as
# an attacker would: the CLI where it can, stock ssh-keygen and git plumbing
# (forge.py) otherwise, through a hub whose pre-receive hook runs accord.
#   backdated_invite      an admin of acme backdates an invite of globex's party
#                         initech (deps [], low clock) for an accomplice: the genuine
#                         invite and everything on it still count (hook, sync, audit),
#                         nobody is blamed, the name conflict is shown, and the CLI
#                         exits 2 listing both where the name is ambiguous
#                         (finding 11)
#   revoked_admin_invite  the same by an admin already revoked: set aside, its
#                         revocation still counts (finding 16)
#   invite_seen_name      an invite of a name already invited in its causal past:
#                         refused, that entry only
#   honest_concurrent     two admins invite one name at once with the CLI: both
#                         joins count, nothing stops counting, and each party's own
#                         members still name it (attack28 findings 03, 09)
#   unaccepted_offer      another party's admin "adds" a key a globex admin added:
#                         member list shows no membership the key never accepted,
#                         and the key's owner chooses with member accept (finding 12)
. "$(dirname "$0")/lib.sh"
FORGE="/usr/bin/python3 $(cd "$(dirname "$0")" && pwd)/forge/forge.py"
forge() { $FORGE "$@" || bad "forge $*"; }
unset SSH_AUTH_SOCK

for k in alice bob gina ivan mal kate nina; do newkey $k; done
for k in alice bob gina ivan mal kate nina; do forge sshkey "$T/$k" "$T/$k.ssh"; done
pub() { accord --home "$T/$1" key show | tail -1; }
kid() { accord --home "$T/$1" key show --json | jget 'd["id"]'; }
pkhex() { $FORGE keyid "$T/$1.ssh.pub" | cut -d' ' -f1; }
idof() { git -C "$1" cat-file commit "$2" | sed '1,/^$/d' | tr -d '\n' | sha256sum | cut -c1-64; }
as() { who=$1 repo=$2; shift 2; accord --home "$T/$who" -C "$T/$repo" "$@"; }
sync_all() { for r in "$@"; do accord --home "$T/${r%%:*}" -C "$T/${r#*:}" sync >/dev/null 2>&1; done; }

# acme (alice root, bob admin) and globex (gina root) through a hooked hub;
# globex invites initech (ivan), which joins and writes on an incident.
base() {
	rm -rf "$T/hub.git" "$T/acme" "$T/globex" "$T/bobr" "$T/ini" "$T/home-default/.accord"
	git init -q --bare "$T/hub.git"
	printf '#!/bin/sh\nexec "%s" hook pre-receive\n' "$ACCORD_BIN" >"$T/hub.git/hooks/pre-receive"
	chmod +x "$T/hub.git/hooks/pre-receive"
	git init -q "$T/acme"
	expect 0 as alice acme init --party acme --title names
	LEDGER=$OUT
	expect 0 as alice acme party invite globex --key "$(pub gina)"
	expect 0 as alice acme member add --key "$(pub bob)" --name bob --admin
	expect 0 as alice acme remote add hub "$T/hub.git"
	sync_all alice:acme
	for r in globex bobr ini; do accord clone "$T/hub.git" "$T/$r" --ledger "$LEDGER" >/dev/null 2>&1 || bad "clone $r"; done
	expect 0 as gina globex party accept globex --ledger "$LEDGER"
	sync_all gina:globex alice:acme
	expect 0 as alice acme open --title "db down" --severity 2 --service db --started 2026-12-01T00:00:00Z --parties globex
	INC=$OUT
	sync_all alice:acme bob:bobr
	expect 0 as bob bobr note "$INC" "bob"
	sync_all bob:bobr gina:globex
	expect 0 as gina globex party invite initech --key "$(pub ivan)"
	sync_all gina:globex ivan:ini
	expect 0 as ivan ini party accept initech --ledger "$LEDGER"
	sync_all ivan:ini gina:globex
	expect 0 as gina globex involve "$INC" initech
	sync_all gina:globex ivan:ini
	expect 0 as ivan ini note "$INC" "ivan of initech"
	sync_all ivan:ini alice:acme
	expect 0 as alice acme note "$INC" "alice after initech joined"
	sync_all alice:acme gina:globex # bob last synced before initech was invited
}

# bob (acme) signs, backdated to his own last entry, an invite of "initech" for mal,
# and mal accepts it; both pushed to the hooked hub.
backdated_invite() {
	BP=$(git -C "$T/bobr" show -s --format=%ct "refs/accord/feeds/$(kid bob)")
	INV=$(forge entry "$T/bobr" "$T/bob.ssh" --type party-invite --deps none --time "$BP" \
		--body "{\"party\":\"initech\",\"key\":\"$(pkhex mal)\",\"member\":\"mal\"}")
	INVID=$(idof "$T/bobr" "$INV")
	forge entry "$T/bobr" "$T/mal.ssh" --type party-accept --deps "$INVID" --admission "$INVID" \
		--body "{\"party\":\"initech\",\"invite\":\"$INVID\",\"recovery\":\"$(echo r | sha256sum | cut -c1-64)\"}" >/dev/null
	git -C "$T/bobr" push -q "$T/hub.git" "refs/accord/feeds/$(kid bob):refs/accord/feeds/$(kid bob)" \
		"refs/accord/feeds/$(kid mal):refs/accord/feeds/$(kid mal)" 2>"$T/push.err"
}

# --- backdated_invite (finding 11) ----------------------------------------------
base
backdated_invite
equal "$?" 0 "backdated_invite: the hook takes the concurrent invite (it frames no one)"
sync_all gina:globex
expect 0 as gina globex audit --no-record
contains "$OUT" "Result:      CLEAN" "backdated_invite: audit: nothing is refused, nobody is blamed"
case "$OUT" in *"exists or is invited already"*|*pending*) bad "backdated_invite: audit blames or freezes: $OUT" ;; *) ok ;; esac
expect 0 as gina globex show "$INC"
contains "$OUT" "ivan of initech" "backdated_invite: ivan's note still counts"
contains "$OUT" "alice after initech joined" "backdated_invite: what depends on it still counts"
case "$OUT$ERR" in *"left out"*) bad "backdated_invite: show leaves entries out: $ERR" ;; *) ok ;; esac
expect 0 as gina globex party list --json
equal "$(echo "$OUT" | jget '[(p["root_key"], p["state"]) for p in d if p["name"] == "initech"]')" \
	"[[\"$(kid mal)\", \"conflict\"], [\"$(kid ivan)\", \"conflict\"]]" \
	"backdated_invite: both joins of initech are shown as a name conflict"
expect 0 as gina globex party list
contains "$ERR" "2 parties are named 'initech'" "backdated_invite: party list warns of the conflict"
BEFORE=$(refs "$T/globex")
expect 2 as gina globex involve "$INC" initech
contains "$ERR" "$(kid ivan)" "backdated_invite: the CLI lists ivan's initech"
contains "$ERR" "$(kid mal)" "backdated_invite: and mal's"
expect 2 as gina globex open --title x --severity 3 --service db --parties initech
equal "$(refs "$T/globex")" "$BEFORE" "backdated_invite: nothing written where the name is ambiguous"
# ivan, who never saw mal's invite, goes on writing for the initech it joined
expect 0 as ivan ini note "$INC" "ivan, later"
sync_all ivan:ini gina:globex alice:acme
expect 0 as alice acme show "$INC"
contains "$OUT" "ivan, later" "backdated_invite: the genuine party keeps writing"
# a fresh clone derives the same (the index cannot resolve a name conflict: full verification)
accord clone "$T/hub.git" "$T/fresh" --ledger "$LEDGER" >/dev/null 2>&1 || bad "backdated_invite: clone"
expect 0 accord --home "$T/gina" -C "$T/fresh" audit --no-record
contains "$OUT" "Result:      CLEAN" "backdated_invite: a clone's audit is clean too"
expect 0 accord --home "$T/gina" -C "$T/fresh" show "$INC"
contains "$OUT" "ivan, later" "backdated_invite: a clone shows ivan's notes"
rm -rf "$T/fresh"

# --- revoked_admin_invite (finding 16) ------------------------------------------
base
expect 0 as alice acme member revoke bob
sync_all alice:acme bob:bobr gina:globex
backdated_invite
sync_all gina:globex
expect 0 as gina globex member list --json
equal "$(echo "$OUT" | jget '[k["active"] for m in d if m["member"] == "bob" for k in m["keys"]]')" '[false]' \
	"revoked_admin_invite: bob stays revoked"
expect 0 as gina globex party list --json
equal "$(echo "$OUT" | jget '[p["root_key"] for p in d if p["name"] == "initech"]')" "[\"$(kid ivan)\"]" \
	"revoked_admin_invite: initech is ivan's alone"
expect 0 as gina globex audit --no-record
contains "$OUT" "set aside by rule" "revoked_admin_invite: bob's invite is set aside"
case "$OUT" in *"exists or is invited already"*|*pending*) bad "revoked_admin_invite: audit blames or freezes: $OUT" ;; *) ok ;; esac
expect 0 as gina globex show "$INC"
contains "$OUT" "ivan of initech" "revoked_admin_invite: ivan's note still counts"

# --- invite_seen_name: a name invited in the invite's own causal past ------------------
# bob has synced gina's invite of initech: his invite of that name is refused, his alone
base
sync_all bob:bobr
expect 1 as bob bobr party invite initech --key "$(pub mal)"
contains "$ERR" "initech" "invite_seen_name: the CLI refuses it"
BAD=$(forge entry "$T/bobr" "$T/bob.ssh" --type party-invite \
	--body "{\"party\":\"initech\",\"key\":\"$(pkhex mal)\",\"member\":\"mal\"}")
git -C "$T/bobr" push -q "$T/hub.git" "refs/accord/feeds/$(kid bob):refs/accord/feeds/$(kid bob)" 2>"$T/push.err"
equal "$?" 1 "invite_seen_name: the hook refuses an invite of a name its author saw"
expect 3 as bob bobr audit --no-record
contains "$OUT" "party initech exists or is invited already" "invite_seen_name: the fault is the invite's"
contains "$OUT" "$(git -C "$T/bobr" rev-parse --short=12 "$BAD")" "invite_seen_name: named by its commit"

# --- honest_concurrent: two admins invite one name at once ---------------------------
base
expect 0 as alice acme party invite northwind --key "$(pub nina)"
expect 0 as gina globex party invite northwind --key "$(pub kate)"
sync_all alice:acme gina:globex alice:acme
expect 0 as gina globex audit --no-record
contains "$OUT" "Result:      CLEAN" "honest_concurrent: both invites count"
expect 0 as gina globex party list --json
equal "$(echo "$OUT" | jget '[p["state"] for p in d if p["name"] == "northwind"]')" '["invited", "invited"]' \
	"honest_concurrent: both invitations are shown"
# both join; each party's own members still name it (their own), another party cannot say which
for k in nina kate; do
	rm -rf "$T/$k-r"
	accord clone "$T/hub.git" "$T/$k-r" --ledger "$LEDGER" >/dev/null 2>&1 || bad "clone $k"
done
for k in nina kate; do expect 0 as $k $k-r party accept northwind --ledger "$LEDGER"; done
sync_all nina:nina-r kate:kate-r nina:nina-r alice:acme gina:globex
expect 0 as nina nina-r open --title "northwind down" --severity 3 --service web --started 2026-12-01T00:00:00Z --parties northwind
expect 0 as nina nina-r sync
expect 2 as alice acme open --title "which northwind" --severity 3 --service web --started 2026-12-01T00:00:00Z --parties northwind
contains "$ERR" "cannot say which" "honest_concurrent: another party naming the name is refused, listing both"
sync_all alice:acme
expect 0 as alice acme list
contains "$OUT" "northwind down" "honest_concurrent: a joined party's own member still opens an incident naming it"
# --- unaccepted_offer (finding 12) ------------------------------------------------
# gina (globex) adds kate with the CLI; bob (acme admin) signs, backdated, a member-add
# of the same key for acme. kate never accepted acme's offer: it has no effect anywhere.
base
expect 0 as gina globex member add --key "$(pub kate)" --name kate
sync_all gina:globex
BP=$(git -C "$T/bobr" show -s --format=%ct "refs/accord/feeds/$(kid bob)")
forge entry "$T/bobr" "$T/bob.ssh" --type member-add --deps none --time "$BP" \
	--body "{\"key\":\"$(pkhex kate)\",\"member\":\"kate\",\"admin\":false}" >/dev/null
git -C "$T/bobr" push -q "$T/hub.git" "refs/accord/feeds/$(kid bob):refs/accord/feeds/$(kid bob)" 2>"$T/push.err" ||
	bad "unaccepted_offer: the hook takes the (valid) offer: $(cat "$T/push.err")"
sync_all gina:globex alice:acme
expect 0 as gina globex member list
case "$OUT" in *"acme             kate "*) bad "unaccepted_offer: member list shows kate in acme: $OUT" ;; *) ok ;; esac
contains "$OUT" "added by acme, globex, not accepted yet" "unaccepted_offer: member list shows both offers, neither accepted"
expect 0 as alice acme member list
case "$OUT" in *"acme             kate "*) bad "unaccepted_offer: acme's member list shows kate in acme" ;; *) ok ;; esac
# accord does not choose for kate: a write says how she chooses, and writes nothing
BEFORE=$(refs "$T/globex")
expect 1 as kate globex note "$INC" "kate"
contains "$ERR" "accord member accept PARTY" "unaccepted_offer: the refusal says how to choose"
contains "$ERR" "globex (member-add" "unaccepted_offer: and lists the offers"
equal "$(refs "$T/globex")" "$BEFORE" "unaccepted_offer: nothing written"
# her sync goes through: the checkpoint it cannot write yet is a notice, not a failed remote (attack125 02)
expect 0 as kate globex sync
contains "$ERR" "no checkpoint written: key" "unaccepted_offer: sync says why it wrote no checkpoint"
case "$ERR" in *"origin: key"*|*"hub: key"*) bad "unaccepted_offer: sync blames the remote: $ERR" ;; *) ok ;; esac
expect 1 as kate globex member accept initech
contains "$ERR" "was not added by party initech" "unaccepted_offer: only a party that added the key"
expect 0 as kate globex member accept globex
expect 0 as kate globex note "$INC" "kate of globex"
expect 1 as kate globex member accept acme
sync_all kate:globex alice:acme
expect 0 as alice acme member list --json
equal "$(echo "$OUT" | jget '[(m["party"], m.get("accepted", True)) for m in d if m["member"] == "kate"]')" '[["globex", true]]' \
	"unaccepted_offer: kate is globex's, acme's offer never took effect"
expect 0 as alice acme show "$INC"
contains "$OUT" "kate@globex" "unaccepted_offer: kate's note is globex's"
expect 0 as alice acme audit --no-record
contains "$OUT" "Result:      CLEAN" "unaccepted_offer: audit is clean"
finish

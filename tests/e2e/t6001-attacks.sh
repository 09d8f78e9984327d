# Attacks from the second review (/work/attack25), each played as the tester
# did: the CLI on separate copies syncing through a hooked hub, and stock
# ssh-keygen and git plumbing (forge.py) for what the CLI will not write.
#
# open_stands (finding 15), close_stands (finding 03): a revoker who saw another party's close revokes
# a member with a derived cut below the cosign the close rests on. The close
# is judged on its own causal past: it stands, on every copy and path
# (TRUST.md attack 1: decisions of other parties resting on the key's
# entries stand). What cannot come back that way: a revoked admin's
# backdated member-add followed by a cosign that a partner closes on.
. "$(dirname "$0")/lib.sh"
FORGE="/usr/bin/python3 $(cd "$(dirname "$0")" && pwd)/forge/forge.py"
forge() { $FORGE "$@" || bad "forge $*"; }
unset SSH_AUTH_SOCK

for k in alice bob gina; do newkey $k; done
for k in alice bob gina; do forge sshkey "$T/$k" "$T/$k.ssh"; done
pub() { accord --home "$T/$1" key show | tail -1; }
kid() { accord --home "$T/$1" key show --json | jget 'd["id"]'; }
pkhex() { $FORGE keyid "$T/$1.ssh.pub" | cut -d' ' -f1; }
HUB="$T/hub.git" A="$T/acme" G="$T/globex" BC="$T/bobcopy"
git init -q --bare "$HUB"
printf '#!/bin/sh\nexec "%s" hook pre-receive\n' "$ACCORD_BIN" >"$HUB/hooks/pre-receive"
chmod +x "$HUB/hooks/pre-receive"
a() { accord --home "$T/alice" -C "$A" "$@"; }
b() { accord --home "$T/bob" -C "$BC" "$@"; }
g() { accord --home "$T/gina" -C "$G" "$@"; }

# --- acme (alice root, bob admin) and globex (gina), each on its own copy ---------
git init -q "$A"
expect 0 a init --party acme --title attacks
expect 0 a party invite globex --key "$(pub gina)"
expect 0 a member add --key "$(pub bob)" --name bob --admin
expect 0 a remote add hub "$HUB"
expect 0 a sync
expect 0 accord clone "$HUB" "$G"
expect 0 g party accept globex
expect 0 g sync
expect 0 a sync
expect 0 accord clone "$HUB" "$BC"
expect 0 a open --title "db down" --severity 2 --service db --started 2026-12-01T00:00:00Z --parties globex
ID=$OUT
expect 0 a sync
expect 0 g sync
expect 0 b sync
expect 0 b note "$ID" "bob here"
expect 0 b sync
expect 0 a sync
BASE="$T/base.git" # before the resolution: the collusion case starts here
git clone -q --bare --mirror "$HUB" "$BASE"
git -C "$BASE" config accord.ledger "$(git -C "$A" config accord.ledger)"

# Each case starts on machines that never wrote (new_machines): the cases
# replay hub, base.git or the shared copies with the same keys, each a
# history of its own, so a key home's record of what it signed in one case
# would refuse its writes in the next.
test_close_stands() {
	new_machines
	expect 0 g sync
	expect 0 g status "$ID" resolved
	expect 0 g resolve "$ID" --summary "fixed" --factor "x"
	R=$OUT
	expect 0 g sync
	expect 0 b sync
	expect 0 b cosign "$R"
	expect 0 b sync
	expect 0 g sync
	expect 0 g status "$ID" closed
	expect 0 g sync
	expect 0 b sync
	# alice looks at the hub (she sees the close), then revokes bob as if she had not
	git -C "$A" fetch -q "$HUB" 'refs/accord/*:refs/peek/*'
	case "$(git -C "$A" log --format=%B "refs/peek/feeds/$(kid gina)")" in
	*'"status":"closed"'*) ok ;;
	*) bad "close stands: alice sees the close before she revokes" ;;
	esac
	BOBSEQ=$(git -C "$A" log -1 --format=%B "refs/accord/feeds/$(kid bob)" | jget 'd["seq"]')
	REV=$(forge entry "$A" "$T/alice.ssh" --type member-revoke \
		--body "{\"key\":\"$(pkhex bob)\",\"cut\":$BOBSEQ}")
	equal "$BOBSEQ" 2 "close stands: the revocation's cut is below bob's checkpoint (seq 3) and cosign (seq 4)"
	expect 0 git -C "$A" push -q "$HUB" "refs/accord/feeds/$(kid alice):refs/accord/feeds/$(kid alice)"
	expect 0 g sync
	expect 0 b sync
	rm -rf "$T/fresh"
	expect 0 accord clone "$HUB" "$T/fresh"
	for R in "$G" "$BC" "$HUB" "$T/fresh"; do
		n=$(basename "$R")
		equal "$(accord -C "$R" show "$ID" --json | jget 'd["status"] + " " + d["resolution"]["state"]')" "closed joint" \
			"close stands: show on $n"
		equal "$(accord -C "$R" list | tail -1 | awk '{print $2}')" closed "close stands: list on $n"
		equal "$(accord -C "$R" report --format json | jget 'd["incidents"]["closed"]')" 1 "close stands: report on $n"
		equal "$(accord -C "$R" audit --json --no-record | jget 'len(d["findings"])')" 0 "close stands: audit on $n finds no fault"
	done
	# the raise covers what the close rests on, no more: bob's checkpoints, the one
	# before the cosign (set aside alone: attack51 01) and the later one, stay set aside
	equal "$(accord -C "$G" audit --json --no-record | jget "[(f['kind'], f['seq'], 'checkpoint entry' in f['explanation']) for f in d['set_aside'] if f['feed'] == '$(kid bob)']")" \
		'[["past-cut", 3, true], ["past-cut", 5, true]]' "close stands: bob's checkpoints stay past the cut"
	# the revoker's member list still names bob revoked
	expect 0 g member list --json
	equal "$(echo "$OUT" | jget "[m['active'] for m in d if m['member'] == 'bob'][0]")" false "close stands: bob is revoked"
}

# --- a revoked admin's backdated member-add, then a cosign a partner closes on ---
test_close_no_authority() {
	new_machines
	N="$T/n.git"
	rm -rf "$N"
	cp -r "$BASE" "$N"
	INCID=$(git -C "$N" log -1 --format=%B "refs/accord/feeds/$(kid bob)" | jget 'd["incident"]')
	expect 0 accord --home "$T/gina" -C "$N" status "$ID" resolved
	expect 0 accord --home "$T/gina" -C "$N" resolve "$ID" --summary "fixed"
	RES=$(git -C "$N" cat-file commit "refs/accord/feeds/$(kid gina)" | sed '1,/^$/d' | tr -d '\n' | sha256sum | cut -c1-64)
	expect 0 accord --home "$T/alice" -C "$N" member revoke bob
	ssh-keygen -q -t ed25519 -N '' -C mal -f "$T/mal" </dev/null
	MAL_PK=$($FORGE keyid "$T/mal.pub" | cut -d' ' -f1)
	BACK=$(git -C "$N" log -1 --format=%ct "refs/accord/feeds/$(kid bob)")
	# bob's feed: unaware in causal terms (deps none), written knowing
	ADD=$(forge entry "$N" "$T/bob.ssh" --type member-add --extra '{"incident":null}' --deps none --time "$BACK" \
		--body "{\"key\":\"$MAL_PK\",\"member\":\"mal\",\"admin\":true}")
	COS=$(forge entry "$N" "$T/bob.ssh" --type cosign --incident "$INCID" --deps "$(git -C "$N" cat-file commit "refs/accord/feeds/$(kid gina)" | sed '1,/^$/d' | tr -d '\n' | sha256sum | cut -c1-64)" \
		--body "{\"proposal\":\"$RES\"}")
	# gina closes on bob's cosign, without the revocation in her entry's past
	CLOSE=$(forge entry "$N" "$T/gina.ssh" --type status --incident "$INCID" \
		--deps "$(git -C "$N" cat-file commit "$COS" | sed '1,/^$/d' | tr -d '\n' | sha256sum | cut -c1-64)" \
		--body '{"status":"closed"}')
	# the close rests on bob's cosign, which stands; the member-add before it gives
	# authority, so no raise brings it back (attack finding 11: an honest member-add
	# before a cosign must not un-close a partner's incident)
	equal "$(accord -C "$N" show "$ID" --json | jget 'd["status"] + " " + d["resolution"]["state"]')" "closed joint" \
		"close on a cosign past a member-add: the close stands"
	expect 0 accord -C "$N" member list --json
	equal "$(echo "$OUT" | jget "'mal' in [m['member'] for m in d if m['active']]")" false \
		"close on a cosign past a member-add: mal is no member"
	equal "$(accord -C "$N" audit --json --no-record | jget "sorted(f['kind'] for f in d['set_aside'] if f['commit'] in ('$ADD', '$COS'))")" \
		'["past-cut"]' "close on a cosign past a member-add: bob's member-add alone stays set aside"
	equal "$(accord -C "$N" log --json | jget "'$CLOSE' in [e['commit'] for e in d]")" true \
		"close on a cosign past a member-add: gina's close counts"
}

# --- a revocation that leaves out a member's open cannot hide the incident ------
# (finding 15) bob opens an incident with globex; gina records figures and a note
# on it; alice, on a copy that never took bob's open, revokes him: the cut falls
# below the open. The open stands: globex built on it, unaware of the revocation.
test_open_stands() {
	new_machines
	H2="$T/hub2.git" A2="$T/acme2" B2="$T/bob2" G2="$T/globex2"
	rm -rf "$H2" "$A2" "$B2" "$G2"
	cp -r "$HUB" "$H2"
	expect 0 accord clone "$H2" "$A2"
	expect 0 accord clone "$H2" "$B2"
	expect 0 accord --home "$T/bob" -C "$B2" open --title "payments down" --severity 1 --service pay \
		--started 2026-12-01T00:00:00Z --parties globex
	PID=$OUT
	expect 0 accord --home "$T/bob" -C "$B2" sync
	expect 0 accord clone "$H2" "$G2"
	expect 0 accord --home "$T/gina" -C "$G2" impact "$PID" --customers 900 \
		--start 2026-12-01T00:00:00Z --end 2026-12-01T03:00:00Z
	expect 0 accord --home "$T/gina" -C "$G2" note "$PID" "globex's view"
	expect 0 accord --home "$T/gina" -C "$G2" sync
	BOBSEQ=$(git -C "$A2" log -1 --format=%B "refs/accord/feeds/$(kid bob)" | jget 'd["seq"]')
	forge entry "$A2" "$T/alice.ssh" --type member-revoke --body "{\"key\":\"$(pkhex bob)\",\"cut\":$BOBSEQ}" >/dev/null
	expect 0 git -C "$A2" push -q "$H2" "refs/accord/feeds/$(kid alice):refs/accord/feeds/$(kid alice)"
	expect 0 accord --home "$T/gina" -C "$G2" sync
	rm -rf "$T/fresh2"
	expect 0 accord clone "$H2" "$T/fresh2"
	for R in "$G2" "$H2" "$T/fresh2"; do
		n=$(basename "$R")
		expect 0 accord -C "$R" list
		contains "$OUT" "payments down" "open stands: list on $n"
		expect 0 accord -C "$R" show "$PID"
		contains "$OUT" "globex's view" "open stands: show on $n keeps globex's note"
		equal "$(accord -C "$R" show "$PID" --json | jget 'sum(w["customers"] for w in d["impact"])')" 900 \
			"open stands: $n keeps globex's figure"
		equal "$(accord -C "$R" audit --json --no-record | jget 'len(d["findings"])')" 0 "open stands: audit on $n finds no fault"
	done
	expect 0 accord -C "$G2" member list --json
	equal "$(echo "$OUT" | jget "[m['active'] for m in d if m['member'] == 'bob'][0]")" false "open stands: bob is revoked"
}

# --- a backdated party-recover cannot un-close the other party's incident -------
# (finding 13) the same as close_stands through the other door that cuts a key:
# globex's recovery key replaces gina with deps naming only her party-accept, so
# the old root's cut falls below her cosign; acme's close rests on that cosign.
test_recover_close_stands() {
	new_machines
	N="$T/rec.git"
	rm -rf "$N"
	cp -r "$BASE" "$N"
	newkey gnew
	forge sshkey "$T/gina/recovery" "$T/grec.ssh"
	x() { who=$1; shift; accord --home "$T/$who" -C "$N" "$@"; }
	expect 0 x alice open --title "cache down" --severity 2 --service cache --started 2026-12-01T00:00:00Z --parties globex
	RID=$OUT
	expect 0 x alice status "$RID" resolved
	expect 0 x alice resolve "$RID" --summary "fixed"
	expect 0 x gina cosign "$RID"
	expect 0 x alice status "$RID" closed
	equal "$(x alice show "$RID" --json | jget 'd["status"]')" closed "recover: closed before the recovery"
	PA=$(git -C "$N" log --format=%B --glob=refs/accord/ | grep '"type":"party-accept"' | head -1 | tr -d '\n' | sha256sum | cut -c1-64)
	forge sshkey "$T/gnew" "$T/gnew.ssh"
	GPK=$(pkhex gnew)
	NEXT=$(echo next | sha256sum | cut -c1-64)
	forge entry "$N" "$T/grec.ssh" --type party-recover --admission null --deps "$PA" \
		--body "{\"party\":\"globex\",\"key\":\"$GPK\",\"member\":\"gnew\",\"recovery\":\"$NEXT\"}" >/dev/null
	expect 0 accord -C "$N" member list --json
	equal "$(echo "$OUT" | jget "sorted((m['member'], m['active']) for m in d if m['party'] == 'globex')")" \
		'[["gina", false], ["gnew", true]]' "recover: the recovery counts, gina is replaced"
	equal "$(accord -C "$N" show "$RID" --json | jget 'd["status"] + " " + d["resolution"]["state"]')" "closed joint" \
		"recover: acme's close resting on gina's cosign stands"
	rm -rf "$N/accord/index"
	equal "$(accord -C "$N" report --format json | jget 'd["incidents"]["closed"]')" 1 "recover: the report counts it closed"
}

# A partner restates our action item in a revision of its own (late: the
# incident is closed), naming itself owner, then marks it done there (attack26
# finding 02): item ids follow the text, so without a rule it would close our
# item in the joint resolution.
test_action_through_own_revision() {
	new_machines
	expect 0 a open --title "creds leaked" --severity 2 --service db --started 2026-12-01T00:00:00Z --parties globex
	AID=$OUT
	expect 0 a resolve "$AID" --summary "creds leaked" --action "rotate creds@acme:2026-12-10"
	expect 0 a sync
	expect 0 g sync
	expect 0 g cosign "$AID"
	expect 0 g sync
	expect 0 a sync
	expect 0 a status "$AID" resolved
	expect 0 a status "$AID" closed
	expect 0 a sync
	expect 0 g sync
	FID=$(a list --json | jget "[i['full_id'] for i in d if i['id'] == '$AID'][0]")
	RC=$(git -C "$G" log --format=%H "refs/accord/feeds/$(kid alice)" | while read -r c; do
		git -C "$G" cat-file commit "$c" | sed '1,/^$/d' | grep -q '"type":"resolution"' && echo "$c" && break; done)
	RID=$(git -C "$G" cat-file commit "$RC" | sed '1,/^$/d' | tr -d '\n' | sha256sum | cut -c1-64)
	BODY=$(git -C "$G" cat-file commit "$RC" | sed '1,/^$/d' | /usr/bin/python3 -c '
import json, sys
b = json.load(sys.stdin)["body"]
for x in b.get("actions", []):
	x["owners"] = ["globex"]
b["revises"] = sys.argv[1]
print(json.dumps(b, separators=(",", ":")))' "$RID")
	GRC=$(forge entry "$G" "$T/gina.ssh" --type resolution --incident "$FID" --body "$BODY")
	GRID=$(git -C "$G" cat-file commit "$GRC" | sed '1,/^$/d' | tr -d '\n' | sha256sum | cut -c1-64)
	forge entry "$G" "$T/gina.ssh" --type action --incident "$FID" --body "{\"resolution\":\"$GRID\",\"action\":1,\"state\":\"done\"}" >/dev/null
	git -C "$G" push -q "$HUB" "refs/accord/feeds/$(kid gina):refs/accord/feeds/$(kid gina)" 2>/dev/null
	expect 0 a sync
	rm -rf "$T/fresh-act" && expect 0 accord clone "$HUB" "$T/fresh-act"
	for r in "$A" "$T/fresh-act"; do
		equal "$(accord -C "$r" actions --json | jget "[(x['status'], x['owners']) for x in d if x['text'] == 'rotate creds']")" \
			'[["open", ["acme"]]]' "$(basename "$r"): acme's item stays open, whatever globex's own revision says"
	done
}

test_open_stands
test_recover_close_stands
test_close_stands
test_close_no_authority
test_action_through_own_revision
finish

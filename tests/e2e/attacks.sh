# Attacks from the second review (/work/attack25), each played as the tester
# did: the CLI on separate copies syncing through a hooked hub, and stock
# ssh-keygen and git plumbing (forge.py) for what the CLI will not write.
#
# close_stands (finding 03): a revoker who saw another party's close revokes
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

test_close_stands() {
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
	equal "$BOBSEQ" 2 "close stands: the revocation's cut is below bob's cosign (seq 3)"
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
	# the raise covers what the close rests on, no more: bob's later checkpoint stays set aside
	equal "$(accord -C "$G" audit --json --no-record | jget "[(f['kind'], f['seq']) for f in d['set_aside'] if f['feed'] == '$(kid bob)']")" \
		'[["past-cut", 5]]' "close stands: bob's entry after the cosign stays past the cut"
	# the revoker's member list still names bob revoked
	expect 0 g member list --json
	equal "$(echo "$OUT" | jget "[m['active'] for m in d if m['member'] == 'bob'][0]")" false "close stands: bob is revoked"
}

# --- a revoked admin's backdated member-add, then a cosign a partner closes on ---
test_close_no_authority() {
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
	equal "$(accord -C "$N" show "$ID" --json | jget 'd["status"] + " " + d["resolution"]["state"]')" "resolved proposed" \
		"close on a cosign past a member-add: not closed, not joint"
	expect 0 accord -C "$N" member list --json
	equal "$(echo "$OUT" | jget "'mal' in [m['member'] for m in d if m['active']]")" false \
		"close on a cosign past a member-add: mal is no member"
	equal "$(accord -C "$N" audit --json --no-record | jget "sorted(f['kind'] for f in d['set_aside'] if f['commit'] in ('$ADD', '$COS'))")" \
		'["past-cut"]' "close on a cosign past a member-add: bob's entries stay set aside"
	equal "$(accord -C "$N" log --json | jget "'$CLOSE' in [e['commit'] for e in d]")" true \
		"close on a cosign past a member-add: gina's close counts on its own, to no effect"
}

test_close_stands
test_close_no_authority
finish

#!/bin/bash
# Raised cuts never bring back authority (the second attack round on issue 13,
# attack26 findings 01, 03, 08, 11, 12 and 10). A revocation's cut is raised to
# what other keys built on (TRUST.md attack 1), and a forked key's entries count
# where another key vouches for them (attack 2); neither may revive an entry
# that gives authority, and neither may stop at one. Played as an attacker
# would: the CLI where it can, stock ssh-keygen and git plumbing (forge.py)
# otherwise, through a hub whose pre-receive hook runs accord.
#   colleague_vouch   a revoked admin's backdated member-add, depended on by a
#                     colluding plain colleague: the colleague's note counts, the
#                     new admin does not (finding 01)
#   fork_below_cut    a revoked admin forks below its cut with a member-add a
#                     partner depends on: the cut names entry ids, the member-add
#                     is not the one the revocation saw (finding 03)
#   race_via_sync     plain CLI: an admin adds an admin right after its
#                     revocation was written, and an honest colleague syncs it
#                     before the revocation arrives (finding 08)
#   close_past_add    plain CLI: a concurrent revocation must not un-close a
#                     partner's incident because the revoked admin added a member
#                     before its cosign (finding 11)
#   open_past_add     plain CLI: nor hide an incident a partner wrote on because
#                     the revoked admin added a member before opening it (finding 12)
#   open_synced       plain CLI: a revocation whose cut falls below a fresh open
#                     must not hide the incident from the involved party that has
#                     already synced it (finding 07)
#   partner_built_on  plain CLI, a revocation concurrent with what a partner built on
#                     the revoked admin's entries on an incident or an agreement:
#                     an involve (attack27 finding 01), a status before a close (03),
#                     a proposal the partner co-signed and closed on (04): each
#                     stands
#   cut_zero          plain CLI: a revocation with cut 0 that sorts before the
#                     member's first entry sets it aside, never blames it, and the
#                     partner that built on it is not frozen (attack27 finding 02)
#   case_alike        a partner invites "Acme" beside "acme", or "acrne", "g1obex":
#                     refused (attack26 finding 10, attack27 05)
#   rotate_fork       a revoked member forks its retired key at the rotation's seq: the
#                     rotation still counts, the revocation of its successor holds
#                     (attack27 finding 09)
#   double_revoke     plain CLI: two admins above one member revoke it at once: neither
#                     is blamed, the higher cut holds (attack27 finding 10)
#   admission_built_on plain CLI: a revocation below a member-add and an invite that a
#                     partner built on: the partner's entries on them are set aside alone,
#                     its feed goes on (attack27 finding 08)
#   involve_aside     plain CLI: a partner's note on an incident it was involved in by a
#                     member whose admission a revocation set aside is set aside alone,
#                     the partner goes on (attack28 finding 02, and 07 that follows it)
#   fork_side_shown   a vouched-for entry on the other side of a fork, kept as evidence,
#                     does not make the incident unreadable (attack28 finding 06)
#   remote_ahead      a copy holding its own feed short of the hub's refuses to write
#                     (attack28 finding 05: a re-clone that left out an entry)
#   partner_signed    plain CLI: terms and a pause the revoked member proposed or co-signed,
#                     which a partner co-signed or closed on, stand (attack27 06, 07)
#   rotated_signer    plain CLI: the same when the member rotated his key and co-signed with
#                     the successor; the successor stays revoked (attack113 01, 02)
#   rotate_outruns    plain CLI: a revoked admin's stale copy adds an admin, then rotates,
#                     both sorting before the revocation: the admin is no member
#   rotated_forked    plain CLI: rotated_signer with the rotation one side of a fork (the old
#                     laptop writes at its seq): the close stands (attack115 01)
#   root_rival_recovered plain CLI: a backup of the root's key signs a rival rotation after a
#                     close rested on the root's successor, and the recovery key replaces the
#                     root: the close stands, neither successor is seated (attack115 02)
#   rival_unsettled   plain CLI: a backup of a member's key signs a rival rotation after a
#                     partner built on the successor; no revocation: what the partner built
#                     stands until and after an admin's vouch (attack116 01, 02), and when
#                     the member rotated twice before co-signing (attack117 01)
#   rotated_admin_subtree plain CLI: an admin that rotated revokes a member and withdraws an
#                     offer its old key made (attack119 01)
. "$(dirname "$0")/lib.sh"
FORGE="/usr/bin/python3 $(cd "$(dirname "$0")" && pwd)/forge/forge.py"
unset SSH_AUTH_SOCK

# Each case works in its own folder $W: a hub with the hook, acme (alice root,
# bob admin) in $W/acme, globex (gina root) in $W/globex.
mkkey() { accord --home "$W/k-$1" key new --name "$1" --no-passphrase >/dev/null 2>&1 || bad "key new $1"
	$FORGE sshkey "$W/k-$1" "$W/ssh-$1" || bad "sshkey $1"; }
pub() { accord --home "$W/k-$1" key show | tail -1; }
pkhex() { $FORGE keyid "$W/ssh-$1.pub" | cut -d' ' -f1; }
kid() { $FORGE keyid "$W/ssh-$1.pub" | cut -d' ' -f2; }
as() { local n=$1 r=$2; shift 2; accord -C "$W/$r" --home "$W/k-$n" "$@"; }
q() { "$@" >"$T/.q" 2>&1 || bad "$*: $(tail -3 "$T/.q")"; }
forge() { local n=$1 r=$2; shift 2; $FORGE entry "$W/$r" "$W/ssh-$n" "$@" || bad "forge $n $*"; }
eid() { git -C "$W/$1" cat-file commit "$2" | sed '1,/^$/d' | sha256sum | cut -d' ' -f1; }
fullid() { git -C "$W/$1" log --glob=refs/accord/ --format=%H | while read -r c; do eid "$1" "$c"; done | grep "^$2" | head -1; }
# base NAME: the first base is built, later ones are copies of it
base() {
	if [ ! -d "$T/base" ]; then
		W="$T/base"
		build_base
		echo "$LEDGER" >"$W/ledger-id"
	fi
	W="$T/$1"
	copy_tree "$T/base" "$W"
	LEDGER=$(cat "$W/ledger-id")
}
build_base() {
	mkdir -p "$W"
	for k in alice bob gina; do mkkey $k; done
	git init -q --bare "$W/hub.git"
	printf '#!/bin/sh\nexec "%s" hook pre-receive\n' "$ACCORD_BIN" >"$W/hub.git/hooks/pre-receive"
	chmod +x "$W/hub.git/hooks/pre-receive"
	git init -q "$W/acme"
	LEDGER=$(as alice acme init --party acme --title t 2>/dev/null)
	q as alice acme party invite globex --key "$(pub gina)"
	q as alice acme member add --key "$(pub bob)" --name bob --admin
	q as alice acme remote add hub "$W/hub.git"
	q as alice acme sync
	q accord clone "$W/hub.git" "$W/globex" --ledger "$LEDGER"
	q as gina globex party accept globex --ledger "$LEDGER"
	q as gina globex sync
	q as alice acme sync
	q accord clone "$W/hub.git" "$W/bobrepo" --ledger "$LEDGER"
}
# no_member LABEL NAME REPO...: NAME is an active member on none of the copies
no_member() {
	local label=$1 name=$2 r
	shift 2
	for r in "$@"; do
		equal "$(as alice "$r" member list --json 2>/dev/null | jget "'$name' in [m['member'] for m in d if m['active']]")" \
			false "$label: $name is no member on $r"
	done
}
# add_key KEY NAME BY REPO: BY (in REPO) admits KEY as member NAME (a device of NAME when
# NAME is a member already) and syncs; KEY's copy is cloned into $W/KEYrepo.
add_key() {
	mkkey "$1"
	q as "$3" "$4" member add --key "$(pub "$1")" --name "$2"
	q as "$3" "$4" sync
	q accord clone "$W/hub.git" "$W/$1repo" --ledger "$LEDGER"
}
# aside LABEL REPO ENTRY_ID KIND: the entry is listed set aside with that kind
aside() {
	equal "$(as alice "$2" audit --json --no-record 2>/dev/null | jget "[f['kind'] for f in d['set_aside'] if f['entry'] == '$3']")" \
		"[\"$4\"]" "$1: the entry is set aside as $4"
}

test_colleague_vouch() {
	base colleague
	add_key carol carol alice acme
	ID=$(as alice acme open --title "db down" --severity 2 --service db --started 2026-12-01T00:00:00Z --parties globex 2>/dev/null)
	q as alice acme sync; q as bob bobrepo sync; q as carol carolrepo sync
	q as bob bobrepo note "$ID" "bob here"; q as bob bobrepo sync
	q as alice acme sync
	q as alice acme member revoke bob --reason fired
	q as alice acme sync; q as bob bobrepo sync
	mkkey mal
	# bob, revoked and aware, backdates a member-add with no deps
	PT=$(git -C "$W/bobrepo" show -s --format=%ct "refs/accord/feeds/$(kid bob)")
	MA=$(forge bob bobrepo --type member-add --body "{\"key\":\"$(pkhex mal)\",\"member\":\"mal\",\"admin\":true}" --deps none --time "$PT")
	MAID=$(eid bobrepo "$MA")
	q git -C "$W/bobrepo" push -q "$W/hub.git" "refs/accord/feeds/$(kid bob):refs/accord/feeds/$(kid bob)"
	# carol, colluding, depends on it and omits the revocation
	q git -C "$W/carolrepo" fetch -q "$W/hub.git" "+refs/accord/feeds/$(kid bob):refs/accord/feeds/$(kid bob)"
	NOTE=$(forge carol carolrepo --type note --incident "$(fullid carolrepo "$ID")" --body '{"text":"carol vouches"}' --deps "$MAID")
	expect 0 git -C "$W/carolrepo" push -q "$W/hub.git" "refs/accord/feeds/$(kid carol):refs/accord/feeds/$(kid carol)"
	q as alice acme sync
	q accord clone "$W/hub.git" "$W/fresh" --ledger "$LEDGER"
	no_member colleague_vouch mal acme fresh
	aside colleague_vouch fresh "$MAID" past-cut
	expect 0 as alice fresh show "$ID"
	contains "$OUT" "carol vouches" "colleague_vouch: carol's note counts on its own"
	expect 1 as mal fresh note "$ID" "mal counts"
	: "$NOTE"
}

test_fork_below_cut() {
	base fork
	ID=$(as alice acme open --title "db down" --severity 2 --service db --started 2026-12-01T00:00:00Z --parties globex 2>/dev/null)
	q as alice acme sync; q as bob bobrepo sync
	q as bob bobrepo note "$ID" "bob here"; q as bob bobrepo sync
	q as alice acme sync; q as gina globex sync
	BK=$(kid bob)
	q as alice acme member revoke bob --reason fired
	q as alice acme sync; q as bob bobrepo sync; q as gina globex sync
	# a second entry at bob's last seq (within the cut by seq), on the side the revocation never saw
	HEAD=$(git -C "$W/bobrepo" rev-parse "refs/accord/feeds/$BK")
	P1=$(git -C "$W/bobrepo" rev-parse "$HEAD^")
	PT=$(git -C "$W/bobrepo" show -s --format=%ct "$P1")
	NS=$(git -C "$W/bobrepo" cat-file commit "$HEAD" | sed '1,/^$/d' | jget 'd["seq"]')
	PL=$(git -C "$W/bobrepo" cat-file commit "$P1" | sed '1,/^$/d' | jget 'd["lamport"] + 1')
	mkkey mal
	F=$(forge bob bobrepo --no-ref --seq "$NS" --prev "$(eid bobrepo "$P1")" --parent "$P1" --type member-add \
		--body "{\"key\":\"$(pkhex mal)\",\"member\":\"mal\",\"admin\":true}" --deps none --time "$PT" --lamport "$PL")
	FID=$(eid bobrepo "$F")
	q git -C "$W/bobrepo" update-ref "refs/accord/evidence/$BK/$F" "$F"
	q git -C "$W/bobrepo" push "$W/hub.git" "refs/accord/evidence/$BK/$F:refs/accord/evidence/$BK/$F"
	q git -C "$W/globex" fetch -q "$W/bobrepo" "refs/accord/evidence/$BK/$F:refs/accord/evidence/$BK/$F"
	# gina (globex) vouches for it
	forge gina globex --type note --incident "$(fullid globex "$ID")" --body '{"text":"gina vouches"}' --deps "$FID" >/dev/null
	q as gina globex sync
	as alice acme sync >/dev/null 2>&1 # reports the fork's proof
	q accord clone "$W/hub.git" "$W/fresh" --ledger "$LEDGER"
	no_member fork_below_cut mal acme globex fresh
	aside fork_below_cut fresh "$FID" past-cut
	expect 0 as alice fresh show "$ID"
	contains "$OUT" "gina vouches" "fork_below_cut: gina's note counts on its own"
	expect 1 as mal fresh note "$ID" "mal counts"
	# alice, the revoker and an admin of acme, vouches for it too: the cut names entry ids,
	# and the member-add is not the one the revocation saw
	git -C "$W/acme" fetch -q "$W/bobrepo" "refs/accord/evidence/$BK/$F:refs/accord/evidence/$BK/$F"
	forge alice acme --type note --incident "$(fullid acme "$ID")" --body '{"text":"alice vouches"}' --deps "$FID" >/dev/null
	as alice acme sync >/dev/null 2>&1
	rm -rf "$W/fresh" && q accord clone "$W/hub.git" "$W/fresh" --ledger "$LEDGER"
	no_member fork_below_cut mal acme fresh
	aside fork_below_cut fresh "$FID" past-cut
	expect 0 as alice fresh show "$ID"
	contains "$OUT" "alice vouches" "fork_below_cut: alice's note counts on its own"
}

test_race_via_sync() {
	base race
	mkkey carol; mkkey mal
	q as alice acme member add --key "$(pub carol)" --name carol
	q as alice acme sync
	q accord clone "$W/hub.git" "$W/carolrepo" --ledger "$LEDGER"
	q as bob bobrepo sync; q as carol carolrepo sync; q as alice acme sync
	# alice revokes bob; before her sync, bob (told in person) adds an admin and syncs
	q as alice acme member revoke bob --reason fired
	q as bob bobrepo member add --key "$(pub mal)" --name mal --admin
	q as bob bobrepo sync
	q as carol carolrepo sync # an honest colleague's routine sync depends on it
	q as alice acme sync; q as carol carolrepo sync
	q accord clone "$W/hub.git" "$W/fresh" --ledger "$LEDGER"
	no_member race_via_sync mal acme carolrepo fresh
	ADD=$(git -C "$W/fresh" log -1 --format=%H "refs/accord/feeds/$(kid bob)")
	aside race_via_sync fresh "$(eid fresh "$ADD")" past-cut
	# carol's checkpoint, which depends on the member-add, counts
	equal "$(as carol fresh audit --json --no-record | jget "[f['kind'] for f in d['findings'] + d['set_aside'] if f['feed'] == '$(kid carol)']")" \
		'[]' "race_via_sync: carol's entries count"
}

test_close_past_add() {
	base close
	mkkey carol
	ID=$(as gina globex open --title "api down" --severity 2 --service api --started 2026-12-01T00:00:00Z --parties acme 2>/dev/null)
	q as gina globex sync; q as bob bobrepo sync; q as alice acme sync
	q as gina globex resolve "$ID" --summary fixed
	q as gina globex sync; q as bob bobrepo sync
	q as bob bobrepo member add --key "$(pub carol)" --name carol
	q as bob bobrepo cosign "$ID"
	q as bob bobrepo sync; q as gina globex sync
	q as gina globex status "$ID" resolved
	q as gina globex status "$ID" closed
	q as gina globex sync
	# alice, whose copy has not seen bob's last entries, revokes him
	q as alice acme member revoke bob --reason "laptop stolen"
	q as alice acme sync; q as gina globex sync
	q accord clone "$W/hub.git" "$W/fresh" --ledger "$LEDGER"
	for r in globex acme fresh; do
		equal "$(as gina "$r" show "$ID" --json | jget 'd["status"] + " " + d["resolution"]["state"]')" "closed joint" \
			"close_past_add: the close stands on $r"
	done
	no_member close_past_add carol acme globex fresh
	ADD=$(git -C "$W/fresh" log -2 --format=%H "refs/accord/feeds/$(kid bob)" | tail -1)
	aside close_past_add fresh "$(eid fresh "$ADD")" past-cut
}

test_open_past_add() {
	base open
	mkkey carol
	q as bob bobrepo sync; q as alice acme sync
	q as bob bobrepo member add --key "$(pub carol)" --name carol
	ID=$(as bob bobrepo open --title "acme broke globex checkout" --severity 1 --service checkout \
		--started 2026-12-01T00:00:00Z --parties globex 2>/dev/null)
	q as bob bobrepo sync; q as gina globex sync
	q as gina globex note "$ID" "globex lost 2h of checkout"
	q as gina globex impact "$ID" --customers 9000 --start 2026-12-01T00:00:00Z --end 2026-12-01T02:00:00Z
	q as gina globex sync
	q as alice acme member revoke bob --reason fired
	q as alice acme sync; q as gina globex sync
	q accord clone "$W/hub.git" "$W/fresh" --ledger "$LEDGER"
	for r in globex acme fresh; do
		expect 0 as gina "$r" list
		contains "$OUT" "acme broke globex checkout" "open_past_add: the incident stays on $r"
		equal "$(as gina "$r" show "$ID" --json | jget 'd["customer_minutes"]')" 1080000 \
			"open_past_add: globex's 9,000 customers for 2 h count on $r"
	done
	no_member open_past_add carol acme globex fresh
}

test_open_synced() {
	base synced
	q as bob bobrepo sync; q as alice acme sync
	ID=$(as bob bobrepo open --title "acme broke globex checkout" --severity 1 --service checkout \
		--started 2026-12-01T00:00:00Z --parties globex 2>/dev/null)
	OWN=$(as bob bobrepo open --title "acme-only db" --severity 3 --service db --started 2026-12-01T00:00:00Z 2>/dev/null)
	q as bob bobrepo sync
	q as gina globex sync # globex takes the incident in; its checkpoint depends on it
	# alice has seen the open (plain git) but revokes bob from her copy without it
	q git -C "$W/acme" fetch -q "$W/hub.git" "refs/accord/feeds/$(kid bob):refs/heads/peek"
	q as alice acme member revoke bob --reason fired
	q as alice acme sync; q as gina globex sync
	expect 0 as gina globex note "$ID" "we lost 2h of checkout because of acme"
	expect 0 as gina globex impact "$ID" --customers 9000 --start 2026-12-01T00:00:00Z --end 2026-12-01T02:00:00Z
	q as gina globex sync
	q accord clone "$W/hub.git" "$W/fresh" --ledger "$LEDGER"
	for r in globex acme fresh; do
		expect 0 as gina "$r" list
		contains "$OUT" "acme broke globex checkout" "open_synced: the incident stays on $r"
		# an incident that does not name globex stays cut, though globex synced it too
		case "$OUT" in *"acme-only db"*) bad "open_synced: acme's own incident past the cut stands on $r" ;; *) ok ;; esac
	done
	equal "$(as gina fresh show "$ID" --json | jget 'd["customer_minutes"]')" 1080000 "open_synced: globex's figure counts"
	: "$OWN"
}

# status_of REPO ID: the incident's status and resolution state
status_of() { as gina "$1" show "$2" --json | jget 'd["status"] + " " + (d["resolution"] or {}).get("state", "none")'; }
# faults REPO: the kinds of the findings that are faults (not set aside by a rule)
faults() { as gina "$1" audit --json --no-record 2>/dev/null | jget 'sorted(f["kind"] for f in d["findings"])'; }

test_partner_built_on() {
	base built
	ID1=$(as alice acme open --title "payments down" --severity 1 --service pay --started 2026-12-01T00:00:00Z 2>/dev/null)
	ID2=$(as gina globex open --title "api down" --severity 2 --service api --started 2026-12-01T00:00:00Z --parties acme 2>/dev/null)
	ID3=$(as gina globex open --title "gateway down" --severity 2 --service gw --started 2026-12-01T00:00:00Z --parties acme 2>/dev/null)
	q as alice acme sync; q as gina globex sync; q as bob bobrepo sync; q as alice acme sync
	q as gina globex resolve "$ID2" --summary fixed
	q as gina globex sync; q as bob bobrepo sync
	# bob: involves globex in acme's incident, co-signs and resolves globex's, proposes on another
	q as bob bobrepo involve "$ID1" globex --ticket G-1
	q as bob bobrepo cosign "$ID2"
	q as bob bobrepo status "$ID2" resolved
	q as bob bobrepo resolve "$ID3" --summary "acme fixed its gateway"
	q as bob bobrepo sync; q as gina globex sync
	# globex builds on each
	q as gina globex impact "$ID1" --customers 9000 --start 2026-12-01T00:00:00Z --end 2026-12-01T02:00:00Z
	q as gina globex status "$ID2" closed
	q as gina globex cosign "$ID3"
	q as gina globex status "$ID3" resolved
	q as gina globex status "$ID3" closed
	q as gina globex sync
	# alice, not yet synced, revokes bob below all of it
	q as alice acme member revoke bob --reason "laptop stolen"
	q as alice acme sync; q as gina globex sync
	q accord clone "$W/hub.git" "$W/fresh" --ledger "$LEDGER"
	for r in globex acme fresh; do
		equal "$(as gina "$r" show "$ID1" --json | jget 'd["customer_minutes"]')" 1080000 \
			"partner_built_on: globex's impact on the incident bob involved it in counts on $r"
		equal "$(status_of "$r" "$ID2")" "closed joint" "partner_built_on: closed on bob's cosign and status, on $r"
		equal "$(status_of "$r" "$ID3")" "closed joint" "partner_built_on: closed on bob's proposal, on $r"
		equal "$(faults "$r")" '[]' "partner_built_on: no one is blamed on $r"
	done
	expect 0 as gina globex note "$ID1" "globex can still write"
}

test_cut_zero() {
	base cutzero
	ID=$(as alice acme open --title "payments down" --severity 1 --service pay --started 2026-12-01T00:00:00Z --parties globex 2>/dev/null)
	q as alice acme sync; q as gina globex sync
	q as bob bobrepo sync
	q as bob bobrepo note "$ID" "acme rolled back"
	q as bob bobrepo sync; q as gina globex sync
	q as gina globex note "$ID" "globex lost 2h of payments"
	q as gina globex sync
	# alice, who never saw a bob entry, revokes him: cut 0
	q as alice acme member revoke bob --reason fired
	as alice acme export 2>/dev/null | grep member-revoke | grep -q '"cut":0' && ok || bad "cut_zero: the revocation's cut is 0"
	q as alice acme sync; q as gina globex sync
	q accord clone "$W/hub.git" "$W/fresh" --ledger "$LEDGER"
	for r in globex fresh; do
		equal "$(faults "$r")" '[]' "cut_zero: bob is not blamed on $r"
		expect 0 as gina "$r" show "$ID"
		contains "$OUT" "globex lost 2h" "cut_zero: globex's note counts on $r"
	done
	expect 0 as gina globex note "$ID" "globex can still write"
}

test_rotate_fork() {
	base rotfork
	ID=$(as alice acme open --title "db down" --severity 2 --service db --started 2026-12-01T00:00:00Z --parties globex 2>/dev/null)
	q as alice acme sync; q as bob bobrepo sync
	OLD=$(kid bob)
	cp -r "$W/k-bob" "$W/k-bobold" # bob keeps his retired key
	NEW=$(as bob bobrepo key rotate --no-passphrase 2>/dev/null | sed -n 1p)
	[ -n "$NEW" ] && [ "$NEW" != "$OLD" ] && ok || bad "rotate_fork: key rotate"
	q as bob bobrepo note "$ID" "bob, new key"
	q as bob bobrepo sync; q as alice acme sync; q as gina globex sync
	q as alice acme member revoke "$NEW" --reason fired
	q as alice acme sync; q as bob bobrepo sync; q as gina globex sync
	# bob forks his retired key at the rotation's seq: the rotation must stay what cut it
	$FORGE sshkey "$W/k-bobold" "$W/ssh-bobold" || bad "sshkey bobold"
	ROT=$(git -C "$W/bobrepo" rev-parse "refs/accord/feeds/$OLD")
	P1=$(git -C "$W/bobrepo" rev-parse "$ROT^")
	NS=$(git -C "$W/bobrepo" cat-file commit "$ROT" | sed '1,/^$/d' | jget 'd["seq"]')
	F=$(forge bobold bobrepo --no-ref --seq "$NS" --prev "$(eid bobrepo "$P1")" --parent "$P1" \
		--type note --incident "$(fullid bobrepo "$ID")" --body '{"text":"the retired key, forked"}')
	q git -C "$W/bobrepo" update-ref "refs/accord/evidence/$OLD/$F" "$F"
	q git -C "$W/bobrepo" push "$W/hub.git" "refs/accord/evidence/$OLD/$F:refs/accord/evidence/$OLD/$F"
	# and, past it on that side, a member-add of an admin of his own
	mkkey mal
	q git -C "$W/bobrepo" update-ref "refs/heads/side" "$F"
	MA=$(forge bobold bobrepo --no-ref --seq $((NS + 1)) --prev "$(eid bobrepo "$F")" --parent "$F" --type member-add \
		--extra '{"incident":null}' --body "{\"key\":\"$(pkhex mal)\",\"member\":\"mal\",\"admin\":true}")
	q git -C "$W/bobrepo" update-ref "refs/accord/evidence/$OLD/$MA" "$MA"
	q git -C "$W/bobrepo" push "$W/hub.git" "refs/accord/evidence/$OLD/$MA:refs/accord/evidence/$OLD/$MA"
	as alice acme sync >/dev/null 2>&1; as gina globex sync >/dev/null 2>&1
	q accord clone "$W/hub.git" "$W/fresh" --ledger "$LEDGER"
	for r in acme globex fresh; do
		equal "$(as gina "$r" member list --json | jget "sorted(k['key_id'] for m in d for k in m['keys'] if k['active'] and k['key_id'] in ('$OLD', '$NEW'))")" \
			'[]' "rotate_fork: neither of bob's keys is active on $r"
		expect 0 as gina "$r" show "$ID"
		contains "$OUT" "bob, new key" "rotate_fork: the new key's note before its revocation counts on $r"
		case "$OUT" in *"retired key, forked"*) bad "rotate_fork: the fork's note counts on $r" ;; *) ok ;; esac
	done
	no_member rotate_fork mal acme globex fresh
	expect 1 as mal fresh note "$ID" "mal counts"
}

test_double_revoke() {
	base double
	mkkey carol
	q as bob bobrepo sync
	q as bob bobrepo member add --key "$(pub carol)" --name carol
	q as bob bobrepo sync; q as alice acme sync
	q accord clone "$W/hub.git" "$W/carolrepo" --ledger "$LEDGER"
	ID=$(as carol carolrepo open --title "db down" --severity 2 --service db --started 2026-12-01T00:00:00Z 2>/dev/null)
	q as carol carolrepo sync; q as bob bobrepo sync
	q as carol carolrepo note "$ID" "carol, seen by alice only"
	q as carol carolrepo sync; q as alice acme sync
	# alice and bob, both above carol in the admission tree, revoke her at once
	q as alice acme member revoke carol --reason "laptop stolen"
	q as bob bobrepo member revoke carol --reason "laptop stolen"
	q as alice acme note "$ID" "alice after revoking"
	q as bob bobrepo note "$ID" "bob after revoking"
	q as alice acme sync; q as bob bobrepo sync; q as alice acme sync
	q accord clone "$W/hub.git" "$W/fresh" --ledger "$LEDGER"
	for r in acme bobrepo fresh; do
		equal "$(faults "$r")" '[]' "double_revoke: neither revoker is blamed on $r"
		expect 0 as gina "$r" show "$ID"
		contains "$OUT" "alice after revoking" "double_revoke: alice's feed goes on on $r"
		contains "$OUT" "bob after revoking" "double_revoke: bob's feed goes on on $r"
		# the higher cut holds: what any revoker saw before revoking was written before it
		case "$OUT" in *"carol, seen by alice only"*) ok ;; *) bad "double_revoke: alice saw carol's note; it counts on $r" ;; esac
	done
	no_member double_revoke carol acme bobrepo fresh
}

test_admission_built_on() {
	base admitted
	mkkey carol; mkkey ivan
	q as bob bobrepo sync
	# bob admits carol and invites initech; a revocation below both is on its way
	q as bob bobrepo member add --key "$(pub carol)" --name carol
	q as bob bobrepo party invite initech --key "$(pub ivan)"
	q as bob bobrepo sync
	q accord clone "$W/hub.git" "$W/carolrepo" --ledger "$LEDGER"
	q accord clone "$W/hub.git" "$W/initech" --ledger "$LEDGER"
	q as ivan initech party accept initech --ledger "$LEDGER"
	C=$(as carol carolrepo open --title "acme api down" --severity 2 --service api --started 2026-12-01T00:00:00Z --parties globex 2>/dev/null)
	I=$(as ivan initech open --title "initech dns down" --severity 2 --service dns --started 2026-12-01T00:00:00Z --parties globex 2>/dev/null)
	q as carol carolrepo sync; q as ivan initech sync; q as gina globex sync
	# globex builds on both: a note, an impact, an incident naming initech, a note on it
	q as gina globex note "$C" "globex saw acme's api fail"
	q as gina globex impact "$I" --customers 500 --start 2026-12-01T00:00:00Z --end 2026-12-01T01:00:00Z
	G=$(as gina globex open --title "globex checkout" --severity 3 --service checkout --started 2026-12-01T00:00:00Z --parties initech 2>/dev/null)
	q as gina globex note "$G" "initech's dns broke our checkout"
	q as gina globex sync
	q as alice acme member revoke bob --reason "laptop stolen"
	q as alice acme sync; as gina globex sync >/dev/null 2>&1
	q accord clone "$W/hub.git" "$W/fresh" --ledger "$LEDGER"
	for r in globex acme fresh; do
		equal "$(faults "$r")" '[]' "admission_built_on: no one is blamed on $r"
		# each of globex's entries resting on them is set aside alone
		equal "$(as gina "$r" audit --json --no-record 2>/dev/null | jget "len([f for f in d['set_aside'] if f['feed'] == '$(kid gina)'])")" 4 \
			"admission_built_on: globex's four entries on them are set aside on $r"
	done
	no_member admission_built_on carol acme globex fresh
	expect 0 as gina globex party list --json
	equal "$(echo "$OUT" | jget "sorted(p['name'] for p in d)")" '["acme", "globex"]' "admission_built_on: no initech"
	# globex's feed goes on: it writes, syncs, and what it writes counts everywhere
	N=$(as gina globex open --title "globex api slow" --severity 3 --service api --started 2026-12-01T00:00:00Z 2>/dev/null)
	expect 0 as gina globex note "$N" "globex can still write"
	expect 0 as gina globex sync
	q as alice acme sync
	for r in globex acme; do
		expect 0 as gina "$r" show "$N"
		contains "$OUT" "globex can still write" "admission_built_on: globex's new note counts on $r"
		equal "$(faults "$r")" '[]' "admission_built_on: still no one is blamed on $r"
	done
	expect 1 as carol fresh note "$C" "carol counts"
}

test_partner_signed() {
	base signed
	q as bob bobrepo sync
	# on bob's incident, globex (the provider) pauses its clock on acme, bob co-signs the
	# pause and, later, globex's resolution, and globex closes; then bob proposes terms
	# and globex co-signs them
	P=$(as bob bobrepo open --title "api down" --severity 2 --service api --started 2026-12-01T00:00:00Z --parties globex 2>/dev/null)
	q as bob bobrepo sync; q as gina globex sync
	PW=$(as gina globex status "$P" waiting --on acme --note "need acme's logs" 2>/dev/null)
	q as gina globex sync; q as bob bobrepo sync
	q as bob bobrepo cosign "$PW"
	q as bob bobrepo sync; q as gina globex sync
	q as gina globex status "$P" mitigated
	q as gina globex resolve "$P" --summary "acme sent the logs"
	q as gina globex sync; q as bob bobrepo sync
	q as bob bobrepo cosign "$P"
	q as bob bobrepo sync; q as gina globex sync
	q as gina globex status "$P" resolved
	q as gina globex status "$P" closed
	q as gina globex sync; q as bob bobrepo sync
	A=$(as bob bobrepo agreement propose --with globex --acknowledge 30m --mitigate 4h --restore 8h 2>/dev/null)
	q as bob bobrepo sync; q as gina globex sync
	q as gina globex cosign "$A"
	q as gina globex sync
	# alice, who has seen none of it, revokes bob below all of it
	q as alice acme member revoke bob --reason "laptop stolen"
	q as alice acme sync; q as gina globex sync
	q accord clone "$W/hub.git" "$W/fresh" --ledger "$LEDGER"
	for r in globex acme fresh; do
		equal "$(as gina "$r" agreement list --json | jget '[a["state"] for a in d["agreements"]]')" '["in-force"]' \
			"partner_signed: the terms globex co-signed stay in force on $r"
		equal "$(as gina "$r" show "$P" --json | jget '[(p["set_by"], p["on"], p["counts"]) for p in d["pauses"]]')" \
			'[["globex", "acme", true]]' "partner_signed: the pause bob co-signed, which the close rests on, counts on $r"
		equal "$(status_of "$r" "$P")" "closed joint" "partner_signed: the close on bob's cosign stands on $r"
		equal "$(faults "$r")" '[]' "partner_signed: no one is blamed on $r"
	done
}

test_remote_ahead() {
	base ahead
	ID=$(as gina globex open --title "api down" --severity 2 --service api --started 2026-12-01T00:00:00Z --parties acme 2>/dev/null)
	q as gina globex note "$ID" "first"
	q as gina globex sync
	# a copy that holds gina's feed short of what the hub holds (an entry it does not count,
	# taken out here by hand): writing would sign a second entry with that seq
	q accord clone "$W/hub.git" "$W/laptop" --ledger "$LEDGER"
	GK=$(kid gina)
	HUBHEAD=$(git -C "$W/hub.git" rev-parse "refs/accord/feeds/$GK")
	q git -C "$W/laptop" update-ref "refs/accord/feeds/$GK" "$HUBHEAD^"
	rm -rf "$W/laptop/.git/accord/index"
	BEFORE=$(git -C "$W/laptop" rev-parse "refs/accord/feeds/$GK")
	expect 3 as gina laptop note "$ID" "from the laptop"
	contains "$ERR" "holds entries of your feed" "remote_ahead: the CLI says the remote holds more of the feed"
	equal "$(git -C "$W/laptop" rev-parse "refs/accord/feeds/$GK")" "$BEFORE" "remote_ahead: nothing written"
	# once the copy takes the feed back from the hub, it writes
	expect 0 as gina laptop sync
	expect 0 as gina laptop note "$ID" "from the laptop"
	equal "$(as gina laptop audit --json --no-record 2>/dev/null | jget '[f["kind"] for f in d["findings"]]')" '[]' \
		"remote_ahead: no equivocation"
}

test_involve_aside() {
	base involve
	mkkey eve
	ID=$(as alice acme open --title "acme outage" --severity 2 --service s --started 2026-12-01T00:00:00Z 2>/dev/null)
	q as alice acme sync; q as bob bobrepo sync
	# alice revokes bob, not yet pushed; bob adds eve, who involves globex; gina writes on it
	q as alice acme member revoke bob --reason rogue
	q as bob bobrepo member add --key "$(pub eve)" --name eve
	q as bob bobrepo sync
	q accord clone "$W/hub.git" "$W/everepo" --ledger "$LEDGER"
	q as eve everepo involve "$ID" globex --ticket GX-1
	q as eve everepo sync; q as gina globex sync
	q as gina globex note "$ID" "globex on it"
	q as gina globex sync
	q as alice acme sync; as gina globex sync >/dev/null 2>&1
	q accord clone "$W/hub.git" "$W/fresh" --ledger "$LEDGER"
	for r in globex acme fresh; do
		equal "$(faults "$r")" '[]' "involve_aside: gina is not blamed on $r"
	done
	expect 0 as gina globex open --title "globex api" --severity 3 --service api --started 2026-12-01T00:00:00Z --parties acme
	expect 0 as gina globex sync
	no_member involve_aside eve acme globex fresh
}

# lamport_of REPO ENTRY_ID: the entry's Lamport clock
lamport_of() {
	local c
	for c in $(git -C "$W/$1" rev-list --glob=refs/accord/); do
		[ "$(eid "$1" "$c")" = "$2" ] && { git -C "$W/$1" cat-file commit "$c" | sed '1,/^$/d' | jget 'd["lamport"]'; return; }
	done
}

test_fork_side_shown() {
	base forkside
	add_key g2 gina gina globex
	q as g2 g2repo sync; q as alice acme sync
	ID=$(as alice acme open --title outage --severity 2 --service s --started 2026-12-01T00:00:00Z --parties globex 2>/dev/null)
	R1=$(as alice acme resolve "$ID" --summary "acme config error" 2>/dev/null)
	q as alice acme sync; q as gina globex sync
	FI=$(as gina globex show "$ID" --json | jget 'd["full_id"]')
	R1F=$(as gina globex show "$ID" --json | jget 'd["resolution"]["id"]')
	GK=$(kid gina)
	G0C=$(git -C "$W/globex" rev-parse "refs/accord/feeds/$GK")
	GSEQ=$(git -C "$W/globex" cat-file commit "$G0C" | sed '1,/^$/d' | jget 'd["seq"]')
	GL=$(git -C "$W/globex" cat-file commit "$G0C" | sed '1,/^$/d' | jget 'd["lamport"]')
	q as alice acme resolve "$ID" --summary "globex deploy, acme not at fault" --revises "$R1"
	q as alice acme sync; q as gina globex sync; q as alice acme sync
	R1L=$(lamport_of globex "$R1F")
	# gina forks her key: a cosign of the first proposal, as if she had not seen the revision,
	# kept as evidence, and her second device vouches for it
	F=$(forge gina globex --no-ref --seq $((GSEQ + 1)) --prev "$(eid globex "$G0C")" --parent "$G0C" --type cosign \
		--incident "$FI" --deps "$R1F" --lamport $(( (GL > R1L ? GL : R1L) + 1 )) --body "{\"proposal\":\"$R1F\"}")
	q git -C "$W/globex" push -q "$W/hub.git" "$F:refs/accord/evidence/$GK/$F"
	as g2 g2repo sync >/dev/null 2>&1 # reports the fork's proof
	q git -C "$W/g2repo" fetch -q "$W/hub.git" "$F:refs/tmp/f"
	forge g2 g2repo --type checkpoint --deps "$(eid globex "$F")" \
		--body "{\"heads\":[{\"feed\":\"$GK\",\"seq\":$((GSEQ + 1)),\"hash\":\"$(eid globex "$F")\"}]}" >/dev/null
	q git -C "$W/g2repo" push -q "$W/hub.git" "refs/accord/feeds/$(kid g2):refs/accord/feeds/$(kid g2)"
	as alice acme sync >/dev/null 2>&1
	q accord clone "$W/hub.git" "$W/fresh" --ledger "$LEDGER"
	for r in acme fresh; do
		expect 0 as alice "$r" show "$ID"
		expect 0 as alice "$r" show "$ID" --json
		contains "$OUT" "globex deploy" "fork_side_shown: the incident reads on $r"
	done
	expect 0 as alice acme status "$ID" resolved
}

test_case_alike() {
	base alike
	mkkey mal
	expect 1 as gina globex party invite Acme --key "$(pub mal)"
	contains "$ERR" "differ only in case" "case_alike: the CLI says why"
	expect 0 as gina globex party list --json
	equal "$(echo "$OUT" | jget "sorted(p['name'] for p in d)")" '["acme", "globex"]' "case_alike: no Acme"
	# names that only look alike are one name too; a name that reads differently is not
	for n in acrne gIobex g1obex GL0BEX; do
		expect 1 as gina globex party invite "$n" --key "$(pub mal)"
		contains "$ERR" "look alike" "case_alike: $n is refused, the CLI says why"
	done
	expect 0 as gina globex party invite acme-eu --key "$(pub mal)"
	mkkey mal2
	for n in acme_eu ACME.EU; do
		expect 1 as gina globex party invite "$n" --key "$(pub mal2)"
		contains "$ERR" "look alike" "case_alike: $n is refused beside acme-eu"
	done
	expect 0 as gina globex party list --json
	equal "$(echo "$OUT" | jget "sorted(p['name'] for p in d)")" '["acme", "acme-eu", "globex"]' "case_alike: acme-eu is a name of its own"
	# forged past the CLI: the invite is refused by the rules, on the hub too
	INV=$(forge gina globex --type party-invite --extra '{"incident":null}' \
		--body "{\"key\":\"$(pkhex mal)\",\"party\":\"ACME\",\"member\":\"root\"}")
	expect 1 git -C "$W/globex" push -q "$W/hub.git" "refs/accord/feeds/$(kid gina):refs/accord/feeds/$(kid gina)"
	expect 0 as gina globex party list --json
	equal "$(echo "$OUT" | jget "sorted(p['name'] for p in d)")" '["acme", "acme-eu", "globex"]' "case_alike: forged ACME is no party"
	: "$INV"
}

# A member rotates his key (routine) and co-signs with the successor; a stale revocation
# reaches the successor too, and what a partner built on it stands (attack113 01, 02)
test_rotated_signer() {
	base rotated
	mkkey mal
	Q=$(as alice acme open --title "web slow" --severity 2 --service web --started 2026-12-01T00:00:00Z 2>/dev/null)
	q as alice acme sync
	q as bob bobrepo sync
	# before rotating, bob re-scores alice's other incident (attack114 02: it must not come
	# back with the successor's co-signature that globex's close rests on)
	q as bob bobrepo amend "$Q" --severity 1
	P=$(as bob bobrepo open --title "api down" --severity 2 --service api --started 2026-12-01T00:00:00Z --parties globex 2>/dev/null)
	q as bob bobrepo sync
	q as bob bobrepo key rotate --no-passphrase
	q as bob bobrepo sync; q as gina globex sync
	q as gina globex status "$P" mitigated
	q as gina globex resolve "$P" --summary "restarted the api"
	A=$(as gina globex agreement propose --with acme --acknowledge 30m --mitigate 4h --restore 8h 2>/dev/null)
	q as gina globex sync; q as bob bobrepo sync
	# with the successor: the co-signatures globex builds on, and an admin the thief adds
	q as bob bobrepo cosign "$P"
	q as bob bobrepo cosign "$A"
	q as bob bobrepo member add --key "$(pub mal)" --name mal --admin
	q as bob bobrepo sync; q as gina globex sync
	q as gina globex status "$P" resolved
	q as gina globex status "$P" closed
	q as gina globex sync
	# alice, who has seen none of it, revokes bob: the cut falls below the rotation
	q as alice acme member revoke bob --reason "laptop stolen"
	q as alice acme sync; q as gina globex sync; q as bob bobrepo sync
	q accord clone "$W/hub.git" "$W/fresh" --ledger "$LEDGER"
	for r in globex acme fresh; do
		equal "$(status_of "$r" "$P")" "closed joint" \
			"rotated_signer: the close on the successor's co-signature stands on $r"
		equal "$(as gina "$r" agreement list --json | jget '[a["state"] for a in d["agreements"]]')" '["in-force"]' \
			"rotated_signer: the terms the successor co-signed stay in force on $r"
		equal "$(as gina "$r" show "$Q" --json | jget 'd["severity"]')" 2 \
			"rotated_signer: the retired key's amend of another incident stays set aside on $r"
		no_member "rotated_signer" bob "$r"
		no_member "rotated_signer" mal "$r"
		equal "$(faults "$r")" '[]' "rotated_signer: no one is blamed on $r"
	done
	# the successor, revoked with the key it replaced, writes nothing more
	expect 3 as bob bobrepo note "$P" "still here"
	contains "$ERR" "was revoked" "rotated_signer: the successor is told it was revoked"
	expect 0 as bob bobrepo sync
	expect 0 as gina globex sync
	equal "$(status_of globex "$P")" "closed joint" "rotated_signer: still closed after the successor's last try"
}

# A revoked admin's copy that has not synced adds an admin, then rotates its key, both
# sorting before the revocation (the revoker's clock was ahead): the rotation does not
# carry the member-add past the cut the revocation names
test_rotate_outruns() {
	base outrun
	mkkey mal
	q as bob bobrepo sync
	ID=$(as alice acme open --title "api down" --severity 3 --service api --started 2026-12-01T00:00:00Z 2>/dev/null)
	for i in 1 2 3 4 5 6; do q as alice acme note "$ID" "note $i"; done
	q as alice acme member revoke bob --reason "laptop stolen"
	q as alice acme sync
	q as bob bobrepo member add --key "$(pub mal)" --name mal --admin
	q as bob bobrepo key rotate --no-passphrase
	q as bob bobrepo sync
	q as alice acme sync; q as gina globex sync
	q accord clone "$W/hub.git" "$W/fresh" --ledger "$LEDGER"
	no_member "rotate_outruns" mal acme globex fresh
	no_member "rotate_outruns" bob acme globex fresh
}

# key_active REPO KEYID: whether the key is an active member key on the copy ([] if none)
key_active() { as gina "$1" member list --json 2>/dev/null | jget "[k['active'] for m in d for k in m['keys'] if k['key_id'] == '$2']"; }

# The same, when bob's old laptop writes at the rotation's seq, so that the rotation is
# one side of a fork: the successor is bob's, revoked too, and globex's close stands
# (attack115 01)
test_rotated_forked() {
	base rotforked
	q as bob bobrepo sync
	P=$(as bob bobrepo open --title "api down" --severity 2 --service api --started 2026-12-01T00:00:00Z --parties globex 2>/dev/null)
	q as bob bobrepo sync
	cp -a "$W/k-bob" "$W/k-bobold" && cp -a "$W/bobrepo" "$W/boboldrepo"
	q as bob bobrepo key rotate --no-passphrase
	NEWBOB=$(accord --home "$W/k-bob" key show --json | jget 'd["id"]')
	q as bob bobrepo sync; q as gina globex sync
	q as gina globex status "$P" mitigated
	q as gina globex resolve "$P" --summary "restarted the api"
	q as gina globex sync; q as bob bobrepo sync
	q as bob bobrepo cosign "$P"
	q as bob bobrepo sync; q as gina globex sync
	q as gina globex status "$P" resolved
	q as gina globex status "$P" closed
	q as gina globex sync
	q as bobold boboldrepo note "$P" "from the old laptop"
	as bobold boboldrepo sync >/dev/null 2>&1 # exits 3 once it sees the fork
	q as alice acme member revoke bob --reason "left"
	# the proof of the fork travels: these syncs exit 3
	as alice acme sync >/dev/null 2>&1
	as gina globex sync >/dev/null 2>&1
	q accord clone "$W/hub.git" "$W/fresh" --ledger "$LEDGER"
	for r in globex acme fresh; do
		equal "$(status_of "$r" "$P")" "closed joint" \
			"rotated_forked: the close on the successor's co-signature stands on $r"
		equal "$(key_active "$r" "$NEWBOB")" "[false]" "rotated_forked: the successor is revoked on $r"
	done
}

# A backup of the root's key home signs a rival rotation after globex closed on the
# co-signature of the root's successor; acme's recovery key replaces the root. Neither
# successor is root, and the close stands (attack115 02)
test_root_rival_recovered() {
	base rootrival
	mkkey anew
	P=$(as alice acme open --title "api down" --severity 2 --service api --started 2026-12-01T00:00:00Z --parties globex 2>/dev/null)
	q as alice acme sync; q as gina globex sync
	q as gina globex status "$P" resolved
	q as gina globex resolve "$P" --summary "restarted the api"
	q as gina globex sync; q as alice acme sync
	cp -a "$W/k-alice" "$W/k-aliceold" && cp -a "$W/acme" "$W/aliceoldrepo"
	q as alice acme key rotate --no-passphrase
	NEWALICE=$(accord --home "$W/k-alice" key show --json | jget 'd["id"]')
	q as alice acme cosign "$P"
	q as alice acme sync; q as gina globex sync
	q as gina globex status "$P" closed
	q as gina globex sync
	q as aliceold aliceoldrepo key rotate --no-passphrase
	RIVAL=$(accord --home "$W/k-aliceold" key show --json | jget 'd["id"]')
	as aliceold aliceoldrepo sync >/dev/null 2>&1 # exits 3 once it sees the fork
	as alice acme sync >/dev/null 2>&1
	as gina globex sync >/dev/null 2>&1
	q as alice acme party recover acme --recovery "$W/k-alice/recovery" --key "$W/k-anew/key.pub" --name alice
	q as anew acme sync
	as gina globex sync >/dev/null 2>&1 # exits 3: the proof of the fork travels
	q accord clone "$W/hub.git" "$W/fresh" --ledger "$LEDGER"
	for r in globex acme fresh; do
		equal "$(status_of "$r" "$P")" "closed joint" \
			"root_rival_recovered: the close on the successor's co-signature stands on $r"
		equal "$(key_active "$r" "$NEWALICE") $(key_active "$r" "$RIVAL")" "[false] [false]" \
			"root_rival_recovered: neither successor is a member on $r"
		equal "$(key_active "$r" "$(accord --home "$W/k-anew" key show --json | jget 'd["id"]')")" "[true]" \
			"root_rival_recovered: the recovered root is on $r"
	done
}

# bob rotates and co-signs with the new key what globex builds on (its resolution, which
# it closes on, and its terms); a backup of bob's old key home then signs a rival rotation.
# No one is revoked: until acme's admin vouches, neither successor holds a seat, and what
# globex built on bob's successor stands (attack116 01, 02). With "twice", bob rotates
# again before co-signing (attack117 01).
test_rival_unsettled() {
	base "rival${1:-}"
	q as bob bobrepo sync
	P=$(as bob bobrepo open --title "api down" --severity 2 --service api --started 2026-12-01T00:00:00Z --parties globex 2>/dev/null)
	q as bob bobrepo sync; q as gina globex sync
	q as gina globex status "$P" mitigated
	q as gina globex resolve "$P" --summary "restarted the api"
	A=$(as gina globex agreement propose --with acme --acknowledge 30m --mitigate 4h --restore 8h 2>/dev/null)
	q as gina globex sync; q as bob bobrepo sync
	cp -a "$W/k-bob" "$W/k-bobold" && cp -a "$W/bobrepo" "$W/boboldrepo"
	q as bob bobrepo key rotate --no-passphrase
	FIRST=$(accord --home "$W/k-bob" key show --json | jget 'd["id"]')
	[ "${1:-}" = twice ] && q as bob bobrepo key rotate --no-passphrase
	NEWBOB=$(accord --home "$W/k-bob" key show --json | jget 'd["id"]')
	q as bob bobrepo cosign "$P"
	q as bob bobrepo cosign "$A"
	q as bob bobrepo sync; q as gina globex sync
	q as gina globex status "$P" resolved
	q as gina globex status "$P" closed
	q as gina globex sync
	q as bobold boboldrepo key rotate --no-passphrase
	RIVAL=$(accord --home "$W/k-bobold" key show --json | jget 'd["id"]')
	as bobold boboldrepo sync >/dev/null 2>&1 # exits 3 once it sees the fork
	as alice acme sync >/dev/null 2>&1
	as gina globex sync >/dev/null 2>&1
	q accord clone "$W/hub.git" "$W/fresh" --ledger "$LEDGER"
	for r in globex acme fresh; do
		equal "$(status_of "$r" "$P")" "closed joint" \
			"rival_unsettled: the close on the successor's co-signature stands on $r"
		equal "$(as gina "$r" agreement list --json | jget '[a["state"] for a in d["agreements"]]')" '["in-force"]' \
			"rival_unsettled: the terms the successor co-signed stay in force on $r"
		equal "$(key_active "$r" "$NEWBOB" | jget 'any(d)') $(key_active "$r" "$RIVAL" | jget 'any(d)')" \
			"false false" "rival_unsettled: neither successor holds a seat on $r"
	done
	# bob's write names the way back; the root vouches with the key bob's machine shows (the
	# newest): the contested rotation counts, bob's newest key holds the seat, the rival none
	# (attack118 01, 02)
	as bob bobrepo sync >/dev/null 2>&1
	expect 3 as bob bobrepo note "$P" "after the rival"
	contains "$ERR" "accord member vouch ${FIRST%"${FIRST#????????????}"}" "rival_unsettled: bob is told the way back"
	expect 0 as alice acme member vouch "$NEWBOB"
	contains "$OUT" "key $NEWBOB is bob of acme again" "rival_unsettled: the vouch names the key that holds the seat"
	q as alice acme sync
	as gina globex sync >/dev/null 2>&1
	equal "$(key_active globex "$NEWBOB") $(key_active globex "$RIVAL" | jget 'any(d)')" "[true] false" \
		"rival_unsettled: the vouch seats bob's successor alone"
	equal "$(status_of globex "$P")" "closed joint" "rival_unsettled: the close still stands after the vouch"
}

# An admin that rotates its key keeps its authority over the keys its old key admitted: it
# revokes a member and withdraws an offer with its new key, on every copy (attack119 01)
test_rotated_admin_subtree() {
	base subtree
	mkkey dave
	mkkey erin
	q as bob bobrepo sync
	q as bob bobrepo member add --key "$(pub dave)" --name dave
	q as bob bobrepo member add --key "$(pub erin)" --name erin
	q as bob bobrepo sync
	q accord clone "$W/hub.git" "$W/daverepo" --ledger "$LEDGER"
	q as dave daverepo sync
	q as bob bobrepo sync
	q as bob bobrepo key rotate --no-passphrase
	q as bob bobrepo sync
	expect 0 as bob bobrepo member revoke dave --reason "laptop stolen"
	expect 0 as bob bobrepo member revoke erin --reason "never joined"
	q as bob bobrepo sync
	q as alice acme sync
	q accord clone "$W/hub.git" "$W/fresh" --ledger "$LEDGER"
	no_member "rotated_admin_subtree" dave acme fresh bobrepo
	no_member "rotated_admin_subtree" erin acme fresh bobrepo
	equal "$(faults fresh)" '[]' "rotated_admin_subtree: no one is blamed"
}

test_colleague_vouch
test_fork_below_cut
test_race_via_sync
test_close_past_add
test_open_past_add
test_open_synced
test_partner_built_on
test_cut_zero
test_case_alike
test_rotate_fork
test_double_revoke
test_admission_built_on
test_partner_signed
test_remote_ahead
test_involve_aside
test_fork_side_shown
test_rotated_signer
test_rotate_outruns
test_rotated_forked
test_root_rival_recovered
test_rival_unsettled
test_rival_unsettled twice
test_rotated_admin_subtree
finish

#!/bin/bash
# A later-written duplicate never makes an earlier entry a fault (attack32
# findings 06 to 11). "Already involved", "already added", "already known"
# and "already invited" are judged on what the entry itself had seen: a
# duplicate written without knowing of the first (two members at once, or an
# idle device on purpose) has no effect, whichever sorts first, and the entry
# that counted goes on counting. All with the plain CLI, through a hub whose
# pre-receive hook runs accord.
#   involve_at_once   acme and globex involve initech before syncing: both
#                     stand, neither writer is frozen (finding 07)
#   idle_involve      an idle device of acme involves the party globex involved
#                     long ago: globex's involve and what rests on it still
#                     count (finding 06)
#   idle_readd        an admin's idle copy adds a member the root added: the
#                     root's add, the member and its incident still count
#                     (finding 08)
#   offer_rotation    another party's idle admin offers the key acme's member
#                     rotated to: the rotation still counts (finding 09)
#   invite_root_key   another party's idle admin invites a new party with a
#                     partner's root key: the partner stays (finding 10)
#   offer_then_join   another party's idle admin offers the key acme invites a
#                     new party with: the invited key joins its party as root
#   revoked_invite    a revoked admin's idle copy invites a party with a key the
#                     root invited: the revocation still holds (finding 11)
#   void_then_involve a party voids its incident alone, then involves its partner:
#                     the void waits for the partner's signature (finding 03)
#   action_on_revision a partner marks its item done while the resolution is
#                     revised: the item the revision kept is done (finding 01)
#   agreement_after_involve a provider opens alone, then involves its customer:
#                     the agreement applies and the customer is customer-facing
#                     (finding 02)
#   window_before_open the customer's window may start before the start the
#                     provider signed, within 7 days of the open (finding 05)
#   recover_thief     accord recover re-records the member's stale work, never
#                     what was signed with its key knowing of the revocation (a
#                     thief's cosign, forged with stock ssh-keygen; finding 04),
#                     nor a decision of the revoked key that left the revocation
#                     out of its deps (attack33 01)
# The third round (attack33), on what the second round's fixes opened:
#   withdrawn_offer   another party's idle admin offers a partner's invited root
#                     key and withdraws it: the partner's join still counts (05)
#   foreign_rotation  another party's member rotates (backdated) to acme's member's
#                     key and its root revokes it: acme's member stays (07)
#   sock_customer     a provider that opens alone and involves its customer and a
#                     party of its own it is the customer of: the customer is
#                     customer-facing (02)
#   late_involve      an involve the close made late changes no customer-facing
#                     party (03)
#   offers_differ     the root and an idle admin add one key with different names
#                     and roles: the key's first write takes the root's (08)
# The fourth round (attack34):
#   recover_takes_member acme's recovery, on an old copy, names the key of a
#                     member globex added since: the member stays globex's and
#                     nobody is frozen (01, 07)
#   recover_takes_root the same with the root key of a party globex invited (02)
#   sock_default_open acme opens the default way and involves its provider; the
#                     provider involves a party of its own that is its customer
#                     for the service: acme stays customer-facing (03)
#   recover_reopen    accord recover does not re-record a thief's reopen of a
#                     jointly closed incident, nor its involve (04)
#   sock_pause        a provider's pause waiting on a party of its own, co-signed
#                     by that party, counts only once the customer co-signs (05)
#   revoked_cosigner  an idle admin revokes the member that co-signed a
#                     partner's terms with a cut below the co-signature: the
#                     terms stay in force (06)
# The fifth round (attack35), on what those fixes left:
#   recover_rotation  globex's idle party's recovery names the key acme's member
#                     rotated to: the rotation and the member stand (01, 02)
#   recover_recovered globex's idle party's recovery names the key acme's root
#                     was recovered to: it stays acme's root (03)
#   customers_customer acme opens the default way, involves its provider; the
#                     provider involves acme's own customer: acme stays
#                     customer-facing (04)
# The sixth round (attack36):
#   self_pause        a party the provider involved pauses the clocks waiting on
#                     itself: it counts only once the customer co-signs (01)
#   sock_no_terms     without terms in force for the service, the provider's
#                     own customer, involved by it, does not take the opener's
#                     seat (02)
#   offered_recovery  another party's offer of the key acme recovers to is one
#                     more offer: the key takes up the recovery (03)
#   offered_rotation  the same for the key carol rotates to (05)
#   offered_invite    the same for the key acme invites a party with (06)
# The seventh round (attack37):
#   upstream_seat     without terms in force for the service, the provider
#                     involves its own provider: acme, the opener, keeps the
#                     seat (01)
#   sock_first        the provider opens alone and names or involves its own
#                     lax customer before acme: acme, held to the stricter
#                     terms, is customer-facing (02)
#   sock_hours        the same with terms in business hours: compared by what
#                     they allow at worst in wall-clock time (02)
# The eighth round (attack38):
#   scope_escape      the provider files acme's outage under a severity no terms
#                     cover: acme stays customer-facing and amends it (01)
#   amend_rescopes    the amend to SEV1 brings the SEV1 terms (02)
#   sock_sock         terms between two of the provider's socks do not outrank
#                     acme's terms with the provider (04)
#   early_resolved    a resolved status acme reopened stops no clock (05)
#   own_dispute       the provider's dispute of acme's open leaves its miss
#                     counted (06)
#   own_window        the provider's own late impact window leaves its missed
#                     clocks counted (07)
# The ninth round (attack39):
#   waiting_reopen    waiting after the provider's resolved runs the restore
#                     clock again (03)
#   sock_veto         a party the provider invited and involved disputes
#                     acme's open and records a late window: no miss leaves
#                     the count (01, 02)
#   sock_severity     the provider files acme's SEV1 outage as SEV3, where a sock
#                     holds it to lax terms: acme, held to stricter terms at
#                     any severity, keeps the seat; a sock seated by strict
#                     terms at another severity measures the provider on those,
#                     never on nothing (04)
#   sla_unmelon       the provider's own typed SLA measurement, made up to
#                     miss, does not take acme's unhappy incident off the
#                     watermelon count (05)
# The tenth round (attack40):
#   joint_covers_start a joint window identical to acme's, recorded by a party
#                     of the provider's: the clocks still start where acme's
#                     window starts, and the misses count (01)
#   future_started    a forged open whose start is 40 days after its signed
#                     time: the start is clamped to that time, the incident
#                     stays in today's report (02)
#   overlapping_pauses two co-signed pauses that overlap (an offline device)
#                     stop the clocks for their union, not their sum (04)
#   sock_dispute_keep the provider accepts its own party's dispute of the
#                     entry acme disputed: acme's dispute stays in effect (05)
# The eleventh round (attack41), on the tenth's fixes:
#   sock_pause_end    the provider accepts its own party's dispute of the end
#                     of a pause acme co-signed: the pause stays as signed (01)
#   seat_then_amend   a sock seated by strict SEV1 terms amends the outage to
#                     SEV4, where it holds the provider to 30 days: the
#                     provider stays measured on the seat's terms (02)
# Left open by the tenth round (attack40), and the twelfth (attack42) on those fixes:
#   sock_idle_open    a party globex invited, whose copy never fetched the
#                     terms, opens acme's outage: globex is held to them (01)
#   pad_no_terms      a party globex invited pads not globex's row, terms or
#                     not: its incidents are in a row apart (02)
#   terms_unseen      lax terms globex co-signed out of sight of its open do
#                     not replace the terms the open saw (06)
# The thirteenth round (attack43):
#   namesake_sock     two parties globex invited under one name: the idle one
#                     is still held to globex's terms, the other's incidents
#                     still go apart (01)
#   dup_met_record    acme is told that "A duplicates B" would drop globex's
#                     misses, B being globex's own record of the outage, met (03)
#   idle_device_terms a device of the provider's that never fetched the
#                     co-signature of its terms opens the customer's outage:
#                     the terms its party signed hold it (07); what the
#                     provider opened before it signed stays outside them
#   sock_padding      a party the provider invited opens incidents under lax
#                     terms and scores them itself: they stay listed, in a
#                     row of the provider's apart, never in its own row (03)
. "$(dirname "$0")/lib.sh"
FORGE="/usr/bin/python3 $(cd "$(dirname "$0")" && pwd)/forge/forge.py"
unset SSH_AUTH_SOCK

# Each case works in its own folder $W: a hub with the hook, acme (alice
# root, bob admin) in $W/acme and $W/bobrepo, globex (gina root) in $W/globex,
# initech (ivan root) in $W/initech.
mkkey() { accord --home "$W/k-$1" key new --name "$1" --no-passphrase >/dev/null 2>&1 || bad "key new $1"; }
pub() { accord --home "$W/k-$1" key show | tail -1; }
as() { local n=$1 r=$2; shift 2; accord -C "$W/$r" --home "$W/k-$n" "$@"; }
q() { "$@" >"$T/.q" 2>&1 || bad "$*: $(tail -3 "$T/.q")"; }
# base NAME [late]: with "late", initech is not invited yet (join_initech does it).
# The first base of each kind is built (a day back, so that the cases that set
# ACCORD_NOW hours back still write after it); later ones are copies of it.
base() {
	local tpl="$T/base-${2:-full}" now=${ACCORD_NOW-} had=${ACCORD_NOW+x}
	if [ ! -d "$tpl" ]; then
		W=$tpl
		ACCORD_NOW=$(date -u -d "@$(($(date +%s) - 86400))" +%FT%TZ)
		export ACCORD_NOW
		build_base "${2:-}"
		echo "$LEDGER" >"$tpl/ledger-id"
		if [ -n "$had" ]; then ACCORD_NOW=$now; else unset ACCORD_NOW; fi
	fi
	W="$T/$1"
	copy_tree "$tpl" "$W"
	LEDGER=$(cat "$W/ledger-id")
}
# new_ledger KEY...: in $W, the keys, a hub with accord's hook, and acme's
# ledger founded by alice ($LEDGER)
new_ledger() {
	local k
	mkdir -p "$W"
	for k in "$@"; do mkkey "$k"; done
	git init -q --bare "$W/hub.git"
	printf '#!/bin/sh\nexec "%s" hook pre-receive\n' "$ACCORD_BIN" >"$W/hub.git/hooks/pre-receive"
	chmod +x "$W/hub.git/hooks/pre-receive"
	git init -q "$W/acme"
	LEDGER=$(as alice acme init --party acme --title t 2>/dev/null)
}
build_base() {
	new_ledger alice bob gina ivan
	q as alice acme party invite globex --key "$(pub gina)"
	q as alice acme member add --key "$(pub bob)" --name bob --admin
	q as alice acme remote add hub "$W/hub.git"
	q as alice acme sync
	q accord clone "$W/hub.git" "$W/globex" --ledger "$LEDGER"
	q as gina globex party accept globex --ledger "$LEDGER"
	q as gina globex sync
	[ "${1:-}" = late ] || join_initech
	q as alice acme sync
	q accord clone "$W/hub.git" "$W/bobrepo" --ledger "$LEDGER"
	q as bob bobrepo sync
}
join_initech() {
	q as alice acme party invite initech --key "$(pub ivan)"
	q as alice acme sync
	q accord clone "$W/hub.git" "$W/initech" --ledger "$LEDGER"
	q as ivan initech party accept initech --ledger "$LEDGER"
	q as ivan initech sync
	q as alice acme sync
}
# sync_all NAME:REPO...: each syncs, twice round
sync_all() {
	local s
	for s in "$@" "$@"; do q as "${s%%:*}" "${s#*:}" sync; done
}
# clean LABEL REPO: the copy's audit has no finding and sets nothing aside
clean() {
	expect 0 as alice "$2" audit --json --no-record
	equal "$(echo "$OUT" | jget "len(d['findings']) + len(d['set_aside'])")" 0 "$1: audit of $2 is clean"
}
# g2_idle: globex's admin device g2, whose copy ($W/g2repo) stays idle from here
g2_idle() {
	mkkey g2
	q as gina globex member add --key "$(pub g2)" --name gina2 --admin
	q as gina globex sync
	q accord clone "$W/hub.git" "$W/g2repo" --ledger "$LEDGER"
	q as g2 g2repo sync
}
fresh() {
	rm -rf "$W/fresh"
	q accord clone "$W/hub.git" "$W/fresh" --ledger "$LEDGER"
}

test_case involve_at_once
base at_once
ID=$(as alice acme open --title "db down" --severity 2 --service db --parties acme,globex 2>/dev/null)
sync_all alice:acme gina:globex
expect 0 as alice acme involve "$ID" initech
expect 0 as gina globex involve "$ID" initech
expect 0 as alice acme sync
expect 0 as gina globex sync
sync_all alice:acme gina:globex ivan:initech
clean involve_at_once acme
clean involve_at_once hub.git
expect 0 as gina globex note "$ID" "globex goes on"
expect 0 as gina globex open --title "unrelated" --severity 4 --service web
expect 0 as gina globex sync
expect 0 as ivan initech sync
expect 0 as ivan initech note "$ID" "initech is in"
expect 0 as ivan initech show "$ID" --json
equal "$(echo "$OUT" | jget "d['parties']")" '["acme", "globex", "initech"]' "involve_at_once: initech is involved once"

test_case idle_involve
base idle_involve
ID=$(as alice acme open --title "db down" --severity 2 --service db --parties acme,globex 2>/dev/null)
sync_all alice:acme gina:globex bob:bobrepo
# bob's copy stays idle from here; globex involves initech and both write
q as gina globex involve "$ID" initech
q as gina globex sync
q as ivan initech sync
q as ivan initech note "$ID" "initech was here"
sync_all ivan:initech gina:globex alice:acme
q as gina globex note "$ID" "globex later"
sync_all gina:globex alice:acme ivan:initech
expect 0 as bob bobrepo involve "$ID" initech
expect 0 as bob bobrepo sync
sync_all alice:acme gina:globex ivan:initech
clean idle_involve hub.git
for who in alice:acme gina:globex ivan:initech; do
	expect 0 as "${who%%:*}" "${who#*:}" note "$ID" "${who%%:*} goes on"
	expect 0 as "${who%%:*}" "${who#*:}" sync
done
fresh
expect 0 as alice fresh show "$ID"
contains "$OUT" "initech was here" "idle_involve: initech's note counts"
contains "$OUT" "globex later" "idle_involve: globex's later note counts"
contains "$OUT" "gina goes on" "idle_involve: globex writes on"

test_case idle_readd
base idle_readd
mkkey carol
sync_all bob:bobrepo
# bob's copy stays idle; the root adds carol, who opens an incident with globex
q as alice acme member add --key "$(pub carol)" --name carol
q as alice acme sync
q accord clone "$W/hub.git" "$W/carolrepo" --ledger "$LEDGER"
q as carol carolrepo sync
ID=$(as carol carolrepo open --title "carol's" --severity 2 --service api --parties acme,globex 2>/dev/null)
sync_all carol:carolrepo gina:globex
q as gina globex note "$ID" "globex on carol's incident"
sync_all gina:globex carol:carolrepo alice:acme
expect 0 as bob bobrepo member add --key "$(pub carol)" --name carol
expect 0 as bob bobrepo sync
sync_all alice:acme carol:carolrepo gina:globex
clean idle_readd hub.git
expect 0 as alice acme note "$ID" "the root goes on"
expect 0 as carol carolrepo note "$ID" "carol goes on"
expect 0 as gina globex sync
fresh
expect 0 as alice fresh show "$ID"
contains "$OUT" "globex on carol's incident" "idle_readd: globex's note counts"
expect 0 as alice fresh member list --json
equal "$(echo "$OUT" | jget "[(m['party'], m['active']) for m in d if m['member'] == 'carol']")" '[["acme", true]]' "idle_readd: carol is acme's"

test_case offer_rotation
base offer_rotation
g2_idle
# g2's copy stays idle; bob rotates his key and writes with the new one
ID=$(as bob bobrepo open --title "bob's" --severity 2 --service api --parties acme,globex 2>/dev/null)
sync_all bob:bobrepo gina:globex alice:acme
q as bob bobrepo key rotate --no-passphrase
q as bob bobrepo sync
q as bob bobrepo note "$ID" "bob on his new key"
sync_all bob:bobrepo gina:globex
q as gina globex note "$ID" "globex replies"
sync_all gina:globex alice:acme bob:bobrepo
# the new key is public: the rotation names it; globex's idle admin offers it to globex
expect 0 as g2 g2repo member add --key "$(pub bob)" --name zed
expect 0 as g2 g2repo sync
sync_all alice:acme bob:bobrepo gina:globex
clean offer_rotation hub.git
expect 0 as bob bobrepo note "$ID" "bob goes on"
expect 0 as bob bobrepo sync
fresh
expect 0 as alice fresh show "$ID"
contains "$OUT" "bob on his new key" "offer_rotation: bob's note on his new key counts"
contains "$OUT" "globex replies" "offer_rotation: globex's reply counts"
contains "$OUT" "bob goes on" "offer_rotation: bob writes on"
expect 0 as alice fresh member list --json
equal "$(echo "$OUT" | jget "sorted(m['party'] for m in d if m['member'] in ('bob', 'zed') and m['active'])")" '["acme"]' "offer_rotation: the new key is bob's, of acme"

test_case invite_root_key
base invite_root_key late
g2_idle
join_initech
ID=$(as ivan initech open --title "initech's" --severity 2 --service api --parties acme,initech 2>/dev/null)
sync_all ivan:initech alice:acme
q as alice acme note "$ID" "acme on initech's incident"
sync_all alice:acme ivan:initech
# g2's idle copy had not seen initech's invite: it invites "hooli" with ivan's key
expect 0 as g2 g2repo party invite hooli --key "$(pub ivan)"
expect 0 as g2 g2repo sync
sync_all alice:acme ivan:initech gina:globex
clean invite_root_key hub.git
expect 0 as alice acme open --title "acme goes on" --severity 4 --service web
fresh
expect 0 as alice fresh party list --json
equal "$(echo "$OUT" | jget "[p['state'] for p in d if p['name'] == 'initech']")" '["joined"]' "invite_root_key: initech is still a party"
expect 0 as alice fresh show "$ID"
contains "$OUT" "acme on initech's incident" "invite_root_key: initech's incident and acme's note count"

test_case offer_then_join
base offer_then_join late
g2_idle
# g2 had not seen initech's invite: it offers ivan's key to globex
expect 0 as g2 g2repo member add --key "$(pub ivan)" --name zed
expect 0 as g2 g2repo sync
join_initech
sync_all alice:acme gina:globex ivan:initech
clean offer_then_join hub.git
expect 0 as ivan initech open --title "initech's" --severity 3 --service api
expect 0 as ivan initech sync
fresh
expect 0 as alice fresh member list --json
equal "$(echo "$OUT" | jget "[(m['party'], m['role'], m['active']) for m in d if m['member'] in ('ivan', 'zed')]")" '[["initech", "root", true]]' "offer_then_join: ivan is initech's root"

test_case revoked_invite
base revoked_invite late
sync_all bob:bobrepo alice:acme
# bob's copy stays idle; alice invites initech, then revokes bob; bob invites a party
# with ivan's key
join_initech
q as alice acme member revoke bob --reason fired
q as alice acme sync
expect 0 as bob bobrepo party invite hooli --key "$(pub ivan)"
q as bob bobrepo sync
mkkey mal
expect 3 as bob bobrepo member add --key "$(pub mal)" --name mal --admin
sync_all alice:acme ivan:initech gina:globex
fresh
expect 0 as alice fresh member list --json
equal "$(echo "$OUT" | jget "[m['active'] for m in d if m['member'] == 'bob']")" '[false]' "revoked_invite: bob stays revoked"
expect 0 as alice fresh party list --json
equal "$(echo "$OUT" | jget "sorted(p['name'] for p in d)")" '["acme", "globex", "initech"]' "revoked_invite: no hooli"
expect 0 as alice fresh audit --json --no-record
equal "$(echo "$OUT" | jget "[f['kind'] for f in d['findings']]")" '[]' "revoked_invite: no fault"
contains "$(echo "$OUT" | jget "[f['kind'] for f in d['set_aside']]")" past-cut "revoked_invite: bob's invite is set aside"
expect 0 as alice acme note "$(as alice acme open --title x --severity 4 --service w 2>/dev/null)" "alice goes on"

test_case void_then_involve
base void_then_involve
S=$(date +%s)
ST=$(date -u -d "@$((S - 7200))" +%FT%TZ)
EN=$(date -u -d "@$((S - 3600))" +%FT%TZ)
ID=$(as gina globex open --title "api outage" --severity 1 --service api --started "$ST" 2>/dev/null)
expect 0 as gina globex void "$ID" --reason "test alert"
expect 0 as gina globex involve "$ID" acme
sync_all gina:globex alice:acme
expect 0 as alice acme impact "$ID" --customers 5000 --start "$ST" --end "$EN"
sync_all alice:acme gina:globex
fresh
expect 0 as alice fresh show "$ID"
case "$OUT" in *"agreed by every party"*) bad "void_then_involve: shown void though acme never signed" ;; *) ok ;; esac
expect 0 as alice fresh report --format json
equal "$(echo "$OUT" | jget 'd["customer_impact"]["customer_minutes"]')" 300000 "void_then_involve: acme's window counts in the report"
# acme co-signs the void: now every party agreed, and it takes effect
VID=$(as alice acme show "$ID" --json | jget 'd["closures"][0]["entry"]')
expect 0 as alice acme cosign "$VID"
expect 0 as alice acme show "$ID"
contains "$OUT" "agreed by every party" "void_then_involve: joint once acme signs"

test_case action_on_revision
base action_on_revision
ID=$(as alice acme open --title "db outage" --severity 2 --service api --parties acme,globex 2>/dev/null)
q as alice acme resolve "$ID" --summary "db fix" --action "add db index@globex:$(date -u -d yesterday +%F)"
sync_all alice:acme gina:globex
q as gina globex note "$ID" "working on the index" # globex's clock runs ahead:
q as gina globex note "$ID" "index built on a replica" # its action sorts after the revision
# at once: acme revises (the item kept), globex marks the item done on what it saw
q as alice acme resolve "$ID" --summary "db fix" --factor "missing index"
expect 0 as gina globex action "$ID" 1 done --note "index added"
sync_all gina:globex alice:acme
fresh
for r in acme fresh; do
	expect 0 as alice "$r" show "$ID" --json
	equal "$(echo "$OUT" | jget 'd["resolution"]["actions"][0]["status"]')" done "action_on_revision: the item is done on $r"
	equal "$(echo "$OUT" | jget 'd["resolution"]["revision"]')" 2 "action_on_revision: on the revision, on $r"
done

# back ARGS: `as ARGS` written 13 hours back, unless a timeline set
# ACCORD_NOW: terms agreed before the outages the cases file as started
# hours ago, since no clock of the terms runs before their co-signature
# (retro_start). An entry's time never goes below what its writer saw, so
# the syncs between write no checkpoint (sync_terms).
back() {
	(ACCORD_NOW=${ACCORD_NOW:-$(date -u -d "@$(($(date +%s) - 13 * 3600))" +%FT%TZ)}
	export ACCORD_NOW
	as "$@")
}
# then_back / now_again: the entries from here on are written 13 hours
# back, up to now_again (what comes before a case's outage)
then_back() {
	ACCORD_NOW=$(date -u -d "@$(($(date +%s) - 13 * 3600))" +%FT%TZ)
	export ACCORD_NOW
}
now_again() { unset ACCORD_NOW; }
sync_terms() {
	local s
	for s in "$@" "$@"; do q as "${s%%:*}" "${s#*:}" sync --no-checkpoint; done
}
# agreed: acme (customer) and globex (provider) agree on terms for service api
agreed() {
	AG=$(back alice acme agreement propose --with globex --service api --acknowledge 5m --mitigate 30m --restore 1h 2>/dev/null)
	sync_terms alice:acme gina:globex
	q back gina globex cosign "$AG"
	sync_terms gina:globex alice:acme
}

test_case agreement_after_involve
base agreement_after_involve
agreed
S=$(date +%s)
ID=$(as gina globex open --title "api outage" --severity 1 --service api --started "$(date -u -d "@$((S - 10800))" +%FT%TZ)" 2>/dev/null)
q as gina globex involve "$ID" acme
sync_all gina:globex alice:acme
expect 0 as alice acme feedback "$ID" --score 1 --comment "customers furious"
expect 2 as gina globex feedback "$ID" --score 5 --comment "customers happy"
contains "$ERR" "recorded by acme" "agreement_after_involve: globex cannot speak for acme's customers"
sync_all alice:acme gina:globex
fresh
expect 0 as alice fresh show "$ID" --json
equal "$(echo "$OUT" | jget 'd["customer_party"]')" acme "agreement_after_involve: acme is customer-facing"
expect 0 as alice fresh show "$ID"
contains "$OUT" "agreement $(echo "$AG" | cut -c1-12)" "agreement_after_involve: the agreement applies"

test_case window_before_open
base window_before_open
agreed
S=$(date +%s)
ID=$(as gina globex open --title "api outage" --severity 1 --service api --parties globex,acme 2>/dev/null)
sync_all gina:globex alice:acme
expect 0 as alice acme impact "$ID" --customers 5000 --start "$(date -u -d "@$((S - 10800))" +%FT%TZ)" --end "$(date -u -d "@$((S - 3600))" +%FT%TZ)"
expect 2 as alice acme impact "$ID" --customers 5 --start "$(date -u -d "@$((S - 8 * 86400))" +%FT%TZ)" --end "$(date -u -d "@$((S - 7 * 86400 - 7200))" +%FT%TZ)"
contains "$ERR" "more than 7 days before" "window_before_open: a week before the open is refused"
expect 2 as gina globex impact "$ID" --customers 5 --start "$(date -u -d "@$((S - 3600))" +%FT%TZ)"
contains "$ERR" "before the incident's impact started" "window_before_open: the opener is held to its own start"
sync_all alice:acme gina:globex
fresh
expect 0 as alice fresh show "$ID" --json
equal "$(echo "$OUT" | jget 'd["customer_minutes"]')" 600000 "window_before_open: acme's window counts"

test_case recover_thief
base recover_thief
ID=$(as gina globex open --title "checkout down" --severity 1 --service checkout --parties globex,acme 2>/dev/null)
q as gina globex resolve "$ID" --summary "acme's deploy caused it" --factor "acme deploy"
sync_all gina:globex alice:acme bob:bobrepo
RID=$(as alice acme show "$ID" --json | jget 'd["resolution"]["id"]')
FULL=$(as alice acme show "$ID" --json | jget 'd["full_id"]')
q as bob bobrepo note "$ID" "checking our deploy logs" # stale: bob has not heard of what follows
q as alice acme member revoke bob --reason "key leaked"
q as alice acme sync
q as bob bobrepo sync
# the thief holds bob's key and a copy with the revocation: what it signs knows of it
q accord clone "$W/hub.git" "$W/thief" --ledger "$LEDGER"
$FORGE sshkey "$W/k-bob" "$W/ssh-bob" || bad "sshkey bob"
BOBK=$(accord --home "$W/k-bob" key show --json | jget 'd["id"]')
# a cosign that leaves the revocation out of its deps, as if written before it
$FORGE entry "$W/thief" "$W/ssh-bob" --type cosign --incident "$FULL" --body "{\"proposal\":\"$RID\"}" --deps "$RID" >/dev/null || bad "forge unaware cosign"
$FORGE entry "$W/thief" "$W/ssh-bob" --type note --incident "$FULL" --body '{"text":"acme accepts full blame"}' >/dev/null || bad "forge note"
q git -C "$W/thief" push -q "$W/hub.git" "refs/accord/feeds/$BOBK:refs/accord/feeds/$BOBK"
q as alice acme sync
# bob gets a new key and runs the documented recovery
mkkey bob2
q as alice acme member add --key "$(pub bob2)" --name bob
q as alice acme sync
q accord clone "$W/hub.git" "$W/bob2repo" --ledger "$LEDGER"
expect 0 as bob2 bob2repo recover --from "$BOBK" --json
equal "$(echo "$OUT" | jget "[r['type'] for r in d['recorded']]")" '["note"]' "recover_thief: bob's stale note is re-recorded"
equal "$(echo "$OUT" | jget "sorted(r['type'] for r in d['skipped'] if 'knowing' in r['reason'])")" '["note"]' "recover_thief: the thief's note is not"
equal "$(echo "$OUT" | jget "[r['type'] for r in d['skipped'] if 'only notes' in r['reason']]")" '["cosign"]' "recover_thief: nor a decision that left the revocation out"
q as bob2 bob2repo sync
fresh
expect 0 as alice fresh show "$ID" --json
equal "$(echo "$OUT" | jget 'd["resolution"]["state"]')" proposed "recover_thief: acme has not signed"
expect 0 as alice fresh show "$ID"
contains "$OUT" "checking our deploy logs" "recover_thief: bob's note counts, re-recorded"
case "$OUT" in *"full blame"*) bad "recover_thief: the thief's note counts" ;; *) ok ;; esac
test_case withdrawn_offer
base withdrawn_offer late
g2_idle
join_initech
ID=$(as ivan initech open --title "initech's" --severity 2 --service db --parties initech,acme 2>/dev/null)
sync_all ivan:initech alice:acme
q as alice acme note "$ID" "acme looks"
sync_all alice:acme ivan:initech
expect 0 as g2 g2repo member add --key "$(pub ivan)" --name zed
expect 0 as g2 g2repo member revoke "$(accord --home "$W/k-ivan" key show --json | jget 'd["id"]')" --reason "changed our mind"
expect 0 as g2 g2repo sync
sync_all alice:acme ivan:initech gina:globex
clean withdrawn_offer hub.git
expect 0 as ivan initech note "$ID" "initech goes on"
expect 0 as ivan initech sync
fresh
expect 0 as alice fresh party list --json
equal "$(echo "$OUT" | jget "[p['state'] for p in d if p['name'] == 'initech']")" '["joined"]' "withdrawn_offer: initech has joined"
expect 0 as alice fresh show "$ID"
contains "$OUT" "initech goes on" "withdrawn_offer: initech's incident and note count"

test_case foreign_rotation
base foreign_rotation
mkkey g3
q as gina globex member add --key "$(pub g3)" --name g3
q as gina globex sync
q accord clone "$W/hub.git" "$W/g3repo" --ledger "$LEDGER"
q as g3 g3repo sync
mkkey carol
q as alice acme member add --key "$(pub carol)" --name carol
q as alice acme sync
q accord clone "$W/hub.git" "$W/carolrepo" --ledger "$LEDGER"
q as carol carolrepo sync
ID=$(as carol carolrepo open --title "carol's" --severity 3 --service web 2>/dev/null)
q as carol carolrepo sync
# g3's idle copy names carol's public key as its successor, with a low clock
$FORGE sshkey "$W/k-g3" "$W/ssh-g3" || bad "sshkey g3"
CPK=$($FORGE keyid "$W/k-carol/key.pub" | cut -d' ' -f1)
$FORGE entry "$W/g3repo" "$W/ssh-g3" --type key-rotate --extra '{"incident":null}' --body "{\"key\":\"$CPK\"}" >/dev/null || bad "forge rotate"
G3=$(accord --home "$W/k-g3" key show --json | jget 'd["id"]')
q git -C "$W/g3repo" push -q "$W/hub.git" "refs/accord/feeds/$G3:refs/accord/feeds/$G3"
q as gina globex sync
# globex's root revokes g3 (the CLI says it is retired already: forged, as a hostile root would)
$FORGE sshkey "$W/k-gina" "$W/ssh-gina" || bad "sshkey gina"
G3PK=$($FORGE keyid "$W/k-g3/key.pub" | cut -d' ' -f1)
SEQ=$(git -C "$W/globex" cat-file commit "refs/accord/feeds/$G3" | sed '1,/^$/d' | jget 'd["seq"]')
$FORGE entry "$W/globex" "$W/ssh-gina" --type member-revoke --extra '{"incident":null}' --body "{\"key\":\"$G3PK\",\"cut\":$SEQ,\"reason\":\"g3 left\"}" >/dev/null || bad "forge revoke"
GI=$(accord --home "$W/k-gina" key show --json | jget 'd["id"]')
expect 0 git -C "$W/globex" push -q "$W/hub.git" "refs/accord/feeds/$GI:refs/accord/feeds/$GI"
sync_all gina:globex alice:acme carol:carolrepo
expect 0 as carol carolrepo note "$ID" "carol goes on"
expect 0 as carol carolrepo sync
fresh
expect 0 as alice fresh member list --json
equal "$(echo "$OUT" | jget "[(m['party'], m['active']) for m in d if m['member'] == 'carol']")" '[["acme", true]]' "foreign_rotation: carol is acme's, active"
expect 0 as alice fresh show "$ID"
contains "$OUT" "carol goes on" "foreign_rotation: carol's note counts"

test_case sock_customer
base sock_customer late
agreed
# globex has a party of its own (sock), whose customer it is for api at SEV1
mkkey sock
q as gina globex party invite globex-ops --key "$(pub sock)"
q as gina globex sync
q accord clone "$W/hub.git" "$W/sockrepo" --ledger "$LEDGER"
q as sock sockrepo party accept globex-ops --ledger "$LEDGER"
q as sock sockrepo sync
q as gina globex sync
SG=$(as gina globex agreement propose --with globex-ops --service api --severity 1 --acknowledge 30d --mitigate 30d --restore 30d 2>/dev/null)
sync_all gina:globex sock:sockrepo
q as sock sockrepo cosign "$SG"
sync_all sock:sockrepo gina:globex alice:acme
ID=$(as gina globex open --title "api outage" --severity 1 --service api 2>/dev/null)
q as gina globex involve "$ID" acme
q as gina globex involve "$ID" globex-ops
sync_all gina:globex alice:acme
fresh
expect 0 as alice fresh show "$ID" --json
equal "$(echo "$OUT" | jget 'd["customer_party"]')" acme "sock_customer: acme, the end of the chain, is customer-facing"

test_case late_involve
base late_involve
agreed
g2_idle
ID=$(as gina globex open --title "api outage" --severity 1 --service api 2>/dev/null)
q as gina globex sync
q as g2 g2repo sync
# globex alone resolves and closes; its idle device involves acme meanwhile
q as gina globex status "$ID" resolved
R=$(as gina globex resolve "$ID" --summary "fixed" --factor "bug" 2>/dev/null)
q as gina globex status "$ID" closed
q as gina globex sync
expect 0 as g2 g2repo involve "$ID" acme
q as g2 g2repo sync
sync_all gina:globex alice:acme
fresh
expect 0 as alice fresh show "$ID" --json
equal "$(echo "$OUT" | jget 'd["status"]')" closed "late_involve: closed"
equal "$(echo "$OUT" | jget 'd["parties"]')" '["globex"]' "late_involve: acme's late involve involves no one"
equal "$(echo "$OUT" | jget 'd["customer_party"]')" globex "late_involve: nor changes the customer-facing party"
: "$R"

test_case offers_differ
base offers_differ
mkkey carol
sync_all bob:bobrepo
# the root's clock runs ahead: bob's offer sorts first
ID=$(as alice acme open --title "x" --severity 4 --service web 2>/dev/null)
q as alice acme note "$ID" "one"
q as alice acme note "$ID" "two"
expect 0 as bob bobrepo member add --key "$(pub carol)" --name alice --admin
q as bob bobrepo sync
expect 0 as alice acme member add --key "$(pub carol)" --name carol
q as alice acme sync
q accord clone "$W/hub.git" "$W/carolrepo" --ledger "$LEDGER"
q as carol carolrepo sync
expect 0 as carol carolrepo note "$ID" "carol here"
q as carol carolrepo sync
fresh
expect 0 as alice fresh member list --json
CK=$(accord --home "$W/k-carol" key show --json | jget 'd["id"]')
equal "$(echo "$OUT" | jget "[(m['party'], m['member'], m['role']) for m in d for k in m['keys'] if k['key_id'] == '$CK']")" '[["acme", "carol", "member"]]' "offers_differ: the root's offer is taken"

# no_faults LABEL REPO: what the copy's audit finds (set aside by a rule or not) blames no one
no_faults() {
	accord -C "$W/$2" --home "$W/k-gina" audit --json --no-record >"$T/.audit" 2>/dev/null
	equal "$(jget "len(d['findings'])" <"$T/.audit")" 0 "$1: no finding on $2"
}

# recover_onto WHO: acme's recovery key, on the old copy acme-old, names WHO's key
# (its clock sorts it first); then WHO and globex write on incident $ID
recover_onto() {
	# --offline: the stale copy is the attack (the CLI syncs first otherwise)
	expect 0 as alice acme-old party recover acme --recovery "$W/k-alice/recovery" --key "$(pub "$1")" --name alice --offline
	expect 0 as alice acme-old sync
	sync_all gina:globex "$1:$2"
	expect 0 as "$1" "$2" note "$ID" "$1 goes on"
	expect 0 as gina globex note "$ID" "globex goes on"
	sync_all "$1:$2" gina:globex
	fresh
}
# labs_recover_onto WHO REPO: globex's own party globex-labs (root "lab", idle since
# it joined, from before WHO's key was named) recovers, naming WHO's key; then
# WHO and globex write on incident $ID. Needs labs_idle first.
labs_idle() {
	mkkey lab
	q as gina globex party invite globex-labs --key "$(pub lab)"
	q as gina globex sync
	q accord clone "$W/hub.git" "$W/labrepo" --ledger "$LEDGER"
	q as lab labrepo party accept globex-labs --ledger "$LEDGER"
	q as lab labrepo sync
	sync_all gina:globex alice:acme
}
labs_recover_onto() {
	expect 0 as lab labrepo party recover globex-labs --recovery "$W/k-lab/recovery" --key "$(pub "$1")" --name lab --offline
	expect 0 as lab labrepo sync
	sync_all gina:globex alice:acme "$1:$2"
	expect 0 as "$1" "$2" note "$ID" "$1 goes on"
	expect 0 as gina globex note "$ID" "globex goes on"
	sync_all "$1:$2" gina:globex alice:acme
	fresh
}

test_case recover_takes_member
base recover_takes_member late
cp -r "$W/acme" "$W/acme-old" # acme's old copy, idle from here
ID=$(as gina globex open --title "globex down" --severity 3 --service web --parties globex 2>/dev/null)
mkkey g3
q as gina globex member add --key "$(pub g3)" --name g3
q as gina globex sync
q accord clone "$W/hub.git" "$W/g3repo" --ledger "$LEDGER"
q as g3 g3repo note "$ID" "g3 here"
q as g3 g3repo sync
sync_all gina:globex alice:acme
recover_onto g3 g3repo
expect 0 as gina fresh member list --json
G3=$(accord --home "$W/k-g3" key show --json | jget 'd["id"]')
equal "$(echo "$OUT" | jget "[(m['party'], m['member'], m['role'], m['active']) for m in d for k in m['keys'] if k['key_id'] == '$G3']")" '[["globex", "g3", "member", true]]' "recover_takes_member: g3 stays globex's"
expect 0 as gina fresh show "$ID"
contains "$OUT" "g3 goes on" "recover_takes_member: g3's notes count"
contains "$OUT" "globex goes on" "recover_takes_member: globex's root writes on"
no_faults recover_takes_member fresh

test_case recover_takes_root
base recover_takes_root late
cp -r "$W/acme" "$W/acme-old"
q as gina globex party invite initech --key "$(pub ivan)"
q as gina globex sync
q accord clone "$W/hub.git" "$W/initech" --ledger "$LEDGER"
q as ivan initech party accept initech --ledger "$LEDGER"
q as ivan initech sync
ID=$(as ivan initech open --title "initech down" --severity 2 --service api --parties initech,globex 2>/dev/null)
q as ivan initech sync
sync_all gina:globex alice:acme
recover_onto ivan initech
expect 0 as gina fresh party list --json
equal "$(echo "$OUT" | jget "[p['state'] for p in d if p['name'] == 'initech']")" '["joined"]' "recover_takes_root: initech stays"
expect 0 as gina fresh show "$ID"
contains "$OUT" "ivan goes on" "recover_takes_root: initech's root writes on"
no_faults recover_takes_root fresh

# sock NAME: globex invites a party of its own, whose root key is "sock"
sock() {
	mkkey sock
	q as gina globex party invite "$1" --key "$(pub sock)"
	q as gina globex sync
	q accord clone "$W/hub.git" "$W/sockrepo" --ledger "$LEDGER"
	q as sock sockrepo party accept "$1" --ledger "$LEDGER"
	q as sock sockrepo sync
	q as gina globex sync
}

# sock_terms ARG...: globex's own party globex-ops is globex's customer, under lax terms (ARG: scope)
sock_terms() {
	sock globex-ops
	SG=$(as sock sockrepo agreement propose --with globex "$@" --acknowledge 30d --mitigate 30d --restore 30d 2>/dev/null)
	sync_all sock:sockrepo gina:globex
	q as gina globex cosign "$SG"
	sync_all gina:globex sock:sockrepo alice:acme
}
# seat_kept LABEL PARTY: acme opens the default way and involves globex, globex
# involves PARTY; acme, the opener, keeps the customer-facing seat
seat_kept() {
	ID=$(as alice acme open --title "api outage" --severity 1 --service api 2>/dev/null)
	q as alice acme involve "$ID" globex
	sync_all alice:acme gina:globex
	expect 0 as gina globex involve "$ID" "$2"
	sync_all gina:globex alice:acme
	fresh
	expect 0 as alice fresh show "$ID" --json
	equal "$(echo "$OUT" | jget 'd["customer_party"]')" acme "$1: acme, the opener, keeps the seat"
}

test_case sock_default_open
base sock_default_open late
agreed
sock_terms --service api --severity 1
seat_kept sock_default_open globex-ops

test_case recover_reopen
base recover_reopen
ID=$(as gina globex open --title "checkout down" --severity 1 --service checkout --parties globex,acme 2>/dev/null)
q as gina globex resolve "$ID" --summary "config fixed" --factor "config"
sync_all gina:globex bob:bobrepo
q as bob bobrepo cosign "$ID"
sync_all bob:bobrepo gina:globex
q as gina globex status "$ID" resolved
q as gina globex status "$ID" closed
sync_all gina:globex alice:acme bob:bobrepo
FULL=$(as alice acme show "$ID" --json | jget 'd["full_id"]')
CLOSE=$(as alice acme show "$ID" --json | jget '[t["id"] for t in d["timeline"] if t["type"] == "status" and t["body"].get("status") == "closed"][-1]')
q as alice acme member revoke bob --reason "laptop stolen"
q as alice acme sync
# the thief reopens and involves initech, leaving the revocation out of its deps
q accord clone "$W/hub.git" "$W/thief" --ledger "$LEDGER"
$FORGE sshkey "$W/k-bob" "$W/ssh-bob" || bad "sshkey bob"
BOBK=$(accord --home "$W/k-bob" key show --json | jget 'd["id"]')
$FORGE entry "$W/thief" "$W/ssh-bob" --type status --incident "$FULL" --body '{"status":"investigating"}' --deps "$CLOSE" >/dev/null || bad "forge reopen"
$FORGE entry "$W/thief" "$W/ssh-bob" --type involve --incident "$FULL" --body '{"party":"initech"}' --deps "$CLOSE" >/dev/null || bad "forge involve"
q git -C "$W/thief" push -q "$W/hub.git" "refs/accord/feeds/$BOBK:refs/accord/feeds/$BOBK"
q as alice acme sync
mkkey bob2
q as alice acme member add --key "$(pub bob2)" --name bob
q as alice acme sync
q accord clone "$W/hub.git" "$W/bob2repo" --ledger "$LEDGER"
expect 0 as bob2 bob2repo recover --from "$BOBK" --json
equal "$(echo "$OUT" | jget "sorted(r['type'] for r in d['recorded'])")" '[]' "recover_reopen: nothing of the thief's is re-recorded"
equal "$(echo "$OUT" | jget "sorted(r['type'] for r in d['skipped'] if 'only notes' in r['reason'])")" '["involve", "status"]' "recover_reopen: the reopen and the involve are listed"
q as bob2 bob2repo sync
fresh
expect 0 as alice fresh show "$ID" --json
equal "$(echo "$OUT" | jget 'd["status"]')" closed "recover_reopen: still closed"
equal "$(echo "$OUT" | jget 'd["parties"]')" '["globex", "acme"]' "recover_reopen: initech is not involved"

test_case sock_pause
base sock_pause late
agreed
sock globex-ops
ID=$(as alice acme open --title "api outage" --severity 1 --service api --parties acme,globex 2>/dev/null)
sync_all alice:acme gina:globex
q as gina globex involve "$ID" globex-ops
PS=$(as gina globex status "$ID" waiting --on globex-ops --note "waiting on our upstream" 2>/dev/null)
sync_all gina:globex sock:sockrepo
expect 0 as sock sockrepo cosign "$PS"
sync_all sock:sockrepo gina:globex alice:acme
fresh
expect 0 as alice fresh show "$ID" --json
equal "$(echo "$OUT" | jget '[(p["on"], p["counts"], p["needs_customer"]) for p in d["pauses"]]')" '[["globex-ops", false, true]]' "sock_pause: co-signed by the party waited on only, it does not count"
PAUSE=$(echo "$OUT" | jget 'd["pauses"][0]["entry"]')
expect 1 as gina globex cosign "$PAUSE"
contains "$ERR" "only globex-ops co-signs it, and the customer-facing acme" "sock_pause: the provider cannot co-sign its own pause"
expect 0 as alice acme cosign "$PAUSE"
q as alice acme sync
fresh
expect 0 as alice fresh show "$ID" --json
equal "$(echo "$OUT" | jget '[p["counts"] for p in d["pauses"]]')" '[true]' "sock_pause: the customer's co-signature makes it count"

test_case revoked_cosigner
base revoked_cosigner
mkkey dave
mkkey carol
q as alice acme member add --key "$(pub dave)" --name dave --admin
q as alice acme sync
q accord clone "$W/hub.git" "$W/daverepo" --ledger "$LEDGER"
q as dave daverepo member add --key "$(pub carol)" --name carol
q as dave daverepo sync
q accord clone "$W/hub.git" "$W/carolrepo" --ledger "$LEDGER"
q as carol carolrepo sync
q as dave daverepo sync # dave's laptop has seen carol join, and is idle from here
# globex (the customer) proposes terms to acme; carol co-signs them for acme
AG=$(as gina globex agreement propose --with acme --service api --acknowledge 5m --mitigate 30m --restore 1h 2>/dev/null)
sync_all gina:globex carol:carolrepo
q as carol carolrepo cosign "$AG"
sync_all carol:carolrepo gina:globex
ID=$(as gina globex open --title "api outage" --severity 1 --service api --parties globex,acme 2>/dev/null)
q as gina globex sync # acme's other members have not seen carol's co-signature (they would raise the cut)
# dave revokes carol from the idle laptop: the cut is what it saw of carol, her join
expect 0 as dave daverepo member revoke carol --reason "left acme"
expect 0 as dave daverepo sync
sync_all gina:globex alice:acme
fresh
expect 0 as gina fresh agreement list
case "$OUT" in *"no agreement is in force"*) bad "revoked_cosigner: the terms are no longer in force" ;; *) ok ;; esac
expect 0 as gina fresh show "$ID"
case "$OUT" in *"no agreement in force"*) bad "revoked_cosigner: globex's incident lost its terms" ;; *) ok ;; esac

test_case recover_rotation
base recover_rotation late
labs_idle
ID=$(as alice acme open --title "payments down" --severity 2 --service pay --parties acme,globex 2>/dev/null)
mkkey carol
q as alice acme member add --key "$(pub carol)" --name carol
q as alice acme sync
q accord clone "$W/hub.git" "$W/carolrepo" --ledger "$LEDGER"
q as carol carolrepo note "$ID" "carol here"
expect 0 as carol carolrepo key rotate --no-passphrase
q as carol carolrepo sync
sync_all alice:acme gina:globex
labs_recover_onto carol carolrepo
expect 0 as gina fresh member list --json
CK=$(accord --home "$W/k-carol" key show --json | jget 'd["id"]')
equal "$(echo "$OUT" | jget "[(m['party'], m['member'], m['active']) for m in d for k in m['keys'] if k['key_id'] == '$CK']")" '[["acme", "carol", true]]' "recover_rotation: carol's new key is carol's"
expect 0 as gina fresh show "$ID"
contains "$OUT" "carol goes on" "recover_rotation: carol writes on"
no_faults recover_rotation fresh

test_case recover_recovered
base recover_recovered late
labs_idle
ID=$(as alice acme open --title "payments down" --severity 2 --service pay --parties acme,globex 2>/dev/null)
q as alice acme sync
mkkey k2
expect 0 as alice acme party recover acme --recovery "$W/k-alice/recovery" --key "$(pub k2)" --name alice
q as alice acme sync
q accord clone "$W/hub.git" "$W/k2repo" --ledger "$LEDGER"
q as k2 k2repo note "$ID" "acme's new root key"
q as k2 k2repo sync
sync_all gina:globex
labs_recover_onto k2 k2repo
expect 0 as gina fresh party list --json
K2=$(accord --home "$W/k-k2" key show --json | jget 'd["id"]')
equal "$(echo "$OUT" | jget "[p['name'] for p in d if p['root_key'] == '$K2']")" '["acme"]' "recover_recovered: k2 is acme's root only"
expect 0 as gina fresh show "$ID"
contains "$OUT" "k2 goes on" "recover_recovered: acme's root writes on"
no_faults recover_recovered fresh

test_case customers_customer
base customers_customer
agreed
# initech buys acme's api: acme is its provider
IG=$(as ivan initech agreement propose --with acme --service api --acknowledge 1h --mitigate 4h --restore 8h 2>/dev/null)
sync_all ivan:initech alice:acme
q as alice acme cosign "$IG"
sync_all alice:acme ivan:initech gina:globex
seat_kept customers_customer initech

test_case self_pause
base self_pause late
agreed
sock globex-ops
ID=$(as alice acme open --title "api outage" --severity 1 --service api --parties acme,globex 2>/dev/null)
sync_all alice:acme gina:globex
q as gina globex involve "$ID" globex-ops
sync_all gina:globex sock:sockrepo
q as sock sockrepo status "$ID" waiting --on globex-ops --note "waiting on our upstream"
sync_all sock:sockrepo gina:globex alice:acme
fresh
expect 0 as alice fresh show "$ID" --json
equal "$(echo "$OUT" | jget '[(p["on"], p["counts"]) for p in d["pauses"]]')" '[["globex-ops", false]]' "self_pause: a third party's pause on itself waits for the customer"
PAUSE=$(echo "$OUT" | jget 'd["pauses"][0]["entry"]')
expect 0 as alice acme cosign "$PAUSE"
q as alice acme sync
fresh
expect 0 as alice fresh show "$ID" --json
equal "$(echo "$OUT" | jget '[p["counts"] for p in d["pauses"]]')" '[true]' "self_pause: the customer's co-signature makes it count"

test_case sock_no_terms
base sock_no_terms late
# terms for web only: none in force for api
AG=$(as alice acme agreement propose --with globex --service web --acknowledge 5m --mitigate 30m --restore 1h 2>/dev/null)
sync_all alice:acme gina:globex
q as gina globex cosign "$AG"
sock_terms
seat_kept sock_no_terms globex-ops

test_case offered_recovery
base offered_recovery late
mkkey k2
q as gina globex member add --key "$(pub k2)" --name k2
sync_all gina:globex alice:acme
expect 0 as alice acme party recover acme --recovery "$W/k-alice/recovery" --key "$(pub k2)" --name alice
expect 0 as alice acme sync
q accord clone "$W/hub.git" "$W/k2repo" --ledger "$LEDGER"
expect 2 as k2 k2repo note "$(as gina globex list --all --quiet 2>/dev/null | head -1)" "x"
expect 0 as k2 k2repo member accept acme
q as k2 k2repo sync
fresh
expect 0 as gina fresh party list --json
K2=$(accord --home "$W/k-k2" key show --json | jget 'd["id"]')
equal "$(echo "$OUT" | jget "[p['name'] for p in d if p['root_key'] == '$K2']")" '["acme"]' "offered_recovery: k2 is acme's root"
no_faults offered_recovery fresh

test_case offered_rotation
base offered_rotation
mkkey carol
q as alice acme member add --key "$(pub carol)" --name carol
q as alice acme sync
q accord clone "$W/hub.git" "$W/carolrepo" --ledger "$LEDGER"
q as carol carolrepo sync
ssh-keygen -q -t ed25519 -N '' -f "$W/hw" -C carol-hw
eval "$(ssh-agent -s)" >/dev/null
ssh-add -q "$W/hw" 2>/dev/null
q as gina globex member add --key "$(cat "$W/hw.pub")" --name hw
sync_all gina:globex carol:carolrepo
expect 0 as carol carolrepo key rotate --agent "$W/hw.pub"
expect 0 as carol carolrepo member accept acme # globex offered the key too: carol chooses
q as carol carolrepo sync
ID=$(as alice acme open --title "db latency" --severity 3 --service db --parties acme,globex 2>/dev/null)
sync_all alice:acme carol:carolrepo
expect 0 as carol carolrepo note "$ID" "carol here"
q as carol carolrepo sync
kill "$SSH_AGENT_PID"
unset SSH_AUTH_SOCK SSH_AGENT_PID
fresh
expect 0 as alice fresh show "$ID"
contains "$OUT" "carol@acme           carol here" "offered_rotation: the note is carol's, of acme"
no_faults offered_rotation fresh

test_case offered_invite
base offered_invite late
mkkey nick
q as gina globex member add --key "$(pub nick)" --name nick
sync_all gina:globex alice:acme
expect 0 as alice acme party invite newco --key "$(pub nick)" --name nick
q as alice acme sync
q accord clone "$W/hub.git" "$W/nickrepo" --ledger "$LEDGER"
expect 0 as nick nickrepo party accept newco --ledger "$LEDGER"
q as nick nickrepo sync
ID=$(as alice acme open --title "acme outage" --severity 2 --service api 2>/dev/null)
q as alice acme sync
fresh
expect 0 as gina fresh party list --json
equal "$(echo "$OUT" | jget "[p['state'] for p in d if p['name'] == 'newco']")" '["joined"]' "offered_invite: newco joins"
expect 0 as gina fresh list --all --quiet
contains "$OUT" "$(echo "$ID" | cut -c1-12)" "offered_invite: acme's root writes on"
no_faults offered_invite fresh

test_case upstream_seat
base upstream_seat
AG=$(as alice acme agreement propose --with globex --service web --acknowledge 5m --mitigate 30m --restore 1h 2>/dev/null)
sync_all alice:acme gina:globex
q as gina globex cosign "$AG"
# globex is initech's customer, for every service
GI=$(as gina globex agreement propose --with initech --acknowledge 8h --mitigate 7d --restore 30d 2>/dev/null)
sync_all gina:globex ivan:initech
q as ivan initech cosign "$GI"
sync_all ivan:initech gina:globex alice:acme
ID=$(as alice acme open --title "api outage" --severity 1 --service api --parties acme,globex 2>/dev/null)
sync_all alice:acme gina:globex
expect 0 as gina globex involve "$ID" initech
sync_all gina:globex alice:acme
fresh
expect 0 as alice fresh show "$ID" --json
equal "$(echo "$OUT" | jget 'd["customer_party"]')" acme "upstream_seat: acme, the opener, keeps the seat"
test_case sock_first
base sock_first late
agreed
sock_terms --service api --severity 1
# globex opens alone and names (then involves) its own customer first
ID=$(as gina globex open --title "api outage" --severity 1 --service api --parties globex,globex-ops,acme 2>/dev/null)
ID2=$(as gina globex open --title "api slow" --severity 1 --service api 2>/dev/null)
q as gina globex involve "$ID2" globex-ops
q as gina globex involve "$ID2" acme
sync_all gina:globex alice:acme
fresh
for i in "$ID" "$ID2"; do
	expect 0 as alice fresh show "$i" --json
	equal "$(echo "$OUT" | jget '[d["customer_party"]] + [c["agreement"]["restore_s"] for c in d["clocks"] if c["agreement"]]')" '["acme", 3600]' "sock_first: acme, held to the stricter terms, is customer-facing"
done
test_case sock_hours
base sock_hours late
sock globex-ops
# terms compared in effect: business hours stretch a clock over the weekend
# web: acme 1h in business hours (63h at worst), the sock 30 days round the clock
# db: acme 4h round the clock, the sock 1h in business hours (63h at worst)
A1=$(as alice acme agreement propose --with globex --service web --hours "Mon-Fri 08:00-18:00 UTC" --acknowledge 5m --mitigate 30m --restore 1h 2>/dev/null)
A2=$(as alice acme agreement propose --with globex --service db --acknowledge 5m --mitigate 30m --restore 4h 2>/dev/null)
S1=$(as sock sockrepo agreement propose --with globex --service web --acknowledge 30d --mitigate 30d --restore 30d 2>/dev/null)
S2=$(as sock sockrepo agreement propose --with globex --service db --hours "Mon-Fri 08:00-18:00 UTC" --acknowledge 5m --mitigate 30m --restore 1h 2>/dev/null)
sync_all alice:acme sock:sockrepo gina:globex
for a in "$A1" "$A2" "$S1" "$S2"; do q as gina globex cosign "$a"; done
for s in web db; do
	I=$(as gina globex open --title "$s outage" --severity 1 --service $s 2>/dev/null)
	q as gina globex involve "$I" globex-ops
	q as gina globex involve "$I" acme
	eval "I_$s=$I"
done
sync_all gina:globex alice:acme
fresh
expect 0 as alice fresh show "$I_web" --json
equal "$(echo "$OUT" | jget '[d["customer_party"]] + [c["agreement"]["restore_s"] for c in d["clocks"] if c["agreement"]]')" '["acme", 3600]' "sock_hours: 1h in business hours is stricter than 30 days round the clock"
expect 0 as alice fresh show "$I_db" --json
equal "$(echo "$OUT" | jget '[d["customer_party"]] + [c["agreement"]["restore_s"] for c in d["clocks"] if c["agreement"]]')" '["acme", 14400]' "sock_hours: 4h round the clock is stricter than 1h in business hours"
# clocks ARGS...: globex's clocks on incident $ID, as [restore_s, [states]], on a fresh clone
clocks() {
	fresh
	expect 0 as alice fresh show "$ID" --json "$@"
	echo "$OUT" | jget "[[c['agreement'] and c['agreement']['restore_s'], [k['state'] for k in c['clocks']]] for c in d['clocks'] if c['party'] == 'globex'][0]"
}
at() { date -u -d "@$1" +%FT%TZ; }

test_case scope_escape
base scope_escape late
# acme's terms cover api at SEV1 only; globex files a full outage as SEV3
AG=$(as alice acme agreement propose --with globex --service api --severity 1 --acknowledge 5m --mitigate 30m --restore 1h 2>/dev/null)
sync_all alice:acme gina:globex
q as gina globex cosign "$AG"
sync_all gina:globex alice:acme
ID=$(as gina globex open --title "api down for all" --severity 3 --service api --parties globex,acme 2>/dev/null)
sync_all gina:globex alice:acme
expect 2 as gina globex feedback "$ID" --score 5
fresh
expect 0 as alice fresh show "$ID" --json
equal "$(echo "$OUT" | jget 'd["customer_party"]')" acme "scope_escape: acme, globex's customer, is customer-facing outside its terms' scope"
expect 0 as alice acme amend "$ID" --severity 1 --reason "full outage"
q as alice acme sync
equal "$(clocks)" '[3600, ["met", "running", "running"]]' "scope_escape: acme's amend to SEV1 brings the SEV1 terms"

test_case amend_rescopes
base amend_rescopes late
AL=$(back alice acme agreement propose --with globex --service api --acknowledge 1h --mitigate 12h --restore 24h 2>/dev/null)
A1=$(back alice acme agreement propose --with globex --service api --severity 1 --acknowledge 5m --mitigate 30m --restore 1h 2>/dev/null)
sync_terms alice:acme gina:globex
q back gina globex cosign "$AL"
q back gina globex cosign "$A1"
sync_terms gina:globex alice:acme
S=$(date +%s)
ID=$(as gina globex open --title "api down" --severity 3 --service api --parties globex,acme --started "$(at $((S - 10800)))" 2>/dev/null)
sync_all gina:globex alice:acme
q as alice acme amend "$ID" --severity 1 --reason "full outage"
sync_all alice:acme gina:globex
q as gina globex status "$ID" resolved
sync_all gina:globex alice:acme
equal "$(clocks)" '[3600, ["met", "missed", "missed"]]' "amend_rescopes: after the amend to SEV1, the SEV1 terms measure globex"

test_case sock_sock
base sock_sock late
agreed
sock globex-ops
mkkey lab
q as gina globex party invite globex-lab --key "$(pub lab)"
q as gina globex sync
q accord clone "$W/hub.git" "$W/labrepo" --ledger "$LEDGER"
q as lab labrepo party accept globex-lab --ledger "$LEDGER"
sync_all lab:labrepo sock:sockrepo
# the sock holds globex's other sock to 1-second terms
SG=$(as sock sockrepo agreement propose --with globex-lab --service api --acknowledge 1s --mitigate 1s --restore 1s 2>/dev/null)
sync_all sock:sockrepo lab:labrepo
q as lab labrepo cosign "$SG"
sync_all lab:labrepo sock:sockrepo gina:globex alice:acme
ID=$(as gina globex open --title "api down" --severity 1 --service api --parties globex,acme,globex-ops,globex-lab 2>/dev/null)
sync_all gina:globex alice:acme
fresh
expect 0 as alice fresh show "$ID" --json
equal "$(echo "$OUT" | jget 'd["customer_party"]')" acme "sock_sock: terms between two socks do not outrank acme's with globex"
equal "$(clocks | jget 'd[0]')" 3600 "sock_sock: globex is held to acme's terms"

# resolved_early LABEL: acme's outage began 10 minutes ago; globex says resolved at once
resolved_early() {
	base "$1" late
	agreed
	S=$(date +%s)
	ID=$(as alice acme open --title "api down" --severity 1 --service api --parties acme,globex --started "$(at $((S - 600)))" 2>/dev/null)
	sync_all alice:acme gina:globex
	q as gina globex status "$ID" resolved --note "should be fine now"
}

test_case early_resolved
resolved_early early_resolved
sync_all gina:globex alice:acme
q as alice acme status "$ID" investigating --note "still down"
sync_all alice:acme gina:globex
equal "$(ACCORD_NOW=$(at $((S + 36000))) clocks)" '[3600, ["met", "missed", "missed"]]' "early_resolved: a resolved status acme reopened stops no clock"
q as gina globex status "$ID" resolved
sync_all gina:globex alice:acme
equal "$(ACCORD_NOW=$(at $((S + 36000))) clocks)" '[3600, ["met", "met", "met"]]' "early_resolved: the status that stood stops them"

test_case own_dispute
base own_dispute late
AG=$(as alice acme agreement propose --with globex --service api --acknowledge 1s --mitigate 1h --restore 2h 2>/dev/null)
sync_all alice:acme gina:globex
q as gina globex cosign "$AG"
sync_all gina:globex alice:acme
ID=$(as alice acme open --title "api down" --severity 1 --service api --parties acme,globex 2>/dev/null)
q as alice acme sync
sleep 3
q as gina globex sync
q as gina globex note "$ID" "looking"
q as gina globex sync
equal "$(clocks | jget 'd[1][0]')" missed "own_dispute: globex acknowledged late"
expect 0 as gina globex dispute "$ID" --reason "paged late"
sync_all gina:globex alice:acme
fresh
expect 0 as alice fresh show "$ID" --json
equal "$(echo "$OUT" | jget "[[k['state'], k['dispute'] is not None] for c in d['clocks'] if c['party'] == 'globex' for k in c['clocks']][0]")" '["missed", true]' "own_dispute: globex's dispute of acme's open is shown and leaves its miss counted"
expect 0 as alice fresh report --format json
equal "$(echo "$OUT" | jget "[[p['sla']['met'], p['sla']['disputed']] for p in d['providers'] if p['party'] == 'globex'][0]")" '[0, 0]' "own_dispute: the report counts the miss"
expect 0 as alice fresh show "$ID"
contains "$OUT" "; counted on the signed time" "own_dispute: show says the miss stays counted"

test_case own_window
base own_window late
agreed
S=$(date +%s)
ID=$(as alice acme open --title "api down" --severity 1 --service api --parties acme,globex --started "$(at $((S - 10800)))" 2>/dev/null)
q as alice acme impact "$ID" --customers 1000 --start "$(at $((S - 10800)))" --end "$(at $S)"
sync_all alice:acme gina:globex
q as gina globex status "$ID" resolved
q as gina globex impact "$ID" --customers 1 --start "$(at $((S - 300)))" --end "$(at $S)"
sync_all gina:globex alice:acme
equal "$(clocks | jget 'd[1]')" '["met", "missed", "missed"]' "own_window: globex's own late window leaves its missed clocks counted"
expect 0 as alice fresh report --format json
equal "$(echo "$OUT" | jget "[[p['sla']['met'], p['sla']['measured'], p['sla']['disputed']] for p in d['providers'] if p['party'] == 'globex'][0]")" '[1, 3, 0]' "own_window: the report counts the misses"

test_case waiting_reopen
resolved_early waiting_reopen
q as gina globex status "$ID" waiting --on acme --note "waiting for acme to confirm"
sync_all gina:globex alice:acme
equal "$(ACCORD_NOW=$(at $((S + 36000))) clocks)" '[3600, ["met", "met", "missed"]]' "waiting_reopen: waiting after resolved runs the restore clock again"

test_case sock_veto
base sock_veto late
agreed
sock globex-ops
S=$(date +%s)
ID=$(as alice acme open --title "api down" --severity 1 --service api --parties acme,globex --started "$(at $((S - 10800)))" 2>/dev/null)
q as alice acme impact "$ID" --customers 1000 --start "$(at $((S - 10800)))" --end "$(at $S)"
# the sock's dispute takes by default the time of its first entry that saw the open (the
# checkpoint of its sync): a second after it at least, else it is a dispute of no delay,
# refused, as on a fast machine where all of this falls within one second
sleep 1
sync_all alice:acme gina:globex
q as gina globex involve "$ID" globex-ops
q as gina globex status "$ID" resolved
sync_all gina:globex sock:sockrepo
# the sock records a small late window and disputes acme's open
q as sock sockrepo impact "$ID" --customers 1 --start "$(at $((S - 300)))" --end "$(at $S)"
expect 0 as sock sockrepo dispute "$ID" --reason "paged late"
sync_all sock:sockrepo gina:globex alice:acme
equal "$(clocks | jget 'd[1]')" '["met", "missed", "missed"]' "sock_veto: a party globex involved takes none of its misses out of the count"
expect 0 as alice fresh report --format json
equal "$(echo "$OUT" | jget "[[p['sla']['met'], p['sla']['measured'], p['sla']['disputed']] for p in d['providers'] if p['party'] == 'globex'][0]")" '[1, 3, 0]' "sock_veto: the report counts the misses"

test_case sla_unmelon
base sla_unmelon late
agreed
S=$(date +%s)
ID=$(as alice acme open --title "api slow" --severity 2 --service api --parties acme,globex --started "$(at $((S - 1200)))" 2>/dev/null)
sync_all alice:acme gina:globex
q as gina globex status "$ID" resolved
q as gina globex sla "$ID" --name restore --target 2h --actual 20m
sync_all gina:globex alice:acme
q as alice acme feedback "$ID" --score 1 --response r1
q as alice acme feedback "$ID" --score 1 --response r2
sync_all alice:acme gina:globex
# melons: the ledger-wide count, and what decided the incident green, on a fresh clone
melons() {
	fresh
	expect 0 as alice fresh report --format json
	echo "$OUT" | jget "[d['watermelon']['count'], [[i['watermelon'], i['green'], i['sla_measurements']] for i in d['rows']]]"
}
G='{"all_met": true, "from": "clocks", "verdicts": 3, "met": 3}'
equal "$(melons)" "[1, [[true, $G, 1]]]" "sla_unmelon: every clock met, the customers unhappy: a watermelon"
q as gina globex sla "$ID" --name status-page-update --target 1m --actual 61s
sync_all gina:globex alice:acme
equal "$(melons)" "[1, [[true, $G, 2]]]" "sla_unmelon: globex's made-up missed measurement leaves it one"

# tn MIN: the time is B0 + MIN minutes, for the entries written from here (a timeline in the past)
tn() { ACCORD_NOW=$(at $((B0 + $1 * 60))); export ACCORD_NOW; }
# gclocks FIELD: FIELD of each of globex's clocks in the show --json document on stdin
gclocks() { jget "[k['$1'] for c in d['clocks'] if c['party'] == 'globex' for k in c['clocks']]"; }
# psla: globex's row [met, decided, disputed] in the report --format json on stdin
psla() { jget "[[p['sla']['met'], p['sla']['measured'], p['sla']['disputed']] for p in d['providers'] if p['party'] == 'globex' and not p['admitted']]"; }

test_case joint_covers_start
base joint_covers_start late
agreed
S=$(date +%s)
# globex opens at S (its --started: now) acme's outage, which began at S-3h
ID=$(as gina globex open --title "api errors" --severity 1 --service api --parties globex,acme 2>/dev/null)
sync_all gina:globex alice:acme
q as alice acme impact "$ID" --customers 1000 --start "$(at $((S - 10800)))" --end "$(at $S)"
q as gina globex status "$ID" mitigated
q as gina globex status "$ID" resolved
sync_all alice:acme gina:globex
# globex's own party records the very same window; globex and acme co-sign it
sock globex-ops
q as gina globex involve "$ID" globex-ops
sync_all gina:globex sock:sockrepo alice:acme
JW=$(as sock sockrepo impact "$ID" --customers 1000 --start "$(at $((S - 10800)))" --end "$(at $S)" 2>/dev/null)
sync_all sock:sockrepo gina:globex alice:acme
q as gina globex cosign "$JW"
q as alice acme cosign "$JW"
sync_all alice:acme gina:globex sock:sockrepo
fresh
expect 0 as alice fresh show "$ID" --json
equal "$(echo "$OUT" | gclocks state)" '["met", "missed", "missed"]' "joint_covers_start: a joint window identical to acme's leaves globex's misses counted"
equal "$(echo "$OUT" | gclocks from | jget 'd[2]')" "$(at $((S - 10800)))" "joint_covers_start: the clocks start where acme's window, covered by the joint one, starts"
expect 0 as alice fresh report --format json
equal "$(echo "$OUT" | psla)" '[[1, 3, 0]]' "joint_covers_start: the report counts the misses"

test_case future_started
base future_started late
agreed
S=$(date +%s)
# globex signs at S an open whose impact starts 40 days ahead (the CLI refuses --started in the future)
$FORGE sshkey "$W/k-gina" "$W/ssh-gina" || bad "sshkey gina"
$FORGE entry "$W/globex" "$W/ssh-gina" --type open --time "$S" --body "{\"title\":\"api errors\",\"severity\":1,\"service\":\"api\",\"started_at\":\"$(at $((S + 40 * 86400)))\",\"parties\":[\"acme\",\"globex\"],\"tickets\":[]}" >/dev/null || bad "forge open"
q as gina globex sync
ID=$(as gina globex list --all --quiet 2>/dev/null | head -1)
q as gina globex status "$ID" mitigated
q as gina globex status "$ID" resolved
q as gina globex resolve "$ID" --summary "fixed"
sync_all gina:globex alice:acme
q as alice acme cosign "$ID"
q as alice acme feedback "$ID" --score 1 --comment "3 hours down"
sync_all alice:acme gina:globex
fresh
expect 0 as alice fresh show "$ID" --json
equal "$(echo "$OUT" | jget 'd["started_at"]')" "$(at $S)" "future_started: a start after the open's signed time is clamped to it"
expect 0 as alice fresh report --format json
equal "$(echo "$OUT" | jget "[[i['started_at'], i['time_to_joint_s'] >= 0] for i in d['rows']]")" "[[\"$(at $S)\", true]]" "future_started: the incident is in today's report, its time to joint resolution not negative"
equal "$(echo "$OUT" | jget "[d['watermelon']['count']] + [[p['sla']['met'], p['sla']['measured']] for p in d['providers'] if p['party'] == 'globex']")" '[1, [3, 3]]' "future_started: globex's row and acme's unhappy incident count today"

test_case overlapping_pauses
B0=$(($(date +%s) - 12 * 3600))
tn 0
base overlapping_pauses late
mkkey gina2
q as gina globex member add --key "$(pub gina2)" --name gina
q as gina globex sync
AG=$(as alice acme agreement propose --with globex --service api --acknowledge 10m --mitigate 45m --restore 45m 2>/dev/null)
sync_all alice:acme gina:globex
q as gina globex cosign "$AG"
sync_all gina:globex alice:acme
q accord clone "$W/hub.git" "$W/g2" --ledger "$LEDGER"
tn 10
ID=$(as alice acme open --title "api down" --severity 1 --service api --parties acme,globex --started "$(at $((B0 + 600)))" 2>/dev/null)
sync_all alice:acme gina:globex
tn 12; q as gina globex status "$ID" identified
tn 60; P60=$(as gina globex status "$ID" waiting --on acme --note "need your gateway logs" 2>/dev/null)
sync_all gina:globex alice:acme
tn 61; q as alice acme cosign "$P60"
sync_all alice:acme gina:globex
q as gina2 g2 sync
# globex's second device is offline from here; its pause, dated 62, sorts after globex's step at 100
tn 100; q as gina globex status "$ID" identified --note "logs received"
q as gina globex sync
tn 62
n=0; while [ $n -lt 12 ]; do q as gina2 g2 note "$ID" "looking at logs $n"; n=$((n + 1)); done
q as gina2 g2 status "$ID" identified
P62=$(as gina2 g2 status "$ID" waiting --on acme --note "need the load balancer logs too" 2>/dev/null)
tn 110; q as gina2 g2 sync
sync_all gina:globex alice:acme
tn 115; q as alice acme cosign "$P62"
sync_all alice:acme gina:globex
tn 230; q as gina globex status "$ID" resolved
sync_all gina:globex alice:acme
tn 240
fresh
expect 0 as alice fresh show "$ID" --json
# restore runs 10 -> 230; the pauses (60 -> 100, 62 -> 230) stop it once, 60 -> 230: 50 min > 45
equal "$(echo "$OUT" | gclocks paused_s)" '[0, 10200, 10200]' "overlapping_pauses: the clocks are paused for the pauses' union"
equal "$(echo "$OUT" | gclocks state)" '["met", "missed", "missed"]' "overlapping_pauses: overlapping pauses hide no miss"
expect 0 as alice fresh report --format json
equal "$(echo "$OUT" | psla)" '[[1, 3, 0]]' "overlapping_pauses: the report counts the misses"
unset ACCORD_NOW

test_case sock_dispute_keep
B0=$(($(date +%s) - 12 * 3600))
tn 0
base sock_dispute_keep late
agreed
sock globex-ops
tn 10
ID=$(as alice acme open --title "api down" --severity 1 --service api --parties acme,globex --started "$(at $((B0 + 600)))" 2>/dev/null)
sync_all alice:acme gina:globex
tn 11; q as gina globex status "$ID" identified
# globex's resolved, dated 35, is written and pushed at 200; acme disputes it
tn 35; q as gina globex status "$ID" resolved --note "fixed at 35"
RES=$(as gina globex show "$ID" --json | jget '[t["id"] for t in d["timeline"] if t["type"] == "status" and t["body"].get("status") == "resolved"][-1]')
tn 200
sync_all gina:globex alice:acme
tn 201; q as alice acme dispute "$RES" --reason "still down for our customers until 200"
sync_all alice:acme gina:globex
# globex involves its own party, which disputes the entry with the signed time; globex accepts that
tn 205; q as gina globex involve "$ID" globex-ops
sync_all gina:globex sock:sockrepo
tn 206; q as sock sockrepo dispute "$RES" --at "$(at $((B0 + 2101)))" --reason "our probes show recovery at 35"
sync_all sock:sockrepo gina:globex
tn 207
D2=$(as gina globex show "$ID" --json | jget '[x["entry"] for x in d["disputes"] if x["by"] == "globex-ops"][-1]')
q as gina globex cosign "$D2"
sync_all gina:globex alice:acme sock:sockrepo
tn 210
fresh
expect 0 as alice fresh show "$ID" --json
equal "$(echo "$OUT" | gclocks state)" '["met", "disputed", "disputed"]' "sock_dispute_keep: the sock's accepted dispute does not replace acme's"
equal "$(echo "$OUT" | jget "[k['dispute'] and k['dispute']['by'] for c in d['clocks'] if c['party'] == 'globex' for k in c['clocks']]")" '[null, "acme", "acme"]' "sock_dispute_keep: the dispute on the clocks is acme's"
expect 0 as alice fresh report --format json
equal "$(echo "$OUT" | psla)" '[[1, 1, 2]]' "sock_dispute_keep: the report counts them disputed"
unset ACCORD_NOW

test_case sock_severity
base sock_severity late
# acme's terms cover api at SEV1 only; globex's sock holds it to 30 days at SEV3
AG=$(as alice acme agreement propose --with globex --service api --severity 1 --acknowledge 5m --mitigate 30m --restore 1h 2>/dev/null)
sync_all alice:acme gina:globex
q as gina globex cosign "$AG"
sync_all gina:globex alice:acme
sock_terms --service api --severity 3
ID=$(as gina globex open --title "api down for all" --severity 3 --service api --parties globex,acme,globex-ops 2>/dev/null)
sync_all gina:globex alice:acme sock:sockrepo
expect 2 as sock sockrepo feedback "$ID" --score 5
fresh
expect 0 as alice fresh show "$ID" --json
equal "$(echo "$OUT" | jget 'd["customer_party"]')" acme "sock_severity: acme, not the sock lax at the filed severity, is customer-facing"
expect 0 as alice acme amend "$ID" --severity 1 --reason "full outage"
q as alice acme sync
equal "$(clocks)" '[3600, ["met", "running", "running"]]' "sock_severity: acme's amend to SEV1 brings its terms"
# the other way round: the sock holds globex to 1 second at SEV1 only, acme to 4h at SEV3
base sock_severity_strict late
AG=$(as alice acme agreement propose --with globex --service api --severity 3 --acknowledge 1h --mitigate 2h --restore 4h 2>/dev/null)
sync_all alice:acme gina:globex
q as gina globex cosign "$AG"
sync_all gina:globex alice:acme
sock globex-ops
SG=$(as sock sockrepo agreement propose --with globex --service api --severity 1 --acknowledge 1s --mitigate 1s --restore 1s 2>/dev/null)
sync_all sock:sockrepo gina:globex
q as gina globex cosign "$SG"
sync_all gina:globex sock:sockrepo alice:acme
ID=$(as gina globex open --title "api slow" --severity 3 --service api --parties globex,acme,globex-ops 2>/dev/null)
sync_all gina:globex alice:acme
sleep 2
equal "$(clocks | jget 'd[0]')" 1 "sock_severity: a sock seated by strict terms at another severity measures globex on them, never on nothing"

test_case sock_pause_end
B0=$(($(date +%s) - 12 * 3600))
tn 0
base sock_pause_end late
agreed
sock globex-ops
tn 10
ID=$(as alice acme open --title "api down" --severity 1 --service api --parties acme,globex 2>/dev/null)
sync_all alice:acme gina:globex
tn 12; q as gina globex status "$ID" identified
tn 60; P=$(as gina globex status "$ID" waiting --on acme --note "need your gateway logs" 2>/dev/null)
sync_all gina:globex alice:acme
tn 61; q as alice acme cosign "$P"
sync_all alice:acme gina:globex
tn 70; END=$(as gina globex status "$ID" identified --note "logs received" 2>/dev/null)
tn 200; q as gina globex status "$ID" resolved
sync_all gina:globex alice:acme
tn 205; q as gina globex involve "$ID" globex-ops
sync_all gina:globex sock:sockrepo
tn 206; D=$(as sock sockrepo dispute "$END" --at "$(at $((B0 + 199 * 60)))" --reason "logs incomplete until 199" 2>/dev/null)
sync_all sock:sockrepo gina:globex
tn 207; q as gina globex cosign "$D"
sync_all gina:globex alice:acme sock:sockrepo
tn 210
fresh
expect 0 as alice fresh show "$ID" --json
equal "$(echo "$OUT" | gclocks paused_s)" '[0, 600, 600]' "sock_pause_end: the pause acme co-signed stays 10 minutes"
equal "$(echo "$OUT" | gclocks state)" '["met", "missed", "missed"]' "sock_pause_end: no miss leaves the count"
expect 0 as alice fresh report --format json
equal "$(echo "$OUT" | psla)" '[[1, 3, 0]]' "sock_pause_end: the report counts the misses"
unset ACCORD_NOW

test_case seat_then_amend
base seat_then_amend late
agreed
sock globex-ops
for sv in "1 --acknowledge 1m --mitigate 1m --restore 1m" "4 --acknowledge 30d --mitigate 30d --restore 30d"; do
	SG=$(as sock sockrepo agreement propose --with globex --service api --severity $sv 2>/dev/null)
	sync_all sock:sockrepo gina:globex
	q as gina globex cosign "$SG"
	sync_all gina:globex sock:sockrepo alice:acme
done
ID=$(as gina globex open --title "api down" --severity 1 --service api --parties acme,globex,globex-ops 2>/dev/null)
sync_all gina:globex alice:acme sock:sockrepo
q as sock sockrepo amend "$ID" --severity 4 --reason "minor"
sync_all sock:sockrepo gina:globex alice:acme
equal "$(clocks | jget 'd[0]')" 60 "seat_then_amend: the sock's amend to its lax SEV4 terms leaves globex measured on the 1-minute terms that seated it"
test_case sock_padding
base sock_padding late
agreed
sock_terms --service api --severity 2
S=$(date +%s)
ID=$(as alice acme open --title "api slow" --severity 2 --service api --parties acme,globex --started "$(at $((S - 7200)))" 2>/dev/null)
sync_all alice:acme gina:globex
q as gina globex status "$ID" resolved
sync_all gina:globex alice:acme
q as alice acme feedback "$ID" --score 1 --response r1
sync_all alice:acme gina:globex
for n in 1 2 3; do
	P=$(as sock sockrepo open --title "pad $n" --severity 2 --service api --parties globex-ops,globex 2>/dev/null)
	sync_all sock:sockrepo gina:globex
	q as gina globex status "$P" resolved
	sync_all gina:globex sock:sockrepo
	q as sock sockrepo feedback "$P" --score 5 --response "p$n"
done
sync_all sock:sockrepo gina:globex alice:acme
fresh
expect 0 as alice fresh report --format json
equal "$(echo "$OUT" | jget "[[p['admitted'], p['incidents'], p['invited_by_provider'], p['experience']['csat_pct'], p['sla']['met'], p['sla']['measured']] for p in d['providers'] if p['party'] == 'globex']")" \
	'[[false, 1, 3, 0, 1, 3], [true, 3, 3, 100, 9, 9]]' "sock_padding: globex's row counts acme's incident; the three its own invitee opened and scored are in a row apart"
equal "$(echo "$OUT" | jget "[d['incidents']['total'], d['incidents']['invited_by_provider']]")" \
	'[4, 3]' "sock_padding: its incidents are still listed, and counted"
equal "$(echo "$OUT" | jget "[r['title'] for r in d['rows'] if r['invited_by_provider']]")" \
	'["pad 1", "pad 2", "pad 3"]' "sock_padding: each row says so"
expect 0 as alice fresh report
contains "$OUT" "apart: invitee or silent customer" "sock_padding: the text report says how many went apart"
contains "$OUT" "globex: customers it brought in, or silent" "sock_padding: and shows them apart"
for n in 1 2; do # the second from the index's state
	equal "$(as alice fresh party list --json | jget "[[p['name'], p['invited_by']] for p in d]")" \
		'[["acme", null], ["globex", "acme"], ["globex-ops", "globex"]]' "sock_padding: party list says who invited whom ($n)"
done
test_case idle_device_terms
base idle_device_terms late
S=$(date +%s)
then_back
g2_idle
E=$(as gina globex open --title "api slow (before the terms)" --severity 1 --service api --parties globex,acme --started "$(at $((S - 13 * 3600 - 600)))" 2>/dev/null)
sync_all gina:globex alice:acme
agreed
now_again
ID=$(as g2 g2repo open --title "api errors" --severity 1 --service api --parties globex,acme --started "$(at $((S - 7200)))" 2>/dev/null)
q as g2 g2repo sync
sync_all gina:globex alice:acme
for i in "$E" "$ID"; do q as gina globex status "$i" resolved; done
sync_all gina:globex alice:acme
q as alice acme feedback "$ID" --score 1 --response r1
sync_all alice:acme gina:globex
fresh
# terms: [customer-facing party, [[provider, the terms' id, clock states]]]
terms() { as alice fresh show "$1" --json | jget "[d['customer_party'], [[c['party'], c['agreement'] and c['agreement']['id'][:12]] + [k['state'] for k in c['clocks']] for c in d['clocks']]]"; }
equal "$(terms "$ID")" "[\"acme\", [[\"globex\", \"${AG%"${AG#????????????}"}\", \"met\", \"missed\", \"missed\"]]]" \
	"idle_device_terms: globex's device that never fetched the co-signature opens acme's outage under the terms globex signed"
equal "$(terms "$E")" '["globex", [["acme", null, null, null, null]]]' \
	"idle_device_terms: what globex opened before it signed, seen by its co-signature, stays outside the terms"
expect 0 as alice fresh report --format json
equal "$(echo "$OUT" | psla)" '[[1, 3, 0]]' "idle_device_terms: the report counts globex's misses"
clean idle_device_terms fresh
test_case sock_idle_open
base sock_idle_open late
then_back
sock globex-ops
agreed
now_again
S=$(date +%s)
ID=$(as sock sockrepo open --title "api errors" --severity 1 --service api --parties globex-ops,globex,acme --started "$(at $((S - 7200)))" 2>/dev/null)
q as sock sockrepo sync
sync_all gina:globex alice:acme
q as gina globex status "$ID" resolved
sync_all gina:globex alice:acme
fresh
equal "$(terms "$ID")" "[\"acme\", [[\"globex-ops\", null, null, null, null], [\"globex\", \"${AG%"${AG#????????????}"}\", \"met\", \"missed\", \"missed\"]]]" \
	"sock_idle_open: globex's party whose copy never fetched the terms opens acme's outage: acme faces it, globex is held to its terms"

test_case pad_no_terms
base pad_no_terms late
agreed
S=$(date +%s)
ID=$(as alice acme open --title "api slow" --severity 2 --service api --parties acme,globex --started "$(at $((S - 7200)))" 2>/dev/null)
sync_all alice:acme gina:globex
q as gina globex status "$ID" resolved
sync_all gina:globex alice:acme
q as alice acme feedback "$ID" --score 1 --response r1
sync_all alice:acme gina:globex
sock globex-ops
for n in 1 2; do
	P=$(as sock sockrepo open --title "probe $n" --severity 4 --service api --parties globex-ops,globex 2>/dev/null)
	sync_all sock:sockrepo gina:globex
	q as gina globex status "$P" resolved
	sync_all gina:globex sock:sockrepo
	q as sock sockrepo feedback "$P" --score 5 --response "p$n"
done
sync_all sock:sockrepo gina:globex alice:acme
fresh
expect 0 as alice fresh report --format json
equal "$(echo "$OUT" | jget "[[p['admitted'], p['incidents'], p['invited_by_provider'], p['experience']['csat_pct']] for p in d['providers'] if p['party'] == 'globex']")" \
	'[[false, 1, 2, 0], [true, 2, 2, 100]]' "pad_no_terms: a party globex invited, under no terms, does not pad globex's row: its incidents are apart"

test_case terms_unseen
base terms_unseen late
then_back
g2_idle
agreed
V2=$(as alice acme agreement propose --with globex --service api --acknowledge 1d --mitigate 1d --restore 1d 2>/dev/null)
sync_all alice:acme gina:globex
q as g2 g2repo sync
now_again
S=$(date +%s)
ID=$(as gina globex open --title "api errors" --severity 1 --service api --parties globex,acme --started "$(at $((S - 7200)))" 2>/dev/null)
q as gina globex sync
q as g2 g2repo cosign "$V2"
q as g2 g2repo sync
sync_all gina:globex alice:acme
q as gina globex status "$ID" resolved
sync_all gina:globex alice:acme
fresh
equal "$(terms "$ID")" "[\"acme\", [[\"globex\", \"${AG%"${AG#????????????}"}\", \"met\", \"missed\", \"missed\"]]]" \
	"terms_unseen: lax terms globex co-signed out of sight of its open do not replace the terms the open saw"
test_case namesake_sock
base namesake_sock late
then_back
g2_idle
mkkey noc1
mkkey noc2
# globex's idle admin device and its laptop each invite a party named globex-noc
q as g2 g2repo party invite globex-noc --key "$(pub noc1)"
q accord clone "$W/g2repo" "$W/noc1repo" --ledger "$LEDGER"
q as noc1 noc1repo party accept globex-noc --ledger "$LEDGER"
q as gina globex party invite globex-noc --key "$(pub noc2)"
q as gina globex sync
q accord clone "$W/hub.git" "$W/noc2repo" --ledger "$LEDGER"
q as noc2 noc2repo party accept globex-noc --ledger "$LEDGER"
q as noc2 noc2repo sync
agreed
now_again
S=$(date +%s)
# the first, whose copy never saw the terms, opens acme's outage; both copies push their feeds only
ID=$(as noc1 noc1repo open --title "api errors" --severity 1 --service api --parties globex-noc,globex,acme --started "$(at $((S - 7200)))" 2>/dev/null)
for k in g2:g2repo noc1:noc1repo; do
	F=$($FORGE keyid "$W/k-${k%%:*}/key.pub" | cut -d' ' -f2)
	git -C "$W/${k#*:}" push -q "$W/hub.git" "refs/accord/feeds/$F:refs/accord/feeds/$F" || bad "push ${k#*:}"
done
P=$(as noc2 noc2repo open --title "probe" --severity 3 --service api --parties globex-noc,globex 2>/dev/null)
sync_all noc2:noc2repo gina:globex alice:acme
for i in "$ID" "$P"; do q as gina globex status "$i" resolved; done
sync_all gina:globex alice:acme
fresh
expect 0 as alice fresh show "$ID" --json
equal "$(echo "$OUT" | jget "[d['customer_party']] + [k['state'] for c in d['clocks'] if c['party'] == 'globex' for k in c['clocks']]")" \
	'["acme", "met", "missed", "missed"]' "namesake_sock: a party globex invited under a shared name, idle since before the terms, opens acme's outage: globex is held to them"
expect 0 as alice fresh report --format json
equal "$(echo "$OUT" | jget "[[p['admitted'], p['incidents']] for p in d['providers'] if p['party'] == 'globex']")" \
	'[[true, 2]]' "namesake_sock: the other namesake's probe is in globex's row apart, and so is the outage acme never wrote on (attack45 01)"

test_case dup_met_record
base dup_met_record late
agreed
S=$(date +%s)
A=$(as alice acme open --title "api down" --severity 1 --service api --parties acme,globex --started "$(at $((S - 7200)))" 2>/dev/null)
sync_all alice:acme gina:globex
q as gina globex status "$A" resolved
B=$(as gina globex open --title "api blip" --severity 1 --service api --parties globex,acme 2>/dev/null)
q as gina globex status "$B" resolved
q as gina globex duplicate "$A" --of "$B" --reason "same outage"
sync_all gina:globex alice:acme
expect 2 as alice acme cosign "$A"
contains "$ERR" "globex missed its restore clock here, not there" "dup_met_record: acme is told the duplicate would drop globex's misses"
expect 0 as alice acme show "$A" --json
equal "$(echo "$OUT" | jget 'd["closed_as"]')" null "dup_met_record: nothing was signed"

test_case retro_start
base retro_start late
S=$(date +%s)
J=$((S - 13 * 3600))
agreed
JA=$(as alice acme agreement list --json | jget 'd["agreements"][0]["joint_at"]')
# acme files, 5 minutes after the terms, an outage that began 3 days before
# them and one that began a minute after them; globex restores the first 20
# minutes after the terms, the second after 2 hours
export ACCORD_NOW
ACCORD_NOW=$(at $((J + 300)))
I1=$(as alice acme open --title "api down since last week" --severity 1 --service api --parties acme,globex --started "$(at $((J - 3 * 86400)))" 2>/dev/null)
I2=$(as alice acme open --title "api down" --severity 1 --service api --parties acme,globex --started "$(at $((J + 60)))" 2>/dev/null)
sync_all alice:acme gina:globex
ACCORD_NOW=$(at $((J + 420)))
for i in "$I1" "$I2"; do q as gina globex note "$i" "looking"; done
ACCORD_NOW=$(at $((J + 1200)))
q as gina globex status "$I1" resolved
ACCORD_NOW=$(at $((J + 7200)))
q as gina globex status "$I2" resolved
sync_all gina:globex alice:acme
unset ACCORD_NOW
fresh
expect 0 as alice fresh show "$I1" --json
equal "$(echo "$OUT" | jget "[[k['state'], k['from_terms'], k['from'] == '$JA'] for c in d['clocks'] if c['party'] == 'globex' for k in c['clocks']]")" \
	'[["met", false, false], ["met", true, true], ["met", true, true]]' \
	"retro_start: an outage filed as started 3 days before the terms is measured from their co-signature"
expect 0 as alice fresh show "$I1"
contains "$OUT" "from the terms' co-signature (the impact began $(at $((J - 3 * 86400))), before them)" "retro_start: show says where the clock starts, and why"
expect 0 as alice fresh show "$I2" --json
equal "$(echo "$OUT" | jget "[[k['state'], k['from_terms']] for c in d['clocks'] if c['party'] == 'globex' for k in c['clocks']][1:]")" \
	'[["missed", false], ["missed", false]]' "retro_start: one that began after the terms runs from its start"
expect 0 as alice fresh report --format json
equal "$(echo "$OUT" | psla)" '[[4, 6, 0]]' "retro_start: the report counts one outage met, the other missed"
test_case namesake_terms
base namesake_terms late
then_back # all but the outages
g2_idle
join_initech
# initech, acme's invitee, agrees strict api terms with globex
IT=$(as ivan initech agreement propose --with globex --service api --acknowledge 5m --mitigate 30m --restore 1h 2>/dev/null)
sync_all ivan:initech gina:globex
q as gina globex cosign "$IT"
sync_all gina:globex ivan:initech
# globex's idle admin device, which never saw initech join, invites a party of the same name
mkkey sock
q as g2 g2repo party invite initech --key "$(pub sock)"
q accord clone "$W/g2repo" "$W/sockrepo" --ledger "$LEDGER"
q as sock sockrepo party accept initech --ledger "$LEDGER"
SF=$($FORGE keyid "$W/k-sock/key.pub" | cut -d' ' -f2)
# the idle device takes the namesake's acceptance, and nothing else, ever
git -C "$W/g2repo" fetch -q "$W/sockrepo" "refs/accord/feeds/$SF:refs/accord/feeds/$SF" || bad "fetch the acceptance"
for k in g2:g2repo sock:sockrepo; do
	F=$($FORGE keyid "$W/k-${k%%:*}/key.pub" | cut -d' ' -f2)
	git -C "$W/${k#*:}" push -q "$W/hub.git" "refs/accord/feeds/$F:refs/accord/feeds/$F" || bad "push ${k#*:}"
done
git -C "$W/sockrepo" remote set-url origin "$W/hub.git"
sync_all sock:sockrepo gina:globex
expect 0 as gina globex party list --json
equal "$(echo "$OUT" | jget "sorted(p['invited_by'] for p in d if p['name'] == 'initech')")" '["acme", "globex"]' "namesake_terms: two parties are named initech"
# the namesake agrees 30-day terms with globex for the same scope, and pads globex's row
SG=$(as sock sockrepo agreement propose --with globex --service api --acknowledge 30d --mitigate 30d --restore 30d 2>/dev/null)
sync_all sock:sockrepo gina:globex
q as gina globex cosign "$SG"
sync_all gina:globex sock:sockrepo ivan:initech
now_again
S=$(date +%s)
ID=$(as ivan initech open --title "api down" --severity 1 --service api --parties initech,globex --started "$(at $((S - 7200)))" 2>/dev/null)
sync_all ivan:initech gina:globex
q as gina globex status "$ID" resolved
for n in 1 2; do
	P=$(as sock sockrepo open --title "pad $n" --severity 1 --service api --parties initech,globex 2>/dev/null)
	sync_all sock:sockrepo gina:globex
	q as gina globex status "$P" resolved
	sync_all gina:globex sock:sockrepo
	q as sock sockrepo feedback "$P" --score 5 --response "p$n"
done
# the idle device, seeing no other initech, opens one facing the name, and
# the namesake scores it (attack44 02)
P=$(as g2 g2repo open --title "probe" --severity 1 --service api --parties initech,globex 2>/dev/null)
F=$($FORGE keyid "$W/k-g2/key.pub" | cut -d' ' -f2)
git -C "$W/g2repo" push -q "$W/hub.git" "refs/accord/feeds/$F:refs/accord/feeds/$F" || bad "push g2repo"
sync_all gina:globex sock:sockrepo
q as gina globex status "$P" resolved
sync_all gina:globex sock:sockrepo
q as sock sockrepo feedback "$P" --score 5 --response p3
sync_all sock:sockrepo gina:globex ivan:initech alice:acme
fresh
expect 0 as alice fresh show "$ID" --json
equal "$(echo "$OUT" | jget "[[c['agreement']['id'][:12], [k['state'] for k in c['clocks']]] for c in d['clocks'] if c['party'] == 'globex']")" \
	"[[\"$IT\", [\"met\", \"missed\", \"missed\"]]]" "namesake_terms: initech's outage is measured on the terms initech agreed, not its namesake's"
expect 0 as alice fresh report --format json
equal "$(echo "$OUT" | jget "[[p['admitted'], p['incidents'], p['sla']['met'], p['sla']['measured']] for p in d['providers'] if p['party'] == 'globex']")" \
	'[[false, 1, 1, 3], [true, 3, 9, 9]]' "namesake_terms: the incidents only the namesake wrote on are in globex's row apart, initech's misses in its own"
test_case recosign_idle
base recosign_idle late
then_back
mkkey g2
q as gina globex member add --key "$(pub g2)" --name gina2 --admin
q as gina globex sync
AG=$(as alice acme agreement propose --with globex --service api --acknowledge 5m --mitigate 30m --restore 1h 2>/dev/null)
q as alice acme sync
# globex's second device takes its copy with the proposal, before globex co-signs
q accord clone "$W/hub.git" "$W/g2repo" --ledger "$LEDGER"
sync_all gina:globex
q as gina globex cosign "$AG"
sync_all gina:globex alice:acme
expect 0 as alice acme agreement list --json
JA=$(echo "$OUT" | jget 'd["agreements"][0]["joint_at"]')
now_again
S=$(date +%s)
ID=$(as alice acme open --title "api down" --severity 1 --service api --parties acme,globex --started "$(at $((S - 7200)))" 2>/dev/null)
sync_all alice:acme gina:globex
q as gina globex status "$ID" resolved
sync_all gina:globex alice:acme
# after the outage it missed, globex co-signs the same terms again from that
# device: its short chain sorts the co-signature first, dated today
q as g2 g2repo cosign "$AG"
F=$($FORGE keyid "$W/k-g2/key.pub" | cut -d' ' -f2)
git -C "$W/g2repo" push -q "$W/hub.git" "refs/accord/feeds/$F:refs/accord/feeds/$F" || bad "push g2repo"
sync_all gina:globex alice:acme
fresh
expect 0 as alice fresh agreement list --json
equal "$(echo "$OUT" | jget '[d["agreements"][0]["joint_at"], d["agreements"][0]["cosigned_by"] != None]')" "[\"$JA\", true]" \
	"recosign_idle: the terms took effect at the first co-signature, whichever sorts first"
expect 0 as alice fresh show "$ID" --json
equal "$(echo "$OUT" | jget "[[c['agreement'] and c['agreement']['id'][:12]] + [k['state'] for k in c['clocks']] for c in d['clocks'] if c['party'] == 'globex']")" \
	"[[\"${AG%"${AG#????????????}"}\", \"met\", \"missed\", \"missed\"]]" "recosign_idle: acme's outage, which saw the first co-signature, stays measured on the terms"

test_case namesake_provider
# its own ledger: acme's second admin device takes its copy before globex is invited
W="$T/namesake_provider"
new_ledger alice alice2 gina fakeg
q as alice acme remote add hub "$W/hub.git"
q as alice acme member add --key "$(pub alice2)" --name alice2 --admin
q as alice acme sync
q accord clone "$W/hub.git" "$W/a2" --ledger "$LEDGER"
q as alice acme party invite globex --key "$(pub gina)"
q as alice acme sync
q accord clone "$W/hub.git" "$W/globex" --ledger "$LEDGER"
q as gina globex party accept globex --ledger "$LEDGER"
sync_all gina:globex alice:acme
# acme proposes terms to globex, which does not sign them
AG=$(as alice acme agreement propose --with globex --service api --acknowledge 5m --mitigate 30m --restore 1h 2>/dev/null)
sync_all alice:acme gina:globex
# the idle device invites a second "globex", which co-signs them (stock tools: the CLI refuses)
q as alice2 a2 party invite globex --key "$(pub fakeg)"
q accord clone "$W/a2" "$W/fakeg" --ledger "$LEDGER"
git -C "$W/fakeg" remote set-url origin "$W/hub.git"
q as fakeg fakeg party accept globex --ledger "$LEDGER"
for k in alice2:a2 fakeg:fakeg; do
	F=$($FORGE keyid "$W/k-${k%%:*}/key.pub" | cut -d' ' -f2)
	git -C "$W/${k#*:}" push -q "$W/hub.git" "refs/accord/feeds/$F:refs/accord/feeds/$F" || bad "push ${k#*:}"
done
q as fakeg fakeg sync
AGF=$(as fakeg fakeg agreement list --json | jget 'd["agreements"][0]["id"]')
$FORGE sshkey "$W/k-fakeg" "$W/ssh-fakeg" || bad "sshkey fakeg"
$FORGE entry "$W/fakeg" "$W/ssh-fakeg" --type cosign --body "{\"proposal\":\"$AGF\"}" >/dev/null || bad "forge cosign"
F=$($FORGE keyid "$W/k-fakeg/key.pub" | cut -d' ' -f2)
expect 1 git -C "$W/fakeg" push -q "$W/hub.git" "refs/accord/feeds/$F:refs/accord/feeds/$F"
contains "$ERR" "this co-signature is of another party of that name" "namesake_provider: the hub refuses a co-signature by the provider's namesake"
# a hub without the hook takes it: every copy still refuses it
rm -f "$W/hub.git/hooks/pre-receive"
git -C "$W/fakeg" push -q "$W/hub.git" "refs/accord/feeds/$F:refs/accord/feeds/$F" || bad "push without the hook"
fresh
expect 0 as alice fresh agreement list --json
equal "$(echo "$OUT" | jget '[[a["id"][:12], a["state"], a["joint_at"]] for a in d["agreements"]]')" \
	"[[\"${AG%"${AG#????????????}"}\", \"proposed\", null]]" "namesake_provider: the terms globex never signed are not in force on any copy"
finish

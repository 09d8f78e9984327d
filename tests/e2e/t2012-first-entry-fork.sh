# A key that forks at its very first entry, before any entry of it counts
# (an invited root that runs `party accept` on two machines, a party's
# recovery key used from two copies of its offline folder), is proven the
# same way as any fork, and the proof travels through every hub's hook:
# a copy that took both sides and a fresh clone of either hub agree
# (attack127 01). Before, the hook refused the proof ("key ... is of no
# party of this ledger"): the copies disagreed on who joined, or who was
# root, and the copy holding the proof failed every sync.
. "$(dirname "$0")/lib.sh"
unset SSH_AUTH_SOCK
for k in alice bob gus y; do newkey $k; done
pub() { accord --home "$T/$1" key show | tail -1; }
mkhub() {
	git init -q --bare "$T/$1"
	printf '#!/bin/sh\nexec "%s" hook pre-receive\n' "$ACCORD_BIN" >"$T/$1/hooks/pre-receive"
	chmod +x "$T/$1/hooks/pre-receive"
}
a() { h=$1; shift; accord --home "$T/$h" "$@"; }
view() { { a alice -C "$1" party list; a alice -C "$1" member list; a alice -C "$1" list; } 2>/dev/null; }
evidence() { git -C "$1" for-each-ref refs/accord/evidence/ | wc -l; }

# setup NAME: acme (root alice, recovery REC) invites globex (gus), on a hub and its mirror
setup() {
	export ACCORD_NOW=2026-01-10T10:00:00Z
	rm -rf "$T/hub" "$T/hub2" "$T/alice-r" "$T/c1" "$T/c2" "$T/k1" "$T/rec" "$T/rec2" "$T/grec" "$T/grec2" "$T/gus2"
	new_machines
	mkhub hub
	expect 0 a alice -C "$T/alice-r" init --party acme --recovery "$T/rec"
	expect 0 a alice -C "$T/alice-r" remote add origin "$T/hub"
	expect 0 a alice -C "$T/alice-r" member add --key "$(pub bob)" --name bob
	expect 0 a alice -C "$T/alice-r" party invite globex --key "$(pub gus)" --name gus
	expect 0 a alice -C "$T/alice-r" sync
	LID=$(git -C "$T/alice-r" config accord.ledger)
	git clone -q --mirror "$T/hub" "$T/hub2"
	cp "$T/hub/hooks/pre-receive" "$T/hub2/hooks/"
	cp -r "$T/gus" "$T/gus2"
	cp -r "$T/rec" "$T/rec2"
	export ACCORD_NOW=2026-01-10T11:00:00Z
}

# alice takes in both sides, then both hubs must take the proof, and agree with her copy
judged_alike() {
	resync() { "$@" >/dev/null 2>&1; }
	resync a alice -C "$T/alice-r" sync origin
	expect 0 a alice -C "$T/alice-r" remote add h2 "$T/hub2"
	resync a alice -C "$T/alice-r" sync h2
	resync a alice -C "$T/alice-r" sync origin
	N=$(evidence "$T/alice-r")
	[ "$N" -gt 0 ] && ok || bad "alice's copy holds the proof"
	equal "$(evidence "$T/hub") $(evidence "$T/hub2")" "$N $N" "both hubs took the proof through their hook"
	expect 0 a alice clone "$T/hub" "$T/k1"
	equal "$(view "$T/k1")" "$(view "$T/alice-r")" "a fresh clone of the hub agrees with the copy that found the fork"
}

test_case accept_twice
setup
expect 0 a gus clone "$T/hub" "$T/c1"
expect 0 a gus -C "$T/c1" party accept globex --ledger "$LID" --recovery "$T/grec"
expect 0 a gus -C "$T/c1" sync
expect 0 a gus2 clone "$T/hub2" "$T/c2"
expect 0 a gus2 -C "$T/c2" party accept globex --ledger "$LID" --recovery "$T/grec2"
expect 0 a gus2 -C "$T/c2" sync
judged_alike
# attack127 02: the inviter's admin saw the first accept first-hand (its sync's checkpoint
# depends on it): that side counts, globex joins, and its recovery key is the first's
state() { a alice -C "$1" party list --json | jget "[p['state'] for p in d if p['name'] == 'globex']"; }
equal "$(state "$T/alice-r") $(state "$T/k1")" '["joined"] ["joined"]' "globex joins on every copy, with one accept"
a gus2 -C "$T/c2" sync >/dev/null 2>&1 # takes the proof: exit 3
expect 1 a gus2 -C "$T/c2" party recover globex --recovery "$T/grec2" --key "$(pub y)" --name gus --offline
contains "$ERR" "not the recovery key" "the other accept's recovery key is not globex's"

test_case recovery_twice
setup
expect 0 a alice -C "$T/alice-r" party recover acme --recovery "$T/rec" --key "$(pub y)" --name alice
expect 0 a alice -C "$T/alice-r" sync
expect 0 a bob clone "$T/hub2" "$T/c2"
expect 0 a bob -C "$T/c2" party recover acme --recovery "$T/rec2" --key "$(pub gus)" --name alice --offline
expect 0 git -C "$T/c2" push -q "$T/hub2" 'refs/accord/*:refs/accord/*'
judged_alike

# attack128 02: the hub operator plants an evidence ref that proves nothing (git update-ref, no
# hook): syncs say it is the remote's ref, refused, and name no member's feed as refused
test_case junk_evidence
setup
A_TIP=$(git -C "$T/hub" for-each-ref --format='%(objectname) %(refname:lstrip=3)' refs/accord/feeds/ | head -1)
git -C "$T/hub" update-ref "refs/accord/evidence/${A_TIP#* }/${A_TIP%% *}" "${A_TIP%% *}"
expect 3 a alice -C "$T/alice-r" sync origin
contains "$ERR" "refused its evidence ref refs/accord/evidence/${A_TIP#* }" "sync names the remote's ref"
case "$ERR" in *"refused feed"*) bad "sync blames a member's feed: $ERR" ;; *) ok ;; esac
expect 0 a alice clone "$T/hub" "$T/k1"
case "$ERR" in *"feed with entries that do not count"*) bad "clone blames a feed: $ERR" ;; *) ok ;; esac
finish

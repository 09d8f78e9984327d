# Revocation holds, and holds only what it names (issue 13, item 2): a revoked
# key's entries past its cut are set aside, shown as excluded, and travel; an
# entry of another party that saw them counts on its own, on every copy and
# path, whatever order entries arrived in. Nothing set aside carries anything
# through a rule reference: a key it added, a cosign it signed.
. "$(dirname "$0")/lib.sh"
FORGE="/usr/bin/python3 $(cd "$(dirname "$0")" && pwd)/forge/forge.py"
forge() { $FORGE "$@" || bad "forge $*"; }
unset SSH_AUTH_SOCK

for k in alice dave bob gina; do newkey $k; done
pub() { accord --home "$T/$1" key show | tail -1; }
kid() { accord --home "$T/$1" key show --json | jget 'd["id"]'; }
ALICE=$(kid alice) DAVE=$(kid dave) BOB=$(kid bob) GINA=$(kid gina)
HUB="$T/hub.git" A="$T/a" BC="$T/bobcopy" G="$T/gcopy"
git init -q --bare "$HUB"
printf '#!/bin/sh\nexec "%s" hook pre-receive\n' "$ACCORD_BIN" >"$HUB/hooks/pre-receive"
chmod +x "$HUB/hooks/pre-receive"
a() { accord --home "$T/alice" -C "$A" "$@"; }
b() { accord --home "$T/bob" -C "$BC" "$@"; }
g() { accord --home "$T/gina" -C "$G" "$@"; }
tip() { git -C "$1" rev-parse "refs/accord/feeds/$2"; }
idof() { git -C "$1" cat-file commit "$2" | sed '1,/^$/d' | tr -d '\n' | sha256sum | cut -c1-64; }
has() { git -C "$1" merge-base --is-ancestor "$2" "refs/accord/feeds/$3" 2>/dev/null; }

# --- acme (alice, dave an admin, bob) and globex (gina) share an incident ------
expect 0 accord --home "$T/alice" init --party acme --title "revocation holds" "$A"
expect 0 a remote add hub "$HUB"
expect 0 a member add --key "$(pub dave)" --name dave --admin
expect 0 a member add --key "$(pub bob)" --name bob
expect 0 a party invite globex --key "$(pub gina)"
expect 0 a sync --no-checkpoint
expect 0 accord --home "$T/gina" clone "$HUB" "$G"
expect 0 g party accept globex
expect 0 g sync --no-checkpoint
expect 0 a sync --no-checkpoint
expect 0 a open --title "Checkout down" --severity 2 --service checkout --parties acme,globex
INC=$OUT
expect 0 a sync --no-checkpoint
expect 0 accord --home "$T/bob" clone "$HUB" "$BC"
expect 0 b note "$INC" "bob before"
expect 0 b sync --no-checkpoint
expect 0 accord --home "$T/dave" -C "$A" sync --no-checkpoint
expect 0 accord --home "$T/dave" -C "$A" note "$INC" "dave before"
expect 0 a sync --no-checkpoint
expect 0 g sync --no-checkpoint
BASE="$T/base.git"
git clone -q --bare --mirror "$HUB" "$BASE"
git -C "$BASE" config accord.ledger "$(git -C "$A" config accord.ledger)"

# --- alice revokes bob; bob, not synced, writes; globex builds on it ----------
expect 0 a member revoke bob
expect 0 a sync --no-checkpoint
CUT=$(git -C "$A" log -1 --format=%B "refs/accord/feeds/$ALICE" | jget 'd["body"]["cut"]')
equal "$CUT" 1 "the cut is bob's last entry alice had seen"
expect 0 b note "$INC" "bob unaware"
expect 0 b status "$INC" mitigated
BOBNOTE=$(git -C "$BC" rev-parse "refs/accord/feeds/$BOB~1") BOBSTATUS=$(tip "$BC" "$BOB")
# gina syncs from bob's copy (it does not hold the revocation) and writes on it
expect 0 g remote add bob "$BC"
expect 0 g sync bob --no-checkpoint
expect 0 g note "$INC" "globex saw bob's status"
# gina's copy has checked bob's entries and remembers them (issue 14: the memo
# of commits that passed pass 1); the revocation that arrives later must still
# set them aside there (the verdicts below, on every copy)
[ -s "$G/.git/accord/sigcache" ] && ok || bad "gina's copy keeps no memo of the commits it checked"
GNOTE=$(tip "$G" "$GINA")
equal "$(git -C "$G" log -1 --format=%B "$GNOTE" | jget "'$(idof "$G" "$BOBSTATUS")' in d['deps']")" true \
	"gina's note depends on bob's status, past his cut"
expect 0 g status "$INC" identified
GSTATUS=$(tip "$G" "$GINA")
# the hook still refuses what is pending: gina's feed alone, its deps not on the hub
expect 1 git -C "$G" push -q "$HUB" "refs/accord/feeds/$GINA:refs/accord/feeds/$GINA"
contains "$ERR" "pending" "the hook refuses gina's entries while bob's they depend on are missing"
if has "$HUB" "$GNOTE" "$GINA"; then bad "the refused push moved gina's feed on the hub"; else ok; fi
# gina's sync takes the revocation and carries bob's feed to the hub: the hook takes it
expect 0 g sync origin --no-checkpoint
equal "$(tip "$HUB" "$BOB")" "$BOBSTATUS" "the hook takes bob's feed with its entries set aside"
equal "$(tip "$HUB" "$GINA")" "$GSTATUS" "the hook takes gina's entries that rest on them"
expect 0 b sync --no-checkpoint
expect 0 a sync --no-checkpoint
expect 0 g sync origin --no-checkpoint

# verdict REPO: what every path of copy REPO says, in one line
verdict() {
	r=$1
	s=$(accord -C "$r" show "$INC" --json 2>/dev/null)
	printf 'show:%s' "$(echo "$s" | jget "','.join(sorted(e['id'][:8] for e in d['timeline'] if e['id'] in ('$(idof "$HUB" "$GNOTE")', '$(idof "$HUB" "$BOBNOTE")', '$(idof "$HUB" "$BOBSTATUS")', '$(idof "$HUB" "$GSTATUS")')))")"
	printf ' status:%s' "$(echo "$s" | jget 'd["status"]')"
	printf ' log:%s' "$(accord -C "$r" log --json 2>/dev/null | jget "','.join(sorted(e['commit'][:8] for e in d if e['commit'] in ('$GNOTE', '$BOBNOTE', '$BOBSTATUS', '$GSTATUS')))")"
	printf ' audit:%s' "$(accord -C "$r" audit --json --no-record 2>/dev/null | jget "','.join(sorted(f['kind'] + '@' + (f['commit'] or '')[:8] for f in d['findings'] + d['set_aside']))")"
	printf ' report:%s\n' "$(accord -C "$r" report --format json 2>/dev/null | jget "','.join(sorted(x['feed'][:8] + '@' + (x['from_commit'] or 'null')[:8] for x in d['verification']['excluded']))")"
}
G8=$(echo "$GNOTE" | cut -c1-8) S8=$(echo "$GSTATUS" | cut -c1-8) BN8=$(echo "$BOBNOTE" | cut -c1-8)
GI8=$(idof "$HUB" "$GNOTE" | cut -c1-8) SI8=$(idof "$HUB" "$GSTATUS" | cut -c1-8)
WANT="show:$(printf '%s\n%s\n' "$GI8" "$SI8" | sort | paste -sd,) status:identified log:$(printf '%s\n%s\n' "$G8" "$S8" | sort | paste -sd,) audit:past-cut@$BN8 report:$(echo "$BOB" | cut -c1-8)@$BN8"
for r in "$A" "$BC" "$G" "$HUB"; do
	equal "$(verdict "$r")" "$WANT" "$(basename "$r"): globex's entries count, bob's past the cut are set aside"
	if has "$r" "$BOBSTATUS" "$BOB"; then ok; else bad "$(basename "$r"): bob's entries past the cut are kept, not lost"; fi
done
expect 0 a show "$INC"
case "$OUT" in *"bob unaware"*) bad "show prints bob's note past the cut" ;; *) ok ;; esac
contains "$OUT" "globex saw bob's status" "show prints globex's note"
contains "$ERR" "left out" "show says it left entries out"
expect 0 a audit --json --no-record
equal "$(echo "$OUT" | jget '[f["kind"] for f in d["findings"]]')" "[]" "audit finds no fault"
expect 0 a report --format json
equal "$(echo "$OUT" | jget 'd["verification"]["status"]')" partial "report says entries are left out"
# a fresh clone, and a copy whose index is rebuilt from scratch, say the same
rm -rf "$T/clone"
expect 0 accord clone "$HUB" "$T/clone"
equal "$(verdict "$T/clone")" "$WANT" "a fresh clone agrees"
rm -rf "$G/accord/index"
equal "$(verdict "$G")" "$WANT" "a rebuilt index agrees"

# --- arrival orders: the same entries in two orders, read between arrivals ------
# Each step is read (show warms the index, which then catches up), so the index
# path meets every intermediate state; the end state must be the one above.
arrive() { # arrive COPY FEED...: fetch those feeds from the hub, then read
	c=$1
	shift
	for f in "$@"; do git -C "$c" fetch -q "$HUB" "+refs/accord/feeds/$f:refs/accord/feeds/$f"; done
	accord -C "$c" show "$INC" >/dev/null 2>&1
	accord -C "$c" log >/dev/null 2>&1
}
for order in "$ALICE $BOB $GINA" "$BOB $GINA $ALICE" "$GINA $BOB $ALICE"; do
	rm -rf "$T/order.git"
	cp -r "$BASE" "$T/order.git"
	accord -C "$T/order.git" show "$INC" >/dev/null 2>&1
	set -- $order
	# a feed fetched alone may wait on one still to come: pending, never a fault
	arrive "$T/order.git" "$1"
	arrive "$T/order.git" "$2"
	arrive "$T/order.git" "$3"
	equal "$(verdict "$T/order.git")" "$WANT" "arrival order $(echo "$order" | cut -c1-4),...: the same verdicts"
done

# --- a revoked admin backdates a member-add; another party's member vouches ------
# dave, revoked, signs a member-add with no revocation in its past, as if before
# it; gina (globex) colludes and depends on it. Her note counts on its own, but
# what it saw stays set aside: the key it adds is no member and cannot act.
for k in dave gina bob; do forge sshkey "$T/$k" "$T/$k.ssh"; done
ssh-keygen -q -t ed25519 -N '' -C mallory -f "$T/mallory" </dev/null
ssh-keygen -q -t ed25519 -N '' -C trudy -f "$T/trudy" </dev/null
MALLORY_PK=$($FORGE keyid "$T/mallory.pub" | cut -d' ' -f1) MALLORY=$($FORGE keyid "$T/mallory.pub" | cut -d' ' -f2)
TRUDY_PK=$($FORGE keyid "$T/trudy.pub" | cut -d' ' -f1)
INCID=$(git -C "$HUB" log --format=%B -1 "refs/accord/feeds/$GINA" | jget 'd["incident"]')
N="$T/n.git"
rm -rf "$N"
git clone -q --bare --mirror "$HUB" "$N"
new_machines
git -C "$N" config accord.ledger "$(git -C "$A" config accord.ledger)"
expect 0 accord --home "$T/alice" -C "$N" member revoke dave
BACK=$(git -C "$N" log -1 --format=%ct "refs/accord/feeds/$DAVE")
ADD=$(forge entry "$N" "$T/dave.ssh" --type member-add --extra '{"incident":null}' --deps none --time "$BACK" \
	--body "{\"key\":\"$MALLORY_PK\",\"member\":\"mallory\",\"admin\":true}")
VOUCH=$(forge entry "$N" "$T/gina.ssh" --type note --incident "$INCID" --deps "$(idof "$N" "$ADD")" \
	--body '{"text":"gina vouches for mallory"}')
MNOTE=$(forge entry "$N" "$T/mallory" --type note --incident "$INCID" --body '{"text":"mallory was let in"}' \
	--admission "$(idof "$N" "$ADD")")
MADD=$(forge entry "$N" "$T/mallory" --type member-add --extra '{"incident":null}' \
	--body "{\"key\":\"$TRUDY_PK\",\"member\":\"trudy\",\"admin\":true}")
# collusion verdict REPO: what counts of it, in one line
collusion() {
	printf 'vouch:%s' "$(accord -C "$1" log --json 2>/dev/null | jget "'$VOUCH' in [e['commit'] for e in d]")"
	printf ' members:%s' "$(accord -C "$1" member list --json 2>/dev/null | jget "','.join(sorted(m['member'] for m in d if m['active']))")"
	printf ' aside:%s' "$(accord -C "$1" audit --json --no-record 2>/dev/null | jget "','.join(sorted(f['kind'] + '@' + (f['commit'] or '')[:8] for f in d['set_aside'] if f['commit'] in ('$ADD', '$MNOTE', '$VOUCH')))")"
	printf ' faults:%s\n' "$(accord -C "$1" audit --json --no-record 2>/dev/null | jget 'len(d["findings"])')"
}
A8=$(echo "$ADD" | cut -c1-8) M8=$(echo "$MNOTE" | cut -c1-8)
CWANT="vouch:true members:alice,gina aside:$(printf 'past-cut@%s\npast-cut@%s\n' "$A8" "$M8" | sort | paste -sd,) faults:0"
equal "$(collusion "$N")" "$CWANT" "backdated member-add: gina's vouch counts, mallory is no member, both set aside"
expect 0 accord -C "$N" show "$INC"
case "$OUT" in *"mallory was let in"*) bad "backdated member-add: show prints mallory's note" ;; *) ok ;; esac
contains "$OUT" "gina vouches" "backdated member-add: show prints gina's note"
# the hooked hub takes it all (set aside, not faults) and says the same; so does a clone
rm -rf "$T/hub2.git"
cp -r "$HUB" "$T/hub2.git"
expect 0 git -C "$N" push -q "$T/hub2.git" 'refs/accord/feeds/*:refs/accord/feeds/*'
equal "$(collusion "$T/hub2.git")" "$CWANT" "backdated member-add: the hub says the same"
rm -rf "$T/clone2"
expect 0 accord clone "$T/hub2.git" "$T/clone2"
equal "$(collusion "$T/clone2")" "$CWANT" "backdated member-add: a clone says the same"
rm -rf "$N/accord/index"
equal "$(collusion "$N")" "$CWANT" "backdated member-add: a rebuilt index says the same"
# the revoker herself then writes with the CLI: her note depends on gina's vouch,
# and so on the member-add. It must not raise dave's cut: she knew of the revocation
# (finding 05: the raise covers only a colleague's unaware work).
expect 0 accord --home "$T/alice" -C "$N" note "$INC" "alice saw gina's note"
equal "$(git -C "$N" log -1 --format=%B "refs/accord/feeds/$ALICE" | jget "'$(idof "$N" "$VOUCH")' in d['deps']")" true \
	"backdated member-add: the revoker's note depends on gina's vouch"
equal "$(collusion "$N")" "$CWANT" "backdated member-add: the revoker's later note raises no cut"
expect 0 accord -C "$N" member list
case "$OUT" in *mallory*) bad "backdated member-add: member list shows mallory after the revoker's note" ;; *) ok ;; esac

# --- a cosign past the cut makes nothing joint, even with another party on it ----
N="$T/n2.git"
rm -rf "$N"
git clone -q --bare --mirror "$HUB" "$N"
new_machines
git -C "$N" config accord.ledger "$(git -C "$A" config accord.ledger)"
expect 0 accord --home "$T/gina" -C "$N" resolve "$INC" --summary "cache stampede"
RES=$(idof "$N" "$(tip "$N" "$GINA")")
COS=$(forge entry "$N" "$T/bob.ssh" --type cosign --incident "$INCID" --body "{\"proposal\":\"$RES\"}")
# the CLI names only what counts in deps; a writer may name more, as forge does here
GON=$(forge entry "$N" "$T/gina.ssh" --type note --incident "$INCID" --deps "$(idof "$N" "$COS")" \
	--body '{"text":"globex on bob cosign"}')
equal "$(git -C "$N" log -1 --format=%B "$GON" | jget "'$(idof "$N" "$COS")' in d['deps']")" true \
	"cosign past the cut: gina's note depends on it"
state() { accord -C "$1" show "$INC" --json 2>/dev/null | jget 'd["resolution"]["state"] + " " + str(any(e["id"] == "'"$(idof "$N" "$GON")"'" for e in d["timeline"]))'; }
equal "$(state "$N")" "proposed True" "cosign past the cut: the resolution is not joint; gina's note counts"
expect 1 accord --home "$T/gina" -C "$N" status "$INC" closed
rm -rf "$T/clone3"
cp -r "$HUB" "$T/hub3.git"
expect 0 git -C "$N" push -q "$T/hub3.git" 'refs/accord/feeds/*:refs/accord/feeds/*'
expect 0 accord clone "$T/hub3.git" "$T/clone3"
equal "$(state "$T/clone3")" "proposed True" "cosign past the cut: a clone of the hooked hub agrees"
# the check can tell: alice's cosign makes it joint
expect 0 accord --home "$T/alice" -C "$N" cosign "$RES"
equal "$(state "$N")" "joint True" "cosign past the cut: alice's cosign makes it joint"

# --- another party cosigns what a revoked member proposed, unaware ---------------
# bob, past his cut and unaware, proposes; gina cosigns it. Her cosign is a decision
# of another party resting on his entry: it raises his cut to the proposal (TRUST.md
# attack 1, attack27 finding 06), which is joint; her action and revision count.
N="$T/n3.git"
rm -rf "$N"
git clone -q --bare --mirror "$HUB" "$N"
new_machines
git -C "$N" config accord.ledger "$(git -C "$A" config accord.ledger)"
BRES=$(forge entry "$N" "$T/bob.ssh" --type resolution --incident "$INCID" --deps none \
	--body '{"summary":"bob proposes","factors":[],"went_well":[],"went_wrong":[],"lucky":[],"actions":[{"text":"fix the cache","owners":["globex"]}]}')
GCOS=$(forge entry "$N" "$T/gina.ssh" --type cosign --incident "$INCID" --deps "$(idof "$N" "$BRES")" \
	--body "{\"proposal\":\"$(idof "$N" "$BRES")\"}")
GACT=$(forge entry "$N" "$T/gina.ssh" --type action --incident "$INCID" \
	--body "{\"resolution\":\"$(idof "$N" "$BRES")\",\"action\":1,\"state\":\"done\"}")
# a revision of it, as gina's CLI would write it on her unaware copy: a new proposal
GREV=$(forge entry "$N" "$T/gina.ssh" --type resolution --incident "$INCID" \
	--body "{\"summary\":\"gina revises\",\"factors\":[],\"went_well\":[],\"went_wrong\":[],\"lucky\":[],\"actions\":[],\"revises\":\"$(idof "$N" "$BRES")\"}")
expect 0 accord --home "$T/gina" -C "$N" note "$INC" "gina after her cosign"
GAFTER=$(tip "$N" "$GINA")
cosigned() {
	printf '%s' "$(accord -C "$1" log --json 2>/dev/null | jget "[c in [e['commit'] for e in d] for c in ('$BRES', '$GCOS', '$GACT', '$GREV', '$GAFTER')]")"
	printf ' %s' "$(accord -C "$1" show "$INC" --json 2>/dev/null | jget 'd["resolution"]["summary"] + "/" + d["resolution"]["state"]')"
	printf ' %s\n' "$(accord -C "$1" audit --json --no-record 2>/dev/null | jget "sorted(f['kind'] for f in d['findings'] + d['set_aside'] if f['commit'] in ('$BRES', '$GCOS', '$GACT', '$GREV', '$GAFTER'))")"
}
OWANT='[true, true, true, true, true] gina revises/proposed []' # raised over bob's first entry past the cut too
equal "$(cosigned "$N")" "$OWANT" "cosign of a proposal past the cut: it raises the cut to the proposal, gina's later work counts"
cp -r "$HUB" "$T/hub4.git"
expect 0 git -C "$N" push -q "$T/hub4.git" 'refs/accord/feeds/*:refs/accord/feeds/*'
equal "$(cosigned "$T/hub4.git")" "$OWANT" "cosign of a proposal past the cut: the hooked hub agrees"
if has "$T/hub4.git" "$BRES" "$BOB"; then ok; else bad "cosign of a proposal past the cut: the hub holds bob's proposal"; fi
rm -rf "$N/accord/index"
equal "$(cosigned "$N")" "$OWANT" "cosign of a proposal past the cut: a rebuilt index agrees"

# --- the same-party raise stays: a colleague of bob's builds on his unaware work --
# dave (acme) depends on bob's status past the cut: the cut is raised over it, and
# bob's unaware note and status count (TRUST.md attack 1), on the copy and the hub.
N="$T/n4.git"
rm -rf "$N"
git clone -q --bare --mirror "$HUB" "$N"
new_machines
git -C "$N" config accord.ledger "$(git -C "$A" config accord.ledger)"
DV=$(forge entry "$N" "$T/dave.ssh" --type note --incident "$INCID" --deps "$(idof "$N" "$BOBSTATUS")" \
	--body '{"text":"dave builds on bob"}')
raised() {
	printf '%s' "$(accord -C "$1" log --json 2>/dev/null | jget "[c in [e['commit'] for e in d] for c in ('$BOBNOTE', '$BOBSTATUS', '$DV', '$GNOTE')]")"
	printf ' %s\n' "$(accord -C "$1" audit --json --no-record 2>/dev/null | jget "sorted(f['kind'] for f in d['findings'] + d['set_aside'])")"
}
equal "$(raised "$N")" '[true, true, true, true] []' "same-party raise: bob's unaware entries count once a colleague builds on them"
cp -r "$HUB" "$T/hub5.git"
expect 0 git -C "$N" push -q "$T/hub5.git" 'refs/accord/feeds/*:refs/accord/feeds/*'
equal "$(raised "$T/hub5.git")" '[true, true, true, true] []' "same-party raise: the hooked hub agrees"

# --- the raise arriving at a copy whose index is warm, through another party ------
# dave depends on bob's set-aside status only through gina's status, which counts:
# the index's catch-up cannot append that, it must re-derive (TRUST.md attack 5).
N="$T/n5.git"
rm -rf "$N"
git clone -q --bare --mirror "$HUB" "$N"
new_machines
git -C "$N" config accord.ledger "$(git -C "$A" config accord.ledger)"
# gina, still unaware of the revocation, writes on until her clock is the ledger's
# highest, so dave's note sorts after everything held (the catch-up's simple path)
lamport() { git -C "$N" log -1 --format=%B "$1" | jget 'd["lamport"]'; }
TOP=$(for f in $(git -C "$N" for-each-ref --format='%(objectname)' refs/accord/feeds/); do lamport "$f"; done | sort -n | tail -1)
GTIP=$GSTATUS
while [ "$(lamport "$GTIP")" -lt "$TOP" ]; do
	GTIP=$(forge entry "$N" "$T/gina.ssh" --type note --incident "$INCID" --deps none --body '{"text":"gina writes on"}')
done
export ACCORD_HOME="$T/gina" # a key home, so the copy keeps an index
equal "$(raised "$N")" '[false, false, false, true] ["past-cut"]' "raise through another party: before it, bob's entries are set aside"
expect 0 accord -C "$N" show "$INC" # show reads through the index, and warms it
case "$OUT" in *"bob unaware"*) bad "raise through another party: show prints bob's note before the raise" ;; *) ok ;; esac
if [ -f "$N/accord/index/state" ]; then ok; else bad "raise through another party: the copy has an index"; fi
DV=$(forge entry "$N" "$T/dave.ssh" --type note --incident "$INCID" --deps "$(idof "$N" "$GTIP")" \
	--body '{"text":"dave builds on gina"}')
equal "$(raised "$N")" '[true, true, true, true] []' "raise through another party: the warm index's catch-up re-derives"
expect 0 accord -C "$N" show "$INC"
contains "$OUT" "bob unaware" "raise through another party: show on the warm copy prints bob's raised note"
rm -rf "$N/accord/index"
equal "$(raised "$N")" '[true, true, true, true] []' "raise through another party: a rebuilt index agrees"
unset ACCORD_HOME
finish

# A rotation contested by a copy of the key it retires (attack87 01), with the
# plain CLI, as a thief holding bob's old key home (an old laptop, a backup)
# and a ledger copy from before the rotation would play it. A rotation is
# signed by the key it retires, so until another member's entry depends on
# it, any copy of that key can fork it: both sides stop counting and bob's
# new key with them. The same entries, seen from outside, are a thief who
# stole bob's current key and rotated it to a key of its own, so no rule can
# pick the side; an admin of bob's party who knows which new key is his
# vouches for it (accord member vouch), and the thief's side stays out.
# Checked on every path: hook, sync, audit, show, member list, a fresh clone.
. "$(dirname "$0")/lib.sh"

HUB="$T/w/hub"
acc() { k=$1; shift; accord --home "$T/w/$k" -C "$T/w/$k.git" "$@"; }
alice() { acc alice "$@"; }
bob() { acc bob "$@"; }
dan() { acc dan "$@"; }
gina() { acc gina "$@"; }
thief() { acc thief "$@"; }
kid() { accord --home "$T/w/$1" key show --json | jget 'd["id"]'; }
clone() {
	accord clone "$HUB" "$T/w/$1.git" >/dev/null 2>&1 &&
		accord -C "$T/w/$1.git" remote add hub "$HUB" || bad "clone $1"
}
quiet() { "$@" >/dev/null 2>&1 || bad "$*"; }
# push_stale NAME: a restored copy pushes what it wrote (its sync exits 3 once it sees the fork)
push_stale() {
	acc "$1" remote add hub "$HUB" 2>/dev/null
	acc "$1" sync hub --no-checkpoint >/dev/null 2>&1
}
# a sync after the fork: it takes what the hub holds, and exits 3 while the fork stands
take() { acc "$1" sync hub --no-checkpoint >/dev/null 2>&1; }
# the feeds and kinds audit sets aside or finds, "feed:kind" sorted, on copy $1
aside() {
	accord -C "$T/w/$1.git" audit --json --no-record 2>/dev/null |
		jget "' '.join(sorted(set(f['feed'][:8] + ':' + f['kind'] for f in d['findings'] + d['set_aside'])))"
}
texts() { accord -C "$T/w/$1.git" show "$INC" --json 2>/dev/null | jget '[e["body"].get("text") for e in d["timeline"] if e["type"] == "note"]'; }
# the same, sorted: two sides of a fork with one clock sort by entry id
sorted_texts() { texts "$1" | jget 'sorted(d)'; }
active() { accord -C "$T/w/$1.git" member list --json 2>/dev/null | jget "[k['active'] for m in d for k in m['keys'] if k['key_id'] == '$2']"; }
# whether key $2 holds a seat on copy $1: a successor whose rotation a contest or a cut set
# aside may be listed, revoked, so that what partners built on it stands; it holds none
seated() { active "$1" "$2" | jget 'any(d)'; }

# world [at]: acme (alice, root; dan, a member; bob) and globex (gina) share
# a hub; bob opens an incident and writes a note, and the thief copies his
# key home and ledger; bob writes a second note and rotates ($OLD -> $NEW).
# With "at", the thief's copy is taken after the second note: its next entry
# has the rotation's seq; with "late", bob has not pushed the rotation yet
# (both may be given).
steal() { cp -a "$T/w/bob" "$T/w/thief" && cp -a "$T/w/bob.git" "$T/w/thief.git"; }
world() {
	rm -rf "$T/w" && mkdir -p "$T/w"
	git init -q --bare "$HUB"
	printf '#!/bin/sh\nexec "%s" hook pre-receive\n' "$ACCORD_BIN" >"$HUB/hooks/pre-receive"
	chmod +x "$HUB/hooks/pre-receive"
	for k in alice bob dan gina; do
		accord --home "$T/w/$k" key new --name "$k" --no-passphrase >/dev/null 2>&1 || bad "key new $k"
	done
	git init -q --bare "$T/w/alice.git"
	quiet alice init --party acme
	quiet alice remote add hub "$HUB"
	quiet alice member add --key "$T/w/bob/key.pub" --name bob
	quiet alice member add --key "$T/w/dan/key.pub" --name dan
	quiet alice party invite globex --key "$T/w/gina/key.pub"
	quiet alice sync hub
	for k in bob dan gina; do clone "$k"; done
	quiet gina party accept globex
	quiet gina sync hub
	quiet dan sync hub
	quiet bob sync hub
	INC=$(bob open --title "checkout down" --severity 2 --service web --parties acme,globex)
	quiet bob note "$INC" "bob: first note"
	quiet bob sync hub --no-checkpoint
	case " $* " in *" at "*) ;; *) steal ;; esac
	quiet bob note "$INC" "bob: second note"
	case " $* " in *" at "*) steal ;; esac
	OLD=$(kid bob)
	expect 0 bob key rotate --no-passphrase
	ROTATE_ERR=$ERR
	NEW=$(kid bob)
	quiet bob note "$INC" "bob: with the new key"
	case " $* " in *" late "*) return ;; esac
	quiet bob sync hub --no-checkpoint
	quiet alice sync hub --no-checkpoint # takes the rotation, vouches for nothing
}

# the thief writes below the rotation with the old key on its old copy, and
# pushes: the hub takes the second seq 3 as proof of equivocation
thief_forks() {
	expect 0 thief note "$INC" "thief: below the rotation"
	THIEF=$(git -C "$T/w/thief.git" rev-parse "refs/accord/feeds/$OLD")
	expect 3 thief sync hub --no-checkpoint
	for k in alice gina dan; do accord --home "$T/w/$k" -C "$T/w/$k.git" sync hub >/dev/null 2>&1; done
	expect 0 git -C "$HUB" cat-file -e "$THIEF"
}

test_case "the thief's fork stops the rotation from counting, on every copy"
world
contains "$ROTATE_ERR" "accord member vouch ${NEW%"${NEW#????????????}"}" \
	"key rotate says how long a copy of the old key can contest it, and the way back"
thief_forks
for c in alice gina; do
	contains " $(aside $c) " " ${OLD%"${OLD#????????}"}:equivocation " "$c: the fork is proven"
	contains " $(aside $c) " " ${NEW%"${NEW#????????}"}:past-cut " "$c: the new key rests on the rotation"
	equal "$(active $c "$NEW")" "[]" "$c: the new key is no member"
	equal "$(texts $c)" '["bob: first note"]' "$c: only what another key vouched for counts"
done
take bob
BEFORE=$(refs "$T/w/bob.git")
expect 3 bob note "$INC" "bob: after the fork"
contains "$ERR" "rotation" "bob is told his rotation does not count"
contains "$ERR" "accord member vouch ${NEW%"${NEW#????????????}"}" "bob is told the way back"
equal "$(refs "$T/w/bob.git")" "$BEFORE" "nothing written"

test_case "an admin of bob's party vouches for the rotation; the thief's side stays out"
world
thief_forks
take bob
BEFORE=$(refs "$T/w/gina.git")
expect 1 gina member vouch "$NEW"
contains "$ERR" "no admission or revocation of a key of globex" "another party's root cannot vouch for acme's rotation"
expect 1 dan member vouch "$NEW"
contains "$ERR" "only an admin of acme" "a member who is no admin cannot vouch"
expect 1 thief member vouch "$NEW"
contains "$ERR" "only an admin of acme" "the old key, bob's as a member, cannot vouch"
equal "$(refs "$T/w/gina.git")" "$BEFORE" "refused vouches write nothing"
expect 2 alice member vouch zz
expect 0 alice member vouch "${NEW%"${NEW#????????????}"}"
contains "$OUT" "is bob of acme again" "alice vouched for bob's new key"
equal "$(active alice "$NEW")" "[true]" "alice's copy counts the new key at once"
expect 1 alice member vouch "$NEW"
contains "$ERR" "nothing to vouch for" "a second vouch writes nothing"
expect 0 alice sync hub
for k in gina dan bob; do expect 0 acc "$k" sync hub --no-checkpoint; done
expect 0 bob note "$INC" "bob: after the vouch"
expect 0 bob sync hub --no-checkpoint
clone fresh
quiet gina sync hub --no-checkpoint
quiet alice sync hub --no-checkpoint
for c in alice gina fresh; do
	equal "$(texts $c)" '["bob: first note", "bob: second note", "bob: with the new key", "bob: after the vouch"]' \
		"$c: bob's side counts, the thief's note does not"
	equal "$(active $c "$NEW")" "[true]" "$c: the new key is bob's"
	equal "$(active $c "$OLD")" "[false]" "$c: the old key stays retired"
	equal "$(aside $c)" "${OLD%"${OLD#????????}"}:equivocation ${OLD%"${OLD#????????}"}:forked" \
		"$c: only the thief's entry is out"
done
expect 3 thief note "$INC" "thief: again"
expect 0 accord -C "$T/w/fresh.git" log
case "$OUT" in *"thief"*) bad "the thief's note is in the fresh clone's log" ;; *) ok ;; esac

test_case "a rival rotation by the thief: the admin names the new key, accord does not choose"
world
expect 0 thief note "$INC" "thief: below the rotation"
expect 0 thief key rotate --no-passphrase
MALLORY=$(kid thief)
expect 0 acc thief note "$INC" "thief: as mallory"
expect 3 thief sync hub --no-checkpoint
for k in alice gina; do accord --home "$T/w/$k" -C "$T/w/$k.git" sync hub >/dev/null 2>&1; done
take bob
equal "$(seated alice "$MALLORY")" false "the thief's successor is no member"
expect 2 alice member vouch "$OLD"
contains "$ERR" "matches 2 admissions" "two rotations of the old key: alice must choose"
contains "$ERR" "$MALLORY" "the thief's successor is listed"
contains "$ERR" "$NEW" "bob's successor is listed"
expect 0 alice member vouch "$NEW"
expect 0 alice sync hub
take gina
take bob
for c in alice gina; do
	equal "$(active $c "$NEW")" "[true]" "$c: bob's successor counts"
	equal "$(seated $c "$MALLORY")" false "$c: the thief's successor is no member"
	contains "$(texts $c)" "bob: with the new key" "$c: bob's new key's note counts"
	case "$(texts $c)" in *thief*) bad "$c: a thief's note counts" ;; *) ok ;; esac
done
expect 0 bob note "$INC" "bob: after the vouch"
quiet thief sync hub --no-checkpoint
expect 3 thief note "$INC" "thief: as mallory, again"

test_case "a checkpoint that depends on the rotation settles it before a fork that gives no authority"
world
quiet gina sync hub # globex's ordinary sync depends on the rotation; the thief's side has a note only
thief_forks
equal "$(active alice "$NEW")" "[true]" "a partner's checkpoint settles a rotation no other side contests"
world
quiet alice sync hub # acme's root's ordinary sync depends on the rotation
thief_forks
for c in alice gina; do
	equal "$(active $c "$NEW")" "[true]" "$c: the vouched rotation stands"
	equal "$(aside $c)" "${OLD%"${OLD#????????}"}:equivocation ${OLD%"${OLD#????????}"}:forked" \
		"$c: only the thief's entry is out"
	case "$(texts $c)" in *thief*) bad "$c: the thief's note counts" ;; *) ok ;; esac
done
take bob
expect 0 bob note "$INC" "bob: no vouch needed"
expect 1 alice member vouch "$NEW"
contains "$ERR" "nothing to vouch for" "nothing to vouch for once the rotation counts"

test_case "a copy of the old key writing at the rotation's own seq is settled the same way"
world at
expect 0 thief note "$INC" "thief: at the rotation's seq"
expect 3 thief sync hub --no-checkpoint
take alice
equal "$(active alice "$NEW")" "[]" "the rotation is contested"
expect 0 alice member vouch "$NEW"
equal "$(active alice "$NEW")" "[true]" "vouched for, it counts"
equal "$(texts alice)" '["bob: first note", "bob: second note", "bob: with the new key"]' \
	"bob's side counts, the thief's note does not"

test_case "the thief's side reached the hub first: bob's side is the evidence, and is vouched for"
world late
expect 0 thief note "$INC" "thief: below the rotation"
THIEF=$(git -C "$T/w/thief.git" rev-parse "refs/accord/feeds/$OLD")
expect 0 thief sync hub --no-checkpoint # no fork yet: the hub has not seen bob's seq 3
# honest members sync before bob does: their checkpoints depend on the thief's note
for k in alice gina; do expect 0 acc "$k" sync hub; done
expect 3 bob sync hub --no-checkpoint
take alice
equal "$(git -C "$T/w/alice.git" rev-parse "refs/accord/feeds/$OLD")" "$THIEF" "the thief's note is on the feed, bob's side is evidence"
equal "$(active alice "$NEW")" "[]" "the rotation is contested"
expect 0 alice member vouch "$NEW"
expect 0 alice sync hub
take gina
take bob
clone fresh
for c in alice gina fresh; do
	equal "$(active $c "$NEW")" "[true]" "$c: bob's successor counts"
	# both sides are vouched for: the thief's note, by checkpoints of members who could not
	# know, counts as any vouched side of a fork that gives no authority does
	equal "$(sorted_texts $c)" '["bob: first note", "bob: second note", "bob: with the new key", "thief: below the rotation"]' \
		"$c: bob's side counts, from the evidence"
done
expect 0 bob note "$INC" "bob: after the vouch"
take thief
expect 3 thief note "$INC" "thief: again"

test_case "a rival rotation shown to a partner first, through a second hub, gives the thief no seat"
world at
HUB2="$T/w/hub2"
git init -q --bare "$HUB2" && cp "$HUB/hooks/pre-receive" "$HUB2/hooks/"
expect 0 thief key rotate --no-passphrase
MALLORY=$(kid thief)
expect 0 thief note "$INC" "thief: as bob, on the second hub"
quiet thief remote add hub2 "$HUB2"
expect 0 thief sync hub2 --no-checkpoint
quiet gina remote add hub2 "$HUB2"
expect 0 gina sync hub2 # globex's checkpoint depends on the thief's rotation, not yet on bob's
take gina
take alice
clone fresh
for c in alice gina fresh; do
	equal "$(seated $c "$MALLORY")" false "$c: the thief's successor is no member"
	equal "$(seated $c "$NEW")" false "$c: bob's rotation is contested too"
done
expect 0 alice member vouch "$NEW"
expect 0 alice sync hub
take gina
rm -rf "$T/w/fresh.git" && clone fresh
for c in alice gina fresh; do
	equal "$(active $c "$NEW")" "[true]" "$c: bob's successor counts once acme's root chose it"
	equal "$(seated $c "$MALLORY")" false "$c: the thief's successor is still no member"
	case "$(texts $c)" in *thief*) bad "$c: the thief's note counts" ;; *) ok ;; esac
done
take thief
expect 3 thief member add --key "$T/w/dan/key.pub" --name dan2 --admin

test_case "a plain member's sync of the second hub first gives the thief no seat; an admin's is acme's choice"
world at
HUB2="$T/w/hub2"
git init -q --bare "$HUB2" && cp "$HUB/hooks/pre-receive" "$HUB2/hooks/"
expect 0 thief key rotate --no-passphrase
MALLORY=$(kid thief)
quiet thief remote add hub2 "$HUB2"
expect 0 thief sync hub2 --no-checkpoint
quiet dan remote add hub2 "$HUB2"
expect 0 dan sync hub2 # dan, no admin: his checkpoint depends on the thief's rotation
take dan
expect 0 dan sync hub
take alice
expect 0 alice sync hub # acme's root names dan's checkpoint: it saw the rival only through him
take alice
equal "$(seated alice "$MALLORY")" false "a plain member's checkpoint hands the thief no seat"
equal "$(seated alice "$NEW")" false "bob's rotation is contested, not lost"
expect 0 alice member vouch "$NEW"
equal "$(active alice "$NEW")" "[true]" "and acme's root brings it back"
# the same, but acme's root syncs the second hub first: it saw the thief's rotation first-hand
world at late
git init -q --bare "$HUB2" && cp "$HUB/hooks/pre-receive" "$HUB2/hooks/"
expect 0 thief key rotate --no-passphrase
MALLORY=$(kid thief)
quiet thief remote add hub2 "$HUB2"
expect 0 thief sync hub2 --no-checkpoint
quiet alice remote add hub2 "$HUB2"
expect 0 alice sync hub2
quiet bob sync hub --no-checkpoint
take alice
equal "$(active alice "$MALLORY")" "[true]" "what acme's root saw first-hand is acme's choice"
expect 1 alice member vouch "$NEW"
contains "$ERR" "retired or revoked" "member vouch says why it cannot undo that"
contains "$ERR" "accord member revoke" "and what to do instead"
take bob
expect 3 bob note "$INC" "bob: after the rival counted"
contains "$ERR" "have an admin revoke it" "bob is told what to ask for"

test_case "a restored backup writing at the seq of a member-add others built on takes nothing down"
world
accord --home "$T/w/erin" key new --name erin --no-passphrase >/dev/null 2>&1 || bad "key new erin"
cp -a "$T/w/alice" "$T/w/backup" && cp -a "$T/w/alice.git" "$T/w/backup.git" # alice's backup
expect 0 alice member add --key "$T/w/erin/key.pub" --name erin
quiet alice sync hub --no-checkpoint
clone erin
ERINC=$(acc erin open --title "erin's outage" --severity 2 --service web --parties acme,globex)
quiet acc erin sync hub --no-checkpoint
take gina
expect 0 gina note "$ERINC" "globex: on erin's incident"
quiet gina sync hub # an ordinary sync: globex's checkpoint depends on erin's incident
# the backup, restored, writes at the member-add's seq (the same key on two machines)
expect 0 acc backup note "$INC" "alice, from the restored backup"
push_stale backup
take alice
take erin
clone fresh
for c in alice fresh; do
	equal "$(active $c "$(kid erin)")" "[true]" "$c: erin stays a member: globex built on her work"
	expect 0 accord -C "$T/w/$c.git" show "$ERINC"
	contains "$OUT" "globex: on erin's incident" "$c: erin's incident and globex's note stand"
done
expect 0 acc erin note "$ERINC" "erin: still here"

test_case "a root's stale laptop adding a member at the seq of an invitation un-invites no one"
world
accord --home "$T/w/ivan" key new --name ivan --no-passphrase >/dev/null 2>&1 || bad "key new ivan"
accord --home "$T/w/zed" key new --name zed --no-passphrase >/dev/null 2>&1 || bad "key new zed"
cp -a "$T/w/alice" "$T/w/laptop" && cp -a "$T/w/alice.git" "$T/w/laptop.git" # acme's root, only admin
expect 0 alice party invite initech --key "$T/w/ivan/key.pub"
quiet alice sync hub --no-checkpoint
clone ivan
expect 0 acc ivan party accept initech
IVANC=$(acc ivan open --title "initech's outage" --severity 2 --service web --parties initech,acme)
quiet acc ivan sync hub
take gina
quiet gina sync hub # globex's ordinary sync depends on the invitation (initech's own entries cannot)
# the laptop, restored, adds a member at the invitation's seq: a seat on one side only
expect 0 acc laptop member add --key "$T/w/zed/key.pub" --name zed
push_stale laptop
take alice
take ivan
clone fresh
for c in alice fresh; do
	expect 0 accord -C "$T/w/$c.git" party list --json
	equal "$(echo "$OUT" | jget "[p['state'] for p in d if p['name'] == 'initech']")" '["joined"]' "$c: initech stays a party"
	expect 0 accord -C "$T/w/$c.git" show "$IVANC"
done
expect 0 acc ivan note "$IVANC" "initech: still here"

test_case "an admin's stale copy adding a device at the seq of a member-add: the member waits for an admin's vouch"
world
accord --home "$T/w/kim" key new --name kim --no-passphrase >/dev/null 2>&1 || bad "key new kim"
accord --home "$T/w/erin" key new --name erin --no-passphrase >/dev/null 2>&1 || bad "key new erin"
accord --home "$T/w/kim2" key new --name kim --no-passphrase >/dev/null 2>&1 || bad "key new kim2"
expect 0 alice member add --key "$T/w/kim/key.pub" --name kim --admin
quiet alice sync hub --no-checkpoint
clone kim
quiet acc kim sync hub --no-checkpoint
cp -a "$T/w/kim" "$T/w/kimold" && cp -a "$T/w/kim.git" "$T/w/kimold.git"
expect 0 acc kim member add --key "$T/w/erin/key.pub" --name erin
quiet acc kim sync hub --no-checkpoint
clone erin
ERINC=$(acc erin open --title "erin's outage" --severity 2 --service web --parties acme,globex)
quiet acc erin sync hub --no-checkpoint
take gina
expect 0 gina note "$ERINC" "globex: on erin's incident"
quiet gina sync hub
# kim's stale copy adds a device key at the same seq: a seat on each side, a contest
expect 0 acc kimold member add --key "$T/w/kim2/key.pub" --name kim
push_stale kimold
take alice
equal "$(active alice "$(kid erin)")" "[]" "a contested seat waits for acme's admins: a partner's checkpoint does not decide"
expect 0 alice member vouch "$(kid erin)"
contains "$OUT" "is erin of acme again" "acme's root vouches for kim's add of erin"
expect 0 alice sync hub
take gina
take erin
for c in alice gina; do
	equal "$(active $c "$(kid erin)")" "[true]" "$c: erin is back"
	expect 0 accord -C "$T/w/$c.git" show "$ERINC"
	contains "$OUT" "globex: on erin's incident" "$c: erin's incident and globex's note stand again"
done
expect 0 acc erin note "$ERINC" "erin: back"
equal "$(active alice "$(kid kim2)")" "[]" "the stale copy's device key, on the other side, is no member"

test_case "a root's stale laptop adding a member at the seq of the root's own member-add takes no one out"
world
accord --home "$T/w/carl" key new --name carl --no-passphrase >/dev/null 2>&1 || bad "key new carl"
cp -a "$T/w/alice" "$T/w/laptop" && cp -a "$T/w/alice.git" "$T/w/laptop.git" # acme's root: no admin above it
expect 0 alice member add --key "$T/w/carl/key.pub" --name carl
quiet alice sync hub --no-checkpoint
clone carl
CARLC=$(acc carl open --title "carl's outage" --severity 2 --service web --parties acme,globex)
quiet acc carl sync hub --no-checkpoint
take gina
quiet gina sync hub # globex's ordinary sync depends on carl's incident
accord --home "$T/w/zed" key new --name zed --no-passphrase >/dev/null 2>&1 || bad "key new zed"
expect 0 acc laptop member add --key "$T/w/zed/key.pub" --name zed
push_stale laptop
take alice
take carl
equal "$(active alice "$(kid carl)")" "[true]" "a root's fork is judged as any: carl stays, globex built on him"
expect 0 accord -C "$T/w/alice.git" show "$CARLC"
expect 0 acc carl note "$CARLC" "carl: still here"

test_case "a thief's invitation on a retired admin key's fork, shown to a partner first, seats no party"
world
HUB2="$T/w/hub2"
git init -q --bare "$HUB2" && cp "$HUB/hooks/pre-receive" "$HUB2/hooks/"
accord --home "$T/w/kim" key new --name kim --no-passphrase >/dev/null 2>&1 || bad "key new kim"
accord --home "$T/w/evil" key new --name evil --no-passphrase >/dev/null 2>&1 || bad "key new evil"
expect 0 alice member add --key "$T/w/kim/key.pub" --name kim --admin
quiet alice sync hub --no-checkpoint
clone kim
quiet acc kim sync hub --no-checkpoint
cp -a "$T/w/kim" "$T/w/kimthief" && cp -a "$T/w/kim.git" "$T/w/kimthief.git" # a copy of kim's key home
expect 0 acc kim key rotate --no-passphrase
quiet acc kim sync hub --no-checkpoint
# the thief, on its copy, invites a party of its own with kim's retired key, through a second hub
expect 0 acc kimthief party invite evilcorp --key "$T/w/evil/key.pub"
quiet acc kimthief remote add hub2 "$HUB2"
expect 0 acc kimthief sync hub2 --no-checkpoint
accord clone "$HUB2" "$T/w/evil.git" >/dev/null 2>&1 || bad "clone evil"
expect 0 acc evil party accept evilcorp
quiet acc evil remote add hub2 "$HUB2"
expect 0 acc evil sync hub2 --no-checkpoint
quiet gina remote add hub2 "$HUB2"
expect 0 gina sync hub2 # globex's routine sync depends on the invitation first
take gina
take alice
for c in alice gina; do
	expect 0 accord -C "$T/w/$c.git" party list --json
	equal "$(echo "$OUT" | jget "[p['state'] for p in d if p['name'] == 'evilcorp' and p['state'] == 'joined']")" "[]" \
		"$c: the thief's invitation seats no party"
done

test_case "a thief's rival rotation of a root's retired key, shown to a partner first, makes no one root"
world at
HUB2="$T/w/hub2"
git init -q --bare "$HUB2" && cp "$HUB/hooks/pre-receive" "$HUB2/hooks/"
accord --home "$T/w/kim" key new --name kim --no-passphrase >/dev/null 2>&1 || bad "key new kim"
expect 0 alice member add --key "$T/w/kim/key.pub" --name kim --admin
quiet alice sync hub --no-checkpoint
clone kim
cp -a "$T/w/alice" "$T/w/rootthief" && cp -a "$T/w/alice.git" "$T/w/rootthief.git"
expect 0 alice key rotate --no-passphrase
quiet alice sync hub --no-checkpoint
expect 0 acc rootthief key rotate --no-passphrase
ROOTTHIEF=$(kid rootthief)
quiet acc rootthief remote add hub2 "$HUB2"
expect 0 acc rootthief sync hub2 --no-checkpoint
quiet gina remote add hub2 "$HUB2"
expect 0 gina sync hub2 # globex's routine checkpoint depends on the thief's rotation first
take gina
take alice
for c in alice gina; do
	expect 0 accord -C "$T/w/$c.git" party list --json
	case "$(echo "$OUT" | jget "[p['root_key'] for p in d if p['name'] == 'acme']")" in
	*"$ROOTTHIEF"*) bad "$c: the thief's key is acme's root" ;;
	*) ok ;;
	esac
done
take rootthief
expect 3 acc rootthief note "$INC" "thief, as acme's root"
take kim
expect 1 acc kim member vouch "$ROOTTHIEF" # an admin is below the root: it chooses no root
contains "$ERR" "recovery key" "kim is told the recovery key decides a root's contest"
expect 0 accord -C "$T/w/kim.git" party list --json
case "$OUT" in *"$ROOTTHIEF"*) bad "an admin's vouch made the thief root" ;; *) ok ;; esac

test_case "an admin's stale laptop adding a device at the seq of its revocation: the root vouches and the revocation holds"
world
accord --home "$T/w/kim" key new --name kim --no-passphrase >/dev/null 2>&1 || bad "key new kim"
accord --home "$T/w/xan" key new --name xan --no-passphrase >/dev/null 2>&1 || bad "key new xan"
accord --home "$T/w/kim2" key new --name kim --no-passphrase >/dev/null 2>&1 || bad "key new kim2"
expect 0 alice member add --key "$T/w/kim/key.pub" --name kim --admin
quiet alice sync hub --no-checkpoint
clone kim
expect 0 acc kim member add --key "$T/w/xan/key.pub" --name xan
quiet acc kim sync hub --no-checkpoint
clone xan
quiet acc xan sync hub --no-checkpoint
cp -a "$T/w/kim" "$T/w/kimold" && cp -a "$T/w/kim.git" "$T/w/kimold.git"
expect 0 acc kim member revoke "$(kid xan)" --reason "laptop stolen"
quiet acc kim sync hub --no-checkpoint
expect 0 acc kimold member add --key "$T/w/kim2/key.pub" --name kim # at the revocation's seq
push_stale kimold
take alice
equal "$(active alice "$(kid xan)")" "[true]" "a contested revocation waits for acme's admins"
expect 0 alice member vouch "$(kid xan)"
contains "$OUT" "stays revoked" "acme's root vouches for kim's revocation"
equal "$(active alice "$(kid xan)")" "[false]" "the revocation holds"
expect 0 alice sync hub
take gina
equal "$(active gina "$(kid xan)")" "[false]" "and holds on globex's copy"

test_case "a revoked admin's vouch, sorting before its revocation, chooses nothing"
world at late
accord --home "$T/w/kim" key new --name kim --no-passphrase >/dev/null 2>&1 || bad "key new kim"
expect 0 alice member add --key "$T/w/kim/key.pub" --name kim --admin
quiet alice sync hub --no-checkpoint
clone kim
quiet bob sync hub --no-checkpoint # bob's rotation, which no admin's entry depends on yet
expect 0 thief key rotate --no-passphrase # the rival rotation: a contest
MALLORY=$(kid thief)
acc thief sync hub --no-checkpoint >/dev/null 2>&1
take alice
take kim
for n in 1 2; do expect 0 alice note "$INC" "alice, busy $n"; done # her revocation sorts after kim's vouch
expect 0 alice member revoke "$(kid kim)" --reason "laptop lost"
expect 0 acc kim member vouch "$MALLORY" # kim, unaware of the revocation, picks the thief's side
take kim
take alice
clone fresh
for c in alice fresh; do
	equal "$(seated $c "$MALLORY")" false "$c: a vouch set aside past its author's cut seats no thief"
done
expect 0 alice member vouch "$NEW"
equal "$(active alice "$NEW")" "[true]" "and the root still brings bob's key back"

# A thief holds admin bob's key and a stale copy of admin eve's key: eve revokes
# bob, and the stale copy adds the thief's key as an admin at the same seq (a
# contest). With bob's key the thief forges a checkpoint naming the revocation,
# its deps holding its own member-add too (attack105 01, 02).
FORGE="/usr/bin/python3 $(cd "$(dirname "$0")" && pwd)/forge/forge.py"
eid() { git -C "$T/w/$1.git" cat-file commit "$2" | sed '1,/^$/d' | sha256sum | cut -d' ' -f1; }
test_case "a revoked admin's forged checkpoint carries no rival side along with the root's vouch"
world
for k in eve bobby tom; do accord --home "$T/w/$k" key new --name "$k" --no-passphrase >/dev/null 2>&1 || bad "key new $k"; done
expect 0 alice member add --key "$T/w/eve/key.pub" --name eve --admin
quiet alice sync hub --no-checkpoint
clone eve
quiet acc eve member accept acme
expect 0 acc eve member add --key "$T/w/bobby/key.pub" --name bobby --admin
quiet acc eve sync hub --no-checkpoint
clone bobby
quiet acc bobby member accept acme
quiet acc bobby sync hub --no-checkpoint
take eve
take alice
cp -a "$T/w/eve" "$T/w/evestale" && cp -a "$T/w/eve.git" "$T/w/evestale.git"
expect 0 acc eve member revoke "$(kid bobby)" --reason "key stolen"
quiet acc eve sync hub --no-checkpoint
expect 0 acc evestale member add --key "$T/w/tom/key.pub" --name tom --admin # the same seq: a contest
push_stale evestale
take alice
take bobby
EVE=$(kid eve)
REV=$(eid bobby "refs/accord/feeds/$EVE")
REVSEQ=$(git -C "$T/w/bobby.git" cat-file commit "refs/accord/feeds/$EVE" | sed '1,/^$/d' | jget 'd["seq"]')
ADD=""
for o in $(git -C "$T/w/bobby.git" for-each-ref --format='%(objectname)' refs/accord/evidence/); do
	git -C "$T/w/bobby.git" cat-file commit "$o" | grep -q '"member-add"' && ADD=$(eid bobby "$o")
done
[ -n "$ADD" ] && ok || bad "the thief's member-add is held as evidence"
# bobby's key forges a checkpoint naming the revocation, resting on the rival add too
$FORGE sshkey "$T/w/bobby" "$T/w/ssh-bobby" || bad "sshkey bobby"
BH=$(eid bobby "refs/accord/feeds/$(kid bobby)")
DEPS=$( (for o in $(git -C "$T/w/bobby.git" for-each-ref --format='%(objectname)' refs/accord/feeds/); do eid bobby "$o"; done; echo "$ADD") |
	grep -v "^$BH$" | sort -u | paste -sd,)
$FORGE entry "$T/w/bobby.git" "$T/w/ssh-bobby" --type checkpoint --deps "$DEPS" \
	--body "{\"heads\":[{\"feed\":\"$EVE\",\"seq\":$REVSEQ,\"hash\":\"$REV\"}]}" >/dev/null || bad "forge the checkpoint"
expect 0 git -C "$T/w/bobby.git" push -q "$HUB" "refs/accord/feeds/$(kid bobby):refs/accord/feeds/$(kid bobby)"
quiet alice sync hub # alice's routine sync, with its checkpoint
clone fresh
for c in alice fresh; do
	equal "$(active $c "$(kid tom)")" "[]" "$c: the forged checkpoint seats no thief before any vouch"
done
equal "$(active alice "$(kid bobby)")" "$(active fresh "$(kid bobby)")" "alice's copy and a fresh clone agree on bobby"
equal "$(aside alice)" "$(aside fresh)" "the same entries set aside on alice's copy and a fresh clone"
expect 0 alice member vouch "$(kid bobby)"
contains "$OUT" "stays revoked" "the root vouches for the revocation"
quiet alice sync hub
rm -rf "$T/w/fresh.git" && clone fresh
for c in alice fresh; do
	equal "$(active $c "$(kid tom)")" "[]" "$c: the root's vouch seats the revocation alone, not the thief"
	equal "$(active $c "$(kid bobby)")" "[false]" "$c: bobby stays revoked"
done

# rival_rotation PUBKEY: the thief's copy of bob's old key signs a rotation naming the key
# in PUBKEY at the rotation's seq, its deps leaving out everything, and pushes it
rival_rotation() {
	$FORGE sshkey "$T/w/thief" "$T/w/ssh-thief" || bad "sshkey thief"
	$FORGE entry "$T/w/thief.git" "$T/w/ssh-thief" --type key-rotate --deps none \
		--body "{\"key\":\"$($FORGE keyid "$1" | cut -d' ' -f1)\"}" >/dev/null ||
		bad "forge the rival rotation"
	expect 3 thief sync hub --no-checkpoint
}

# The thief's rival rotation names gina's key (globex's root), its deps leaving
# out gina's admission: gina keeps her seat and writes (attack120 01).
test_case "a rival rotation naming another party's root freezes no one"
world at
rival_rotation "$T/w/gina/key.pub"
take gina
expect 0 gina note "$INC" "gina: after the rival"
expect 0 gina sync hub
equal "$(active gina "$(kid gina)")" "[true]" "gina keeps her seat"

# The same rival rotation naming the new key of globex's member kate, who had
# rotated: kate's own rotation seats it, the rival takes nothing (attack121 01).
test_case "a rival rotation naming another party's member's new key takes no seat from her"
world at
accord --home "$T/w/kate" key new --name kate --no-passphrase >/dev/null 2>&1 || bad "key new kate"
expect 0 gina member add --key "$T/w/kate/key.pub" --name kate
quiet gina sync hub
clone kate
quiet acc kate member accept globex
quiet acc kate sync hub --no-checkpoint
expect 0 acc kate key rotate --no-passphrase
KNEW=$(kid kate)
quiet acc kate sync hub --no-checkpoint
rival_rotation "$T/w/kate/key.pub"
take kate
expect 0 acc kate note "$INC" "kate: after the rival"
expect 0 acc kate sync hub
clone fresh
for c in kate fresh; do
	equal "$(active $c "$KNEW")" "[true]" "$c: kate's new key holds her seat"
done

# A thief with a copy of bob's key from before his rotation forges, at the
# rotation's seq, a revocation of the root: an entry no rule lets bob sign.
# It silences no one's vouch: the root vouches, and bob's new key counts
# (attack114 01).
test_case "a thief's revocation of the root at the rotation's seq silences no one: the root vouches"
world at
$FORGE sshkey "$T/w/thief" "$T/w/ssh-thief" || bad "sshkey thief"
AK=$(kid alice)
APK=$($FORGE keyid "$T/w/alice/key.pub" | cut -d' ' -f1)
ASEQ=$(git -C "$T/w/thief.git" cat-file commit "refs/accord/feeds/$AK" | sed '1,/^$/d' | jget 'd["seq"]')
$FORGE entry "$T/w/thief.git" "$T/w/ssh-thief" --type member-revoke \
	--body "{\"key\":\"$APK\",\"reason\":\"stolen\",\"cut\":$ASEQ}" >/dev/null || bad "forge the revocation"
expect 3 thief sync hub --no-checkpoint
for k in alice gina dan; do take "$k"; done
take bob
expect 0 alice member vouch "$NEW"
contains "$OUT" "is bob of acme again" "the root vouches for bob's rotation"
quiet alice sync hub
take gina
take bob
expect 0 bob note "$INC" "bob: after the vouch"
quiet bob sync hub --no-checkpoint
clone fresh
quiet alice sync hub --no-checkpoint
quiet gina sync hub --no-checkpoint
for c in alice gina fresh; do
	equal "$(active $c "$NEW")" "[true]" "$c: bob's new key counts"
	equal "$(active $c "$AK")" "[true]" "$c: the root stays"
	contains "$(texts $c)" "bob: after the vouch" "$c: bob's note after the vouch counts"
done

# A thief holds admin kim's laptop and a stale copy of admin eve's key: eve adds
# nina, the stale copy adds the thief's tom as an admin at the same seq (a
# contest). The root revokes kim; unaware, kim's laptop vouches for tom, and a
# plain member's routine sync rests on that vouch before the revocation
# arrives (attack108 01, 03). Then a contest settled by one admin's vouch is
# not reopened by another's later vouch for the other side (attack108 02).
test_case "a revoked admin's vouch past its cut seats no one; a contest has one winner"
world
for k in eve kim tom nina lee; do accord --home "$T/w/$k" key new --name "$k" --no-passphrase >/dev/null 2>&1 || bad "key new $k"; done
expect 0 alice member add --key "$T/w/eve/key.pub" --name eve --admin
expect 0 alice member add --key "$T/w/lee/key.pub" --name lee --admin
quiet alice sync hub --no-checkpoint
clone eve
clone lee
quiet acc eve member accept acme
quiet acc lee member accept acme
quiet acc lee sync hub --no-checkpoint
expect 0 acc eve member add --key "$T/w/kim/key.pub" --name kim --admin
quiet acc eve sync hub --no-checkpoint
clone kim
quiet acc kim member accept acme
quiet acc kim sync hub --no-checkpoint
for k in eve alice dan gina; do take $k; done
cp -a "$T/w/eve" "$T/w/evestale" && cp -a "$T/w/eve.git" "$T/w/evestale.git"
expect 0 acc eve member add --key "$T/w/nina/key.pub" --name nina
quiet acc eve sync hub --no-checkpoint
expect 0 acc evestale member add --key "$T/w/tom/key.pub" --name tom --admin # the same seq: a contest
push_stale evestale
for k in alice kim dan gina; do take $k; done
for n in 1 2 3; do expect 0 alice note "$INC" "alice, busy $n"; done # her revocation sorts after kim's vouch
expect 0 alice member revoke "$(kid kim)" --reason "laptop stolen" # not pushed yet
expect 0 acc kim member vouch "$(kid tom)" # kim's laptop, unaware of the revocation
acc kim sync hub >/dev/null 2>&1
acc dan sync hub >/dev/null 2>&1 # a plain member's routine sync: its checkpoint rests on kim's vouch
acc alice sync hub >/dev/null 2>&1
take dan
clone fresh
for c in alice dan fresh; do
	equal "$(active $c "$(kid tom)")" "[]" "$c: a revoked admin's vouch past its cut seats no thief, whoever rested on it"
done
expect 0 alice member vouch "$(kid nina)"
contains "$OUT" "is nina of acme again" "the root vouches for nina"
quiet alice sync hub
take lee
expect 1 acc lee member vouch "$(kid tom)" # another admin, knowing the root's vouch
contains "$ERR" "counts already" "a settled contest is not reopened by a vouch for the other side"
rm -rf "$T/w/fresh.git" && clone fresh
for c in alice fresh; do
	equal "$(active $c "$(kid nina)")" "[true]" "$c: the side the root vouched for counts"
	equal "$(active $c "$(kid tom)")" "[]" "$c: the other side stays set aside"
done

# dan's key home restored on a second machine forks his key; a colleague built
# on dan's window from the first machine before a stale revocation of dan cut
# below it: every copy counts the window, whichever side it holds as dan's
# feed, as does every clone of a hub that serves the other side (attack113 03).
test_case "a colleague's raise of a revoked, forked key holds whichever side a copy keeps as the feed"
world
windows() { accord -C "$T/w/$1.git" show "$INC" --json 2>/dev/null | jget '[w["customers"] for w in d["impact"]]'; }
take dan
cp -a "$T/w/dan" "$T/w/dan2" && cp -a "$T/w/dan.git" "$T/w/dan2.git"
cp -a "$T/w/alice" "$T/w/alicestale" && cp -a "$T/w/alice.git" "$T/w/alicestale.git"
expect 0 dan note "$INC" "dan: looking"
START=$(alice show "$INC" --json | jget 'd["started_at"]')
expect 0 dan impact "$INC" --customers 100 --start "$START" --end "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
quiet dan sync hub --no-checkpoint
take bob
expect 0 bob note "$INC" "bob: saw dan's window" # a colleague, unaware of what comes
quiet bob sync hub --no-checkpoint
expect 0 acc dan2 note "$INC" "dan, second machine" # the same seq as dan's note: a fork
push_stale dan2
expect 0 acc alicestale member revoke "$(kid dan)" --reason "machine lost" # cut below dan's note
push_stale alicestale
for k in alice dan2 alice dan2; do take $k; done
clone fresh
for c in alice dan2 fresh; do
	equal "$(windows $c)" "[100]" "$c: the window the colleague built on counts"
done

finish

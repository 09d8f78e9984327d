# Equivocation is no delayed self-destruct (TRUST.md attack 2, issue 13): after
# a proof that a key signed two entries with one seq, that key's entries from
# the fork on count only where a counted entry of another key depends on them;
# the rest are set aside (finding `forked`), travel, and nothing new the key
# writes counts. Every copy reaches the same verdict whichever side it holds
# as its feed and whichever as evidence, whatever order things arrived in.
. "$(dirname "$0")/lib.sh"
FORGE="/usr/bin/python3 $(cd "$(dirname "$0")" && pwd)/forge/forge.py"
forge() { $FORGE "$@" || bad "forge $*"; }
unset SSH_AUTH_SOCK

for k in alice bob gina; do newkey $k; done
pub() { accord --home "$T/$1" key show | tail -1; }
kid() { accord --home "$T/$1" key show --json | jget 'd["id"]'; }
BOB=$(kid bob) GINA=$(kid gina)
HUB="$T/hub.git" A="$T/a" G="$T/g" LAPTOP="$T/laptop" DESKTOP="$T/desktop"
git init -q --bare "$HUB"
printf '#!/bin/sh\nexec "%s" hook pre-receive\n' "$ACCORD_BIN" >"$HUB/hooks/pre-receive"
chmod +x "$HUB/hooks/pre-receive"
a() { accord --home "$T/alice" -C "$A" "$@"; }
g() { accord --home "$T/gina" -C "$G" "$@"; }
lap() { accord --home "$T/bob" -C "$LAPTOP" "$@"; }
# the desktop is a second machine: bob's key home copied to it (below)
desk() { accord --home "$T/bob-desk" -C "$DESKTOP" "$@"; }
tip() { git -C "$1" rev-parse "refs/accord/feeds/$2"; }
idof() { git -C "$1" cat-file commit "$2" | sed '1,/^$/d' | tr -d '\n' | sha256sum | cut -c1-64; }
# sync that may find or take proof (exit 3) or have nothing new to say of it (0)
resync() {
	OUT=$("$@" 2>"$T/.stderr")
	got=$?
	ERR=$(cat "$T/.stderr")
	case $got in 0 | 3) ok ;; *) bad "'$*' exited $got; stderr: $ERR" ;; esac
}
SCHEMAS="$(cd "$(dirname "$0")/../.." && pwd)/schemas"
valid() { # valid SCHEMA LABEL: $OUT validates against schemas/SCHEMA
	echo "$OUT" | tr -d '\n' >"$T/doc.jsonl"
	echo >>"$T/doc.jsonl"
	/usr/bin/python3 "$(dirname "$0")/schema_check.py" "$SCHEMAS" "$1" "$T/doc.jsonl" >/dev/null 2>&1 &&
		ok || bad "$2: does not validate against $1"
}

# --- acme (alice, bob) and globex (gina) share an incident ----------------------
expect 0 accord --home "$T/alice" init --party acme --title "forks" "$A"
expect 0 a remote add hub "$HUB"
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
expect 0 accord --home "$T/bob" clone "$HUB" "$LAPTOP"
expect 0 lap note "$INC" "before the copy"
expect 0 lap sync --no-checkpoint
# the honest mistake: bob's key home copied to a stale desktop
cp -r "$T/bob" "$T/bob-desk"
expect 0 accord --home "$T/bob-desk" clone "$HUB" "$DESKTOP"
expect 0 lap note "$INC" "from the laptop"
expect 0 desk note "$INC" "from the desktop"
LAPNOTE=$(idof "$LAPTOP" "$(tip "$LAPTOP" "$BOB")") DESKNOTE=$(idof "$DESKTOP" "$(tip "$DESKTOP" "$BOB")")
# gina builds on the laptop's side, alice on the desktop's (she syncs from it directly)
expect 0 lap sync --no-checkpoint
expect 0 g sync --no-checkpoint
expect 0 g note "$INC" "gina saw the laptop"
expect 0 g sync --no-checkpoint
expect 0 a remote add desktop "$DESKTOP"
expect 0 a sync desktop --no-checkpoint
expect 0 a note "$INC" "alice saw the desktop"
# the desktop goes on, unaware: nobody depends on this one
expect 0 desk note "$INC" "desktop again"
DESKLATER=$(idof "$DESKTOP" "$(tip "$DESKTOP" "$BOB")")
equal "$(git -C "$A" cat-file commit "$(tip "$A" "$BOB")" | sed '1,/^$/d' | jget 'd["body"]["text"]')" \
	"from the desktop" "alice's copy holds the desktop's side as bob's feed"

# --- the fork is found: each copy keeps its side on the feed, the other as evidence
expect 3 a sync hub --no-checkpoint
contains "$ERR" "equivocation" "alice's sync finds the fork"
expect 3 desk sync --no-checkpoint
contains "$ERR" "equivocation" "the desktop's sync finds the fork"
resync g sync --no-checkpoint
resync lap sync --no-checkpoint
resync a sync hub --no-checkpoint
resync g sync --no-checkpoint
resync desk sync --no-checkpoint
equal "$(git -C "$G" cat-file commit "$(tip "$G" "$BOB")" | sed '1,/^$/d' | jget 'd["body"]["text"]')" \
	"from the laptop" "gina's copy holds the laptop's side as bob's feed"
equal "$(git -C "$HUB" for-each-ref "refs/accord/evidence/$BOB/" | wc -l)" 3 \
	"the hub keeps both first entries and the desktop's later tip as evidence"
rm -rf "$T/fresh"
expect 0 accord clone "$HUB" "$T/fresh"
expect 0 accord -C "$T/fresh" show "$INC"
contains "$ERR" "equivocation" "show on a fresh clone names the fork it holds proof of"

COPIES="$HUB $A $G $LAPTOP $DESKTOP $T/fresh"
# what each reading path says of the incident, reduced to what must agree
texts() { accord -C "$1" show "$INC" --json | jget '" | ".join(sorted(t["body"]["text"] for t in d["timeline"] if t["type"] == "note"))'; }
verdict() { # verdict LABEL: every copy, every path, the same
	first=""
	for c in $COPIES; do
		n=$(basename "$c")
		expect 0 accord -C "$c" show "$INC" --json
		got=$(texts "$c")
		[ -n "$first" ] || first=$got
		equal "$got" "$first" "$1: show on $n agrees"
		expect 0 accord -C "$c" show "$INC"
		contains "$OUT" "from the laptop" "$1: show on $n lists the laptop's note another key depends on"
		contains "$OUT" "from the desktop" "$1: show on $n lists the desktop's note another key depends on"
		case "$OUT" in *"desktop again"*) bad "$1: show on $n counts an entry no other key depends on" ;; *) ok ;; esac
		expect 0 accord -C "$c" list --json
		equal "$(echo "$OUT" | jget "[i['status'] for i in d if i['id'].startswith('$INC')][0]")" \
			investigating "$1: list on $n"
		expect 0 accord -C "$c" report --format json
		valid report.schema.json "$1: report on $n"
		equal "$(echo "$OUT" | jget '[f["kind"] for f in d["verification"]["findings"]]')" \
			"$(accord -C "$HUB" report --format json 2>/dev/null | jget '[f["kind"] for f in d["verification"]["findings"]]')" \
			"$1: report on $n lists what the hub's lists"
		expect 0 accord -C "$c" member list --json
		equal "$OUT" "$(accord -C "$HUB" member list --json 2>/dev/null)" "$1: member list on $n"
		expect 3 accord -C "$c" audit --json --no-record
		valid audit.schema.json "$1: audit on $n"
		echo "$OUT" >"$T/audit.json"
		equal "$(jget 'd["totals"]["verified"] <= d["totals"]["entries"]' <"$T/audit.json")" true \
			"$1: audit on $n counts the other side's entries it verified among those it read"
		equal "$(jget '[f["kind"] for f in d["findings"]]' <"$T/audit.json")" '["equivocation"]' \
			"$1: audit on $n: the fork is the one fault"
		equal "$(jget 'sorted(f["entry"] for f in d["set_aside"] if f["kind"] == "forked")' <"$T/audit.json")" \
			"$2" "$1: audit on $n sets aside the entries no other key depends on"
	done
}
verdict "after the fork" "$(echo "[\"$DESKLATER\"]" | jget 'sorted(d)')"

# --- nothing new from the forked key counts ---------------------------------------
expect 3 lap note "$INC" "still here?"
contains "$ERR" "two different entries" "the forked key refuses to write with the CLI"
forge sshkey "$T/bob" "$T/bob.ssh"
NEW=$(forge entry "$LAPTOP" "$T/bob.ssh" --type note --incident "$(a show "$INC" --json | jget 'd["full_id"]')" \
	--body '{"text":"written after the proof"}')
NEWID=$(idof "$LAPTOP" "$NEW")
for s in lap g "a hub" desk lap g; do
	set -- $s
	resync "$1" sync ${2:-} --no-checkpoint
done
rm -rf "$T/fresh"
expect 0 accord clone "$HUB" "$T/fresh"
equal "$(git -C "$HUB" rev-parse "refs/accord/feeds/$BOB")" "$NEW" "the hub's hook let the new entry travel (set aside)"
verdict "after a new entry" "$(echo "[\"$DESKLATER\", \"$NEWID\"]" | jget 'sorted(d)')"
# a partner that writes after seeing it still does not make it count: its
# copy names only what counts as deps
expect 0 g note "$INC" "gina after the proof"
expect 0 g sync --no-checkpoint
case "$(g show "$INC")" in *"written after the proof"*) bad "a new entry of the forked key counts" ;; *) ok ;; esac

# --- a forged fork cannot un-close a closed incident ----------------------------
# gina cosigns a resolution and alice closes on it; then gina signs, with stock
# ssh-keygen, a second entry with her cosign's seq and pushes it as evidence,
# so that her cosign would stop counting and the incident would reopen.
expect 0 a open --title "Payments slow" --severity 2 --service payments --parties acme,globex
INC2=$OUT
expect 0 a resolve "$INC2" --summary "Pool resized"
expect 0 a sync hub --no-checkpoint
expect 0 g sync --no-checkpoint
expect 0 g cosign "$INC2"
COSIGN=$(tip "$G" "$GINA")
expect 0 g sync --no-checkpoint
expect 0 a sync hub --no-checkpoint
expect 0 a status "$INC2" resolved
expect 0 a status "$INC2" closed
expect 0 a sync hub --no-checkpoint
expect 0 g sync --no-checkpoint
equal "$(g show "$INC2" --json | jget 'd["status"]')" closed "the incident is closed on the joint resolution"
forge sshkey "$T/gina" "$T/gina.ssh"
git clone -q --bare --mirror "$G" "$T/attack.git"
git -C "$T/attack.git" config accord.ledger "$(git -C "$G" config accord.ledger)"
git -C "$T/attack.git" update-ref "refs/accord/feeds/$GINA" "$COSIGN~1"
FORK=$(forge entry "$T/attack.git" "$T/gina.ssh" --type note --incident "$(a show "$INC2" --json | jget 'd["full_id"]')" \
	--body '{"text":"the other side"}' --no-ref)
git -C "$T/attack.git" push -q "$HUB" "$FORK:refs/accord/evidence/$GINA/$FORK" 2>"$T/push.err"
equal "$?" 0 "the hook keeps the forged entry as proof of equivocation"
for s in "a hub" g lap desk "a hub"; do
	set -- $s
	resync "$1" sync ${2:-} --no-checkpoint
done
rm -rf "$T/fresh"
expect 0 accord clone "$HUB" "$T/fresh"
for c in $COPIES; do
	n=$(basename "$c")
	equal "$(accord -C "$c" show "$INC2" --json | jget 'd["status"]')" closed "forged fork: $n still closed"
	expect 3 accord -C "$c" audit --json --no-record
	equal "$(echo "$OUT" | jget '[f["kind"] for f in d["findings"] if f["feed"] == "'"$GINA"'"]')" '["equivocation"]' \
		"forged fork: audit on $n names gina's fork"
	equal "$(echo "$OUT" | jget '[f["entry"] for f in d["set_aside"] if f["feed"] == "'"$GINA"'" and f["kind"] == "forked"]')" \
		"[\"$(idof "$HUB" "$FORK")\"]" "forged fork: on $n the side no one depends on is set aside"
done
expect 0 accord -C "$T/fresh" report --format json
equal "$(echo "$OUT" | jget 'd["incidents"]["closed"]')" 1 "forged fork: the report still counts it closed"

# --- a flood of evidence is bounded (attack38 paths 01) --------------------------
# gina signs ever more entries with her cosign's seq and pushes each as
# evidence: past ACCORD_EVIDENCE_PER_KEY (32) refs of her key, the hook refuses
# them as adding no proof, a sync declines them from a hub without the hook,
# and an honest copy's own refs past the bound are not pushed, but for one
# that keeps an entry another key depends on.
evcount() { git -C "$1" for-each-ref "refs/accord/evidence/$GINA/" | wc -l; }
FULL2=$(a show "$INC2" --json 2>/dev/null | jget 'd["full_id"]')
siblings() { # siblings N FROM: N more entries of gina's with her cosign's seq, one per line
	i=0
	while [ "$i" -lt "$1" ]; do
		forge entry "$T/attack.git" "$T/gina.ssh" --type note --incident "$FULL2" \
			--body "{\"text\":\"side $(($2 + i))\"}" --no-ref
		i=$((i + 1))
	done
}
push_ev() { # push_ev REPO COMMIT...: each as evidence of gina's key, in one push
	r=$1
	shift
	set -- $(for c in "$@"; do echo "$c:refs/accord/evidence/$GINA/$c"; done)
	git -C "$T/attack.git" push -q "$r" "$@" 2>"$T/push.err"
}
HELD=$(evcount "$HUB")
ROOM=$((32 - HELD))
siblings $((ROOM + 3)) 0 >"$T/flood"
push_ev "$HUB" $(cat "$T/flood")
equal "$?" 1 "a push of $((ROOM + 3)) more evidence refs of one fork past 32 is refused"
contains "$(cat "$T/push.err")" "it adds no proof" "the hook says why"
equal "$(evcount "$HUB")" "$HELD" "the refused push left the hub's evidence as it was"
push_ev "$HUB" $(head -n "$ROOM" "$T/flood")
equal "$?" 0 "up to 32 evidence refs of a key are kept"
equal "$(evcount "$HUB")" 32 "the hub holds 32"
push_ev "$HUB" $(tail -n 3 "$T/flood" | head -n 1)
equal "$?" 1 "the 33rd is refused"
contains "$(cat "$T/push.err")" "32 refs prove key" "the refusal counts what proves the fork already"
# a hub without the hook (or whose operator floods it) offers them all
git init -q --bare "$T/nohook.git"
git -C "$HUB" push -q --mirror "$T/nohook.git"
push_ev "$T/nohook.git" $(tail -n 3 "$T/flood")
siblings 5 100 >"$T/flood2"
push_ev "$T/nohook.git" $(cat "$T/flood2")
equal "$(evcount "$T/nohook.git")" 40 "the hub without the hook holds 40"
expect 0 a remote add nohook "$T/nohook.git"
resync a sync nohook --no-checkpoint
equal "$(evcount "$A")" 32 "alice's copy takes 32 of gina's evidence refs and no more"
contains "$ERR" "declined" "the sync says what it declined"
OUT=$(a sync nohook --no-checkpoint --json 2>"$T/.stderr")
equal "$?" 0 "declining again is no failure"
valid sync.schema.json "sync --json with declined evidence"
equal "$(echo "$OUT" | jget '[r["evidence_declined"] for r in d["remotes"]]')" "[$(($(evcount "$T/nohook.git") - 32))]" \
	"sync --json counts the refs it declined"
# alice's copy holds refs the hub does not: at the hub's bound, they stay home
ONLYA=$(git -C "$A" for-each-ref --format='%(objectname)' "refs/accord/evidence/$GINA/" |
	while read -r c; do git -C "$HUB" rev-parse -q --verify "refs/accord/evidence/$GINA/$c" >/dev/null || echo "$c"; done)
[ -n "$ONLYA" ] && ok || bad "alice's copy should hold evidence the hub does not"
expect 0 a sync hub --no-checkpoint
equal "$(evcount "$HUB")" 32 "alice's sync pushes none of the refs the hub would decline"
# past the bound, a ref that keeps an entry another key depends on travels
DEP=$(echo "$ONLYA" | head -n 1)
forge sshkey "$T/alice" "$T/alice.ssh"
ALICE=$(kid alice)
NOTE=$(forge entry "$A" "$T/alice.ssh" --type note --incident "$FULL2" \
	--body '{"text":"alice saw that side"}' --deps "$(idof "$A" "$DEP")")
expect 0 a sync hub --no-checkpoint
equal "$(evcount "$HUB")" 33 "the side alice's entry depends on is kept past the bound"
git -C "$HUB" rev-parse -q --verify "refs/accord/evidence/$GINA/$DEP" >/dev/null && ok || bad "the hub keeps the very ref"
equal "$(git -C "$HUB" rev-parse "refs/accord/feeds/$ALICE")" "$NOTE" "and alice's entry that depends on it"

# an entry that names several entries of the forked key vouches for none:
# another key cannot buy 32 refs past the bound with each entry (attack41 03)
siblings 3 200 >"$T/flood3"
git -C "$T/attack.git" fetch -q "$HUB" "refs/accord/feeds/$ALICE:refs/accord/feeds/$ALICE"
DEPS=$(for c in $(cat "$T/flood3"); do idof "$T/attack.git" "$c"; done | sort | paste -sd, -)
forge entry "$T/attack.git" "$T/alice.ssh" --type note --incident "$FULL2" --body '{"text":"vouching"}' --deps "$DEPS" >/dev/null
set -- $(for c in $(cat "$T/flood3"); do echo "$c:refs/accord/evidence/$GINA/$c"; done)
git -C "$T/attack.git" push -q "$HUB" "refs/accord/feeds/$ALICE:refs/accord/feeds/$ALICE" "$@" 2>"$T/push.err"
equal "$?" 1 "refs vouched for by one entry naming several entries of the forked key are refused"
equal "$(evcount "$HUB")" 33 "the hub keeps no more"

finish

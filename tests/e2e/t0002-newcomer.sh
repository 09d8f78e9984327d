# What a newcomer, an auditor and a service manager tripped on (issue 17):
# figures that agree, words and numbers, times, noise, and what an audit says.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

newkey alice
newkey gina
newkey bob
ALICE=$(accord --home "$T/alice" key show --json | jget 'd["id"]')
GINA=$(accord --home "$T/gina" key show --json | jget 'd["id"]')
BOB=$(accord --home "$T/bob" key show --json | jget 'd["id"]')
A="$T/acme" G="$T/globex" HUB="$T/hub.git"
a() { accord --home "$T/alice" -C "$A" "$@"; }
g() { accord --home "$T/gina" -C "$G" "$@"; }

git init -q --bare "$HUB"
expect 0 accord --home "$T/alice" init --party acme --title "acme and partners" "$A"
expect 0 a party invite globex --key "$T/gina/key.pub" --name gina
expect 0 a remote add hub "$HUB"
expect 0 a sync
expect 0 accord --home "$T/gina" clone "$HUB" "$G"
expect 0 g party accept globex
expect 0 g sync
expect 0 a sync

# --- one customer-minutes figure everywhere -----------------------------------
# 300 customers since 2026-11-20T09:05Z, still open; 77 hours later that is
# 300 x 4620 minutes, wherever it is read.
expect 0 a open --title "Checkout fails" --severity 1 --service checkout --started 2026-11-20T09:05:00Z --parties globex
ID=$OUT
expect 0 a impact "$ID" --customers 300 --start 2026-11-20T09:05:00Z
export ACCORD_NOW=2026-11-23T14:05:00Z
expect 0 a show "$ID"
contains "$OUT" "customer-minutes  1386000 so far (running" "show: an open window runs until now, marked running"
contains "$OUT" "300 customers, since 2026-11-20T09:05:00Z (ongoing)" "show: the open window"
expect 0 a show "$ID" --json
equal "$(echo "$OUT" | jget 'd["customer_minutes"]')" 1386000 "show --json customer-minutes"
equal "$(echo "$OUT" | jget 'd["customer_minutes_running"]')" true "show --json says it is running"
expect 0 a list --json
equal "$(echo "$OUT" | jget 'd[0]["customer_minutes"]')" 1386000 "list --json agrees with show"
expect 0 a report --format json
equal "$(echo "$OUT" | jget 'd["customer_impact"]["customer_minutes"]')" 1386000 "report agrees with show and list"
# an hour later the same three still agree
export ACCORD_NOW=2026-11-23T15:05:00Z
S=$(a show "$ID" --json | jget 'd["customer_minutes"]')
L=$(a list --json | jget 'd[0]["customer_minutes"]')
R=$(a report --format json | jget 'd["customer_impact"]["customer_minutes"]')
equal "$S $L $R" "1404000 1404000 1404000" "show, list and report agree an hour later"
contains "$(cat "$ROOT/docs/metrics.md")" "customer_minutes_running" "docs/metrics.md defines the running figure"
unset ACCORD_NOW

# --- plurals -------------------------------------------------------------------
expect 0 a impact "$ID" --customers 1 --start 2026-11-20T09:06:00Z --end 2026-11-20T09:07:00Z
expect 0 a feedback "$ID" --score 4 --lost-minutes 1
expect 0 a sync
SYNC_A=$OUT
expect 0 g sync
SYNC_G=$OUT
contains "$SYNC_G" " in 1 feed, pushed 1 ref, checkpoint" "sync: 1 feed, 1 ref"
expect 0 a sync
contains "$OUT" "took 1 entry in 1 feed, pushed 0 refs" "sync: 1 entry (gina's checkpoint)"
expect 0 g note "$ID" "on it"
expect 0 g sync
contains "$OUT" "took 0 entries in 0 feeds, pushed 1 ref" "sync: 1 ref"
expect 0 a show "$ID"
contains "$OUT" "1 customer, 2026-11-20T09:06:00Z" "show: 1 customer"
contains "$OUT" "1 minute lost" "show: 1 minute lost"
expect 0 a report
contains "$OUT" "(1 response)" "report: 1 response"
contains "$OUT" "(1 of 1 response scored 4-5)" "report: 1 of 1 response"
expect 0 a log --type checkpoint
contains "$OUT" "witnessed 1 feed head " "log: 1 feed head"
expect 0 a audit --no-record
contains "$OUT" "evidence refs (0 commits)" "audit: 0 commits"
# every text output above, and nothing says "1 <plural>"
ALL="$SYNC_A $SYNC_G $(a show "$ID") $(a report) $(a report --format md) $(a log --all) $(a audit --no-record)"
for w in feeds refs responses commits entries customers minutes incidents measurements revisions heads; do
	case "$ALL" in
	*" 1 $w"* | *"(1 $w"*) bad "'1 $w' in the output" ;;
	*) ok ;;
	esac
done

# --- one way to name a key: its key id -----------------------------------------
expect 0 a member add --key "$T/bob/key.pub" --name bob
expect 0 a member revoke "$BOB"
expect 0 a log
contains "$OUT" "adds member bob (key $(printf %s "$BOB" | cut -c1-12))" "log: member-add names the key id"
contains "$OUT" "revokes key $(printf %s "$BOB" | cut -c1-12)" "log: member-revoke names the key id"
contains "$OUT" "invites party globex (root key $(printf %s "$GINA" | cut -c1-12))" "log: party-invite names the key id"
expect 0 a member list
contains "$OUT" "$BOB" "member list names the same key id"

# --- usage texts -----------------------------------------------------------------
expect 0 a audit --help
contains "$(printf '%s\n' "$OUT" | sed '/^$/q')" "--threads N" "audit usage line has --threads"
contains "$(cat "$ROOT/docs/accord.1")" "Op Fl -threads Ar n" "man page: audit --threads"
expect 0 a status --help
contains "$OUT" "resolution is joint" "status --help: closing needs a joint resolution"

# --- an unknown filter value is an error naming the known values -----------------
expect 1 a report --service nope
contains "$ERR" "no incident of service 'nope' in this ledger (known: checkout)" "report --service nope"
expect 1 a report --party umbrella
contains "$ERR" "no party 'umbrella' in this ledger (known: acme, globex)" "report --party umbrella"
expect 1 a open --title t --severity 3 --service checkout --parties umbrella
contains "$ERR" "no party 'umbrella' in this ledger (known: acme, globex)" "open --parties umbrella"
expect 1 a involve "$ID" umbrella
contains "$ERR" "no party 'umbrella' in this ledger (known: acme, globex)" "involve ID umbrella"
expect 2 a log --type nope
contains "$ERR" "unknown entry type 'nope' (known: open, note," "log --type nope"
expect 2 a list --status nope
contains "$ERR" "unknown status 'nope' (known: investigating," "list --status nope"
expect 0 a report --service checkout --party globex

# --- times: a plain date is its 00:00 UTC; a zoneless time gets a suggestion ------
expect 0 a report --since 2026-11-20 --until 2026-11-23 --format json
equal "$(echo "$OUT" | jget 'd["filters"]["since"]')" 2026-11-20T00:00:00Z "report --since DATE is 00:00 UTC"
equal "$(echo "$OUT" | jget 'd["customer_impact"]["customer_minutes"]')" 1132501 "the period from the dates"
expect 0 a impact "$ID" --customers 5 --start 2026-11-21 --end 2026-11-22
expect 0 a show "$ID" --json
equal "$(echo "$OUT" | jget '[w["start"] for w in d["impact"] if w["customers"] == 5]')" '["2026-11-21T00:00:00Z"]' "impact --start DATE"
expect 2 a report --since 2026-11-23T07:31
contains "$ERR" 'invalid time "2026-11-23T07:31": no time zone; write 2026-11-23T07:31:00Z for UTC, or give the offset, such as 2026-11-23T07:31:00+01:00' "zoneless time: a suggestion"
expect 2 a impact "$ID" --customers 5 --start "2026-11-23 07:31:19"
contains "$ERR" "2026-11-23T07:31:19Z" "zoneless time with seconds: a suggestion"
expect 0 a report --since 2026-11-23T07:31:00Z

# --- checkpoints: only when the heads changed, and out of log unless asked ---------
# two rounds carry alice's last entries to gina and gina's checkpoint back
for i in 1 2; do
	expect 0 a sync
	expect 0 g sync
done
expect 0 a sync
N0=$(a log --type checkpoint | wc -l)
for i in 1 2; do
	expect 0 g sync
	expect 0 a sync
done
equal "$(a log --type checkpoint | wc -l)" "$N0" "no checkpoint when only checkpoints arrived"
expect 0 a log
case "$OUT" in *checkpoint*) bad "log shows checkpoints by default" ;; *) ok ;; esac
ALL_N=$(a log --all | wc -l)
DEF_N=$(a log | wc -l)
equal "$((ALL_N - DEF_N))" "$N0" "log --all adds exactly the checkpoints"
expect 0 a log --type checkpoint --json
equal "$(echo "$OUT" | jget 'sorted(set(e["type"] for e in d))')" '["checkpoint"]' "log --type checkpoint shows only checkpoints"
expect 2 a log --all --type note

# --- README for auditors: allowed_signers without accord; the evidence refs ---------
awk '/<!-- auditor-signers:begin -->/{on=1; next} /<!-- auditor-signers:end -->/{on=0} on && /^```sh$/{code=1; next} on && /^```$/{code=0; next} on && code' \
	"$ROOT/README.md" > "$T/signers.sh"
[ -s "$T/signers.sh" ] && ok || bad "README has the allowed_signers recipe"
(cd "$A" && sh "$T/signers.sh") && ok || bad "the README recipe runs"
equal "$(sort "$A/allowed_signers")" "$(a allowed-signers | sort)" "the README recipe gives accord's allowed_signers, revocation included"
git -C "$A" -c gpg.ssh.allowedSignersFile="$A/allowed_signers" log --show-signature --glob=refs/accord/feeds/ > "$T/gitlog" 2>&1
contains "$(cat "$T/gitlog")" 'Good "git" signature for gina@globex' "stock git verifies with the recipe's file"
contains "$(sed -n '/^## For auditors/,/^## /p' "$ROOT/README.md")" "refs/accord/evidence/" "README: the evidence refs the feeds glob skips"
# after gina rotates her key, on a copy: the recipe ends the old key and names the new one as
# accord does, and stock git refuses the old key's entry dated after the rotation (attack90 02)
cp -a "$G" "$T/rot" && cp -a "$T/gina" "$T/rot-home"
expect 0 accord --home "$T/rot-home" -C "$T/rot" key rotate --no-passphrase
expect 0 accord --home "$T/rot-home" -C "$T/rot" note "$ID" "gina, with her new key"
(cd "$T/rot" && sh "$T/signers.sh") && ok || bad "the README recipe runs after a rotation"
equal "$(sort "$T/rot/allowed_signers")" "$(accord -C "$T/rot" allowed-signers | sort)" "the README recipe gives accord's allowed_signers, rotation included"
git -C "$T/rot" -c gpg.ssh.allowedSignersFile="$T/rot/allowed_signers" verify-commit "refs/accord/feeds/$(accord --home "$T/rot-home" key show --json | jget 'd["id"]')" 2>&1 |
	grep -q 'Good "git" signature for gina@globex' && ok || bad "stock git verifies the new key's note with the recipe's file"

# --- audit: what was checked, what is not proven, the incident of each finding -----
expect 0 a audit --json --no-record
equal "$(echo "$OUT" | jget 'any(c.startswith("signatures") for c in d["checked"]) and "authorization in ledger order" in d["checked"]')" true "audit --json: checked list"
contains "$(echo "$OUT" | jget '" / ".join(d["not_proven"])')" "asserted by the member who signed it" "audit --json: times are asserted"
contains "$(echo "$OUT" | jget '" / ".join(d["not_proven"])')" "withhold entries it never pushed" "audit --json: withheld entries"
expect 0 a audit --no-record
contains "$OUT" "Not proven:  when things happened" "audit text: not proven"
contains "$(printf '%s' "$OUT" | tr -s ' \n' '  ')" "a party can withhold entries it never pushed" "audit text: withheld entries"
# gina's note, rewritten without its signature: the finding names the incident
cp -r "$G" "$T/tampered"
HEADG=$(git -C "$T/tampered" rev-parse "refs/accord/feeds/$GINA")
MSG=$(git -C "$T/tampered" cat-file commit "$HEADG" | sed '1,/^$/d')
case "$MSG" in *'"type":"note"'* | *'"type":"checkpoint"'*) ok ;; *) bad "unexpected head: $MSG" ;; esac
# the last note of gina's feed
NOTE=$(git -C "$T/tampered" log --format='%H %s' "refs/accord/feeds/$GINA" | grep '"type":"note"' | head -1 | cut -d' ' -f1)
PARENT=$(git -C "$T/tampered" rev-parse "$NOTE^")
UNSIGNED=$(git -C "$T/tampered" cat-file commit "$NOTE" | sed '1,/^$/d' | git -C "$T/tampered" commit-tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904 -p "$PARENT")
git -C "$T/tampered" update-ref "refs/accord/feeds/$GINA" "$UNSIGNED"
FULL=$(a show "$ID" --json | jget 'd["full_id"]')
expect 3 accord -C "$T/tampered" audit --json --no-record
equal "$(echo "$OUT" | jget '[f["incident"] for f in d["findings"] if f["kind"] == "signature-mismatch"]')" "[\"$FULL\"]" "audit --json: the finding names its incident"
expect 3 accord -C "$T/tampered" audit --no-record
contains "$OUT" "incident $(printf %s "$FULL" | cut -c1-12)" "audit text: the finding names its incident"
finish

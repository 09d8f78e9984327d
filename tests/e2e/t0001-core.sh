# The ledger core (issue 2): keys, init, incidents, verification, exit codes.
. "$(dirname "$0")/lib.sh"

# --- keys -----------------------------------------------------------------
test_case "key new makes a key home of its own (0700) and a secret key file (0600)"
expect 0 accord --home "$T/alice" key new --name alice --no-passphrase
equal "$(stat -c %a "$T/alice")" 700 "key home mode"
equal "$(stat -c %a "$T/alice/key")" 600 "secret key mode"
test_case "key new refuses to overwrite a key"
expect 1 accord --home "$T/alice" key new --name alice --no-passphrase
contains "$ERR" "already exists" "key new refuses to overwrite"
test_case "key show --json gives the public key and a 32-digit key id"
expect 0 accord --home "$T/alice" key show --json
ALICE_ID=$(echo "$OUT" | jget 'd["id"]')
contains "$(echo "$OUT" | jget 'd["public_key"]')" "ssh-ed25519 AAAA" "key show public_key"
equal "${#ALICE_ID}" 32 "key id length"
test_case "key new refuses a bad name and an unknown option"
expect 2 accord --home "$T/x" key new --name ../evil
expect 2 accord --home "$T/x" key new --bogus
test_case "key new without a passphrase or --no-passphrase says both ways out and writes nothing"
# no terminal and no passphrase: a key without one takes --no-passphrase, said in the message
expect 2 accord --home "$T/nopass" key new --name nopass
contains "$ERR" "set ACCORD_PASSPHRASE, or give --no-passphrase" "key new names both ways out"
if [ -e "$T/nopass" ]; then bad "key new without a passphrase or --no-passphrase made $T/nopass"; else ok; fi
ACCORD_PASSPHRASE= expect 2 accord --home "$T/nopass" key new --name nopass
contains "$ERR" "give --no-passphrase" "an empty ACCORD_PASSPHRASE is not a choice"
if [ -e "$T/nopass" ]; then bad "key new with an empty ACCORD_PASSPHRASE made $T/nopass"; else ok; fi
test_case "a bad key name's message lists what a name may hold"
# the name error lists what a name may hold (ssh-keygen's default comment has '@')
expect 2 accord --home "$T/x" key new --name dave@laptop --no-passphrase
contains "$ERR" "use letters, digits, '.', '_' and '-', starting with a letter or digit" "name error lists the allowed characters"
test_case "key new with a passphrase seals the key"
# a passphrase-protected key
ACCORD_PASSPHRASE=sesame expect 0 accord --home "$T/sealed" key new --name sealed
expect 0 accord --home "$T/sealed" key show --json
equal "$(echo "$OUT" | jget 'd["encrypted"]')" true "key is encrypted"
test_case "a sealed key's Argon2id cost is libsodium's interactive limits"
# sealed at no less than libsodium's interactive cost (opslimit 2, memlimit 64 MiB): there is no cheaper switch
equal "$(sed -n 2p "$T/sealed/key" | /usr/bin/python3 -c 'import base64,sys; b=base64.b64decode(sys.stdin.read()); print(b[4], int.from_bytes(b[5:13],"big"), int.from_bytes(b[13:21],"big"))')" \
	"1 2 67108864" "the stored Argon2id cost is libsodium's interactive limits"
test_case "ACCORD_KDF_FAST weakens nothing"
ACCORD_KDF_FAST=1 ACCORD_PASSPHRASE=sesame expect 0 accord --home "$T/sealed2" key new --name sealed2
equal "$(sed -n 2p "$T/sealed2/key" | /usr/bin/python3 -c 'import base64,sys; b=base64.b64decode(sys.stdin.read()); print(int.from_bytes(b[5:13],"big"), int.from_bytes(b[13:21],"big"))')" \
	"2 67108864" "ACCORD_KDF_FAST is gone: it weakens nothing"
test_case "a sealed key file does not hold the public key in clear"
if grep -q "$(ACCORD_PASSPHRASE=sesame accord --home "$T/sealed" key show | tail -1 | cut -d' ' -f2)" "$T/sealed/key"; then bad "secret file holds the public key in clear?"; else ok; fi

# --- init -----------------------------------------------------------------
test_case "init prints the ledger id and adds only the feed ref named by the key id"
L="$T/ledger"
mkdir -p "$L" && git -C "$L" init -q && echo code > "$L/README" && git -C "$L" add README && git -C "$L" commit -qm code
HEAD_BEFORE=$(git -C "$L" rev-parse HEAD)
expect 0 accord --home "$T/alice" -C "$L" init --party acme --title "acme ledger"
LEDGER_ID=$OUT
equal "${#LEDGER_ID}" 64 "ledger id printed"
equal "$(git -C "$L" rev-parse HEAD)" "$HEAD_BEFORE" "branches untouched"
equal "$(git -C "$L" status --porcelain)" "" "working tree untouched"
equal "$(git -C "$L" for-each-ref --format='%(refname)' refs/accord/)" "refs/accord/feeds/$ALICE_ID" "feed ref named by key id"
test_case "init refuses a repository that already holds a ledger"
expect 1 accord --home "$T/alice" -C "$L" init --party acme
contains "$ERR" "already holds a ledger" "init twice refused"
test_case "init refuses a party name with a slash"
expect 2 accord --home "$T/alice" -C "$T/other" init --party "a/b"
test_case "init works in a bare repository, named or with -C"
# a bare repository works too
expect 0 accord --home "$T/alice" init --party acme "$T/bare.git"
git init -q --bare "$T/bare2.git"
expect 0 accord --home "$T/alice" -C "$T/bare2.git" init --party acme
equal "$(git -C "$T/bare2.git" rev-parse --is-bare-repository)" true "bare ledger"
test_case "two ledgers founded alike in one second get two ids, and both take writes"
# a ledger per partner, made in a loop (explore60a 01): one key, party and title, one second
for p in globex initech; do
	ACCORD_NOW=2026-11-20T09:00:00Z expect 0 accord --home "$T/alice" init --party acme "$T/loop-$p.git"
	eval "LOOP_$p=\$OUT"
done
[ -n "$LOOP_globex" ] && [ "$LOOP_globex" != "$LOOP_initech" ] && ok ||
	bad "two ledgers founded alike share the id $LOOP_globex"
for p in globex initech; do
	expect 0 accord --home "$T/alice" -C "$T/loop-$p.git" open --title "in $p" --severity 3 --service s
done

export ACCORD_HOME="$T/alice" ACCORD_DIR="$L"

# --- incidents --------------------------------------------------------------
test_case "open prints a 12-digit incident id"
expect 0 accord open --title "Card payments failing" --severity 2 --service payments \
	--started 2026-11-20T10:00:00Z --ticket acme:INC-1
ID=$OUT
equal "$(printf %s "$ID" | wc -c)" 12 "open prints a 12-digit id"
test_case "note, status, impact, sla and feedback are recorded"
expect 0 accord note "$ID" "gateway timeouts from the partner"
expect 0 accord status "$ID" identified --note "TLS cert expired"
expect 0 accord impact "$ID" --customers 1200 --start 2026-11-20T10:00:00Z --end 2026-11-20T11:30:00Z
expect 0 accord impact "$ID" --customers 10 --start 2026-11-20T12:00:00Z
expect 0 accord sla "$ID" --name first-response --target 30m --actual 12m
expect 0 accord sla "$ID" --name restore --target 1h --actual 1h30m
expect 0 accord feedback "$ID" --score 2 --lost-minutes 45 --comment "could not pay"
test_case "status closed is refused before the incident is resolved"
expect 1 accord status "$ID" closed
contains "$ERR" "only after it is resolved" "closed before resolved refused"
test_case "an incident is resolved, closed and reopened"
expect 0 accord status "$ID" resolved
expect 0 accord resolve "$ID" --summary "cert renewed" --factor "no expiry monitoring"
expect 0 accord status "$ID" closed
expect 0 accord status "$ID" investigating
test_case "show --json gives the status, id, severity, service and start"
# customer-minutes as of a fixed now: an open window runs until now (docs/metrics.md)
ACCORD_NOW=2026-11-20T13:00:00Z expect 0 accord show "$ID" --json
SHOW=$OUT
equal "$(echo "$SHOW" | jget 'd["status"]')" investigating "reopened"
equal "$(echo "$SHOW" | jget 'd["id"]')" "$ID" "show id is the printed id"
equal "$(echo "$SHOW" | jget 'd["severity"]')" 2 "severity"
equal "$(echo "$SHOW" | jget 'd["service"]')" payments "service"
equal "$(echo "$SHOW" | jget 'd["started_at"]')" 2026-11-20T10:00:00Z "started_at"
test_case "customer-minutes count an open impact window until now"
equal "$(echo "$SHOW" | jget 'd["customer_minutes"]')" 108600 "customer-minutes: the open window runs until now"
equal "$(echo "$SHOW" | jget 'd["customer_minutes_running"]')" true "customer-minutes marked running"
equal "$(echo "$SHOW" | jget 'len(d["impact"])')" 2 "two impact windows"
test_case "show --json says which SLAs were met, and the feedback score"
equal "$(echo "$SHOW" | jget '[s["met"] for s in d["sla"]]')" "[true, false]" "sla met"
equal "$(echo "$SHOW" | jget 'd["feedback"][0]["score"]')" 2 "feedback score"
test_case "show --json lists the timeline in order, and the tickets with who named them"
equal "$(echo "$SHOW" | jget '[t["type"] for t in d["timeline"]]')" \
	'["open", "note", "status", "impact", "impact", "sla", "sla", "feedback", "status", "resolution", "status", "status"]' "timeline in order"
equal "$(echo "$SHOW" | jget '[(t["party"], t["id"], t["named_by"]) for t in d["tickets"]]')" '[["acme", "INC-1", "acme"]]' "tickets kept, with who named them"
test_case "an impact window with the same start closes the open one"
# closing the open window with the same start
expect 0 accord impact "$ID" --customers 10 --start 2026-11-20T12:00:00Z --end 2026-11-20T12:30:00Z
expect 0 accord show "$ID" --json
equal "$(echo "$OUT" | jget 'd["customer_minutes"]')" 108300 "window closed later"
test_case "show takes any unique prefix of an id"
# any unique prefix works; text output
expect 0 accord show "$(printf %s "$ID" | cut -c1-6)"
contains "$OUT" "Card payments failing" "show by prefix"
test_case "list shows the incident and filters by --status"
expect 0 accord list
contains "$OUT" "$ID" "list shows the incident"
expect 0 accord list --json --status investigating
equal "$(echo "$OUT" | jget 'len(d)')" 1 "list --status"
expect 0 accord list --json --status closed
equal "$OUT" "[]" "list --status closed is empty"
test_case "log lists every entry, or one incident's"
expect 0 accord log --json
equal "$(echo "$OUT" | jget 'len(d)')" 14 "log holds every entry"
expect 0 accord log "$ID"
equal "$(echo "$OUT" | wc -l)" 13 "log ID holds the incident's entries"

# --- bad input: exit 2 and nothing written -------------------------------------
test_case "open refuses a bad severity, a missing service, bad times, bad UTF-8, unknown options"
BEFORE=$(refs "$L")
expect 2 accord open --title t --severity 7 --service s
expect 2 accord open --title t --severity 0 --service s
expect 2 accord open --title t --severity two --service s
expect 2 accord open --title t --severity 1
expect 2 accord open --title t --severity 1 --service s --started yesterday
expect 2 accord open --title t --severity 1 --service s --started 2026-02-30T00:00:00Z
expect 2 accord open --title "$(printf 'bad\377utf8')" --severity 1 --service s
expect 2 accord open --title t --severity 1 --service s --fault partner
contains "$ERR" "unknown option --fault" "unknown option named"
expect 2 accord open --title t --severity 1 --service s --ticket nocolon
test_case "feedback, sla and impact refuse bad values"
expect 2 accord feedback "$ID" --score 0
expect 2 accord feedback "$ID" --score 6
expect 2 accord feedback "$ID" --score 3 --lost-minutes -5
expect 2 accord sla "$ID" --name x --target 30 --actual 10m
expect 2 accord sla "$ID" --name x --target 30m --actual soon
expect 2 accord impact "$ID" --customers 5 --start 2026-11-20T10:00:00Z --end 2026-11-20T09:00:00Z
expect 2 accord impact "$ID" --customers -1 --start 2026-11-20T10:00:00Z
test_case "status and note refuse an unknown state and empty text"
expect 2 accord status "$ID" done
expect 2 accord note "$ID"
expect 2 accord note "$ID" ""
test_case "a mistyped command suggests the right one"
expect 2 accord stauts "$ID" resolved
contains "$ERR" "status" "mistyped command suggests status"
test_case "no command, an unknown id and a malformed id are refused"
expect 2 accord
expect 1 accord note ffffffffffff "x"
expect 2 accord note zz "x"
test_case "an overlong title or note is refused"
expect 2 accord open --title "$(head -c 300 /dev/zero | tr '\0' a)" --severity 1 --service s
expect 2 accord note "$ID" "$(head -c 100000 /dev/zero | tr '\0' a)"
test_case "bad input writes nothing"
equal "$(refs "$L")" "$BEFORE" "refs unchanged after bad input"

# --- a passphrase-protected key in use ------------------------------------------------
test_case "a wrong passphrase is refused, saying so"
ACCORD_PASSPHRASE=wrong expect 1 accord --home "$T/sealed" note "$ID" "with the wrong passphrase"
contains "$ERR" "wrong passphrase" "a wrong passphrase is said clearly"
test_case "a protected key without a terminal names ACCORD_PASSPHRASE"
expect 1 env -u ACCORD_PASSPHRASE "$ACCORD_BIN" --home "$T/sealed" note "$ID" "without one"
contains "$ERR" "is protected by a passphrase, and there is no terminal to ask for it on: set ACCORD_PASSPHRASE" "a protected key names ACCORD_PASSPHRASE"

# --- terminal output: colour on a terminal only, never with NO_COLOR ------------------
test_case "colour on a terminal, none with NO_COLOR"
if command -v script >/dev/null; then
	script -qc "$ACCORD_BIN show $ID" /dev/null > "$T/tty.out" 2>&1
	grep -q "$(printf '\033')\[" "$T/tty.out" && ok || bad "colour on a terminal"
	NO_COLOR=1 script -qc "$ACCORD_BIN show $ID" /dev/null > "$T/tty.out" 2>&1
	grep -q "$(printf '\033')\[" "$T/tty.out" && bad "NO_COLOR ignored" || ok
fi
test_case "no colour in a pipe; relative times beside absolute ones"
expect 0 accord show "$ID"
case "$OUT" in *"$(printf '\033')"*) bad "colour in a pipe" ;; *) ok ;; esac
contains "$OUT" " ago)" "relative times beside absolute ones"

# --- help and version ------------------------------------------------------------
test_case "--help, --version and a command's --help"
expect 0 accord --help
contains "$OUT" "allowed-signers" "help lists commands"
expect 0 accord --version
contains "$OUT" "accord " "version"
expect 0 accord open --help
contains "$OUT" "--severity" "open --help"

# --- discovery: -C, ACCORD_DIR, the repository around the current directory ------
test_case "the ledger is found from a subfolder; -C to no repository fails"
mkdir -p "$L/sub/dir"
(cd "$L/sub/dir" && ACCORD_DIR= "$ACCORD_BIN" list >/dev/null 2>&1) && ok || bad "discovery from a subfolder"
expect 1 env ACCORD_DIR= "$ACCORD_BIN" -C "$T/nowhere" list

# --- export validates against the schemas with an independent validator ---------
test_case "export prints every entry"
accord export > "$T/export.jsonl" || bad "export"
equal "$(wc -l < "$T/export.jsonl")" 14 "export prints every entry"
test_case "python jsonschema validates every exported entry, resolving \$refs from the files"
# standard $ref resolution from the files' own location: no registry of ours, no accord.dev
SCHEMAS="$(dirname "$0")/../../schemas"
equal "$(grep -l 'accord\.dev' "$SCHEMAS"/*.json)" "" "no schema names a domain the project does not own"
for how in referencing refresolver; do
	OUT=$(ACCORD_SCHEMA_CHECK=$how /usr/bin/python3 "$(dirname "$0")/schema_check.py" "$SCHEMAS" entry.schema.json "$T/export.jsonl" 2>&1)
	equal "$?" 0 "python jsonschema ($how) validates every exported entry: $OUT"
	contains "$OUT" "14 valid" "python jsonschema ($how) checked them all"
done
test_case "python jsonschema refuses blame fields, controls and bidi overrides, takes plain text"
# and it can fail: a blame field, a control character, a bidi override
tail -1 "$T/export.jsonl" | /usr/bin/python3 -c '
import json, sys
e = json.loads(sys.stdin.read())
for k, v in (("fault", "partner"),):
    b = dict(e); b["body"] = dict(e["body"], **{k: v}); print(json.dumps(b))
o = {"v": 2, "ledger": e["ledger"], "author": e["author"], "seq": 2, "prev": e["ledger"], "lamport": 2,
     "time": e["time"], "type": "note", "incident": e["ledger"], "deps": [], "admission": None, "body": {"text": "x"}}
for t in ("a\u001b[2Jb", "a\u009bb", "a\u202eb", "a\u2066b", "a\rb"):
    print(json.dumps(dict(o, body={"text": t})))
# the same note with a newline and a tab is valid: the refusals above are for their text
print(json.dumps(dict(o, body={"text": "a\nb\tc"})), file=open(sys.argv[1], "w"))
print(json.dumps(dict(o, type="open", body={"title": "a\u202eb", "severity": 1, "service": "s",
      "started_at": e["time"], "parties": ["acme"], "tickets": []})))
' "$T/ok.jsonl" > "$T/bad.jsonl"
OUT=$(/usr/bin/python3 "$(dirname "$0")/schema_check.py" "$SCHEMAS" entry.schema.json "$T/ok.jsonl" 2>&1)
contains "$OUT" "1 valid" "python jsonschema takes the same note with plain text"
OUT=$(/usr/bin/python3 "$(dirname "$0")/schema_check.py" "$SCHEMAS" entry.schema.json "$T/bad.jsonl" --expect-invalid 2>&1)
contains "$OUT" "7 refused" "python jsonschema refuses blame fields, controls and bidi overrides"

# --- stock git verifies every ledger commit ---------------------------------------
test_case "allowed-signers prints a line for git"
accord allowed-signers > "$T/allowed" || bad "allowed-signers"
contains "$(cat "$T/allowed")" "alice@acme namespaces=\"git\",valid-after=" "allowed-signers line"
test_case "stock git verify-commit accepts every ledger commit"
N=0
for c in $(git -C "$L" rev-list --glob=refs/accord/feeds/); do
	N=$((N + 1))
	if git -C "$L" -c gpg.ssh.allowedSignersFile="$T/allowed" verify-commit "$c" 2>&1 | grep -q 'Good "git" signature for alice@acme'; then ok; else bad "git verify-commit $c"; fi
done
equal "$N" 14 "verified every commit"
test_case "git fsck --strict passes"
git -C "$L" fsck --strict >/dev/null 2>&1 && ok || bad "git fsck"

# --- tampering with git plumbing: the entry does not count, the rest stays readable ---
test_case "a forged entry does not count: show names it, says why and still shows the incident"
FEED=refs/accord/feeds/$ALICE_ID
HEAD_C=$(git -C "$L" rev-parse $FEED)
# change one byte of the entry, keep the signature
git -C "$L" cat-file commit "$HEAD_C" | sed 's/"customers":10/"customers":99/' > "$T/forged"
FORGED=$(git -C "$L" hash-object -t commit -w "$T/forged")
[ "$FORGED" != "$HEAD_C" ] && ok || bad "the forgery changed the commit"
git -C "$L" update-ref $FEED "$FORGED"
expect 0 accord show "$ID"
contains "$ERR" "$FORGED" "show names the tampered entry"
contains "$ERR" "signature" "show says why"
contains "$ERR" "accord audit" "show points at the audit"
contains "$OUT" "$ID" "the incident is still shown"
test_case "--strict fails on a forged ledger; log and list still work"
expect 3 accord show "$ID" --strict
expect 0 accord log
expect 0 accord list
expect 3 accord list --strict
test_case "nothing is appended to a feed with a forged entry"
expect 3 accord note "$ID" "on a forged ledger"
contains "$ERR" "holds entries that do not count" "no write on a feed with a forged entry"
equal "$(git -C "$L" rev-parse $FEED)" "$FORGED" "nothing appended on a forged ledger"
git -C "$L" update-ref $FEED "$HEAD_C"
expect 0 accord show "$ID"
test_case "an entry dropped from a feed is named entry-missing"
# drop an entry from the middle of the feed: re-parent with plumbing
MID=$(git -C "$L" rev-parse "$HEAD_C~1")
git -C "$L" cat-file commit "$HEAD_C" | sed "s/^parent .*/parent $(git -C "$L" rev-parse "$MID~1")/" > "$T/skip"
git -C "$L" update-ref $FEED "$(git -C "$L" hash-object -t commit -w "$T/skip")"
expect 0 accord log
contains "$ERR" "entry-missing" "a dropped entry is named"
expect 3 accord log --strict
git -C "$L" update-ref $FEED "$HEAD_C"
test_case "an unsigned commit is named"
# a commit without a signature
git -C "$L" cat-file commit "$HEAD_C" | awk 'BEGIN{s=0} /^gpgsig /{s=1; next} s==1 && /^ /{next} {s=2; print}' > "$T/unsigned"
git -C "$L" update-ref $FEED "$(git -C "$L" hash-object -t commit -w "$T/unsigned")"
expect 0 accord show "$ID"
contains "$ERR" "not signed" "unsigned commit named"
git -C "$L" update-ref $FEED "$HEAD_C"
expect 0 accord log

test_case "a message spanning lines is indented under accord: and escaped"
# --- a message that spans lines: each line after the first is indented under "accord: ",
# so no text can pass for a message of its own; controls stay escaped
expect 2 accord show "$(printf 'ab\naccord: all is well\033[2J')"
equal "$(printf '%s\n' "$ERR" | sed -n 1p)" "accord: 'ab" "first line of a two-line message"
equal "$(printf '%s\n' "$ERR" | sed -n 2p)" "accord:   accord: all is well\\x1b[2J' is not an incident id (4 to 64 lowercase hex digits)" "the next line is indented and escaped"

finish

# What waits on me (issue 19): the inbox after each step of a realistic
# incident among three parties, action items through their life cycle,
# what sync says arrived, and the accord.notify hook's input, byte for byte
# and against its schema. Attacks are played as an attacker would: with the
# CLI, and with stock ssh-keygen and git plumbing (forge.py) for what the
# CLI will not write; every path is read (the hub's hook, sync, show, audit).
. "$(dirname "$0")/lib.sh"
FORGE="/usr/bin/python3 $(cd "$(dirname "$0")" && pwd)/forge/forge.py"
SCHEMAS="$(cd "$(dirname "$0")/../.." && pwd)/schemas"
CHECK="/usr/bin/python3 $(cd "$(dirname "$0")" && pwd)/schema_check.py"
forge() { $FORGE "$@" || bad "forge $*"; }
unset SSH_AUTH_SOCK

for k in alice gina ivan; do newkey $k; done
pub() { accord --home "$T/$1" key show | tail -1; }
kid() { accord --home "$T/$1" key show --json | jget 'd["id"]'; }
idof() { git -C "$1" cat-file commit "$2" | sed '1,/^$/d' | tr -d '\n' | sha256sum | cut -c1-64; }
# valid SCHEMA LABEL: the JSON document in $OUT validates against schemas/SCHEMA
valid() {
	printf '%s\n' "$OUT" | /usr/bin/python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)))' >"$T/doc.jsonl"
	if $CHECK "$SCHEMAS" "$1" "$T/doc.jsonl" >/dev/null 2>"$T/.check"; then ok; else bad "$2: $(cat "$T/.check")"; fi
}
kinds() { echo "$OUT" | jget '[i["kind"] + ("!" if i.get("action", {}).get("overdue") else "") for i in d["items"]]'; }

# --- three parties, one ledger, a hub with the hook ---------------------------------
HUB="$T/hub.git"
git init -q --bare "$HUB"
printf '#!/bin/sh\nexec "%s" hook pre-receive\n' "$ACCORD_BIN" >"$HUB/hooks/pre-receive"
chmod +x "$HUB/hooks/pre-receive"
export ACCORD_NOW=2026-11-20T09:00:00Z
git init -q "$T/acme"
A="$T/acme"
as() { who=$1; repo=$2; shift 2; accord --home "$T/$who" -C "$repo" "$@"; }
expect 0 as alice "$A" init --party acme --title inbox
LEDGER=$OUT
expect 0 as alice "$A" party invite globex --key "$(pub gina)"
expect 0 as alice "$A" party invite initech --key "$(pub ivan)"
expect 0 as alice "$A" remote add hub "$HUB"
expect 0 as alice "$A" sync
expect 0 accord clone "$HUB" "$T/globex" --ledger "$LEDGER"
expect 0 accord clone "$HUB" "$T/initech" --ledger "$LEDGER"
G="$T/globex" I="$T/initech"
expect 0 as gina "$G" party accept globex --ledger "$LEDGER"
expect 0 as gina "$G" sync
expect 0 as ivan "$I" party accept initech --ledger "$LEDGER"
expect 0 as ivan "$I" sync
expect 0 as alice "$A" sync

# --- an empty inbox says so ---------------------------------------------------------
expect 0 as gina "$G" inbox
equal "$OUT" "nothing waits on globex" "empty inbox: says so"
expect 0 as gina "$G" inbox --json
valid inbox.schema.json "empty inbox: schema"
equal "$(echo "$OUT" | jget 'd')" '{"party": "globex", "items": []}' "empty inbox: json"
expect 1 as gina "$G" inbox --party nosuch
contains "$ERR" "no party 'nosuch'" "inbox --party names a party that exists"
expect 1 accord --home "$T/nokey" -C "$G" inbox
contains "$ERR" "give --party" "no key: inbox asks for --party"

# --- the notify hook: a script that keeps its input ---------------------------------
cat >"$T/keep.sh" <<EOF
#!/bin/sh
cat >>"$T/notified.jsonl"
echo "notified \$ACCORD_PARTY"
EOF
chmod +x "$T/keep.sh"
git -C "$G" config accord.notify "$T/keep.sh"
: >"$T/notified.jsonl"
# notified NAME: the lines the hook got since the last call, moved to $T/NAME.jsonl
notified() { mv "$T/notified.jsonl" "$T/$1.jsonl"; : >"$T/notified.jsonl"; }

# --- step 1: acme opens an incident involving globex --------------------------------
export ACCORD_NOW=2026-11-20T09:10:00Z
expect 0 as alice "$A" open --title "Checkout fails" --severity 1 --service checkout \
	--started 2026-11-20T09:05:00Z --parties globex
ID=$OUT
FULL=$(as alice "$A" list --json | jget 'd[0]["full_id"]')
expect 0 as alice "$A" inbox
equal "$OUT" "nothing waits on acme" "the opener's own incident is not in its inbox"
expect 0 as alice "$A" sync
expect 0 as gina "$G" sync
contains "$OUT" "arrived: 1 new incident" "sync names the new incident"
contains "$OUT" "new incident $ID SEV1: Checkout fails" "sync names the incident"
contains "$ERR" "notified globex" "the notify command's output is shown"
notified step1
equal "$(wc -l <"$T/step1.jsonl")" 1 "notify: one line per new item"
if $CHECK "$SCHEMAS" notify.schema.json "$T/step1.jsonl" >/dev/null; then ok; else bad "notify input: schema"; fi
expect 0 as gina "$G" inbox --json
valid inbox.schema.json "step 1: schema"
equal "$(kinds)" '["involved"]' "step 1: globex is involved and has not answered"
equal "$(echo "$OUT" | jget 'd["items"][0]["incident"]["id"]')" "$FULL" "step 1: the incident"
equal "$(echo "$OUT" | jget 'd["items"][0]["involved"]["by"]')" acme "step 1: named by acme"
# byte for byte: the hook got the inbox item, printed on one line
ITEM=$(echo "$OUT" | /usr/bin/python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["items"][0], separators=(",", ":"), ensure_ascii=False))')
equal "$(cat "$T/step1.jsonl")" "$ITEM" "notify input: the inbox item, byte for byte"
expect 0 as gina "$G" inbox
contains "$OUT" "1 item waits on globex" "step 1: text says how many"
contains "$OUT" "respond" "step 1: text says to respond"
contains "$OUT" "involves globex, which has written nothing in it yet (acme named it)" "step 1: text says why"
# nothing new, nothing notified
expect 0 as gina "$G" sync
equal "$(wc -c <"$T/notified.jsonl")" 0 "a sync that brings nothing runs no notify"

# --- step 2: acme involves initech; globex answers ------------------------------------
export ACCORD_NOW=2026-11-20T09:20:00Z
expect 0 as alice "$A" involve "$ID" initech
expect 0 as alice "$A" sync
expect 0 as ivan "$I" sync
expect 0 as ivan "$I" inbox --json
valid inbox.schema.json "step 2: schema"
equal "$(kinds)" '["involved"]' "step 2: initech is involved"
expect 0 as gina "$G" note "$ID" "gateway certificate expired"
expect 0 as gina "$G" inbox
equal "$OUT" "nothing waits on globex" "step 2: globex answered, its inbox is empty"
expect 0 as gina "$G" sync

# --- step 3: a proposal with action items -------------------------------------------
export ACCORD_NOW=2026-11-20T10:00:00Z
expect 0 as alice "$A" sync
expect 0 as alice "$A" resolve "$ID" --summary "Certificate renewed" --factor "expiry not monitored" \
	--action "expiry alerts@globex:2026-12-01" --action "retry with backoff@acme:2026-12-10" \
	--action "joint runbook@acme,globex,initech"
RES=$OUT
expect 0 as alice "$A" sync
expect 0 as gina "$G" sync
contains "$OUT" "arrived: 1 proposal" "sync names the proposal"
notified step3
if $CHECK "$SCHEMAS" notify.schema.json "$T/step3.jsonl" >/dev/null; then ok; else bad "notify input step 3: schema"; fi
equal "$(/usr/bin/python3 -c 'import json,sys; print(sorted(json.loads(l)["kind"] for l in open(sys.argv[1])))' "$T/step3.jsonl")" \
	"['action', 'action', 'proposal']" "notify: the proposal and globex's two action items"
expect 0 as gina "$G" inbox --json
valid inbox.schema.json "step 3: schema"
equal "$(kinds)" '["proposal", "action", "action"]' "step 3: the proposal first, then actions by due day"
equal "$(echo "$OUT" | jget 'd["items"][0]["proposal"]["id"][:12]')" "$RES" "step 3: the proposal waiting"
equal "$(echo "$OUT" | jget '[i["action"]["text"] for i in d["items"][1:]]')" '["expiry alerts", "joint runbook"]' \
	"step 3: globex's items only, dated first"
AID=$(echo "$OUT" | jget 'd["items"][1]["action"]["id"]')
# ids are stable: the same on every copy
expect 0 as alice "$A" show "$ID" --json
equal "$(echo "$OUT" | jget 'd["resolution"]["actions"][0]["id"]')" "$AID" "an action's id is the same on every copy"

# --- step 4: an overdue action at a chosen now --------------------------------------
ACCORD_NOW=2026-12-01T23:59:59Z expect 0 as gina "$G" inbox --json
equal "$(kinds)" '["proposal", "action", "action"]' "step 4: not overdue on its due day"
ACCORD_NOW=2026-12-02T00:00:00Z expect 0 as gina "$G" inbox --json
valid inbox.schema.json "step 4: schema"
equal "$(kinds)" '["action!", "proposal", "action"]' "step 4: overdue first, the day after its due day"
ACCORD_NOW=2026-12-02T00:00:00Z expect 0 as gina "$G" inbox
contains "$OUT" "overdue" "step 4: text says overdue"
contains "$OUT" "was due 2026-12-01, OVERDUE: expiry alerts" "step 4: text names the item"
ACCORD_NOW=2026-12-02T00:00:00Z expect 0 as gina "$G" actions --overdue --json
valid actions.schema.json "actions --overdue: schema"
equal "$(echo "$OUT" | jget '[a["text"] for a in d]')" '["expiry alerts"]' "actions --overdue"
ACCORD_NOW=2026-12-02T00:00:00Z expect 0 as gina "$G" show "$ID"
contains "$OUT" "1. $AID [open] expiry alerts (globex) due 2026-12-01 OVERDUE" "show marks it overdue"

# --- step 5: globex co-signs; initech still owes its signature ------------------------
export ACCORD_NOW=2026-11-20T10:30:00Z
expect 0 as gina "$G" cosign "$RES"
expect 0 as gina "$G" inbox --json
equal "$(kinds)" '["action", "action"]' "step 5: the cosigned proposal left globex's inbox"
expect 0 as gina "$G" sync
expect 0 as ivan "$I" sync
contains "$OUT" "1 proposal" "initech's sync names the proposal"
contains "$OUT" "1 cosignature" "initech's sync names the cosignature"
expect 0 as ivan "$I" inbox --json
equal "$(kinds)" '["proposal", "involved", "action"]' "step 5: initech's inbox: the proposal, its silence, the joint item"
expect 0 as alice "$A" sync --json
valid sync.schema.json "sync --json: schema"
equal "$(echo "$OUT" | jget 'd["arrived"]["cosignatures"]')" 1 "sync --json: the cosignature arrived"
equal "$(echo "$OUT" | jget '"remotes" in d and "conflicts" in d')" true "sync --json keeps its fields"

# --- step 6: a conflict -------------------------------------------------------------
export ACCORD_NOW=2026-11-20T10:40:00Z
expect 0 as gina "$G" sync
expect 0 as alice "$A" status "$ID" identified
expect 0 as gina "$G" status "$ID" mitigated
expect 0 as alice "$A" sync
expect 0 as gina "$G" sync --json
equal "$(echo "$OUT" | jget 'd["arrived"]["status_changes"]')" 1 "sync --json: the status change arrived"
equal "$(echo "$OUT" | jget 'd["arrived"]["conflicts"]')" 1 "sync --json: the conflict"
valid sync.schema.json "sync --json with notify: schema"
equal "$(echo "$OUT" | jget 'd["notify"]')" '{"items": 1, "status": 0, "ok": true}' "sync --json: notify ran for one item"
notified step6
equal "$(/usr/bin/python3 -c 'import json,sys; print([json.loads(l)["kind"] for l in open(sys.argv[1])])' "$T/step6.jsonl")" \
	"['conflict']" "notify: the conflict"
expect 0 as gina "$G" inbox --json
valid inbox.schema.json "step 6: schema"
equal "$(kinds)" '["conflict", "action", "action"]' "step 6: the conflict in globex's inbox"
equal "$(echo "$OUT" | jget 'd["items"][0]["conflict"]["kind"]')" status "step 6: a status conflict"
expect 0 as alice "$A" sync
contains "$OUT" "1 conflict: status of" "acme's sync names the conflict"
expect 0 as alice "$A" inbox
contains "$OUT" "conflict" "step 6: and acme's inbox"
contains "$OUT" "status: " "step 6: the conflict described"
# a status that knew both settles it
expect 0 as alice "$A" status "$ID" resolved
expect 0 as alice "$A" inbox
expect 0 as alice "$A" inbox --json
equal "$(kinds)" '["action", "action"]' "settled: the conflict left acme's inbox, its actions stay"
expect 0 as alice "$A" sync

# --- the action life cycle ----------------------------------------------------------
export ACCORD_NOW=2026-11-21T09:00:00Z
expect 0 as gina "$G" sync
expect 2 as gina "$G" action "$ID" "$AID" not-doing
contains "$ERR" "not-doing needs --note" "not-doing needs a note"
expect 2 as gina "$G" action "$ID" "$AID" assign
contains "$ERR" "assign needs --owner, --link or --due" "assign needs something"
expect 2 as gina "$G" action "$ID" "$AID" assign --owner alice
contains "$ERR" "alice is no member of a party that owns action item $AID (members: gina@globex)" "owner: a member of an owning party"
expect 2 as gina "$G" action "$ID" "$AID" assign --link "javascript:alert(1)"
contains "$ERR" "http:// or https://" "link: http(s) only"
expect 2 as gina "$G" action "$ID" "$AID" assign --link "https://x.example/$(printf '\033[31m')red"
contains "$ERR" '\x1b' "link: an escape is refused and shown escaped"
expect 2 as gina "$G" action "$ID" "$AID" assign --due 2026-13-01
expect 2 as gina "$G" action "$ID" "$AID" done --owner gina
expect 2 as gina "$G" action "$ID" "$AID" done --note "$(printf 'ok\033]0;pwned\007')"
contains "$ERR" "--note" "note: terminal escapes are refused"
expect 1 as gina "$G" action "$ID" ffffffff done
contains "$ERR" "no action item ffffffff" "an unknown action id"
expect 1 as ivan "$I" action "$ID" "$AID" done
contains "$ERR" "not owned by initech" "only an owning party changes an action (CLI)"
expect 0 as gina "$G" action "$ID" "$AID" assign --owner gina --link "https://tracker.example/PAY-118" --due 2026-12-15
expect 0 as gina "$G" action "$ID" 1 done --note "alerts for every partner certificate"
expect 1 as gina "$G" action "$ID" 1 done
contains "$ERR" "is done already" "done twice is refused"
expect 0 as gina "$G" show "$ID" --json
equal "$(echo "$OUT" | jget '[d["resolution"]["actions"][0][k] for k in ("status","owner","link","due","note")]')" \
	'["done", "gina", "https://tracker.example/PAY-118", "2026-12-15", "alerts for every partner certificate"]' \
	"show --json: state, owner, link, due, note"
expect 0 as gina "$G" show "$ID"
contains "$OUT" "owner gina" "show: the owner"
contains "$OUT" "link https://tracker.example/PAY-118" "show: the link"
contains "$OUT" "note alerts for every partner certificate" "show: the note"
expect 0 as gina "$G" log --type action
contains "$OUT" "action 1: done: alerts for every partner certificate" "log: the note"
contains "$OUT" "action 1: assign owner gina, link https://tracker.example/PAY-118, due 2026-12-15" "log: the assignment"
expect 0 as gina "$G" action "$ID" 1 reopen --note "alerts missed one certificate"
expect 1 as gina "$G" action "$ID" 1 reopen
contains "$ERR" "is open already" "reopen of an open item is refused"
expect 0 as gina "$G" action "$ID" 3 not-doing --note "initech runs the runbook"
expect 0 as gina "$G" actions --party globex --json
valid actions.schema.json "actions: schema"
equal "$(echo "$OUT" | jget '[(a["number"], a["status"], a["note"]) for a in d]')" \
	'[[1, "open", "alerts missed one certificate"], [3, "not-doing", "initech runs the runbook"]]' "actions --party: states and notes"
expect 0 as gina "$G" actions
contains "$OUT" "not-doing" "actions: text"
contains "$OUT" "note initech runs the runbook" "actions: the reason"
expect 0 as gina "$G" inbox --json
equal "$(kinds)" '["action"]' "a not-doing item leaves the inbox"
expect 0 as gina "$G" report --since 2026-11-01T00:00:00Z --until 2026-12-01T00:00:00Z --format json
valid report.schema.json "report with action states: schema"
equal "$(echo "$OUT" | jget '[(a["number"], a["reason"]) for a in d["actions"]["not_doing_items"]]')" \
	'[[3, "initech runs the runbook"]]' "report --format json: the not-doing item and its reason"
equal "$(echo "$OUT" | jget '[d["actions"][k] for k in ("open", "done", "not_doing")]')" '[2, 0, 1]' "report: open, done, not doing"
expect 0 as gina "$G" report --since 2026-11-01T00:00:00Z --until 2026-12-01T00:00:00Z
contains "$OUT" "Not doing, and why" "report: not-doing items listed"
contains "$OUT" "initech runs the runbook" "report: with the reason"

# a revision that inherits an item keeps its id and state
expect 0 as gina "$G" sync
expect 0 as alice "$A" sync
export ACCORD_NOW=2026-11-21T10:00:00Z
expect 0 as alice "$A" resolve "$ID" --revises "$RES" --summary "Certificate renewed, monitored"
expect 0 as alice "$A" show "$ID" --json
equal "$(echo "$OUT" | jget '[[a["id"], a["status"]] for a in d["resolution"]["actions"]][2]')" \
	"[\"$(as gina "$G" show "$ID" --json | jget 'd["resolution"]["actions"][2]["id"]')\", \"not-doing\"]" \
	"a revision keeps an inherited item's id and state"
equal "$(echo "$OUT" | jget 'd["resolution"]["revision"]')" 2 "it is a revision"

# --- a forged action: initech changes an item only globex owns ------------------------
expect 0 as alice "$A" sync
expect 0 as ivan "$I" sync
forge sshkey "$T/ivan" "$T/ivan.ssh"
RES2=$(as ivan "$I" show "$ID" --json | jget 'd["resolution"]["id"]')
BEFORE=$(as ivan "$I" show "$ID" --json | jget 'd["resolution"]["actions"][0]')
F=$(forge entry "$I" "$T/ivan.ssh" --type action --incident "$FULL" \
	--body "{\"resolution\":\"$RES2\",\"action\":1,\"state\":\"done\",\"note\":\"forged\"}")
FID=$(idof "$I" "$F")
expect 0 as ivan "$I" show "$ID" --json
equal "$(echo "$OUT" | jget 'd["resolution"]["actions"][0]')" "$BEFORE" "forged action: show leaves it out"
contains "$ERR" "left out" "forged action: show says it left something out"
expect 3 as ivan "$I" audit
contains "$OUT$ERR" "$(echo "$FID" | cut -c1-12)" "forged action: audit names it"
contains "$OUT$ERR" "not owned by initech" "forged action: audit says why"
expect 1 git -C "$I" push -q "$HUB" "refs/accord/feeds/*:refs/accord/feeds/*"
contains "$ERR" "not owned by initech" "forged action: the hub's hook refuses it"
# sync carries the valid feeds and leaves the forged entry out
expect 0 as ivan "$I" sync
expect 0 as gina "$G" sync
expect 0 as gina "$G" show "$ID" --json
equal "$(echo "$OUT" | jget 'd["resolution"]["actions"][0]["status"]')" open "forged action: globex's copy never took it"
# and a forged assign naming an owner of no owning party, by globex itself
forge sshkey "$T/gina" "$T/gina.ssh"
G2="$T/globex2"
rm -rf "$G2" && cp -r "$G" "$G2"
F2=$(forge entry "$G2" "$T/gina.ssh" --type action --incident "$FULL" \
	--body "{\"resolution\":\"$RES2\",\"action\":1,\"state\":\"assign\",\"owner\":\"alice\"}")
expect 3 as gina "$G2" audit
contains "$OUT$ERR" "action owner alice is no member of a party that owns the item" "forged owner: audit says why"
expect 0 as gina "$G2" show "$ID" --json
equal "$(echo "$OUT" | jget 'd["resolution"]["actions"][0]["owner"]')" gina "forged owner: show leaves it out"
# a forged note with a terminal escape fails the schema on every path
rm -rf "$G2" && cp -r "$G" "$G2"
F3=$(forge entry "$G2" "$T/gina.ssh" --type action --incident "$FULL" \
	--body "{\"resolution\":\"$RES2\",\"action\":2,\"state\":\"not-doing\",\"note\":\"\\u001b[2Jgone\"}")
expect 3 as gina "$G2" audit
contains "$OUT$ERR" "$(idof "$G2" "$F3" | cut -c1-12)" "forged escape in a note: audit names it"
for c in actions inbox "show $ID" "log --type action"; do
	expect 0 as gina "$G2" $c
	case "$OUT$ERR" in *"$(printf '\033')"*) bad "$c: an escape reached the terminal" ;; *) ok ;; esac
	case "$OUT" in *gone*) bad "$c: the forged note is shown" ;; *) ok ;; esac
done
# a forged not-doing without a note: the schema's one encoding
rm -rf "$G2" && cp -r "$G" "$G2"
F4=$(forge entry "$G2" "$T/gina.ssh" --type action --incident "$FULL" \
	--body "{\"resolution\":\"$RES2\",\"action\":1,\"state\":\"not-doing\"}")
expect 3 as gina "$G2" audit
contains "$OUT$ERR" "$(idof "$G2" "$F4" | cut -c1-12)" "forged not-doing without a note: audit names it"

# --- a failing notify command does not fail the sync --------------------------------
export ACCORD_NOW=2026-11-21T11:00:00Z
git -C "$G" config accord.notify "echo 'failing on purpose'; exit 7"
expect 0 as alice "$A" note "$ID" "certificate calendar shared"
expect 0 as alice "$A" resolve "$ID" --revises "$(as alice "$A" show "$ID" --json | jget 'd["resolution"]["id"]')" \
	--summary "Certificate renewed, monitored, calendar shared"
expect 0 as alice "$A" sync
expect 0 as gina "$G" sync
contains "$ERR" "accord.notify failed (exit 7)" "a failing notify is reported"
contains "$ERR" "the sync itself is done" "and the sync is not failed"
contains "$ERR" "failing on purpose" "its output is shown"
equal "$(as gina "$G" show "$ID" --json | jget 'd["resolution"]["summary"]')" \
	"Certificate renewed, monitored, calendar shared" "the sync took the entries"
# the hook's output goes through the terminal escaping
git -C "$G" config accord.notify "printf 'x\\033[2Jy\\n'"
expect 0 as alice "$A" resolve "$ID" --revises "$(as alice "$A" show "$ID" --json | jget 'd["resolution"]["id"]')" \
	--summary "Certificate renewed and monitored"
expect 0 as alice "$A" sync
expect 0 as gina "$G" sync
case "$ERR" in *"$(printf '\033')"*) bad "the notify output's escape reached the terminal" ;; *) ok ;; esac
contains "$ERR" 'x\x1b[2Jy' "notify output: escaped"
git -C "$G" config --unset accord.notify

# --- docs/notify-chat.sh against a local webhook ------------------------------------
cat >"$T/webhook.py" <<'EOF'
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with open(sys.argv[1], "ab") as f:
            f.write(body + b"\n")
        self.send_response(200)
        self.end_headers()
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[2], "w").write(str(s.server_port))
s.serve_forever()
EOF
if command -v curl >/dev/null && command -v jq >/dev/null; then
	/usr/bin/python3 "$T/webhook.py" "$T/posted" "$T/port" &
	WEBHOOK=$!
	n=0; while [ ! -s "$T/port" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
	DOCS="$(cd "$(dirname "$0")/../.." && pwd)/docs"
	git -C "$G" config accord.notify "\"$DOCS/notify-chat.sh\" http://127.0.0.1:$(cat "$T/port")/hook"
	expect 0 as alice "$A" open --title "Refunds slow" --severity 3 --service refunds --parties globex
	expect 0 as alice "$A" sync
	expect 0 as gina "$G" sync
	equal "$(jget 'd["text"]' <"$T/posted")" "[globex] Refunds slow (SEV3): involves globex, which has written nothing in it yet (acme named it)" \
		"docs/notify-chat.sh posts the item to the webhook"
	# a partner's title is plain text in the chat: Slack's <!channel> and <url|label> arrive escaped
	: >"$T/posted"
	expect 0 as alice "$A" open --title "<!channel> pay <https://evil.example|here> & now" --severity 3 \
		--service refunds --parties globex
	expect 0 as alice "$A" sync
	expect 0 as gina "$G" sync
	equal "$(jget 'd["text"]' <"$T/posted")" \
		"[globex] &lt;!channel&gt; pay &lt;https://evil.example|here&gt; &amp; now (SEV3): involves globex, which has written nothing in it yet (acme named it)" \
		"docs/notify-chat.sh: &, < and > of partner text arrive escaped (no @channel, no link)"
	kill "$WEBHOOK"
	# docs/notify-mail.sh, with a mail(1) that keeps what it was given
	mkdir -p "$T/bin"
	printf '#!/bin/sh\nprintf "%%s\\n" "$*" >"%s/mailed"\ncat >>"%s/mailed"\n' "$T" "$T" >"$T/bin/mail"
	chmod +x "$T/bin/mail"
	git -C "$G" config accord.notify "\"$DOCS/notify-mail.sh\" oncall@globex.example"
	expect 0 as alice "$A" open --title "Refunds slower" --severity 2 --service refunds --parties globex
	expect 0 as alice "$A" sync
	PATH="$T/bin:$PATH" expect 0 as gina "$G" sync
	equal "$(head -1 "$T/mailed")" "-s accord: 1 new for globex oncall@globex.example" "docs/notify-mail.sh: subject and recipient"
	contains "$(cat "$T/mailed")" "Refunds slower (SEV2, " "docs/notify-mail.sh: the item"
	git -C "$G" config --unset accord.notify
else
	skip "curl or jq not installed: docs/notify-chat.sh and notify-mail.sh"
fi

# --- the revocation reason is shown -------------------------------------------------
newkey gus
expect 0 as gina "$G" member add --key "$(pub gus)" --name gus
expect 0 as gina "$G" member revoke "$(kid gus)" --reason "left the company"
expect 0 as gina "$G" log --type member-revoke
contains "$OUT" "left the company" "log: the revocation reason"

# --- across ledgers -----------------------------------------------------------------
expect 0 accord --home "$T/gina" ledgers add "$G" --name acme-globex
expect 0 accord --home "$T/gina" inbox --all-ledgers --json
valid inbox.schema.json "inbox --all-ledgers: schema"
equal "$(echo "$OUT" | jget 'sorted(set(i["ledger_name"] for i in d["items"]))')" '["acme-globex"]' "inbox --all-ledgers names the ledger"
expect 0 accord --home "$T/gina" inbox --ledger acme-globex
contains "$OUT" "acme-globex" "inbox --ledger: text names the ledger"
expect 2 accord --home "$T/gina" inbox --ledger nosuch
expect 0 as alice "$A" note "$ID" "calendar reviewed"
expect 0 as alice "$A" sync
expect 0 accord --home "$T/gina" sync --all-ledgers --no-checkpoint
equal "$(echo "$OUT" | wc -l)" 1 "sync --all-ledgers: still one line per ledger"
contains "$OUT" "acme-globex: origin: took 1 entry in 1 feed, pushed 1 ref; arrived: 1 note" "sync --all-ledgers: what arrived, on the ledger's line"
expect 0 accord --home "$T/gina" sync --all-ledgers --json
valid sync.schema.json "sync --all-ledgers --json: schema"
equal "$(echo "$OUT" | jget '[l["name"] for l in d["ledgers"]]')" '["acme-globex"]' "sync --all-ledgers --json"
expect 0 accord --home "$T/gina" actions --all-ledgers --json
valid actions.schema.json "actions --all-ledgers: schema"

# --- agreed terms (issue 18): an agreement waits for the provider; the acknowledge clock runs ---
export ACCORD_NOW=2026-11-22T09:00:00Z
# a fourth party, hooli (hank), with a copy of its own: the others' feeds carry this test's forgeries
newkey hank
expect 0 as alice "$A" party invite hooli --key "$(pub hank)"
expect 0 as alice "$A" sync
expect 0 accord clone "$HUB" "$T/hooli" --ledger "$LEDGER"
I="$T/hooli"
expect 0 as hank "$I" party accept hooli --ledger "$LEDGER"
expect 0 as hank "$I" sync
expect 0 as alice "$A" sync
git -C "$I" config accord.notify "$T/keep.sh"
: >"$T/notified.jsonl"
expect 0 as alice "$A" agreement propose --with hooli --service billing --acknowledge 30m --mitigate 2h --restore 8h
AG=$OUT
expect 0 as alice "$A" sync
expect 0 as hank "$I" sync
contains "$OUT" "arrived: 1 proposal" "sync counts terms waiting for a cosign as a proposal (explore60b 09)"
notified agree
equal "$(jget '[(d["kind"], d["incident"], d["proposal"]["type"], d["proposal"]["by"]) for d in [d]]' <"$T/agree.jsonl")" \
	'[["proposal", null, "agreement", "acme"]]' "notify: the agreement waiting for hooli, of no incident"
if $CHECK "$SCHEMAS" notify.schema.json "$T/agree.jsonl" >/dev/null; then ok; else bad "notify input (agreement): schema"; fi
expect 0 as hank "$I" inbox --json
valid inbox.schema.json "agreement: schema"
equal "$(echo "$OUT" | jget '[i["proposal"]["id"][:12] for i in d["items"] if i["incident"] is None]')" "[\"$AG\"]" \
	"inbox: the agreement waits for hooli's cosignature"
expect 0 as hank "$I" inbox
contains "$OUT" "agreement $AG" "inbox text: the agreement, by its id"
contains "$OUT" "agreement $AG by acme waits for hooli's cosignature: service billing, every severity; acknowledge 30m, mitigate 2h, restore 8h" \
	"inbox text: what the terms are"
expect 0 as alice "$A" inbox --json
equal "$(echo "$OUT" | jget '[i for i in d["items"] if i["incident"] is None]')" "[]" "the proposer's own agreement is not in its inbox"
expect 0 as hank "$I" cosign "$AG"
expect 0 as hank "$I" inbox --json
equal "$(echo "$OUT" | jget '[i for i in d["items"] if i["incident"] is None]')" "[]" "co-signed, the agreement leaves the inbox"
expect 0 as hank "$I" sync
expect 0 as alice "$A" sync
# an incident of billing opened at 09:10 involving hooli: its acknowledge clock runs from the open
export ACCORD_NOW=2026-11-22T09:10:00Z
expect 0 as alice "$A" open --title "Invoices late" --severity 2 --service billing \
	--started 2026-11-22T09:00:00Z --parties hooli
BID=$OUT
expect 0 as alice "$A" sync
expect 0 as hank "$I" sync
# 09:10 to 09:22 is 12m (24x7) of the 30m agreed: running
ACCORD_NOW=2026-11-22T09:22:00Z expect 0 as hank "$I" inbox --json
valid inbox.schema.json "acknowledge clock: schema"
equal "$(echo "$OUT" | jget '[i["involved"].get("acknowledge") for i in d["items"] if i["kind"] == "involved" and i["incident"]["title"] == "Invoices late"]')" \
	'[{"elapsed_s": 720, "target_s": 1800, "state": "running"}]' "inbox: the acknowledge clock runs, 12m of 30m"
ACCORD_NOW=2026-11-22T09:22:00Z expect 0 as hank "$I" inbox
contains "$OUT" "acknowledge clock 12m of 30m: running" "inbox text: the acknowledge clock"
# 09:10 to 09:50 is 40m: missed
ACCORD_NOW=2026-11-22T09:50:00Z expect 0 as hank "$I" inbox
contains "$OUT" "acknowledge clock 40m of 30m: missed" "inbox text: the clock missed"
git -C "$I" config --unset accord.notify

# --- two remotes (explore60b 03): what the first brings is said and notified --------
# globex's copy syncs with acme's repository first, then the hub, which brings nothing
# more: the second remote's verification holds none of what the first took
git -C "$G" config accord.notify "$T/keep.sh"
: >"$T/notified.jsonl"
expect 0 as gina "$G" remote add acme "$A"
expect 0 as gina "$G" sync
export ACCORD_NOW=2026-11-22T10:00:00Z
expect 0 as alice "$A" open --title "Checkout down again" --severity 1 --service checkout \
	--started 2026-11-22T09:55:00Z --parties globex
TWO=$OUT
expect 0 as gina "$G" sync acme origin
contains "$OUT" "arrived: 1 new incident" "two remotes: sync says what the first one brought"
contains "$OUT" "new incident $TWO SEV1: Checkout down again" "two remotes: sync names the incident"
contains "$(cat "$T/notified.jsonl")" "Checkout down again" "two remotes: notify gets the new item"
git -C "$G" config --unset accord.notify

# --- an incident every party agreed void asks nothing more (explore60b 08): the other
# party's window, which waited for acme's cosignature, leaves both inboxes
export ACCORD_NOW=2026-11-22T11:00:00Z
expect 0 as alice "$A" open --title "Alert storm" --severity 3 --service web \
	--started 2026-11-22T10:30:00Z --parties globex
VI=$OUT
expect 0 as alice "$A" impact "$VI" --customers 100 --start 2026-11-22T10:30:00Z
expect 0 as alice "$A" sync
expect 0 as gina "$G" sync
expect 0 as gina "$G" impact "$VI" --customers 40 --start 2026-11-22T10:30:00Z
expect 0 as gina "$G" void "$VI" --reason "a monitoring glitch"
VP=$OUT
expect 0 as gina "$G" sync
expect 0 as alice "$A" sync
expect 0 as alice "$A" inbox --json
contains "$OUT" "impact figure" "void: before it is joint, globex's window waits for acme"
expect 0 as alice "$A" cosign "$VP"
expect 0 as alice "$A" sync
expect 0 as gina "$G" sync
for who in alice:"$A" gina:"$G"; do
	expect 0 as "${who%%:*}" "${who#*:}" inbox --json
	equal "$(echo "$OUT" | jget "[i['kind'] for i in d['items'] if i['incident'] and i['incident']['id'].startswith('$VI')]")" \
		"[]" "void: nothing of the void incident waits on ${who%%:*}"
done

finish

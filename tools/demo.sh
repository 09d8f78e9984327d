#!/usr/bin/env bash
# make demo: a short scripted story on a throwaway ledger with throwaway
# keys. Everything lives in one temporary folder, removed at the end;
# nothing is written to your home.
set -eu
ACCORD=${1:-bin/accord}
D=$(mktemp -d "${TMPDIR:-/tmp}/accord-demo.XXXXXX")
trap 'rm -rf "$D"' EXIT
export ACCORD_PASSPHRASE= GIT_CONFIG_NOSYSTEM=1 HOME="$D/home"
unset ACCORD_HOME ACCORD_DIR ACCORD_NOW
mkdir -p "$HOME"

# Every date is relative to today, so the figures never drift: the story
# happens the day before yesterday (D1) and yesterday (D2). at() sets
# ACCORD_NOW, the clock accord signs entries with; it only ever moves
# forward (a feed's entries may not go back in time).
TODAY=$(date -u +%F)
D1=$(date -u -d "$TODAY -2 days" +%F) D2=$(date -u -d "$TODAY -1 day" +%F)
t() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }
at() { ACCORD_NOW=$(t "$1"); export ACCORD_NOW; }

step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }
say() { printf '$ accord' >&2; printf ' %q' "$@" >&2; printf '\n' >&2; }
run() { say "$@"; "$ACCORD" "$@"; }

step "Alice (acme) and Gina (globex, acme's payment partner) each make a signing key"
run --home "$D/alice" key new --name alice --no-passphrase >/dev/null
run --home "$D/gina" key new --name gina --no-passphrase >/dev/null
run --home "$D/alice" key show
ALICE_KEY=$("$ACCORD" --home "$D/alice" key show | head -1)

step "Alice creates the ledger in a git repository and invites globex"
git init -q "$D/ledger"
export ACCORD_DIR="$D/ledger"
at "$D1 08:00"
run --home "$D/alice" init --party acme --title "acme and partners"
run --home "$D/alice" party invite globex --key "$("$ACCORD" --home "$D/gina" key show | tail -1)" >/dev/null
at "$D1 08:10"
run --home "$D/gina" party accept globex >/dev/null
run party list

step "Agreed terms: acme proposes an SLA and XLA for checkout, globex co-signs it: in force"
# 24x7 (no --hours), so the clocks come out the same whatever weekday the demo runs on;
# with --hours "Mon-Fri 08:00-18:00 Europe/Copenhagen" they would count business hours only.
export ACCORD_HOME="$D/alice"
at "$D1 08:20"
AG=$(run agreement propose --with globex --service checkout --acknowledge 15m --mitigate 1h --restore 6h \
	--csat-target 80 --lost-minutes-target 30)
at "$D1 08:30"
run --home "$D/gina" cosign "$AG" >/dev/null
run agreement list

step "Checkout is failing: Alice opens an incident with both parties (impact began at 09:05)"
at "$D1 09:12"
ID=$(run open --title "Checkout fails for card payments" --severity 1 --service checkout \
	--started "$(t "$D1 09:05")" --parties globex --ticket acme:INC-4411 --ticket globex:PAY-118)
echo "$ID"
at "$D1 09:21"
run --home "$D/gina" note "$ID" "Payment gateway returns 502 for 40% of requests"
step "globex waits on acme for logs: a pause of globex's own clock counts once acme co-signs it"
at "$D1 09:30"
P=$(run --home "$D/gina" status "$ID" waiting --on acme --note "need acme's checkout logs")
at "$D1 09:35"
run cosign "$P" >/dev/null
at "$D1 09:48"
run --home "$D/gina" status "$ID" identified --note "Expired TLS certificate at the gateway" >/dev/null
at "$D1 10:15"
run --home "$D/gina" status "$ID" mitigated --note "traffic moved to the standby gateway" >/dev/null
at "$D1 10:40"
W=$(run impact "$ID" --customers 1800 --start "$(t "$D1 09:05")" --end "$(t "$D1 10:35")" \
	--description "card checkout failed")
step "globex counted fewer customers: two figures for one window, a dispute shown beside the count"
at "$D1 10:50"
run --home "$D/gina" impact "$ID" --customers 1200 --start "$(t "$D1 09:05")" --end "$(t "$D1 10:35")" >/dev/null
run show "$ID" | grep -E '^  (impact|customer-minutes) |^ {20}[a-z]+: [0-9]+ customers'
step "Gina checks acme's count and co-signs it: the figure is joint, the dispute settled"
at "$D1 10:55"
run --home "$D/gina" cosign "$W" >/dev/null
run show "$ID" | grep -E '^  (impact|customer-minutes) |^ {20}[a-z]+: [0-9]+ customers'
step "The contract's SLA figures are green..."
at "$D1 11:00"
run --home "$D/gina" sla "$ID" --name first-response --target 30m --actual 9m >/dev/null
run --home "$D/gina" sla "$ID" --name restore --target 4h --actual 1h30m >/dev/null
step "...but customers were not happy: a watermelon"
at "$D1 14:00"
run feedback "$ID" --score 1 --lost-minutes 40 --comment "Lost my basket twice" \
	--indicator had-to-repeat --indicator slow >/dev/null
run feedback "$ID" --score 2 --lost-minutes 15 --indicator poor-communication >/dev/null
run status "$ID" resolved >/dev/null
step "The clocks, computed from the signed timeline: every one met, beside what globex typed"
run show "$ID" | sed -n '/^  clocks/,/^  pauses/p'
step "A correction, without rewriting: the title becomes precise, and show keeps its history"
run amend "$ID" --title "Card checkout fails: expired gateway certificate" --reason "cause known" >/dev/null
run show "$ID" | grep -E '^  (title|amended) '

step "No blame: Alice proposes a resolution, Gina co-signs it, and it is joint"
at "$D2 10:00"
run resolve "$ID" --summary "Certificate renewed; expiry is now monitored on both sides" \
	--factor "certificate expiry was not monitored" --factor "checkout retried without backoff" \
	--went-well "joint bridge within 10 minutes" --went-wrong "status page updated late" \
	--action "expiry alerts for partner certificates@acme,globex:$(date -u -d "$TODAY +14 days" +%F)" \
	--action "retry with backoff@acme" >/dev/null
at "$D2 15:00"
run --home "$D/gina" cosign "$ID" >/dev/null
at "$D2 15:30"
run status "$ID" closed >/dev/null
unset ACCORD_NOW # the story is written; from here on, accord reads at the real time

step "What happened, as signed entries"
run show "$ID"

step "Every entry is an SSH-signed git commit: stock git verifies them"
run allowed-signers > "$D/allowed_signers"
cat "$D/allowed_signers"
git -C "$D/ledger" -c gpg.ssh.allowedSignersFile="$D/allowed_signers" \
	log --show-signature --format='commit %h' -2 --glob=refs/accord/feeds/ 2>&1 | grep -E 'Good|^commit' | head -4

SINCE=$(t "$TODAY -30 days") UNTIL=$(t "$TODAY")
step "A forgery: someone rewrites Alice's last entry (\"closed\" becomes \"resolved\") and keeps her signature"
FEED=refs/accord/feeds/$ALICE_KEY
HEADC=$(git -C "$D/ledger" rev-parse "$FEED")
git -C "$D/ledger" cat-file commit "$HEADC" | sed 's/"body":{"status":"closed"}/"body":{"status":"resolved"}/' \
	| git -C "$D/ledger" hash-object -t commit -w --stdin > "$D/forged"
FORGED=$(cat "$D/forged")
if [ "$FORGED" = "$HEADC" ]; then
	echo "demo: BUG: the forgery changed nothing (Alice's head $HEADC is not her closing entry)" >&2
	exit 1
fi
echo "forged commit $FORGED replaces Alice's head $HEADC"
git -C "$D/ledger" update-ref "$FEED" "$FORGED"
step "It is caught and contained: the rest of the ledger still reads, and the bad entry is named"
set +e
run show "$ID" | grep -E '^incident|^  (title|status) '; SHOW=${PIPESTATUS[0]}
run report --since "$SINCE" --until "$UNTIL" | grep -E '^  (resolved|closed|customer-minutes) +[0-9]'; REPORT=${PIPESTATUS[0]}
run audit | grep -E '^Result:|^  [a-z-]+ \([0-9]+\):|^    [0-9]+\. '; AUDIT=${PIPESTATUS[0]}
say show "$ID" --strict; "$ACCORD" show "$ID" --strict >/dev/null 2>&1; STRICT=$?
set -e
echo "exit codes: show $SHOW, report $REPORT, audit $AUDIT, show --strict $STRICT" \
	"(0 = what is printed counts, the bad entry is left out; 3 = a finding, from audit or --strict)"
if [ "$SHOW $REPORT $AUDIT $STRICT" != "0 0 3 3" ]; then
	echo "demo: BUG: expected exit codes 0 0 3 3" >&2
	exit 1
fi
git -C "$D/ledger" update-ref "$FEED" "$HEADC"
step "Alice's ref is restored: the ledger audits clean again"
set +e
run audit | grep '^Result:'; CLEAN=${PIPESTATUS[0]}
set -e
echo "exit code: $CLEAN (0 = every entry counts)"
[ "$CLEAN" = 0 ] || { echo "demo: BUG: the restored ledger does not audit clean" >&2; exit 1; }
step "The service review: what customers went through and how the parties worked together"
run report --since "$SINCE" --until "$UNTIL"
step "Demo done; the temporary ledger and keys are removed."

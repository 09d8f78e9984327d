#!/usr/bin/env bash
# make demo: a short scripted story on a throwaway ledger with throwaway
# keys. Everything lives in one temporary folder, removed at the end;
# nothing is written to your home.
set -eu
ACCORD=${1:-bin/accord}
D=$(mktemp -d "${TMPDIR:-/tmp}/accord-demo.XXXXXX")
trap 'rm -rf "$D"' EXIT
export ACCORD_PASSPHRASE= GIT_CONFIG_NOSYSTEM=1 HOME="$D/home"
unset ACCORD_HOME ACCORD_DIR
mkdir -p "$HOME"

step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }
run() { printf '$ accord' >&2; printf ' %q' "$@" >&2; printf '\n' >&2; "$ACCORD" "$@"; }

step "Alice (acme) and Gina (globex, acme's payment partner) each make a signing key"
run --home "$D/alice" key new --name alice >/dev/null
run --home "$D/gina" key new --name gina >/dev/null
run --home "$D/alice" key show

step "Alice creates the ledger in a git repository and invites globex"
git init -q "$D/ledger"
export ACCORD_DIR="$D/ledger"
run --home "$D/alice" init --party acme --title "acme and partners"
run --home "$D/alice" party invite globex --key "$("$ACCORD" --home "$D/gina" key show | tail -1)" >/dev/null
run --home "$D/gina" party accept globex >/dev/null
run party list

step "Checkout is failing: Alice opens an incident with both parties (impact began at 09:05)"
export ACCORD_HOME="$D/alice"
ID=$(run open --title "Checkout fails for card payments" --severity 1 --service checkout \
	--started 2026-11-20T09:05:00Z --parties globex --ticket acme:INC-4411 --ticket globex:PAY-118)
echo "$ID"
run --home "$D/gina" note "$ID" "Payment gateway returns 502 for 40% of requests"
run --home "$D/gina" status "$ID" identified --note "Expired TLS certificate at the gateway" >/dev/null
run impact "$ID" --customers 1800 --start 2026-11-20T09:05:00Z --end 2026-11-20T10:35:00Z \
	--description "card checkout failed" >/dev/null
step "The contract's SLA figures are green..."
run --home "$D/gina" sla "$ID" --name first-response --target 30m --actual 9m >/dev/null
run --home "$D/gina" sla "$ID" --name restore --target 4h --actual 1h30m >/dev/null
step "...but customers were not happy: a watermelon"
run feedback "$ID" --score 1 --lost-minutes 40 --comment "Lost my basket twice" >/dev/null
run feedback "$ID" --score 2 --lost-minutes 15 >/dev/null
run status "$ID" resolved >/dev/null

step "No blame: Alice proposes a resolution, Gina co-signs it, and it is joint"
run resolve "$ID" --summary "Certificate renewed; expiry is now monitored on both sides" \
	--factor "certificate expiry was not monitored" --factor "checkout retried without backoff" \
	--went-well "joint bridge within 10 minutes" --went-wrong "status page updated late" \
	--action "expiry alerts for partner certificates@acme,globex:2026-12-15" \
	--action "retry with backoff@acme" >/dev/null
run --home "$D/gina" cosign "$ID" >/dev/null
run status "$ID" closed >/dev/null

step "What happened, as signed entries"
run show "$ID"

step "Every entry is an SSH-signed git commit: stock git verifies them"
run allowed-signers > "$D/allowed_signers"
cat "$D/allowed_signers"
git -C "$D/ledger" -c gpg.ssh.allowedSignersFile="$D/allowed_signers" \
	log --show-signature --format='commit %h' -2 --glob=refs/accord/feeds/ 2>&1 | grep -E 'Good|^commit' | head -4

step "Tampering is caught: change one byte of an entry, keep its signature"
FEED=$(git -C "$D/ledger" for-each-ref --format='%(refname)' refs/accord/feeds/ | head -1)
HEADC=$(git -C "$D/ledger" rev-parse "$FEED")
git -C "$D/ledger" cat-file commit "$HEADC" | sed 's/"closed"/"resolved"/' \
	| git -C "$D/ledger" hash-object -t commit -w --stdin > "$D/forged"
git -C "$D/ledger" update-ref "$FEED" "$(cat "$D/forged")"
set +e
run show "$ID" >/dev/null
echo "exit code: $? (3 = verification failed)"
set -e
git -C "$D/ledger" update-ref "$FEED" "$HEADC"
step "The service review: what customers went through and how the parties worked together"
run report --since 2026-11-01T00:00:00Z --until 2026-12-01T00:00:00Z
step "Demo done; the temporary ledger and keys are removed."

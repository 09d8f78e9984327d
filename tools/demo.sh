#!/bin/sh
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
run() { printf '$ accord %s\n' "$*" >&2; "$ACCORD" "$@"; }

step "Alice at acme makes a signing key (kept in $D/alice, outside any ledger)"
run --home "$D/alice" key new --name alice >/dev/null
run --home "$D/alice" key show

step "She creates the ledger in a git repository"
git init -q "$D/ledger"
export ACCORD_DIR="$D/ledger" ACCORD_HOME="$D/alice"
run init --party acme --title "acme and partners"

step "Checkout is failing: she opens an incident (impact began at 09:05)"
ID=$(run open --title "Checkout fails for card payments" --severity 1 --service checkout \
	--started 2026-11-20T09:05:00Z --ticket acme:INC-4411)
echo "$ID"
run note "$ID" "Payment gateway returns 502 for 40% of requests"
run status "$ID" identified --note "Expired TLS certificate at the gateway"
run impact "$ID" --customers 1800 --start 2026-11-20T09:05:00Z --end 2026-11-20T10:35:00Z \
	--description "card checkout failed"
step "The contract's SLA figures are green..."
run sla "$ID" --name first-response --target 30m --actual 9m
run sla "$ID" --name restore --target 4h --actual 1h30m
step "...but customers were not happy"
run feedback "$ID" --score 1 --lost-minutes 40 --comment "Lost my basket twice"
run feedback "$ID" --score 2 --lost-minutes 15
run status "$ID" mitigated
run status "$ID" resolved

step "What happened, as signed entries"
run show "$ID"

step "Every entry is an SSH-signed git commit: stock git verifies them"
run allowed-signers > "$D/allowed_signers"
cat "$D/allowed_signers"
git -C "$D/ledger" -c gpg.ssh.allowedSignersFile="$D/allowed_signers" \
	log --show-signature --format='%h %s' -3 "refs/accord/feeds/" 2>&1 | grep -E 'Good|^[0-9a-f]{7} ' | head -6

step "Tampering is caught: change one byte of an entry, keep its signature"
FEED=$(git -C "$D/ledger" for-each-ref --format='%(refname)' refs/accord/feeds/ | head -1)
HEADC=$(git -C "$D/ledger" rev-parse "$FEED")
git -C "$D/ledger" cat-file commit "$HEADC" | sed 's/"resolved"/"closed"/' \
	| git -C "$D/ledger" hash-object -t commit -w --stdin > "$D/forged"
git -C "$D/ledger" update-ref "$FEED" "$(cat "$D/forged")"
set +e
run show "$ID" >/dev/null
echo "exit code: $? (3 = verification failed)"
set -e
git -C "$D/ledger" update-ref "$FEED" "$HEADC"
step "Demo done; the temporary ledger and keys are removed."

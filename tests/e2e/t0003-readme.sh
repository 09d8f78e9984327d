# The README's quickstart, run verbatim (issue 9): every step must work as written.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$T/bin" "$T/work"
ln -s "$ACCORD_BIN" "$T/bin/accord"
awk '/<!-- quickstart:begin -->/{on=1; next} /<!-- quickstart:end -->/{on=0} on && /^```sh$/{code=1; next} on && /^```$/{code=0; next} on && code' \
	"$ROOT/README.md" > "$T/quickstart.sh"
[ "$(wc -l < "$T/quickstart.sh")" -gt 40 ] && ok || bad "quickstart extracted"
# the newcomer pins the ledger they were invited to, and keys without a terminal say --no-passphrase
contains "$(cat "$T/quickstart.sh")" 'accord clone hub.git globex --ledger "$LEDGER"' "the quickstart clones with --ledger"
contains "$(cat "$T/quickstart.sh")" 'accord party accept globex --ledger "$LEDGER"' "the quickstart accepts with --ledger"
equal "$(grep -c 'key new .*--no-passphrase' "$T/quickstart.sh")" 2 "the quickstart makes keys with --no-passphrase"
(cd "$T/work" && PATH="$T/bin:$PATH" ACCORD_PASSPHRASE= bash -e "$T/quickstart.sh") > "$T/out" 2> "$T/err" \
	&& ok || bad "README quickstart failed: $(tail -5 "$T/err")"
contains "$(cat "$T/err")" "accord party accept globex --ledger $(git -C "$T/work/acme" config accord.ledger)" "invite printed Gina's command"
contains "$(cat "$T/out")" "JOINT" "the quickstart reaches a joint resolution"
contains "$(cat "$T/out")" "customer" "the quickstart ends with a report"
# the agreement, the pause and the computed clocks (times relative to now: the same on any day)
contains "$(cat "$T/out")" "acme (customer) with globex (provider), service checkout" "the quickstart's agreement is in force"
contains "$(cat "$T/out")" "waiting on acme, set by globex" "the quickstart's pause"
contains "$(cat "$T/out")" "of 30m: met" "the quickstart's time to acknowledge, met"
contains "$(cat "$T/out")" "reported by globex: restore 1h30m (target 4h): DISAGREES with the computed clock" \
	"the quickstart shows globex's typed figure beside the computed clock"
# the column's width follows the widest clock, which depends on the seconds the run took
equal "$(grep -c '^  *SLA met (computed clocks)  *100% (3 of 3) ' "$T/out")" 1 "the report's provider table"
contains "$(cat "$T/out")" "why: slow 1, had-to-repeat 1" "the quickstart's watermelon, and why"
# both organizations hold the same history
A=$(cd "$T/work/acme" && "$ACCORD_BIN" export | sort | sha256sum)
G=$(cd "$T/work/globex" && ACCORD_HOME="$T/work/gina-keys" "$ACCORD_BIN" sync >/dev/null 2>&1; "$ACCORD_BIN" export | sort | sha256sum)
equal "$G" "$A" "both ledgers hold the same entries"

# What waits on me (issue 19), run after the quickstart: the inbox, an action item's life.
awk '/<!-- inbox:begin -->/{on=1; next} /<!-- inbox:end -->/{on=0} on && /^```sh$/{code=1; next} on && /^```$/{code=0; next} on && code' \
	"$ROOT/README.md" > "$T/t3003-inbox.sh"
contains "$(cat "$T/t3003-inbox.sh")" "accord inbox" "the README shows the inbox"
ID=$(cd "$T/work/acme" && "$ACCORD_BIN" list --quiet | tail -1)
(cd "$T/work" && PATH="$T/bin:$PATH" ACCORD_PASSPHRASE= ID="$ID" bash -e "$T/t3003-inbox.sh") > "$T/out3" 2> "$T/err3" \
	&& ok || bad "README inbox section failed: $(tail -5 "$T/err3")"
contains "$(cat "$T/out3")" "1 item waits on globex" "the inbox: the shared action item"
# the quickstart's item is due 14 days from the day it ran (read back, so midnight cannot split them)
DUE=$(cd "$T/work/acme" && "$ACCORD_BIN" show "$ID" --json | jget 'd["resolution"]["actions"][0]["due"]')
contains "$(cat "$T/out3")" "was due $DUE, OVERDUE: expiry alerts for partner certificates" "the inbox: overdue the day after"
contains "$(cat "$T/out3")" "note expiry alerts on every partner certificate" "actions: the note"
contains "$(cat "$T/out3")" "nothing waits on globex" "the inbox: empty at the end"

# The second partner in its own ledger and the report across both, run after the quickstart.
awk '/<!-- ledgers:begin -->/{on=1; next} /<!-- ledgers:end -->/{on=0} on && /^```sh$/{code=1; next} on && /^```$/{code=0; next} on && code' \
	"$ROOT/README.md" > "$T/t3002-ledgers.sh"
contains "$(cat "$T/t3002-ledgers.sh")" "accord report --all-ledgers" "the README reports across ledgers"
(cd "$T/work" && PATH="$T/bin:$PATH" ACCORD_PASSPHRASE= bash -e "$T/t3002-ledgers.sh") > "$T/out2" 2> "$T/err2" \
	&& ok || bad "README ledgers section failed: $(tail -5 "$T/err2")"
contains "$(cat "$T/out2")" "acme-initech: hub: up to date" "sync --all-ledgers: one line per ledger"
contains "$(cat "$T/out2")" "Database failover failed" "list --all-ledgers shows initech's incident"
contains "$(cat "$T/out2")" "ledger acme-globex" "the report names the first ledger"
# quickstart: 1800 customers for 90 min (acme's window; globex co-signed it) = 162,000;
# here 300 for 45 min = 13,500: 175,500 across both
contains "$(cat "$T/out2")" "175,500" "the report adds customer-minutes across ledgers"
equal "$(git -C "$T/work/globex" log --all --format=%B | grep -c 'Database failover\|initech')" "0" "globex's copy holds nothing of initech's"
finish

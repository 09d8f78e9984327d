# make demo (issue 12 item 8): tools/demo.sh runs to the end, its forgery is
# real (the forged commit differs from Alice's head and is the one audit
# names), the ledger stays readable while the bad entry is left out, and
# its figures do not depend on the day it runs.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

demo() { TMPDIR="$T" bash "$ROOT/tools/demo.sh" "$ACCORD_BIN" > "$T/demo$1" 2>&1 || bad "demo run $1 failed: $(tail -5 "$T/demo$1")"; }
demo 1
O=$(cat "$T/demo1")
contains "$O" "Demo done" "the demo runs to the end"

# the forgery: a new commit in place of Alice's head, named by audit
LINE=$(grep '^forged commit ' "$T/demo1")
FORGED=$(echo "$LINE" | cut -d' ' -f3)
ORIG=$(echo "$LINE" | cut -d' ' -f7)
case "$FORGED$ORIG" in *[!0-9a-f]* | "") bad "forged and original commit ids in: $LINE" ;; *) ok ;; esac
[ ${#FORGED} = 40 ] && [ "$FORGED" != "$ORIG" ] && ok || bad "the forged commit must differ from the original: $LINE"
contains "$O" "1 entry left out, it does not count: signature-mismatch on feed alice@acme seq 12, commit $FORGED" \
	"show and report name the left-out entry on stderr"
contains "$O" "Result:      1 FINDING (signature-mismatch 1)" "audit finds the forgery"
contains "$O" "(alice@acme) seq 12, commit $FORGED, entry " "audit's finding names the forged commit"
# containment: show and report still work on what counts
contains "$O" "  status            resolved since" "show still shows the incident, without the forged closing entry"
contains "$O" "exit codes: show 0, report 0, audit 3, show --strict 3 (" "exit codes while tampered"
contains "$O" "Result:      CLEAN: 23 of 23 entries verified" "audit is clean once the ref is restored"
contains "$O" "exit code: 0 (0 = every entry counts)" "audit exits 0 once the ref is restored"

# the final report: dates are relative to today, so its figures are always these
# figure RUN LABEL: the value after LABEL in the final report, above its definitions
figure() { sed '/^How each figure is defined/,$d' "$T/demo$1" | grep -E "^  $2 " | tail -1 | sed -E "s/^  $2 +//"; }
equal "$(figure 1 'customer-minutes ')" 162,000 "customer-minutes (thousands grouped)"
# the clocks (24x7, so any weekday): acknowledge 09:12-09:21 = 9m; mitigate 09:05-10:15 = 70m less the
# co-signed pause 09:30-09:48 (18m) = 52m; restore 09:05-14:00 = 4h55m less 18m = 4h37m; all met
contains "$O" "acknowledge     9m of 15m: met" "demo: time to acknowledge"
contains "$O" "mitigate        52m of 1h: met" "demo: time to mitigate, less the pause"
contains "$O" "restore         4h37m of 6h: met" "demo: time to restore"
contains "$O" "reported by globex: restore 1h30m (target 4h): DISAGREES with the computed clock" "demo: the typed figure disagrees"
contains "$O" "waiting on acme, set by globex" "demo: the pause and who set it"
contains "$O" "why: slow 1, had-to-repeat 1, poor-communication 1" "demo: why the watermelon is red"
equal "$(figure 1 'in the period')" 1 "the period covers the demo's incident"
equal "$(figure 1 'time to joint resolution')" "median 1d5h55m, p90 1d5h55m (n=1)" "time to joint resolution"
equal "$(figure 1 'all items')" "2     0        0" "action items: none overdue"
demo 2
equal "$(figure 2 'customer-minutes ')" "$(figure 1 'customer-minutes ')" "two runs give the same customer-minutes"
equal "$(figure 2 'time to joint resolution')" "$(figure 1 'time to joint resolution')" "two runs give the same time to joint resolution"
finish

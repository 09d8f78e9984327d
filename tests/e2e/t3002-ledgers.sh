# A ledger per relationship, one view across them (issue 20): acme shares one
# ledger with globex and another with initech, each through its own bare hub.
# globex's copy holds nothing of initech's; acme's list, report and sync work
# across both, with figures checked against numbers worked out by hand.
. "$(dirname "$0")/lib.sh"

# at TIME CMD...: run accord with "now" at TIME (entries take their time from it).
at() { t=$1; shift; ACCORD_NOW=$t accord "$@"; }
newkey alice
newkey gina
newkey ivan
A="--home $T/alice"
G="--home $T/gina"
I="--home $T/ivan"
git init -q --bare "$T/hub-globex.git"
git init -q --bare "$T/hub-initech.git"

# acme and globex: founded by alice, joined by gina through its hub.
git init -q "$T/acme-globex"
LG=$(at 2026-10-01T00:00:00Z $A -C "$T/acme-globex" init --party acme --title acme-globex) || bad init globex ledger
at 2026-10-01T00:01:00Z $A -C "$T/acme-globex" party invite globex --key "$(accord $G key show | tail -1)" >/dev/null || bad invite globex
accord -C "$T/acme-globex" remote add hub "$T/hub-globex.git" || bad remote globex
at 2026-10-01T00:02:00Z $A -C "$T/acme-globex" sync --no-checkpoint >/dev/null 2>&1 || bad sync acme-globex
accord clone "$T/hub-globex.git" "$T/globex" --ledger "$LG" >/dev/null 2>&1 || bad clone globex
at 2026-10-01T00:03:00Z $G -C "$T/globex" party accept globex --ledger "$LG" >/dev/null 2>&1 || bad accept globex
at 2026-10-01T00:04:00Z $G -C "$T/globex" sync --no-checkpoint >/dev/null 2>&1 || bad sync globex
at 2026-10-01T00:05:00Z $A -C "$T/acme-globex" sync --no-checkpoint >/dev/null 2>&1 || bad sync acme-globex accept

# acme and initech: a title that is no name, so it is listed with --name.
git init -q "$T/acme-initech"
LI=$(at 2026-10-01T00:00:00Z $A -C "$T/acme-initech" init --party acme --title "acme and initech") || bad init initech ledger
at 2026-10-01T00:01:00Z $A -C "$T/acme-initech" party invite initech --key "$(accord $I key show | tail -1)" >/dev/null || bad invite initech
accord -C "$T/acme-initech" remote add hub "$T/hub-initech.git" || bad remote initech
at 2026-10-01T00:02:00Z $A -C "$T/acme-initech" sync --no-checkpoint >/dev/null 2>&1 || bad sync acme-initech
accord clone "$T/hub-initech.git" "$T/initech" --ledger "$LI" >/dev/null 2>&1 || bad clone initech
at 2026-10-01T00:03:00Z $I -C "$T/initech" party accept initech --ledger "$LI" >/dev/null 2>&1 || bad accept initech
at 2026-10-01T00:04:00Z $I -C "$T/initech" sync --no-checkpoint >/dev/null 2>&1 || bad sync initech
at 2026-10-01T00:05:00Z $A -C "$T/acme-initech" sync --no-checkpoint >/dev/null 2>&1 || bad sync acme-initech accept

# ---- help lists the command ----
expect 0 accord help
contains "$OUT" "  ledgers " "accord help lists ledgers"
expect 0 accord help ledgers
contains "$OUT" "accord ledgers add PATH [--name NAME]" "accord help ledgers: its usage"
expect 0 accord list --help
contains "$OUT" "--all-ledgers" "list --help names --all-ledgers"

# ---- the list of ledgers, in alice's key home ----
export ACCORD_HOME="$T/alice"
BEFORE="$(refs "$T/acme-globex")$(refs "$T/acme-initech")"
expect 0 accord ledgers add "$T/acme-globex"
contains "$OUT" "acme-globex" "a ledger is named by its title"
expect 2 accord ledgers add "$T/acme-initech"
contains "$ERR" "--name" "a title that is no name asks for --name"
expect 0 accord ledgers add "$T/acme-initech" --name acme-initech
expect 2 accord ledgers add "$T/acme-initech" --name again
contains "$ERR" "listed already" "the same path twice is refused"
expect 2 accord ledgers add "$T/acme-globex" --name acme-initech
contains "$ERR" "a ledger named 'acme-initech' is listed already" "a duplicate name is refused"
# globex's copy is the same ledger: listing it too would count every incident twice (attack106 01)
expect 2 accord ledgers add "$T/globex" --name globex-copy
contains "$ERR" "ledger ${LG%"${LG#????????????}"} is listed already, as 'acme-globex'" "a second copy of a listed ledger is refused"
contains "$ERR" "count its incidents twice" "the refusal says why"
mkdir "$T/plain" && git init -q "$T/plain"
expect 2 accord ledgers add "$T/plain" --name plain
contains "$ERR" "not an accord ledger" "a repository without a ledger is refused"
expect 2 accord ledgers add "$T/nowhere" --name nowhere
contains "$ERR" "not an accord ledger" "a path that does not exist is refused"
expect 2 accord ledgers add "$T/acme-globex" --name "bad/name"
contains "$ERR" "invalid ledger name" "a bad name is refused"
expect 2 accord ledgers remove nosuch
contains "$ERR" "no ledger named 'nosuch' is listed (listed: acme-globex, acme-initech)" "removing an unknown name names the listed ones"
expect 0 accord ledgers list --json
equal "$(echo "$OUT" | jget '[(x["name"], x["ledger"]) for x in d]')" "[[\"acme-globex\", \"$LG\"], [\"acme-initech\", \"$LI\"]]" "ledgers list --json: names and ids"
equal "$(echo "$OUT" | jget 'd[1]["path"]')" "$T/acme-initech" "the path is kept absolute"
equal "$(stat -c %a "$T/alice/ledgers.json")" "600" "the list is private to its owner"
equal "$(refs "$T/acme-globex")$(refs "$T/acme-initech")" "$BEFORE" "listing ledgers writes nothing into them"

# ---- incidents: two with globex, one with initech ----
# G1 checkout SEV1 (acme-globex): 1000 customers for 90 min = 90,000 customer-minutes;
#    globex's restore SLA met; feedback 1 and 2 (a watermelon); joint resolution,
#    actions owned by acme and by globex.
# G2 search SEV3 (acme-globex): 200 customers for 60 min = 12,000; feedback 5;
#    a resolution proposed by acme, waiting for globex, with an action owned by
#    acme and globex jointly (all items: 2 + 1 + 2 = 5).
# I1 hosting SEV2 (acme-initech): 500 customers for 20 min = 10,000; initech's
#    first-response SLA missed (45m for 30m); feedback 4; joint, actions owned
#    by acme and by initech.
CG="-C $T/acme-globex"
CI="-C $T/acme-initech"
G1=$(at 2026-11-02T09:10:00Z $CG open --title "Checkout fails for card payments" --severity 1 --service checkout \
	--started 2026-11-02T09:00:00Z --parties globex) || bad open G1
at 2026-11-02T10:40:00Z $CG impact "$G1" --customers 1000 --start 2026-11-02T09:00:00Z --end 2026-11-02T10:30:00Z >/dev/null || bad impact G1
at 2026-11-03T09:00:00Z $CG feedback "$G1" --score 1 >/dev/null || bad fb G1
at 2026-11-03T09:01:00Z $CG feedback "$G1" --score 2 >/dev/null || bad fb G1b
at 2026-11-03T10:00:00Z $CG status "$G1" resolved >/dev/null || bad status G1
at 2026-11-03T11:00:00Z $CG resolve "$G1" --summary "certificate renewed" --factor "certificate expiry" \
	--action "expiry alerts@acme:2026-12-31" --action "renew certificates@globex:2026-12-31" >/dev/null || bad resolve G1
G2=$(at 2026-11-09T08:05:00Z $CG open --title "Search is slow" --severity 3 --service search \
	--started 2026-11-09T08:00:00Z --parties globex) || bad open G2
at 2026-11-09T09:10:00Z $CG impact "$G2" --customers 200 --start 2026-11-09T08:00:00Z --end 2026-11-09T09:00:00Z >/dev/null || bad impact G2
at 2026-11-09T09:20:00Z $CG feedback "$G2" --score 5 >/dev/null || bad fb G2
at 2026-11-09T10:00:00Z $CG resolve "$G2" --summary "cache warmed" --factor "cache stampede" \
	--action "shared cache runbook@acme,globex:2026-12-31" >/dev/null || bad resolve G2
at 2026-11-09T10:01:00Z $CG sync --no-checkpoint >/dev/null 2>&1 || bad sync acme-globex 2
at 2026-11-09T11:00:00Z $G -C "$T/globex" sync --no-checkpoint >/dev/null 2>&1 || bad sync globex 2
at 2026-11-09T11:01:00Z $G -C "$T/globex" sla "$G1" --name restore --target 4h --actual 1h30m >/dev/null || bad sla G1
at 2026-11-09T11:02:00Z $G -C "$T/globex" cosign "$G1" >/dev/null || bad cosign G1
at 2026-11-09T11:03:00Z $G -C "$T/globex" sync --no-checkpoint >/dev/null 2>&1 || bad sync globex 3

I1=$(at 2026-11-16T10:05:00Z $CI open --title "Hosting outage" --severity 2 --service hosting \
	--started 2026-11-16T10:00:00Z --parties initech) || bad open I1
at 2026-11-16T10:30:00Z $CI impact "$I1" --customers 500 --start 2026-11-16T10:00:00Z --end 2026-11-16T10:20:00Z >/dev/null || bad impact I1
at 2026-11-16T11:00:00Z $CI feedback "$I1" --score 4 >/dev/null || bad fb I1
at 2026-11-16T11:10:00Z $CI status "$I1" resolved >/dev/null || bad status I1
at 2026-11-16T12:00:00Z $CI resolve "$I1" --summary "failover fixed" --factor "failover untested" \
	--action "failover runbook@acme:2026-12-31" --action "fix failover@initech:2026-12-31" >/dev/null || bad resolve I1
at 2026-11-16T12:01:00Z $CI sync --no-checkpoint >/dev/null 2>&1 || bad sync acme-initech 2
at 2026-11-16T13:00:00Z $I -C "$T/initech" sync --no-checkpoint >/dev/null 2>&1 || bad sync initech 2
at 2026-11-16T13:01:00Z $I -C "$T/initech" sla "$I1" --name first-response --target 30m --actual 45m >/dev/null || bad sla I1
at 2026-11-16T13:02:00Z $I -C "$T/initech" cosign "$I1" >/dev/null || bad cosign I1
at 2026-11-16T13:03:00Z $I -C "$T/initech" sync --no-checkpoint >/dev/null 2>&1 || bad sync initech 3
export ACCORD_NOW=2026-11-23T12:00:00Z

# ---- sync --all-ledgers brings globex's and initech's entries to acme ----
expect 0 accord sync --all-ledgers --no-checkpoint
equal "$(echo "$OUT" | wc -l)" "2" "sync --all-ledgers: one line per ledger"
contains "$OUT" "acme-globex: hub: took" "acme-globex took globex's entries from its hub"
contains "$OUT" "acme-initech: hub: took" "acme-initech took initech's entries from its hub"
equal "$(refs "$T/hub-globex.git")" "$(refs "$T/acme-globex")" "acme-globex and its hub agree"
equal "$(refs "$T/hub-initech.git")" "$(refs "$T/acme-initech")" "acme-initech and its hub agree"
expect 0 accord sync --ledger acme-initech --no-checkpoint
equal "$OUT" "acme-initech: hub: up to date" "sync --ledger NAME syncs that ledger only"

# ---- globex's copy holds nothing of initech's ----
IVAN_KEY=$(accord $I key show | head -1)
for obj in $(git -C "$T/acme-initech" rev-list --objects --glob=refs/accord/ | cut -d' ' -f1); do
	git -C "$T/acme-globex" cat-file -e "$obj" 2>/dev/null && echo "$obj"
done > "$T/shared-objects"
# the two ledgers share the empty tree of every entry commit, and nothing else
equal "$(cat "$T/shared-objects")" "$(git -C "$T/acme-initech" hash-object -t tree /dev/null)" "the ledgers share no commit"
INITECH_COMMITS=$(git -C "$T/initech" rev-list --glob=refs/accord/)
equal "$(echo "$INITECH_COMMITS" | wc -l)" "$(git -C "$T/acme-initech" rev-list --glob=refs/accord/ | wc -l)" "initech's copy holds the whole acme-initech ledger"
equal "$(for c in $INITECH_COMMITS; do git -C "$T/globex" cat-file -e "$c" 2>/dev/null && echo "$c"; done)" "" "globex's copy holds no commit of the initech ledger"
git -C "$T/initech" rev-parse -q --verify "refs/accord/feeds/$IVAN_KEY" >/dev/null && ok || bad "initech's copy has ivan's feed"
equal "$(git -C "$T/globex" for-each-ref --format='%(refname)' | grep -c "$IVAN_KEY")" "0" "globex's copy has no ref of initech's member"
git -C "$T/globex" log --all --format=%B > "$T/globex-messages"
equal "$(grep -c -i "initech\|Hosting outage\|$LI" "$T/globex-messages")" "0" "no entry in globex's copy mentions initech"
expect 0 accord $G -C "$T/globex" list --all
case "$OUT" in *initech* | *Hosting*) bad "list on globex's copy mentions initech: $OUT" ;; *) ok ;; esac
contains "$OUT" "Checkout fails" "list on globex's copy shows its own incidents"
expect 0 accord $G -C "$T/globex" report --format json
case "$OUT" in *initech* | *hosting* | *"$LI"*) bad "report on globex's copy mentions initech" ;; *) ok ;; esac
equal "$(echo "$OUT" | jget 'd["customer_impact"]["customer_minutes"]')" "102000" "globex's report: 90,000 + 12,000 customer-minutes"

# ---- acme's list across its ledgers ----
expect 0 accord list --all-ledgers
equal "$(echo "$OUT" | sed -n 1p | awk '{print $1}')" "LEDGER" "list --all-ledgers has a ledger column"
equal "$(echo "$OUT" | sed 1d | awk '{print $1}' | tr '\n' ' ')" "acme-globex acme-globex acme-initech " "each incident shows its ledger, oldest first"
contains "$OUT" "Hosting outage" "initech's incident is listed"
contains "$OUT" "Search is slow" "globex's incident is listed"
expect 0 accord list --all-ledgers --json
equal "$(echo "$OUT" | jget '[(x["ledger"], x["id"]) for x in d]')" "[[\"acme-globex\", \"$G1\"], [\"acme-globex\", \"$G2\"], [\"acme-initech\", \"$I1\"]]" "list --json: the ledger of each incident"
expect 0 accord list --ledger acme-initech --quiet
equal "$OUT" "$(printf 'acme-initech\t%s' "$(echo "$I1" | cut -c1-12)")" "list --ledger NAME: that ledger only"
expect 0 accord list --ledger acme-initech --ledger acme-globex --status resolved --json
equal "$(echo "$OUT" | jget '[x["ledger"] for x in d]')" '["acme-globex", "acme-initech"]' "--ledger twice, with --status"
expect 2 accord list --ledger nosuch
contains "$ERR" "no ledger named 'nosuch' is listed (listed: acme-globex, acme-initech)" "an unknown ledger name is a usage error naming the listed ones"
expect 2 accord list --all-ledgers --ledger acme-globex
contains "$ERR" "exclude each other" "--all-ledgers with --ledger"

# ---- acme's report across both ledgers, figures worked out by hand ----
# incidents 3 (G1, G2, I1): resolved 2 (G1, I1), open 1 (G2); SEV1 1, SEV2 1, SEV3 1
# customers: 1000 + 200 + 500 = 1700
# customer-minutes: 1000*90 + 200*60 + 500*20 = 90,000 + 12,000 + 10,000 = 112,000
# feedback: scores 1, 2, 5, 4: 4 responses, mean 12/4 = 3.0, CSAT (4-5) 2 of 4 = 50%
# SLA: 2 measurements (globex's met, initech's missed): 1 met, 50%
# watermelons: G1 (every SLA met, mean 1.5 <= 2): 1
# joint: 2 of 2 resolved (G1, I1); waiting: G2, for globex
# action items by party: acme 2 open (one per ledger), globex 1, initech 1
expect 0 accord report --all-ledgers --format json
echo "$OUT" > "$T/across.json"
j() { jget "$1" < "$T/across.json"; }
equal "$(j 'd["ledger"]')" "null" "across ledgers the report names no single ledger"
equal "$(j '[(l["name"], l["ledger"], l["verification"]["status"]) for l in d["ledgers"]]')" "[[\"acme-globex\", \"$LG\", \"verified\"], [\"acme-initech\", \"$LI\", \"verified\"]]" "each ledger and its verification"
equal "$(j 'd["incidents"]["total"]')" "3" "incidents across ledgers"
equal "$(j '[d["incidents"][k] for k in ("resolved","open")]')" "[2, 1]" "resolved and open"
equal "$(j 'd["incidents"]["by_severity"]')" '{"1": 1, "2": 1, "3": 1, "4": 0}' "by severity"
equal "$(j 'd["customer_impact"]["customers_affected"]')" "1700" "customers: 1000 + 200 + 500"
equal "$(j 'd["customer_impact"]["customer_minutes"]')" "112000" "customer-minutes: 90,000 + 12,000 + 10,000"
equal "$(j '[d["experience"][k] for k in ("responses","mean_score","csat_pct")]')" "[4, 3, 50]" "feedback: 4 responses, mean 3.0, CSAT 50%"
equal "$(j '[d["sla"][k] for k in ("measurements","met","met_pct")]')" "[2, 1, 50]" "SLA: 1 of 2 met"
equal "$(j 'd["watermelon"]["count"]')" "1" "one watermelon (G1)"
equal "$(j '[d["joint"][k] for k in ("resolved","resolved_joint")]')" "[2, 2]" "joint resolutions: 2 of 2"
equal "$(j 'd["joint"]["waiting"]["by_party"]')" '[{"party": "globex", "incidents": 1, "ledgers": ["acme-globex"]}]' "waiting for globex, in acme-globex"
equal "$(j '[(p["party"], p["open"], p["ledgers"]) for p in d["actions"]["by_party"]]')" '[["acme", 2, ["acme-globex", "acme-initech"]], ["globex", 1, ["acme-globex"]], ["initech", 1, ["acme-initech"]]]' "action items by party name, with the ledgers they came from"
equal "$(j '[d["actions"]["jointly_owned"][k] for k in ("open","ledgers")]')" '[1, ["acme-globex"]]' "a jointly owned item, from its ledger"
equal "$(j '[(s["service"], s["customer_minutes"], s["ledgers"]) for s in d["incidents"]["by_service"]]')" '[["checkout", 90000, ["acme-globex"]], ["search", 12000, ["acme-globex"]], ["hosting", 10000, ["acme-initech"]]]' "services with their ledgers"
equal "$(j '[(r["ledger"], r["id"][:12], r["customer_minutes"]) for r in d["rows"]]')" "[[\"acme-globex\", \"$(echo $G1 | cut -c1-12)\", 90000], [\"acme-globex\", \"$(echo $G2 | cut -c1-12)\", 12000], [\"acme-initech\", \"$(echo $I1 | cut -c1-12)\", 10000]]" "each incident row names its ledger"
# (accord checks its JSON report against schemas/report.schema.json before printing it: exit 0 says it matched)
expect 0 accord report --ledger acme-initech --format json
equal "$(echo "$OUT" | jget '[d["incidents"]["total"], d["customer_impact"]["customer_minutes"], [l["name"] for l in d["ledgers"]]]')" '[1, 10000, ["acme-initech"]]' "--ledger NAME: that ledger's figures only"
expect 0 accord report --ledger acme-globex --format json
equal "$(echo "$OUT" | jget '[d["incidents"]["total"], d["customer_impact"]["customer_minutes"]]')" '[2, 102000]' "--ledger acme-globex: 90,000 + 12,000"
expect 0 accord report --all-ledgers --party initech --format json
equal "$(echo "$OUT" | jget '[d["incidents"]["total"], d["customer_impact"]["customer_minutes"]]')" '[1, 10000]' "--party filters across ledgers"
expect 1 accord report --all-ledgers --party nobody
contains "$ERR" "no party 'nobody'" "an unknown party across ledgers is refused"
expect 0 accord report --all-ledgers
echo "$OUT" > "$T/across.txt"
contains "$OUT" "ledger acme-globex" "text: each ledger in the header"
contains "$OUT" "ledger acme-initech" "text: each ledger in the header (initech)"
contains "$OUT" "customer-minutes    112,000" "text: customer-minutes across ledgers (thousands grouped)"
contains "$OUT" "50% (2 of 4 responses scored 4-5)" "text: CSAT across ledgers"
equal "$(grep -E '^ *acme +2 ' "$T/across.txt" | grep -c 'acme-globex, acme-initech')" "1" "text: acme's action items come from both ledgers"
contains "$(grep ' 1/1 ' "$T/across.txt" | grep '1\.5')" "acme-globex" "text: the watermelon names its ledger"
equal "$(grep -E '^ *jointly owned +1 ' "$T/across.txt" | grep -c 'acme-globex')" "1" "text: the jointly owned item names its ledger"
equal "$(grep -E '^ *all items +5 ' "$T/across.txt" | grep -c 'acme-globex, acme-initech')" "1" "text: all items name both ledgers"
expect 0 accord report --all-ledgers --format md
contains "$OUT" "| acme | 2 | 0 | 0 | acme-globex, acme-initech |" "md: the per-party table names the ledgers"
contains "$OUT" "| acme-initech |" "md: incidents name their ledger"
expect 0 accord report --all-ledgers --format csv --meta "$T/meta.csv"
equal "$(echo "$OUT" | head -1 | cut -d, -f1-2)" "ledger,id" "csv: a ledger column first"
equal "$(echo "$OUT" | sed 1d | cut -d, -f1 | tr '\n' ' ')" "acme-globex acme-globex acme-initech " "csv: each row's ledger"
contains "$(cat "$T/meta.csv")" "ledger acme-initech,$LI" "csv meta: each ledger's id"
expect 0 accord report --all-ledgers --format html
contains "$OUT" "acme-globex, acme-initech" "html: the per-party table names the ledgers"
contains "$OUT" "<tr><th>customer-minutes</th><td>112,000</td></tr>" "html: customer-minutes across ledgers"

# ---- a ledger with a finding is reported as such, the other's figures stand ----
# A copy of acme-initech where initech's cosignature of I1 lost its signature:
# it does not count, so I1 is no longer joint there (joint: 1 of 2 resolved).
cp -r "$T/acme-initech" "$T/tampered"
FEED=$(git -C "$T/tampered" for-each-ref --format='%(refname)' "refs/accord/feeds/$IVAN_KEY")
HEAD=$(git -C "$T/tampered" rev-parse "$FEED")
case "$(git -C "$T/tampered" cat-file commit "$HEAD" | sed '1,/^$/d')" in *'"type":"cosign"'*) ok ;; *) bad "initech's head is not its cosignature" ;; esac
UNSIGNED=$(git -C "$T/tampered" cat-file commit "$HEAD" | sed '1,/^$/d' |
	git -C "$T/tampered" commit-tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904 -p "$HEAD^")
git -C "$T/tampered" update-ref "$FEED" "$UNSIGNED"
# one copy of a ledger is listed at a time: the tampered one stands in for acme-initech
expect 0 accord ledgers remove acme-initech
expect 0 accord ledgers add "$T/tampered" --name tampered-initech
expect 0 accord report --ledger acme-globex --ledger tampered-initech --format json
echo "$OUT" > "$T/tampered.json"
equal "$(jget '[(l["name"], l["verification"]["status"]) for l in d["ledgers"]]' < "$T/tampered.json")" '[["acme-globex", "verified"], ["tampered-initech", "partial"]]' "the tampered ledger is partial, the other verified"
equal "$(jget 'd["verification"]["status"]' < "$T/tampered.json")" "partial" "the report as a whole says partial"
contains "$(jget '[f["kind"] for f in d["ledgers"][1]["verification"]["findings"]]' < "$T/tampered.json")" '"signature-mismatch"' "the finding is the tampered ledger's"
equal "$(jget 'd["ledgers"][0]["verification"]["findings"]' < "$T/tampered.json")" "[]" "the other ledger has none"
equal "$(jget '[d["incidents"]["total"], d["customer_impact"]["customer_minutes"]]' < "$T/tampered.json")" "[3, 112000]" "every ledger's figures still show"
equal "$(jget '[d["joint"]["resolved"], d["joint"]["resolved_joint"]]' < "$T/tampered.json")" "[2, 1]" "without the forged cosignature, 1 of 2 joint"
contains "$ERR" "ledger tampered-initech: 1 entry left out" "stderr names the ledger that left entries out"
expect 0 accord report --ledger acme-globex --ledger tampered-initech
contains "$OUT" "PARTIAL: ledger tampered-initech: 1 entry left out" "text: the partial ledger is named"
contains "$(echo "$OUT" | grep '^ *ledger acme-globex ')" "$LG: verified" "text: the other ledger verified"
contains "$(echo "$OUT" | grep '^ *ledger tampered-initech ')" "$LI: PARTIAL" "text: the tampered ledger partial"
expect 0 accord report --ledger acme-globex --ledger tampered-initech --format csv
equal "$(echo "$OUT" | tr -d '\r' | sed 1d | awk -F, '{print $1, $NF}' | tr '\n' ';')" "acme-globex yes;acme-globex yes;tampered-initech PARTIAL (entries left out);" "csv: each row as verified as its ledger"
expect 3 accord report --ledger acme-globex --ledger tampered-initech --strict --format json
expect 0 accord list --ledger tampered-initech --ledger acme-globex --quiet
equal "$(echo "$OUT" | wc -l)" "3" "list: the tampered ledger's incidents still listed"
contains "$ERR" "ledger tampered-initech:" "list names the ledger with findings"
expect 0 accord ledgers remove tampered-initech
expect 0 accord ledgers add "$T/acme-initech" --name acme-initech

# ---- a party named like another ledger's partner is shown apart (attack26 finding 06) ----
# ivan, initech's root, invites a "globex" of his own into acme-initech (a key he holds,
# not globex's root) and gets it to wait on a resolution: acme's report across ledgers
# must not add that to the real globex's figures.
newkey sock
at 2026-11-20T10:00:00Z $I -C "$T/initech" sync --no-checkpoint >/dev/null 2>&1 || bad sync initech sock
at 2026-11-20T10:01:00Z $I -C "$T/initech" party invite globex --key "$(accord --home "$T/sock" key show | tail -1)" >/dev/null 2>&1 || bad invite sock
at 2026-11-20T10:02:00Z $I -C "$T/initech" sync --no-checkpoint >/dev/null 2>&1 || bad sync initech sock 2
accord clone "$T/hub-initech.git" "$T/sock-copy" --ledger "$LI" >/dev/null 2>&1 || bad clone sock
at 2026-11-20T10:03:00Z --home "$T/sock" -C "$T/sock-copy" party accept globex --ledger "$LI" >/dev/null 2>"$T/sock.err" || bad "accept sock: $(cat "$T/sock.err")"
at 2026-11-20T10:04:00Z --home "$T/sock" -C "$T/sock-copy" sync --no-checkpoint >/dev/null 2>&1 || bad sync sock
at 2026-11-20T10:05:00Z $I -C "$T/initech" sync --no-checkpoint >/dev/null 2>&1 || bad sync initech sock 3
S1=$(at 2026-11-20T10:06:00Z $I -C "$T/initech" open --title "sock outage" --severity 1 --service db --started 2026-11-20T09:00:00Z --parties globex 2>/dev/null) || bad open sock
at 2026-11-20T10:07:00Z $I -C "$T/initech" resolve "$S1" --summary "sock fixed it" >/dev/null 2>&1 || bad resolve sock
at 2026-11-20T10:08:00Z $I -C "$T/initech" sync --no-checkpoint >/dev/null 2>&1 || bad sync initech sock 4
at 2026-11-20T10:09:00Z $A -C "$T/acme-initech" sync --no-checkpoint >/dev/null 2>&1 || bad sync acme-initech sock
at 2026-11-21T00:00:00Z report --all-ledgers --format json >"$T/apart.json" 2>/dev/null || bad report apart
equal "$(jget 'd["parties"]' <"$T/apart.json")" '["acme", "globex (acme-globex)", "globex (acme-initech)", "initech"]' \
	"a name standing for two parties (two root keys) is shown apart, with its ledger"
equal "$(jget '[(w["party"], w["incidents"]) for w in d["joint"]["waiting"]["by_party"] if w["party"].startswith("globex")]' <"$T/apart.json")" \
	'[["globex (acme-globex)", 1], ["globex (acme-initech)", 1]]' "the real globex's waiting count is its own"
at 2026-11-21T00:00:00Z report --all-ledgers >"$T/apart.txt" 2>/dev/null || bad report apart text
case "$(cat "$T/apart.txt")" in *"globex (ledgers: acme-globex, acme-initech)"*) bad "text report merges the two globex" ;; *) ok ;; esac
# acme, one root key in both ledgers, stays one party
equal "$(jget '[p for p in d["parties"] if p.startswith("acme")]' <"$T/apart.json")" '["acme"]' "acme is one party across its ledgers"

# ---- sync --all-ledgers goes past a failing ledger and says so ----
git init -q "$T/broken"
at 2026-11-21T00:00:00Z -C "$T/broken" init --party acme --title broken >/dev/null || bad init broken
accord -C "$T/broken" remote add hub "$T/no-such-hub.git" || bad remote broken
expect 0 accord ledgers add "$T/broken" --name broken
expect 1 accord sync --all-ledgers --no-checkpoint
equal "$(echo "$OUT" | cut -d: -f1 | tr '\n' ' ')" "acme-globex acme-initech broken " "one line per ledger, in the list's order"
contains "$(echo "$OUT" | grep '^broken')" "FAILED" "the failing ledger's line says so"
contains "$(echo "$OUT" | grep '^acme-initech')" "hub: up to date" "the ledgers after it are still synced"
contains "$ERR" "ledger broken: hub:" "the failure names its ledger and remote"
expect 0 accord ledgers remove broken
expect 0 accord ledgers list
equal "$(echo "$OUT" | cut -f1 | tr '\n' ' ')" "acme-globex acme-initech " "remove drops only that ledger"
test -d "$T/broken/.git" && ok || bad "remove leaves the ledger itself alone"
finish

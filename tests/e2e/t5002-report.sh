# accord report (issue 6): a ledger with known incidents in two parties, every
# figure of the JSON report checked against numbers worked out by hand, the
# same figures found in csv, md, text and html, and the html page loaded in
# headless Chromium (skipped, saying so, when chromium is not installed).
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

# Builds the report scenario ledger. Expects: accord(), $T, newkey, bad.
# at TIME CMD...: run accord with "now" at TIME (entries take their time from it).
at() { t=$1; shift; ACCORD_NOW=$t accord "$@"; }
newkey alice
newkey gina
L="$T/ledger"
git init -q "$L"
export ACCORD_DIR="$L"
A="--home $T/alice"
G="--home $T/gina"
at 2026-10-01T00:00:00Z $A init --party acme --title "acme and partners" >/dev/null || bad init
at 2026-10-01T00:01:00Z $A party invite globex --key "$(accord $G key show | tail -1)" >/dev/null || bad invite
at 2026-10-01T00:02:00Z $G party accept globex >/dev/null || bad accept

# I4: billing, SEV4, acme only, no impact windows, resolved without a resolution.
I4=$(at 2026-10-20T12:30:00Z $A open --title "Billing export delayed" --severity 4 --service billing \
	--started 2026-10-20T12:00:00Z) || bad open I4
at 2026-10-21T09:00:00Z $A feedback "$I4" --score 5 >/dev/null || bad fb I4
at 2026-10-21T10:00:00Z $A status "$I4" resolved >/dev/null || bad status I4

# I1: checkout, SEV1, acme+globex; SLA all met, customers unhappy (a watermelon); joint after 6h.
I1=$(at 2026-11-02T09:10:00Z $A open --title "Checkout fails for card payments" --severity 1 --service checkout \
	--started 2026-11-02T09:00:00Z --parties globex --ticket acme:INC-1) || bad open I1
at 2026-11-02T10:40:00Z $A impact "$I1" --customers 1000 --start 2026-11-02T09:00:00Z --end 2026-11-02T10:30:00Z >/dev/null || bad impact I1
at 2026-11-02T10:45:00Z $A sla "$I1" --name first-response --target 30m --actual 10m >/dev/null || bad sla I1
at 2026-11-02T10:46:00Z $G sla "$I1" --name restore --target 4h --actual 1h30m >/dev/null || bad sla I1b
at 2026-11-02T12:00:00Z $A status "$I1" resolved >/dev/null || bad status I1
at 2026-11-02T13:00:00Z $A resolve "$I1" --summary "certificate renewed" --factor "Expired TLS certificate" \
	--factor "No expiry monitoring" --action "Add cert expiry alert@acme:2026-11-10" \
	--action "Joint runbook@acme,globex:2026-12-31" >/dev/null || bad resolve I1
at 2026-11-02T15:00:00Z $G cosign "$I1" >/dev/null || bad cosign I1
at 2026-11-03T09:00:00Z $A feedback "$I1" --score 1 --lost-minutes 30 --comment "lost my basket" >/dev/null || bad fb I1
at 2026-11-03T09:01:00Z $A feedback "$I1" --score 2 --lost-minutes 10 >/dev/null || bad fb I1b

# I2: search, SEV3, opened by globex; SLA missed, customers happy; agreed on a revision after 24h; closed.
I2=$(at 2026-11-09T08:05:00Z $G open --title "Search is slow" --severity 3 --service search \
	--started 2026-11-09T08:00:00Z --parties acme) || bad open I2
at 2026-11-09T12:10:00Z $G impact "$I2" --customers 200 --start 2026-11-09T08:00:00Z --end 2026-11-09T12:00:00Z >/dev/null || bad impact I2
at 2026-11-09T12:11:00Z $G sla "$I2" --name restore --target 2h --actual 4h >/dev/null || bad sla I2
at 2026-11-09T12:30:00Z $G feedback "$I2" --score 4 --lost-minutes 0 >/dev/null || bad fb I2
at 2026-11-09T12:31:00Z $G feedback "$I2" --score 5 >/dev/null || bad fb I2b
at 2026-11-09T13:00:00Z $G resolve "$I2" --summary "cache warmed" --factor "  No expiry   monitoring " \
	--factor "Cache stampede" >/dev/null || bad resolve I2 r1
at 2026-11-10T07:00:00Z $A resolve "$I2" --summary "cache warmed, load test added" --factor "Cache stampede" \
	--factor "Missing load test" --action "Load test search@globex:2026-11-20" >/dev/null || bad resolve I2 r2
at 2026-11-10T08:00:00Z $G cosign "$I2" >/dev/null || bad cosign I2
at 2026-11-10T09:00:00Z $A status "$I2" resolved >/dev/null || bad status I2
at 2026-11-10T10:00:00Z $A status "$I2" closed >/dev/null || bad close I2
at 2026-11-12T10:00:00Z $G action "$I2" 1 done >/dev/null || bad action I2

# I3: login, SEV2, acme, then globex involved; one window still open; SLA met, unhappy; waiting for globex.
I3=$(at 2026-11-16T10:05:00Z $A open --title "Login errors" --severity 2 --service login \
	--started 2026-11-16T10:00:00Z) || bad open I3
at 2026-11-16T10:30:00Z $A impact "$I3" --customers 500 --start 2026-11-16T10:00:00Z --end 2026-11-16T10:20:00Z >/dev/null || bad impact I3
at 2026-11-16T11:05:00Z $A impact "$I3" --customers 50 --start 2026-11-16T11:00:00Z >/dev/null || bad impact I3b
at 2026-11-16T11:10:00Z $A sla "$I3" --name first-response --target 15m --actual 5m >/dev/null || bad sla I3
at 2026-11-16T11:30:00Z $A involve "$I3" globex >/dev/null || bad involve I3
at 2026-11-17T09:00:00Z $A feedback "$I3" --score 2 --lost-minutes 60 >/dev/null || bad fb I3
at 2026-11-18T09:00:00Z $A resolve "$I3" --summary "tokens rotated" --factor "  no EXPIRY monitoring" \
	--factor "Token rotation gap" --action "Rotate keys@globex:2026-11-18" \
	--action "Publish status page@acme:2026-11-23" >/dev/null || bad resolve I3
at 2026-11-18T09:30:00Z $A status "$I3" mitigated >/dev/null || bad status I3

# I5: api, SEV2, globex only; SLA met, customers so-so.
I5=$(at 2026-11-20T09:05:00Z $G open --title "Partner API 5xx" --severity 2 --service api \
	--started 2026-11-20T09:00:00Z) || bad open I5
at 2026-11-20T09:50:00Z $G impact "$I5" --customers 100 --start 2026-11-20T09:00:00Z --end 2026-11-20T09:45:00Z >/dev/null || bad impact I5
at 2026-11-20T09:51:00Z $G sla "$I5" --name first-response --target 30m --actual 20m >/dev/null || bad sla I5
at 2026-11-20T10:00:00Z $G feedback "$I5" --score 3 >/dev/null || bad fb I5

# "Now" for the report: Monday 2026-11-23 12:00 UTC. I3's second window is still open.
export ACCORD_NOW=2026-11-23T12:00:00Z
expect 0 accord $A report --format json
J=$OUT
j() { echo "$J" | jget "$1"; }
LEDGER=$(git -C "$L" config accord.ledger)
ALICE=$(accord $A key show --json | jget 'd["id"]')
GINA=$(accord $G key show --json | jget 'd["id"]')
FULL_I3=$(j "[r['id'] for r in d['rows'] if r['title']=='Login errors'][0]")
FULL_I1=$(j "[r['id'] for r in d['rows'] if r['service']=='checkout'][0]")

# who, what, when, how verified
equal "$(j 'd["generated_at"]')" 2026-11-23T12:00:00Z "generated_at"
equal "$(j 'd["ledger"]')" "$LEDGER" "ledger id"
equal "$(j 'd["generated_by"]')" "{\"key\": \"$ALICE\", \"name\": \"alice\"}" "generating key"
equal "$(j 'd["filters"]')" '{"since": null, "until": "2026-11-23T12:00:00Z", "service": null, "party": null}' "filters"
equal "$(j 'd["verification"]["status"]')" verified "verification status"
equal "$(j 'd["verification"]["entries"]')" 38 "entries verified"
equal "$(j 'sorted(d["definitions"])[:5]')" '["actions", "by_provider", "clocks", "csat", "customer_minutes"]' "definitions carried (the clocks and the provider table too)"

# incidents: I1 resolved, I4 resolved, I2 closed, I3 mitigated, I5 investigating
equal "$(j '[d["incidents"][k] for k in ("total","resolved","closed","open")]')" "[5, 2, 1, 2]" "incidents by status"
equal "$(j 'd["incidents"]["by_severity"]')" '{"1": 1, "2": 2, "3": 1, "4": 1}' "by severity (I1; I3,I5; I2; I4)"
# by service, most customer-minutes first:
#   login    500 x 20 min + 50 x (11-16T11:00 .. now 11-23T12:00 = 169 h = 10140 min) = 10000 + 507000 = 517000
#   checkout 1000 x 90 = 90000; search 200 x 240 = 48000; api 100 x 45 = 4500; billing no windows = 0
equal "$(j '[(s["service"], s["incidents"], s["customer_minutes"]) for s in d["incidents"]["by_service"]]')" \
	'[["login", 1, 517000], ["checkout", 1, 90000], ["search", 1, 48000], ["api", 1, 4500], ["billing", 1, 0]]' "by service"

# customer impact: customers 1000 + 200 + max(500, 50) + 0 + 100 = 1800;
# customer-minutes 517000 + 90000 + 48000 + 4500 = 659500; longest: I3's open window, 10140 min
equal "$(j 'd["customer_impact"]["customers_affected"]')" 1800 "customers affected"
equal "$(j 'd["customer_impact"]["customer_minutes"]')" 659500 "customer-minutes"
equal "$(j '[d["customer_impact"]["longest"][k] for k in ("incident","minutes")]')" "[\"$FULL_I3\", 10140]" "longest impact"

# experience: scores 5 | 1,2 | 4,5 | 2 | 3 -> 7 responses, sum 22, mean 22/7 = 3.142857 -> 3.14;
# CSAT 3 of 7 (5,4,5) = 42.857 -> 42.9; lost minutes 30,10,0,60: sum 100, nearest-rank median of 4 = 2nd = 10
equal "$(j '[d["experience"][k] for k in ("responses","mean_score","csat_pct","csat_responses")]')" "[7, 3.14, 42.9, 3]" "experience"
equal "$(j 'd["experience"]["lost_minutes"]')" '{"sum": 100, "median": 10, "responses": 4}' "lost minutes"

# SLA: I1 met,met; I2 missed; I3 met; I5 met -> 4 of 5 = 80%; measured incidents 4, all met 3 (I1, I3, I5)
equal "$(j 'd["sla"]')" '{"measurements": 5, "met": 4, "met_pct": 80, "incidents_measured": 4, "incidents_all_met": 3}' "sla"
# watermelons: I1 (mean 1.5) and I3 (mean 2); I5 has SLA met but mean 3. Rate 2/3 = 66.7
equal "$(j '[d["watermelon"][k] for k in ("count","rate_pct","sla_met_pct")]')" "[2, 66.7, 80]" "watermelon rate beside SLA met"
equal "$(j '[(w["title"], w["mean_score"], w["responses"]) for w in d["watermelon"]["incidents"]]')" \
	'[["Checkout fails for card payments", 1.5, 2], ["Login errors", 2, 1]]' "watermelon list"

# joint: resolved or closed = I1, I2, I4; joint = I1, I2 -> 2/3 = 66.7
equal "$(j '[d["joint"][k] for k in ("resolved","resolved_joint","joint_pct","joint_resolutions")]')" "[3, 2, 66.7, 2]" "joint share"
# time to joint: I1 09:00 -> cosign 15:00 = 21600 s; I2 11-09T08:00 -> cosign 11-10T08:00 = 86400 s
# nearest rank, n=2: median = 1st = 21600, p90 = ceil(1.8) = 2nd = 86400
equal "$(j 'd["joint"]["time_to_joint"]')" '{"count": 2, "median_s": 21600, "p90_s": 86400}' "time to joint"
equal "$(j 'd["joint"]["revised_before_agreement"]')" '{"incidents": 1, "revisions": 1}' "revised before agreement (I2 r2)"
equal "$(j '[d["joint"]["waiting"]["incidents"], d["joint"]["waiting"]["by_party"], [w["waiting_for"] for w in d["joint"]["waiting"]["list"]]]')" \
	'[1, [{"party": "globex", "incidents": 1}], [["globex"]]]' "waiting for globex's cosignature"

# actions: I1 alert@acme due 11-10 open (overdue), runbook@acme,globex due 12-31 open;
# I2 load test@globex done; I3 rotate@globex due 11-18 open (overdue), status page@acme due 11-23 (today: not overdue)
equal "$(j '[d["actions"][k] for k in ("open","done","overdue")]')" "[4, 1, 2]" "action totals"
equal "$(j 'd["actions"]["by_party"]')" \
	'[{"party": "acme", "open": 2, "done": 0, "overdue": 1}, {"party": "globex", "open": 1, "done": 1, "overdue": 1}]' "actions by owning party"
equal "$(j 'd["actions"]["jointly_owned"]')" '{"open": 1, "done": 0, "overdue": 0}' "jointly owned actions"
equal "$(j '[(a["text"], a["due"]) for a in d["actions"]["overdue_items"]]')" \
	'[["Add cert expiry alert", "2026-11-10"], ["Rotate keys", "2026-11-18"]]' "overdue items"

# factors of current resolutions (I2's r1 does not count): "No expiry monitoring" in I1 and I3
# (case and spaces ignored), then four singles alphabetically
equal "$(j '[d["factors"]["distinct"]] + [(f["factor"], f["incidents"]) for f in d["factors"]["top"]]')" \
	'[5, ["No expiry monitoring", 2], ["Cache stampede", 1], ["Expired TLS certificate", 1], ["Missing load test", 1], ["Token rotation gap", 1]]' "factors"
if echo "$J" | grep -qi fault; then bad "a report never speaks of fault"; else ok; fi

# weeks (Monday UTC): I4 10-19; I1 11-02; I2 11-09; I3+I5 11-16: 10000 + 50 x (11-16T11:00..11-23T00:00 = 9420 min)
# + 4500 = 485500; 11-23: 50 x 720 = 36000
equal "$(j '[(w["start"], w["customer_minutes"], w["sla_met_pct"], w["csat_pct"]) for w in d["weeks"]]')" \
	'[["2026-10-19", 0, null, 100], ["2026-10-26", 0, null, null], ["2026-11-02", 90000, 100, 0], ["2026-11-09", 48000, 0, 100], ["2026-11-16", 485500, 100, 0], ["2026-11-23", 36000, null, null]]' "weeks"
# one row per incident
equal "$(j '[(r["title"][:6], r["customer_minutes"], r["resolution"], r["time_to_joint_s"], r["actions_overdue"]) for r in d["rows"]]')" \
	'[["Billin", 0, "none", null, 0], ["Checko", 90000, "joint", 21600, 1], ["Search", 48000, "joint", 86400, 0], ["Login ", 517000, "proposed", null, 1], ["Partne", 4500, "none", null, 0]]' "rows"

# the schema: python's jsonschema and our own validator (the report checks itself before printing)
echo "$J" > "$T/report.json"
if /usr/bin/python3 -c 'import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))' \
	"$T/report.json" "$HERE/../../schemas/report.schema.json"; then ok; else bad "jsonschema rejects the report"; fi

# --- period clipping: [11-16T10:10, 11-20T09:30) cuts I3's first window (10 of 20 min), its open window
# (11-16T11:00..11-20T09:30 = 94.5 h = 5670 min) and I5's window (30 of 45 min). I1, I2, I4 fall outside.
expect 0 accord $A report --since 2026-11-16T10:10:00Z --until 2026-11-20T09:30:00Z --format json
C=$OUT
c() { echo "$C" | jget "$1"; }
equal "$(c 'd["filters"]["since"] + " " + d["filters"]["until"]')" "2026-11-16T10:10:00Z 2026-11-20T09:30:00Z" "clip: filters"
equal "$(c '[r["title"] for r in d["rows"]]')" '["Login errors", "Partner API 5xx"]' "clip: incidents in the period"
# 500 x 10 + 50 x 5670 = 5000 + 283500 = 288500; 100 x 30 = 3000; total 291500
equal "$(c '[(s["service"], s["customer_minutes"]) for s in d["incidents"]["by_service"]]')" '[["login", 288500], ["api", 3000]]' "clip: by service"
equal "$(c '[d["customer_impact"]["customer_minutes"], d["customer_impact"]["customers_affected"], d["customer_impact"]["longest"]["minutes"]]')" \
	"[291500, 600, 5670]" "clip: customer impact"
# feedback counts whenever recorded: I3 2 (60 lost), I5 3 -> mean 2.5, CSAT 0
equal "$(c '[d["experience"]["responses"], d["experience"]["mean_score"], d["experience"]["csat_pct"], d["experience"]["lost_minutes"]["median"]]')" "[2, 2.5, 0, 60]" "clip: experience"
# SLA 2/2 met; watermelon I3 only; rate 1/2 = 50
equal "$(c '[d["sla"]["met_pct"], d["watermelon"]["count"], d["watermelon"]["rate_pct"], [w["title"] for w in d["watermelon"]["incidents"]]]')" \
	'[100, 1, 50, ["Login errors"]]' "clip: watermelon"
equal "$(c '[d["joint"]["joint_pct"], d["joint"]["time_to_joint"]["count"], d["joint"]["time_to_joint"]["median_s"]]')" "[null, 0, null]" "clip: no joint resolutions"
equal "$(c '[d["actions"][k] for k in ("open","done","overdue")]')" "[2, 0, 1]" "clip: actions"

# --- filters
expect 0 accord $A report --service checkout --format json
equal "$(echo "$OUT" | jget '[d["incidents"]["total"], d["customer_impact"]["customer_minutes"], d["watermelon"]["count"], d["filters"]["service"]]')" \
	'[1, 90000, 1, "checkout"]' "--service"
expect 0 accord $A report --party acme --format json
equal "$(echo "$OUT" | jget 'sorted(r["title"][:6] for r in d["rows"])')" '["Billin", "Checko", "Login ", "Search"]' "--party acme: I5 is globex's alone"
expect 0 accord $A report --party globex --format json
equal "$(echo "$OUT" | jget 'sorted(r["title"][:6] for r in d["rows"])')" '["Checko", "Login ", "Partne", "Search"]' "--party globex"
if echo "$OUT" | jget 'd' | grep -q '"fault'; then bad "per-party fault"; else ok; fi
expect 1 accord $A report --party initech
contains "$ERR" "no party 'initech'" "unknown party"
expect 2 accord $A report --since 2026-11-20T00:00:00Z --until 2026-11-19T00:00:00Z
expect 2 accord $A report --format pdf
expect 2 accord $A report --since yesterday
expect 2 accord $A report extra

# --- the other formats carry the same figures
expect 0 accord $A report --format csv -o "$T/report.csv" --meta "$T/report-meta.csv"
equal "$OUT" "" "csv -o: nothing on stdout"
# one table a spreadsheet imports as it is: a header row, then one row per incident, nothing else
equal "$(wc -l < "$T/report.csv" | tr -d ' ')" 6 "csv: header row + one row per incident"
equal "$(head -c 3 "$T/report.csv")" "id," "csv: starts with the header row"
equal "$(grep -c '^#' "$T/report.csv")" 0 "csv: no comment lines"
equal "$(/usr/bin/python3 -c 'import csv,sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
print([(r["service"], r["customer_minutes"], r["mean_score"], r["csat_pct"], r["watermelon"], r["time_to_joint_s"], r["waiting_for"], r["verified"]) for r in rows])' "$T/report.csv")" \
	"[('billing', '0', '5', '100', 'no', '', '', 'yes'), ('checkout', '90000', '1.5', '0', 'yes', '21600', '', 'yes'), ('search', '48000', '4.5', '100', 'no', '86400', '', 'yes'), ('login', '517000', '2', '0', 'yes', '', 'globex', 'yes'), ('api', '4500', '3', '0', 'no', '', '', 'yes')]" "csv rows"
equal "$(/usr/bin/python3 -c 'import csv,sys
m = dict(csv.reader(open(sys.argv[1], newline="")))
print([m["key"], m["generated_at"], m["ledger"], m["generated_by"], m["verification"], "definition customer_minutes" in m])' "$T/report-meta.csv")" \
	"['value', '2026-11-23T12:00:00Z', '$LEDGER', '$ALICE', 'verified (38 entries)', True]" "csv --meta: what the rows do not say"
expect 0 accord $A report --format csv
equal "$(printf '%s' "$OUT" | tr -d '\r')" "$(tr -d '\r' < "$T/report.csv")" "csv: the same table on standard output"
expect 2 accord $A report --format md --meta "$T/x.csv"

expect 0 accord $A report --format md
MD=$OUT
expect 0 accord $A report
TXT=$OUT
ESC=$(printf '\033')
case "$TXT" in *"$ESC"*) bad "colour when stdout is not a terminal" ;; *) ok ;; esac
# on a terminal (script(1) gives one): colour, unless NO_COLOR is set
if command -v script >/dev/null 2>&1; then
	TTY=$(NO_COLOR= script -qec "$ACCORD_BIN $A report" /dev/null)
	case "$TTY" in *"$ESC"*) ok ;; *) bad "no colour on a terminal" ;; esac
	TTY=$(NO_COLOR=1 script -qec "$ACCORD_BIN $A report" /dev/null)
	case "$TTY" in *"$ESC"*) bad "colour despite NO_COLOR" ;; *) ok ;; esac
fi
expect 0 accord $A report --format html -o "$T/report.html"
equal "$OUT" "" "-o prints nothing"
HTML=$(cat "$T/report.html")
for fmt in MD TXT HTML; do
	eval "doc=\$$fmt"
	# text, md and html group thousands (json and csv never do)
	for s in "2026-11-23T12:00:00Z" "$LEDGER" "$ALICE" "659,500" "517,000" "1,800" "10,140" "3.14" "42.9%" \
		"sum 100, median 10 (4 responses)" "80% (4 of 5 measurements)" "66.7% of 3 incidents with every SLA met" \
		"66.7% of resolved incidents (2 of 3)" "median 6h, p90 1d (n=2)" "1 incident, 1 revision" \
		"No expiry monitoring" "Rotate keys" "nearest rank" "globex" "verified"; do
		contains "$doc" "$s" "$fmt has $s"
	done
done
contains "$TXT" "Checkout fails for card payments (watermelon)" "text marks watermelons"
contains "$MD" "| --- |" "md tables"
contains "$HTML" "<svg" "html has inline svg"
equal "$(printf '%s' "$HTML" | grep -o 'class="bar-minutes"' | wc -l)" 4 "html: a customer-minutes bar for each week with impact (11-02 .. 11-23)"
equal "$(printf '%s' "$HTML" | grep -o 'class="bar-sla"' | wc -l)" 3 "html: SLA bars for weeks with measurements"
equal "$(printf '%s' "$HTML" | grep -o 'class="bar-csat"' | wc -l)" 4 "html: CSAT bars for weeks with responses"
equal "$(printf '%s' "$HTML" | grep -o 'class="bar-joint"' | wc -l)" 2 "html: time-to-joint buckets 4-24h and 1-3d"
contains "$HTML" "@media print" "html is printable"
# nothing from the network: no scripts, and every src/href is data:
equal "$(printf '%s' "$HTML" | grep -oiE '<script|(src|href)="[^d][^"]*"|url\(' | wc -l)" 0 "html loads nothing"
# -o is atomic and refuses a directory
expect 1 accord $A report -o "$T"
contains "$ERR" "$T" "error names the directory"
contains "$ERR" "is a directory" "says why"
expect 0 accord $A report --format md -o "$T/report.html"
equal "$(head -c 2 "$T/report.html")" "# " "-o replaced the file"
equal "$(ls -a "$T" | grep -c accord-report)" 0 "no temporary files left"
expect 1 accord $A report -o "$T/missing/dir/report.txt"
contains "$ERR" "$T/missing/dir/report.txt" "error names the file"

# --- no key in the key home: the report says so
expect 0 accord --home "$T/nobody" report --format json
equal "$(echo "$OUT" | jget 'd["generated_by"]["key"]')" none "no generating key"

# --- verification: a forged entry at the head of globex's feed
FEED=refs/accord/feeds/$GINA
HEADC=$(git -C "$L" rev-parse "$FEED")
git -C "$L" cat-file commit "$HEADC" | sed 's/"score":3/"score":1/' | git -C "$L" hash-object -t commit -w --stdin > "$T/forged"
git -C "$L" update-ref "$FEED" "$(cat "$T/forged")"
expect 3 accord $A report --format json --strict
expect 0 accord $A report --format json
U=$OUT
contains "$ERR" "signature-mismatch" "says on stderr what it left out"
equal "$(echo "$U" | jget '[d["verification"]["status"], d["verification"]["excluded"][0]["feed"], d["verification"]["excluded"][0]["from_commit"]]')" \
	"[\"partial\", \"$GINA\", \"$(cat "$T/forged")\"]" "partial: says what was left out"
equal "$(echo "$U" | jget '[d["verification"]["findings"][0]["kind"], d["verification"]["findings"][0]["commit"]]')" \
	"[\"signature-mismatch\", \"$(cat "$T/forged")\"]" "partial: lists the finding"
# the forged feedback is gone, everything before it stays: 6 responses, I5 has none
equal "$(echo "$U" | jget '[d["experience"]["responses"], d["incidents"]["total"], d["customer_impact"]["customer_minutes"]]')" "[6, 5, 659500]" "unverified: computed on what verifies"
expect 0 accord $A report
contains "$OUT" "PARTIAL" "text says so prominently"
contains "$(accord $A report --format html 2>/dev/null)" 'class="warn"' "html says so prominently"
contains "$(accord $A report --format csv --meta "$T/u-meta.csv" 2>/dev/null)" ",PARTIAL (entries left out)" "csv says so in every row"
contains "$(cat "$T/u-meta.csv")" "verification,PARTIAL" "csv --meta says so"
contains "$(cat "$T/u-meta.csv")" "warning,entries that do not count were left out" "csv --meta warns"
contains "$(accord $A report --format md 2>/dev/null)" "PARTIAL" "md says so"
git -C "$L" update-ref "$FEED" "$HEADC"
expect 0 accord $A report --format json
equal "$(echo "$OUT" | jget 'd["verification"]["status"]')" verified "verified again"

# --- what the report says of itself, and of its own files
test_case "the definitions state the rules the SLA and watermelon figures follow"
# a second ledger with terms: typed measurements that the computed clocks contradict (explore60b 05)
L2="$T/ledger2"
git init -q "$L2"
in2() { t=$1; shift; ACCORD_NOW=$t ACCORD_DIR=$L2 accord "$@"; }
in2 2026-11-01T00:00:00Z $A init --party acme --title "acme and globex, with terms" >/dev/null || bad init 2
in2 2026-11-01T00:01:00Z $A party invite globex --key "$(accord $G key show | tail -1)" >/dev/null || bad invite 2
in2 2026-11-01T00:02:00Z $G party accept globex >/dev/null || bad accept 2
AG=$(in2 2026-11-20T08:10:00Z $A agreement propose --with globex --service checkout \
	--acknowledge 30m --mitigate 4h --restore 6h) || bad propose terms
in2 2026-11-20T08:20:00Z $G cosign "$AG" >/dev/null || bad cosign terms
# D1: acknowledged and mitigated in 10m, restored after 8h of 6h: missed; globex types "restore 5h", met as typed
D1=$(in2 2026-11-20T09:00:00Z $A open --title "Outage A" --severity 1 --service checkout \
	--started 2026-11-20T09:00:00Z --parties globex) || bad open D1
in2 2026-11-20T09:10:00Z $G status "$D1" mitigated >/dev/null || bad status D1
in2 2026-11-20T17:00:00Z $G status "$D1" resolved >/dev/null || bad resolved D1
in2 2026-11-20T17:01:00Z $G sla "$D1" --name restore --target 6h --actual 5h >/dev/null || bad sla D1
# D2: nothing typed; every clock met in 5m, the customer scores 1: a watermelon by its clocks
D2=$(in2 2026-11-20T17:10:00Z $A open --title "Outage B" --severity 2 --service checkout \
	--started 2026-11-20T17:10:00Z --parties globex) || bad open D2
in2 2026-11-20T17:11:00Z $A feedback "$D2" --score 1 >/dev/null || bad feedback D2
in2 2026-11-20T17:15:00Z $G status "$D2" resolved >/dev/null || bad resolved D2
expect 0 in2 2026-11-20T18:00:00Z $A report --format json
D=$OUT
# the figures: D1's typed "met" counts as its restore clock decided it; D2 is green by its clocks alone
equal "$(echo "$D" | jget '[d["sla"][k] for k in ("measurements","met","incidents_measured","incidents_all_met")]')" \
	"[1, 0, 1, 1]" "terms: SLA met 0 of 1, one incident green outside"
equal "$(echo "$D" | jget '[d["watermelon"]["count"], [w["title"] for w in d["watermelon"]["incidents"]]]')" \
	'[1, ["Outage B"]]' "terms: the watermelon has no typed measurement"
# and the definitions beside them say so, as docs/metrics.md does ("SLA", "Watermelons")
SLADEF=$(echo "$D" | jget 'd["definitions"]["sla"]')
WMDEF=$(echo "$D" | jget 'd["definitions"]["watermelon"]')
contains "$SLADEF" "unless the computed clock it names disagrees with it" "sla definition: the clock decides a contradicted measurement"
contains "$SLADEF" "Incidents with every SLA met are those green outside" "sla definition: incidents with every SLA met"
contains "$WMDEF" "its computed clocks decided against the terms in force" "watermelon definition: the clocks first"
contains "$WMDEF" "only an incident without such a clock falls back to its typed SLA measurements" \
	"watermelon definition: typed measurements only without clocks"
contains "$WMDEF" "Rate = watermelons / incidents green outside" "watermelon definition: the rate"
contains "$(sed -n '/^## Watermelons/,/^## /p' "$HERE/../../docs/metrics.md" | tr '\n' ' ' | tr -s ' ')" \
	"only an incident without such a clock falls back to the typed" "docs/metrics.md says the same"

test_case "--service knows an incident by its current service, after an amend"
# D3 filed under search, amended to payments: no incident has search any more (explore60b 06)
D3=$(in2 2026-11-20T17:20:00Z $A open --title "Card payments fail" --severity 2 --service search \
	--started 2026-11-20T17:20:00Z) || bad open D3
in2 2026-11-20T17:25:00Z $A amend "$D3" --service payments --reason "it was the payments service" >/dev/null || bad amend D3
expect 0 in2 2026-11-20T18:00:00Z $A report --service payments --format json
equal "$(echo "$OUT" | jget '[d["incidents"]["total"], [r["title"] for r in d["rows"]], d["incidents"]["by_service"][0]["service"]]')" \
	'[1, ["Card payments fail"], "payments"]' "--service payments: the amended incident"
expect 1 in2 2026-11-20T18:00:00Z $A report --service search --format json
equal "$OUT" "" "--service search: no report"
contains "$ERR" "there is no incident of service 'search' in this ledger (known: checkout, payments)" \
	"--service search: refused, naming the current services"
# across ledgers the same
expect 0 accord $A ledgers add "$L2" --name terms
expect 0 in2 2026-11-20T18:00:00Z $A report --ledger terms --service payments --format json
equal "$(echo "$OUT" | jget 'd["incidents"]["total"]')" 1 "--ledger --service payments: the amended incident"
expect 1 in2 2026-11-20T18:00:00Z $A report --ledger terms --service search
contains "$ERR" "there is no incident of service 'search' in the ledgers reported on (known: checkout, payments)" \
	"--ledger --service search: refused"

test_case "every SVG of the html report is well-formed XML"
# the histogram's "< 1h" and ">= 30d" were written raw (explore60a 07)
expect 0 accord $A report --format html -o "$T/wf.html"
equal "$(/usr/bin/python3 -c 'import re, sys, xml.dom.minidom
svgs = re.findall(r"<svg.*?</svg>", open(sys.argv[1]).read(), re.S)
ok = 0
for s in svgs:
    try:
        xml.dom.minidom.parseString(s)
        ok += 1
    except Exception as e:
        print(e, file=sys.stderr)
print(len(svgs), ok)' "$T/wf.html")" "3 3" "html: three charts, each well-formed"
contains "$(cat "$T/wf.html")" ">&lt; 1h</text>" "html: the histogram's labels escaped"

test_case "-o and --meta naming one file are refused, nothing written"
# one would overwrite the other, however the two paths spell it (explore60a 08)
mkdir -p "$T/out/sub"
ln -s sub "$T/out/alias"
expect 2 accord $A report --format csv -o "$T/out/sub/r.csv" --meta "$T/out/sub/r.csv"
contains "$ERR" "-o and --meta name the same file" "same path: says why"
expect 2 accord $A report --format csv -o "$T/out/sub/r.csv" --meta "$T/out/sub/../sub/./r.csv"
expect 2 accord $A report --format csv -o "$T/out/sub/r.csv" --meta "$T/out/alias/r.csv"
cd "$T/out/sub" || bad "cd"
expect 2 accord $A report --format csv -o r.csv --meta "$T/out/sub/r.csv"
cd "$HERE" || bad "cd back"
equal "$(ls -A "$T/out/sub")" "" "nothing written while the file does not exist"
# files that exist: the same file through a linked folder, or a hard link, is left as it was
echo old > "$T/out/sub/r.csv"
ln "$T/out/sub/r.csv" "$T/out/sub/hard.csv"
expect 2 accord $A report --format csv -o "$T/out/sub/r.csv" --meta "$T/out/alias/r.csv"
expect 2 accord $A report --format csv -o "$T/out/sub/r.csv" --meta "$T/out/sub/hard.csv"
equal "$(cat "$T/out/sub/r.csv")" old "an existing file is left as it was"
# two files: both written
expect 0 accord $A report --format csv -o "$T/out/sub/r.csv" --meta "$T/out/alias/meta.csv"
equal "$(head -c 3 "$T/out/sub/r.csv")$(head -c 9 "$T/out/sub/meta.csv")" "id,key,value" "two files: the rows and the meta"

test_case "the html page in headless Chromium"

# --- headless Chromium: the page loads without console errors and the screenshot shows the charts
if ! command -v chromium >/dev/null 2>&1; then
	skip "chromium is not installed (apt-get install chromium): html not checked in a browser"
	finish
	exit $?
fi
chrome() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$T/chrome" --enable-logging=stderr --v=0 --hide-scrollbars "$@"
}
# the detector must be able to fail: a page with a console error is caught
printf '<!DOCTYPE html><html><body><script>console.error("planted")</script></body></html>' > "$T/bad.html"
chrome --screenshot="$T/bad.png" --window-size=400,300 "file://$T/bad.html" 2>"$T/bad.log" >/dev/null
if grep -q 'CONSOLE.*planted' "$T/bad.log"; then ok; else bad "console detector missed a planted error"; fi
accord $A report --format html -o "$T/report.html"
chrome --screenshot="$T/report.png" --window-size=1200,2400 "file://$T/report.html" 2>"$T/chrome.log" >/dev/null
if grep -E 'CONSOLE|Uncaught|Refused to' "$T/chrome.log"; then bad "console messages while loading the report"; else ok; fi
[ -s "$T/report.png" ] && ok || bad "no screenshot"
# chart colours on screen: blue minutes bars, green SLA, red CSAT, purple time to joint
/usr/bin/python3 "$HERE/report_html.py" "$T/report.png" 3b6ea5 2e8b57 d9434e 7a5aa6 > "$T/colours"
while read -r colour n; do
	if [ "$n" -gt 2000 ]; then ok; else bad "screenshot shows little of colour $colour ($n pixels)"; fi
done < "$T/colours"
[ -n "${ACCORD_KEEP_SCREENSHOT:-}" ] && cp "$T/report.png" "$ACCORD_KEEP_SCREENSHOT"
finish

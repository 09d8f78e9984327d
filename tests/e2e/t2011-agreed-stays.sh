# What two parties agreed stays agreed until they agree on something else
# (attack89), with the plain CLI, from a second device that did not know:
#   figure_cosigned  acme co-signs globex's impact window while globex's idle
#                    device records a new version of it (same start, 5
#                    customers): the co-signed window stays joint whichever
#                    sorts first, and the new version waits to be joint (01)
#   dispute_settled  globex accepts acme's dispute of its "mitigated" time;
#                    acme disputes it again (knowing, and from an idle
#                    device): the accepted time keeps deciding the clock (02)
#   same_verdict     a dispute whose two times give one verdict is that
#                    verdict, not a clock counted apart (02, side finding)
#   rerecord_after_close  a party records its window again (same start) after
#                    a joint close: late, as a retract is; the figures the
#                    close judged stand (attack92 01)
#   stale_cosign_after_close  an idle device co-signs, after the close, a
#                    window its party corrected before it: late (attack94 01)
#   end_open_window_after_close  a window still open at the close can still
#                    get its end, by the close's time at the latest (94 02)
#   stale_rerecord_before_close  a re-record or retract from a device offline
#                    since it recorded the window sorts before the close the
#                    close never saw it: late all the same (attack96 01)
#   joint_open_window_ends  the same end for a joint window (attack96 02)
#   superseded_dispute  the provider accepting a dispute the customer
#                    replaced settles nothing (attack96 03)
#   cosign_after_close  a co-signature that would make a window the close
#                    judged joint is late, knowing or not (attack98 01)
#   late_retract_not_shown_retracted  a late retract leaves no "retracted"
#                    mark on the window (attack98 02)
#   window_after_close  a window first recorded while a close stands is late;
#                    after a reopen it counts (attack98 03, attack102 01)
#   cosign_postclose_window  the customer's own window after the close, or a
#                    co-signed partner's, re-scores nothing (attack100 01, 102 01)
#   close_at_once_judges_both  the same, with acme amending the severity after
#                    the joint resolution: what acme's close knew stands, though
#                    the idle device's close, which knew less, sorts first (109 01)
#   close_at_once_history  the idle device regresses and re-resolves before its
#                    close: the history the clocks read is what both closes
#                    knew, so those statuses are late (attack112 01)
#   close_at_once_reopen  a partner's idle device closes the jointly resolved
#                    incident without knowing of acme's close, and sorts first:
#                    the same decision, so acme's reopen, which knew its own
#                    close, stands with all it recorded since (attack107 01)
. "$(dirname "$0")/lib.sh"

w() { k=$1; shift; accord --home "$T/w/$k" -C "$T/w/$k.git" "$@"; }
take() {
	env -u ACCORD_NOW "$ACCORD_BIN" --home "$T/w/$1" -C "$T/w/$1.git" sync hub --no-checkpoint >"$T/.take" 2>&1 ||
		bad "$1 sync: $(cat "$T/.take")"
}
at() { (
	ACCORD_NOW=$1
	export ACCORD_NOW
	shift
	"$@"
); }
# world MEMBERS: acme (alice, root; bob) and globex (gina, root; hal) through a hub
world() {
	rm -rf "$T/w" && mkdir -p "$T/w"
	git init -q --bare "$T/w/hub"
	printf '#!/bin/sh\nexec "%s" hook pre-receive\n' "$ACCORD_BIN" >"$T/w/hub/hooks/pre-receive"
	chmod +x "$T/w/hub/hooks/pre-receive"
	for k in alice bob gina hal; do
		accord --home "$T/w/$k" key new --name "$k" --no-passphrase >/dev/null 2>&1 || bad "key new $k"
	done
	git init -q --bare "$T/w/alice.git"
	w alice init --party acme >/dev/null 2>&1 || bad "init"
	w alice remote add hub "$T/w/hub"
	w alice party invite globex --key "$T/w/gina/key.pub" >/dev/null 2>&1 || bad "invite"
	w alice member add --key "$T/w/bob/key.pub" --name bob >/dev/null || bad "add bob"
	take alice
	for k in bob gina hal; do
		accord clone "$T/w/hub" "$T/w/$k.git" >/dev/null 2>&1 && w "$k" remote add hub "$T/w/hub" ||
			bad "clone $k"
	done
	w gina party accept globex >/dev/null 2>&1 || bad "accept"
	w gina member add --key "$T/w/hal/key.pub" --name hal >/dev/null || bad "add hal"
	take gina
	take alice
	for k in bob hal; do take $k; done
}
# terms: the world at 08:00, with terms acme (customer) and globex agreed: mitigate within 1h
terms() {
	export ACCORD_NOW=2026-11-20T08:00:00Z
	world
	AG=$(w alice agreement propose --with globex --service web --acknowledge 15m --mitigate 1h --restore 4h --csat-target 80)
	take alice
	take gina
	expect 0 w gina cosign "$AG"
	take gina
	take alice
}
minutes() { w "$1" show "$INC" --json 2>/dev/null | jget 'd["customer_minutes"]'; }

export ACCORD_NOW=2026-11-20T10:00:00Z

# outage: the world at 08:00, and acme's incident with globex, opened at 09:00
outage() {
	export ACCORD_NOW=2026-11-20T08:00:00Z
	world
	INC=$(at 2026-11-20T09:00:00Z w alice open --title outage --severity 2 --service web --parties acme,globex --started 2026-11-20T09:00:00Z)
	take alice
	take gina
}

# resolve_jointly: globex says resolved at 09:50, acme proposes, globex co-signs at 10:00
resolve_jointly() {
	at 2026-11-20T09:50:00Z w gina status "$INC" resolved >/dev/null
	take gina
	take alice
	RES=$(at 2026-11-20T09:55:00Z w alice resolve "$INC" --summary fixed)
	take alice
	take gina
	expect 0 at 2026-11-20T10:00:00Z w gina cosign "$RES"
	take gina
	take alice
}

# closed WINDOW-OPTIONS...: globex records a window, the parties resolve jointly and acme closes
closed() {
	outage
	take "${RECORDER:-gina}"
	WIN=$(at 2026-11-20T09:35:00Z w "${RECORDER:-gina}" impact "$INC" "$@")
	take "${RECORDER:-gina}" # with RECORDER=hal, hal's device then stays offline
	take gina
	take alice
	take bob # bob's device sees the window, then stays offline
	[ -n "${JOINT:-}" ] && { expect 0 at 2026-11-20T09:40:00Z w alice cosign "$WIN"; take alice; take gina; }
	[ -n "${OWN:-}" ] && { at 2026-11-20T09:41:00Z w alice impact "$INC" $OWN >/dev/null; take alice; }
	[ -n "${CORRECT:-}" ] && at 2026-11-20T09:45:00Z w gina impact "$INC" $CORRECT >/dev/null
	resolve_jointly
	expect 0 at 2026-11-20T10:10:00Z w alice status "$INC" closed
	take alice
	take gina
	export ACCORD_NOW=2026-11-20T11:00:00Z # figures are read as of now
}

test_case figure_cosigned
world
INC=$(w alice open --title outage --severity 2 --service web --parties acme,globex --started 2026-11-20T09:00:00Z)
take alice
take gina
WIN=$(w gina impact "$INC" --customers 1000 --start 2026-11-20T09:00:00Z --end 2026-11-20T09:30:00Z)
take gina
take hal # hal's device goes idle here: it saw the window, not the co-signature
for n in 1 2 3; do w gina note "$INC" "globex: looking $n" >/dev/null; done # acme's co-signature sorts late
take gina
take alice
expect 0 w alice cosign "$WIN"
take alice
take gina
equal "$(minutes gina)" 30000 "figure_cosigned: joint, 1000 customers for 30 minutes"
expect 0 w hal impact "$INC" --customers 5 --start 2026-11-20T09:00:00Z --end 2026-11-20T09:01:00Z
take hal
take alice
take gina
rm -rf "$T/w/fresh.git" && accord clone "$T/w/hub" "$T/w/fresh.git" >/dev/null 2>&1 || bad "clone fresh"
for c in alice gina fresh; do
	equal "$(minutes $c)" 30000 "figure_cosigned: $c: the co-signed window stays joint beside its unsigned new version"
	equal "$(w $c show "$INC" --json 2>/dev/null | jget 'sorted([f["customers"], f["state"]] for f in d["impact"])' | tr -d ' ')" \
		'[[5,"notcounted"],[1000,"joint"]]' "figure_cosigned: $c: both versions shown, the new one waits"
done
# the new version counts once acme co-signs it too
NEWWIN=$(git -C "$T/w/hal.git" cat-file commit "refs/accord/feeds/$(accord --home "$T/w/hal" key show --json | jget 'd["id"]')" |
	sed '1,/^$/d' | sha256sum | cut -c1-12)
expect 0 w alice cosign "$NEWWIN"
equal "$(minutes alice)" 5 "figure_cosigned: the new version, co-signed, replaces the joint one"

test_case dispute_settled
terms
INC=$(at 2026-11-20T09:00:00Z w alice open --title outage --severity 2 --service web --parties acme,globex --started 2026-11-20T09:00:00Z)
take alice
take gina
at 2026-11-20T09:05:00Z w gina note "$INC" "looking" >/dev/null
MIT=$(at 2026-11-20T09:40:00Z w gina status "$INC" mitigated)
at 2026-11-20T09:50:00Z w gina status "$INC" resolved >/dev/null
take gina
take alice
take bob # bob's device goes idle before the dispute
DIS=$(at 2026-11-20T10:00:00Z w alice dispute "$MIT" --at 2026-11-20T09:55:00Z --reason "still down at 09:50")
take alice
take gina
expect 0 at 2026-11-20T10:10:00Z w gina cosign "$DIS"
take gina
take alice
export ACCORD_NOW=2026-11-20T12:00:00Z
apart() { w "$1" report --format json 2>/dev/null | jget '[p["sla"]["disputed"] for p in d["providers"] if p["party"] == "globex"][0]'; }
mitigate() { w "$1" show "$INC" 2>/dev/null | grep -E '^ +mitigate' | head -1 | tr -s ' '; }
equal "$(apart alice)" 0 "dispute_settled: accepted, the clock counts on acme's time"
contains "$(mitigate alice)" "55m of 1h: met" "dispute_settled: on the agreed 09:55"
expect 2 w alice retract "$DIS" --reason "changed my mind"
expect 0 at 2026-11-20T12:00:00Z w alice dispute "$MIT" --at 2026-11-20T10:00:00Z --reason again
take alice
for n in 1 2 3; do at 2026-11-20T11:5$n:00Z w bob note "$INC" "catching up $n" >/dev/null; done
expect 0 at 2026-11-20T11:59:00Z w bob dispute "$MIT" --reason "we saw it only now"
take bob
take gina
take alice
rm -rf "$T/w/fresh.git" && accord clone "$T/w/hub" "$T/w/fresh.git" >/dev/null 2>&1 || bad "clone fresh"
for c in alice gina fresh; do
	equal "$(apart $c)" 0 "dispute_settled: $c: acme's later disputes alone unmake no agreed time"
	contains "$(mitigate $c)" "55m of 1h: met" "dispute_settled: $c: the agreed 09:55 still decides"
	equal "$(w $c show "$INC" --json 2>/dev/null | jget 'len(d["disputes"])')" 3 "dispute_settled: $c: every dispute is shown"
done

test_case same_verdict
terms
INC=$(at 2026-11-20T09:00:00Z w alice open --title outage --severity 2 --service web --parties acme,globex --started 2026-11-20T09:00:00Z)
INC2=$(at 2026-11-20T09:00:00Z w alice open --title "outage two" --severity 2 --service web --parties acme,globex --started 2026-11-20T09:00:00Z)
take alice
take gina
MIT=$(at 2026-11-20T09:40:00Z w gina status "$INC" mitigated)
MIT2=$(at 2026-11-20T09:40:00Z w gina status "$INC2" mitigated)
take gina
take alice
# (a dispute may claim no time later than its party's first entry that saw the event)
expect 0 at 2026-11-20T10:40:00Z w alice dispute "$MIT2" --at 2026-11-20T10:30:00Z --reason "down until 10:30"
expect 0 at 2026-11-20T10:45:00Z w alice dispute "$MIT" --at 2026-11-20T09:50:00Z --reason "still down at 09:45"
export ACCORD_NOW=2026-11-20T12:00:00Z
equal "$(apart alice)" 1 "same_verdict: only the dispute that turns met into missed is counted apart"
contains "$(mitigate alice)" "of 1h: met" "same_verdict: the verdict both times give"

test_case rerecord_after_close
OWN="--customers 800 --start 2026-11-20T09:00:00Z --end 2026-11-20T09:20:00Z" \
	closed --customers 1000 --start 2026-11-20T09:00:00Z --end 2026-11-20T09:30:00Z
export ACCORD_NOW=2026-11-20T11:00:00Z
BEFORE=$(minutes alice)
equal "$BEFORE" 16000 "rerecord_after_close: acme's own window counts: 800 customers for 20 minutes"
# both parties record their window again, same start, on copies that know of the close
expect 0 w gina impact "$INC" --customers 5 --start 2026-11-20T09:00:00Z --end 2026-11-20T09:01:00Z
expect 0 w alice impact "$INC" --customers 100000 --start 2026-11-20T09:00:00Z --end 2026-11-20T10:00:00Z
take gina
take alice
take gina
rm -rf "$T/w/fresh.git" && accord clone "$T/w/hub" "$T/w/fresh.git" >/dev/null 2>&1 || bad "clone fresh"
for c in alice gina fresh; do
	equal "$(minutes $c)" "$BEFORE" "rerecord_after_close: $c: the figures the close judged stand"
	equal "$(w $c report --format json 2>/dev/null | jget 'd["customer_impact"]["customer_minutes"]')" "$BEFORE" \
		"rerecord_after_close: $c: and the report says so"
	equal "$(w $c show "$INC" --json 2>/dev/null | jget 'sum(1 for e in d["timeline"] if e["type"] == "impact" and (e.get("mark") or "").startswith("late"))')" 2 \
		"rerecord_after_close: $c: both new versions are shown late"
done

test_case stale_cosign_after_close
CORRECT="--customers 5 --start 2026-11-20T09:00:00Z --end 2026-11-20T09:01:00Z" \
	closed --customers 1000 --start 2026-11-20T09:00:00Z --end 2026-11-20T09:30:00Z
BEFORE=$(minutes alice)
equal "$BEFORE" 5 "stale_cosign_after_close: the close judged globex's correction"
# bob's idle device, which knew neither the correction nor the close, co-signs the first version
expect 0 at 2026-11-20T10:30:00Z w bob cosign "$WIN"
take bob
take alice
take gina
for c in alice gina; do
	equal "$(minutes $c)" "$BEFORE" "stale_cosign_after_close: $c: the figure the close judged stands"
done

test_case end_open_window_after_close
closed --customers 1000 --start 2026-11-20T09:00:00Z
expect 0 at 2026-11-20T10:20:00Z w gina impact "$INC" --customers 1000 --start 2026-11-20T09:00:00Z --end 2026-11-20T09:01:00Z
take gina
take alice
for when in 2026-11-21T10:00:00Z 2026-12-20T10:00:00Z; do
	equal "$(ACCORD_NOW=$when w alice report --format json 2>/dev/null | jget 'd["customer_impact"]["customer_minutes"]')" 1000 \
		"end_open_window_after_close: a window open at the close gets its end ($when)"
done
expect 0 at 2026-11-20T10:30:00Z w gina impact "$INC" --customers 1000 --start 2026-11-20T09:00:00Z --end 2026-11-20T10:00:00Z
take gina
take alice
equal "$(minutes alice)" 1000 "end_open_window_after_close: a second new version, once it has its end, is late"

test_case stale_rerecord_before_close
for how in rerecord retract; do
	RECORDER=hal closed --customers 1000 --start 2026-11-20T09:00:00Z --end 2026-11-20T09:30:00Z
	BEFORE=$(minutes alice)
	equal "$BEFORE" 30000 "stale_rerecord_before_close: the close judged 1000 customers for 30 minutes"
	# hal's device, offline since it recorded the window, changes it: its entry sorts before the close
	if [ $how = rerecord ]; then
		expect 0 at 2026-11-20T10:30:00Z w hal impact "$INC" --customers 5 --start 2026-11-20T09:00:00Z --end 2026-11-20T09:01:00Z
	else
		expect 0 at 2026-11-20T10:30:00Z w hal retract "$WIN" --reason "re-measured"
	fi
	take hal
	take alice
	for c in alice hal; do
		equal "$(minutes $c)" "$BEFORE" "stale_rerecord_before_close: $c: a $how the close never saw changes nothing"
	done
done

test_case joint_open_window_ends
JOINT=1 closed --customers 1000 --start 2026-11-20T09:00:00Z
expect 0 at 2026-11-20T10:20:00Z w gina impact "$INC" --customers 1000 --start 2026-11-20T09:00:00Z --end 2026-11-20T09:15:00Z
take gina
take alice
for when in 2026-11-21T10:00:00Z 2026-12-20T10:00:00Z; do
	equal "$(ACCORD_NOW=$when w alice report --format json 2>/dev/null | jget 'd["customer_impact"]["customer_minutes"]')" 15000 \
		"joint_open_window_ends: a joint window open at the close ends too ($when)"
done

test_case superseded_dispute
terms
INC=$(at 2026-11-20T09:00:00Z w alice open --title outage --severity 2 --service web --parties acme,globex --started 2026-11-20T09:00:00Z)
take alice
take gina
MIT=$(at 2026-11-20T09:40:00Z w gina status "$INC" mitigated)
take gina
take alice
D1=$(at 2026-11-20T10:20:00Z w alice dispute "$MIT" --at 2026-11-20T09:50:00Z --reason "still down at 09:45")
D2=$(at 2026-11-20T10:25:00Z w alice dispute "$MIT" --at 2026-11-20T10:15:00Z --reason "in fact until 10:15")
take alice
take gina
expect 0 at 2026-11-20T10:30:00Z w gina cosign "$D1" # globex knows both, accepts the older claim
take gina
take alice
export ACCORD_NOW=2026-11-20T12:00:00Z
for c in alice gina; do
	equal "$(apart $c)" 1 "superseded_dispute: $c: accepting a claim the customer replaced settles nothing"
	contains "$(mitigate $c)" "disputed" "superseded_dispute: $c: the clock stays disputed"
done

test_case cosign_after_close
OWN="--customers 800 --start 2026-11-20T09:00:00Z --end 2026-11-20T09:20:00Z" \
	closed --customers 5 --start 2026-11-20T09:00:00Z --end 2026-11-20T09:30:00Z
BEFORE=$(minutes alice)
equal "$BEFORE" 16000 "cosign_after_close: the close judged acme's own window, globex's beside it"
expect 0 at 2026-11-20T10:30:00Z w alice cosign "$WIN" # knowing of the close
contains "$ERR" "this co-signature is late and makes no window joint" "cosign_after_close: the CLI says so (attack129 01)"
expect 0 at 2026-11-20T10:31:00Z w bob cosign "$WIN"   # an idle device that never saw it
take alice
take bob
take gina
for c in alice gina; do
	equal "$(minutes $c)" "$BEFORE" "cosign_after_close: $c: making a window the close judged joint re-scores nothing"
done

test_case late_retract_not_shown_retracted
RECORDER=hal closed --customers 1000 --start 2026-11-20T09:00:00Z --end 2026-11-20T09:30:00Z
expect 0 at 2026-11-20T10:30:00Z w hal retract "$WIN" --reason "re-measured"
take hal
take alice
expect 0 w alice show "$INC" --json
equal "$(echo "$OUT" | jget "[e.get('mark') or '' for e in d['timeline'] if e['id'].startswith('$WIN')][0].startswith('retracted')")" false \
	"late_retract_not_shown_retracted: a retract the close never saw does not mark the window retracted"

test_case window_after_close
closed --customers 1000 --start 2026-11-20T09:00:00Z --end 2026-11-20T09:30:00Z
BEFORE=$(minutes alice)
# a window first recorded while the close stands: late, it re-scores nothing until a reopen
expect 0 at 2026-11-20T10:20:00Z w gina impact "$INC" --customers 500 --start 2026-11-20T10:15:00Z --end 2026-11-20T10:20:00Z
contains "$ERR" "this window is late and changes nothing the close judged" "window_after_close: the CLI says so (attack129 01)"
take gina
take alice
equal "$(minutes alice)" "$BEFORE" "window_after_close: a window recorded after the close changes nothing"
expect 0 w alice show "$INC" --json
equal "$(echo "$OUT" | jget "[(e.get('mark') or '')[:4] for e in d['timeline'] if e['type'] == 'impact'][-1]")" late \
	"window_after_close: it is shown late"
# after a reopen, the same window counts
expect 0 at 2026-11-20T10:30:00Z w alice status "$INC" investigating
take alice
take gina
expect 0 at 2026-11-20T10:35:00Z w gina impact "$INC" --customers 500 --start 2026-11-20T10:15:00Z --end 2026-11-20T10:20:00Z
take gina
take alice
equal "$(minutes alice)" $((BEFORE + 2500)) "window_after_close: after a reopen it counts"

test_case cosign_postclose_window
OWN="--customers 1000 --start 2026-11-20T09:00:00Z --end 2026-11-20T09:30:00Z" \
	closed --customers 1000 --start 2026-11-20T09:00:00Z --end 2026-11-20T09:30:00Z
BEFORE=$(minutes alice)
equal "$BEFORE" 30000 "cosign_postclose_window: the close judged acme's own window"
# after the close acme records a smaller window of its own for the same time (attack102 01),
# and globex one that acme co-signs (attack100 01)
expect 0 at 2026-11-20T10:20:00Z w alice impact "$INC" --customers 5 --start 2026-11-20T09:05:00Z --end 2026-11-20T09:30:00Z
PC=$(at 2026-11-20T10:20:00Z w gina impact "$INC" --customers 5 --start 2026-11-20T09:05:00Z --end 2026-11-20T09:30:00Z)
take gina
take alice
expect 1 at 2026-11-20T10:30:00Z w alice cosign "$PC"
take alice
take gina
for c in alice gina; do
	equal "$(minutes $c)" "$BEFORE" "cosign_postclose_window: $c: windows recorded after the close re-score nothing"
done

# joint_round [WINDOW-OPTIONS...]: globex (optionally with a window) resolves, the
# resolution is joint at 10:00, and hal's device saw it, then stays offline
joint_round() {
	outage
	[ $# -gt 0 ] && at 2026-11-20T09:35:00Z w gina impact "$INC" "$@" >/dev/null
	resolve_jointly
	take hal
}

# hal_arrives: hal's device syncs at last, the others take what it wrote, and a fresh clone
hal_arrives() {
	take hal
	take alice
	take gina
	export ACCORD_NOW=2026-11-20T11:00:00Z
	rm -rf "$T/w/fresh.git" && accord clone "$T/w/hub" "$T/w/fresh.git" >/dev/null 2>&1 || bad "clone fresh"
}

test_case close_at_once_reopen
joint_round --customers 100 --start 2026-11-20T09:00:00Z --end 2026-11-20T09:30:00Z
for n in 1 2 3; do at 2026-11-20T10:0$n:00Z w alice note "$INC" "acme: checking $n" >/dev/null; done
expect 0 at 2026-11-20T10:10:00Z w alice status "$INC" closed
expect 0 at 2026-11-20T10:20:00Z w alice status "$INC" investigating
expect 0 at 2026-11-20T10:25:00Z w alice impact "$INC" --customers 50 --start 2026-11-20T10:20:00Z --end 2026-11-20T10:30:00Z
take alice
take gina
export ACCORD_NOW=2026-11-20T11:00:00Z
BEFORE=$(minutes alice)
equal "$BEFORE" 500 "close_at_once_reopen: reopened, acme's own window after the reopen counts (not globex's)"
# hal, who never saw acme's close, closes too; its clock is lower, so it sorts first
expect 0 at 2026-11-20T10:40:00Z w hal status "$INC" closed
take hal
take alice
take gina
rm -rf "$T/w/fresh.git" && accord clone "$T/w/hub" "$T/w/fresh.git" >/dev/null 2>&1 || bad "clone fresh"
for c in alice gina fresh; do
	equal "$(w $c show "$INC" --json 2>/dev/null | jget 'd["status"]')" "investigating" "close_at_once_reopen: $c: the reopen stands"
	equal "$(minutes $c)" "$BEFORE" "close_at_once_reopen: $c: what acme recorded since the reopen counts"
done
contains "$(w alice show "$INC" 2>/dev/null)" "no effect: closed at once with the close by" "close_at_once_reopen: the second close is shown as the same decision"
expect 0 w alice audit

test_case close_at_once_judges_both
joint_round
expect 0 at 2026-11-20T10:05:00Z w alice amend "$INC" --severity 1
expect 0 at 2026-11-20T10:10:00Z w alice status "$INC" closed
take alice
take gina
expect 0 at 2026-11-20T10:40:00Z w hal status "$INC" closed # knew less, sorts first
hal_arrives
for c in alice gina fresh; do
	equal "$(w $c show "$INC" --json 2>/dev/null | jget '[d["status"], d["severity"]]' | tr -d ' ')" '["closed",1]' \
		"close_at_once_judges_both: $c: closed, and acme's amend, which its close knew, stands"
done
case "$(w alice show "$INC" 2>/dev/null | grep ' amend ')" in *late*) bad "close_at_once_judges_both: the amend is late" ;; *) ok ;; esac

test_case close_at_once_history
joint_round
for n in 1 2 3; do at 2026-11-20T10:0$n:00Z w alice note "$INC" "acme: checking $n" >/dev/null; done
expect 0 at 2026-11-20T10:10:00Z w alice status "$INC" closed
take alice
take gina
# hal's device, offline since the joint resolution, goes back and resolves again, then closes
expect 0 at 2026-11-20T10:40:00Z w hal status "$INC" investigating
expect 0 at 2026-11-20T10:41:00Z w hal status "$INC" resolved
expect 0 at 2026-11-20T10:42:00Z w hal status "$INC" closed
hal_arrives
for c in alice gina fresh; do
	equal "$(w $c show "$INC" 2>/dev/null | grep -E 'status +hal@globex +(investigating|resolved) \[late: written without knowing of the close by acme' | wc -l)" 2 \
		"close_at_once_history: $c: hal's statuses that acme's close never knew are late"
	equal "$(w $c show "$INC" --json 2>/dev/null | jget 'd["status"]')" "closed" "close_at_once_history: $c: closed"
done

finish

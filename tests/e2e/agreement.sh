# Agreed terms, measured clocks (issue 18): agreements both parties sign,
# clocks computed from the signed timeline, and the report per provider.
# Incidents are built with ACCORD_NOW at chosen times; every clock and figure
# is checked against a literal computed by hand (the arithmetic in comments).
# Attacks on agreements are forged with stock ssh-keygen and git plumbing
# (tests/e2e/forge) and must be refused the same way by the hub's hook, sync,
# show and audit.
. "$(dirname "$0")/lib.sh"
FORGE="/usr/bin/python3 $(cd "$(dirname "$0")" && pwd)/forge/forge.py"
SCHEMAS="$(cd "$(dirname "$0")/../.." && pwd)/schemas"
forge() { $FORGE "$@" || bad "forge $*"; }
unset SSH_AUTH_SOCK TZDIR

for k in alice gina ivan; do newkey $k; done
pub() { accord --home "$T/$1" key show | tail -1; }
B="$T/l.git"
git init -q --bare "$B"
as() { who=$1; shift; accord --home "$T/$who" -C "$B" "$@"; }
AT() { when=$1; shift; ACCORD_NOW=$when as "$@"; }
export ACCORD_NOW=2026-10-01T08:00:00Z
expect 0 as alice init --party acme --title "acme and partners"
expect 0 as alice party invite globex --key "$(pub gina)"
expect 0 as gina party accept globex
expect 0 as alice party invite initech --key "$(pub ivan)"
expect 0 as ivan party accept initech
forge sshkey "$T/gina" "$T/gina.ssh"
forge sshkey "$T/ivan" "$T/ivan.ssh"
schema_ok() { # schema_ok SCHEMA LABEL: the JSON in $OUT validates
	printf '%s\n' "$OUT" | /usr/bin/python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)))' >"$T/doc.jsonl"
	if /usr/bin/python3 "$(dirname "$0")/schema_check.py" "$SCHEMAS" "$1" "$T/doc.jsonl" >/dev/null 2>&1; then ok
	else bad "$2: validates against $1"; fi
}

# --- proposing: what the CLI refuses ---------------------------------------------
test_propose_refused() {
	expect 2 as alice agreement propose --with globex --acknowledge 30m --mitigate 4h
	contains "$ERR" "--restore is required" "propose: every clock needs a target"
	expect 2 as alice agreement propose --with globex --acknowledge 30m --mitigate 4h --restore 0s
	contains "$ERR" "from 1s to 365d" "propose: a zero target is refused"
	expect 2 as alice agreement propose --with globex --acknowledge 30m --mitigate 4h --restore 8h \
		--hours "Mon-Fri 08:00-18:00 Mars/Olympus"
	contains "$ERR" "unknown time zone 'Mars/Olympus'" "propose: an unknown zone is refused"
	expect 2 as alice agreement propose --with globex --acknowledge 30m --mitigate 4h --restore 8h \
		--hours "Mon-Fri 08:00-18:00 ../../../etc/passwd"
	contains "$ERR" "is not a time zone name" "propose: a zone shaped like a path is refused"
	expect 2 as alice agreement propose --with globex --acknowledge 30m --mitigate 4h --restore 8h \
		--hours "Fri-Mon 08:00-18:00 Europe/Copenhagen"
	contains "$ERR" "are no business hours" "propose: hours that do not read are refused"
	expect 2 as alice agreement propose --with acme --acknowledge 30m --mitigate 4h --restore 8h
	contains "$ERR" "your own party" "propose: an agreement with oneself is refused"
	expect 1 as alice agreement propose --with nosuch --acknowledge 30m --mitigate 4h --restore 8h
	contains "$ERR" "nosuch" "propose: an unknown party is refused"
	expect 2 as alice agreement propose --with globex --acknowledge 30m --mitigate 4h --restore 8h --csat-target 101
	expect 0 as alice agreement list --json
	equal "$(echo "$OUT" | jget 'len(d["agreements"])')" 0 "propose: nothing refused was written"
}

# --- proposing and co-signing ----------------------------------------------------
test_propose_and_cosign() {
	AT 2026-10-01T09:00:00Z alice agreement propose --with globex --service checkout \
		--acknowledge 30m --mitigate 4h --restore 8h --hours "Mon-Fri 08:00-18:00 Europe/Copenhagen" \
		--csat-target 80 --lost-minutes-target 30 >"$T/out" 2>"$T/err" && ok || bad "propose: $(cat "$T/err")"
	A1=$(cat "$T/out")
	equal "$(printf %s "$A1" | wc -c)" 12 "propose prints the agreement's id"
	expect 0 as alice export
	equal "$(echo "$OUT" | grep '"type":"agreement"' | jget 'd["body"]["hours"]')" \
		'{"week": "Mon-Fri 08:00-18:00", "zone": "Europe/Copenhagen", "tz": "CET-1CEST,M3.5.0,M10.5.0/3"}' \
		"the signed entry records the zone's POSIX TZ rule"
	expect 0 as alice agreement list --json
	schema_ok agreements.schema.json "agreement list --json"
	equal "$(echo "$OUT" | jget '[(a["state"], a["customer"], a["provider"], a["service"], a["acknowledge_s"], a["restore_s"], a["csat_target"]) for a in d["agreements"]]')" \
		'[["proposed", "acme", "globex", "checkout", 1800, 28800, 80]]' "list: proposed, waiting for globex"
	# only the provider co-signs
	expect 1 as alice cosign "$A1"
	contains "$ERR" "only globex co-signs it" "cosign: the customer cannot co-sign its own proposal"
	expect 1 as ivan cosign "$A1"
	contains "$ERR" "only globex co-signs it" "cosign: a third party cannot co-sign it"
	AT 2026-10-01T10:00:00Z gina cosign "$A1" >/dev/null 2>"$T/err" && ok || bad "gina cosigns: $(cat "$T/err")"
	expect 1 as gina cosign "$A1"
	contains "$ERR" "joint already" "cosign: an agreement is co-signed once"
	expect 0 as alice agreement list --json
	equal "$(echo "$OUT" | jget '[(a["state"], a["joint_at"]) for a in d["agreements"]]')" \
		'[["in-force", "2026-10-01T10:00:00Z"]]' "list: in force once globex co-signed"
	expect 0 as gina agreement list
	contains "$OUT" "acme (customer) with globex (provider), service checkout, every severity" "list: the scope"
	contains "$OUT" "acknowledge 30m, mitigate 4h, restore 8h; hours Mon-Fri 08:00-18:00 Europe/Copenhagen (CET-1CEST,M3.5.0,M10.5.0/3); CSAT target 80%; lost minutes target 30" \
		"list: the terms"
	# a later joint agreement for the same scope supersedes it
	AT 2026-10-02T09:00:00Z alice agreement propose --with globex --service checkout \
		--acknowledge 15m --mitigate 2h --restore 6h --hours "Mon-Fri 08:00-18:00 Europe/Copenhagen" \
		--csat-target 80 --lost-minutes-target 30 >"$T/out" && ok || bad "second propose"
	A2=$(cat "$T/out")
	AT 2026-10-02T09:30:00Z gina cosign "$A2" >/dev/null && ok || bad "gina cosigns the second"
	expect 0 as alice agreement list --json
	equal "$(echo "$OUT" | jget '[(a["id"][:12], a["state"], (a["superseded_by"] or "")[:12]) for a in d["agreements"]]')" \
		"[[\"$A1\", \"superseded\", \"$A2\"], [\"$A2\", \"in-force\", \"\"]]" "list: the later joint agreement supersedes"
	expect 0 as alice agreement list
	contains "$OUT" "history:" "list: the history"
	contains "$OUT" "superseded by $A2" "list: says what superseded it"
	expect 0 as alice log --type agreement
	contains "$OUT" "proposes agreement $A1 with globex: acknowledge 30m, mitigate 4h, restore 8h" "log shows the agreement"
	expect 0 accord -C "$B" audit --json --no-record
	equal "$(echo "$OUT" | jget 'len(d["findings"])')" 0 "audit: agreements and their co-signatures are clean"
}

# --- the customer-facing party is the agreement's customer ----------------------------
test_customer_party() {
	# globex opens an incident of checkout involving acme: acme is the customer side
	AT 2026-10-05T09:00:00Z gina open --title "Card payments fail" --severity 2 --service checkout \
		--started 2026-10-05T08:50:00Z --parties acme >"$T/out" && ok || bad "globex opens"
	I1=$(cat "$T/out")
	expect 0 as alice show "$I1" --json
	equal "$(echo "$OUT" | jget 'd["customer_party"]')" acme "customer side of the agreement in force, not the opener"
	expect 2 as gina feedback "$I1" --score 5
	contains "$ERR" "recorded by acme, its customer-facing party" "feedback: the provider cannot speak for the customers"
	expect 0 as alice feedback "$I1" --score 2
	# another service: no agreement, the opener is customer-facing
	AT 2026-10-05T09:10:00Z gina open --title "Batch late" --severity 3 --service batch \
		--started 2026-10-05T08:00:00Z --parties acme >"$T/out" && ok || bad "globex opens batch"
	expect 0 as alice show "$(cat "$T/out")" --json
	equal "$(echo "$OUT" | jget 'd["customer_party"]')" globex "no agreement for the service: the opener"
	# the same answer through the index (a fresh clone verifies from scratch)
	rm -rf "$T/clone.git"
	git clone -q --bare --no-local "$B" "$T/clone.git" 2>/dev/null
	git -C "$B" for-each-ref --format='%(refname)' refs/accord/ | while read -r r; do
		git -C "$T/clone.git" fetch -q "$B" "+$r:$r"; done
	expect 0 accord --home "$T/ivan" -C "$T/clone.git" show "$I1" --json
	equal "$(echo "$OUT" | jget 'd["customer_party"]')" acme "a copy derives the same customer side"
}

# --- forged agreements and co-signatures: every path refuses them --------------------------
HUB="$T/hub.git" C="$T/case.git"
fresh() {
	rm -rf "$C" "$HUB" "$T/copy.git"
	cp -r "$B" "$C"
	cp -r "$B" "$HUB"
	printf '#!/bin/sh\nexec "%s" hook pre-receive\n' "$ACCORD_BIN" >"$HUB/hooks/pre-receive"
	chmod +x "$HUB/hooks/pre-receive"
}
idof() { git -C "$C" cat-file commit "$1" | sed '1,/^$/d' | tr -d '\n' | sha256sum | cut -c1-64; }
refused() { # refused NAME FEED BAD KIND: the hook, sync, show and audit leave BAD out
	name=$1 feed=$2 badc=$3 kind=$4
	accord -C "$C" audit --json --no-record 2>/dev/null >"$T/a.json"
	equal "$(jget "'$badc' in [f['commit'] for f in d['findings'] if f['kind'] == '$kind']" <"$T/a.json")" true \
		"$name: audit names the commit ($kind)"
	expect 1 git -C "$C" push -q "$HUB" "refs/accord/feeds/*:refs/accord/feeds/*"
	equal "$(git -C "$HUB" rev-parse "refs/accord/feeds/$feed" 2>/dev/null)" \
		"$(git -C "$B" rev-parse "refs/accord/feeds/$feed" 2>/dev/null)" "$name: the hook refused the push"
	cp -r "$B" "$T/copy.git"
	accord -C "$T/copy.git" remote add src "$C" >/dev/null
	accord --home "$T/alice" -C "$T/copy.git" sync src --no-checkpoint >/dev/null 2>&1
	if git -C "$T/copy.git" merge-base --is-ancestor "$badc" "refs/accord/feeds/$feed" 2>/dev/null; then
		bad "$name: sync moved the ref onto it"; else ok; fi
	expect 0 accord --home "$T/alice" -C "$C" agreement list --json
	contains "$ERR" "left out" "$name: agreement list says it left entries out"
}
test_forged() {
	GK=$(/usr/bin/python3 "$(dirname "$0")/forge/forge.py" keyid "$T/gina.ssh.pub" | cut -d' ' -f2)
	IK=$(/usr/bin/python3 "$(dirname "$0")/forge/forge.py" keyid "$T/ivan.ssh.pub" | cut -d' ' -f2)
	# initech co-signs acme's proposal to globex: not its agreement to sign
	AT 2026-10-06T09:00:00Z alice agreement propose --with globex --service api \
		--acknowledge 1h --mitigate 4h --restore 8h >"$T/out" && ok || bad "propose api"
	A3=$(as alice agreement list --json | jget '[a["id"] for a in d["agreements"] if a["service"] == "api"][0]')
	fresh
	BADC=$(forge entry "$C" "$T/ivan.ssh" --type cosign --extra '{"incident":null}' --body "{\"proposal\":\"$A3\"}")
	refused "third-party cosign" "$IK" "$BADC" bad-cosign
	equal "$(accord -C "$C" agreement list --json 2>/dev/null | jget "[a['state'] for a in d['agreements'] if a['id'] == '$A3']")" \
		'["proposed"]' "third-party cosign: the agreement stays proposed"
	expect 0 accord --home "$T/alice" -C "$C" show "$I1" --json
	contains "$ERR" "left out" "third-party cosign: show says it left entries out"
	# globex forges an agreement naming itself as its own provider
	fresh
	BADC=$(forge entry "$C" "$T/gina.ssh" --type agreement --extra '{"incident":null}' \
		--body '{"with":"globex","acknowledge_s":60,"mitigate_s":60,"restore_s":60}')
	refused "agreement with itself" "$GK" "$BADC" not-authorized
	# hours whose TZ rule does not read: refused on read, as the CLI would
	fresh
	BADC=$(forge entry "$C" "$T/gina.ssh" --type agreement --extra '{"incident":null}' \
		--body '{"with":"acme","acknowledge_s":60,"mitigate_s":60,"restore_s":60,"hours":{"week":"Mon-Fri 08:00-18:00","zone":"X","tz":"CET-1CEST,M3.5.0"}}')
	refused "unreadable TZ rule" "$GK" "$BADC" not-authorized
	# a cosign of an agreement that claims to be of an incident
	fresh
	BADC=$(forge entry "$C" "$T/gina.ssh" --type cosign --incident "$(as alice show "$I1" --json | jget 'd["full_id"]')" \
		--body "{\"proposal\":\"$A3\"}")
	refused "agreement cosign inside an incident" "$GK" "$BADC" bad-cosign
}

test_propose_refused
test_propose_and_cosign
test_customer_party
test_forged
finish

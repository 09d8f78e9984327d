#!/bin/sh
# accord.notify example: one mail with every new inbox item of a sync.
#   git config accord.notify "/path/to/notify-mail.sh oncall@acme.example"
# stdin: one JSON object a line (schemas/notify.schema.json). Needs jq and a
# mail(1) (bsd-mailx or mailutils) with a working MTA.
set -eu
to=$1
body=$(jq -r '"\(.incident.title) (SEV\(.incident.severity), \(.incident.id[0:12]))\n  \(.summary)\n"')
[ -n "$body" ] || exit 0
printf 'New in the inbox of %s (ledger %.12s):\n\n%s\n' "$ACCORD_PARTY" "$ACCORD_LEDGER" "$body" |
	mail -s "accord: $(printf '%s\n' "$body" | grep -c '^  ') new for $ACCORD_PARTY" "$to"

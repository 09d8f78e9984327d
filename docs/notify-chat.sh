#!/bin/sh
# accord.notify example: post each new inbox item to a chat webhook
# (Slack, Mattermost and Rocket.Chat take {"text": ...}).
#   git config accord.notify "/path/to/notify-chat.sh https://chat.example/hooks/XYZ"
# stdin: one JSON object a line (schemas/notify.schema.json). The summary is
# text a partner wrote: jq --arg puts it in a JSON string, never in a shell
# command or the chat's markup language.
set -eu
url=$1
while IFS= read -r item; do
	text=$(printf '%s\n' "$item" | jq -r '"[\(env.ACCORD_PARTY)] \(.incident.title) (SEV\(.incident.severity)): \(.summary)"')
	jq -n --arg text "$text" '{text: $text}' |
		curl -fsS --max-time 10 -H 'Content-Type: application/json' --data-binary @- "$url" >/dev/null
done

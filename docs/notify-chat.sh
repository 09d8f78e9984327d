#!/bin/sh
# accord.notify example: post each new inbox item to a chat webhook
# (Slack, Mattermost and Rocket.Chat take {"text": ...}).
#   git config accord.notify "/path/to/notify-chat.sh https://chat.example/hooks/XYZ"
# stdin: one JSON object a line (schemas/notify.schema.json). The title and
# summary are text a partner wrote: jq --arg puts them in a JSON string, never
# in a shell command, and esc makes them plain text in the chat's markup: in
# Slack's (and Mattermost's) message text, "<!channel>", "<@U123>" and
# "<https://x|label>" are commands and links, so &, < and > are sent as
# &amp;, &lt; and &gt;, Slack's own escaping (api.slack.com, "Escaping text").
set -eu
url=$1
while IFS= read -r item; do
	text=$(printf '%s\n' "$item" | jq -r 'def esc: tostring | gsub("&"; "&amp;") | gsub("<"; "&lt;") | gsub(">"; "&gt;");
		"[\(env.ACCORD_PARTY | esc)] \(.incident.title | esc) (SEV\(.incident.severity | esc)): \(.summary | esc)"')
	jq -n --arg text "$text" '{text: $text}' |
		curl -fsS --max-time 10 -H 'Content-Type: application/json' --data-binary @- "$url" >/dev/null
done

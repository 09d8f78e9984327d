# attack136 01: a key holder signs a second entry of its feed's newest seq on
# top of the first (seq N again, prev the seq-N entry, deps on another feed's
# head), as stock git plumbing and ssh-keygen can (forge.py). Every command
# that verified it aborted on a double free: the engine counted it as a
# side of the fork, while the feed's chain held it past its sound part. It
# must be one refused entry: sync refuses it, the hub's hook refuses a push
# of it, a copy holding it (plain git fetch) lists, shows and audits, and a
# clone of a hub whose operator planted it works, without it. A copy that
# took it by plain git fetch catches up when its author goes on (attack137 01).
. "$(dirname "$0")/lib.sh"
FORGE="/usr/bin/python3 $(cd "$(dirname "$0")" && pwd)/forge/forge.py"
unset SSH_AUTH_SOCK
newkey alice; newkey gina
$FORGE sshkey "$T/gina" "$T/gina.ssh" || bad "forge sshkey"
pub() { accord --home "$T/$1" key show | tail -1; }
kid() { accord --home "$T/$1" key show --json | jget 'd["id"]'; }
HUB="$T/hub.git" A="$T/acme" G="$T/globex"
git init -q --bare "$HUB"
printf '#!/bin/sh\nexec "%s" hook pre-receive\n' "$ACCORD_BIN" >"$HUB/hooks/pre-receive"
chmod +x "$HUB/hooks/pre-receive"
a() { accord --home "$T/alice" -C "$A" "$@"; }
g() { accord --home "$T/gina" -C "$G" "$@"; }
git init -q "$A"
expect 0 a init --party acme
expect 0 a party invite globex --key "$(pub gina)"
expect 0 a remote add origin "$HUB"
expect 0 a sync
expect 0 accord --home "$T/gina" clone "$HUB" "$G"
expect 0 g party accept globex
expect 0 g sync
expect 0 a sync
expect 0 a open --title t --severity 2 --service api --parties acme,globex
I=$OUT
expect 0 a sync
expect 0 g sync
expect 0 g note "$I" "gina's last"
expect 0 g sync
expect 0 a sync
expect 0 a note "$I" "alice's newer"
expect 0 a sync
expect 0 g sync --no-checkpoint
KG=$(kid gina)
FULL=$(g log --json --all | jget '[e["incident"] for e in d if e["type"] == "note"][0]')
SEQ=$(git -C "$G" log -1 --format=%B "refs/accord/feeds/$KG" | jget 'd["seq"]')
# the forged second entry of seq $SEQ, on top of the first, depending on alice's newer note
$FORGE entry "$G" "$T/gina.ssh" --type note --incident "$FULL" --body '{"text":"same seq"}' \
	--seq "$SEQ" >/dev/null || bad "forge entry"
FORGED=$(git -C "$G" rev-parse "refs/accord/feeds/$KG")

# gina's copy holds it as its own feed head: every read command answers, the audit finds it
expect 0 g list
expect 0 g show "$I"
contains "$OUT" "gina's last" "show on the copy holding it"
expect 0 g log --json --all
equal "$(echo "$OUT" | jget 'len([e for e in d if e["type"] == "note" and e["body"]["text"] == "same seq"])')" 0 \
	"the second entry of seq $SEQ does not count"
expect 3 g audit --no-record
contains "$OUT" "equivocation" "the audit's finding"

# offered by a partner's copy: refused, the rest of the sync goes on
expect 0 a remote add gx "$G"
expect 3 a sync --no-checkpoint gx
contains "$ERR" "equivocation at seq $SEQ" "the sync's refusal"
expect 0 a show "$I"
contains "$OUT" "gina's last" "show after the refused offer"

# pushed by its author: the hook refuses it, and says why
git -C "$G" push -q "$HUB" "refs/accord/feeds/$KG:refs/accord/feeds/$KG" >/dev/null 2>"$T/push.err" &&
	bad "the hub took the forged entry"
grep -q "equivocation\|refused" "$T/push.err" && ok || bad "the hook's refusal: $(cat "$T/push.err")"
grep -q "free()\|signal" "$T/push.err" && bad "the hook crashed: $(cat "$T/push.err")" || ok

# planted on the hub by its operator: members still push, and a clone does not take it
mv "$HUB/hooks/pre-receive" "$T/pre-receive"
git -C "$G" push -q "$HUB" "+$FORGED:refs/accord/feeds/$KG" 2>/dev/null || bad "the operator's plant"
mv "$T/pre-receive" "$HUB/hooks/pre-receive"
equal "$(git -C "$HUB" rev-parse "refs/accord/feeds/$KG")" "$FORGED" "planted on the hub"
git -C "$A" remote remove gx
expect 0 a note "$I" "after the plant"
expect 3 a sync
equal "$(git -C "$HUB" rev-parse "refs/accord/feeds/$(kid alice)")" \
	"$(git -C "$A" rev-parse "refs/accord/feeds/$(kid alice)")" "alice's note reached the hub"
expect 0 accord --home "$T/alice" clone "$HUB" "$T/clone"
expect 0 accord --home "$T/alice" -C "$T/clone" show "$I"
contains "$OUT" "after the plant" "the clone's show"
# attack137 01: the operator puts the hub back; a copy that took the entry by plain git
# fetch, while gina goes on from her real head and alice builds on that: the copy's next
# sync takes both, as every other copy does
git -C "$HUB" update-ref "refs/accord/feeds/$KG" "$FORGED~1"
expect 0 accord --home "$T/alice" clone "$HUB" "$T/r"
git -C "$T/r" fetch -q "$G" "+refs/accord/feeds/$KG:refs/accord/feeds/$KG" || bad "plain fetch"
equal "$(git -C "$T/r" rev-parse "refs/accord/feeds/$KG")" "$FORGED" "the copy holds the repeat"
git -C "$G" update-ref "refs/accord/feeds/$KG" "$FORGED~1"
expect 0 g note "$I" "gina goes on"
expect 0 g sync
expect 0 a sync
expect 0 a note "$I" "alice builds on it"
expect 0 a sync
expect 0 accord --home "$T/alice" -C "$T/r" sync
expect 0 accord --home "$T/alice" -C "$T/r" show "$I"
contains "$OUT" "gina goes on" "the copy that held the repeat takes gina's next entry"
contains "$OUT" "alice builds on it" "and alice's"
equal "$(git -C "$T/r" rev-parse "refs/accord/feeds/$KG")" "$(git -C "$HUB" rev-parse "refs/accord/feeds/$KG")" \
	"its feed ref where the hub's is"
finish

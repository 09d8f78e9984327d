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
# both organizations hold the same history
A=$(cd "$T/work/acme" && "$ACCORD_BIN" export | sort | sha256sum)
G=$(cd "$T/work/globex" && ACCORD_HOME="$T/work/gina-keys" "$ACCORD_BIN" sync >/dev/null 2>&1; "$ACCORD_BIN" export | sort | sha256sum)
equal "$G" "$A" "both ledgers hold the same entries"
finish

# Pinning a ledger (issue 15): a hub serves a look-alike ledger (a key named
# "alice" in a party "acme", an invitation for the newcomer's key). The ledger
# id the inviter sends is what tells the two apart: clone --ledger and
# party accept --ledger refuse the look-alike and write nothing.
. "$(dirname "$0")/lib.sh"

newkey alice; newkey gina; newkey pat
accord --home "$T/mallory" key new --name alice --no-passphrase >/dev/null 2>&1 || bad "key new mallory"
pub() { accord --home "$T/$1" key show | tail -1; }
git init -q --bare "$T/hub.git"
git init -q --bare "$T/evil.git"

# --- the real ledger: acme invites globex, and the invitation says what to run
git init -q "$T/acme"
expect 0 accord --home "$T/alice" -C "$T/acme" init --party acme --title "acme and partners"
LEDGER=$OUT
expect 0 accord --home "$T/alice" -C "$T/acme" party invite globex --key "$(pub gina)"
equal "$(echo "$OUT" | wc -l | tr -d ' ')" 1 "invite: stdout is the invitation's id only"
contains "$ERR" "  accord clone URL globex --ledger $LEDGER" "invite prints the clone command with the ledger id"
contains "$ERR" "  cd globex && accord party accept globex --ledger $LEDGER" "invite prints the accept command with the ledger id"
expect 0 accord --home "$T/alice" -C "$T/acme" remote add hub "$T/hub.git"
expect 0 accord --home "$T/alice" -C "$T/acme" sync
# with exactly one remote, the command names it
expect 0 accord --home "$T/alice" -C "$T/acme" party invite initech --key "$(pub pat)"
contains "$ERR" "  accord clone $T/hub.git initech --ledger $LEDGER" "invite names the only remote's URL"

# --- the look-alike: same party and member names, same title, an invitation for gina
git init -q "$T/fake"
expect 0 accord --home "$T/mallory" -C "$T/fake" init --party acme --title "acme and partners"
FAKE=$OUT
if [ "$FAKE" = "$LEDGER" ]; then bad "the look-alike has the same id?"; else ok; fi
expect 0 accord --home "$T/mallory" -C "$T/fake" party invite globex --key "$(pub gina)"
expect 0 accord --home "$T/mallory" -C "$T/fake" remote add hub "$T/evil.git"
expect 0 accord --home "$T/mallory" -C "$T/fake" sync

# --- clone --ledger: the look-alike is refused and nothing is written
cd "$T"
expect 3 accord clone "$T/evil.git" "$T/g1" --ledger "$LEDGER"
contains "$ERR" "holds ledger $FAKE, not the expected $LEDGER; nothing was cloned" "clone names both ids"
if [ -e "$T/g1" ]; then bad "refused clone left $T/g1 behind"; else ok; fi
mkdir "$T/g2"
expect 3 accord clone "$T/evil.git" "$T/g2" --ledger "$LEDGER"
equal "$(ls -A "$T/g2")" "" "refused clone into an empty folder leaves it empty"
# the option may come first too
expect 3 accord clone --ledger "$LEDGER" "$T/evil.git" "$T/g1"
if [ -e "$T/g1" ]; then bad "refused clone left $T/g1 behind"; else ok; fi
# malformed ids are usage errors, before anything is fetched
expect 2 accord clone "$T/hub.git" "$T/g1" --ledger "${LEDGER%??????}"
contains "$ERR" "64 lowercase hex digits" "a prefix does not pin"
expect 2 accord clone "$T/hub.git" "$T/g1" --ledger "$(echo "$LEDGER" | tr a-f A-F)"
expect 2 accord clone "$T/hub.git" "$T/g1" --ledger
if [ -e "$T/g1" ]; then bad "usage error left $T/g1 behind"; else ok; fi

# --- the real one is taken
expect 0 accord clone "$T/hub.git" "$T/globex" --ledger "$LEDGER"
equal "$OUT" "$LEDGER" "clone --ledger prints the ledger id"
equal "$(git -C "$T/globex" config accord.ledger)" "$LEDGER" "the clone is the pinned ledger"

# --- party accept --ledger: in the look-alike (cloned without --ledger), refused, nothing written
expect 0 accord clone "$T/evil.git" "$T/fooled"
BEFORE=$(refs "$T/fooled")
expect 3 accord --home "$T/gina" -C "$T/fooled" party accept globex --ledger "$LEDGER"
contains "$ERR" "this is ledger $FAKE, not the expected $LEDGER; nothing was written" "accept names both ids"
equal "$(refs "$T/fooled")" "$BEFORE" "refused accept: refs unchanged"
expect 2 accord --home "$T/gina" -C "$T/fooled" party accept globex --ledger nonsense
equal "$(refs "$T/fooled")" "$BEFORE" "bad --ledger: refs unchanged"

# --- and in the real one, accepted
BEFORE=$(refs "$T/globex")
expect 0 accord --home "$T/gina" -C "$T/globex" party accept globex --ledger "$LEDGER"
if [ "$(refs "$T/globex")" = "$BEFORE" ]; then bad "accept --ledger wrote nothing"; else ok; fi
expect 0 accord -C "$T/globex" party list --json
equal "$(echo "$OUT" | jget '[(p["name"], p["state"]) for p in d]')" '[["acme", "joined"], ["globex", "joined"]]' "globex joined the real ledger"
finish

# Hardware keys (sk-ssh-ed25519@openssh.com) as member keys (issue 16). No
# FIDO token is at hand, so tests/e2e/sk_agent.c plays an authenticator
# behind ssh-agent's protocol: it holds a software Ed25519 key and signs as
# a token does (application hash, flags, counter). accord signs through
# it, every copy verifies, stock git verify-commit and ssh-keygen -Y verify
# agree; signatures without a touch, over other bytes, or as another key
# type or application than the member was admitted with are contained.
# The attacks are built with stock ssh-keygen (through the same agent
# protocol) and git plumbing (forge.py).
. "$(dirname "$0")/lib.sh"

FORGE="/usr/bin/python3 $(cd "$(dirname "$0")" && pwd)/forge/forge.py"
SCHEMAS="$(cd "$(dirname "$0")/../../schemas" && pwd)"
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE
unset SSH_AUTH_SOCK SSH_AGENT_PID

# --- the test authenticator ---------------------------------------------------------
AGENT="$T/sk-agent"
# shellcheck disable=SC2046
if cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O1 -o "$AGENT" "$(dirname "$0")/sk_agent.c" \
	$(pkg-config --cflags --libs libsodium) 2>"$T/cc.err"; then ok; else bad "build sk_agent.c: $(cat "$T/cc.err")"; finish; exit 1; fi

seed() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
# start_agent NAME SEED [options]: an agent on $T/NAME.sock, its first key in $T/NAME.pub
start_agent() {
	name=$1 s=$2
	shift 2
	"$AGENT" "$T/$name.sock" "$s" "$T/$name.pub" "$@" 2>"$T/$name.agent.err" &
	PIDS="$PIDS $!"
	i=0
	while [ ! -s "$T/$name.pub" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	[ -s "$T/$name.pub" ] && ok || bad "agent $name did not start: $(cat "$T/$name.agent.err")"
}

CAROL_SEED=$(seed)
start_agent carol "$CAROL_SEED"
# the same key as an authenticator that was not touched, and as others would misuse it
start_agent carol-notouch "$CAROL_SEED" --flags 0
start_agent carol-forger "$CAROL_SEED" --identity plain --identity sk:ssh:other
contains "$(cat "$T/carol.pub")" "sk-ssh-ed25519@openssh.com AAAA" "the agent offers an sk key"

# --- import: the public key only ----------------------------------------------------
CH="$T/carol-home"
expect 0 env SSH_AUTH_SOCK="$T/carol.sock" "$ACCORD_BIN" --home "$CH" key import --agent "$T/carol.pub" --name carol
CAROL=$(echo "$OUT" | sed -n 1p)
contains "$(echo "$OUT" | sed -n 2p)" "sk-ssh-ed25519@openssh.com " "import prints the sk public line"
contains "$ERR" "hardware key (sk-ssh-ed25519@openssh.com, application ssh:)" "import says it is a hardware key"
equal "$(ls "$CH" | tr '\n' ' ')" "agent key.pub " "the key home holds the public key and the marker only"
equal "$($FORGE keyid "$T/carol.pub" | cut -d' ' -f2)" "$CAROL" "the key id is the Ed25519 key's, as for any key"
# a hardware key whose application is not "ssh:..." is refused
printf 'sk-ssh-ed25519@openssh.com %s bad\n' "$(printf '\0\0\0\032sk-ssh-ed25519@openssh.com\0\0\0\040%s\0\0\0\005web:x' "$(head -c 32 /dev/zero | tr '\0' 'k')" | base64 -w0)" >"$T/badapp.pub"
expect 2 accord --home "$T/badapp-home" key import --agent "$T/badapp.pub"
contains "$ERR" "application accord does not accept" "an application other than ssh:... is refused"
[ ! -e "$T/badapp-home" ] && ok || bad "a refused import writes nothing"

# --- a ledger with a software root and a hardware member ----------------------------
newkey alice
HUB="$T/hub.git"
git init -q --bare "$HUB"
printf '#!/bin/sh\nexec "%s" hook pre-receive\n' "$ACCORD_BIN" >"$HUB/hooks/pre-receive"
chmod +x "$HUB/hooks/pre-receive"
A="$T/acme"
git init -q "$A"
expect 0 accord --home "$T/alice" -C "$A" init --party acme --title "hardware keys"
LEDGER=$OUT
expect 2 accord --home "$T/alice" -C "$A" member add --key "$T/badapp.pub" --name bad
expect 0 accord --home "$T/alice" -C "$A" member add --key "$T/carol.pub" --name carol
ADD=$(git -C "$A" log -1 --format=%B "refs/accord/feeds/$($FORGE keyid "$T/alice/key.pub" | cut -d' ' -f2)")
equal "$(echo "$ADD" | jget '[d["type"], d["body"].get("key_type"), d["body"].get("application")]')" \
	'["member-add", "sk-ssh-ed25519@openssh.com", "ssh:"]' "member-add records the key type and application"
expect 0 accord -C "$A" log --all
contains "$OUT" "adds member carol (key $(echo "$CAROL" | cut -c1-12), a hardware key)" "log says the member's key is a hardware key"
expect 0 accord --home "$T/alice" -C "$A" remote add hub "$HUB"
expect 0 accord --home "$T/alice" -C "$A" sync

export SSH_AUTH_SOCK="$T/carol.sock"
C="$T/carol-copy"
expect 0 accord --home "$CH" clone "$HUB" "$C" --ledger "$LEDGER"
expect 0 accord --home "$CH" -C "$C" open --title "Badge reader offline" --severity 3 --service doors
INC=$OUT
expect 0 accord --home "$CH" -C "$C" note "$INC" "touched the key for this one"
expect 0 accord --home "$CH" -C "$C" sync
equal "$(git -C "$HUB" rev-parse "refs/accord/feeds/$CAROL")" "$(git -C "$C" rev-parse "refs/accord/feeds/$CAROL")" \
	"the hub's hook took carol's entries"
# the incident's full id: the hash of its open entry, carol's first
INCID=$(git -C "$C" log --format=%B "refs/accord/feeds/$CAROL" | grep '"type":"open"' | tr -d '\n' | sha256sum | cut -d' ' -f1)
expect 0 accord --home "$T/alice" -C "$A" sync
for copy in "$A" "$C" "$HUB"; do
	expect 0 accord -C "$copy" audit --no-record
	contains "$OUT" "carol@acme" "audit names the hardware key's member ($copy)"
done
expect 0 accord --home "$T/alice" -C "$A" show "$INC"
contains "$OUT" "touched the key for this one" "show reads the hardware key's note"
expect 0 accord -C "$A" member list --json
equal "$(echo "$OUT" | jget '[k["public_key"].split()[0] for g in d if g["member"] == "carol" for k in g["keys"]]')" \
	'["sk-ssh-ed25519@openssh.com"]' "member list shows the key as sk"

# every entry, the typed member-add included, validates with an independent validator
git -C "$A" log --glob=refs/accord/feeds/ --format=%B | grep . >"$T/entries.jsonl"
OUT=$(/usr/bin/python3 "$(dirname "$0")/schema_check.py" "$SCHEMAS" entry.schema.json "$T/entries.jsonl" 2>&1)
equal "$?" 0 "python jsonschema validates every entry: $OUT"
# and refuses a key_type without its application, or another key type
/usr/bin/python3 -c '
import json, sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e["type"] == "member-add":
        b = dict(e["body"]); del b["application"]; print(json.dumps(dict(e, body=b)))
        b = dict(e["body"], key_type="ssh-ed25519"); del b["application"]; print(json.dumps(dict(e, body=b)))
        b = dict(e["body"], application="ssh: x"); print(json.dumps(dict(e, body=b)))
' "$T/entries.jsonl" >"$T/bad.jsonl"
OUT=$(/usr/bin/python3 "$(dirname "$0")/schema_check.py" "$SCHEMAS" entry.schema.json "$T/bad.jsonl" --expect-invalid 2>&1)
equal "$?" 0 "python jsonschema refuses other encodings of the key type: $OUT"

# --- stock git and ssh-keygen agree -------------------------------------------------
accord -C "$A" allowed-signers >"$T/allowed"
contains "$(cat "$T/allowed")" "carol@acme namespaces=\"git\",valid-after=" "allowed-signers names carol"
contains "$(grep carol@acme "$T/allowed")" " sk-ssh-ed25519@openssh.com AAAA" "allowed-signers prints the sk key"
for c in $(git -C "$A" rev-list "refs/accord/feeds/$CAROL"); do
	OUT=$(git -C "$A" -c gpg.ssh.allowedSignersFile="$T/allowed" verify-commit "$c" 2>&1) && ok ||
		bad "git verify-commit $c: $OUT"
	contains "$OUT" "Good \"git\" signature for carol@acme with ED25519-SK key" "git verify-commit says an sk key signed $c"
done
# ssh-keygen -Y verify on the exact bytes: the commit without its gpgsig header
HEAD=$(git -C "$A" rev-parse "refs/accord/feeds/$CAROL")
git -C "$A" cat-file commit "$HEAD" | /usr/bin/python3 -c '
import sys
raw = sys.stdin.buffer.read()
head, msg = raw.split(b"\n\n", 1)
keep, sig, inside = [], [], False
for l in head.split(b"\n"):
    if l.startswith(b"gpgsig "):
        sig.append(l[7:]); inside = True
    elif inside and l.startswith(b" "):
        sig.append(l[1:])
    else:
        inside = False; keep.append(l)
open(sys.argv[1], "wb").write(b"\n".join(keep) + b"\n\n" + msg)
open(sys.argv[2], "wb").write(b"\n".join(sig) + b"\n")
' "$T/payload" "$T/payload.sig"
OUT=$(ssh-keygen -Y verify -f "$T/allowed" -I carol@acme -n git -s "$T/payload.sig" <"$T/payload" 2>&1) && ok ||
	bad "ssh-keygen -Y verify: $OUT"
contains "$OUT" "with ED25519-SK key" "ssh-keygen -Y verify checks the FIDO signature"
printf 'x' >>"$T/payload"
ssh-keygen -Y verify -f "$T/allowed" -I carol@acme -n git -s "$T/payload.sig" <"$T/payload" >/dev/null 2>&1 &&
	bad "ssh-keygen -Y verify took other bytes" || ok

# --- no touch: accord writes nothing ------------------------------------------------
BEFORE=$(refs "$C")
expect 1 env SSH_AUTH_SOCK="$T/carol-notouch.sock" "$ACCORD_BIN" --home "$CH" -C "$C" note "$INC" "not touched"
contains "$ERR" "without user presence" "a signature without the touch is refused, and said so"
equal "$(refs "$C")" "$BEFORE" "nothing written without the touch"

# contained: $1 the copy, $2 the forged commit, $3 the finding kind, $4 what the audit says
contained() {
	expect 3 accord -C "$1" audit --no-record
	contains "$OUT" "$3" "audit finds $3"
	contains "$OUT" "$4" "audit explains $3"
	git -C "$1" push -q "$HUB" "$2:refs/accord/feeds/$CAROL" 2>"$T/push.err" && bad "the hub took $3" || ok
	contains "$(cat "$T/push.err")" "pre-receive hook declined" "the hook refuses $3"
	expect 0 accord --home "$T/alice" -C "$A" sync
	equal "$(git -C "$A" rev-parse "refs/accord/feeds/$CAROL")" "$HEAD" "sync keeps $3 out ($3)"
}
# each attack on a fresh copy of carol's feed
attack_copy() { rm -rf "$T/x" && git clone -q --mirror "$C" "$T/x" && git -C "$T/x" config accord.ledger "$LEDGER"; }

# an untouched signature made by stock ssh-keygen through the agent protocol
attack_copy
F=$(SSH_AUTH_SOCK="$T/carol-notouch.sock" $FORGE entry "$T/x" "$T/carol-notouch.pub" --type note --incident "$INCID" --body '{"text":"no touch"}') || bad "forge no touch"
contained "$T/x" "$F" signature-mismatch "user presence"

# carol's valid signature over other bytes (the entry changed after signing)
attack_copy
NOTE=$(git -C "$T/x" log --format=%H --grep="touched the key for this one" "refs/accord/feeds/$CAROL")
printf '%s' "$(git -C "$T/x" log -1 --format=%B "$NOTE" | sed 's/touched the key for this one/nobody touched anything/')" >"$T/msg"
F=$($FORGE recommit "$T/x" "$NOTE" --message "$T/msg") || bad "forge recommit"
git -C "$T/x" update-ref "refs/accord/feeds/$CAROL" "$F"
expect 3 accord -C "$T/x" audit --no-record
contains "$OUT" "does not verify" "an sk signature over other bytes does not verify"
git -C "$T/x" push -q "$HUB" "+$F:refs/accord/feeds/$CAROL" 2>"$T/push.err" && bad "the hub took a rewritten entry" || ok

# key-type confusion: carol's Ed25519 key signing as a plain ssh-ed25519 key (no touch needed)
attack_copy
F=$(SSH_AUTH_SOCK="$T/carol-forger.sock" $FORGE entry "$T/x" "$T/carol-forger.pub" --type note --incident "$INCID" --body '{"text":"as a plain key"}') || bad "forge plain"
contained "$T/x" "$F" wrong-signer "admitted as sk-ssh-ed25519@openssh.com"
git -C "$T/x" -c gpg.ssh.allowedSignersFile="$T/allowed" verify-commit "$F" >/dev/null 2>&1 &&
	bad "git verify-commit took the plain signature for the sk member" || ok

# the same key through another FIDO application
attack_copy
F=$(SSH_AUTH_SOCK="$T/carol-forger.sock" $FORGE entry "$T/x" "$T/carol-forger.pub.2" --type note --incident "$INCID" --body '{"text":"other application"}') || bad "forge application"
contained "$T/x" "$F" wrong-signer "with application ssh:other"

# --- the other way round: a plain member, an sk signature ---------------------------
DAVE_SEED=$(seed)
start_agent dave "$DAVE_SEED" --identity plain --identity sk:ssh:
DH="$T/dave-home"
expect 0 env SSH_AUTH_SOCK="$T/dave.sock" "$ACCORD_BIN" --home "$DH" key import --agent "$T/dave.pub" --name dave
DAVE=$(echo "$OUT" | sed -n 1p)
expect 0 accord --home "$T/alice" -C "$A" member add --key "$T/dave.pub" --name dave
expect 0 accord --home "$T/alice" -C "$A" sync
expect 0 accord --home "$DH" -C "$C" sync
expect 0 env SSH_AUTH_SOCK="$T/dave.sock" "$ACCORD_BIN" --home "$DH" -C "$C" note "$INC" "dave, a plain key in an agent"
DHEAD=$(git -C "$C" rev-parse "refs/accord/feeds/$DAVE")
expect 0 accord -C "$C" audit --no-record
rm -rf "$T/x" && git clone -q --mirror "$C" "$T/x" && git -C "$T/x" config accord.ledger "$LEDGER"
F=$(SSH_AUTH_SOCK="$T/dave.sock" $FORGE entry "$T/x" "$T/dave.pub.2" --type note --incident "$INCID" --body '{"text":"as sk"}') || bad "forge sk for dave"
expect 3 accord -C "$T/x" audit --no-record
contains "$OUT" "wrong-signer" "an sk signature for a plain member is a wrong signer"
contains "$OUT" "admitted as ssh-ed25519" "audit says what dave was admitted as"
expect 0 accord --home "$DH" -C "$C" sync
git -C "$T/x" push -q "$HUB" "$F:refs/accord/feeds/$DAVE" 2>"$T/push.err" && bad "the hub took dave's sk signature" || ok
contains "$(cat "$T/push.err")" "pre-receive hook declined" "the hook refuses an sk signature for a plain member"

# --- a party founded, joined and rotated with hardware keys -------------------------
ERIN_SEED=$(seed) GINA_SEED=$(seed) ALICE2_SEED=$(seed)
start_agent erin "$ERIN_SEED"
start_agent gina "$GINA_SEED" --identity sk:ssh:accord
start_agent alice2 "$ALICE2_SEED"
EH="$T/erin-home" GH="$T/gina-home"
expect 0 env SSH_AUTH_SOCK="$T/erin.sock" "$ACCORD_BIN" --home "$EH" key import --agent "$T/erin.pub" --name erin
expect 0 env SSH_AUTH_SOCK="$T/gina.sock" "$ACCORD_BIN" --home "$GH" key import --agent "$T/gina.pub" --name gina
E="$T/erin-ledger"
git init -q "$E"
expect 0 env SSH_AUTH_SOCK="$T/erin.sock" "$ACCORD_BIN" --home "$EH" -C "$E" init --party initech --title "founded on a token"
equal "$(git -C "$E" log -1 --format=%B --glob=refs/accord/feeds/ | jget 'd["body"].get("key_type")')" \
	"sk-ssh-ed25519@openssh.com" "genesis records the founder's key type"
expect 0 env SSH_AUTH_SOCK="$T/erin.sock" "$ACCORD_BIN" --home "$EH" -C "$E" party invite globex --key "$(cat "$T/gina.pub")" --name gina
expect 0 env SSH_AUTH_SOCK="$T/gina.sock" "$ACCORD_BIN" --home "$GH" -C "$E" party accept globex
expect 0 env SSH_AUTH_SOCK="$T/gina.sock" "$ACCORD_BIN" --home "$GH" -C "$E" open --title "Token party" --severity 4 --service s --parties globex
# rotation from a software key to a hardware key
expect 0 accord --home "$T/alice" -C "$A" sync
expect 0 env SSH_AUTH_SOCK="$T/alice2.sock" "$ACCORD_BIN" --home "$T/alice" -C "$A" key rotate --agent "$T/alice2.pub"
expect 0 env SSH_AUTH_SOCK="$T/alice2.sock" "$ACCORD_BIN" --home "$T/alice" -C "$A" note "$INC" "alice, rotated onto a token"
for copy in "$E" "$A"; do
	expect 0 accord -C "$copy" audit --no-record
	accord -C "$copy" allowed-signers >"$T/allowed2"
	for c in $(git -C "$copy" rev-list --glob=refs/accord/feeds/); do
		git -C "$copy" -c gpg.ssh.allowedSignersFile="$T/allowed2" verify-commit "$c" >/dev/null 2>&1 && ok ||
			bad "git verify-commit $c in $copy"
	done
done
equal "$(grep -c 'sk-ssh-ed25519@openssh.com' "$T/allowed2")" 2 "allowed-signers: carol and alice's new key are sk keys"
# the README's recipe for auditors without accord names hardware keys as accord does
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
awk '/<!-- auditor-signers:begin -->/{on=1; next} /<!-- auditor-signers:end -->/{on=0} on && /^```sh$/{code=1; next} on && /^```$/{code=0; next} on && code' \
	"$ROOT/README.md" >"$T/signers.sh"
(cd "$E" && sh "$T/signers.sh") && ok || bad "the README recipe runs on a ledger of hardware keys"
equal "$(sort "$E/allowed_signers")" "$(accord -C "$E" allowed-signers | sort)" "the README recipe gives accord's allowed_signers for sk keys"
equal "$(grep -c ' sk-ssh-ed25519@openssh.com ' "$E/allowed_signers")" 2 "both hardware keys in the recipe's file"
finish

# Member keys held by ssh-agent (issue 16): accord records the public key,
# signs through a real ssh-agent and never holds a private key byte; the
# entries verify with accord audit and with stock git verify-commit.
. "$(dirname "$0")/lib.sh"

AGENT_PID=""
cleanup() {
	[ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE
unset SSH_AUTH_SOCK SSH_AGENT_PID

S="$T/ssh"
mkdir -p "$S"
ssh-keygen -q -t ed25519 -N '' -C alice -f "$S/alice" </dev/null
PRIVATE_LINES=$(sed -n '2,$p' "$S/alice" | grep -v -- '-----')
eval "$(ssh-agent -s -a "$T/agent.sock")" >/dev/null
AGENT_PID=$SSH_AGENT_PID
ssh-add -q "$S/alice" 2>/dev/null && ok || bad "ssh-add"
rm "$S/alice"

# --- import: the public key only -------------------------------------------------
H="$T/alice-home"
expect 0 accord --home "$H" key import --agent "$S/alice.pub"
KEY_ID=$(echo "$OUT" | sed -n 1p)
equal "$(echo "$OUT" | sed -n 2p)" "$(cat "$S/alice.pub")" "import --agent prints the public line"
contains "$ERR" "stays in ssh-agent" "import says where the private half is"
equal "$(ls "$H" | tr '\n' ' ')" "agent key.pub " "the key home holds the public key and the marker only"
found=0
for l in $PRIVATE_LINES; do grep -rqF "$l" "$H" && found=1; done
equal "$found" 0 "no private key byte in the key home"
expect 0 accord --home "$H" key show --json
equal "$(echo "$OUT" | jget 'd["agent"]')" true "key show says the agent holds it"
expect 1 accord --home "$H" key import --agent "$S/alice.pub"
contains "$ERR" "already exists" "never replaced without --force"
expect 2 accord --home "$H" key import --agent "$S/alice.pub" --no-passphrase
printf 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ bob\n' >"$S/rsa.pub"
expect 2 accord --home "$T/rsa-home" key import --agent "$S/rsa.pub"
[ ! -e "$T/rsa-home" ] && ok || bad "a refused import writes nothing"

# --- writing through the agent -----------------------------------------------------
export ACCORD_HOME="$H"
expect 0 accord init --party acme --title "agent keys" "$T/l"
expect 0 accord -C "$T/l" open --title "Printer on fire" --severity 3 --service office
INC=$OUT
expect 0 accord -C "$T/l" note "$INC" "signed inside ssh-agent"
expect 0 accord -C "$T/l" audit --no-record
equal "$(git -C "$T/l" rev-list --count "refs/accord/feeds/$KEY_ID")" 3 "three entries on the agent key's feed"
accord -C "$T/l" allowed-signers >"$T/allowed"
for c in $(git -C "$T/l" rev-list "refs/accord/feeds/$KEY_ID"); do
	git -C "$T/l" -c gpg.ssh.allowedSignersFile="$T/allowed" verify-commit "$c" >/dev/null 2>&1 && ok ||
		bad "git verify-commit $c"
done

# --- no agent, or an agent without the key: nothing is written ----------------------
BEFORE=$(refs "$T/l")
(unset SSH_AUTH_SOCK; accord -C "$T/l" note "$INC" "no agent") 2>"$T/err" && bad "wrote without an agent" || ok
contains "$(cat "$T/err")" "SSH_AUTH_SOCK is not set" "no agent: said so"
ssh-add -D -q 2>/dev/null
expect 1 accord -C "$T/l" note "$INC" "agent without the key"
contains "$ERR" "does not hold key $KEY_ID" "an agent without the key: said so, with the way out"
contains "$ERR" "ssh-add it" "the way out"
equal "$(refs "$T/l")" "$BEFORE" "nothing written without the agent's signature"
finish

# Sync between organizations (issue 4): clone, remotes, sync over a path,
# file://, git:// and ssh://, convergence, relaying, refusing rewritten
# feeds, rollbacks, equivocation, and the hub's pre-receive hook.
. "$(dirname "$0")/lib.sh"

PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE # still runs cleanup: the servers never outlive the test
unset SSH_AUTH_SOCK

freeport() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# The same commit object (signature kept) with another parent, or with its message edited.
reparent() { git -C "$1" cat-file commit "$2" | sed "s/^parent .*/parent $3/" | git -C "$1" hash-object -t commit -w --stdin; }
alter() { git -C "$1" cat-file commit "$2" | sed "s/$3/$4/" | git -C "$1" hash-object -t commit -w --stdin; }
head_of() { git -C "$1" rev-parse "refs/accord/feeds/$2"; }

newkey alice
newkey bob
newkey carol
ALICE=$(accord --home "$T/alice" key show --json | jget 'd["id"]')
BOB=$(accord --home "$T/bob" key show --json | jget 'd["id"]')
CAROL=$(accord --home "$T/carol" key show --json | jget 'd["id"]')
A="$T/a" B="$T/b" C="$T/c" HUB="$T/hub.git"
a() { accord --home "$T/alice" -C "$A" "$@"; }
b() { accord --home "$T/bob" -C "$B" "$@"; }
c() { accord --home "$T/carol" -C "$C" "$@"; }

# --- a hub with the hook; the founder pushes the genesis ----------------------
git init -q --bare "$HUB"
printf '#!/bin/sh\nexec "%s" hook pre-receive\n' "$ACCORD_BIN" >"$HUB/hooks/pre-receive"
chmod +x "$HUB/hooks/pre-receive"
expect 0 accord --home "$T/alice" init --party acme --title "shared ledger" "$A"
LEDGER=$OUT
expect 0 a remote add hub "$HUB"
expect 1 a remote add hub "$HUB"
contains "$ERR" "already exists" "remote add twice"
expect 2 a remote add "bad name" "$HUB"
expect 0 a remote list --json
equal "$(echo "$OUT" | jget 'd[0]["name"]+" "+d[0]["url"]')" "hub $HUB" "remote list"
equal "$(git -C "$A" config remote.hub.fetch)" "+refs/accord/*:refs/quarantine/hub/*" "quarantine refspec"
expect 0 a party invite globex --key "$T/bob/key.pub" --name bob
expect 0 a party invite initech --key "$T/carol/key.pub" --name carol
expect 0 a sync --json
equal "$(echo "$OUT" | jget 'd["remotes"][0]["pushed"]')" "[\"refs/accord/feeds/$ALICE\"]" "genesis pushed to an empty hub through the hook"
equal "$(head_of "$HUB" "$ALICE")" "$(head_of "$A" "$ALICE")" "hub has alice's feed"

# --- clone: over a path and file://; nothing left behind on failure ----------
expect 0 accord --home "$T/bob" clone "$HUB" "$B"
equal "$OUT" "$LEDGER" "clone prints the ledger id"
equal "$(git -C "$B" config accord.ledger)" "$LEDGER" "clone records accord.ledger"
equal "$(refs "$B")" "$(refs "$A")" "clone has every feed"
equal "$(git -C "$B" config remote.origin.url)" "$HUB" "clone sets origin"
expect 0 accord --home "$T/carol" clone "file://$HUB" "$C"
mkdir -p "$T/full" && echo x >"$T/full/file"
expect 1 accord clone "$HUB" "$T/full"
contains "$ERR" "not an empty folder" "clone refuses a non-empty folder"
equal "$(ls "$T/full")" "file" "non-empty folder untouched"
# a source with an altered entry (signature kept): the clone takes what counts,
# leaves the altered entry out and says so; the copy is clean
cp -r "$HUB" "$T/bad.git"
BADTIP=$(alter "$T/bad.git" "$(head_of "$HUB" "$ALICE")" '"party":"initech"' '"party":"initeck"')
git -C "$T/bad.git" update-ref "refs/accord/feeds/$ALICE" "$BADTIP"
expect 0 accord clone "$T/bad.git" "$T/badclone"
contains "$ERR" "signature-mismatch" "clone names what it left out"
contains "$ERR" "$ALICE" "clone names the feed"
equal "$(head_of "$T/badclone" "$ALICE")" "$(git -C "$T/bad.git" rev-parse "$BADTIP~1")" "clone takes the feed up to its last entry that counts"
expect 0 accord -C "$T/badclone" audit --no-record
mkdir "$T/emptydir"
expect 0 accord clone "$T/bad.git" "$T/emptydir"
equal "$(refs "$T/emptydir")" "$(refs "$T/badclone")" "two clones of one source agree"
# a source whose genesis does not verify: exit 3, nothing left behind
cp -r "$T/bad.git" "$T/nogenesis.git"
git -C "$T/nogenesis.git" for-each-ref --format='%(refname)' refs/accord/ | while read -r r; do git -C "$T/nogenesis.git" update-ref -d "$r"; done
ROOT=$(git -C "$T/nogenesis.git" rev-list --max-parents=0 "$BADTIP")
git -C "$T/nogenesis.git" update-ref "refs/accord/feeds/$ALICE" "$(alter "$T/nogenesis.git" "$ROOT" '"party":"acme"' '"party":"acne"')"
expect 3 accord clone "$T/nogenesis.git" "$T/nogenesisclone"
if [ -e "$T/nogenesisclone" ]; then bad "failed clone left $T/nogenesisclone behind"; else ok; fi
expect 2 accord clone onlyone

# --- joining, convergence of concurrent appends --------------------------------
expect 0 b party accept globex
expect 0 b sync
expect 0 c party accept initech
expect 0 c sync
expect 0 a sync
expect 0 a open --title "Card payments failing" --severity 2 --service payments --parties acme,globex --started 2026-11-20T10:00:00Z
INC=$OUT
expect 0 a sync
expect 0 b sync
expect 0 b note "$INC" "bob: gateway timeouts"
expect 0 a note "$INC" "alice: cert expired"
expect 0 a impact "$INC" --customers 120 --start 2026-11-20T10:00:00Z --end 2026-11-20T10:30:00Z
expect 0 b status "$INC" identified
for round in 1 2; do
	expect 0 a sync
	expect 0 b sync
done
equal "$(a export | sort)" "$(b export | sort)" "both ledgers hold the union"
equal "$(refs "$A")" "$(refs "$B")" "same feed heads on both sides"
# one clock for both reads: running clocks count seconds up to now
SHOWNOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
ACCORD_NOW=$SHOWNOW a show --json "$INC" >"$T/show-a.json"
ACCORD_NOW=$SHOWNOW b show --json "$INC" >"$T/show-b.json"
if cmp -s "$T/show-a.json" "$T/show-b.json"; then ok; else bad "show --json differs between the two copies"; fi
contains "$(cat "$T/show-a.json")" "bob: gateway timeouts" "bob's note reached alice"
# idempotent: again changes nothing, anywhere
BEFORE_A=$(refs "$A") BEFORE_HUB=$(refs "$HUB")
expect 0 a sync
equal "$OUT" "hub: up to date" "second sync: up to date"
expect 0 a sync --json
equal "$(echo "$OUT" | jget 'len(d["remotes"][0]["pushed"])+len(d["remotes"][0]["accepted"])')" 0 "second sync moves nothing"
equal "$(echo "$OUT" | jget 'd["remotes"][0]["checkpoint"]')" null "no new checkpoint when nothing changed"
equal "$(refs "$A")" "$BEFORE_A" "refs unchanged by a repeated sync"
equal "$(refs "$HUB")" "$BEFORE_HUB" "hub unchanged by a repeated sync"
# witnessing: alice's checkpoint records bob's verified head
CP=$(a export | grep '"type":"checkpoint"' | grep "\"feed\":\"$BOB\"" | tail -1)
contains "$CP" "\"feed\":\"$BOB\"" "checkpoint names bob's feed"
contains "$CP" "\"remote\":\"hub\"" "checkpoint names the remote"

# --- a third party's entries are relayed (through the hub, and through a peer) --
expect 0 c open --title "DNS outage" --severity 3 --service dns --parties initech,acme
CINC=$OUT
expect 0 c sync
expect 0 b sync
expect 0 a remote add bob "$B"
expect 0 a sync bob --no-checkpoint
expect 0 a show "$CINC"
contains "$OUT" "DNS outage" "carol's incident relayed to alice through bob"
expect 0 a sync hub

# --- git:// with a git daemon on 127.0.0.1 -----------------------------------
PORT=$(freeport)
git daemon --reuseaddr --listen=127.0.0.1 --port="$PORT" --base-path="$T" --export-all \
	--enable=receive-pack "$T" >"$T/daemon.log" 2>&1 &
PIDS="$PIDS $!"
i=0
until git ls-remote "git://127.0.0.1:$PORT/hub.git" >/dev/null 2>&1 || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
git -C "$B" remote add daemon "git://127.0.0.1:$PORT/hub.git" # plain git remote add works too
expect 0 a note "$INC" "over git://"
expect 0 a remote add daemon "git://127.0.0.1:$PORT/hub.git"
expect 0 a sync daemon
equal "$(head_of "$HUB" "$ALICE")" "$(head_of "$A" "$ALICE")" "pushed over git://"
expect 0 b sync daemon
contains "$(b show "$INC")" "over git://" "fetched over git://"
expect 0 accord --home "$T/carol" clone "git://127.0.0.1:$PORT/hub.git" "$T/c-daemon"
equal "$(refs "$T/c-daemon")" "$(refs "$HUB")" "clone over git://"
expect 1 a sync --json daemon-nope
contains "$ERR" "no remote 'daemon-nope'" "unknown remote named"
git -C "$A" remote add dead "git://127.0.0.1:$(freeport)/hub.git"
expect 1 a sync dead
contains "$ERR" "dead:" "a failure names the remote"
git -C "$A" remote remove dead

# --- ssh:// with a throwaway sshd on 127.0.0.1 -------------------------------
# Reached as a user reaches it: a Host alias in ~/.ssh/config, the login key
# held only in a real ssh-agent (its file deleted once loaded). ssh reads the
# passwd entry's home, not $HOME, so the global git config (in $HOME) names
# the config file: core.sshCommand, a setting accord leaves to git.
if [ ! -x /usr/sbin/sshd ]; then
	skip "ssh:// case: /usr/sbin/sshd is not installed (apt-get install openssh-server)"
else
	S="$T/sshd"
	mkdir -p "$S" "$HOME/.ssh" /run/sshd 2>/dev/null
	chmod 700 "$HOME/.ssh"
	ssh-keygen -q -t ed25519 -N '' -f "$S/host_key" </dev/null
	ssh-keygen -q -t ed25519 -N '' -f "$S/other_host_key" </dev/null
	ssh-keygen -q -t ed25519 -N '' -f "$S/login" </dev/null
	cp "$S/login.pub" "$S/authorized_keys"
	SPORT=$(freeport)
	cat >"$S/sshd_config" <<EOF
Port $SPORT
ListenAddress 127.0.0.1
HostKey $S/host_key
AuthorizedKeysFile $S/authorized_keys
PidFile $S/sshd.pid
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
LogLevel ERROR
EOF
	/usr/sbin/sshd -D -e -f "$S/sshd_config" 2>"$S/log" &
	SSHD=$!
	PIDS="$PIDS $SSHD"
	i=0
	until /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $SPORT), 1)" 2>/dev/null || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
	if ! kill -0 "$SSHD" 2>/dev/null; then
		skip "ssh:// case: sshd could not run here: $(cat "$S/log")"
	else
		eval "$(ssh-agent -s -a "$S/agent.sock")" >/dev/null
		PIDS="$PIDS $SSH_AGENT_PID"
		ssh-add -q "$S/login" 2>/dev/null && rm "$S/login" && ok || bad "the login key is loaded into ssh-agent"
		cat >"$HOME/.ssh/config" <<EOF
Host hub-alias
	HostName 127.0.0.1
	Port $SPORT
	User $(id -un)
	UserKnownHostsFile $HOME/.ssh/known_hosts
	GlobalKnownHostsFile /dev/null
	StrictHostKeyChecking yes
	BatchMode yes
EOF
		git config --global core.sshCommand "ssh -F $HOME/.ssh/config"
		URL="hub-alias:$HUB"
		expect 0 a remote add ssh "$URL"
		# host keys are ssh's business: an unknown one is refused, as git would
		: >"$HOME/.ssh/known_hosts"
		expect 1 a sync ssh
		contains "$ERR" "ssh: can't fetch from ssh: No ED25519 host key is known for [127.0.0.1]:$SPORT" "unknown ssh host refused, in ssh's words"
		echo "[127.0.0.1]:$SPORT $(cut -d' ' -f1,2 "$S/other_host_key.pub")" >"$HOME/.ssh/known_hosts"
		BEFORE=$(refs "$A")
		expect 1 a sync ssh
		contains "$ERR" "Host key verification failed" "changed ssh host key refused"
		equal "$(refs "$A")" "$BEFORE" "a refused connection changes nothing"
		echo "[127.0.0.1]:$SPORT $(cut -d' ' -f1,2 "$S/host_key.pub")" >"$HOME/.ssh/known_hosts"
		# without the agent there is no key: sshd refuses
		(unset SSH_AUTH_SOCK; accord --home "$T/alice" -C "$A" sync ssh) 2>"$T/noagent.err"
		contains "$(cat "$T/noagent.err")" "Permission denied" "no agent, no login"
		expect 0 a note "$INC" "over ssh://"
		expect 0 a sync ssh
		equal "$(head_of "$HUB" "$ALICE")" "$(head_of "$A" "$ALICE")" "pushed over ssh through the Host alias and the agent"
		expect 0 accord --home "$T/bob" clone "ssh://hub-alias$HUB" "$T/b-ssh"
		equal "$(refs "$T/b-ssh")" "$(refs "$HUB")" "clone over ssh:// through the Host alias"
		equal "$(ls "$HOME/.ssh" | tr '\n' ' ')" "config known_hosts " "no private key file in ~/.ssh"
		git -C "$A" remote remove ssh
		git config --global --unset core.sshCommand
		kill "$SSH_AGENT_PID" 2>/dev/null
		unset SSH_AUTH_SOCK SSH_AGENT_PID
	fi
fi
# let every party settle (checkpoints answer new entries once)
for who in a b c a b; do expect 0 $who sync; done

# --- feeds rewritten on the hub with stock git are refused --------------------
# (a) history force-pushed without an entry: bob has not seen these yet
expect 0 a note "$INC" "one"
expect 0 a note "$INC" "two"
expect 0 a note "$INC" "three"
expect 0 a sync hub
GOOD=$(head_of "$HUB" "$ALICE")
DROPPED=$(reparent "$HUB" "$GOOD" "$(git -C "$HUB" rev-parse "$GOOD~2")")
git -C "$HUB" update-ref "refs/accord/feeds/$ALICE" "$DROPPED"
BEFORE=$(refs "$B")
expect 3 b sync --json
equal "$(head_of "$B" "$ALICE")" "$(git -C "$HUB" rev-parse "$GOOD~2")" "(a) the feed is taken up to its last entry that counts"
equal "$(echo "$OUT" | jget 'd["remotes"][0]["refused"][0]["feed"]')" "$ALICE" "(a) refused feed named"
equal "$(echo "$OUT" | jget 'd["remotes"][0]["refused"][0]["entry"]')" "$DROPPED" "(a) refused entry named"
contains "$(echo "$OUT" | jget 'd["remotes"][0]["refused"][0]["reason"]')" "entry-missing" "(a) reason given"
expect 0 b audit --no-record
# (b) an entry bob already has, altered with its signature kept; carol's new
# entry in the same fetch is still taken
git -C "$HUB" update-ref "refs/accord/feeds/$ALICE" "$GOOD"
expect 0 b sync
expect 0 c note "$CINC" "carol again"
expect 0 c sync
ALTERED=$(alter "$HUB" "$GOOD" '"text":"three"' '"text":"tree"')
git -C "$HUB" update-ref "refs/accord/feeds/$ALICE" "$ALTERED"
BEFORE_ALICE=$(head_of "$B" "$ALICE") BEFORE_CAROL=$(head_of "$B" "$CAROL")
expect 3 b sync
contains "$ERR" "refused feed $ALICE" "(b) refusal reported"
contains "$ERR" "feed rewritten" "(b) called a rewrite"
equal "$(head_of "$B" "$ALICE")" "$BEFORE_ALICE" "(b) alice's feed unchanged"
equal "$(head_of "$B" "$CAROL")" "$(head_of "$C" "$CAROL")" "(b) carol's valid feed still taken"
if [ "$BEFORE_CAROL" != "$(head_of "$B" "$CAROL")" ]; then ok; else bad "carol's feed did not move"; fi
expect 0 b log
git -C "$HUB" update-ref "refs/accord/feeds/$ALICE" "$GOOD"
expect 0 b sync

# --- a feed truncated on the hub: never shortens ours, healed, reported -------
expect 0 a sync
git -C "$HUB" update-ref "refs/accord/feeds/$ALICE" "$(git -C "$HUB" rev-parse "$GOOD~2")"
BEFORE=$(head_of "$A" "$ALICE")
expect 0 a sync --json hub
equal "$(head_of "$A" "$ALICE")" "$BEFORE" "truncation does not shorten our feed"
equal "$(head_of "$HUB" "$ALICE")" "$BEFORE" "truncated hub feed healed by the push"
equal "$(echo "$OUT" | jget 'd["remotes"][0]["rollbacks"][0]["feed"]')" "$ALICE" "rollback reported"
equal "$(echo "$OUT" | jget 'd["remotes"][0]["rollbacks"][0]["seen"]')" "$BEFORE" "rollback names the head seen before"
git -C "$HUB" update-ref -d "refs/accord/feeds/$CAROL"
expect 0 a sync
contains "$ERR" "rollback: feed $CAROL" "a deleted feed is a rollback"
equal "$(head_of "$HUB" "$CAROL")" "$(head_of "$A" "$CAROL")" "deleted feed restored by the push"

# --- the hub's pre-receive hook, driven by stock git push --------------------
# the pushes so far, accepted, kept the hub's memo of the commits its full
# verifications checked, so the next one checks only what is new; what
# follows shows the memo makes no forged push pass
[ -s "$HUB/accord/sigcache" ] && ok || bad "the hook keeps no memo of the commits it checked"
memo_size() { cat "$HUB/accord/sigcache" "$HUB/accord/sigcache-new" 2>/dev/null | wc -c; }
MEMO=$(memo_size)
HUBREFS=$(refs "$HUB")
expect 1 git -C "$A" push "$HUB" "+$(head_of "$A" "$ALICE")~1:refs/accord/feeds/$ALICE"
contains "$ERR" "not a fast-forward" "hook rejects a non-fast-forward push"
expect 1 git -C "$A" push "$HUB" ":refs/accord/feeds/$BOB"
contains "$ERR" "may not be deleted" "hook rejects a deletion"
expect 1 git -C "$A" push "$HUB" "refs/accord/feeds/$ALICE:refs/accord/foo"
contains "$ERR" "outside the ledger layout" "hook rejects refs outside the layout"
expect 1 git -C "$A" push "$HUB" "refs/accord/feeds/$ALICE:refs/accord/feeds/nothex"
# an entry signed by a foreign ssh key, made with stock git, as a fast-forward
ssh-keygen -q -t ed25519 -N '' -f "$T/mallory_ssh" </dev/null
TIP=$(head_of "$A" "$ALICE")
git -C "$A" cat-file commit "$TIP" | sed '1,/^$/d' >"$T/msg"
FORGED=$(git -C "$A" -c gpg.format=ssh -c user.signingkey="$T/mallory_ssh" commit-tree -S -p "$TIP" -F "$T/msg" 4b825dc642cb6eb9a060e54bf8d69288fbee4904)
expect 1 git -C "$A" push "$HUB" "$FORGED:refs/accord/feeds/$ALICE"
contains "$ERR" "push rejected" "hook rejects a commit signed by a foreign key"
contains "$ERR" "wrong-signer" "hook names the foreign signature"
# a ledger founded by another key, pushed into the same feed namespace
newkey mallory
expect 0 accord --home "$T/mallory" init --party evil "$T/m"
expect 1 git -C "$T/m" push "$HUB" "refs/accord/feeds/*:refs/accord/feeds/*"
contains "$ERR" "second genesis" "hook rejects another ledger's genesis"
equal "$(refs "$HUB")" "$HUBREFS" "rejected pushes changed nothing on the hub"
# nor its memo: a member pushing refused commits again and again cannot grow it
equal "$(memo_size)" "$MEMO" "rejected pushes add nothing to the hub's memo"
# valid pushes pass: a feed that grows, and branches are not the hook's business
expect 0 b note "$INC" "pushed with git"
expect 0 git -C "$B" push "$HUB" "refs/accord/feeds/$BOB:refs/accord/feeds/$BOB"
equal "$(head_of "$HUB" "$BOB")" "$(head_of "$B" "$BOB")" "hook accepts a valid push"
expect 0 git -C "$B" push "$HUB" "refs/accord/feeds/$BOB:refs/heads/main"
# a hook input of the wrong shape
expect 1 sh -c "echo garbage | GIT_DIR='$HUB' '$ACCORD_BIN' hook pre-receive"
expect 2 accord hook post-receive

# --- equivocation: two entries by one key with the same sequence number -------
# a second device of alice's: her key home copied to it with the clone
# (signed/ included), so each device knows what the key signed up to then
expect 0 a sync
cp -r "$T/alice" "$T/alice2"
expect 0 accord --home "$T/alice2" clone "$HUB" "$T/a2"
expect 0 accord --home "$T/alice2" -C "$T/a2" note "$INC" "said one way"
expect 0 a note "$INC" "said another way"
expect 0 accord --home "$T/alice2" -C "$T/a2" sync --no-checkpoint
BEFORE=$(head_of "$A" "$ALICE")
expect 3 a sync --json hub
equal "$(head_of "$A" "$ALICE")" "$BEFORE" "equivocation: our feed unchanged"
equal "$(echo "$OUT" | jget 'd["remotes"][0]["evidence"][0]["feed"]')" "$ALICE" "equivocation reported"
EV=$(git -C "$A" for-each-ref --format='%(refname)' "refs/accord/evidence/$ALICE/" | wc -l)
equal "$EV" 2 "both entries kept as evidence"
equal "$(git -C "$HUB" for-each-ref --format='%(refname)' "refs/accord/evidence/" | wc -l)" 2 "evidence pushed to the hub (hook accepts it)"
expect 0 a log
EVREF=$(git -C "$HUB" for-each-ref --format='%(refname)' "refs/accord/evidence/" | head -1)
expect 1 git -C "$A" push "$HUB" ":$EVREF"
contains "$ERR" "evidence may only be added" "hook keeps evidence"
# proof this copy holds already is not news: the next sync is quiet about it
expect 0 a sync
case "$ERR" in *equivocation*) bad "a known fork reported again" ;; *) ok ;; esac
# bob got the proof from alice's push
expect 0 b sync --no-checkpoint
equal "$(git -C "$B" for-each-ref --format='%(refname)' refs/accord/evidence/ | wc -l)" 2 "evidence reaches other parties"
# a report does not call such a ledger verified: it leaves the forked entries out and says so
expect 0 a report --format json
contains "$ERR" "equivocation" "report says what it left out"
equal "$(echo "$OUT" | jget 'd["verification"]["status"]')" "partial" "report is marked partial"
equal "$(echo "$OUT" | jget 'd["verification"]["findings"][0]["kind"]')" "equivocation" "report lists the finding"
expect 3 a report --strict
# the key that forked must not write again on this copy, and says what to do
expect 3 a note "$INC" "a third way"
contains "$ERR" "two different entries with seq" "a forked key refuses to write"
contains "$ERR" "member add" "and names the way out"

finish

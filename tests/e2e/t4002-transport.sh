# Transport through the system git (issue 16): every remote git reaches.
# A relative path under -C, file://, https:// through a real TLS server
# (lighttpd in front of git http-backend, a test CA, basic auth, the
# password from a git credential helper), a dangling symbolic ref on the
# hub, the hub's words escaped, and a hub that moves between our fetch and
# our push. git:// and ssh:// are in t4001-sync.sh, a cut connection in t4004-netfault.sh.
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
head_of() { git -C "$1" rev-parse "refs/accord/feeds/$2"; }

newkey alice
ALICE=$(accord --home "$T/alice" key show --json | jget 'd["id"]')
export ACCORD_HOME="$T/alice"
cd "$T" || exit 1
git init -q --bare hub.git

# --- a relative path under -C, as the issue reported it ------------------------
expect 0 accord init --party acme --title "transports" acme
expect 0 accord -C acme remote add hub ../hub.git
equal "$(git -C acme config remote.hub.url)" "../hub.git" "the url is kept as given, as git remote add keeps it"
expect 0 accord -C acme sync
equal "$(refs hub.git)" "$(refs acme)" "sync with ../hub.git under -C pushes the ledger"
expect 0 accord -C acme open --title "Checkout down" --severity 2 --service checkout
INC=$OUT
mkdir -p acme/sub/dir
(cd acme/sub/dir && accord sync >"$T/out" 2>&1) && ok || bad "sync from a subfolder: $(cat "$T/out")"
equal "$(head_of hub.git "$ALICE")" "$(head_of acme "$ALICE")" "a subfolder resolves the relative url from the work tree, as git does"
expect 0 accord clone hub.git bob-rel
equal "$(refs bob-rel)" "$(refs hub.git)" "clone from a relative path"
equal "$(git -C bob-rel config remote.origin.url)" "$T/hub.git" "clone keeps the source absolute"
expect 1 accord clone no-such.git nothing-here
contains "$ERR" "can't fetch from no-such.git" "a missing source is named"
contains "$ERR" "does not appear to be a git repository" "and git's words given"
[ ! -e nothing-here ] && ok || bad "a failed clone leaves nothing behind"
# a clone killed mid-fetch (Ctrl-C, kill -9, a crash) cleans nothing up: the retry takes the folder up again
REAL_GIT=$(command -v git)
mkdir -p "$T/killer"
printf '#!/bin/sh\ncase "$*" in *fetch*) kill -9 $PPID; exit 1 ;; esac\nexec %s "$@"\n' "$REAL_GIT" >"$T/killer/git"
chmod +x "$T/killer/git"
(PATH="$T/killer:$PATH" && export PATH && accord clone hub.git bob-killed) >/dev/null 2>&1
[ -f bob-killed/.git/accord/clone-pending ] && ok || bad "the killed clone left no folder to retry in"
expect 0 accord clone hub.git bob-killed
equal "$(refs bob-killed)" "$(refs hub.git)" "a retry takes up the folder a killed clone left"
[ ! -e bob-killed/.git/accord/clone-pending ] && ok || bad "a finished clone is not marked pending"
mkdir -p not-a-clone/.git/accord && : >not-a-clone/.git/accord/clone-pending && : >not-a-clone/mine
expect 1 accord clone hub.git not-a-clone
contains "$ERR" "not an empty folder" "a folder holding more than a killed clone's .git is left alone"
[ -f not-a-clone/mine ] && ok || bad "a file of the user's was removed"

# --- file:// ---------------------------------------------------------------------
expect 0 accord clone "file://$T/hub.git" bob-file
equal "$(refs bob-file)" "$(refs hub.git)" "clone over file://"
expect 0 accord -C acme note "$INC" "over file://"
expect 0 accord -C acme remote add f "file://$T/hub.git"
expect 0 accord -C acme sync f
equal "$(head_of hub.git "$ALICE")" "$(head_of acme "$ALICE")" "push over file://"
expect 0 accord -C bob-file sync --no-checkpoint
equal "$(refs bob-file)" "$(refs hub.git)" "fetch over file://"

# --- a dangling symbolic ref on the hub breaks nothing ---------------------------
git -C hub.git symbolic-ref refs/accord/dangling refs/accord/nothing-there
expect 0 accord -C acme sync hub
expect 0 accord clone hub.git bob-dangling
equal "$(refs bob-dangling)" "$(refs acme)" "clone past a dangling symbolic ref"
git -C hub.git symbolic-ref --delete refs/accord/dangling

# --- what the hub says is escaped before it reaches a terminal -------------------
git init -q --bare loud.git
printf '#!/bin/sh\nprintf "\\033]0;owned\\007\\033[2Jno pushes here\\n" >&2\nexit 1\n' >loud.git/hooks/pre-receive
chmod +x loud.git/hooks/pre-receive
expect 0 accord -C acme remote add loud ../loud.git
expect 1 accord -C acme sync loud
contains "$ERR" "loud refused the push" "the refusal names the remote"
contains "$ERR" 'remote: \x1b]0;owned\x07\x1b[2Jno pushes here' "the hook's words, escaped"
case "$ERR" in *"$(printf '\033')"*) bad "a raw escape from the remote reached stderr" ;; *) ok ;; esac
# on a terminal git's progress and the remote's words stream through, escaped too
/usr/bin/python3 - "$ACCORD_BIN" >"$T/tty.out" 2>&1 <<'EOF'
import os, pty, sys
out = b""
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "-C", "acme", "sync", "loud"])
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
EOF
contains "$(cat "$T/tty.out")" 'remote: \x1b]0;owned\x07' "on a terminal the remote's words stream, escaped"
case "$(cat "$T/tty.out")" in *"$(printf '\033')"*) bad "a raw escape reached the terminal" ;; *) ok ;; esac
git -C acme remote remove loud

# --- a hub that moves between our fetch and our push ------------------------------
# Bob holds a copy that got alice's newest entry from alice directly. While
# alice's sync fetches (git's reference-transaction hook in her repository
# runs then), bob relays that entry to the hub: the feed alice is about to
# push has moved. Her push names the head she verified, so it is refused
# as stale, and the sync fetches, verifies and pushes again.
expect 0 accord clone acme bob
expect 0 accord -C bob remote add hub ../hub.git
expect 0 accord -C acme note "$INC" "raced"
expect 0 accord -C bob sync --no-checkpoint origin
expect 0 accord -C acme note "$INC" "written after bob took the first"
cat >acme/.git/hooks/reference-transaction <<EOF
#!/bin/sh
[ "\$1" = committed ] || exit 0
[ -e "$T/moved" ] && exit 0
touch "$T/moved"
"$ACCORD_BIN" -C "$T/bob" sync --no-checkpoint hub >"$T/relay.log" 2>&1 || echo "relay failed" >>"$T/relay.log"
EOF
chmod +x acme/.git/hooks/reference-transaction
expect 0 accord -C acme sync --json hub
[ -e "$T/moved" ] && ok || bad "the hook moved the hub"
contains "$(cat "$T/relay.log")" "pushed 1 ref" "bob relayed alice's entry meanwhile"
equal "$(echo "$OUT" | jget 'd["remotes"][0]["rounds"]')" 2 "a second round after the hub moved"
equal "$(echo "$OUT" | jget '"error" in d["remotes"][0]')" false "and no error"
equal "$(head_of hub.git "$ALICE")" "$(head_of acme "$ALICE")" "the hub ends with alice's head"
expect 0 accord -C acme audit --no-record
# a hub that never holds still: the sync gives up after its rounds, overwriting nothing
TIP=$(head_of acme "$ALICE")
cat >acme/.git/hooks/reference-transaction <<EOF
#!/bin/sh
[ "\$1" = committed ] || exit 0
# swing alice's feed on the hub between two older heads at every fetch
# (--git-dir: a hook runs with GIT_DIR set to this repository)
if [ "\$(git --git-dir="$T/hub.git" rev-parse refs/accord/feeds/$ALICE)" = "$TIP~1" ]; then
	git --git-dir="$T/hub.git" update-ref refs/accord/feeds/$ALICE $TIP~2
else
	git --git-dir="$T/hub.git" update-ref refs/accord/feeds/$ALICE $TIP~1
fi
EOF
sed -i "s|$TIP~1|$(git -C acme rev-parse "$TIP~1")|g; s|$TIP~2|$(git -C acme rev-parse "$TIP~2")|g" acme/.git/hooks/reference-transaction
expect 0 accord -C acme note "$INC" "never lands while the hub swings"
expect 1 accord -C acme sync --no-checkpoint hub
contains "$ERR" "hub kept moving during the sync; gave up after 3 rounds" "the retries are bounded"
case "$(head_of hub.git "$ALICE")" in "$TIP" | "$(head_of acme "$ALICE")") bad "the swinging hub was overwritten" ;; *) ok ;; esac
rm acme/.git/hooks/reference-transaction
expect 0 accord -C acme sync --no-checkpoint hub
equal "$(head_of hub.git "$ALICE")" "$(head_of acme "$ALICE")" "once the hub holds still the sync completes"

# The same race on the hub's side (explore60b 01): another push lands while the
# hub's hook checks ours, so the lease held when git advertised the refs but not
# when the hub updates them ("cannot lock ref ...: is at X but expected Y", the
# atomic transaction failed). The remote moved: fetch, verify and push again.
expect 0 accord -C acme note "$INC" "pushed while another push lands"
WON=$(git -C hub.git rev-parse "refs/accord/feeds/$ALICE~1")
cat >hub.git/hooks/pre-receive <<EOF
#!/bin/sh
cat >/dev/null
[ -e "$T/leased" ] && exit 0
touch "$T/leased"
# the other push: alice's feed moves to an older head the hub holds (outside the quarantine)
env -u GIT_QUARANTINE_PATH git update-ref refs/accord/feeds/$ALICE $WON || echo "move failed" >"$T/lease.log"
EOF
chmod +x hub.git/hooks/pre-receive
expect 0 accord -C acme sync --json --no-checkpoint hub
[ -e "$T/leased" ] && [ ! -e "$T/lease.log" ] && ok || bad "the hub's hook moved the feed"
equal "$(echo "$OUT" | jget 'd["remotes"][0]["rounds"]')" 2 "the hub's lease: a second round"
equal "$(echo "$OUT" | jget '"error" in d["remotes"][0]')" false "the hub's lease: no error"
equal "$(head_of hub.git "$ALICE")" "$(head_of acme "$ALICE")" "the hub's lease: the hub ends with alice's head"
rm hub.git/hooks/pre-receive

# --- https:// through lighttpd, git http-backend, a test CA and basic auth --------
if [ ! -x /usr/sbin/lighttpd ] || [ ! -e /usr/lib/lighttpd/mod_openssl.so ]; then
	skip "https:// case: apt-get install lighttpd lighttpd-mod-openssl"
	finish
	exit $?
fi
# this server's CA is set the way a user sets it (http.sslCAInfo); the
# variables that would override it, or send 127.0.0.1 to a proxy, go
unset GIT_SSL_CAINFO GIT_SSL_NO_VERIFY CURL_CA_BUNDLE SSL_CERT_FILE SSL_CERT_DIR
export NO_PROXY=127.0.0.1 no_proxy=127.0.0.1
W="$T/www"
mkdir -p "$W/docroot"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$W/ca.key" -out "$W/ca.pem" \
	-days 2 -subj /CN=accord-test-ca 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$W/srv.key" -out "$W/srv.csr" \
	-subj /CN=127.0.0.1 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' >"$W/ext"
openssl x509 -req -in "$W/srv.csr" -CA "$W/ca.pem" -CAkey "$W/ca.key" -CAcreateserial -out "$W/srv.pem" \
	-days 2 -extfile "$W/ext" 2>/dev/null
cat "$W/srv.pem" "$W/srv.key" >"$W/server.pem"
echo "alice:s3cret-pass" >"$W/users"
HPORT=$(freeport)
cat >"$W/lighttpd.conf" <<EOF
server.modules = ("mod_openssl", "mod_auth", "mod_authn_file", "mod_alias", "mod_setenv", "mod_cgi")
server.document-root = "$W/docroot"
server.bind = "127.0.0.1"
server.port = $HPORT
server.errorlog = "$W/error.log"
ssl.engine = "enable"
ssl.pemfile = "$W/server.pem"
auth.backend = "plain"
auth.backend.plain.userfile = "$W/users"
auth.require = ("/git/" => ("method" => "basic", "realm" => "hub", "require" => "valid-user"))
alias.url = ("/git" => "/usr/lib/git-core/git-http-backend")
\$HTTP["url"] =~ "^/git" {
	cgi.assign = ("" => "")
	setenv.set-environment = ("GIT_PROJECT_ROOT" => "$T", "GIT_HTTP_EXPORT_ALL" => "1", "PATH" => "$PATH")
}
EOF
/usr/sbin/lighttpd -D -f "$W/lighttpd.conf" 2>"$W/start.log" &
PIDS="$PIDS $!"
i=0
until /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $HPORT), 1)" 2>/dev/null || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
URL="https://127.0.0.1:$HPORT/git/hub.git"
expect 0 accord -C acme remote add web "$URL"
# the server's certificate is checked: unknown CA, refused
expect 1 accord -C acme sync web
contains "$ERR" "web: can't fetch from web:" "an untrusted certificate fails the fetch"
contains "$ERR" "certificate" "and git says why"
git config --global http.sslCAInfo "$W/ca.pem"
# no credential: git may not prompt without a terminal, so it fails at once
expect 1 accord -C acme sync web
contains "$ERR" "terminal prompts disabled" "no password, no prompt, a clear failure"
# a wrong password from the helper is refused by the server
git config --global credential.helper "store --file=$W/creds"
printf 'https://alice:wrong@127.0.0.1:%s\n' "$HPORT" >"$W/creds"
expect 1 accord -C acme sync web
contains "$ERR" "Authentication failed" "a wrong password is refused"
# the right one, from the helper alone
printf 'https://alice:s3cret-pass@127.0.0.1:%s\n' "$HPORT" >"$W/creds"
expect 0 accord -C acme note "$INC" "over https://"
expect 0 accord -C acme sync web
equal "$(head_of hub.git "$ALICE")" "$(head_of acme "$ALICE")" "push over https:// with basic auth"
expect 0 accord clone "$URL" bob-https
equal "$(refs bob-https)" "$(refs hub.git)" "clone over https://"
contains "$(accord -C bob-https show "$INC")" "over https://" "the entry arrived"
env | grep -q 's3cret' && bad "the password is in the environment" || ok
finish

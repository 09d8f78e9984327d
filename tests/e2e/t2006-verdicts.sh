# One verifier, one verdict (issue 12): a table of tampered and hostile
# ledgers, each built the way an attacker would (stock ssh-keygen signatures,
# git plumbing, tests/e2e/forge/forge.py, never accord's library), and one
# checker that runs every path over it and compares their verdicts:
#   audit --json              the findings (kind, commit) and what counts per feed
#   show --json, log --json,  exactly the entries that count, exit 0, --strict 3;
#   export, list, ...         the stderr notice names the count and a finding
#   report --format json      verification.status partial, same (kind, commit)
#   sync                      a clean (older) copy syncing from an unhooked hub that
#                             holds the hostile refs ends with, per feed, the last
#                             commit that counts; exit 3 naming the bad commit
#   hook                      a push of the hostile feeds to a hooked hub holding the
#                             clean history is refused naming the bad commit, the
#                             hub unchanged; a push of what counts is accepted
#   clone                     exit 0, its feeds are what counts, its audit is clean
#   writing                   a key whose feed has entries that do not count may not
#                             write (exit 3); others still can
# VERDICT_CASES="malformed reordered" runs only those cases; VERDICT_KEEP=1 keeps
# the last case's repositories ($T/case.git, copy.git, hub.git, clone.git).
. "$(dirname "$0")/lib.sh"
FORGE="/usr/bin/python3 $(cd "$(dirname "$0")" && pwd)/forge/forge.py"
forge() { $FORGE "$@" || bad "forge $*"; }
EMPTY=4b825dc642cb6eb9a060e54bf8d69288fbee4904
unset SSH_AUTH_SOCK
[ -n "${VERDICT_KEEP:-}" ] && trap 'echo "kept $T"' EXIT # debugging: keep the last case

# --- the clean base ledger, built once: acme (alice root, bob, carol revoked later)
# and globex (gina); an incident with notes, a joint resolution and later notes.
for k in alice bob carol gina zed; do newkey $k; done
pub() { accord --home "$T/$1" key show | tail -1; }
kid() { accord --home "$T/$1" key show --json | jget 'd["id"]'; }
ALICE=$(kid alice) BOB=$(kid bob) CAROL=$(kid carol) GINA=$(kid gina)
B="$T/base.git" EARLY="$T/early.git" EHUB="$T/early-hub.git"
git init -q --bare "$B"
as() { who=$1; shift; accord --home "$T/$who" -C "$B" "$@"; }
expect 0 as alice init --party acme --title "acme and globex"
LEDGER=$OUT
expect 0 as alice member add --key "$(pub bob)" --name bob
expect 0 as alice member add --key "$(pub carol)" --name carol
expect 0 as alice party invite globex --key "$(pub gina)"
expect 0 as gina party accept globex
expect 0 as alice open --title "Card payments failing" --severity 2 --service payments \
	--started 2026-11-20T10:00:00Z --parties acme,globex
INC=$OUT
# The older copy every case syncs into, and a hooked hub holding that history.
cp -r "$B" "$EARLY"
git init -q --bare "$EHUB"
git -C "$B" push -q "$EHUB" 'refs/accord/*:refs/accord/*' || bad "seed the hooked hub"
printf '#!/bin/sh\nexec "%s" hook pre-receive\n' "$ACCORD_BIN" >"$EHUB/hooks/pre-receive"
chmod +x "$EHUB/hooks/pre-receive"
expect 0 as bob note "$INC" "gateway timeouts"
expect 0 as carol note "$INC" "carol was here"
expect 0 as alice member revoke carol
expect 0 as gina note "$INC" "our certificate expired"
expect 0 as alice status "$INC" resolved
expect 0 as alice resolve "$INC" --summary "cert renewed" --factor "no expiry monitoring"
expect 0 as gina cosign "$INC"
expect 0 as alice note "$INC" "alice, later"
expect 0 as bob note "$INC" "bob, later"
expect 0 as gina note "$INC" "gina, later"
INCID=$(git -C "$B" log --format=%B -1 "refs/accord/feeds/$BOB" | jget 'd["incident"]')
expect 0 accord -C "$B" audit --json --no-record
equal "$(echo "$OUT" | jget 'd["totals"]["verified"]')" 16 "the base ledger is clean"
for k in alice bob carol gina; do forge sshkey "$T/$k" "$T/$k.ssh"; done
ssh-keygen -q -t ed25519 -N '' -C mallory -f "$T/mallory" </dev/null
MALLORY_PK=$($FORGE keyid "$T/mallory.pub" | cut -d' ' -f1)
# another ledger, for entries replayed from it
git init -q --bare "$T/other.git"
expect 0 accord --home "$T/zed" -C "$T/other.git" init --party other
OTHER=$OUT

# --- helpers for building cases -----------------------------------------------
C="$T/case.git"
fresh() { rm -rf "$C" "$T/chk"; cp -r "$B" "$C"; mkdir "$T/chk"; new_machines; }
tip() { git -C "$C" rev-parse "refs/accord/feeds/$1${2:-}"; }
msgof() { git -C "$C" cat-file commit "$1" | sed '1,/^$/d'; }
idof() { msgof "$1" | tr -d '\n' | sha256sum | cut -c1-64; }
setref() { git -C "$C" update-ref "refs/accord/feeds/$1" "$2"; }
# max Lamport clock of the readable feed heads, plus one
nextlamport() {
	git -C "$C" for-each-ref --format='%(objectname)' refs/accord/feeds/ | while read -r c; do
		msgof "$c" | jget 'd["lamport"]' 2>/dev/null; done | sort -n | tail -1 | awk '{print $1 + 1}'
}
# later KEYFILE FEED SEQ: a correct note signed by KEYFILE chained after FEED's head
# (the bad entry, which may be unreadable: hence seq and Lamport clock given). It is
# fine on its own and must still not count: it rests on the bad one.
later() {
	lb=$(tip "$2")
	setref "$2" "$(git -C "$C" rev-parse "$lb^")"
	LATER=$(forge entry "$C" "$1" --type note --incident "$INCID" --body '{"text":"after the bad one"}' \
		--ref refs/forge/none --no-ref --parent "$lb" --seq "$3" --prev "$(idof "$lb")" --lamport "$(($(nextlamport) + 1))")
	setref "$2" "$LATER"
}
# sign_commit FILE KEY: FILE holds an unsigned commit; sign it with stock ssh-keygen
# (namespace git, over exactly those bytes, as git does; SIGN_HASH=sha256 for
# ssh-keygen's other hash), add the gpgsig header
# last among the headers, write the object, print its id.
sign_commit() {
	cp "$1" "$T/payload"
	rm -f "$T/payload.sig"
	ssh-keygen -q -Y sign -n git ${SIGN_HASH:+-O hashalg=$SIGN_HASH} -f "$2" "$T/payload" || bad "ssh-keygen sign"
	{
		sed '/^$/q' "$1" | sed '$d'
		sed -e '1s/^/gpgsig /' -e '2,$s/^/ /' "$T/payload.sig"
		printf '\n'
		sed '1,/^$/d' "$1"
	} >"$T/signed"
	git -C "$C" hash-object -t commit -w --literally "$T/signed"
}
# unsigned_commit PARENT TREE WHEN EXTRA MSGFILE > FILE: commit bytes as accord writes them,
# with an optional extra header line.
unsigned_commit() {
	uk=$(python3 -c 'import json, sys, hashlib; print(hashlib.sha256(bytes.fromhex(json.load(open(sys.argv[1]))["author"])).hexdigest()[:32])' "$5")
	printf 'tree %s\nparent %s\nauthor %s <%s@accord> %s +0000\ncommitter %s <%s@accord> %s +0000\n' "$2" "$1" "$uk" "$uk" "$3" "$uk" "$uk" "$3"
	[ -n "$4" ] && printf '%s\n' "$4"
	printf '\n'
	cat "$5"
}
# an entry by KEY chained on FEED's head, built by forge but not stored: its message in $T/m
draft() { # draft KEYFILE FEED TEXT [forge opts...]
	k=$1 f=$2 text=$3
	shift 3
	D=$(forge entry "$C" "$k" --type note --incident "$INCID" --body "{\"text\":\"$text\"}" --no-ref "$@")
	msgof "$D" | tr -d '\n' >"$T/m"
	DTIME=$(git -C "$C" log -1 --format=%ct "$D")
}

# --- the cases: each builds one hostile ledger in $C and names the bad commit
# ($BAD, the first entry that must not count) and the kind audit must give it.

case_entry_modified() { # alice's status (seq 7) edited with its signature kept; 8, 9 re-parented, theirs kept
	msgof "$(tip "$ALICE" ~2)" | sed 's/"resolved"/"mitigated"/' | tr -d '\n' >"$T/m"
	X7=$(forge recommit "$C" "$(tip "$ALICE" ~2)" --message "$T/m")
	X8=$(forge recommit "$C" "$(tip "$ALICE" ~1)" --parent "$X7")
	X9=$(forge recommit "$C" "$(tip "$ALICE")" --parent "$X8")
	setref "$ALICE" "$X9"
	BAD=$X7 KIND=entry-modified
}
case_wrong_signer() { # bob's first note re-signed by mallory with stock git; his seq 2 re-signed by bob on top
	msgof "$(tip "$BOB" ~1)" | tr -d '\n' >"$T/m"
	WHEN=$(git -C "$C" log -1 --format=%ct "$(tip "$BOB" ~1)")
	X=$(cd "$C" && GIT_COMMITTER_DATE="@$WHEN +0000" GIT_AUTHOR_DATE="@$WHEN +0000" \
		GIT_AUTHOR_NAME=$BOB GIT_AUTHOR_EMAIL=$BOB@accord GIT_COMMITTER_NAME=$BOB GIT_COMMITTER_EMAIL=$BOB@accord \
		git -c gpg.format=ssh -c user.signingKey="$T/mallory" commit-tree -S $EMPTY -F "$T/m")
	Y=$(forge recommit "$C" "$(tip "$BOB")" --parent "$X" --key "$T/bob.ssh")
	setref "$BOB" "$Y"
	BAD=$X KIND=wrong-signer
}
case_entry_missing() { # alice's seq 7 dropped: 8 and 9 re-signed by alice onto 6
	X8=$(forge recommit "$C" "$(tip "$ALICE" ~1)" --parent "$(tip "$ALICE" ~3)" --key "$T/alice.ssh")
	X9=$(forge recommit "$C" "$(tip "$ALICE")" --parent "$X8" --key "$T/alice.ssh")
	setref "$ALICE" "$X9"
	BAD=$X8 KIND=entry-missing
}
case_reordered() { # alice's 7 and 8 swapped, 9 on top, all re-signed by alice
	Y8=$(forge recommit "$C" "$(tip "$ALICE" ~1)" --parent "$(tip "$ALICE" ~3)" --key "$T/alice.ssh")
	Y7=$(forge recommit "$C" "$(tip "$ALICE" ~2)" --parent "$Y8" --key "$T/alice.ssh")
	Y9=$(forge recommit "$C" "$(tip "$ALICE")" --parent "$Y7" --key "$T/alice.ssh")
	setref "$ALICE" "$Y9"
	BAD=$Y8 KIND=reordered
}
case_unsigned() { # an unsigned note on bob's feed, a signed one after it
	BAD=$(forge entry "$C" "$T/bob.ssh" --type note --incident "$INCID" --unsigned)
	later "$T/bob.ssh" "$BOB" 4
	KIND=signature-mismatch
}
case_extra_header() { # a note whose commit carries an extra header, signed by alice over it all
	draft "$T/alice.ssh" "$ALICE" "extra header"
	unsigned_commit "$(tip "$ALICE")" $EMPTY "$DTIME" "x-forged yes" "$T/m" >"$T/c"
	BAD=$(sign_commit "$T/c" "$T/alice.ssh")
	setref "$ALICE" "$BAD"
	later "$T/alice.ssh" "$ALICE" 11
	KIND=bad-commit
}
case_tree() { # a note whose commit has a non-empty tree, signed by alice
	BLOB=$(echo payload | git -C "$C" hash-object -w --stdin)
	TREE=$(printf '100644 blob %s\tfile\n' "$BLOB" | git -C "$C" mktree)
	draft "$T/alice.ssh" "$ALICE" "with a tree"
	unsigned_commit "$(tip "$ALICE")" "$TREE" "$DTIME" "" "$T/m" >"$T/c"
	BAD=$(sign_commit "$T/c" "$T/alice.ssh")
	setref "$ALICE" "$BAD"
	later "$T/alice.ssh" "$ALICE" 11
	KIND=bad-commit
}
case_committer_time() { # a note whose commit time is an hour off its entry time, signed by alice
	draft "$T/alice.ssh" "$ALICE" "other time"
	BAD=$(forge recommit "$C" "$D" --time "$((DTIME + 3600))" --key "$T/alice.ssh")
	setref "$ALICE" "$BAD"
	later "$T/alice.ssh" "$ALICE" 11
	KIND=bad-commit
}
# One encoding (finding 14): the author and committer are derived from the entry, byte for byte.
case_commit_identity() { # gina's note whose commit names alice's key id, a terminal escape and +0100
	draft "$T/gina.ssh" "$GINA" "spoofed author"
	{
		printf 'tree %s\nparent %s\n' $EMPTY "$(tip "$GINA")"
		printf 'author \033[31malice@acme\033[0m <%s@accord> %s +0100\n' "$ALICE" "$DTIME"
		printf 'committer someone else <%s@accord> %s +0000\n\n' "$GINA" "$DTIME"
		cat "$T/m"
	} >"$T/c"
	BAD=$(sign_commit "$T/c" "$T/gina.ssh")
	setref "$GINA" "$BAD"
	later "$T/gina.ssh" "$GINA" 6
	KIND=bad-commit
}
case_commit_name() { # gina's note with her own name before her key id: a second encoding of the entry
	draft "$T/gina.ssh" "$GINA" "named author"
	{
		printf 'tree %s\nparent %s\n' $EMPTY "$(tip "$GINA")"
		printf 'author gina <%s@accord> %s +0000\n' "$GINA" "$DTIME"
		printf 'committer gina <%s@accord> %s +0000\n\n' "$GINA" "$DTIME"
		cat "$T/m"
	} >"$T/c"
	BAD=$(sign_commit "$T/c" "$T/gina.ssh")
	setref "$GINA" "$BAD"
	later "$T/gina.ssh" "$GINA" 6
	KIND=bad-commit
}
case_armor_rewrapped() { # alice's head re-wrapped at 64 columns with text tools: stock git says Good
	H=$(tip "$ALICE")
	git -C "$C" cat-file commit "$H" >"$T/orig"
	awk '
		/^gpgsig -----BEGIN SSH SIGNATURE-----$/ { print; insig = 1; next }
		insig && /^ -----END SSH SIGNATURE-----$/ {
			while (length(b64) > 64) { print " " substr(b64, 1, 64); b64 = substr(b64, 65) }
			print " " b64; print; insig = 0; next }
		insig { b64 = b64 substr($0, 2); next }
		{ print }' "$T/orig" >"$T/rewrapped"
	# the message has no final newline: keep the bytes after the headers exactly
	{ sed '/^$/q' "$T/rewrapped"; sed '1,/^$/d' "$T/orig"; } >"$T/rewrapped2"
	BAD=$(git -C "$C" hash-object -t commit -w "$T/rewrapped2")
	[ "$BAD" != "$H" ] && ok || bad "armor: the re-wrapped commit is another commit"
	equal "$(idof "$BAD")" "$(idof "$H")" "armor: same entry bytes"
	accord -C "$C" allowed-signers >"$T/allowed" 2>/dev/null
	expect 0 git -C "$C" -c gpg.ssh.allowedSignersFile="$T/allowed" verify-commit "$BAD"
	contains "$ERR" 'Good "git" signature' "armor: stock git verify-commit says Good"
	setref "$ALICE" "$BAD"
	later "$T/alice.ssh" "$ALICE" 10
	KIND=bad-commit
}
case_sig_sha256() { # alice re-signs her own head with ssh-keygen -O hashalg=sha256: stock git says Good
	H=$(tip "$ALICE")
	# the payload git signs: the commit less its gpgsig header (the message has no final newline)
	git -C "$C" cat-file commit "$H" | awk '/^gpgsig / { s = 1; next } s && /^ / { next } { s = 0; print }' |
		sed '/^$/q' >"$T/c"
	git -C "$C" cat-file commit "$H" | sed '1,/^$/d' >>"$T/c"
	BAD=$(SIGN_HASH=sha256 sign_commit "$T/c" "$T/alice.ssh")
	[ "$BAD" != "$H" ] && ok || bad "sha256: the re-signed commit is another commit"
	equal "$(idof "$BAD")" "$(idof "$H")" "sha256: same entry bytes"
	contains "$(git -C "$C" cat-file commit "$BAD")" "$(git -C "$C" cat-file commit "$H" | sed -n 1,4p)" "sha256: the same headers"
	accord -C "$C" allowed-signers >"$T/allowed" 2>/dev/null
	expect 0 git -C "$C" -c gpg.ssh.allowedSignersFile="$T/allowed" verify-commit "$BAD"
	contains "$ERR" 'Good "git" signature' "sha256: stock git verify-commit says Good"
	setref "$ALICE" "$BAD"
	later "$T/alice.ssh" "$ALICE" 10
	KIND=bad-commit
}
# Commits libgit2 cannot parse must take only themselves and what chains from them.
case_sig_first() { # alice's note with its gpgsig header moved before author: stock git says Good
	draft "$T/alice.ssh" "$ALICE" "signature first"
	git -C "$C" cat-file commit "$D" >"$T/orig"
	# the headers: tree, parent, then the gpgsig block, then author and committer
	{
		sed -n '1,2p' "$T/orig"
		sed -n '/^gpgsig /,/^ -----END/p' "$T/orig"
		sed -n '/^author /p; /^committer /p' "$T/orig"
		printf '\n'
		sed '1,/^$/d' "$T/orig"
	} >"$T/moved"
	BAD=$(git -C "$C" hash-object -t commit -w --literally "$T/moved")
	[ "$BAD" != "$D" ] && ok || bad "sig first: the moved header makes another commit"
	accord -C "$C" allowed-signers >"$T/allowed" 2>/dev/null
	expect 0 git -C "$C" -c gpg.ssh.allowedSignersFile="$T/allowed" verify-commit "$BAD"
	contains "$ERR" 'Good "git" signature' "sig first: stock git verify-commit says Good"
	setref "$ALICE" "$BAD"
	later "$T/alice.ssh" "$ALICE" 11
	KIND=bad-commit
}
case_garbage_commit() { # an unsigned commit with a garbage header on alice's feed, a signed note after it
	printf 'tree %s\nparent %s\ngarbage header\nauthor x\n\nhello' $EMPTY "$(tip "$ALICE")" >"$T/garbage"
	BAD=$(git -C "$C" hash-object -t commit -w --literally "$T/garbage")
	setref "$ALICE" "$BAD"
	later "$T/alice.ssh" "$ALICE" 11
	KIND=bad-commit
}
case_malformed() { # truncated JSON signed by alice
	BAD=$(forge entry "$C" "$T/alice.ssh" --type note --incident "$INCID" --mangle truncate)
	later "$T/alice.ssh" "$ALICE" 11
	KIND=malformed-entry
}
case_invalid_utf8() { # a note with a byte that is not UTF-8, signed by alice
	BAD=$(forge entry "$C" "$T/alice.ssh" --type note --incident "$INCID" --mangle utf8)
	later "$T/alice.ssh" "$ALICE" 11
	KIND=malformed-entry
}
case_oversize() { # a 70 KB note, over the 64 KiB limit, signed by alice
	BAD=$(forge entry "$C" "$T/alice.ssh" --type note --incident "$INCID" --mangle oversize)
	later "$T/alice.ssh" "$ALICE" 11
	KIND=malformed-entry
}
case_duplicate_key() { # {"v":1,"v":1,...} signed by alice
	BAD=$(forge entry "$C" "$T/alice.ssh" --type note --incident "$INCID" --mangle dupkey)
	later "$T/alice.ssh" "$ALICE" 11
	KIND=malformed-entry
}
case_unknown_field() { # a blame field in a note, signed by gina
	BAD=$(forge entry "$C" "$T/gina.ssh" --type note --incident "$INCID" --body '{"text":"x","blame":"acme"}')
	later "$T/gina.ssh" "$GINA" 6
	KIND=unknown-field
}
case_unknown_type() { # an entry of type BLAME (no type name; a well-formed new type would count), signed by gina
	BAD=$(forge entry "$C" "$T/gina.ssh" --type BLAME --incident "$INCID" --body '{"party":"acme"}')
	later "$T/gina.ssh" "$GINA" 6
	KIND=unknown-type
}
case_schema_violation() { # a status no schema allows, signed by alice
	BAD=$(forge entry "$C" "$T/alice.ssh" --type status --incident "$INCID" --body '{"status":"exploded"}')
	later "$T/alice.ssh" "$ALICE" 11
	KIND=schema-violation
}
case_unknown_key() { # an outsider's ssh-keygen key writes notes into its own feed
	BAD=$(forge entry "$C" "$T/mallory" --type note --incident "$INCID" --body '{"text":"trust me"}')
	forge entry "$C" "$T/mallory" --type note --incident "$INCID" --body '{"text":"again"}' >/dev/null
	KIND=unknown-key
}
case_revoked_key() { # carol, revoked, signs a note after her revocation, then another
	BAD=$(forge entry "$C" "$T/carol.ssh" --type note --incident "$INCID" --body '{"text":"still here"}')
	forge entry "$C" "$T/carol.ssh" --type note --incident "$INCID" --body '{"text":"and again"}' >/dev/null
	KIND=revoked-key ASIDE=1
}
case_revoked_backdated() { # carol's note after her revocation, ordered before it by a chosen low Lamport clock
	BAD=$(forge entry "$C" "$T/carol.ssh" --type note --incident "$INCID" --body '{"text":"backdated"}' --lamport 9)
	KIND=chain-broken
}
case_foreign_ledger() { # alice signs an entry naming another ledger
	BAD=$(forge entry "$C" "$T/alice.ssh" --type note --incident "$INCID" --ledger "$OTHER")
	later "$T/alice.ssh" "$ALICE" 11
	KIND=foreign-ledger
}
case_time_backwards() { # alice's note an hour before her previous entry
	BAD=$(forge entry "$C" "$T/alice.ssh" --type note --incident "$INCID" --time "$(($(date +%s) - 3600))")
	later "$T/alice.ssh" "$ALICE" 11
	KIND=time-backwards
}
case_bad_cosign() { # gina cosigns a proposal that is not there
	BAD=$(forge entry "$C" "$T/gina.ssh" --type cosign --incident "$INCID" \
		--body '{"proposal":"0000000000000000000000000000000000000000000000000000000000000000"}')
	later "$T/gina.ssh" "$GINA" 6
	KIND=bad-cosign
}
case_chain_broken() { # alice's note whose prev names no entry of her feed
	BAD=$(forge entry "$C" "$T/alice.ssh" --type note --incident "$INCID" --prev "$(printf x | sha256sum | cut -c1-64)")
	later "$T/alice.ssh" "$ALICE" 11
	KIND=chain-broken
}
case_wrong_feed() { # alice's entry stored on gina's feed
	BAD=$(forge entry "$C" "$T/alice.ssh" --type note --incident "$INCID" --ref "refs/accord/feeds/$GINA")
	later "$T/gina.ssh" "$GINA" 6
	KIND=wrong-feed
}
case_not_authorized() { # bob, no admin, adds mallory; mallory writes on that strength
	BAD=$(forge entry "$C" "$T/bob.ssh" --type member-add --extra '{"incident":null}' \
		--body "{\"key\":\"$MALLORY_PK\",\"member\":\"mallory\",\"admin\":false}")
	forge entry "$C" "$T/mallory" --type note --incident "$INCID" --body '{"text":"let in by bob"}' >/dev/null
	KIND=not-authorized
}
case_equivocation() { # bob signs a second seq 2, kept under refs/accord/evidence/
	FORK=$(forge entry "$C" "$T/bob.ssh" --type note --incident "$INCID" --body '{"text":"another story"}' \
		--seq 2 --prev "$(idof "$(tip "$BOB" ~1)")" --parent "$(tip "$BOB" ~1)" --ref "refs/accord/evidence/$BOB/fork")
	git -C "$C" update-ref -d "refs/accord/evidence/$BOB/fork"
	git -C "$C" update-ref "refs/accord/evidence/$BOB/$FORK" "$FORK"
	BAD=$(tip "$BOB") KIND=equivocation
}

# reaudit: what counts in $C now (after the checker's own writes), into $T/chk2
reaudit() {
	OUT=$(accord -C "$C" audit --json --no-record 2>/dev/null)
	echo "$OUT" | jget 'dict(d, findings=d["findings"] + d["set_aside"])' >"$T/chk/audit2.json"
	rm -rf "$T/chk2" && mkdir -p "$T/chk2"
	verdict "$T/chk/audit2.json" "$C" "$INCID" "$T/chk2" >/dev/null
}

# --- further checks after some cases (they run after check, on the same $C) ----
# The issue's armor attack: a copy that already has alice's seq 9 as accord wrote it
# syncs from a hub serving the re-wrapped one. It is the same entry: no
# equivocation, no evidence against alice, alice may still write, audit stays clean.
after_armor_rewrapped() {
	rm -rf "$T/full.git"
	cp -r "$B" "$T/full.git"
	git -C "$T/full.git" remote add hub "$C"
	git -C "$T/full.git" config remote.hub.fetch '+refs/accord/*:refs/quarantine/hub/*'
	expect 3 accord -C "$T/full.git" sync --json --no-checkpoint hub
	equal "$(echo "$OUT" | jtry 'len(d["remotes"][0]["evidence"])')" 0 "armor: no equivocation reported against alice"
	equal "$(git -C "$T/full.git" for-each-ref refs/accord/evidence/ | wc -l)" 0 "armor: no evidence written"
	equal "$(git -C "$T/full.git" rev-parse "refs/accord/feeds/$ALICE")" "$(git -C "$B" rev-parse "refs/accord/feeds/$ALICE")" "armor: alice's feed kept as accord wrote it"
	expect 0 accord -C "$T/full.git" audit --no-record
	expect 0 accord --home "$T/alice" -C "$T/full.git" note "$INC" "alice can still write"
}
# libgit2's walk stops at the garbage commit: the hook's count of pushed entries
# must not, or one such commit would hide any number of entries behind it.
after_garbage_commit() {
	rm -rf "$T/hub.git"
	git init -q --bare "$T/hub.git"
	cp "$EHUB/hooks/pre-receive" "$T/hub.git/hooks/"
	git -C "$T/hub.git" config accord.maxPushEntries 5
	expect 1 git -C "$C" push "$T/hub.git" "refs/accord/feeds/$ALICE"
	contains "$ERR" "it adds more than 5 entries" "garbage: the hook counts past the garbage commit"
}
# The index is a cache: un-revoking carol in it by hand, and pointing her feed at
# her post-revocation note, changes nothing that show and log print.
after_revoked_key() {
	reaudit
	S="$C/accord/index/state"
	if [ -f "$S" ]; then ok; else bad "revoked: no index state at $S"; fi
	CPK=$(msgof "$(git -C "$C" rev-list --max-parents=0 "refs/accord/feeds/$CAROL")" | jget 'd["author"]')
	CT=$(tip "$CAROL")
	/usr/bin/python3 - "$S" "$CAROL" "$CPK" "$CT" "$(idof "$CT")" "$(msgof "$CT" | jget 'd["lamport"]')" "$(git -C "$C" log -1 --format=%ct "$CT")" <<'PY'
import sys
path, feed, pk, commit, eid, lamport, when = sys.argv[1:]
out = []
for l in open(path).read().split("\n"):
    w = l.split(" ")
    if w[0] == "member" and w[1] == pk:
        w[6], w[8] = "0", "0"  # not revoked: "member <pk> <name> <party> <root> <admin> <revoked> <added> <revoked_at>"
    if w[0] in ("feed", "high") and w[1] == feed:
        w = ["feed", feed, commit, "3", eid, lamport, when] if w[0] == "feed" else ["high", feed, "3", eid]
    out.append(" ".join(w))
open(path, "w").write("\n".join(out))
PY
	expect 0 accord -C "$C" log --json
	equal "$(echo "$OUT" | jget '" ".join(e["commit"] for e in d)' | sorted)" "$(cat "$T/chk2/commits")" "revoked: an edited index does not bring carol's notes back (log)"
	expect 0 accord -C "$C" show "$INC" --json
	equal "$(echo "$OUT" | jget '" ".join(e["id"] for e in d["timeline"])' | sorted)" "$(cat "$T/chk2/incident")" "revoked: an edited index does not bring carol's notes back (show)"
	expect 0 accord -C "$C" member list --json
	equal "$(echo "$OUT" | jtry '" ".join(str(m["active"]) for m in d if m["member"] == "carol")')" False "revoked: carol is still revoked"
}

# --- the checker ---------------------------------------------------------------
# What audit says counts, derived from its --json and the feeds' commit chains
# (root first): per feed the valid prefix (feeds[].verified), its last commit and
# the first commit that does not count; the commits and entry ids that count;
# the (kind, commit) pairs of its findings.
cat >"$T/verdict.py" <<'PY'
import hashlib, json, subprocess, sys
audit, repo, inc, out = sys.argv[1:5]
d = json.load(open(audit))
def git(*a):
    return subprocess.run(["git", "-C", repo] + list(a), stdout=subprocess.PIPE, check=True).stdout
feeds, commits, ids, incident, problems = [], [], [], [], []
finding_commits = {}
for f in d["findings"]:
    if f.get("commit"):
        finding_commits.setdefault(f["feed"], set()).add(f["commit"])
for f in d["feeds"]:
    chain = git("rev-list", "--first-parent", "--reverse", "refs/accord/feeds/" + f["feed"]).decode().split()
    n = f["verified"]
    if len(chain) != f["entries"]:
        problems.append("feed %s: %d commits in its chain, audit read %d" % (f["feed"], len(chain), f["entries"]))
    # the first commit left out must carry a finding of its own
    if n < len(chain) and chain[n] not in finding_commits.get(f["feed"], set()):
        problems.append("feed %s: first commit left out %s has no finding" % (f["feed"], chain[n]))
    if f["broken_at"] is None and n != len(chain):
        problems.append("feed %s: %d of %d verified but broken_at is null" % (f["feed"], n, len(chain)))
    feeds.append("%s %s %s" % (f["feed"], chain[n - 1] if n else "-", chain[n] if n < len(chain) else "-"))
    for c in chain[:n]:
        raw = git("cat-file", "commit", c)
        msg = raw[raw.index(b"\n\n") + 2:]
        eid = hashlib.sha256(msg).hexdigest()
        commits.append(c)
        ids.append(eid)
        e = json.loads(msg)
        if e.get("incident") == inc or eid == inc:
            incident.append(eid)
def w(name, lines):
    open(out + "/" + name, "w").write("".join(l + "\n" for l in sorted(lines)))
w("feeds", feeds)
w("commits", commits)
w("ids", ids)
w("incident", incident)
w("findings", ["%s %s" % (f["kind"], f["commit"]) for f in d["findings"] if f.get("commit")])
w("firstbad", [l.split()[2] for l in feeds if l.split()[2] != "-"])
# report's excluded: the first commit left out, null when nothing of the feed counts
w("excluded", ["%s %s" % (l.split()[0], l.split()[2] if l.split()[1] != "-" else "null") for l in feeds if l.split()[2] != "-"])
w("problems", problems)
print(len(ids))
PY
verdict() { /usr/bin/python3 "$T/verdict.py" "$@"; }
# jtry EXPR: jget, printing nothing when the document is not there
jtry() { jget "$1" 2>/dev/null; }
sorted() { tr ' ' '\n' | sed '/^$/d' | sort; }
# heads REPO: "feed commit" of every feed ref
heads() { git -C "$1" for-each-ref --format='%(refname:strip=3) %(objectname)' refs/accord/feeds/ | sort; }
# the expected heads: "feed commit" for the feeds with something that counts
want_heads() { awk '$2 != "-" { print $1, $2 }' "$T/chk/feeds"; }
owner() { # the key home that writes FEED, if it is one of ours
	case $1 in "$ALICE") echo alice ;; "$BOB") echo bob ;; "$GINA") echo gina ;; *) echo "" ;; esac
}

# check NAME: run every path over $C and compare their verdicts with audit's.
# $BAD: the first commit that must not count, $KIND: the kind audit must give it.
check() {
	n=$1
	CK=$T/chk
	# 1. audit: a fault exits 3; entries set aside by a rule (ASIDE=1) are listed
	# apart and exit 0. Either way every path leaves them out, so the checks below
	# compare with both lists.
	if [ "${ASIDE:-0}" = 1 ]; then
		expect 0 accord -C "$C" audit --json --no-record
		equal "$(echo "$OUT" | jget '" ".join(f["kind"] for f in d["findings"])')" "" "$n: audit finds no fault"
		contains " $(echo "$OUT" | jget '" ".join(f["kind"] + ":" + (f["commit"] or "") for f in d["set_aside"])') " \
			" $KIND:$BAD " "$n: audit sets the bad commit aside as $KIND"
	else
		expect 3 accord -C "$C" audit --json --no-record
		# an honest entry depending on the bad one is pending (it counts once a copy of
		# the bad one that counts arrives); no other rule sets anything aside here
		equal "$(echo "$OUT" | jget '" ".join(f["kind"] for f in d["set_aside"] if f["kind"] != "pending")')" "" \
			"$n: audit sets nothing aside but pending dependants"
	fi
	echo "$OUT" | jget '"\n".join(sorted(f["kind"] + " " + f["commit"] for f in d["set_aside"] if f["kind"] == "pending"))' >"$CK/pending"
	echo "$OUT" | jget 'dict(d, findings=d["findings"] + d["set_aside"])' >"$CK/audit.json"
	contains " $(jget '" ".join(f["kind"] + ":" + (f["commit"] or "") for f in d["findings"])' <"$CK/audit.json") " \
		" $KIND:$BAD " "$n: audit names $KIND on the bad commit"
	COUNT=$(verdict "$CK/audit.json" "$C" "$INCID" "$CK")
	equal "$(cat "$CK/problems")" "" "$n: audit's feed totals agree with its findings"
	equal "$(grep -c " $BAD$" "$CK/feeds")" 1 "$n: audit leaves the feed out from the bad commit"
	TOTAL=$(jget 'd["totals"]["entries"]' <"$CK/audit.json")
	LEFT=$((TOTAL - COUNT))
	BADFEED=$(jget '[f["feed"] for f in d["findings"] if f["commit"] == "'"$BAD"'"][0]' <"$CK/audit.json")
	BADSEQ=$(jget '[f["seq"] for f in d["findings"] if f["commit"] == "'"$BAD"'"][0]' <"$CK/audit.json")
	# what the reading commands name first: one of audit's findings (faults and pending alike)
	FIRSTS=$(jget '" ".join(f["commit"] for f in d["findings"] if f["commit"])' <"$CK/audit.json")
	# 2. show, log, export and the other readers: exactly what counts, exit 0; --strict 3
	expect 0 accord -C "$C" show "$INC" --json
	equal "$(echo "$OUT" | jget '" ".join(e["id"] for e in d["timeline"])' | sorted)" "$(cat "$CK/incident")" "$n: show lists exactly the incident's entries that count"
	contains "$ERR" "accord: $LEFT entr" "$n: show says how many it left out"
	contains "$ERR" "'accord audit' lists every finding" "$n: show points to audit"
	expect 0 accord -C "$C" log --json
	equal "$(echo "$OUT" | jget '" ".join(e["commit"] for e in d)' | sorted)" "$(cat "$CK/commits")" "$n: log lists exactly the commits that count"
	contains "$ERR" "accord: $LEFT entr" "$n: log says how many it left out"
	named=$(echo "$ERR" | sed -n 's/.*, commit \([0-9a-f]\{40\}\).*/\1/p' | head -1)
	contains " $FIRSTS " " ${named:-none} " "$n: log names one of audit's findings"
	expect 0 accord -C "$C" export
	equal "$(echo "$OUT" | while IFS= read -r l; do printf %s "$l" | sha256sum | cut -c1-64; done | sort)" "$(cat "$CK/ids")" "$n: export prints exactly the entries that count"
	for r in show log list export report "member list" "party list" allowed-signers; do
		case $r in show) args="show $INC" ;; *) args=$r ;; esac
		# shellcheck disable=SC2086
		expect 0 accord -C "$C" $args
		contains "$ERR" "accord: $LEFT entr" "$n: $r says what it left out"
		# shellcheck disable=SC2086
		expect 3 accord -C "$C" $args --strict
	done
	# 3. report
	# a finding on bytes that are no entry has no entry id: null, and the report still validates
	expect 0 accord -C "$C" report --format json
	echo "$OUT" >"$CK/report.json"
	equal "$(jtry 'd["verification"]["status"]' <"$CK/report.json")" partial "$n: report is partial"
	equal "$(jtry '"\n".join(sorted(f["kind"] + " " + f["commit"] for f in d["verification"]["findings"] if f.get("commit")))' <"$CK/report.json")" \
		"$(cat "$CK/findings")" "$n: report's findings are audit's (kind, commit)"
	# from_commit is the first commit of the chain left out (not "last seq + 1", which
	# is wrong when a seq skips or entries are reordered)
	equal "$(jtry '"\n".join(sorted(x["feed"] + " " + (x["from_commit"] or "null") for x in d["verification"]["excluded"]))' <"$CK/report.json")" \
		"$(cat "$CK/excluded")" "$n: report excludes each feed from audit's first commit left out"
	# 4-6. entries set aside by a rule travel (the author's signed words, which other
	# copies need as deps): sync, the hook and clone carry them, and set them aside
	if [ "${ASIDE:-0}" = 1 ]; then
		travels "$n"
	else
		refused "$n"
	fi
	writes "$n"
}

# travels NAME: sync, the hook and clone carry the feeds whole, and each copy sets
# the same entries aside and counts the same ones.
travels() {
	n=$1
	rm -rf "$T/copy.git"
	cp -r "$EARLY" "$T/copy.git"
	git -C "$T/copy.git" remote add hub "$C"
	git -C "$T/copy.git" config remote.hub.fetch '+refs/accord/*:refs/quarantine/hub/*'
	expect 0 accord -C "$T/copy.git" sync --json --no-checkpoint hub
	equal "$(heads "$T/copy.git")" "$(heads "$C")" "$n: sync carries the entries set aside"
	rm -rf "$T/hub.git"
	cp -r "$EHUB" "$T/hub.git"
	expect 0 git -C "$C" push "$T/hub.git" 'refs/accord/feeds/*:refs/accord/feeds/*' 'refs/accord/evidence/*:refs/accord/evidence/*'
	equal "$(heads "$T/hub.git")" "$(heads "$C")" "$n: the hook takes the entries set aside"
	rm -rf "$T/clone.git"
	expect 0 accord clone "$C" "$T/clone.git"
	equal "$(heads "$T/clone.git")" "$(heads "$C")" "$n: clone carries the entries set aside"
	for r in "$T/copy.git" "$T/hub.git" "$T/clone.git"; do
		OUT=$(accord -C "$r" audit --json --no-record 2>&1)
		equal "$(echo "$OUT" | jget '" ".join(sorted(set(f["kind"] for f in d["findings"])))')" "" "$n: $(basename "$r")'s audit is clean"
		contains " $(echo "$OUT" | jget '" ".join(f["kind"] + ":" + (f["commit"] or "") for f in d["set_aside"])') " \
			" $KIND:$BAD " "$n: $(basename "$r") sets the bad commit aside as $KIND"
		equal "$(accord -C "$r" log --json 2>/dev/null | jget '" ".join(e["commit"] for e in d)' | sorted)" "$(cat "$CK/commits")" \
			"$n: $(basename "$r") counts the same entries"
	done
}

# refused NAME: sync, the hook and clone keep what does not count out of the refs.
refused() {
	n=$1
	# 4. sync: an older clean copy from an unhooked hub holding the hostile refs
	rm -rf "$T/copy.git"
	cp -r "$EARLY" "$T/copy.git"
	git -C "$T/copy.git" remote add hub "$C"
	git -C "$T/copy.git" config remote.hub.fetch '+refs/accord/*:refs/quarantine/hub/*'
	expect 3 accord -C "$T/copy.git" sync --json --no-checkpoint hub
	equal "$(heads "$T/copy.git")" "$(want_heads)" "$n: sync takes each feed up to its last commit that counts"
	# sync names the first commit refused in chain order
	contains "$(echo "$OUT" | jtry '" ".join(r.get("entry") or "" for r in d["remotes"][0]["refused"])')" "$BAD" "$n: sync names the bad commit"
	equal "$(echo "$OUT" | jtry '" ".join(r["feed"] for r in d["remotes"][0]["refused"])' | sorted | uniq)" \
		"$(awk '$3 != "-" { print $1 }' "$CK/feeds")" "$n: sync refuses exactly the feeds audit breaks"
	# 5. the hook: the hostile feeds pushed to a hooked hub with the clean history
	rm -rf "$T/hub.git"
	cp -r "$EHUB" "$T/hub.git"
	BEFORE=$(refs "$T/hub.git")
	expect 1 git -C "$C" push "$T/hub.git" 'refs/accord/feeds/*:refs/accord/feeds/*' 'refs/accord/evidence/*:refs/accord/evidence/*'
	contains "$ERR" "refs/accord/feeds/$BADFEED: " "$n: the hook names the bad entry's feed"
	# the hook and clone name the first entry refused in chain order, with its kind
	contains "$ERR" "$KIND at seq $(echo "$BADSEQ" | sed 's/null//')" "$n: the hook names the bad entry's kind and seq"
	# the hook names the refused entry's commit
	contains "$ERR" "$(echo "$BAD" | cut -c1-12)" "$n: the hook names the bad commit"
	equal "$(refs "$T/hub.git")" "$BEFORE" "$n: the refused push changed nothing on the hub"
	set --
	for l in $(want_heads | tr ' ' ':'); do set -- "$@" "${l#*:}:refs/accord/feeds/${l%%:*}"; done
	expect 0 git -C "$C" push "$T/hub.git" "$@"
	equal "$(heads "$T/hub.git")" "$(want_heads)" "$n: the hook accepts every entry that counts"
	# 6. clone of the hostile hub
	rm -rf "$T/clone.git"
	expect 0 accord clone "$C" "$T/clone.git"
	contains "$ERR" "left out from feed $BADFEED" "$n: clone names the feed it left out"
	contains "$ERR" "$KIND at seq $(echo "$BADSEQ" | sed 's/null//')" "$n: clone names the bad entry's kind and seq"
	equal "$(heads "$T/clone.git")" "$(want_heads)" "$n: the clone's feeds are what counts"
	equal "$(git -C "$T/clone.git" config accord.ledger)" "$LEDGER" "$n: the clone is of this ledger"
	OUT=$(accord -C "$T/clone.git" audit --json --no-record 2>&1)
	equal "$(echo "$OUT" | jget '" ".join(sorted(set(f["kind"] for f in d["findings"])))')" "" "$n: the clone's audit is clean"
	# the clone carries only what counts; given the feeds of the pending entries too (as a
	# hub serving them would), it holds the same entries pending and counts the same ones
	if [ -s "$CK/pending" ]; then
		for c in $(awk '{ print $2 }' "$CK/pending"); do
			f=$(jget '[x["feed"] for x in d["findings"] if x["commit"] == "'"$c"'"][0]' <"$CK/audit.json")
			git -C "$T/clone.git" fetch -q "$C" "+refs/accord/feeds/$f:refs/accord/feeds/$f"
		done
		OUT=$(accord -C "$T/clone.git" audit --json --no-record 2>&1)
		equal "$(echo "$OUT" | jget '"\n".join(sorted(f["kind"] + " " + f["commit"] for f in d["set_aside"]))')" "$(cat "$CK/pending")" \
			"$n: the clone holds the same entries pending"
		equal "$(accord -C "$T/clone.git" log --json 2>/dev/null | jget '" ".join(e["commit"] for e in d)' | sorted)" "$(cat "$CK/commits")" \
			"$n: and counts the same entries"
	fi
}

writes() {
	n=$1
	# 7. writing: a key with entries that do not count may not write; others may
	for f in $(awk '$3 != "-" { print $1 }' "$CK/feeds"); do
		w=$(owner "$f")
		[ -n "$w" ] || continue
		BEFORE=$(refs "$C")
		expect 3 accord --home "$T/$w" -C "$C" note "$INC" "written on a broken feed"
		equal "$(refs "$C")" "$BEFORE" "$n: $w's refused write changed nothing"
	done
	for w in gina alice bob; do
		f=$(kid_of "$w")
		grep -q "^$f .* -$" "$CK/feeds" || continue
		expect 0 accord --home "$T/$w" -C "$C" note "$INC" "written on an intact feed"
		break
	done
}
kid_of() { case $1 in alice) echo "$ALICE" ;; bob) echo "$BOB" ;; gina) echo "$GINA" ;; esac; }

CASES="entry_modified wrong_signer entry_missing reordered unsigned extra_header tree committer_time
commit_identity commit_name
armor_rewrapped sig_sha256 malformed duplicate_key unknown_field unknown_type schema_violation unknown_key
revoked_key revoked_backdated foreign_ledger time_backwards bad_cosign chain_broken wrong_feed
not_authorized invalid_utf8 oversize sig_first garbage_commit"
for c in ${VERDICT_CASES:-$CASES}; do
	case $c in false_checkpoint | equivocation) continue ;; esac # below, on their own
	fresh
	BAD='' KIND='' ASIDE=0
	"case_$c"
	check "$c"
	echo "verdicts: $c: $(jget '" ".join("%s@%s" % (f["kind"], f["seq"]) for f in d["findings"])' <"$T/chk/audit.json"); $COUNT of $TOTAL entries count"
	if command -v "after_$c" >/dev/null; then "after_$c"; fi
done

# --- equivocation (TRUST.md attack 2): bob signs a second seq 2, kept as evidence.
# It is no bad commit on a feed: bob's seq 2 on the feed, which others depend on,
# still counts; the forged side, which nobody depends on, is set aside as forked
# and travels. Every path and copy agrees, and the proof travels with sync and
# the hook.
equivocation() {
	fresh
	case_equivocation
	expect 3 accord -C "$C" audit --json --no-record
	equal "$(echo "$OUT" | jget '" ".join(f["kind"] + ":" + f["commit"] for f in d["findings"])')" "equivocation:$BAD" \
		"equivocation: the one fault names bob's seq 2 on the feed"
	equal "$(echo "$OUT" | jget '" ".join(f["kind"] + ":" + f["commit"] for f in d["set_aside"])')" "forked:$FORK" \
		"equivocation: the side nobody depends on is set aside"
	AUDIT=$(echo "$OUT" | jget '"\n".join(sorted(f["kind"] + " " + f["commit"] for f in d["findings"] + d["set_aside"]))')
	expect 0 accord -C "$C" log --json
	LOG=$(echo "$OUT" | jget '" ".join(e["commit"] for e in d)' | sorted)
	case " $(echo $LOG) " in *" $BAD "*) ok ;; *) bad "equivocation: log leaves out bob's seq 2, which others depend on" ;; esac
	case " $(echo $LOG) " in *" $FORK "*) bad "equivocation: log shows the forged side" ;; *) ok ;; esac
	# the proof travels with sync: a full copy that holds bob's seq 2 takes it and judges alike
	rm -rf "$T/full.git"
	cp -r "$B" "$T/full.git"
	git -C "$T/full.git" remote add hub "$C"
	git -C "$T/full.git" config remote.hub.fetch '+refs/accord/*:refs/quarantine/hub/*'
	expect 3 accord -C "$T/full.git" sync --json --no-checkpoint hub
	equal "$(echo "$OUT" | jtry '" ".join(e["feed"] for e in d["remotes"][0]["evidence"])')" "$BOB" "equivocation: sync reports it"
	equal "$(git -C "$T/full.git" for-each-ref --format='%(refname)' refs/accord/evidence/)" "refs/accord/evidence/$BOB/$FORK" "equivocation: the proof travels with sync"
	expect 3 accord -C "$T/full.git" audit --json --no-record
	equal "$(echo "$OUT" | jget '"\n".join(sorted(f["kind"] + " " + f["commit"] for f in d["findings"] + d["set_aside"]))')" "$AUDIT" \
		"equivocation: the copy that got the proof finds the same"
	expect 0 accord -C "$T/full.git" log --json
	equal "$(echo "$OUT" | jget '" ".join(e["commit"] for e in d)' | sorted)" "$LOG" "equivocation: both copies show the same entries"
	# the hook keeps the proof and the set-aside side; the hub then judges alike
	rm -rf "$T/hub.git" && cp -r "$EHUB" "$T/hub.git"
	expect 0 git -C "$C" push "$T/hub.git" 'refs/accord/feeds/*:refs/accord/feeds/*' 'refs/accord/evidence/*:refs/accord/evidence/*'
	expect 3 accord -C "$T/hub.git" audit --json --no-record
	equal "$(echo "$OUT" | jget '"\n".join(sorted(f["kind"] + " " + f["commit"] for f in d["findings"] + d["set_aside"]))')" "$AUDIT" \
		"equivocation: the hub finds the same"
}
case " ${VERDICT_CASES:-equivocation} " in *" equivocation "*) equivocation ;; esac

# --- a lying checkpoint (issue 12, item 5): gina signs a checkpoint naming, for
# alice's feed at seq 3, an entry alice never signed. The finding belongs to the
# checkpoint's author; alice's honest feed must not be framed, and every path must
# leave the checkpoint out alike.
false_checkpoint() {
	fresh
	LIE=$(forge entry "$C" "$T/gina.ssh" --type checkpoint \
		--body "{\"heads\":[{\"feed\":\"$ALICE\",\"seq\":3,\"hash\":\"$(printf fake | sha256sum | cut -c1-64)\"}]}")
	expect 3 accord -C "$C" audit --json --no-record
	AUDIT=$(echo "$OUT" | jget '"\n".join(sorted(f["kind"] + " " + f["commit"] for f in d["findings"] if f["commit"]))')
	# the finding is against the lying checkpoint, never against alice's honest feed
	equal "$(echo "$OUT" | jget '" ".join(sorted(set(f["commit"] for f in d["findings"])))')" "$LIE" "false checkpoint: audit's finding names the checkpoint"
	equal "$(echo "$OUT" | jget '[f["verified"] for f in d["feeds"] if f["feed"] == "'"$ALICE"'"][0]')" 9 "false checkpoint: alice's feed still counts"
	# the lying checkpoint counts on no path (not shown, not pushed, not cloned)
	expect 0 accord -C "$C" log --json
	case " $(echo "$OUT" | jget '" ".join(e["commit"] for e in d)') " in *" $LIE "*) bad "false checkpoint: log shows the lying checkpoint" ;; *) ok ;; esac
	# report lists audit's findings
	expect 0 accord -C "$C" report --format json
	equal "$(echo "$OUT" | jget '"\n".join(sorted(f["kind"] + " " + f["commit"] for f in d["verification"]["findings"] if f.get("commit")))')" "$AUDIT" "false checkpoint: report's findings are audit's"
	rm -rf "$T/hub.git" && cp -r "$EHUB" "$T/hub.git"
	expect 1 git -C "$C" push "$T/hub.git" 'refs/accord/feeds/*:refs/accord/feeds/*'
	rm -rf "$T/clone.git"
	expect 0 accord clone "$C" "$T/clone.git"
	expect 0 accord -C "$T/clone.git" audit --no-record
}
case " ${VERDICT_CASES:-false_checkpoint} " in *" false_checkpoint "*) false_checkpoint ;; esac

finish

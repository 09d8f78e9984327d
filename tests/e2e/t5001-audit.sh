# accord audit (issue 5): every kind of tampering, made with stock git
# plumbing and ssh-keygen signatures (tests/e2e/forge/forge.py), is found and
# named; clean ledgers of several parties audit clean.
. "$(dirname "$0")/lib.sh"
FORGE="/usr/bin/python3 $(cd "$(dirname "$0")" && pwd)/forge/forge.py"
forge() { $FORGE "$@" || bad "forge $*"; }
EMPTY=4b825dc642cb6eb9a060e54bf8d69288fbee4904

# --- a ledger of two parties: acme (alice root, bob, carol revoked) and globex (gina)
for k in alice bob carol gina; do newkey $k; done
pub() { accord --home "$T/$1" key show | tail -1; }
kid() { accord --home "$T/$1" key show --json | jget 'd["id"]'; }
ALICE=$(kid alice) BOB=$(kid bob) CAROL=$(kid carol) GINA=$(kid gina)
B="$T/base"
git init -q "$B"
expect 0 accord --home "$T/alice" -C "$B" init --party acme --title "acme and globex"
expect 0 accord --home "$T/alice" -C "$B" member add --key "$(pub bob)" --name bob
expect 0 accord --home "$T/alice" -C "$B" member add --key "$(pub carol)" --name carol
expect 0 accord --home "$T/alice" -C "$B" party invite globex --key "$(pub gina)"
expect 0 accord --home "$T/gina" -C "$B" party accept globex
expect 0 accord --home "$T/alice" -C "$B" open --title "Card payments failing" --severity 2 \
	--service payments --started 2026-11-20T10:00:00Z --parties acme,globex
INC=$OUT
expect 0 accord --home "$T/bob" -C "$B" note "$INC" "gateway timeouts"
expect 0 accord --home "$T/carol" -C "$B" note "$INC" "carol was here"
expect 0 accord --home "$T/alice" -C "$B" member revoke carol
expect 0 accord --home "$T/gina" -C "$B" note "$INC" "our certificate expired"
expect 0 accord --home "$T/alice" -C "$B" status "$INC" resolved
expect 0 accord --home "$T/alice" -C "$B" resolve "$INC" --summary "cert renewed" --factor "no expiry monitoring"
expect 0 accord --home "$T/gina" -C "$B" cosign "$INC"
INCID=$(git -C "$B" log --format=%B -1 "refs/accord/feeds/$BOB" | jget 'd["incident"]')
for k in alice bob carol gina; do forge sshkey "$T/$k" "$T/$k.ssh"; done
ssh-keygen -q -t ed25519 -N '' -C mallory -f "$T/mallory"
MALLORY=$($FORGE keyid "$T/mallory.pub" | cut -d' ' -f2)
# gina witnesses what she verified: a checkpoint naming every feed's head
heads() {
	git -C "$1" for-each-ref --format='%(refname:strip=3) %(objectname)' refs/accord/feeds/ |
		while read -r f c; do git -C "$1" cat-file commit "$c" | sed '1,/^$/d' |
			/usr/bin/python3 -c 'import sys,json,hashlib; b=sys.stdin.buffer.read(); print(json.dumps({"feed":sys.argv[1],"seq":json.loads(b)["seq"],"hash":hashlib.sha256(b).hexdigest()}))' "$f"; done |
		paste -sd, -
}
forge entry "$B" "$T/gina.ssh" --type checkpoint --body "{\"heads\":[$(heads "$B")],\"remote\":\"hub\"}" >/dev/null

# --- no false positives: the clean ledger of several parties
expect 0 accord -C "$B" audit
contains "$OUT" "CLEAN: 14 of 14 entries verified in 4 feeds" "clean summary"
contains "$OUT" "acme " "parties listed"
contains "$OUT" "carol@acme" "members listed"
contains "$OUT" "revoked 20" "revocation shown"
contains "$OUT" "Period:" "period covered"
contains "$OUT" "witnessed to seq" "checkpoint shown"
test -s "$B/.git/accord/verified-heads" && ok || bad "clean audit records the verified heads"
equal "$(grep -c "^$ALICE 8 " "$B/.git/accord/verified-heads")" 1 "alice's head recorded"
expect 0 accord -C "$B" audit --json
equal "$(echo "$OUT" | jget 'd["clean"]')" true "json clean"
equal "$(echo "$OUT" | jget 'd["totals"]["verified"]')" 14 "json verified"
equal "$(echo "$OUT" | jget 'd["record"]["compared"]')" true "record compared"
equal "$(echo "$OUT" | jget '[f["verified"] for f in d["feeds"] if f["feed"]=="'"$ALICE"'"][0]')" 8 "per-feed totals"
equal "$(echo "$OUT" | jget '[m["role"] for m in d["members"]]')" '["root", "member", "member", "root"]' "member roles"
echo "$OUT" > "$T/clean.json"
expect 2 accord -C "$B" audit --format yaml
expect 2 accord -C "$B" audit --tolerance soon
expect 1 accord -C "$T/nothing" audit

# A tampered copy of the base ledger for each case.
C="$T/case"
# Each case's writers start on machines that never wrote (new_machines): the
# copy replays the base, whose later seqs an earlier case's key home signed.
fresh() { new_machines; rm -rf "$C"; cp -a "$B" "$C"; }
# found KIND LABEL: audit exits 3 and names KIND among its findings.
found() {
	expect 3 accord -C "$C" audit --json --no-record
	KINDS=" $(echo "$OUT" | jget '" ".join(sorted(set(f["kind"] for f in d["findings"] + d["set_aside"])))') "
	contains "$KINDS" " $1 " "$2"
	echo "$OUT" > "$T/last.json"
}
# aside KIND NAME: entries set aside by a rule are listed apart, and the audit exits 0
aside() {
	expect 0 accord -C "$C" audit --json --no-record
	equal "$(echo "$OUT" | jget '" ".join(sorted(set(f["kind"] for f in d["set_aside"])))')" "$1" "$2: set aside"
	equal "$(echo "$OUT" | jget '" ".join(f["kind"] for f in d["findings"])')" "" "$2: no fault"
	equal "$(echo "$OUT" | jget 'd["clean"]')" true "$2: clean"
	expect 0 accord -C "$C" audit --no-record
	contains "$OUT" "Set aside by rule (" "$2: the text report has a section for it"
	contains "$OUT" "set aside by rule" "$2: the result line counts it"
}
tip() { git -C "$C" rev-parse "refs/accord/feeds/$1${2:-}"; }
msgof() { git -C "$C" cat-file commit "$1" | sed '1,/^$/d'; }

# (1) entry bytes changed: alice's status entry (seq 7), its signature kept;
# seq 8 re-parented onto it with plumbing, its signature kept too.
fresh
msgof "$(tip "$ALICE" ~1)" | sed 's/"resolved"/"mitigated"/' | tr -d '\n' > "$T/m"
X7=$(forge recommit "$C" "$(tip "$ALICE" ~1)" --message "$T/m")
X8=$(forge recommit "$C" "$(tip "$ALICE")" --parent "$X7")
git -C "$C" update-ref "refs/accord/feeds/$ALICE" "$X8"
found entry-modified "(1) entry bytes changed"
contains "$KINDS" " signature-mismatch " "(1) the re-parented commit no longer matches its signature"
equal "$(jget '[f["seq"] for f in d["findings"] if f["kind"]=="entry-modified"]' < "$T/last.json")" "[7]" "(1) the modified entry is named"
# ... and the head entry (the proposal), caught by the record of verified heads;
# gina's cosign now names a proposal that is not there: (10) altered proposal.
fresh
msgof "$(tip "$ALICE")" | sed 's/cert renewed/nothing happened/' | tr -d '\n' > "$T/m"
git -C "$C" update-ref "refs/accord/feeds/$ALICE" "$(forge recommit "$C" "$(tip "$ALICE")" --message "$T/m")"
found entry-modified "(1) head entry changed, proven by the record"
# format 2: the cosign depends on the proposal's true bytes, which this copy no longer holds
contains "$KINDS" " pending " "(10) cosign of an altered proposal: pending on the proposal it saw"
# the text report groups findings by kind and names commit, entry and party
expect 3 accord -C "$C" audit --no-record
contains "$OUT" "entry-modified (1): entry bytes changed" "text groups by kind"
contains "$OUT" "feed $ALICE (alice@acme) seq 8, commit" "text names feed, party, seq and commit"

# (2) signature by a different key: bob's note re-signed by mallory with stock git.
fresh
msgof "$(tip "$BOB")" | tr -d '\n' > "$T/m"
WHEN=$(git -C "$C" log -1 --format=%ct "$(tip "$BOB")")
X=$(cd "$C" && GIT_COMMITTER_DATE="@$WHEN +0000" GIT_AUTHOR_DATE="@$WHEN +0000" \
	git -c gpg.format=ssh -c user.signingKey="$T/mallory" commit-tree -S $EMPTY -F "$T/m")
git -C "$C" update-ref "refs/accord/feeds/$BOB" "$X"
found wrong-signer "(2) signature by a different key"
contains "$(jget '[f["explanation"] for f in d["findings"] if f["kind"]=="wrong-signer"][0]' < "$T/last.json")" "$MALLORY" "(2) names the signing key"

# (3) an entry removed from the middle: alice drops her seq 7 and re-signs seq 8.
fresh
X=$(forge recommit "$C" "$(tip "$ALICE")" --parent "$(tip "$ALICE" ~2)" --key "$T/alice.ssh")
git -C "$C" update-ref "refs/accord/feeds/$ALICE" "$X"
found entry-missing "(3) entry removed from the middle"

# (4) entries reordered: seq 7 and 8 swapped, re-signed by alice.
fresh
Y8=$(forge recommit "$C" "$(tip "$ALICE")" --parent "$(tip "$ALICE" ~2)" --key "$T/alice.ssh")
Y7=$(forge recommit "$C" "$(tip "$ALICE" ~1)" --parent "$Y8" --key "$T/alice.ssh")
git -C "$C" update-ref "refs/accord/feeds/$ALICE" "$Y7"
found reordered "(4) entries reordered"

# (5) a feed truncated or rolled back against the verified heads.
fresh
git -C "$C" update-ref "refs/accord/feeds/$ALICE" "$(tip "$ALICE" ~3)"
found rollback "(5) feed truncated"
fresh
git -C "$C" update-ref -d "refs/accord/feeds/$BOB"
found rollback "(5) feed deleted"
fresh
rm "$C/.git/accord/verified-heads"
git -C "$C" update-ref "refs/accord/feeds/$GINA" "$(tip "$GINA" ~1)"
expect 0 accord -C "$C" audit --no-record
equal "$(echo "$OUT" | grep -c Result:.*CLEAN)" 1 "(5) without a record, a shorter feed is not provable"

# (6) equivocation: bob signs a second seq 2, kept as evidence under refs/accord/evidence/.
fresh
forge entry "$C" "$T/bob.ssh" --type note --incident "$INCID" --body '{"text":"another story"}' \
	--seq 1 --prev null --parent none --ref "refs/accord/evidence/$BOB/fork" >/dev/null
FORK=$(git -C "$C" rev-parse "refs/accord/evidence/$BOB/fork")
git -C "$C" update-ref -d "refs/accord/evidence/$BOB/fork"
git -C "$C" update-ref "refs/accord/evidence/$BOB/$FORK" "$FORK"
found equivocation "(6) equivocation"
equal "$(jget '[f["ref"] for f in d["findings"] if f["kind"]=="equivocation"][0]' < "$T/last.json")" "refs/accord/evidence/$BOB/$FORK" "(6) names the evidence"
expect 3 accord -C "$C" audit --no-record
contains "$(printf '%s' "$OUT" | tr -s ' \n' '  ')" "evidence refs (1 commit)," "(6) one evidence commit, in the singular"
# evidence under a name that is not its commit proves nothing, and is named as outside the layout
fresh
git -C "$C" update-ref "refs/accord/evidence/$BOB/$(tip "$GINA")" "$(tip "$BOB")"
found unknown-ref "(6) misnamed evidence is reported"
# evidence from another ledger (bob's own seq 1 there, planted by a hub operator) frames nobody
fresh
OTHERL=$(printf other | sha256sum | cut -c1-64)
ALIEN=$(forge entry "$C" "$T/bob.ssh" --type note --incident "$INCID" --ledger "$OTHERL" --body '{"text":"elsewhere"}' \
	--seq 1 --prev null --parent none --ref "refs/accord/evidence/$BOB/x")
git -C "$C" update-ref -d "refs/accord/evidence/$BOB/x"
git -C "$C" update-ref "refs/accord/evidence/$BOB/$ALIEN" "$ALIEN"
found foreign-ledger "(6) evidence of another ledger is reported"
equal "$(jget '[f["kind"] for f in d["findings"]]' < "$T/last.json")" '["foreign-ledger"]' "(6) and proves no equivocation"
equal "$(jget '[f["verified"] == f["entries"] for f in d["feeds"] if f["feed"] == "'"$BOB"'"]' < "$T/last.json")" '[true]' "(6) bob's feed still counts in full"
# a Lamport clock near 2^53 would leave no clock for anyone's next entry: it does not count
fresh
forge entry "$C" "$T/bob.ssh" --type note --incident "$INCID" --lamport 9007199254740991 >/dev/null
found chain-broken "a Lamport clock beyond 2^48"
expect 0 accord --home "$T/alice" -C "$C" note "$INCID" "still writing"
# evidence that matches the feed is no finding
fresh
git -C "$C" update-ref "refs/accord/evidence/$BOB/$(tip "$BOB")" "$(tip "$BOB")"
expect 0 accord -C "$C" audit --no-record

# (7) a feed replayed from another ledger, fetched with plain git.
newkey zed
git init -q "$T/other"
expect 0 accord --home "$T/zed" -C "$T/other" init --party other
expect 0 accord --home "$T/zed" -C "$T/other" open --title x --severity 4 --service y
fresh
git -C "$C" fetch -q "$T/other" 'refs/accord/feeds/*:refs/accord/feeds/*'
found foreign-ledger "(7) feed replayed from another ledger"
# ... and one entry naming another ledger, signed by alice
fresh
forge entry "$C" "$T/alice.ssh" --type note --incident "$INCID" --ledger "$(git -C "$T/other" config accord.ledger)" >/dev/null
found foreign-ledger "(7) entry of another ledger"

# (8) a key of no party writes into its own feed.
fresh
forge entry "$C" "$T/mallory" --type note --incident "$INCID" --body '{"text":"trust me"}' >/dev/null
found unknown-key "(8) key of no party"

# (9) carol, revoked, signs a note after her revocation.
fresh
forge entry "$C" "$T/carol.ssh" --type note --incident "$INCID" --body '{"text":"still here"}' >/dev/null
aside revoked-key "(9) revoked key signing after revocation"
# ... also when she orders it before the revocation with a low Lamport clock
fresh
forge entry "$C" "$T/carol.ssh" --type note --incident "$INCID" --body '{"text":"backdated"}' --lamport 9 --time "$(($(date +%s) + 3600))" >/dev/null
found chain-broken "(9) a chosen low Lamport clock is refused: the clock is derived from prev and deps"
# ... and written without having seen the revocation (no deps): past her cut, set aside
fresh
forge entry "$C" "$T/carol.ssh" --type note --incident "$INCID" --body '{"text":"unseen"}' --deps none >/dev/null
aside past-cut "(9) an entry beyond the cut is set aside, whatever its clock"

# (10) a cosign naming a proposal that does not exist.
fresh
forge entry "$C" "$T/gina.ssh" --type cosign --incident "$INCID" \
	--body '{"proposal":"0000000000000000000000000000000000000000000000000000000000000000"}' >/dev/null
found bad-cosign "(10) cosign of a missing proposal"

# (11) not an entry, though correctly signed by alice.
for m in truncate utf8 dupkey oversize; do
	fresh
	forge entry "$C" "$T/alice.ssh" --type note --incident "$INCID" --mangle $m >/dev/null
	found malformed-entry "(11) malformed entry: $m"
done

# (12) an unknown type, and an unknown (blame) field.
fresh
forge entry "$C" "$T/alice.ssh" --type BLAME --incident "$INCID" --body '{"party":"globex"}' >/dev/null
found unknown-type "(12) a type that is no type name"
# a type a newer accord writes, with a good envelope, is kept and verified, not interpreted
fresh
forge entry "$C" "$T/alice.ssh" --type blame --incident "$INCID" --body '{"party":"globex"}' >/dev/null
expect 0 accord -C "$C" audit --json --no-record
equal "$(echo "$OUT" | jget 'd["totals"]["verified"]')" 15 "(12) an entry of a newer type counts"
fresh
forge entry "$C" "$T/alice.ssh" --type note --incident "$INCID" --body '{"text":"x","blame":"globex"}' >/dev/null
found unknown-field "(12) unknown field"

# (13) a commit whose signature and entry do not match: alice's head wears seq 7's signature.
fresh
X=$(forge recommit "$C" "$(tip "$ALICE")" --sig-from "$(tip "$ALICE" ~1)")
git -C "$C" update-ref "refs/accord/feeds/$ALICE" "$X"
found signature-mismatch "(13) signature and entry do not match"
case "$KINDS" in *" entry-modified "*) bad "(13) the entry bytes are intact" ;; *) ok ;; esac

# (14) refs injected under refs/accord/: a branch-like ref, a tag object, a bad feed name.
fresh
git -C "$C" update-ref refs/accord/blame "$(tip "$BOB")"
TAG=$(printf 'object %s\ntype commit\ntag v1\ntagger x <x@x> 1700000000 +0000\n\nv1\n' "$(tip "$BOB")" | git -C "$C" mktag)
git -C "$C" update-ref refs/accord/tags/v1 "$TAG"
git -C "$C" update-ref refs/accord/feeds/NOT-A-KEY "$(tip "$BOB")"
found unknown-ref "(14) unknown refs"
equal "$(jget 'sorted(f["ref"] for f in d["findings"] if f["kind"]=="unknown-ref")' < "$T/last.json")" \
	'["refs/accord/blame", "refs/accord/feeds/NOT-A-KEY", "refs/accord/tags/v1"]' "(14) every injected ref named"

# --- witnessing: a checkpoint that names another entry than the feed's signed
# one, with no proof that the feed forked, is false: the finding is against
# its author, never against the honest feed
fresh
FAKE=$(printf fake | sha256sum | cut -c1-64)
forge entry "$C" "$T/gina.ssh" --type checkpoint --body "{\"heads\":[{\"feed\":\"$ALICE\",\"seq\":3,\"hash\":\"$FAKE\"}]}" >/dev/null
found false-checkpoint "a lying checkpoint is a finding"
equal "$(jget '[f["feed"] for f in d["findings"]]' < "$T/last.json")" "[\"$GINA\"]" "against the checkpoint's author"
equal "$(jget 'sorted(f["feed"] for f in d["feeds"] if f["verified"] != f["entries"])' < "$T/last.json")" "[\"$GINA\"]" "only the liar's feed is cut"
# a claim beyond the checkpoint's own causal past (a seq of bob it does not
# depend on, a head not written yet) is false at once, on every copy, against
# its author: not "lag" that turns false later, when bob writes that seq and
# whatever depended on the checkpoint would be left pending for ever
fresh
forge entry "$C" "$T/gina.ssh" --type checkpoint --body "{\"heads\":[{\"feed\":\"$BOB\",\"seq\":9,\"hash\":\"$FAKE\"}]}" >/dev/null
found false-checkpoint "a claim beyond its causal past is false"
equal "$(jget '[f["feed"] for f in d["findings"]]' < "$T/last.json")" "[\"$GINA\"]" "claim beyond: against the checkpoint's author"
contains "$(jget '[f["explanation"] for f in d["findings"]][0]' < "$T/last.json")" "not in its causal past" "claim beyond: says why"
# a witness that is ahead of this copy depends on what it claims: pending here
# (its deps are missing), never false, and it counts once they arrive. But the
# copy is provably incomplete: not clean (explore60c 01), the missing entry named
# as the head the checkpoint claims
fresh
MISSING=$(printf missing | sha256sum | cut -c1-64)
forge entry "$C" "$T/gina.ssh" --type checkpoint --deps "$MISSING" --body "{\"heads\":[{\"feed\":\"$BOB\",\"seq\":9,\"hash\":\"$MISSING\"}]}" >/dev/null
expect 3 accord -C "$C" audit --json --no-record
equal "$(echo "$OUT" | jget '" ".join(sorted(set(f["kind"] for f in d["set_aside"])))')" pending "a witness ahead: set aside as pending"
equal "$(echo "$OUT" | jget '" ".join("%s %s %s %s" % (f["kind"], f["feed"], f["seq"], f["entry"]) for f in d["findings"])')" \
	"entry-missing None None $MISSING" "a witness ahead: the missing entry is a fault, set against no feed"
contains "$(echo "$OUT" | jget 'd["findings"][0]["explanation"]')" "names it as seq 9 of feed $BOB" "a witness ahead: the checkpoint's claim is told"
equal "$(echo "$OUT" | jget 'd["clean"]')" false "a witness ahead: not clean"
contains "$(echo "$OUT" | jget 'd["findings"][0]["explanation"]')" "cut back, deleted or withheld" "a witness ahead: says what may have happened"
# alice's feed cut back below her revocation of carol (a hub withholding it): what
# depended on it proves it exists, so the audit of a copy that never saw it (no
# record of a previous audit here) is not clean
fresh
rm "$C/.git/accord/verified-heads"
git -C "$C" update-ref "refs/accord/feeds/$ALICE" "$(tip "$ALICE" ~3)"
expect 3 accord -C "$C" audit --json --no-record
# gina's note depends on the revocation (seq 6), which no checkpoint names; her
# checkpoint and cosign on alice's seq 8, which hers names
equal "$(echo "$OUT" | jget '" | ".join(sorted("%s %s %s" % (f["kind"], f["feed"], f["seq"]) for f in d["findings"]))')" \
	"entry-missing None None | entry-missing None None" "cut back: two missing entries, set against no feed"
contains "$(echo "$OUT" | jget '" ".join(f["explanation"] for f in d["findings"])')" "names it as seq 8 of feed $ALICE" "cut back: gina's checkpoint names one as alice's seq 8"
contains "$(echo "$OUT" | jget '" ".join(f["explanation"] for f in d["findings"])')" "holds to seq 5 only" "cut back: says how far this copy holds the feed"
contains "$(echo "$OUT" | jget '" ".join(f["explanation"] for f in d["findings"])')" "deleted or withheld" "cut back: the other one says what may have happened"
expect 3 accord -C "$C" audit --no-record
contains "$OUT" "entry-missing" "cut back: the text report names it"
# alice rewrites her own last entry (signed, another body): the checkpoint names the original
fresh
rm "$C/.git/accord/verified-heads"
git -C "$C" update-ref "refs/accord/feeds/$ALICE" "$(tip "$ALICE" ~1)"
forge entry "$C" "$T/alice.ssh" --type note --incident "$INCID" --body '{"text":"rewritten"}' >/dev/null
expect 3 accord -C "$C" audit --json --no-record
equal "$(echo "$OUT" | jget '" ".join(sorted(set("%s %s" % (f["kind"], f["feed"]) for f in d["findings"])))')" \
	"entry-missing None" "rewritten: entry-missing, set against no feed"
contains "$(echo "$OUT" | jget '" ".join(f["explanation"] for f in d["findings"])')" "names it as seq 8 of feed $ALICE" "rewritten: the checkpoint's claim is told"
contains "$(echo "$OUT" | jget '" ".join(f["explanation"] for f in d["findings"])')" "holds another signed entry there" "rewritten: says the feed holds another entry"

# --- timestamps running backwards: accord never writes one, so no reader's
# tolerance decides it; one second back is enough, and every path agrees
fresh
forge entry "$C" "$T/alice.ssh" --type note --incident "$INCID" --time "$(($(date +%s) - 3600))" >/dev/null
found time-backwards "time runs backwards by an hour"
expect 2 accord -C "$C" audit --no-record --tolerance 2h
expect 0 accord -C "$C" log
contains "$ERR" "time-backwards" "log says what it left out"
expect 3 accord -C "$C" log --strict

# --- it does not stop at the first problem: several kinds at once, all reported
fresh
git -C "$C" update-ref refs/accord/blame "$(tip "$BOB")"
forge entry "$C" "$T/mallory" --type note --incident "$INCID" >/dev/null
forge entry "$C" "$T/alice.ssh" --type BLAME --incident "$INCID" >/dev/null
found unknown-ref "several findings (1)"
contains "$KINDS" " unknown-key " "several findings (2)"
contains "$KINDS" " unknown-type " "several findings (3)"
equal "$(jget 'd["totals"]["verified"]' < "$T/last.json")" 14 "the intact entries still verify"

# --- concurrent activity: two copies append, then exchange feeds with plain git
fresh
rm -rf "$T/copy" && cp -a "$B" "$T/copy"
expect 0 accord --home "$T/alice" -C "$C" note "$INC" "alice, concurrently"
expect 0 accord --home "$T/gina" -C "$T/copy" note "$INC" "gina, concurrently"
expect 0 accord --home "$T/bob" -C "$T/copy" note "$INC" "bob, concurrently"
git -C "$C" fetch -q "$T/copy" "refs/accord/feeds/$GINA:refs/accord/feeds/$GINA" "refs/accord/feeds/$BOB:refs/accord/feeds/$BOB"
git -C "$T/copy" fetch -q "$C" "refs/accord/feeds/$ALICE:refs/accord/feeds/$ALICE"
expect 0 accord -C "$C" audit
expect 0 accord -C "$T/copy" audit
forge entry "$C" "$T/gina.ssh" --type checkpoint --body "{\"heads\":[$(heads "$C")]}" >/dev/null
git -C "$T/copy" fetch -q "$C" "refs/accord/feeds/$GINA:refs/accord/feeds/$GINA"
expect 0 accord -C "$T/copy" audit --json
equal "$(echo "$OUT" | jget 'd["totals"]["findings"]')" 0 "merged copies audit clean, checkpoint included"

finish

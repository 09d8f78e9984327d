# The index is a cache the ledger owns and never trusts over the refs (issue 12,
# item 7): every hand edit of its files is caught and re-derived from the refs,
# so show, list, log and report agree with audit afterwards; and the append
# path refuses to write on a rolled-back feed with and without the cache.
. "$(dirname "$0")/lib.sh"
FORGE="/usr/bin/python3 $(cd "$(dirname "$0")" && pwd)/forge/forge.py"
forge() { $FORGE "$@" || bad "forge $*"; }

C="$T/ledger.git"
git init -q --bare "$C"
newkey alice; newkey carol
a() { accord --home "$T/alice" -C "$C" "$@"; }
expect 0 a init --party acme --title "index"
expect 0 a member add --key "$(accord --home "$T/carol" key show | tail -1)" --name carol
CAROL=$(accord --home "$T/carol" key show | head -1)
ALICE=$(accord --home "$T/alice" key show | head -1)
expect 0 a open --title "Card payments failing" --severity 2 --service payments
INC=$OUT
expect 0 accord --home "$T/carol" -C "$C" note "$INC" "on it"
INCID=$(git -C "$C" log --format=%B -1 "refs/accord/feeds/$CAROL" | jget 'd["incident"]')
expect 0 a member revoke "$CAROL" --reason "left"
# carol, revoked, still signs a note with stock ssh-keygen: set aside on every path
forge sshkey "$T/carol" "$T/carol.ssh"
forge entry "$C" "$T/carol.ssh" --type note --incident "$INCID" --body '{"text":"still here"}' >/dev/null
expect 0 a status "$INC" resolved
expect 0 a open --title "Search slow" --severity 3 --service search
INC2=$OUT

S="$C/accord/index/state"
# what counts, by audit (which never reads the index)
expect 0 accord -C "$C" audit --json --no-record
AUDIT_IDS=$(echo "$OUT" | jget '" ".join(sorted(f["entry"] for f in d["set_aside"]))')
equal "$(echo "$OUT" | jget '[f["kind"] for f in d["set_aside"]]')" '["revoked-key"]' "audit sets carol's late note aside"
LOG_WANT=$(accord -C "$C" log --json 2>/dev/null | jget '" ".join(sorted(e["id"] for e in d))')
expect 0 accord -C "$C" show "$INC" --json
SHOW_WANT=$(echo "$OUT" | jget '" ".join(sorted(e["id"] for e in d["timeline"]))')
LIST_WANT=$(accord -C "$C" list --json 2>/dev/null)
SHOW2_WANT=$(accord -C "$C" show "$INC2" --json 2>/dev/null | jget '" ".join(sorted(e["id"] for e in d["timeline"]))')
INCID2=$(echo "$LIST_WANT" | jget '[i["full_id"] for i in d if i["id"] == "'"$INC2"'"][0]')
IX="$C/accord/index"
# the bucket files that hold each incident's lines
FILE1="$IX/incidents/$(echo "$INCID" | cut -c1-2)/bucket-$(echo "$INCID" | cut -c3)"
FILE2="$IX/incidents/$(echo "$INCID2" | cut -c1-2)/bucket-$(echo "$INCID2" | cut -c3)"
if [ -f "$S" ]; then ok; else bad "no index state at $S"; fi
case " $SHOW_WANT " in *" $AUDIT_IDS "*) bad "show lists the set-aside note" ;; *) ok ;; esac

# agree LABEL: every reader shows what counts, as before any edit, and names what it left out
agree() {
	expect 0 accord -C "$C" show "$INC" --json
	equal "$(echo "$OUT" | jget '" ".join(sorted(e["id"] for e in d["timeline"]))')" "$SHOW_WANT" "$1: show"
	contains "$ERR" "revoked-key" "$1: show says what it left out"
	expect 0 accord -C "$C" show "$INC2" --json
	equal "$(echo "$OUT" | jget '" ".join(sorted(e["id"] for e in d["timeline"]))')" "$SHOW2_WANT" "$1: show the other incident"
	expect 0 accord -C "$C" list --json
	equal "$OUT" "$LIST_WANT" "$1: list"
	expect 0 accord -C "$C" log --json
	equal "$(echo "$OUT" | jget '" ".join(sorted(e["id"] for e in d))')" "$LOG_WANT" "$1: log"
	expect 0 accord -C "$C" report --format json
	equal "$(echo "$OUT" | jget '[f["kind"] for f in d["verification"]["findings"]]')" '["revoked-key"]' "$1: report"
	expect 0 accord -C "$C" member list --json
	equal "$(echo "$OUT" | jget '[m["active"] for m in d if m["member"] == "carol"]')" '[false]' "$1: carol stays revoked"
	expect 0 accord -C "$C" audit --json --no-record
	equal "$(echo "$OUT" | jget '" ".join(sorted(f["entry"] for f in d["set_aside"]))')" "$AUDIT_IDS" "$1: audit unchanged"
}
agree "untouched"
# an older copy of the whole index, every file authentic, for the replays below
cp -r "$IX" "$T/old-index"

# edit STATE-PYTHON: rewrite the state file line by line (w: the words of a line)
edit_state() {
	/usr/bin/python3 - "$S" "$1" <<'PY'
import sys
path, code = sys.argv[1:]
out = []
for l in open(path).read().split("\n"):
    w = l.split(" ")
    exec(code)
    if w is not None:
        out.append(" ".join(w))
open(path, "w").write("\n".join(out))
PY
}
# 1. un-revoke carol (her member line: revoked flag and time)
CPK=$(git -C "$C" cat-file commit "$(git -C "$C" rev-list --max-parents=0 "refs/accord/feeds/$CAROL")" | sed '1,/^$/d' | jget 'd["author"]')
# "member <pk> <name> <party> <root> <admin> <revoked> <added> <revoked_at> <cut> <valid_until> <accepted> <added_by>"
grep -q "^member $CPK [^ ]* [^ ]* [^ ]* [^ ]* 1 [^ ]* [1-9]" "$S" && ok || bad "carol is revoked in the state"
edit_state "if w[0] == 'member' and w[1] == '$CPK': w[6] = w[8] = '0'; w[9] = '9007199254740991'"
grep -q "^member $CPK [^ ]* [^ ]* [^ ]* [^ ]* 0 [^ ]* 0 9007199254740991 " "$S" && ok || bad "the edit did not un-revoke carol"
agree "un-revoked in state"
# 2. drop the finding line
edit_state "w = None if w[0] == 'finding' else w"
agree "finding dropped"
# 3. a recorded head moved to carol's set-aside note, and her feed counted further
CT=$(git -C "$C" rev-parse "refs/accord/feeds/$CAROL")
edit_state "w = ['feed', '$CAROL', '$CT'] + w[3:] if w[0] == 'feed' and w[1] == '$CAROL' else w"
agree "head changed"
# 4. the state truncated, the list of incidents truncated, an incident's bucket cut short
head -c 100 "$S" > "$S.cut" && mv "$S.cut" "$S"
agree "state truncated"
: > "$C/accord/index/opens"
agree "opens truncated"
F=$FILE1
head -n 3 "$F" > "$F.cut" && mv "$F.cut" "$F"
agree "incident's bucket cut short"
# 5. a bucket's entry lines dropped, its tag line recomputed as a plain checksum would be
grep -v '^e ' "$F" | grep -v '^mac ' > "$F.cut"
printf 'mac %s\n' "$(sha256sum < "$F.cut" | cut -c1-64)" >> "$F.cut" && mv "$F.cut" "$F"
agree "entry line dropped, checksum recomputed"
# 6. the bucket removed
rm -f "$F"
agree "incident's bucket removed"
# 7. an index copied from another repository of the same ledger (another path)
cp -r "$C" "$T/copy.git"
git -C "$T/copy.git" update-ref -d "refs/accord/feeds/$CAROL"
expect 0 accord -C "$T/copy.git" list
cp -r "$T/copy.git/accord/index/." "$C/accord/index/"
agree "index from another repository"

# 8. links planted in the index folder: a rebuild removes the links, never what they point at
mkdir -p "$T/outside/deep" && echo keep > "$T/outside/precious" && echo keep > "$T/outside/deep/file"
ln -s "$T/outside" "$C/accord/index/incidents/zz"
ln -s "$T/outside/precious" "$C/accord/index/link"
head -c 100 "$S" > "$S.cut" && mv "$S.cut" "$S"
agree "links planted, then a rebuild"
[ -f "$T/outside/precious" ] && [ -f "$T/outside/deep/file" ] && ok || bad "a rebuild followed a link out of the index"
[ -e "$C/accord/index/link" ] || [ -L "$C/accord/index/link" ] && bad "a rebuild left a planted link" || ok

# --- replays: older files this user's accord wrote, put back after the ledger moved on ---
expect 0 a note "$INC" "later"
expect 0 a open --title "Disk full" --severity 4 --service storage
expect 0 accord -C "$C" show "$INC" --json
SHOW_WANT=$(echo "$OUT" | jget '" ".join(sorted(e["id"] for e in d["timeline"]))')
LIST_WANT=$(accord -C "$C" list --json 2>/dev/null)
LOG_WANT=$(accord -C "$C" log --json 2>/dev/null | jget '" ".join(sorted(e["id"] for e in d))')
equal "$(echo "$SHOW_WANT" | wc -w)" "4" "the incident has its later note"
equal "$(echo "$LIST_WANT" | jget 'len(d)')" "3" "three incidents"
OLDIX="$T/old-index"
REL1=${FILE1#"$IX"/}
REL2=${FILE2#"$IX"/}
BUCKET1=$(dirname "$REL1")
# 9. an older copy of one incident's bucket (before its later note)
if [ -f "$OLDIX/$REL1" ] && [ -f "$OLDIX/$BUCKET1/shelf" ]; then ok; else bad "no bucket $REL1 or shelf in the index"; fi
cp "$OLDIX/$REL1" "$FILE1"
agree "older bucket file put back"
# 10. then its shelf, alone and then with its buckets
cp "$OLDIX/$BUCKET1/shelf" "$IX/$BUCKET1/shelf"
agree "older shelf file put back"
cp -r "$OLDIX/$BUCKET1/." "$IX/$BUCKET1/"
agree "older bucket folder put back"
# 11. an older opens list (before the third incident)
cp "$OLDIX/opens" "$IX/opens"
agree "older opens list put back"
# 12. an older state with today's files: caught up from the refs
cp "$OLDIX/state" "$IX/state"
agree "older state put back"
# 13. two incidents' buckets swapped (the same bucket once in 4,096 runs: nothing moves then)
cp "$FILE1" "$T/swap" && cp "$FILE2" "$FILE1" && cp "$T/swap" "$FILE2"
agree "buckets swapped"
# 14. the whole older index put back: consistent in itself, caught up from the refs
rm -rf "$IX" && cp -r "$OLDIX" "$IX"
agree "whole older index put back"

# --- the rollback guard on the append path, with and without the cache ---------------
OLD=$(git -C "$C" rev-parse "refs/accord/feeds/$ALICE")
expect 0 a note "$INC" "one more"
expect 0 a show "$INC" # the cache records how far alice's feed went
git -C "$C" update-ref "refs/accord/feeds/$ALICE" "$OLD"
BEFORE=$(refs "$C")
expect 3 a note "$INC" "after the rollback"
contains "$ERR" "rolled back" "with the cache: a rolled-back feed is not written on"
equal "$(refs "$C")" "$BEFORE" "with the cache: nothing written"
# no cache: a damaged cache key makes every open a full verification
HOMEKEY="$HOME/.config/accord/index.key"
AKEY="$T/alice/index.key"
echo damaged > "$AKEY"
expect 3 a note "$INC" "after the rollback, no cache"
contains "$ERR" "rolled back" "without the cache: a rolled-back feed is not written on"
equal "$(refs "$C")" "$BEFORE" "without the cache: nothing written"
rm -f "$AKEY"
[ -f "$HOMEKEY" ] && ok || bad "readers keep their cache key in their key home ($HOMEKEY)"

# --- a 64-character name, the longest the name rule allows, read back from the index -
C="$T/long.git"
git init -q --bare "$C"
LONG=$(printf 'n%.0s' $(seq 64))
newkey long64
expect 0 a init --party acme --title "long names"
expect 0 a member add --key "$(accord --home "$T/long64" key show | tail -1)" --name "$LONG"
expect 0 accord --home "$T/long64" -C "$C" open --title "a long name" --severity 3 --service s # accepts
names() { accord -C "$C" member list --json 2>/dev/null | jget 'sorted(m["member"] for m in d)'; }
rm -rf "$C/accord/index"
FULL=$(names)    # a full verification, which writes the index
WARM=$(names)    # read back from the index
contains "$FULL" "$LONG" "the full verification has the 64-character name"
equal "$WARM" "$FULL" "the index gives the 64-character name whole"

# --- a copy this process cannot write (explore60a 05): the hub's repository owned by
# its git user, a read-only mount, a backup. The reading commands verify it in memory,
# with no index or a stale one, and write nothing
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	ro() { unshare -m --propagation private sh -c 'd=$1; shift; mount --bind "$d" "$d" && mount -o remount,bind,ro "$d" && exec "$@"' ro "$C" "$@"; }
	WANT=$(accord -C "$C" list --json 2>/dev/null)
	rm -rf "$C/accord"
	expect 0 ro "$ACCORD_BIN" -C "$C" list --json
	equal "$OUT" "$WANT" "read-only, no index: list as on a copy that can be written"
	for c in "member list" "party list" "agreement list" allowed-signers log; do
		expect 0 ro "$ACCORD_BIN" -C "$C" $c
	done
	[ ! -e "$C/accord" ] && ok || bad "read-only: nothing written"
	expect 0 a open --title "after the index" --severity 3 --service s # an index, up to date
	RO=$OUT
	# an entry written on another copy, fetched by plain git: the index lags
	cp -r "$C" "$T/elsewhere.git"
	expect 0 accord --home "$T/long64" -C "$T/elsewhere.git" note "$RO" "written while the index lags"
	git -C "$C" fetch -q "$T/elsewhere.git" '+refs/accord/*:refs/accord/*' || bad "fetch"
	WANT=$(cp -r "$T/elsewhere.git" "$T/rocheck" && accord -C "$T/rocheck" list --json 2>/dev/null)
	expect 0 ro "$ACCORD_BIN" -C "$C" show "$RO"
	contains "$OUT" "written while the index lags" "read-only, stale index: show reads what the index lacks"
	expect 0 ro "$ACCORD_BIN" -C "$C" list --json
	equal "$OUT" "$WANT" "read-only, stale index: list as a fresh copy gives it"
else
	skip "a read-only copy: needs root and unshare"
fi
finish

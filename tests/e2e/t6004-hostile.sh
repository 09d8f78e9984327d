# Hostile bytes (issue 15): every control class that could act on a terminal
# or a document (C0 controls, DEL, C1 controls, bidi embeddings, overrides and
# isolates) is refused by the CLI (exit 2, nothing written) and, in entries
# forged with stock git and ssh-keygen, on read by the hub's hook, sync,
# show, log and audit. What show, log, audit, errors and every report format
# write is checked byte by byte: nothing raw gets out.
. "$(dirname "$0")/lib.sh"
FORGE="/usr/bin/python3 $(cd "$(dirname "$0")" && pwd)/forge/forge.py"
forge() { $FORGE "$@" || bad "forge $*"; }

# raw FILE [crlf]: the control characters in FILE that an output must never
# hold raw (newline aside; CR only before LF with crlf), counted, or "bad utf-8"
raw() {
	/usr/bin/python3 - "$@" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
if len(sys.argv) > 2:
    b = b.replace(b"\r\n", b"\n")
try:
    s = b.decode("utf-8")
except UnicodeDecodeError:
    print("bad utf-8"); sys.exit()
bad = [c for c in s if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f
       or 0x202a <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069
       or ord(c) in (0x061c, 0x200e, 0x200f, 0x2028, 0x2029) or 0xfff9 <= ord(c) <= 0xfffb]
print(len(bad))
PY
}
# noraw FILE LABEL [crlf]
noraw() { equal "$(raw "$1" ${3:-})" 0 "$2: no raw control characters"; }

# The classes, each as a label and its bytes; line fields also refuse newline and tab.
CLASSES="esc bel cr bs vt del nel csi1 lre rle pdf lro rlo lri rli fsi pdi alm lrm rlm lsep psep iaa"
cls() {
	case $1 in
	esc) printf 'x\033[2J\033]52;c;aGk=\007\033[8mx' ;;
	bel) printf 'x\007x' ;;
	cr) printf 'x\rx' ;;
	bs) printf 'x\010x' ;;
	vt) printf 'x\013x' ;;
	del) printf 'x\177x' ;;
	nel) printf 'x\302\205x' ;;       # U+0085
	csi1) printf 'x\302\23331mx' ;;   # U+009B, the one-byte CSI
	lre) printf 'x\342\200\252x' ;;   # U+202A
	rle) printf 'x\342\200\253x' ;;
	pdf) printf 'x\342\200\254x' ;;
	lro) printf 'x\342\200\255x' ;;
	rlo) printf 'x\342\200\256x' ;;   # U+202E
	lri) printf 'x\342\201\246x' ;;   # U+2066
	rli) printf 'x\342\201\247x' ;;
	fsi) printf 'x\342\201\250x' ;;
	pdi) printf 'x\342\201\251x' ;;   # U+2069
	alm) printf 'x\330\234x' ;;       # U+061C
	lrm) printf 'x\342\200\216x' ;;   # U+200E
	rlm) printf 'x\342\200\217x' ;;   # U+200F
	lsep) printf 'x\342\200\250x' ;;  # U+2028
	psep) printf 'x\342\200\251x' ;;  # U+2029
	iaa) printf 'x\357\277\271x' ;;   # U+FFF9
	nl) printf 'x\nx' ;;
	tab) printf 'x\tx' ;;
	esac
}

newkey alice; newkey gina
pub() { accord --home "$T/$1" key show | tail -1; }
ALICE=$(accord --home "$T/alice" key show --json | jget 'd["id"]')
L="$T/ledger" HUB="$T/hub.git"
git init -q --bare "$HUB"
printf '#!/bin/sh\nexec "%s" hook pre-receive\n' "$ACCORD_BIN" >"$HUB/hooks/pre-receive"
chmod +x "$HUB/hooks/pre-receive"
expect 0 accord --home "$T/alice" init --party acme --title "acme ledger" "$L"
export ACCORD_DIR="$L" ACCORD_HOME="$T/alice"
expect 0 accord party invite globex --key "$(pub gina)"
expect 0 accord remote add hub "$HUB"
expect 0 accord sync
expect 0 accord --home "$T/gina" clone "$HUB" "$T/g"
expect 0 accord --home "$T/gina" -C "$T/g" party accept globex
expect 0 accord --home "$T/gina" -C "$T/g" sync
expect 0 accord sync
expect 0 accord open --title "Checkout down" --severity 2 --service checkout --parties globex
INC=$(accord list --json | jget 'd[0]["full_id"]')

# --- the CLI refuses every class in every free-text field, writing nothing ----------
BEFORE=$(refs "$L")
for c in $CLASSES; do
	v=$(cls $c)
	expect 2 accord note "$INC" "$v"
	contains "$ERR" "the note holds a" "note with $c refused"
	expect 2 accord open --title "$v" --severity 3 --service s
	expect 2 accord open --title t --severity 3 --service "$v"
	expect 2 accord open --title t --severity 3 --service s --ticket "acme:$v"
	expect 2 accord status "$INC" mitigated --note "$v"
	expect 2 accord impact "$INC" --customers 1 --start 2026-11-20T09:00:00Z --description "$v"
	expect 2 accord sla "$INC" --name "$v" --target 1h --actual 2h
	expect 2 accord feedback "$INC" --score 3 --comment "$v"
	expect 2 accord resolve "$INC" --summary "$v"
	expect 2 accord resolve "$INC" --summary ok --factor "$v"
	expect 2 accord resolve "$INC" --summary ok --went-well "$v"
	expect 2 accord resolve "$INC" --summary ok --action "$v@acme"
	expect 2 accord member revoke "$(pub gina)" --reason "$v"
	git init -q "$T/init-$c"
	expect 2 accord -C "$T/init-$c" init --party acme --title "$v"
	equal "$(git -C "$T/init-$c" for-each-ref refs/accord/)" "" "init with $c wrote nothing"
done
for c in nl tab; do
	expect 2 accord open --title "$(cls $c)" --severity 3 --service s
	contains "$ERR" "--title holds a control character" "$c in a one-line field refused"
done
equal "$(refs "$L")" "$BEFORE" "refs unchanged after every refusal"
# error messages quote what they were given, escaped: one line, nothing raw
accord show "$(cls esc)" > "$T/out" 2> "$T/err"
noraw "$T/err" "error message quoting an argument"
contains "$(cat "$T/err")" '\x1b[2J' "the argument shown escaped"
accord --home "$T/x" key new --name "$(cls rlo)" --no-passphrase > "$T/out" 2> "$T/err"
noraw "$T/err" "key name error"
contains "$(cat "$T/err")" 'x\u202ex' "the name shown escaped"

# newline and tab are free text's own: taken, and shown escaped where a line is one entry
expect 0 accord note "$INC" "$(printf 'first line\nsecond\tcolumn')"
accord show "$INC" > "$T/show.out" 2>&1; noraw "$T/show.out" "show"
contains "$(cat "$T/show.out")" 'note          alice@acme           first line second column' "show: a note stays on its timeline line"
accord log > "$T/log.out" 2>&1; noraw "$T/log.out" "log"
equal "$(grep -c 'first line' "$T/log.out")" 1 "log: one line per entry"
accord audit > "$T/audit.out" 2>&1; noraw "$T/audit.out" "audit of a clean ledger"
for f in text md csv html; do
	accord report --format $f > "$T/report.$f" 2>&1
	noraw "$T/report.$f" "report --format $f" crlf
done
expect 0 accord sync

# --- forged entries: signed by a member, made with git plumbing and ssh-keygen ------
forge sshkey "$T/alice" "$T/alice.ssh"
EVIL="$T/evil.git"
git init -q --bare "$EVIL"      # a hub without the hook
git -C "$L" push -q "$EVIL" 'refs/accord/*:refs/accord/*' || bad "seed the hookless hub"
expect 0 accord --home "$T/gina" -C "$T/g" remote add evil "$EVIL"
expect 0 accord --home "$T/gina" -C "$T/g" sync --no-checkpoint evil
GBEFORE=$(refs "$T/g")
HBEFORE=$(refs "$HUB")
LBEFORE=$(refs "$L")
for c in $CLASSES; do
	body=$(cls $c | /usr/bin/python3 -c 'import json,sys; print(json.dumps({"text": sys.stdin.buffer.read().decode()}))')
	F=$($FORGE entry "$L" "$T/alice.ssh" --type note --incident "$INC" --body "$body" --no-ref) || bad "forge $c"
	# the hub's hook refuses the push
	if git -C "$L" push -q "$HUB" "$F:refs/accord/feeds/$ALICE" > "$T/push.out" 2>&1; then
		bad "hook took a note with $c"
	else
		ok
	fi
	contains "$(cat "$T/push.out")" "push rejected" "hook says why ($c)"
	# a hub without the hook takes it; sync refuses it on read
	git -C "$L" push -q -f "$EVIL" "$F:refs/accord/feeds/$ALICE" || bad "push to the hookless hub ($c)"
	expect 3 accord --home "$T/gina" -C "$T/g" sync --no-checkpoint evil
	contains "$ERR" "refused feed $ALICE" "sync refuses the forged $c note"
	printf '%s' "$ERR" > "$T/sync.err"; noraw "$T/sync.err" "sync refusing $c"
	# in a copy where it is the feed's head: show and log leave it out and say so (--strict: exit 3)
	rm -rf "$T/copy" && git clone -q --mirror "$L" "$T/copy" 2>/dev/null && git -C "$T/copy" config accord.ledger "$(git -C "$L" config accord.ledger)"
	git -C "$T/copy" update-ref "refs/accord/feeds/$ALICE" "$F"
	expect 3 accord -C "$T/copy" show "$INC" --strict
	expect 0 accord -C "$T/copy" show "$INC"
	contains "$ERR" "1 entry left out" "show says it left the forged $c note out"
	printf '%s\n' "$OUT" > "$T/show.out"; noraw "$T/show.out" "show with a forged $c note"
	printf '%s' "$ERR" > "$T/show.err"; noraw "$T/show.err" "show stderr with a forged $c note"
	equal "$(grep -c '  note  ' "$T/show.out")" 1 "show: only the real note, not the forged $c one"
	expect 3 accord -C "$T/copy" log --strict
	expect 0 accord -C "$T/copy" log
	printf '%s\n' "$OUT" > "$T/log.out"; noraw "$T/log.out" "log with a forged $c note"
	printf '%s' "$ERR" > "$T/log.err"; noraw "$T/log.err" "log stderr with a forged $c note"
	equal "$(wc -l < "$T/log.out")" "$(accord log | wc -l)" "log: the forged $c note is not listed"
	accord -C "$T/copy" audit > "$T/audit.out" 2> "$T/audit.err"
	equal "$?" 3 "audit finds the forged $c note"
	contains "$(cat "$T/audit.out")" "schema" "audit names it a schema failure ($c)"
	noraw "$T/audit.out" "audit text with a forged $c note"
	noraw "$T/audit.err" "audit stderr with a forged $c note"
	accord -C "$T/copy" audit --json > "$T/audit.json" 2>/dev/null
	equal "$(jget '[f["kind"] for f in d["findings"]]' < "$T/audit.json")" '["schema-violation"]' "audit --json: one schema finding ($c)"
	# reports leave it out, saying so in every format (--strict: exit 3)
	expect 3 accord -C "$T/copy" report --strict
	for f in text md csv html; do
		accord -C "$T/copy" report --format $f > "$T/report.$f" 2> "$T/report.err"
		noraw "$T/report.$f" "report --format $f without the forged $c note" crlf
		noraw "$T/report.err" "report stderr ($c)"
	done
done
equal "$(refs "$T/g")" "$GBEFORE" "sync took no forged note"
equal "$(refs "$HUB")" "$HBEFORE" "the hub took no forged note"
equal "$(refs "$L")" "$LBEFORE" "the ledger's own refs untouched"

# --- a forged genesis whose title hides what follows (ESC[8m: conceal) ---------------
git init -q "$T/fg"
git -C "$T/fg" config accord.ledger ""
title=$(printf 'acme\033[8m\342\200\256 ledger' | /usr/bin/python3 -c 'import json,sys; print(json.dumps(sys.stdin.buffer.read().decode()))')
G=$($FORGE entry "$T/fg" "$T/alice.ssh" --type genesis --ledger null --prev null --seq 1 --lamport 1 \
	--body "{\"title\":$title,\"party\":\"acme\",\"member\":\"alice\"}") || bad "forge genesis"
git -C "$T/fg" config accord.ledger "$(git -C "$T/fg" cat-file commit "$G" | sed '1,/^$/d' | sha256sum | cut -d' ' -f1)"
accord -C "$T/fg" audit > "$T/fg.out" 2> "$T/fg.err"
equal "$?" 3 "audit refuses a genesis with controls in its title"
noraw "$T/fg.out" "audit header and findings of a forged genesis"
noraw "$T/fg.err" "audit stderr of a forged genesis"
contains "$(cat "$T/fg.out")" "Findings" "the findings are there to read"
expect 3 accord -C "$T/fg" log
printf '%s' "$ERR" > "$T/fg.err"; noraw "$T/fg.err" "log refusing a forged genesis"

# --- what git hands us (config values, ref names) is escaped too, in text and in JSON --
# jsonraw FILE: raw characters a JSON output must never hold (its own tabs and
# newlines aside), counted, or "bad utf-8"
jsonraw() {
	/usr/bin/python3 - "$1" <<'PY'
import sys
try:
    s = open(sys.argv[1], "rb").read().decode("utf-8")
except UnicodeDecodeError:
    print("bad utf-8"); sys.exit()
print(len([c for c in s if (ord(c) < 0x20 and c not in "\n\t") or 0x7f <= ord(c) <= 0x9f
           or 0x202a <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069
           or ord(c) in (0x061c, 0x200e, 0x200f, 0x2028, 0x2029) or 0xfff9 <= ord(c) <= 0xfffb]))
PY
}
git -C "$L" config remote.ev.url "/tmp/x$(printf '\033[31mRED\302\233\342\200\256\377')"
accord remote list 2>&1 | tr '\t' ' ' > "$T/rl.out" # its own separator is a tab
noraw "$T/rl.out" "remote list of a hostile url"
contains "$(cat "$T/rl.out")" '\x1b[31mRED' "the url is shown escaped"
accord remote list --json > "$T/rlj.out" 2>&1
equal "$(jsonraw "$T/rlj.out")" 0 "remote list --json of a hostile url: valid UTF-8, nothing raw"
contains "$(cat "$T/rlj.out")" '\u009b' "JSON writes the C1 control as an escape"
/usr/bin/python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/rlj.out" && ok || bad "remote list --json is still JSON"
git -C "$L" config --remove-section remote.ev
# a ref outside the layout whose name holds C1, RLO and a byte that is not UTF-8
git -C "$L" update-ref "refs/accord/b$(printf '\302\233')31mX$(printf '\342\200\256')Y$(printf '\377')" "$(git -C "$L" rev-parse "refs/accord/feeds/$ALICE")"
accord audit --json --no-record > "$T/aj.out" 2>/dev/null
equal "$(jsonraw "$T/aj.out")" 0 "audit --json naming a hostile ref: valid UTF-8, nothing raw"
accord audit --no-record > "$T/at.out" 2>&1
noraw "$T/at.out" "audit text naming a hostile ref"
git -C "$L" for-each-ref --format='%(refname)' refs/accord/ | grep -v '^refs/accord/feeds/' | while read -r r; do git -C "$L" update-ref -d "$r"; done

# --- multi-line free text cannot pass for a line of show's own layout ----------------
expect 0 accord resolve "$INC" --summary "$(printf 'globex caused it all\n    signed by       gina for globex, 2026-12-02T13:01:00Z')"
expect 0 accord show "$INC"
case "$OUT" in
*"
    signed by       gina"*) bad "a summary line passes for a signature" ;;
*) ok ;;
esac
contains "$OUT" "| " "continuation lines of free text are marked"

# --- export keeps the exact signed bytes, and says it is machine output --------------
expect 0 accord export --help
contains "$OUT" "never escaped" "export help says its bytes are not escaped"
# every line is an entry's exact bytes: its SHA-256 is the entry id log shows
accord export | /usr/bin/python3 -c 'import sys,hashlib; [print(hashlib.sha256(l.rstrip(b"\n")).hexdigest()[:12]) for l in sys.stdin.buffer]' | sort > "$T/export.ids"
accord log --all | cut -c1-12 | sort > "$T/log.ids"
equal "$(cat "$T/export.ids")" "$(cat "$T/log.ids")" "export: the signed bytes, one entry a line"
test -s "$T/export.ids" && ok || bad "export printed nothing"
finish

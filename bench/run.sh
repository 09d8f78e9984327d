#!/bin/bash
# make bench: measure every figure of issue 7 and write them, each beside its
# target, to docs/performance.md (between the bench markers; the prose around
# them is kept) and docs/performance.json.
#
#   bash bench/run.sh [N]      N = entries of the big ledger (default 1000000)
#
# Environment: RUNS (timed runs of each quick command, default 11), M (the
# ledger of the "100k" audit and the sync base, default 100000), SYNC (new
# entries to sync, default 10000), SEED (default 1), OUT (where the two files
# go, default docs/), ACCORD_BIN, GEN_BIN, LIMIT_BIN (default bin/accord,
# bench/gen, bench/verify-limit),
# STEP_TIMEOUT (seconds, default 1800), KEEP=1 (keep the work directory),
# BENCH_ROOT (the source tree when running a copy of this script).
#
# Every measurement runs in its own process: a failure is recorded as
# "failed: <message>" in its rows and the bench goes on. Targets are never
# pass/fail; the bench exits 0 unless the harness itself breaks.
set -eu
export LC_ALL=C

SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
# BENCH_ROOT: the source tree, when this script runs from a copy (a copy
# can't change under a long run while the tree is being edited).
ROOT=${BENCH_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}

# --- helpers shared by the steps (they run as "run.sh --step NAME") ----------

load1() { cut -d' ' -f1 /proc/loadavg; }
# Progress goes straight to the terminal (fd 3, from the driver), errors to
# the step's stderr, which the driver keeps for the table.
log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&3; }

# put KEY VALUE DETAIL: one measured figure (VALUE a number).
put() {
	[ -n "$2" ] || die "no figure for $1"
	printf '%s\tok\t%s\t%s\t%s\n' "$1" "$2" "$3" "$(load1)" >>"$W/results.tsv"
}
# not_measured KEY REASON
not_measured() { printf '%s\tnot measured\t\t%s\t%s\n' "$1" "$2" "$(load1)" >>"$W/results.tsv"; }
die() { echo "$*" >&2; exit 1; }

# use DIR: later acc calls work on ledger DIR, with its member home, at the
# ledger's own "now" (the generator's clock runs about 95 s an entry, so a 1M
# ledger ends years after today; every command sees a time just after its
# last entry).
use() {
	LDIR=$1
	LNOW=$(cat "$1.now")
	LHOME=$W/home
	[ ! -f "$1.home" ] || LHOME=$(cat "$1.home")
}
acc() { ACCORD_NOW=$LNOW "$ACCORD" -C "$LDIR" --home "$LHOME" "$@"; }

# Milliseconds, median of the runs (one per line on stdin), and "min..max".
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
spread() { sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s..%s", lo, hi }'; }
# Pairs of $EPOCHREALTIME (no process of its own) to milliseconds.
to_ms() { awk '{ printf "%.2f\n", ($2 - $1) * 1000 }'; }

# gen DIR ENTRIES: a ledger DIR and its members' homes DIR.homes, then
# DIR.now (an hour after its latest entry).
gen() {
	local dir=$1 n=$2 t max s
	"$GEN" --entries "$n" --seed "$SEED" --homes "$dir.homes" "$dir" >"$dir.gen.out" 2>&1 ||
		die "bench/gen --entries $n: $(tail -1 "$dir.gen.out")"
	max=""
	for h in $(git -C "$dir" for-each-ref --format='%(objectname)' refs/accord/feeds/); do
		t=$(git -C "$dir" cat-file commit "$h" | grep -o -m1 '"time":"[^"]*"' | head -1 | cut -d'"' -f4)
		if [ -z "$max" ] || [[ "$t" > "$max" ]]; then max=$t; fi
	done
	[ -n "$max" ] || die "no feed in the generated ledger $dir"
	s=$(date -u -d "$max" +%s)
	date -u -d "@$((s + 3600))" +%Y-%m-%dT%H:%M:%SZ >"$dir.now"
}

# pick DIR: DIR.home, the key home of an active acme member (its root if still
# active). This goes through the ledger, so on a new ledger it builds the index.
pick() {
	local dir=$1 who
	who=$(ACCORD_NOW=$(cat "$dir.now") "$ACCORD" -C "$dir" member list --json 2>"$dir.err" |
		jq -r '[.[] | select(.active and .party == "acme")] | sort_by(.role != "root") | .[] | "\(.party)-\(.member)"' |
		while read -r m; do [ -f "$dir.homes/$m/key" ] && { echo "$m"; break; }; done) || true
	[ -n "$who" ] || die "no active acme member with a key home in $dir.homes $(tail -1 "$dir.err")"
	echo "$dir.homes/$who" >"$dir.home"
}

# Sum of the feeds' head seq numbers: the number of entries in ledger $1.
entries_of() {
	local dir=$1 total=0 s
	for h in $(git -C "$dir" for-each-ref --format='%(objectname)' refs/accord/feeds/); do
		s=$(git -C "$dir" cat-file commit "$h" | grep -o -m1 '"seq":[0-9]*' | head -1 | cut -d: -f2)
		total=$((total + s))
	done
	echo "$total"
}

# gitdir of ledger $1 (the generator writes non-bare repositories).
gitdir_of() { git -C "$1" rev-parse --absolute-git-dir; }

# timed CMD...: run an accord command RUNS times on the ledger in use, print
# the times (ms, one a line).
timed() {
	local i t0
	for i in $(seq "$RUNS"); do
		t0=$EPOCHREALTIME
		acc "$@" >/dev/null 2>"$W/cmd.err" || die "accord $1: $(tail -1 "$W/cmd.err")"
		echo "$t0 $EPOCHREALTIME"
	done | to_ms
}

# everyday SIZE DIR: open, note, show, list on ledger DIR (index warm).
everyday() {
	local size=$1 inc i t0
	use "$2"
	# Warm up: the index, the page cache and one incident of our own (an
	# incident of the same shape at every size: one open, RUNS notes).
	acc list --limit 1 --quiet >/dev/null 2>"$W/cmd.err" || die "accord list: $(tail -1 "$W/cmd.err")"
	inc=$(acc open --title "bench warm-up" --severity 3 --service bench 2>"$W/cmd.err") ||
		die "accord open: $(tail -1 "$W/cmd.err")"
	for i in $(seq "$RUNS"); do
		t0=$EPOCHREALTIME
		acc open --title "bench $i" --severity 3 --service bench >/dev/null 2>"$W/cmd.err" ||
			die "accord open: $(tail -1 "$W/cmd.err")"
		echo "$t0 $EPOCHREALTIME"
	done | to_ms >"$W/open.$size"
	put "open_$size" "$(median <"$W/open.$size")" "median of $RUNS, $(spread <"$W/open.$size") ms"
	for i in $(seq "$RUNS"); do
		t0=$EPOCHREALTIME
		acc note "$inc" "bench note $i" >/dev/null 2>"$W/cmd.err" || die "accord note: $(tail -1 "$W/cmd.err")"
		echo "$t0 $EPOCHREALTIME"
	done | to_ms >"$W/note.$size"
	put "note_$size" "$(median <"$W/note.$size")" "median of $RUNS, $(spread <"$W/note.$size") ms"
	timed show "$inc" >"$W/show.$size"
	put "show_$size" "$(median <"$W/show.$size")" "median of $RUNS, $(spread <"$W/show.$size") ms; an incident of $((RUNS + 1)) entries"
	timed list >"$W/list.$size"
	put "list_$size" "$(median <"$W/list.$size")" "median of $RUNS, $(spread <"$W/list.$size") ms; the 100 most recent incidents"
}

# once OUT CMD...: run accord once on the ledger in use under /usr/bin/time,
# stdout to OUT; sets SECS (wall), KB (peak RSS), USER_S and SYS_S (CPU
# seconds) and RC (0 or 3).
once() {
	local out=$1
	shift
	RC=0
	ACCORD_NOW=$LNOW /usr/bin/time -f '%e %M %U %S' -o "$W/time.out" \
		"$ACCORD" -C "$LDIR" --home "$LHOME" "$@" >"$out" 2>"$W/cmd.err" || RC=$?
	[ "$RC" = 0 ] || [ "$RC" = 3 ] ||
		die "accord $1 (exit $RC): $(grep -v '^Command exited' "$W/cmd.err" | tail -1)"
	# GNU time puts "Command exited with non-zero status N" first then.
	read -r SECS KB USER_S SYS_S < <(tail -1 "$W/time.out")
}

# audit KEY: one full audit of the ledger in use: entries/s and peak RSS.
audit() {
	local key=$1 n threads note=""
	n=$(entries_of "$LDIR")
	threads=$(nproc)
	once "$W/audit.$key" audit --threads "$threads"
	[ "$RC" = 0 ] || note="; exit 3: $(grep -m1 '^Result:' "$W/audit.$key" | tr -s ' ')"
	put "${key}_rate" "$(awk -v n="$n" -v s="$SECS" 'BEGIN { printf "%.0f\n", (s > 0 ? n / s : 0) }')" \
		"$n entries in $SECS s (CPU: user $USER_S s, system $SYS_S s), --threads $threads$note"
	put "${key}_rss" "$(awk -v k="$KB" 'BEGIN { printf "%.1f\n", k / 1024 }')" "maximum resident set size, $KB kB"
	put "${key}_secs" "$SECS" "$n entries"
}

# --- the steps ---------------------------------------------------------------

need() { [ -f "$W/$1.now" ] || die "no $2-entry ledger (the generator failed)"; }

step_small() {
	local i t0
	log "10-entry ledger: open, note, show, list"
	gen "$W/small" 10
	pick "$W/small"
	everyday 10 "$W/small"
	# For scale: starting any process costs this much here.
	for i in $(seq "$RUNS"); do
		t0=$EPOCHREALTIME
		/bin/true
		echo "$t0 $EPOCHREALTIME"
	done | to_ms >"$W/true.ms"
	put spawn "$(median <"$W/true.ms")" "median of $RUNS, $(spread <"$W/true.ms") ms"
}

step_big_gen() {
	log "generating $N entries"
	gen "$W/big" "$N"
	# The generator's own figure: its wall time, ledger written and packed.
	# Its CPU time too: on a loaded machine the wall clock says little.
	put gen_rate "$(grep -o '[0-9]* entries/s' "$W/big.gen.out" | cut -d' ' -f1)" \
		"$(head -1 "$W/big.gen.out" | sed 's/^wrote //; s/ to [^ ]* in / in /; s/: [0-9]* entries\/s//'), $(nproc) threads; $(sed -n 2p "$W/big.gen.out"); $(sed -n 3p "$W/big.gen.out")"
}

step_big_first() {
	need big "$N"
	use "$W/big"
	log "first command on $N entries (cold index)"
	once /dev/null list --limit 1 --quiet
	put index_cold "$SECS" "accord list right after bench/gen, building the index; peak RSS $((KB / 1024)) MB"
	pick "$W/big"
}

step_big_everyday() {
	local all rec old
	need big "$N"
	log "open, note, show, list on $N entries"
	everyday N "$W/big"
	# show of incidents bench/gen wrote: facts by several parties and a close
	# on a joint resolution make the derivation ask causal questions, which
	# the fresh incident above never does. The 20th newest, and the oldest
	# (what a show costs grows with the entries written since the incident).
	acc list --all >"$W/all.list" 2>"$W/cmd.err" || die "accord list --all: $(tail -1 "$W/cmd.err")"
	all=$(awk 'NR > 1 && !/ bench ([0-9]+|warm-up)$/ { print $1 }' "$W/all.list") # oldest first
	rec=$(tail -n 20 <<<"$all" | head -1)
	old=$(head -1 <<<"$all")
	[ -n "$rec" ] && [ -n "$old" ] || die "no incident of bench/gen in accord list --all"
	timed show "$rec" >"$W/show_gen.N"
	put show_gen_N "$(median <"$W/show_gen.N")" "median of $RUNS, $(spread <"$W/show_gen.N") ms; incident $rec, the 20th newest of $(wc -l <<<"$all")"
	once /dev/null show "$old"
	put show_old_N "$(awk -v s="$SECS" 'BEGIN { printf "%.0f\n", s * 1000 }')" "one run; incident $old, the oldest; peak RSS $((KB / 1024)) MB"
}

step_big_audit() {
	need big "$N"
	use "$W/big"
	log "audit of $N entries"
	audit audit_N
}

# The machine's limit for any verifier: Ed25519 verifications per second on
# every core (bench/verify-limit), over messages of the big ledger's mean
# entry size, taken right after its audit so that both see about the same load.
step_limit() {
	local bytes=700 count threads one us
	if [ -d "$W/big" ]; then
		count=$(git -C "$W/big" rev-list -n 1000 --glob=refs/accord/feeds/ | wc -l)
		[ "$count" -gt 0 ] &&
			bytes=$(($(git -C "$W/big" log --glob=refs/accord/feeds/ -n 1000 --format=%B | wc -c) / count))
	fi
	log "Ed25519 verifications per second on every core"
	"$LIMIT" --seconds 5 --bytes "$bytes" >"$W/limit.out" 2>&1 || die "bench/verify-limit: $(tail -1 "$W/limit.out")"
	threads=$(grep -o '^[0-9]* threads: [0-9]*' "$W/limit.out" | cut -d' ' -f3)
	one=$(grep -o '^1 thread: [0-9]*' "$W/limit.out" | cut -d' ' -f3)
	us=$(grep '^[0-9]* threads:' "$W/limit.out" | grep -o '[0-9.]* us of CPU each' | cut -d' ' -f1)
	put ed25519_rate "$threads" "crypto_sign_verify_detached on $(nproc) threads for 5 s, $us µs of CPU each, $bytes-byte messages (the mean entry of the $N-entry ledger); one thread alone: $one/s"
}

step_big_report() {
	local gd i total=0
	need big "$N"
	use "$W/big"
	gd=$(gitdir_of "$W/big")
	# Cold: no index, no cache; only the lock and the audit's record stay.
	find "$gd/accord" -mindepth 1 -maxdepth 1 ! -name lock ! -name verified-heads -exec rm -rf {} +
	log "report on $N entries, cold"
	once "$W/report.txt" report
	put report_cold "$SECS" "after removing <gitdir>/accord/ but its lock and verified-heads; peak RSS $((KB / 1024)) MB"
	# Warm: up to RUNS runs, fewer when they are slow (about a minute in all).
	log "report on $N entries, warm"
	: >"$W/report.warm"
	for i in $(seq "$RUNS"); do
		once /dev/null report
		echo "$SECS" >>"$W/report.warm"
		total=$(awk -v a="$total" -v b="$SECS" 'BEGIN { print a + b }')
		if awk -v t="$total" 'BEGIN { exit !(t > 60) }'; then break; fi
	done
	i=$(wc -l <"$W/report.warm")
	put report_warm "$(median <"$W/report.warm")" "median of $i, $(spread <"$W/report.warm") s; peak RSS $((KB / 1024)) MB"
}

# The clone of the big ledger from a local path (the transfer alone first,
# as plain git fetches it), then the copy's first command.
step_big_clone() {
	local t0 bare
	need big "$N"
	use "$W/big"
	log "clone of $N entries from a local path"
	bare=$W/transfer.git
	rm -rf "$bare" "$W/clone"
	git init -q --bare "$bare"
	t0=$EPOCHREALTIME
	git -C "$bare" fetch -q "$W/big" 'refs/accord/*:refs/accord/*' 2>"$W/cmd.err" ||
		die "git fetch: $(tail -1 "$W/cmd.err")"
	put transfer "$(echo "$t0 $EPOCHREALTIME" | awk '{ printf "%.2f\n", $2 - $1 }')" \
		"git fetch of refs/accord/* into an empty repository"
	rm -rf "$bare"
	ACCORD_NOW=$LNOW /usr/bin/time -f '%e %M %U %S' -o "$W/time.out" \
		"$ACCORD" --home "$LHOME" clone "$W/big" "$W/clone" >/dev/null 2>"$W/cmd.err" ||
		die "accord clone: $(grep -v '^Command exited' "$W/cmd.err" | tail -1)"
	read -r SECS KB USER_S SYS_S < <(tail -1 "$W/time.out")
	put clone "$SECS" "from a local path, verification and the copy's index included (CPU: user $USER_S s, system $SYS_S s)"
	put clone_rss "$(awk -v k="$KB" 'BEGIN { printf "%.1f\n", k / 1024 }')" "maximum resident set size, $KB kB"
	LDIR=$W/clone
	once /dev/null list --limit 1 --quiet
	put clone_first "$SECS" "accord list in the new copy; peak RSS $((KB / 1024)) MB"
	rm -rf "$W/clone"
}

step_big_git() {
	local t0 secs good commits
	need big "$N"
	use "$W/big"
	log "git log --show-signature on 1,000 commits"
	acc allowed-signers >"$W/allowed_signers" 2>"$W/cmd.err" || die "accord allowed-signers: $(tail -1 "$W/cmd.err")"
	t0=$EPOCHREALTIME
	git -C "$W/big" -c gpg.ssh.allowedSignersFile="$W/allowed_signers" \
		log --show-signature -n 1000 --glob=refs/accord/feeds/ >"$W/gitlog.out" 2>&1 ||
		die "git log --show-signature: $(tail -1 "$W/gitlog.out")"
	secs=$(echo "$t0 $EPOCHREALTIME" | awk '{ printf "%.3f\n", $2 - $1 }')
	commits=$(grep -c '^commit ' "$W/gitlog.out" || true)
	good=$(grep -c '^Good "git" signature' "$W/gitlog.out" || true)
	[ "$good" -gt 0 ] || die "git log verified no signature: $(grep -m1 -i 'signature' "$W/gitlog.out")"
	put git_rate "$(awk -v n="$commits" -v s="$secs" 'BEGIN { printf "%.1f\n", n / s }')" \
		"the $commits most recent commits of all feeds in $secs s, $good good signatures"
}

step_mid() {
	log "ledger of $M entries: audit"
	gen "$W/mid" "$M"
	use "$W/mid"
	audit audit_M
}

# The hub's side of the same 10,000 entries: a bare mirror of BASE (the
# ledger of COUNT entries) with accord's pre-receive hook, warmed as a hub in
# use is (its memo of checked commits and its index filled), takes a plain
# git push from the bigger ledger. KEY: the row.
hook_push() {
	local base=$1 count=$2 key=$3 hub=$W/hub.git t0 rc=0
	log "push of $SYNC new entries onto $count through the hub's hook"
	rm -rf "$hub"
	git clone -q --mirror "$base" "$hub" 2>"$W/cmd.err" || die "git clone --mirror: $(tail -1 "$W/cmd.err")"
	printf '#!/bin/sh\nACCORD_NOW=%s exec "%s" hook pre-receive\n' "$(cat "$W/ahead.now")" "$ACCORD" \
		>"$hub/hooks/pre-receive"
	chmod +x "$hub/hooks/pre-receive"
	ACCORD_NOW=$(cat "$W/ahead.now") "$ACCORD" -C "$hub" list --limit 1 --quiet >/dev/null 2>"$W/cmd.err" ||
		die "accord list on the hub: $(tail -1 "$W/cmd.err")"
	t0=$EPOCHREALTIME
	git -C "$W/ahead" push -q "$hub" 'refs/accord/feeds/*:refs/accord/feeds/*' >"$W/push.out" 2>&1 || rc=$?
	if [ "$rc" != 0 ]; then
		not_measured "$key" "git push failed (exit $rc): $(tail -1 "$W/push.out")"
	else
		put "$key" "$(echo "$t0 $EPOCHREALTIME" | awk '{ printf "%.3f\n", $2 - $1 }')" \
			"git push onto $count entries, a local path; the hook verifies what the push would add"
	fi
	rm -rf "$hub"
}

# sync_onto NAME COUNT SUFFIX: $SYNC new entries onto ledger $W/NAME (COUNT
# entries, its index warm), through the hub's hook and by accord sync: rows
# hookSUFFIX and syncSUFFIX.
sync_onto() {
	local name=$1 count=$2 suffix=$3 base=$W/$1 port dpid url how t0 secs took i rc
	log "sync of $SYNC new entries onto $count"
	rm -rf "$W/ahead" "$W/ahead.homes"
	# The same seed writes the same first entries: the bigger ledger extends
	# every feed of the smaller one by exactly the new entries.
	gen "$W/ahead" "$((count + SYNC))"
	for r in $(git -C "$base" for-each-ref --format='%(refname)' refs/accord/feeds/); do
		git -C "$W/ahead" merge-base --is-ancestor "$(git -C "$base" rev-parse "$r")" \
			"$(git -C "$W/ahead" rev-parse "$r")" 2>/dev/null ||
			die "bench/gen with $((count + SYNC)) entries does not extend $r of the $count-entry ledger"
	done
	hook_push "$base" "$count" "hook$suffix"
	# The receiving side's index is warm, as after everyday use.
	[ -f "$base.home" ] || pick "$base"
	use "$base"
	acc list --limit 1 --quiet >/dev/null 2>"$W/cmd.err" || die "accord list: $(tail -1 "$W/cmd.err")"
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	git daemon --reuseaddr --listen=127.0.0.1 --port="$port" --base-path="$W" --export-all \
		"$W/ahead" >/dev/null 2>"$W/daemon.err" &
	dpid=$!
	echo "$dpid" >"$W/daemon.pid"
	url="git://127.0.0.1:$port/ahead"
	how="git daemon on 127.0.0.1"
	for i in $(seq 100); do
		git ls-remote "$url" >/dev/null 2>&1 && break
		sleep 0.1
	done
	if ! git ls-remote "$url" >/dev/null 2>&1; then
		kill "$dpid" 2>/dev/null || true
		url="$W/ahead"
		how="a local path (git daemon did not answer: $(tail -1 "$W/daemon.err"))"
	fi
	acc remote add ahead "$url" >/dev/null 2>"$W/cmd.err" || die "accord remote add: $(tail -1 "$W/cmd.err")"
	# The sync runs at the clock of the ledger it takes from: at the base's,
	# the new entries (days later) would be "too early" and wait.
	LNOW=$(cat "$W/ahead.now")
	t0=$EPOCHREALTIME
	rc=0
	acc sync --no-checkpoint ahead >"$W/sync.out" 2>"$W/cmd.err" || rc=$?
	secs=$(echo "$t0 $EPOCHREALTIME" | awk '{ printf "%.3f\n", $2 - $1 }')
	kill "$dpid" 2>/dev/null || true
	wait "$dpid" 2>/dev/null || true
	rm -f "$W/daemon.pid"
	if [ "$rc" != 0 ]; then
		not_measured "sync$suffix" "accord sync failed (exit $rc): $(tail -1 "$W/cmd.err")"
		return 0
	fi
	[ "$(git -C "$base" for-each-ref refs/accord/feeds/)" = "$(git -C "$W/ahead" for-each-ref refs/accord/feeds/)" ] ||
		die "accord sync left the feeds different from the remote's: $(head -1 "$W/sync.out")"
	rm -rf "$W/ahead" "$W/ahead.homes"
	took=$(grep -o 'took [0-9]* entries' "$W/sync.out" | head -1 || true)
	put "sync$suffix" "$secs" "onto $count entries, from $how; ${took:-$(head -1 "$W/sync.out")}"
}

# Right after the index is built, before anything writes on the big
# ledger (the bigger one must extend every feed); then its refs and its
# index are put back as they were, so every later row sees N entries.
step_big_sync() {
	local gd
	need big "$N"
	gd=$(gitdir_of "$W/big")
	git -C "$W/big" for-each-ref --format='%(refname) %(objectname)' refs/accord/ >"$W/big.refs"
	rm -rf "$W/big.saved-accord"
	cp -a "$gd/accord" "$W/big.saved-accord"
	sync_onto big "$N" _N
	git -C "$W/big" for-each-ref --format='%(refname)' refs/accord/ | while read -r r; do
		grep -q "^$r " "$W/big.refs" || git -C "$W/big" update-ref -d "$r"
	done
	while read -r r o; do git -C "$W/big" update-ref "$r" "$o"; done <"$W/big.refs"
	# what the sync left of the remote: its quarantine refs would say it holds
	# entries of our feeds that this copy does not, and refuse every write
	git -C "$W/big" for-each-ref --format='%(refname)' refs/quarantine/ |
		while read -r r; do git -C "$W/big" update-ref -d "$r"; done
	git -C "$W/big" remote remove ahead 2>/dev/null || true
	rm -rf "$gd/accord"
	mv "$W/big.saved-accord" "$gd/accord"
}

step_sync() {
	need mid "$M"
	sync_onto mid "$M" ""
}

# --- the driver --------------------------------------------------------------

STEPS="small big_gen big_first big_sync big_everyday big_audit limit big_report big_clone big_git mid sync"

if [ "${1:-}" = "--step" ]; then
	cd "$W"
	{ : >&3; } 2>/dev/null || exec 3>&2
	"step_$2"
	exit 0
fi

N=${1:-${N:-1000000}}
case "$N" in '' | *[!0-9]*) echo "usage: bench/run.sh [N]" >&2; exit 2 ;; esac
export N
export STEP_TIMEOUT=${STEP_TIMEOUT:-1800}
export RUNS=${RUNS:-11} M=${M:-100000} SYNC=${SYNC:-10000} SEED=${SEED:-1}
export ACCORD=${ACCORD_BIN:-$ROOT/bin/accord} GEN=${GEN_BIN:-$ROOT/bench/gen}
export LIMIT=${LIMIT_BIN:-$ROOT/bench/verify-limit}
OUT=${OUT:-$ROOT/docs}
for tool in "$ACCORD" "$GEN" "$LIMIT"; do
	[ -x "$tool" ] || { echo "bench: $tool missing (run make first)" >&2; exit 1; }
done
for tool in jq python3 git /usr/bin/time; do
	command -v "$tool" >/dev/null || { echo "bench: needs $tool" >&2; exit 1; }
done

export W
W=$(mktemp -d "${TMPDIR:-/tmp}/accord-bench.XXXXXX")
STEP_PID=""
cleanup() {
	if [ -n "$STEP_PID" ]; then
		kill "$STEP_PID" 2>/dev/null || true
		wait "$STEP_PID" 2>/dev/null || true
	fi
	[ ! -f "$W/daemon.pid" ] || kill "$(cat "$W/daemon.pid")" 2>/dev/null || true
	if [ "${KEEP:-0}" = 1 ]; then echo "bench: work directory kept: $W" >&2; else rm -rf "$W"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export GIT_CONFIG_NOSYSTEM=1 HOME="$W/home" GIT_TERMINAL_PROMPT=0
unset ACCORD_HOME ACCORD_DIR ACCORD_PASSPHRASE ACCORD_NOW
mkdir -p "$HOME"
: >"$W/results.tsv"

{
	echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "commit=$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
	echo "dirty=$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null | wc -l)"
	echo "version=$("$ACCORD" --version 2>/dev/null | head -1)"
	echo "nproc=$(nproc)"
	echo "cpu=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
	echo "mem_mb=$(awk '/^MemTotal/ { printf "%d", $2 / 1024 }' /proc/meminfo)"
	echo "kernel=$(uname -sr)"
	echo "os=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")"
	echo "load_start=$(cut -d' ' -f1-3 /proc/loadavg)"
	echo "N=$N"
	echo "M=$M"
	echo "SYNC=$SYNC"
	echo "RUNS=$RUNS"
	echo "SEED=$SEED"
} >"$W/meta.env"
t_start=$(date +%s)

for s in $STEPS; do
	st0=$(date +%s)
	rc=0
	# timeout runs the step in a process group of its own and passes a signal
	# on to it: cleanup stops a step still running through STEP_PID.
	timeout --kill-after=10 "$STEP_TIMEOUT" bash "$SELF" --step "$s" 3>&2 2>"$W/step.err" &
	STEP_PID=$!
	wait "$STEP_PID" || rc=$?
	STEP_PID=""
	if [ "$rc" != 0 ]; then
		msg=$(grep -v '^Command exited' "$W/step.err" | tail -1)
		[ "$rc" != 124 ] && [ "$rc" != 137 ] || msg="timed out after $STEP_TIMEOUT s (STEP_TIMEOUT)"
		printf '@%s\tfailed\t\t%s\t%s\n' "$s" "${msg:-the step failed without a message}" "$(load1)" >>"$W/results.tsv"
	fi
	[ "$rc" = 0 ] || tail -3 "$W/step.err" | sed 's/^/  /' >&2
	echo "step_secs_$s=$(($(date +%s) - st0))" >>"$W/meta.env"
	# Each ledger goes once its steps are done (a 1M ledger is ~1 GB).
	case $s in
	big_git) rm -rf "$W/big" "$W/big.homes" ;;
	sync) rm -rf "$W/mid" "$W/mid.homes" "$W/ahead" "$W/ahead.homes" ;;
	esac
done

echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$W/meta.env"
echo "total_secs=$(($(date +%s) - t_start))" >>"$W/meta.env"

mkdir -p "$OUT"
python3 - "$W" "$OUT" <<'PY'
import json, os, sys

w, out = sys.argv[1], sys.argv[2]
meta = {}
for line in open(os.path.join(w, "meta.env")):
    k, _, v = line.rstrip("\n").partition("=")
    meta[k] = v
N, M, SYNC = int(meta["N"]), int(meta["M"]), int(meta["SYNC"])

res, step_fail = {}, {}
for line in open(os.path.join(w, "results.tsv")):
    f = line.rstrip("\n").split("\t")
    while len(f) < 5:
        f.append("")
    key, status, value, detail, load = f[:5]
    if key.startswith("@"):
        step_fail[key[1:]] = (detail, load)
    else:
        res[key] = {"status": status, "value": float(value) if value else None, "detail": detail, "load1": load}

def n(x):
    return f"{x:,}"

def val(k):
    r = res.get(k)
    return r["value"] if r and r["status"] == "ok" else None

# key, step, what, entries, unit, target (text), check(value) -> bool or None
def everyday(k):
    def check(v):
        small = val(k + "_10")
        ok = v < 20
        return ok and (small is None or v <= 1.5 * small)
    return check

rows = [
    ("spawn", "small", "starting a process (`/bin/true`), for scale", None, "ms", "— (no target)", None),
    ("open_10", "small", "`accord open` (one process, append)", 10, "ms", "< 20 ms", lambda v: v < 20),
    ("note_10", "small", "`accord note` (one process, append)", 10, "ms", "< 20 ms", lambda v: v < 20),
    ("show_10", "small", "`accord show`", 10, "ms", "< 20 ms", lambda v: v < 20),
    ("list_10", "small", "`accord list`", 10, "ms", "< 20 ms", lambda v: v < 20),
    ("gen_rate", "big_gen", "`bench/gen` (generator)", N, "entries/s", "≥ 20,000 entries/s", lambda v: v >= 20000),
    ("index_cold", "big_first", "first command after bench/gen (cold index: full verification)", N, "s", "— (no target)", None),
    ("open_N", "big_everyday", "`accord open` (one process, append), index warm", N, "ms", "< 20 ms and ≤ 1.5× at 10", everyday("open")),
    ("note_N", "big_everyday", "`accord note` (one process, append), index warm", N, "ms", "< 20 ms and ≤ 1.5× at 10", everyday("note")),
    ("show_N", "big_everyday", "`accord show`", N, "ms", "< 20 ms and ≤ 1.5× at 10", everyday("show")),
    ("list_N", "big_everyday", "`accord list`", N, "ms", "< 20 ms and ≤ 1.5× at 10", everyday("list")),
    ("show_gen_N", "big_everyday", "`accord show` of a recent incident of bench/gen (several parties' facts, a close)", N, "ms", "< 20 ms and ≤ 1.5× at 10", everyday("show")),
    ("show_old_N", "big_everyday", "`accord show` of the oldest incident of bench/gen", N, "ms", "< 20 ms and ≤ 1.5× at 10", everyday("show")),
    ("audit_M_rate", "mid", "`accord audit` throughput", M, "entries/s", "≥ 30,000 entries/s", lambda v: v >= 30000),
    ("audit_M_rss", "mid", "`accord audit` peak RSS", M, "MB", "< 256 MB", lambda v: v < 256),
    ("audit_N_rate", "big_audit", "`accord audit` throughput", N, "entries/s", "≥ 30,000 entries/s", lambda v: v >= 30000),
    ("audit_N_rss", "big_audit", "`accord audit` peak RSS", N, "MB", "< 256 MB", lambda v: v < 256),
    ("ed25519_rate", "limit", "the limit: libsodium Ed25519 verifications on every core", None, "verifications/s", "— (the machine's ceiling)", None),
    ("audit_of_limit", "limit", "`accord audit` throughput as a share of that limit", N, "%", "≥ 65%", lambda v: v >= 65),
    ("report_cold", "big_report", "`accord report`, cold (index and caches removed)", N, "s", "≤ audit time at N", lambda v: None if val("audit_N_secs") is None else v <= val("audit_N_secs")),
    ("report_warm", "big_report", "`accord report`, warm", N, "s", "< 2 s", lambda v: v < 2),
    ("sync", "sync", f"`accord sync` of {n(SYNC)} new entries over loopback, verification included", M, "s", "< 3 s", lambda v: v < 3),
    ("hook", "sync", f"`git push` of {n(SYNC)} new entries to a hub with accord's hook", M, "s", "< 3 s", lambda v: v < 3),
    ("sync_N", "big_sync", f"`accord sync` of {n(SYNC)} new entries over loopback, verification included", N, "s", "< 3 s", lambda v: v < 3),
    ("hook_N", "big_sync", f"`git push` of {n(SYNC)} new entries to a hub with accord's hook", N, "s", "< 3 s", lambda v: v < 3),
    ("transfer", "big_clone", "git fetch of the ledger's refs (the transfer alone, for scale)", N, "s", "— (no target)", None),
    ("clone", "big_clone", "`accord clone` from a local path, verification included", N, "s", "≤ audit time + transfer", lambda v: None if val("audit_N_secs") is None or val("transfer") is None else v <= val("audit_N_secs") + val("transfer")),
    ("clone_rss", "big_clone", "`accord clone` peak RSS", N, "MB", "< 256 MB", lambda v: v < 256),
    ("clone_first", "big_clone", "first command after clone", N, "s", "≤ audit time at N", lambda v: None if val("audit_N_secs") is None else v <= val("audit_N_secs")),
    ("git_rate", "big_git", "stock git: `git log --show-signature`, 1,000-commit sample", N, "commits/s", "— (baseline)", None),
    ("ratio", "big_git", "audit per entry vs stock git per commit", N, "×", "≥ 400×", lambda v: v >= 400),
]

# The ratio is derived: audit entries/s over git commits/s.
a, g = val("audit_N_rate"), val("git_rate")
if a is not None and g:
    res["ratio"] = {"status": "ok", "value": round(a / g, 1), "detail": f"{n(int(a))} entries/s ÷ {g} commits/s", "load1": res["git_rate"]["load1"]}
# So is the audit's share of the Ed25519 limit (one signature an entry).
lim = val("ed25519_rate")
if a is not None and lim:
    res["audit_of_limit"] = {"status": "ok", "value": round(100 * a / lim, 1), "detail": f"{n(int(a))} entries/s ÷ {n(int(lim))} verifications/s (load {res['audit_N_rate']['load1']} at the audit)", "load1": res["ed25519_rate"]["load1"]}
# A derived row that is missing failed with its own step or with the audit's.
derived_from = {"ratio": "big_audit", "audit_of_limit": "big_audit"}

def fmt(v, unit):
    if unit in ("entries/s", "commits/s", "verifications/s") and v >= 100:
        return f"{v:,.0f} {unit}"
    if unit == "×":
        return f"{v:,.0f}×" if v >= 10 else f"{v:.2f}×"
    if unit == "%":
        return f"{v:.0f}%"
    if unit == "ms":
        return f"{v:.1f} ms"
    if unit == "s":
        return f"{v:.2f} s"
    if unit == "MB":
        return f"{v:.0f} MB"
    return f"{v:g} {unit}"

out_rows, md_what = [], {}
for key, step, what, entries, unit, target, check in rows:
    r = res.get(key)
    rec = {"id": key, "what": what.replace("`", ""), "entries": entries, "unit": unit, "target": target}
    md_what[key] = what
    if r is None:
        fail = step_fail.get(step)
        if key in derived_from and fail is None:
            fail = step_fail.get(derived_from[key])
        rec.update(status="failed" if fail else "not measured",
                   message=(fail[0] if fail else "a measurement it depends on failed"),
                   value=None, met=None, load1=(fail[1] if fail else None))
    elif r["status"] != "ok":
        rec.update(status=r["status"], message=r["detail"], value=None, met=None, load1=r["load1"])
    else:
        met = None if check is None else check(r["value"])
        met = None if met is None else bool(met)
        rec.update(status="ok", value=r["value"], detail=r["detail"], met=met, load1=r["load1"])
    out_rows.append(rec)

machine = {k: meta.get(k) for k in ("nproc", "cpu", "mem_mb", "kernel", "os", "load_start", "load_end")}
doc = {
    "date": meta["date"], "commit": meta["commit"], "dirty_files": int(meta.get("dirty", "0") or 0),
    "version": meta.get("version"), "machine": machine,
    "parameters": {"N": N, "M": M, "sync_entries": SYNC, "runs": int(meta["RUNS"]), "seed": int(meta["SEED"])},
    "total_seconds": int(meta.get("total_secs", 0)),
    "step_seconds": {k[len("step_secs_"):]: int(v) for k, v in meta.items() if k.startswith("step_secs_")},
    "rows": out_rows,
}
with open(os.path.join(out, "performance.json.tmp"), "w") as f:
    json.dump(doc, f, indent=2, ensure_ascii=False)
    f.write("\n")
os.replace(os.path.join(out, "performance.json.tmp"), os.path.join(out, "performance.json"))

md = []
dirty = f" (+ {doc['dirty_files']} files changed in the working tree)" if doc["dirty_files"] else ""
md.append(f"Measured {doc['date']} by `make bench N={N}` at commit `{doc['commit']}`{dirty}, "
          f"in {doc['total_seconds'] // 60} min {doc['total_seconds'] % 60} s.")
md.append("")
md.append(f"Machine: {machine['nproc']} CPUs ({machine['cpu']}), {n(int(machine['mem_mb'] or 0))} MB of memory, "
          f"{machine['os']}, {machine['kernel']}. Load average (1, 5, 15 min) at the start "
          f"{machine['load_start']}, at the end {machine['load_end']}; the load column is the 1-minute "
          f"average when each figure was taken. Other work on the machine (load above {machine['nproc']}) "
          "slows every figure down, the CPU-bound ones most.")
md.append("")
md.append("| Measure | Entries | Figure | Target | Met | Load | How |")
md.append("|---|--:|--:|---|:-:|--:|---|")
for r in out_rows:
    if r["status"] == "ok":
        fig = fmt(r["value"], r["unit"])
        how = r["detail"]
    else:
        fig = f"{r['status']}"
        how = f"{r['status']}: {r['message']}"
    met = {True: "yes", False: "**no**", None: "—"}[r["met"]]
    how = how.replace("|", "\\|")
    md.append(f"| {md_what[r['id']].replace('|', chr(92) + '|')} | {n(r['entries']) if r['entries'] is not None else '—'} | {fig} | {r['target']} | {met} | {r['load1'] or ''} | {how} |")
md.append("")
md.append(f"Quick commands: {doc['parameters']['runs']} timed runs each after a warm-up, median; times include "
          "starting the process. Audits and the cold report run once, under `/usr/bin/time` for the peak RSS. "
          f"Ledgers: `bench/gen --seed {doc['parameters']['seed']}`; the sync and the push add {n(SYNC)} entries "
          f"(the same seed, {n(M + SYNC)} or {n(N + SYNC)} entries, served by the other repository) to the {n(M)}- or {n(N)}-entry ledger, its index warm. "
          "The same figures, machine-readable: [performance.json](performance.json).")
table = "\n".join(md) + "\n"

path = os.path.join(out, "performance.md")
begin, end = "<!-- bench:begin (written by make bench) -->", "<!-- bench:end -->"
try:
    old = open(path).read()
except FileNotFoundError:
    old = ""
if begin in old and end in old:
    head, rest = old.split(begin, 1)
    tail = rest.split(end, 1)[1]
    text = head + begin + "\n" + table + end + tail
else:
    text = ("# Performance\n\nThe figures of issue 7, measured by `make bench` (bench/run.sh, see "
            "bench/README.md). Targets are goals, never pass/fail tests.\n\n" + begin + "\n" + table + end + "\n")
with open(path + ".tmp", "w") as f:
    f.write(text)
os.replace(path + ".tmp", path)
print(table)
PY
echo "bench: wrote $OUT/performance.md and $OUT/performance.json" >&2

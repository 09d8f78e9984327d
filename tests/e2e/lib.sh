# Shared helpers for the end-to-end tests: each script sources this, runs
# real `accord` commands against real git repositories in a temporary
# folder, and ends with `finish`. A check that fails prints what it saw.
#
# The scripts are numbered by topic, as git's t/ (tNNNN-name.sh):
#   t0xxx  the basics: a first ledger, the README and demo, install, config,
#          the tree's layers and formatting
#   t1xxx  keys: import, ssh-agent, FIDO (sk) keys, several devices
#   t2xxx  parties and rules: invitations, names, revocation, causal order,
#          forks, verdicts, decisions, facts, agreements, recovery
#   t3xxx  local state: the index, the list of ledgers, the inbox
#   t4xxx  sync and transport: git daemon, sshd, https, cut connections
#   t5xxx  audit and report
#   t6xxx  attacks and hardening, built as attackers would (tests/e2e/forge)
set -u
: "${ACCORD_BIN:?}"
T=$(mktemp -d "${TMPDIR:-/tmp}/accord-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME="$T/home-default"
unset ACCORD_HOME ACCORD_DIR ACCORD_PASSPHRASE ACCORD_NOW
mkdir -p "$HOME"
git config --global user.email test@example.invalid
git config --global user.name test
git config --global init.defaultBranch main
CHECKS=0
FAILS=0

accord() { "$ACCORD_BIN" "$@"; }

ok() { CHECKS=$((CHECKS + 1)); }
bad() { CHECKS=$((CHECKS + 1)); FAILS=$((FAILS + 1)); echo "not ok: ${TC_NAME:+$TC_NAME: }$*" >&2; }

# test_case NAME: the checks that follow, up to the next test_case or
# finish, test one behaviour called NAME (as git's t/ names every
# test_expect_success), so a failure says which behaviour broke: each
# failed check is prefixed with NAME, each case ends with "ok N - NAME" or
# "not ok N - NAME", and finish lists the cases that failed. A suite that
# never calls test_case prints what it always did.
TC_NAME=""
TC_COUNT=0
TC_FAILS_BEFORE=0
TC_FAILED=""
test_case() {
	test_case_end_
	new_machines
	TC_COUNT=$((TC_COUNT + 1))
	TC_NAME=$1
	TC_FAILS_BEFORE=$FAILS
}
# new_machines: the key homes under $T forget the entries they signed
# (signed/, lib/ledger/ledger_append.c), as if every member now worked on
# a machine that never wrote. For a case that replays a ledger from a
# snapshot with the same keys: a history no one machine wrote, else each
# write would be refused as a second entry with a seq the key signed in
# an earlier case. test_case calls it; so do the scripts' own case setups.
new_machines() { rm -rf "$T"/*/signed "$T"/*/*/signed; }
test_case_end_() {
	[ -n "$TC_NAME" ] || return 0
	if [ "$FAILS" = "$TC_FAILS_BEFORE" ]; then
		echo "ok $TC_COUNT - $TC_NAME"
	else
		echo "not ok $TC_COUNT - $TC_NAME"
		TC_FAILED="$TC_FAILED
  $TC_COUNT - $TC_NAME"
	fi
	TC_NAME=""
}
# skip WHAT: a case that needs a tool or server this machine lacks. CI
# (.ci/run sets CI=true) installs every one, so there a skip is a failure.
skip() {
	if [ "${CI:-}" = true ]; then bad "skipped in CI: $*"; else echo "SKIP: $*"; fi
}

# expect CODE CMD...: run CMD, keep stdout in $OUT and stderr in $ERR, check the exit code.
expect() {
	want=$1
	shift
	OUT=$("$@" 2>"$T/.stderr")
	got=$?
	ERR=$(cat "$T/.stderr")
	if [ "$got" = "$want" ]; then ok; else bad "'$*' exited $got, expected $want; stderr: $ERR"; fi
}

# contains HAYSTACK NEEDLE LABEL
contains() {
	case "$1" in
	*"$2"*) ok ;;
	*) bad "$3: expected to find '$2' in: $1" ;;
	esac
}

equal() {
	if [ "$1" = "$2" ]; then ok; else bad "$3: expected '$2', got '$1'"; fi
}

# refs of a repository under refs/accord/, for before/after comparisons.
refs() { git -C "$1" for-each-ref --format='%(refname) %(objectname)' refs/accord/; }

# newkey NAME: a key home $T/NAME with a key named NAME.
newkey() { accord --home "$T/$1" key new --name "$1" --no-passphrase >/dev/null 2>&1 || bad "key new $1"; }

finish() {
	test_case_end_
	[ -n "$TC_FAILED" ] && echo "failed cases:$TC_FAILED"
	echo "$CHECKS checks, $FAILS failed"
	[ "$FAILS" = 0 ]
}

# jget EXPR: evaluate a Python expression over the JSON document on stdin (bound to d).
# copy_tree SRC DST: a copy of the folder SRC (a case's hub and copies, built
# once and reused by later cases instead of rebuilt), with its repositories'
# remotes pointed at DST: nothing else there names the folder.
copy_tree() {
	cp -a "$1" "$2" || bad "copy_tree $1 $2"
	for c in "$2"/*/.git/config; do
		[ -f "$c" ] && sed -i "s|$1/|$2/|g" "$c"
	done
}
jget() { /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); r=eval(sys.argv[1]); print(json.dumps(r) if isinstance(r,(dict,list,bool)) or r is None else r)' "$1"; }

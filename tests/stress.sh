#!/bin/sh
# make stress: the long variants of the hardening tests (issue 8): two
# processes appending 500 entries each, and 200 appends killed at random.
set -eu
: "${ACCORD_BIN:?}"
export ACCORD_STRESS_CONC=${ACCORD_STRESS_CONC:-500}
export ACCORD_STRESS_KILLS=${ACCORD_STRESS_KILLS:-200}
export ACCORD_STRESS_PUSH=${ACCORD_STRESS_PUSH:-100000}
export ACCORD_STRESS_SYNCKILLS=${ACCORD_STRESS_SYNCKILLS:-20}
# run a copy, so that a rebuild meanwhile cannot pull the binary away
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
cp "$ACCORD_BIN" "$copy/accord"
export ACCORD_BIN="$copy/accord"
echo "stress: $ACCORD_STRESS_CONC appends per process, $ACCORD_STRESS_KILLS killed appends, $ACCORD_STRESS_SYNCKILLS killed syncs, a push of $ACCORD_STRESS_PUSH entries"
sh tests/e2e/t6005-hardening.sh

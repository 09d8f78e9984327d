#!/bin/sh
# make stress: the long variants of the hardening tests (issue 8): two
# processes appending 500 entries each, and 200 appends killed at random.
set -eu
: "${ACCORD_BIN:?}"
export ACCORD_STRESS_CONC=${ACCORD_STRESS_CONC:-500}
export ACCORD_STRESS_KILLS=${ACCORD_STRESS_KILLS:-200}
echo "stress: $ACCORD_STRESS_CONC appends per process, $ACCORD_STRESS_KILLS killed appends"
sh tests/e2e/hardening.sh

# Configuration through git config (issue 9): accord.remote picks sync's default remotes.
. "$(dirname "$0")/lib.sh"
newkey alice
git init -q "$T/a"
export ACCORD_HOME="$T/alice" ACCORD_DIR="$T/a"
accord init --party acme >/dev/null || bad init
git init -q --bare "$T/one.git"
git init -q --bare "$T/two.git"
accord remote add one "$T/one.git" || bad "remote add one"
accord remote add two "$T/two.git" || bad "remote add two"
git -C "$T/a" config accord.remote two
expect 0 accord sync --no-checkpoint
equal "$(refs "$T/one.git")" "" "a remote not in accord.remote is left alone"
equal "$(refs "$T/two.git")" "$(refs "$T/a")" "accord.remote names the default remote"
git -C "$T/a" config accord.remote "one, two"
expect 0 accord sync --no-checkpoint
equal "$(refs "$T/one.git")" "$(refs "$T/a")" "a list of default remotes"
git -C "$T/a" config --unset accord.remote
accord open --title t --severity 3 --service s >/dev/null
expect 0 accord sync --no-checkpoint
equal "$(refs "$T/one.git")" "$(refs "$T/a")" "without it, every remote"
equal "$(refs "$T/two.git")" "$(refs "$T/a")" "without it, every remote (two)"
git -C "$T/a" config accord.remote nowhere
expect 1 accord sync --no-checkpoint
contains "$ERR" "nowhere" "an unknown configured remote is named"
finish

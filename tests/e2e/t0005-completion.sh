# Bash completion (issue 9): commands, options, incident ids, statuses, remotes.
. "$(dirname "$0")/lib.sh"
command -v bash >/dev/null || { echo "skip: no bash"; finish; exit 0; }
mkdir -p "$T/bin"
ln -s "$ACCORD_BIN" "$T/bin/accord"
newkey alice
git init -q "$T/l"
export ACCORD_HOME="$T/alice" ACCORD_DIR="$T/l" PATH="$T/bin:$PATH"
accord init --party acme >/dev/null
ID=$(accord open --title t --severity 2 --service s)
git -C "$T/l" remote add hub "$T/hub.git"

# complete LINE: what the completion offers for the last word of LINE
complete_line() {
	bash -c '. "$1"; line=$2; read -ra COMP_WORDS <<< "$line"; [ "${line% }" != "$line" ] && COMP_WORDS+=("");
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _accord; printf "%s\n" "${COMPREPLY[@]}"' _ \
		"$(dirname "$0")/../../completion/accord.bash" "$1"
}
contains "$(complete_line 'accord sta')" "status" "command names"
equal "$(complete_line 'accord stat')" "status" "a unique command"
contains "$(complete_line 'accord open --sev')" "--severity" "options from --help"
equal "$(complete_line "accord show ")" "$ID" "incident ids"
equal "$(complete_line "accord status $ID res")" "resolved" "statuses"
equal "$(complete_line "accord key ")" "$(printf 'new\nshow\nimport\nrotate')" "key subcommands"
equal "$(complete_line "accord key rot")" "rotate" "key rotate"
contains "$(complete_line "accord key rotate --ag")" "--agent" "key rotate --agent, from its --help"
contains "$(complete_line "accord member add --ro")" "--role" "member add --role"
equal "$(complete_line "accord member vo")" "vouch" "member vouch"
equal "$(complete_line "accord member add --role ")" "$(printf 'member\nadmin')" "member add --role values"
equal "$(complete_line "accord sync h")" "hub" "remote names"
equal "$(complete_line "accord ledgers ")" "$(printf 'add\nlist\nremove')" "ledgers subcommands"
contains "$(complete_line "accord report --all-l")" "--all-ledgers" "report --all-ledgers"
contains "$(complete_line "accord list --all-l")" "--all-ledgers" "list --all-ledgers"
contains "$(complete_line "accord sync --all-l")" "--all-ledgers" "sync --all-ledgers"
accord ledgers add "$T/l" --name acme-l >/dev/null || bad "ledgers add"
equal "$(complete_line "accord report --ledger ")" "acme-l" "--ledger: the listed names"
equal "$(complete_line "accord ledgers remove ")" "acme-l" "ledgers remove: the listed names"
contains "$(complete_line "accord ledgers add --")" "--name" "ledgers add --name"
equal "$(complete_line "accord agreement ")" "$(printf 'propose\nlist')" "agreement subcommands"
contains "$(complete_line "accord agreement propose --acknow")" "--acknowledge" "agreement propose options, from its --help"
equal "$(complete_line "accord agreement propose --with ")" "acme" "--with: the ledger's parties"
# issue 19: the new commands and the values the old ones take
contains "$(complete_line "accord inb")" "inbox" "inbox"
contains "$(complete_line "accord act")" "actions" "actions"
contains "$(complete_line "accord inbox --")" "--party" "inbox --party"
contains "$(complete_line "accord actions --")" "--overdue" "actions --overdue"
equal "$(complete_line "accord inbox --party ")" "acme" "--party: the party names"
equal "$(complete_line "accord involve $ID ")" "acme" "involve: the party names"
equal "$(complete_line "accord member revoke ")" "alice" "member revoke: the member names"
equal "$(complete_line "accord report --format ")" "$(printf 'text\njson\ncsv\nmd\nhtml')" "report --format values"
equal "$(complete_line "accord list --status ")" "$(printf 'investigating\nidentified\nmitigated\nresolved\nclosed\nopen')" "list --status values"
contains "$(complete_line "accord log --type ")" "member-revoke" "log --type values"
contains "$(complete_line "accord log --type ")" "action" "log --type: action"
equal "$(complete_line "accord action $ID 1 ")" "$(printf 'done\nnot-doing\nreopen\nassign')" "action states"
contains "$(complete_line "accord action $ID 1 assign --")" "--owner" "action assign --owner"
equal "$(complete_line "accord action $ID 1 assign --owner ")" "alice" "--owner: member names"
equal "$(complete_line "accord inbox --ledger ")" "acme-l" "inbox --ledger: the listed names"
# issue 18: disputing a signed time
equal "$(complete_line "accord disp")" "dispute" "dispute"
contains "$(complete_line "accord dispute --")" "--at" "dispute --at, from its --help"
contains "$(complete_line "accord dispute --")" "--reason" "dispute --reason"
contains "$(complete_line "accord log --type ")" "dispute" "log --type: dispute"
accord resolve "$ID" --summary s --action "first@acme" --action "second@acme" >/dev/null || bad "resolve"
equal "$(complete_line "accord action $ID " | sort)" "$(accord show "$ID" --json | jget '"\n".join(sorted(a["id"] for a in d["resolution"]["actions"]))')" \
	"action: the item ids of the incident"
finish

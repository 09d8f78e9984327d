# bash completion for accord. zsh: autoload -U bashcompinit && bashcompinit && source this file.
#
# Options come from each command's own --help, so they never drift from
# the binary; incident ids from `accord list --all --quiet`; party and
# member names from `accord party list` and `member list`; remotes from git.

_accord_parties() { accord "$@" party list 2>/dev/null | awk 'NR > 1 {print $1}'; }
_accord_members() { accord "$@" member list 2>/dev/null | awk 'NR > 1 && $6 == "-" {print $2}' | sort -u; }

_accord_cmd_words() {
	local w
	for w in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
		case "$w" in -*) ;; *) printf '%s\n' "$w" ;; esac
	done
}

_accord() {
	local cur prev cmd sub words globals=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	COMPREPLY=()

	# global options and their arguments, kept for the calls below
	local i=1
	while [ $i -lt "$COMP_CWORD" ]; do
		case "${COMP_WORDS[i]}" in
		-C|--home) globals+=("${COMP_WORDS[i]}" "${COMP_WORDS[i+1]}"); i=$((i + 2)) ;;
		-*) i=$((i + 1)) ;;
		*) break ;;
		esac
	done
	case "$prev" in
	-C|--home|-o) COMPREPLY=($(compgen -d -- "$cur")); return ;;
	--agent) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--role) COMPREPLY=($(compgen -W "member admin" -- "$cur")); return ;;
	--with|--on) COMPREPLY=($(compgen -W "$(accord "${globals[@]}" party list --json 2>/dev/null | grep -o '"name":[[:space:]]*"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/')" -- "$cur")); return ;;
	--format) COMPREPLY=($(compgen -W "text json csv md html" -- "$cur")); return ;;
	--status) COMPREPLY=($(compgen -W "investigating identified mitigated resolved closed open" -- "$cur")); return ;;
	--type) COMPREPLY=($(compgen -W "$(accord log --help 2>/dev/null | sed -n '/--type TYPE/,/^$/p' | grep -o '[a-z][a-z-]*[,)]' | tr -d ',)')" -- "$cur")); return ;;
	esac
	# --ledger NAME of the cross-ledger views: the names in the user's list (clone's --ledger is an id)
	if [ "$prev" = --ledger ]; then
		case "${COMP_WORDS[i]}" in
		list|report|sync|inbox|actions)
			COMPREPLY=($(compgen -W "$(accord "${globals[@]}" ledgers list 2>/dev/null | cut -f1)" -- "$cur"))
			return ;;
		esac
	fi
	case "$prev" in
	--party) COMPREPLY=($(compgen -W "$(_accord_parties "${globals[@]}")" -- "$cur")); return ;;
	--owner) COMPREPLY=($(compgen -W "$(_accord_members "${globals[@]}")" -- "$cur")); return ;;
	esac
	if [ $i -ge "$COMP_CWORD" ]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "-C --home --help --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(accord --help 2>/dev/null | awk '/^Commands:/{c=1; next} c && /^  [a-z]/{print $1}')" -- "$cur"))
		fi
		return
	fi
	cmd=${COMP_WORDS[i]}
	sub=${COMP_WORDS[i+1]}
	if [[ $cur == -* ]]; then
		local help
		case "$cmd" in
		key|party|member|remote|hook|ledgers|agreement) help=$(accord "$cmd" --help 2>/dev/null) ;;
		*) help=$(accord "$cmd" --help 2>/dev/null) ;;
		esac
		COMPREPLY=($(compgen -W "$(printf '%s\n' "$help" | grep -o -- '--[a-z][a-z-]*' | sort -u)" -- "$cur"))
		return
	fi
	# position of the word among the command's positional arguments
	local n=0 j
	for ((j = i + 1; j < COMP_CWORD; j++)); do
		case "${COMP_WORDS[j]}" in
		--*=*) ;;
		--title|--severity|--service|--started|--ticket|--parties|--note|--customers|--start|--end|\
		--description|--name|--target|--actual|--score|--lost-minutes|--comment|--summary|--factor|\
		--went-well|--went-wrong|--lucky|--action|--revises|--key|--status|--limit|--since|--until|\
		--party|--format|--reason|--meta|--ledger|--threads|--type|--output|--role|--with|--acknowledge|\
		--mitigate|--restore|--hours|--csat-target|--lost-minutes-target|--on|--indicator|--owner|--link|\
		--due|--at|-o) j=$((j + 1)) ;;
		-*) ;;
		*) n=$((n + 1)) ;;
		esac
	done
	case "$cmd" in
	key) [ $n -eq 0 ] && COMPREPLY=($(compgen -W "new show import rotate" -- "$cur")) ;;
	party) [ $n -eq 0 ] && COMPREPLY=($(compgen -W "invite accept recover list" -- "$cur")) ;;
	member)
		if [ $n -eq 0 ]; then
			COMPREPLY=($(compgen -W "add accept revoke vouch list" -- "$cur"))
		elif [ $n -eq 1 ] && [ "$sub" = revoke ]; then
			COMPREPLY=($(compgen -W "$(_accord_members "${globals[@]}")" -- "$cur"))
		fi ;;
	remote) [ $n -eq 0 ] && COMPREPLY=($(compgen -W "add list" -- "$cur")) ;;
	agreement) [ $n -eq 0 ] && COMPREPLY=($(compgen -W "propose list" -- "$cur")) ;;
	hook) [ $n -eq 0 ] && COMPREPLY=($(compgen -W "pre-receive" -- "$cur")) ;;
	ledgers)
		if [ $n -eq 0 ]; then
			COMPREPLY=($(compgen -W "add list remove" -- "$cur"))
		elif [ $n -eq 1 ] && [ "$sub" = remove ]; then
			COMPREPLY=($(compgen -W "$(accord "${globals[@]}" ledgers list 2>/dev/null | cut -f1)" -- "$cur"))
		elif [ $n -eq 1 ] && [ "$sub" = add ]; then
			COMPREPLY=($(compgen -d -- "$cur"))
		fi ;;
	sync)
		local k gitargs=()
		[ -n "${ACCORD_DIR:-}" ] && gitargs=(-C "$ACCORD_DIR")
		for ((k = 0; k < ${#globals[@]}; k += 2)); do
			[ "${globals[k]}" = -C ] && gitargs=(-C "${globals[k+1]}")
		done
		COMPREPLY=($(compgen -W "$(git "${gitargs[@]}" remote 2>/dev/null)" -- "$cur")) ;;
	status)
		if [ $n -eq 0 ]; then
			COMPREPLY=($(compgen -W "$(accord "${globals[@]}" list --all --quiet 2>/dev/null)" -- "$cur"))
		elif [ $n -eq 1 ]; then
			COMPREPLY=($(compgen -W "investigating identified mitigated waiting resolved closed" -- "$cur"))
		fi ;;
	action)
		if [ $n -eq 0 ]; then
			COMPREPLY=($(compgen -W "$(accord "${globals[@]}" list --all --quiet 2>/dev/null)" -- "$cur"))
		elif [ $n -eq 1 ]; then
			COMPREPLY=($(compgen -W "$(accord "${globals[@]}" show "${COMP_WORDS[COMP_CWORD-1]}" --json 2>/dev/null |
				grep -o '"id":[[:space:]]*"[0-9a-f]\{8\}"' | grep -o '[0-9a-f]\{8\}')" -- "$cur"))
		elif [ $n -eq 2 ]; then
			COMPREPLY=($(compgen -W "done not-doing reopen assign" -- "$cur"))
		fi ;;
	involve)
		if [ $n -eq 0 ]; then
			COMPREPLY=($(compgen -W "$(accord "${globals[@]}" list --all --quiet 2>/dev/null)" -- "$cur"))
		elif [ $n -eq 1 ]; then
			COMPREPLY=($(compgen -W "$(_accord_parties "${globals[@]}")" -- "$cur"))
		fi ;;
	show|note|impact|sla|feedback|resolve|cosign|log|ticket|amend|void|duplicate)
		[ $n -eq 0 ] && COMPREPLY=($(compgen -W "$(accord "${globals[@]}" list --all --quiet 2>/dev/null)" -- "$cur")) ;;
	init|clone) COMPREPLY=($(compgen -d -- "$cur")) ;;
	esac
}
complete -F _accord accord

# accord key import: an existing OpenSSH ed25519 key becomes the accord key,
# and git's own SSH signatures and accord's verify under one allowed-signers line.
. "$(dirname "$0")/lib.sh"

S="$T/ssh"
mkdir -p "$S"
sshkey() { ssh-keygen -q -t "$1" -N "$2" -C "$3" -f "$S/$4" </dev/null >/dev/null || bad "ssh-keygen $4"; }
sshkey ed25519 "" member id
SUM_BEFORE=$(sha256sum "$S/id")

# --- the import -------------------------------------------------------------
expect 0 accord --home "$T/imp" key import "$S/id" --no-passphrase
KEY_ID=$(echo "$OUT" | sed -n 1p)
equal "${#KEY_ID}" 32 "import prints the key id"
equal "$(echo "$OUT" | sed -n 2p)" "$(cat "$S/id.pub")" "import prints the .pub line (name = comment)"
contains "$ERR" "imported key $KEY_ID" "import says what it did"
expect 0 accord --home "$T/imp" key show
equal "$OUT" "$KEY_ID
$(cat "$S/id.pub")" "key show after import"
equal "$(stat -c %a "$T/imp")" 700 "key home mode"
equal "$(stat -c %a "$T/imp/key")" 600 "secret key mode"
equal "$(head -1 "$T/imp/key")" "untrusted comment: accord secret key member" "stored in accord's format"
equal "$(sha256sum "$S/id")" "$SUM_BEFORE" "source file untouched"

# never overwrites without --force; --force does, and --name wins over the comment
sshkey ed25519 "" other id2
expect 1 accord --home "$T/imp" key import "$S/id2" --no-passphrase
contains "$ERR" "already exists" "import refuses to overwrite"
expect 0 accord --home "$T/imp" key show
equal "$(echo "$OUT" | sed -n 1p)" "$KEY_ID" "old key kept"
expect 0 accord --home "$T/imp" key import "$S/id2" --force --name bob --no-passphrase
expect 0 accord --home "$T/imp" key show --json
equal "$(echo "$OUT" | jget 'd["name"]')" bob "--name used"
equal "$(echo "$OUT" | jget 'd["public_key"]' | cut -d' ' -f2)" "$(cut -d' ' -f2 "$S/id2.pub")" "replaced with --force"
expect 0 accord --home "$T/imp" key import "$S/id" --force --no-passphrase
expect 0 accord --home "$T/imp" key show
equal "$(echo "$OUT" | sed -n 1p)" "$KEY_ID" "re-imported"

# sealed with our passphrase, as 'key new' does
ACCORD_PASSPHRASE=sesame expect 0 accord --home "$T/sealed" key import "$S/id"
expect 0 accord --home "$T/sealed" key show --json
equal "$(echo "$OUT" | jget 'd["encrypted"]')" true "imported key is sealed"
if grep -q "$(sed -n 2p "$S/id" | cut -c1-20)" "$T/sealed/key"; then bad "sealed key holds the OpenSSH body?"; else ok; fi

# no terminal and no passphrase: an unprotected copy takes --no-passphrase
expect 2 accord --home "$T/plain" key import "$S/id"
contains "$ERR" "set ACCORD_PASSPHRASE, or give --no-passphrase" "import names both ways out"
if [ -e "$T/plain" ]; then bad "import without a passphrase or --no-passphrase made $T/plain"; else ok; fi

# --- permissions: a private key others may read is refused, as ssh and 'key new' refuse it
for mode in 644 640 604 660 620 602; do
	chmod "$mode" "$S/id"
	expect 1 accord --home "$T/perm" key import "$S/id" --no-passphrase
	equal "$ERR" "accord: $S/id is a private key open to group or others (mode 0$mode); chmod 600 it" "import refuses mode $mode"
	if [ -e "$T/perm" ]; then bad "refused import (mode $mode) made $T/perm"; else ok; fi
done
# through a link, the mode of the file it names counts
ln -s "$S/id" "$S/id-link"
chmod 644 "$S/id"
expect 1 accord --home "$T/perm" key import "$S/id-link" --no-passphrase
contains "$ERR" "open to group or others" "a link to a readable key is refused"
chmod 600 "$S/id"
expect 0 accord --home "$T/perm" key import "$S/id-link" --no-passphrase
equal "$(echo "$OUT" | sed -n 1p)" "$KEY_ID" "chmod 600, and the import goes through"
chmod 400 "$S/id"
expect 0 accord --home "$T/perm2" key import "$S/id" --no-passphrase
chmod 600 "$S/id"
# a 0600 key owned by someone else is theirs: they can read or swap it (CI runs as root, which can chown)
if [ "$(id -u)" = 0 ]; then
	chown 65534 "$S/id"
	expect 1 accord --home "$T/other" key import "$S/id" --no-passphrase
	equal "$ERR" "accord: $S/id is a private key owned by another user (uid 65534); only its owner may use it" "import refuses a key another user owns"
	if [ -e "$T/other" ]; then bad "refused import made $T/other"; else ok; fi
	chown 0 "$S/id"
else
	echo "note: not root, the ownership case needs chown and is not run here"
fi

# --- names --------------------------------------------------------------------
sshkey ed25519 "" alice@laptop at
expect 2 accord --home "$T/noname" key import "$S/at" --no-passphrase
contains "$ERR" "--name" "unusable comment asks for --name"
contains "$ERR" "letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64" "and says what a name may hold"
if [ -e "$T/noname" ]; then bad "key home made for a refused import"; else ok; fi
expect 0 accord --home "$T/noname" key import "$S/at" --name alice --no-passphrase
contains "$OUT" "ssh-ed25519 $(cut -d' ' -f2 "$S/at.pub") alice" "named by --name"
expect 2 accord --home "$T/x" key import "$S/id" --name ../evil
expect 2 accord --home "$T/x" key import
contains "$ERR" "FILE" "missing FILE"
expect 2 accord --home "$T/x" key import "$S/id" "$S/id2"
expect 2 accord --home "$T/x" key import "$S/id" --bogus
expect 2 accord --home "$T/x" key bogus
contains "$ERR" "import" "unknown subcommand lists import"
expect 0 accord key import --help
contains "$OUT" "key import FILE" "usage"

# --- refused files -------------------------------------------------------------
sshkey ed25519 secret member enc
expect 1 accord --home "$T/x" key import "$S/enc"
equal "$ERR" "accord: $S/enc is encrypted; decrypt a copy with ssh-keygen -p -N '' -f COPY first" "encrypted key refused"
ACCORD_PASSPHRASE=secret expect 1 accord --home "$T/x" key import "$S/enc"
# following the advice works
cp "$S/enc" "$S/enc-copy" && ssh-keygen -q -p -P secret -N '' -f "$S/enc-copy" >/dev/null
expect 0 accord --home "$T/dec" key import "$S/enc-copy" --no-passphrase
equal "$(echo "$OUT" | sed -n 2p)" "$(cat "$S/enc.pub")" "decrypted copy imports"
sshkey rsa "" member rsa
expect 1 accord --home "$T/x" key import "$S/rsa"
contains "$ERR" '"ssh-rsa" key; accord needs an ed25519 key' "rsa refused"
sshkey ecdsa "" member ec
expect 1 accord --home "$T/x" key import "$S/ec"
contains "$ERR" "ecdsa" "ecdsa refused"
expect 1 accord --home "$T/x" key import "$S/id.pub"
contains "$ERR" "public key" ".pub refused"
head -c 300 "$S/id" > "$S/cut"
expect 1 accord --home "$T/x" key import "$S/cut"
contains "$ERR" "not a valid OpenSSH private key" "truncated refused"
# a flipped base64 digit inside the secret key
sed '4s/^\(.\{10\}\)./\1A/;4s/^\(.\{10\}\)AA/\1BA/' "$S/id" > "$S/flip"
if cmp -s "$S/id" "$S/flip"; then bad "flip changed nothing"; else ok; fi
expect 1 accord --home "$T/x" key import "$S/flip"
expect 1 accord --home "$T/x" key import "$S/missing"
expect 1 accord --home "$T/x" key import "$S"
head -c 20000 /dev/zero | tr '\0' A > "$S/big"
expect 1 accord --home "$T/x" key import "$S/big"
contains "$ERR" "larger than" "size bound"
if [ -e "$T/x" ]; then bad "key home made for refused imports"; else ok; fi

# --- one key for git and accord -------------------------------------------------
L="$T/ledger"
git init -q "$L"
echo code > "$L/README" && git -C "$L" add README && git -C "$L" commit -qm code
expect 0 accord --home "$T/imp" -C "$L" init --party acme
FEED=$(git -C "$L" rev-parse "refs/accord/feeds/$KEY_ID")
equal "${#FEED}" 40 "ledger made with the imported key"
# git signs with the original OpenSSH file
TREE=$(git -C "$L" write-tree)
GITC=$(git -C "$L" -c gpg.format=ssh -c user.signingKey="$S/id" commit-tree -S -m "signed by git" "$TREE")
equal "${#GITC}" 40 "git commit-tree -S with the ssh key"
# the allowed-signers line from accord, and one written by hand from id.pub
accord -C "$L" allowed-signers > "$T/allowed"
equal "$(wc -l < "$T/allowed")" 1 "one allowed signer"
printf 'member namespaces="git" %s\n' "$(cat "$S/id.pub")" > "$T/allowed-hand"
for a in "$T/allowed" "$T/allowed-hand"; do
	for c in "$GITC" "$FEED"; do
		if git -C "$L" -c gpg.ssh.allowedSignersFile="$a" verify-commit "$c" >/dev/null 2>&1; then ok; else bad "verify-commit $c with $(basename "$a")"; fi
	done
done
# and the same file says no to another key's signature
GITC2=$(git -C "$L" -c gpg.format=ssh -c user.signingKey="$S/id2" commit-tree -S -m "other key" "$TREE")
if git -C "$L" -c gpg.ssh.allowedSignersFile="$T/allowed" verify-commit "$GITC2" >/dev/null 2>&1; then bad "other key accepted"; else ok; fi
# accord itself verifies the ledger signed with the imported key
expect 0 accord -C "$L" --home "$T/imp" log
contains "$OUT" genesis "log shows the genesis entry"
finish

# attack133 01: whoever holds an invited party's root key (retired, or
# replaced by a recovery, too) forges a second accept at seq 1 naming an
# invitation that does not exist, and pushes it as evidence. Such a side can
# never count, so it contends with nothing: the side the inviter chose stays,
# and globex stays joined on every copy.
. "$(dirname "$0")/lib.sh"
ACC=$ACCORD_BIN
F="$(cd "$(dirname "$0")" && pwd)/forge/forge.py"
run_variant() {
VARIANT=$1
rm -rf "$T/v" && mkdir -p "$T/v" && cd "$T/v" || exit 1
T0=$T
T="$T/v"
export ACCORD_NOW=2025-01-10T10:00:00Z
now(){ export ACCORD_NOW=$1; }
mkkey(){ $ACC --home "$T/h$1" key new --name "$1" --no-passphrase >/dev/null 2>&1; python3 $F sshkey "$T/h$1" "$T/k$1"; }
kid(){ python3 $F keyid "$T/k$1.pub" | cut -d' ' -f2; }
rech(){ python3 -c "import base64,hashlib,sys;b=base64.b64decode(open(sys.argv[1]).read().split()[1]);print(hashlib.sha256(b[-32:]).hexdigest())" "$1"; }
acc(){ who=$1; shift; $ACC --home "$T/h$who" "$@"; }
ep(){ date -u -d "$ACCORD_NOW" +%s; }
joined_by(){ $ACC -C "$1" party list --json 2>/dev/null | python3 -c '
import json,sys
for p in json.load(sys.stdin):
  if p["name"]==sys.argv[1]: print(p["state"]+":"+str(p.get("invited_by")), end=" ")
print()' "$2"; }
for k in alice gina thief gina2; do mkkey $k; done
git init -q --bare hub.git
printf '#!/bin/sh\nexec %s hook pre-receive\n' "$ACC" > hub.git/hooks/pre-receive; chmod +x hub.git/hooks/pre-receive
git init -q acme
acc alice -C acme init --party acme --recovery $T/rec_acme >/dev/null 2>&1
acc alice -C acme remote add origin $T/hub.git
acc alice -C acme party invite globex --key $T/kgina.pub --name gina >/dev/null 2>&1
acc alice -C acme sync >/dev/null 2>&1
INV=$($ACC -C acme log --type party-invite --json | python3 -c 'import json,sys;print(json.load(sys.stdin)[-1]["id"])')
now 2025-01-10T10:05:00Z
acc gina clone $T/hub.git glx >/dev/null 2>&1
acc gina -C glx party accept globex --recovery $T/rec_glx >/dev/null 2>&1
acc gina -C glx sync >/dev/null 2>&1
now 2025-01-10T10:06:00Z
acc alice -C acme sync >/dev/null 2>&1          # acme's checkpoint depends on the accept (first-hand)
now 2025-01-10T10:10:00Z
acc gina -C glx sync >/dev/null 2>&1
INC=$(acc gina -C glx open --title "db down" --severity 2 --service db --parties globex,acme 2>/dev/null)
acc gina -C glx sync >/dev/null 2>&1
if [ -n "${RETIRED:-}" ]; then                     # gina rotates: the stolen key is retired
  now 2025-01-10T10:11:00Z
  cp "$T/kgina" "$T/kgina.old"
  acc gina -C glx key rotate --no-passphrase >/dev/null 2>&1
  acc gina -C glx sync >/dev/null 2>&1
fi
if [ -n "${RECOVERED:-}" ]; then              # globex replaces the stolen root with its recovery key first
  now 2025-01-10T10:11:30Z
  acc gina -C glx party recover globex --recovery $T/rec_glx --key $T/kgina2.pub >/dev/null 2>&1; echo "recover before the attack rc=$?"
  acc gina -C glx sync >/dev/null 2>&1
fi
cp -r glx thief        # the thief's copy: a stolen laptop or backup (any copy of the ledger will do)
now 2025-01-10T10:12:00Z
acc alice -C acme sync >/dev/null 2>&1
case "$(joined_by acme globex)" in joined:acme*) ok ;; *) bad "before: globex joined through acme: $(joined_by acme globex)" ;; esac
now 2025-01-10T10:20:00Z
if [ -n "${CTRL:-}" ]; then NAMED=$INV; else NAMED=$(head -c32 /dev/urandom | sha256sum | cut -c1-64); fi
Bc=$(FORGE_NOW=$(ep) python3 $F entry thief "$T/kgina" --type party-accept \
  --body "{\"party\":\"globex\",\"invite\":\"$NAMED\",\"recovery\":\"$(rech $T/kthief.pub)\"}" \
  --deps none --admission $NAMED --no-ref --seq 1 --prev null --parent none --lamport 1)
GK=$(kid gina)
git -C thief push -q $T/hub.git "$Bc:refs/accord/evidence/$GK/$Bc" 2>/dev/null
ok
now 2025-01-10T10:25:00Z
acc alice -C acme sync >/dev/null 2>&1; echo "acme sync rc=$?"
AFTER=$(joined_by acme globex)
acc gina -C glx sync >/dev/null 2>&1
$ACC -C acme show "$INC" >/dev/null 2>&1; SHOW=$?
acc alice clone $T/hub.git fresh >/dev/null 2>&1
now 2025-01-10T10:30:00Z
case "$AFTER" in joined:acme*) ok ;; *) bad "${VARIANT:-plain}: a forged accept of a made-up invitation un-joined globex: $AFTER" ;; esac
equal "$SHOW" 0 "${VARIANT:-plain}: globex's incident still shows"

T=$T0
cd "$T0" || exit 1
}
unset RETIRED RECOVERED CTRL
run_variant plain
RETIRED=1
run_variant retired
unset RETIRED
RECOVERED=1
run_variant recovered
unset RECOVERED
finish

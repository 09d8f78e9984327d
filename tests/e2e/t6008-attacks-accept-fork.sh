# attack132 01: a fork at an invited key's accept whose sides accept two
# parties' invitations has no one to choose it. Here a thief holding gina's
# key signs a second accept of initech's stale invitation of that key (from
# an idle admin device that never saw acme's), and initech's device vouches
# for it: it must not take globex's seat from the side acme chose. Neither
# side counts then (a thief holding a root key from before its accept can
# keep the party from joining: docs/format.md, not defended).
. "$(dirname "$0")/lib.sh"
ACC=$ACCORD_BIN
F="$(cd "$(dirname "$0")" && pwd)/forge/forge.py"
cd "$T" || exit 1
# 132-01: a thief holding globex's (invited) root key, with another party's admin device
# (initech, idle since before acme invited globex), re-seats globex under initech's
# invitation after globex joined through acme's invitation and acme's admin vouched for it
# (its sync checkpoint depends on the accept). The honest side, its incident and acme's own
# later entries stop counting; globex's recovery key becomes the thief's.
# CTRL=1: the same ledger without the fork (the honest path).
export ACCORD_NOW=2025-01-10T10:00:00Z
now(){ export ACCORD_NOW=$1; }
mkkey(){ $ACC --home "$T/h$1" key new --name "$1" --no-passphrase >/dev/null 2>&1; python3 $F sshkey "$T/h$1" "$T/k$1"; }
kid(){ python3 $F keyid "$T/k$1.pub" | cut -d' ' -f2; }
pkh(){ python3 $F keyid "$T/k$1.pub" | cut -d' ' -f1; }
rech(){ python3 -c "import base64,hashlib,sys;b=base64.b64decode(open(sys.argv[1]).read().split()[1]);print(hashlib.sha256(b[-32:]).hexdigest())" "$1"; }
eid(){ git -C "$1" cat-file commit "$2" | python3 -c 'import sys,hashlib;d=sys.stdin.buffer.read();print(hashlib.sha256(d[d.index(b"\n\n")+2:]).hexdigest())'; }
head_of(){ git -C "$1" rev-parse "refs/accord/feeds/$2"; }
acc(){ who=$1; shift; $ACC --home "$T/h$who" "$@"; }
hub(){ git init -q --bare "$T/hub.git"; printf '#!/bin/sh\nexec %s hook pre-receive\n' "$ACC" > "$T/hub.git/hooks/pre-receive"; chmod +x "$T/hub.git/hooks/pre-receive"; }
# entry time in epoch from ACCORD_NOW
ep(){ date -u -d "$ACCORD_NOW" +%s; }
fe(){ repo=$1; who=$2; shift 2; FORGE_NOW=$(ep) python3 $F entry "$repo" "$T/k$who" "$@"; }
cpbody(){ printf '{"heads":[{"feed":"%s","seq":%s,"hash":"%s"}],"remote":"origin"}' "$1" "$2" "$3"; }
plist(){ $ACC -C "$1" party list 2>/dev/null; }
lam(){ git -C "$1" cat-file commit "$2" | python3 -c 'import sys,json;d=sys.stdin.buffer.read();print(json.loads(d[d.index(b"\n\n")+2:])["lamport"])'; }
joined_by(){ $ACC -C "$1" party list --json 2>/dev/null | python3 -c '
import json,sys
for p in json.load(sys.stdin):
  if p["name"]==sys.argv[1]: print(p["state"]+":"+str(p.get("invited_by")), end=" ")
print()' "$2"; }
for k in alice ivan ivan2 gina rB; do mkkey $k; done
hub
git init -q acme
acc alice -C acme init --party acme --recovery $T/rec_acme >/dev/null 2>&1
acc alice -C acme remote add origin $T/hub.git
acc alice -C acme party invite initech --key $T/kivan.pub --name ivan >/dev/null 2>&1
acc alice -C acme sync >/dev/null 2>&1
now 2025-01-10T10:01:00Z
acc ivan clone $T/hub.git ini >/dev/null 2>&1
acc ivan -C ini party accept initech --recovery $T/rec_ini >/dev/null 2>&1
acc ivan -C ini sync >/dev/null 2>&1
# initech's root adds a second admin device (ivan2) that then sits idle
acc ivan -C ini member add --key $T/kivan2.pub --name ivan --admin >/dev/null 2>&1
acc ivan -C ini sync >/dev/null 2>&1
MA=$($ACC -C ini log --type member-add --json 2>/dev/null | python3 -c 'import json,sys;print(json.load(sys.stdin)[-1]["id"])')
now 2025-01-10T10:02:00Z
acc alice -C acme sync >/dev/null 2>&1
acc alice -C acme party invite globex --key $T/kgina.pub --name gina >/dev/null 2>&1
acc alice -C acme sync >/dev/null 2>&1
now 2025-01-10T10:05:00Z
acc gina clone $T/hub.git glx >/dev/null 2>&1
acc gina -C glx party accept globex --recovery $T/rec_glx >/dev/null 2>&1
acc gina -C glx sync >/dev/null 2>&1
now 2025-01-10T10:06:00Z
acc alice -C acme sync >/dev/null 2>&1      # acme's checkpoint depends on globex's accept
now 2025-01-10T10:10:00Z
acc gina -C glx sync >/dev/null 2>&1
INC=$(acc gina -C glx open --title "db down" --severity 2 --service db --parties globex,acme 2>/dev/null)
acc gina -C glx sync >/dev/null 2>&1
now 2025-01-10T10:12:00Z
acc alice -C acme sync >/dev/null 2>&1
acc ivan -C ini sync >/dev/null 2>&1
equal "$(joined_by acme globex)" "joined:acme " "before: globex joined through acme's invitation"
if true; then
  now 2025-01-10T10:20:00Z
  G=$(pkh gina); GK=$(kid gina); I2K=$(kid ivan2)
  # initech's idle admin device invites gina's key as "globex" (its causal past predates acme's invite)
  I2c=$(fe ini ivan2 --type party-invite --body "{\"party\":\"globex\",\"key\":\"$G\",\"member\":\"gina\"}" --deps $MA --admission $MA)
  I2=$(eid ini $I2c)
  # the thief with gina's key signs a second seq-1 accept, of initech's invitation, with its own recovery key
  Bc=$(fe ini gina --type party-accept --body "{\"party\":\"globex\",\"invite\":\"$I2\",\"recovery\":\"$(rech $T/krB.pub)\"}" --deps $I2 --admission $I2 --no-ref --seq 1 --prev null --parent none --lamport $(( $(lam ini $I2c) + 1 )))
  B=$(eid ini $Bc)
  git -C ini update-ref refs/accord/evidence/$GK/$Bc $Bc
  # initech's admin device "vouches" with a checkpoint depending on the thief's accept
  fe ini ivan2 --type checkpoint --body "$(cpbody $GK 1 $B)" --deps $B >/dev/null
  git -C ini push -q $T/hub.git "refs/accord/feeds/$I2K:refs/accord/feeds/$I2K" "refs/accord/evidence/$GK/$Bc:refs/accord/evidence/$GK/$Bc" >/dev/null 2>&1
  ok
fi
now 2025-01-10T10:25:00Z
acc alice -C acme sync >/dev/null 2>&1
acc gina -C glx sync >/dev/null 2>&1
AFTER=$(joined_by acme globex)
case "$AFTER" in *joined:initech*) bad "the thief's accept of initech's stale invitation took globex's seat: $AFTER" ;; *) ok ;; esac
case "$(joined_by glx globex)" in *joined:initech*) bad "gina's copy seats the thief's side" ;; *) ok ;; esac
finish

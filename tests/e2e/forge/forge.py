#!/usr/bin/python3
"""Craft ledger commits outside accord, for the audit's tampering tests.

Everything here is done the way an attacker (or a careless admin) would:
stock git plumbing (cat-file, hash-object, update-ref) and stock
ssh-keygen signatures, never through accord's library.

  forge.py sshkey HOME OUT          accord key home -> OpenSSH private key OUT (+ OUT.pub)
  forge.py keyid PUBFILE            print "<pk hex> <key id>" of an OpenSSH public key
  forge.py entry REPO KEY [opts]    write a signed entry commit (KEY: a private key file,
                                    or a .pub file whose key ssh-agent holds; defaults: the key's
                                    feed's next entry, deps = the other feeds' heads,
                                    lamport = 1 + the highest of prev and deps, the
                                    admission of a first entry = the member-add or
                                    invite naming the key), move its feed ref, print
                                    the commit. --deps none|ID,ID (kept in that order),
                                    --admission ID|null, --lamport N override them
  forge.py recommit REPO OID [opts] rewrite a commit (parent, message, signature);
                                    print the new commit, refs untouched
"""
import argparse, base64, hashlib, json, os, struct, subprocess, sys, tempfile

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


def git(repo, *args, data=None):
    r = subprocess.run(["git", "-C", repo] + list(args), input=data, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, check=False)
    if r.returncode != 0:
        sys.exit("git %s: %s" % (" ".join(args), r.stderr.decode(errors="replace")))
    return r.stdout


def sshstr(b):
    return struct.pack(">I", len(b)) + b


def cmd_sshkey(a):
    lines = open(os.path.join(a.home, "key")).read().split("\n")
    body = base64.b64decode(lines[1])
    if body[:4] != b"ACS1" or body[4] != 0:
        sys.exit("only unencrypted accord keys can be converted")
    seed = body[61:93]
    publine = open(os.path.join(a.home, "key.pub")).read().split()
    blob = base64.b64decode(publine[1])
    pk = blob[-32:]
    comment = (publine[2] if len(publine) > 2 else "accord").encode()
    priv = struct.pack(">II", 0x41434344, 0x41434344) + sshstr(b"ssh-ed25519") + sshstr(pk) \
        + sshstr(seed + pk) + sshstr(comment)
    pad = 1
    while len(priv) % 8:
        priv += bytes([pad])
        pad += 1
    raw = b"openssh-key-v1\0" + sshstr(b"none") + sshstr(b"none") + sshstr(b"") \
        + struct.pack(">I", 1) + sshstr(blob) + sshstr(priv)
    b64 = base64.b64encode(raw).decode()
    text = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + \
        "".join(b64[i:i + 70] + "\n" for i in range(0, len(b64), 70)) + \
        "-----END OPENSSH PRIVATE KEY-----\n"
    fd = os.open(a.out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.write(fd, text.encode())
    os.close(fd)
    open(a.out + ".pub", "w").write("ssh-ed25519 %s %s\n" % (publine[1], comment.decode()))


def pk_of(pubfile):
    """The Ed25519 key of an ssh-ed25519 or sk-ssh-ed25519@openssh.com line."""
    blob = base64.b64decode(open(pubfile).read().split()[1])
    tlen = struct.unpack(">I", blob[:4])[0]
    pk = blob[4 + tlen + 4:4 + tlen + 4 + 32]
    return pk.hex(), hashlib.sha256(pk).hexdigest()[:32]


def cmd_keyid(a):
    print("%s %s" % pk_of(a.pub))


def sign(payload, keyfile):
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "payload")
        open(p, "wb").write(payload)
        r = subprocess.run(["ssh-keygen", "-q", "-Y", "sign", "-n", "git", "-f", keyfile, p],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if r.returncode != 0:
            sys.exit("ssh-keygen: " + r.stderr.decode())
        return open(p + ".sig", "rb").read().rstrip(b"\n")


def build_commit(parent, name, email, when, msg, keyfile=None, armor=None):
    head = b"tree " + EMPTY_TREE.encode() + b"\n"
    if parent:
        head += b"parent " + parent.encode() + b"\n"
    ident = ("%s <%s> %d +0000" % (name, email, when)).encode()
    head += b"author " + ident + b"\ncommitter " + ident + b"\n"
    if keyfile:
        armor = sign(head + b"\n" + msg, keyfile)
    if armor:
        lines = armor.split(b"\n")
        head += b"gpgsig " + lines[0] + b"\n" + b"".join(b" " + l + b"\n" for l in lines[1:])
    return head + b"\n" + msg


def write_object(repo, obj):
    return git(repo, "hash-object", "-t", "commit", "-w", "--literally", "--stdin", data=obj).decode().strip()


def message_of(repo, oid):
    raw = git(repo, "cat-file", "commit", oid)
    return raw[raw.index(b"\n\n") + 2:]


def all_entries(repo):
    """Every entry reachable from refs/accord/: id -> (parsed JSON, commit)."""
    out = {}
    oids = git(repo, "rev-list", "--glob=refs/accord/").decode().split()
    if not oids:
        return out
    raw = git(repo, "cat-file", "--batch", data=("\n".join(oids) + "\n").encode())
    i = 0
    for oid in oids:
        nl = raw.index(b"\n", i)
        size = int(raw[i:nl].split()[2])
        body = raw[nl + 1:nl + 1 + size]
        i = nl + 1 + size + 1
        msg = body[body.index(b"\n\n") + 2:]
        try:
            out[hashlib.sha256(msg).hexdigest()] = (json.loads(msg), oid)
        except ValueError:
            pass
    return out


def default_admission(entries, pkhex, etype, body):
    if etype == "party-accept":
        return body.get("invite")
    if etype in ("genesis", "party-recover"):
        return None
    adds = [(j["lamport"], i) for i, (j, _) in entries.items()
            if j.get("type") == "member-add" and j.get("body", {}).get("key") == pkhex]
    return max(adds)[1] if adds else None


def cmd_entry(a):
    # KEY.pub alone: ssh-keygen signs with the key ssh-agent holds (a hardware key, say)
    pkhex, keyid = pk_of(a.key + ".pub" if os.path.exists(a.key + ".pub") else a.key)
    if a.author:
        pkhex = a.author
    ref = a.ref or "refs/accord/feeds/" + keyid
    head = subprocess.run(["git", "-C", a.repo, "rev-parse", "-q", "--verify", ref],
                          stdout=subprocess.PIPE).stdout.decode().strip()
    prev = None
    seq, lamport, when = 1, 1, 1700000000
    if head:
        m = message_of(a.repo, head)
        prev = hashlib.sha256(m).hexdigest()
        j = json.loads(m)
        seq = j["seq"] + 1
        when = 0
    entries = all_entries(a.repo)
    prevlamport = 0
    if head:
        prevlamport = json.loads(message_of(a.repo, head))["lamport"]
    if a.deps is None:
        deps = []
        for line in git(a.repo, "for-each-ref", "--format=%(objectname) %(refname)",
                        "refs/accord/feeds/").decode().splitlines():
            oid, name = line.split(" ", 1)
            if name in (ref, "refs/accord/feeds/" + keyid):
                continue
            try:
                deps.append(hashlib.sha256(message_of(a.repo, oid)).hexdigest())
            except SystemExit:
                pass
        deps = sorted(d for d in set(deps) if d in entries)
    elif a.deps == "none":
        deps = []
    else:
        deps = a.deps.split(",")
    lamport = 1 + max([prevlamport] + [entries[d][0]["lamport"] for d in deps if d in entries])
    ledger = git(a.repo, "config", "accord.ledger").decode().strip()
    import time as _t
    t = int(a.time) if a.time is not None else int(os.environ.get("FORGE_NOW", _t.time()))
    if a.seq is not None:
        seq = a.seq
    if a.prev is not None:
        prev = None if a.prev == "null" else a.prev
    if a.lamport is not None:
        lamport = a.lamport
    if a.ledger is not None:
        ledger = None if a.ledger == "null" else a.ledger
    parent = head or None
    if a.parent is not None:
        parent = None if a.parent == "none" else a.parent
    if a.raw:
        msg = open(a.raw, "rb").read()
    else:
        body = json.loads(a.body)
        if a.admission is not None:
            admission = None if a.admission == "null" else a.admission
        else:
            admission = default_admission(entries, pkhex, a.type, body) if seq == 1 else None
        e = {"v": 2, "ledger": ledger, "author": pkhex, "seq": seq, "prev": prev, "lamport": lamport,
             "time": _t.strftime("%Y-%m-%dT%H:%M:%SZ", _t.gmtime(t)), "type": a.type,
             "incident": a.incident, "deps": deps, "admission": admission, "body": body}
        if a.extra:
            e.update(json.loads(a.extra))
        if a.mangle == "oversize":
            e["body"]["text"] = "x" * 70000
        msg = json.dumps(e, separators=(",", ":"), ensure_ascii=False).encode()
        if a.mangle == "truncate":
            msg = msg[:len(msg) // 2]
        elif a.mangle == "utf8":
            msg = msg.replace(b'"body":{"text":"', b'"body":{"text":"\xff', 1)
        elif a.mangle == "dupkey":
            msg = msg.replace(b'"v":2,', b'"v":2,"v":2,', 1)
    # the identity accord derives from the entry: its author's key id, as name and e-mail
    ident = keyid
    try:
        ident = hashlib.sha256(bytes.fromhex(json.loads(msg)["author"])).hexdigest()[:32]
    except (ValueError, KeyError, TypeError):
        pass
    oid = write_object(a.repo, build_commit(parent, ident, ident + "@accord", t, msg,
                                            keyfile=None if a.unsigned else a.key))
    if not a.no_ref:
        git(a.repo, "update-ref", ref, oid)
    print(oid)


def cmd_recommit(a):
    raw = git(a.repo, "cat-file", "commit", a.oid)
    head, msg = raw.split(b"\n\n", 1)
    lines, sig, i = head.split(b"\n"), [], 0
    keep = []
    while i < len(lines):
        l = lines[i]
        if l.startswith(b"gpgsig "):
            sig.append(l[7:])
            i += 1
            while i < len(lines) and lines[i].startswith(b" "):
                sig.append(lines[i][1:])
                i += 1
            continue
        keep.append(l)
        i += 1
    parent = None
    ident = None
    for l in keep:
        if l.startswith(b"parent "):
            parent = l[7:].decode()
        if l.startswith(b"committer "):
            ident = l[10:].decode()
    name, rest = ident.split(" <", 1)
    email, rest = rest.split("> ", 1)
    when = int(rest.split()[0])
    if a.parent is not None:
        parent = None if a.parent == "none" else a.parent
    if a.message:
        msg = open(a.message, "rb").read()
    if a.time is not None:
        when = int(a.time)
    armor = b"\n".join(sig) if sig else None
    if a.sig_from:
        r2 = git(a.repo, "cat-file", "commit", a.sig_from)
        h2 = r2.split(b"\n\n", 1)[0].split(b"\n")
        s2, j = [], 0
        while j < len(h2):
            if h2[j].startswith(b"gpgsig "):
                s2.append(h2[j][7:])
                j += 1
                while j < len(h2) and h2[j].startswith(b" "):
                    s2.append(h2[j][1:])
                    j += 1
                break
            j += 1
        armor = b"\n".join(s2)
    if a.unsigned:
        armor = None
    obj = build_commit(parent, name, email, when, msg, keyfile=a.key, armor=None if a.key else armor)
    print(write_object(a.repo, obj))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sshkey"); s.add_argument("home"); s.add_argument("out")
    s = sub.add_parser("keyid"); s.add_argument("pub")
    s = sub.add_parser("entry"); s.add_argument("repo"); s.add_argument("key")
    for o in ("--type", "--incident", "--body", "--time", "--prev", "--ledger", "--parent", "--ref",
              "--raw", "--extra", "--author", "--mangle", "--deps", "--admission"):
        s.add_argument(o)
    s.add_argument("--seq", type=int); s.add_argument("--lamport", type=int)
    s.add_argument("--no-ref", action="store_true"); s.add_argument("--unsigned", action="store_true")
    s.set_defaults(type="checkpoint", body=None)
    s = sub.add_parser("recommit"); s.add_argument("repo"); s.add_argument("oid")
    for o in ("--parent", "--message", "--sig-from", "--key", "--time"):
        s.add_argument(o)
    s.add_argument("--unsigned", action="store_true")
    a = p.parse_args()
    if a.cmd == "entry" and a.body is None:
        a.body = '{"text":"forged"}'
    {"sshkey": cmd_sshkey, "keyid": cmd_keyid, "entry": cmd_entry, "recommit": cmd_recommit}[a.cmd](a)


if __name__ == "__main__":
    main()

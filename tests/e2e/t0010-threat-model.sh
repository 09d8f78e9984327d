# docs/format.md's threat model (issue 13) names, for each rule, the test that
# shows it: every row names one, every script and unit test it names exists,
# and every test it names there by function (a name with an underscore) or by
# check label (in quotes) is in that file. A test renamed or dropped fails here.
# The checker is also run on a copy with one name broken, and must say so.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
check() { # check FORMAT.md: one line per broken reference, exit 1 if any
	/usr/bin/python3 - "$1" "$ROOT" <<'EOF'
import os, re, sys
doc, root = open(sys.argv[1]).read(), sys.argv[2]
a = doc.index("## Threat model")
b = doc.find("\n## ", a + 1)
rows = [l for l in doc[a:b if b > 0 else None].splitlines()
        if l.startswith("| ") and not l.startswith("| actor") and not l.startswith("| ---")]
bad = []
for n, row in enumerate(rows, 1):
    cells = [c.strip() for c in row.strip().strip("|").split(" | ")]
    shown = cells[-1] if len(cells) >= 4 else ""
    named = re.findall(r"`([^`]+\.sh|test_[a-z_]+)`([^`]*)", shown)
    if not named:
        bad.append("row %d (%s): names no test" % (n, cells[0]))
    for f, rest in named:
        path = os.path.join(root, "tests/e2e", f) if f.endswith(".sh") else os.path.join(root, "tests", f + ".c")
        if not os.path.exists(path):
            bad.append("row %d: %s does not exist" % (n, f))
            continue
        src = open(path).read()
        for label in re.findall(r'"([^"]+)"', rest):
            if label not in src:
                bad.append('row %d: %s has no check "%s"' % (n, f, label))
        rest = re.sub(r'"[^"]*"', "", rest)
        for name in re.findall(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b", rest):
            # a script's test_X or case_X; a unit test's test_MODULE_X
            if not re.search(r"(\b|_)%s\b" % re.escape(name), src):
                bad.append("row %d: %s has no test %s" % (n, f, name))
print("\n".join(bad) if bad else "%d rules, each shown by a test that exists" % len(rows))
sys.exit(1 if bad else 0)
EOF
}
expect 0 check "$ROOT/docs/format.md"
contains "$OUT" "each shown by a test that exists" "every rule names a test, and it exists"
equal "$(echo "$OUT" | sed 's/ rules.*//')" "$(awk '/^## Threat model/{on=1; next} /^## /{on=0} on && /^\| / && !/^\| actor/ && !/^\| ---/' "$ROOT/docs/format.md" | wc -l | tr -d ' ')" \
	"every row of the table was read"
# the checker can fail: a renamed test, a dropped script, a row without a test
sed 's/`t2007-decide.sh` revoked_involve_named,/`t2007-decide.sh` revoked_involve_nameless,/' "$ROOT/docs/format.md" >"$T/renamed.md"
expect 1 check "$T/renamed.md"
contains "$OUT" "t2007-decide.sh has no test revoked_involve_nameless" "a renamed test is caught"
sed 's/`t2010-recover.sh`/`t2099-gone.sh`/' "$ROOT/docs/format.md" >"$T/gone.md"
expect 1 check "$T/gone.md"
contains "$OUT" "t2099-gone.sh does not exist" "a dropped script is caught"
sed 's/"sibling admin, unaccepted"/"sibling admin, never written"/' "$ROOT/docs/format.md" >"$T/label.md"
expect 1 check "$T/label.md"
contains "$OUT" 'has no check "sibling admin, never written"' "a check label that is not in the script is caught"
finish

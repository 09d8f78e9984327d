"""An independent check of accord's entries: python3-jsonschema, resolving the
schemas' $refs by its standard means, from the files where they lie.

    schema_check.py SCHEMAS_DIR SCHEMA_FILE INSTANCES.jsonl [--expect-invalid]

The schemas' $ids are relative (their file names), so every $ref resolves
against the file:// URI of the document it is in; there is no registry of
ours mapping ids to documents. jsonschema >= 4.18 resolves through
`referencing`, told only how to read a URI; Debian 12's 4.10 through
RefResolver with the file's URI as base (ACCORD_SCHEMA_CHECK=refresolver
forces that path where both exist). Exit 0 when every line validates (or,
with --expect-invalid, when none does); prints the count.
"""
import json
import os
import pathlib
import sys
import warnings
from urllib.request import urlopen

from jsonschema import Draft7Validator


def read_uri(uri):
    with urlopen(uri) as f:
        return json.load(f)


def validator(schemas, name):
    uri = (pathlib.Path(schemas).resolve() / name).as_uri()
    if os.environ.get("ACCORD_SCHEMA_CHECK") != "refresolver":
        try:
            from referencing import Registry, Resource
            from referencing.jsonschema import DRAFT7
        except ImportError:
            pass
        else:
            def retrieve(u):
                return Resource.from_contents(read_uri(u), default_specification=DRAFT7)
            return Draft7Validator({"$ref": uri}, registry=Registry(retrieve=retrieve)), "referencing"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from jsonschema import RefResolver
        root = read_uri(uri)
        return Draft7Validator(root, resolver=RefResolver(uri, root)), "RefResolver"


def main():
    schemas, name, path = sys.argv[1:4]
    expect_invalid = "--expect-invalid" in sys.argv[4:]
    v, how = validator(schemas, name)
    n = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for line in open(path, encoding="utf-8"):
            if not line.strip():
                continue
            errors = list(v.iter_errors(json.loads(line)))
            if expect_invalid and not errors:
                print("valid, expected invalid: " + line.strip()[:200], file=sys.stderr)
                return 1
            if not expect_invalid and errors:
                print("invalid: %s: %s" % (errors[0].message, line.strip()[:200]), file=sys.stderr)
                return 1
            n += 1
    print("%d %s (%s)" % (n, "refused" if expect_invalid else "valid", how))
    return 0


if __name__ == "__main__":
    sys.exit(main())

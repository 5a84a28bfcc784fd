#!/usr/bin/env python3
"""Compare the packages of CycloneDX documents written by chainproof and by other tools.

Usage: bench/compare.py OURS.json OTHER.json [OTHER2.json ...]

Packages are compared as `type:namespace/name@version` keys taken from each component's purl
(qualifiers and subpaths dropped; PyPI names PEP 503-normalized; npm/composer/etc. case kept).
Prints counts, the edges each tool records, and the keys only one side has.
"""
import json
import re
import sys
from urllib.parse import unquote


def key(purl):
    if not purl or not purl.startswith("pkg:"):
        return None
    p, _, subpath = purl[4:].partition("#")
    p, _, query = p.partition("?")
    quals = dict(q.split("=", 1) for q in query.split("&") if "=" in q)
    ty, _, rest = p.partition("/")
    ty = ty.lower()
    name, _, version = rest.rpartition("@") if "@" in rest.lstrip("@") else (rest, "", "")
    if rest.startswith("@") and rest.count("@") == 1:
        name, version = rest, ""
    name = unquote(name)
    version = unquote(version)
    if ty == "gem" and "platform" in quals and version:
        # Bundler's `name (version-platform)`: we keep the platform in the purl qualifier
        # the purl spec defines; others put it in the version.
        version = f"{version}-{unquote(quals['platform'])}"
    if ty == "pypi":
        name = re.sub(r"[-_.]+", "-", name).lower()
    if ty == "golang" and subpath:
        # syft writes deep Go module paths as namespace/name + subpath; join them back.
        name = f"{name}/{unquote(subpath)}"
    if ty == "golang" and version and not version.startswith("v") and name != "stdlib":
        version = "v" + version
    return f"{ty}:{name}@{version}"


def load(path):
    with open(path) as f:
        doc = json.load(f)
    comps = []

    def walk(cs):
        for c in cs or []:
            comps.append(c)
            walk(c.get("components"))

    walk(doc.get("components"))
    keys = {k for k in (key(c.get("purl")) for c in comps) if k}
    # Components without a purl (local workspace projects) are matched by name@version.
    names = {f"{c.get('name')}@{c.get('version') or ''}" for c in comps if not c.get("purl")}
    edges = sum(len(d.get("dependsOn") or []) for d in doc.get("dependencies") or [])
    return keys, len(comps), edges, names


def main():
    ours, n, e, our_names = load(sys.argv[1])
    print(f"chainproof: {n} components, {len(ours)} distinct purl keys, {e} edges")
    for other in sys.argv[2:]:
        theirs, n2, e2, _ = load(other)
        print(f"\n{other}: {n2} components, {len(theirs)} distinct purl keys, {e2} edges")
        missing = sorted(theirs - ours)
        by_name = [k for k in missing if k.split(":", 1)[1] in our_names]
        missing = [k for k in missing if k not in by_name]
        if by_name:
            print(f"  found by them with a purl, by us as a project without one: {len(by_name)}")
        extra = sorted(ours - theirs)
        print(f"  found by them, not by us: {len(missing)}")
        for k in missing:
            print(f"    - {k}")
        print(f"  found by us, not by them: {len(extra)}")
        for k in extra[:40]:
            print(f"    + {k}")
        if len(extra) > 40:
            print(f"    ... {len(extra) - 40} more")


if __name__ == "__main__":
    main()

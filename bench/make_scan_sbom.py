#!/usr/bin/env python3
"""Writes a synthetic CycloneDX 1.6 SBOM of N packages (default 10,000) for bench/scan.sh.

Package names and versions come from the OSV corpus (PyPA, Go, RustSec, Bitnami, R; the
Haskell advisories are Markdown and not read here): for each affected package of each record,
its first listed version (or its first `fixed` version), so a realistic share of the packages
has findings. Like a real inventory, each (ecosystem, name) appears once, with the version of
the first record that names it; `--all-versions` keeps every distinct (ecosystem, name,
version) triple instead (a stress case: Go's `stdlib` alone then appears 85 times, each
version matching up to ~200 advisories). When the corpus has fewer packages than asked, the
rest are padded with renamed copies (`name-pad-K`) that match nothing, like the unvulnerable
bulk of a real inventory.

Usage: bench/make_scan_sbom.py [--corpus DIR] [-n N] [--all-versions] -o OUT.cdx.json
"""
import argparse
import json
import os
import re
import sys

try:
    import yaml  # PyPA and R records are YAML
except ImportError:  # pragma: no cover
    yaml = None
try:
    import tomllib  # RustSec front matter
except ImportError:  # pragma: no cover
    tomllib = None

PURL_TYPE = {
    "PyPI": "pypi",
    "Go": "golang",
    "crates.io": "cargo",
    "Bitnami": "bitnami",
    "CRAN": "cran",
    "Hackage": "hackage",
}


def rustsec(text):
    """A RustSec advisory (Markdown with TOML front matter) as a minimal OSV record."""
    m = re.match(r"\s*```toml\n(.*?)\n```", text, re.S)
    if not m:
        return None
    t = tomllib.loads(m.group(1))
    name = (t.get("advisory") or {}).get("package")
    patched = (t.get("versions") or {}).get("patched") or []
    fixed = None
    for req in patched:
        mm = re.search(r"(\d+\.\d+\.\d+[^,\s]*)", req)
        if mm:
            fixed = mm.group(1)
            break
    if not name or not fixed:
        return None
    events = [{"introduced": "0"}, {"fixed": fixed}]
    return {"affected": [{"package": {"ecosystem": "crates.io", "name": name},
                          "ranges": [{"type": "SEMVER", "events": events}]}]}


def records(osv_dir):
    for root, dirs, files in os.walk(osv_dir):
        dirs.sort()  # a deterministic walk
        for f in sorted(files):
            path = os.path.join(root, f)
            try:
                with open(path, encoding="utf-8") as fh:
                    if f.endswith(".json"):
                        rec = json.load(fh)
                    elif f.endswith(".yaml") and yaml is not None:
                        rec = yaml.safe_load(fh)
                    elif f.endswith(".md") and f.startswith("RUSTSEC-") and tomllib:
                        rec = rustsec(fh.read())
                    else:
                        continue
            except Exception:  # noqa: BLE001 - a bad file is skipped
                continue
            if isinstance(rec, dict):
                yield rec


def purl(eco, name, version):
    ty = PURL_TYPE[eco]
    if ty == "golang":
        ns, _, last = name.rpartition("/")
        path = f"{ns}/{last}" if ns else last
    elif ty == "pypi":
        path = name.lower().replace("_", "-").replace(".", "-")
    else:
        path = name
    return f"pkg:{ty}/{path}@{version}"


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    default_corpus = os.environ.get(
        "CHAINPROOF_CORPUS", os.path.join(here, "..", "..", "shared", "corpus")
    )
    ap.add_argument("--corpus", default=default_corpus)
    ap.add_argument("-n", type=int, default=10000)
    ap.add_argument("-o", required=True)
    ap.add_argument("--all-versions", action="store_true")
    a = ap.parse_args()
    osv = os.path.join(a.corpus, "osv")
    if not os.path.isdir(osv):
        sys.exit(f"no OSV corpus at {osv}")
    seen, pkgs = set(), []
    for rec in records(osv):
        for aff in rec.get("affected") or []:
            p = aff.get("package") or {}
            eco = (p.get("ecosystem") or "").split(":")[0]
            name = p.get("name")
            if eco not in PURL_TYPE or not name:
                continue
            vs = aff.get("versions") or []
            v = str(vs[0]) if vs else None
            if v is None:
                for r in aff.get("ranges") or []:
                    for e in r.get("events") or []:
                        if "fixed" in e:
                            v = e["fixed"]
                            break
                    if v:
                        break
            ident = (eco, name, v) if a.all_versions else (eco, name)
            if not v or ident in seen:
                continue
            seen.add(ident)
            pkgs.append((eco, name, v))
    if not pkgs:
        sys.exit("no packages found in the corpus")
    # Spread over ecosystems: round robin per ecosystem.
    by_eco = {}
    for p in pkgs:
        by_eco.setdefault(p[0], []).append(p)
    order, i = [], 0
    lists = [by_eco[k] for k in sorted(by_eco)]
    while len(order) < len(pkgs):
        for lst in lists:
            if i < len(lst):
                order.append(lst[i])
        i += 1
    comps, k = [], 0
    while len(comps) < a.n:
        eco, name, v = order[k % len(order)]
        if k >= len(order):
            name = f"{name}-pad-{k // len(order)}"
        comps.append(
            {
                "type": "library",
                "bom-ref": f"c{k}",
                "name": name,
                "version": v,
                "purl": purl(eco, name, v),
            }
        )
        k += 1
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {"component": {"type": "application", "name": "scan-bench"}},
        "components": comps,
    }
    with open(a.o, "w", encoding="utf-8") as fh:
        json.dump(bom, fh)
    eco_counts = {}
    for c in comps:
        t = c["purl"].split("/")[0]
        eco_counts[t] = eco_counts.get(t, 0) + 1
    print(f"{a.o}: {len(comps)} components ({len(order)} distinct from corpus) {eco_counts}")


if __name__ == "__main__":
    main()

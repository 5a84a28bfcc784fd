#!/usr/bin/env python3
"""Build a large synthetic source tree from the shared corpus, for benchmarks.

Usage: bench/make_synthetic.py OUT_DIR [COPIES]

- every realworld tree, COPIES times (default 20), each under its own folder;
- every lockfile fixture of the corpus under its real file name (fixture names such as
  `two-packages.v1.json` are renamed after the format they hold), COPIES times;
- an installed `node_modules` tree (one package.json per package of firefly-iii's
  package-lock.json, nested paths kept);
- a Python `site-packages` with one `*.dist-info/METADATA` per package of uv's uv.lock.
"""
import json
import os
import shutil
import sys
import tomllib

OUT = sys.argv[1]
COPIES = int(sys.argv[2]) if len(sys.argv) > 2 else 20
HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.environ.get("CHAINPROOF_CORPUS", os.path.join(HERE, "..", "..", "shared", "corpus"))

# fixture folder fragment -> real file name
RENAMES = [
    ("/osv-scanner-v1/npm/", "package-lock.json"),
    ("/javascript-packagelockjson/", "package-lock.json"),
    ("/osv-scanner-v1/yarn/", "yarn.lock"),
    ("/javascript-yarnlock/", "yarn.lock"),
    ("/osv-scanner-v1/pnpm/", "pnpm-lock.yaml"),
    ("/javascript-pnpmlock/", "pnpm-lock.yaml"),
    ("/cargo/", "Cargo.lock"),
    ("/go/osv-scanner-v1/go/", "go.mod"),
    ("/golang-gomod/", "go.mod"),
    ("/pip/", "requirements.txt"),
    ("/python-requirements/", "requirements.txt"),
    ("/poetry/", "poetry.lock"),
    ("/python-poetrylock/", "poetry.lock"),
    ("/python-uvlock/", "uv.lock"),
    ("/pipenv/", "Pipfile.lock"),
    ("/python-pipfilelock/", "Pipfile.lock"),
    ("/pdm/", "pdm.lock"),
    ("/python-pdmlock/", "pdm.lock"),
    ("/rubygems/", "Gemfile.lock"),
    ("/packagist/", "composer.lock"),
    ("/pub/", "pubspec.lock"),
    ("/conan/", "conan.lock"),
    ("/cran/", "renv.lock"),
]


def real_name(rel, name):
    if name in ("package-lock.json", "yarn.lock", "pnpm-lock.yaml", "Cargo.lock", "go.mod",
                "poetry.lock", "uv.lock", "Gemfile.lock", "composer.lock"):
        return name
    for frag, real in RENAMES:
        if frag in "/" + rel:
            return real
    return None


def main():
    os.makedirs(OUT, exist_ok=True)
    lock_root = os.path.join(CORPUS, "lockfiles")
    fixtures = []
    for dirpath, _, files in os.walk(lock_root):
        for f in files:
            rel = os.path.relpath(os.path.join(dirpath, f), lock_root)
            name = real_name(rel, f)
            if name and not rel.startswith("_e2e"):
                fixtures.append((os.path.join(dirpath, f), name))
    n = 0
    for c in range(COPIES):
        for i, (src, name) in enumerate(fixtures):
            d = os.path.join(OUT, f"fixtures-{c}", f"{i:04d}")
            os.makedirs(d, exist_ok=True)
            shutil.copyfile(src, os.path.join(d, name))
            n += 1
        for tree in sorted(os.listdir(os.path.join(CORPUS, "realworld"))):
            shutil.copytree(os.path.join(CORPUS, "realworld", tree),
                            os.path.join(OUT, f"realworld-{c}", tree), dirs_exist_ok=True)
    # installed node_modules
    lock = json.load(open(os.path.join(CORPUS, "realworld/firefly-iii/package-lock.json")))
    nm = 0
    for path, meta in lock["packages"].items():
        if not path.startswith("node_modules/") or meta.get("link"):
            continue
        d = os.path.join(OUT, "installed-app", path)
        os.makedirs(d, exist_ok=True)
        name = meta.get("name") or path.rsplit("node_modules/", 1)[1]
        pj = {"name": name, "version": meta.get("version", "0.0.0"),
              "license": meta.get("license", "MIT"),
              "dependencies": meta.get("dependencies", {})}
        json.dump(pj, open(os.path.join(d, "package.json"), "w"), indent=2)
        nm += 1
    # site-packages
    uv = tomllib.load(open(os.path.join(CORPUS, "realworld/uv/uv.lock"), "rb"))
    sp = os.path.join(OUT, "venv/lib/python3.12/site-packages")
    dist = 0
    for p in uv.get("package", []):
        d = os.path.join(sp, f"{p['name'].replace('-', '_')}-{p['version']}.dist-info")
        os.makedirs(d, exist_ok=True)
        deps = [x["name"] for x in p.get("dependencies", [])]
        with open(os.path.join(d, "METADATA"), "w") as f:
            f.write(f"Metadata-Version: 2.1\nName: {p['name']}\nVersion: {p['version']}\n")
            f.write("License-Expression: MIT\n")
            for x in deps:
                f.write(f"Requires-Dist: {x}\n")
        dist += 1
    print(f"{OUT}: {n} lockfile fixtures, {COPIES} copies of the realworld trees, "
          f"{nm} installed node_modules packages, {dist} dist-info folders")


main()

#!/usr/bin/env python3
"""Generate the differential fixtures for Maven, RubyGems and Packagist (Composer).

Usage: python3 gen_lang.py ECOSYSTEM /path/to/corpus   (ECOSYSTEM: maven, rubygems, composer, cran)
The reference runs as a child process (maven/Compare.java, compare.rb, compare.php, compare.R; see
README.md) speaking a small line protocol described in maven/Compare.java.
Writes ../data/<ecosystem>_pairs.tsv: JSON-string a, JSON-string b, verdict (<, =, >).
"""
import glob
import json
import os
import random
import re
import subprocess
import sys
import urllib.parse

eco, corpus = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
out_dir = os.path.join(here, "..", "data")
OSV_NAME = {"maven": "Maven", "rubygems": "RubyGems", "composer": "Packagist", "cran": "CRAN"}[eco]


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def corpus_strings():
    found = set()
    lock = os.path.join(corpus, "lockfiles")
    # Versions queried in osv-scanner's end-to-end cassettes, per ecosystem.
    for path in glob.glob(os.path.join(lock, "_e2e/**/*"), recursive=True):
        if os.path.isfile(path):
            text = read(path)
            for m in re.finditer(r'"ecosystem":\s*"' + OSV_NAME + r'"[^{}]*?\}\s*,\s*"version":\s*"([^"]*)"', text):
                found.add(m.group(1))
    # Every version in the Bitnami records (SemVer-like strings of many projects).
    for path in glob.glob(os.path.join(corpus, "osv/bitnami/data/**/*.json"), recursive=True):
        record = json.loads(read(path))
        for affected in record.get("affected") or []:
            found.update(affected.get("versions") or [])
            for r in affected.get("ranges") or []:
                for event in r.get("events") or []:
                    found.update(v for v in event.values() if isinstance(v, str))
    # Versions in package URLs of the corpus SBOMs (CycloneDX/SPDX examples, syft and trivy fixtures).
    purl_type = {"maven": "maven", "rubygems": "gem", "composer": "composer", "cran": "cran"}[eco]
    for path in glob.glob(os.path.join(corpus, "sbom/**/*"), recursive=True):
        if os.path.isfile(path) and path.endswith((".json", ".xml", ".spdx", ".golden", ".txt")):
            for m in re.findall(r"pkg:" + purl_type + r"/[^\"@\s<]+@([^\"?#\s<]+)", read(path)):
                found.add(urllib.parse.unquote(m))
    if eco == "maven":
        for path in glob.glob(os.path.join(lock, "maven/**/*"), recursive=True):
            if not os.path.isfile(path):
                continue
            text = read(path)
            found.update(re.findall(r"<version>\s*([^<$]+?)\s*</version>", text))
            found.update(re.findall(r'\bversion\s*=\s*["\']([^"\'$]+)["\']', text))
            found.update(re.findall(r"^[\w.-]+:[\w.-]+:([^=\s]+)=", text, re.M))
    elif eco == "rubygems":
        paths = glob.glob(os.path.join(lock, "rubygems/**/*"), recursive=True)
        paths += glob.glob(os.path.join(corpus, "realworld/rubygems.org/*"))
        for path in paths:
            if os.path.isfile(path):
                found.update(re.findall(r"^\s+[\w.-]+ \(([^)=<>~!,]+?)(?:-[a-z0-9_]+-[a-z0-9_]+)?\)", read(path), re.M))
    elif eco == "composer":
        paths = glob.glob(os.path.join(lock, "packagist/**/*"), recursive=True)
        paths += glob.glob(os.path.join(corpus, "realworld/firefly-iii/composer.lock"))
        for path in paths:
            if os.path.isfile(path):
                found.update(re.findall(r'"version":\s*"([^"]+)"', read(path)))
    elif eco == "cran":
        paths = glob.glob(os.path.join(lock, "cran/**/*"), recursive=True)
        paths += glob.glob(os.path.join(corpus, "osv/r/**/*"), recursive=True)
        for path in paths:
            if os.path.isfile(path):
                text = read(path)
                found.update(re.findall(r'"Version":\s*"([^"]+)"', text))
                found.update(re.findall(r'(?:introduced|fixed|last_affected|limit):\s*["\']?([^\s"\']+)', text))
                found.update(re.findall(r"^\s*-\s*['\"]?([0-9][^\s'\"]*)", text, re.M))
    return sorted(s for s in found if s and "\n" not in s)


rng = random.Random(31337)
NUMS = ["0", "1", "2", "3", "9", "10", "00", "01", "007", "123", "2023", "20190126", "1234567890",
        "0000000000", "18446744073709551616", "99999999999999999999"]
QUALS = {
    "cran": ["0", "1", "2", "10", "01", "9000", "2147483647", "2147483648"],
    "maven": ["alpha", "a", "beta", "b", "milestone", "m", "rc", "cr", "snapshot", "SNAPSHOT", "ga", "final",
              "release", "sp", "abc", "def", "jre", "android", "Final", "RELEASE", "M", "RC", "x", "pom", "GA"],
    "rubygems": ["a", "alpha", "b", "beta", "pre", "rc", "RC", "dev", "x", "Z", "z", "ab", "A", "preview"],
    "composer": ["alpha", "a", "beta", "b", "RC", "rc", "patch", "pl", "p", "stable", "dev", "DEV", "Alpha",
                 "x", "foo", "snapshot"],
}[eco]
SEPS = {"cran": [".", ".", "-", "-", ""], "maven": [".", ".", "-", "", "_"], "rubygems": [".", ".", "-", ""],
        "composer": [".", ".", "-", "", "_", "+"]}[eco]


def structured():
    s = rng.choice(["", "", "", "", "v", "V", " "])
    s += ".".join(rng.choice(NUMS[:9] if rng.random() < 0.8 else NUMS) for _ in range(rng.randint(1, 5)))
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
        s += rng.choice(SEPS) + rng.choice(QUALS if rng.random() < 0.7 else NUMS[:9])
        if rng.random() < 0.5:
            s += rng.choice(SEPS + [""]) + rng.choice(NUMS[:9])
    if rng.random() < 0.1:
        s += rng.choice(["+build.1", "+001", "-dev", ".dev", "@beta", " as 1.0.0", "-SNAPSHOT", "..", "--"])
    if rng.random() < 0.05:
        s += rng.choice([" ", "\t", "\n "])
    return s


PIECES = NUMS[:9] + QUALS + SEPS + ["..", "--", "v", " ", "+", "*", "x", "é", "İ"]
synthetic = set()
while len(synthetic) < 4000:
    synthetic.add(structured())
while len(synthetic) < 5500:
    synthetic.add("".join(rng.choice(PIECES) for _ in range(rng.randint(1, 7))))
corpus_list = corpus_strings()
synthetic = sorted(s for s in synthetic - set(corpus_list) if s)
# Blank strings are rejected on purpose (Maven and RubyGems read them as 0).
strings = [s for s in corpus_list + synthetic if s.strip(" \t\r\n\f\v")]

REF = {
    "maven": ["java", "-cp", f"{here}/maven:/usr/share/java/maven-artifact-3.x.jar", "Compare"],
    "rubygems": ["ruby", f"{here}/compare.rb"],
    "composer": ["php", f"{here}/compare.php"],
    "cran": ["Rscript", f"{here}/compare.R"],
}[eco]


def run(mode, pairs=()):
    payload = [mode, str(len(strings))] + [s.encode("utf-8").hex() for s in strings]
    payload += [f"{i} {j}" for i, j in pairs]
    out = subprocess.run(REF, input="\n".join(payload) + "\n", capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(out.stderr[-3000:])
    return out.stdout.splitlines()


lines = run("sort")
valid = [i for i, flag in enumerate(lines[: len(strings)]) if flag == "1"]
order = [int(i) for i in lines[len(strings)].split()]
# Pairs: neighbours in the reference's order, seeded random pairs among valid strings.
pairs = set(zip(order, order[1:]))
while len(pairs) < max(len(order) + 6000, 11000):
    pairs.add((rng.choice(valid), rng.choice(valid)))
pairs = sorted(pairs)
pairs = [(b, a) if rng.random() < 0.5 else (a, b) for a, b in pairs]
verdicts = run("cmp", pairs)
assert len(verdicts) == len(pairs)
version = {
    "maven": "maven-artifact 3.8.7 (Debian maven)",
    "rubygems": "Gem::Version of RubyGems " + subprocess.run(["ruby", "-e", "print Gem::VERSION"], capture_output=True, text=True).stdout,
    "cran": "R " + subprocess.run(["Rscript", "-e", "cat(as.character(getRversion()))"], capture_output=True, text=True).stdout + " package_version",
    "composer": "composer/semver 3.3.2 (Debian php-composer-semver) with PHP " + subprocess.run(["php", "-r", "echo PHP_VERSION;"], capture_output=True, text=True).stdout,
}[eco]


def enc(s):
    return json.dumps(s, ensure_ascii=False)


with open(os.path.join(out_dir, f"{eco}_pairs.tsv"), "w", encoding="utf-8") as f:
    f.write(f"# generated by gen_lang.py with {version}; do not edit\n")
    for (a, b), v in zip(pairs, verdicts):
        f.write(f"{enc(strings[a])}\t{enc(strings[b])}\t{v}\n")
if eco != "maven":
    with open(os.path.join(out_dir, f"{eco}_invalid.tsv"), "w", encoding="utf-8") as f:
        f.write(f"# generated by gen_lang.py with {version}; strings the reference rejects; do not edit\n")
        for i, flag in enumerate(lines[: len(strings)]):
            if flag != "1":
                f.write(enc(strings[i]) + "\n")
print(f"{eco}: {len(corpus_list)} corpus + {len(synthetic)} synthetic strings, {len(valid)} valid, {len(pairs)} pairs")

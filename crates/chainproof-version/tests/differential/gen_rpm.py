#!/usr/bin/env python3
"""Generate the RPM differential fixture.

Reference: rpm's Lua `rpm.vercmp(a, b)` (rpmverParse + rpmverCmp, the EVR
comparison), run as `rpm --eval '%{lua: ...}'` with thousands of pairs per
process (see README.md for the rpm version).
Writes ../data/rpm_pairs.tsv: JSON-string a, JSON-string b, verdict (<, =, >).
Usage: python3 gen_rpm.py /path/to/corpus /path/to/rpm-checkout
Version strings: the rpm databases in the corpus (package EVRs and the
versions of their requires/provides/conflicts/obsoletes), the trivy CentOS 7
SBOM and syft's container manifest, the version strings of rpm's own
tests/rpmvercmp.at, and synthetic ones.
"""
import glob
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

corpus, rpm_src = sys.argv[1:3]
out_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")
rng = random.Random(4)

QF = "%{EPOCH}:%{VERSION}-%{RELEASE}\\n%{VERSION}-%{RELEASE}\\n%{VERSION}\\n" \
     "[%{REQUIREVERSION}\\n][%{PROVIDEVERSION}\\n][%{CONFLICTVERSION}\\n][%{OBSOLETEVERSION}\\n]"


def rpmdb(path, backend, name):
    with tempfile.TemporaryDirectory() as d:
        shutil.copy(path, os.path.join(d, name))
        out = subprocess.run(["rpm", "-qa", "--dbpath", d, "--define", f"_db_backend {backend}", "--qf", QF],
                             capture_output=True, text=True).stdout
    return {line.replace("(none):", "") for line in out.splitlines() if line}


corpus_strings = set()
corpus_strings |= rpmdb(os.path.join(corpus, "images/rpm/go-rpmdb/pkg/testdata/cbl-mariner-2.0/rpmdb.sqlite"), "sqlite", "rpmdb.sqlite")
corpus_strings |= rpmdb(os.path.join(corpus, "images/rpm/go-rpmdb/pkg/testdata/libuuid/Packages"), "bdb_ro", "Packages")
corpus_strings |= rpmdb(os.path.join(corpus, "images/os-pkgdb/syft/syft/pkg/cataloger/redhat/testdata/Packages"), "bdb_ro", "Packages")
corpus_strings |= rpmdb(os.path.join(corpus, "images/os-pkgdb/scalibr/extractor/filesystem/os/rpm/testdata/Packages_epoch"), "bdb_ro", "Packages")
with open(os.path.join(corpus, "images/os-pkgdb/syft/syft/pkg/cataloger/redhat/testdata/container-manifest-2"), encoding="utf-8") as f:
    for line in f:
        cols = line.rstrip("\n").split("\t")
        if len(cols) > 5:
            corpus_strings.add(cols[1] if cols[5] == "(none)" else f"{cols[5]}:{cols[1]}")
for path in glob.glob(os.path.join(corpus, "sbom/trivy/**/centos-7-cyclonedx.json"), recursive=True):
    with open(path, encoding="utf-8") as f:
        for c in json.load(f).get("components", []):
            if c.get("purl", "").startswith("pkg:rpm/"):
                epoch = re.search(r"[?&]epoch=([0-9]+)", c["purl"])
                corpus_strings.add((epoch.group(1) + ":" if epoch else "") + c["version"])
corpus_strings.discard("")

# Version strings of rpm's own comparison tests (verdicts are recomputed).
vectors = set()
with open(os.path.join(rpm_src, "tests/rpmvercmp.at"), encoding="utf-8") as f:
    for m in re.finditer(r"^RPMVERCMP\(([^,]*), ([^,]*), -?[01]\)", f.read(), re.M):
        vectors.update([m.group(1), m.group(2)])
vectors -= corpus_strings
vectors.discard("")

PIECES = ["0", "1", "2", "9", "10", "00", "01", "007", "99999999999999999999", ".", ".", ".", "-", "_", "+", "~",
          "^", "~~", "^^", "a", "b", "z", "A", "Z", "rc", "alpha", "git", "el", "fc", "cm", "p", "é", " ", ":", "%"]


def synthetic():
    s = ""
    if rng.random() < 0.25:
        s += rng.choice(["", "0", "1", "2", "01", "10", "18446744073709551616"]) + ":"
    s += "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 6)))
    if rng.random() < 0.6:
        s += "-" + "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 4)))
    return s


def realistic():
    s = rng.choice(["", "", "", "1:", "2:", "0:"])
    s += ".".join(rng.choice(["0", "1", "2", "3", "10", "01", "1a", "2b", "rc1"]) for _ in range(rng.randint(1, 4)))
    if rng.random() < 0.3:
        s += rng.choice(["~rc1", "~beta", "^git1", "^20240101", "~rc1^git2", "^1~2"])
    s += "-" + rng.choice(["1", "2", "0.1", "1.el9", "1.el9_2", "2.fc40", "3.cm2", "1.el8~", "10.1"])
    return s


synth = set()
while len(synth) < 3000:
    synth.add(synthetic())
while len(synth) < 5000:
    synth.add(realistic())
synth -= corpus_strings | vectors
synth = {s for s in synth if s and "\x00" not in s}
strings = sorted(corpus_strings) + sorted(vectors) + sorted(synth)


def lua_str(s):
    return '"' + "".join(f"\\{b:03d}" for b in s.encode("utf-8")) + '"'


def vercmp_batch(pairs):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write("local p = {\n")
        for a, b in pairs:
            f.write(f"{{{lua_str(a)}, {lua_str(b)}}},\n")
        f.write("}\nfor i = 1, #p do io.write(rpm.vercmp(p[i][1], p[i][2]), '\\n') end\n")
        script = f.name
    try:
        out = subprocess.run(["rpm", "--eval", f"%{{lua: dofile('{script}')}}"], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script)
    res = [line for line in out.splitlines() if line != ""]
    assert len(res) == len(pairs), (len(res), len(pairs))
    return [{"-1": "<", "0": "=", "1": ">"}[r] for r in res]


# Neighbours in rpm's order (sorted with a merge sort whose comparisons are
# rpm.vercmp batches would be slow; a key port chooses pairs, rpm decides).
SEG = re.compile(rb"[0-9]+|[A-Za-z]+|~|\^")


def segs(s):
    out = []
    for m in SEG.finditer(s.encode("utf-8")):
        t = m.group(0)
        if t == b"~":
            out.append((0,))
        elif t == b"^":
            out.append((2,))
        elif t[:1].isdigit():
            out.append((4, int(t)))
        else:
            out.append((3, t))
    return out + [(1,)]


def key(s):
    e, _, rest = s.partition(":") if re.match(r"^[0-9]*:", s) else ("0", "", s)
    v, dash, r = rest.rpartition("-") if "-" in rest else (rest, "", "")
    return (int(e or 0), segs(v), (1, segs(r)) if dash else (0,))


ordered = sorted(strings, key=key)
pairs = set(zip(ordered, ordered[1:])) | set(zip(ordered, ordered[2:]))
while len(pairs) < 2 * len(ordered) + 4000:
    pairs.add((rng.choice(strings), rng.choice(strings)))
pairs = sorted((b, a) if rng.random() < 0.5 else (a, b) for a, b in pairs)
verdicts = []
for i in range(0, len(pairs), 4000):
    verdicts += vercmp_batch(pairs[i:i + 4000])

version = subprocess.run(["rpm", "--version"], capture_output=True, text=True).stdout.strip()
with open(os.path.join(out_dir, "rpm_pairs.tsv"), "w", encoding="utf-8") as f:
    f.write(f"# generated by gen_rpm.py with {version} (rpm.vercmp); do not edit\n")
    for (a, b), v in zip(pairs, verdicts):
        f.write(f"{json.dumps(a, ensure_ascii=False)}\t{json.dumps(b, ensure_ascii=False)}\t{v}\n")
print(f"{len(corpus_strings)} corpus + {len(vectors)} rpm test vectors + {len(synth)} synthetic strings, {len(pairs)} pairs")

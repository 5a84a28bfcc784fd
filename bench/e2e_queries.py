#!/usr/bin/env python3
"""Extracts the osv-scanner end-to-end cassettes' recorded osv.dev answers as a second oracle.

Reads every `testdata/cassettes/*.yaml` under the corpus's `lockfiles/_e2e/osv-scanner-scan`,
pairs each `querybatch` request's queries with the response's results, and prints one JSON list
of {ecosystem, name, version, ids} (ids = the vulnerability ids osv.dev returned; deduplicated
over all cassettes, answers for the same query merged). Only ecosystems given by --ecosystems
(default: the ones our corpus DB covers) are kept.

Usage: bench/e2e_queries.py [--corpus DIR] > queries.json
"""
import argparse
import glob
import json
import os
import sys

import yaml

COVERED = "PyPI,Go,crates.io,Bitnami,CRAN,Hackage"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.environ.get(
        "CHAINPROOF_CORPUS", os.path.join(here, "..", "..", "shared", "corpus")))
    ap.add_argument("--ecosystems", default=COVERED)
    a = ap.parse_args()
    want = set(a.ecosystems.split(","))
    base = os.path.join(a.corpus, "lockfiles", "_e2e", "osv-scanner-scan", "testdata", "cassettes")
    answers = {}
    for path in sorted(glob.glob(os.path.join(base, "*.yaml"))):
        with open(path, encoding="utf-8") as fh:
            doc = yaml.safe_load(fh)
        for it in doc.get("interactions") or []:
            req, resp = it.get("request") or {}, it.get("response") or {}
            if not str(req.get("url", "")).endswith("/v1/querybatch"):
                continue
            try:
                qs = json.loads(req.get("body") or "{}").get("queries") or []
                rs = json.loads(resp.get("body") or "{}").get("results") or []
            except ValueError:
                continue
            if len(qs) != len(rs):
                continue
            for q, r in zip(qs, rs):
                p = q.get("package") or {}
                eco, name, ver = p.get("ecosystem"), p.get("name"), q.get("version")
                if eco not in want or not name or not ver:
                    continue
                ids = {v.get("id") for v in (r.get("vulns") or []) if v.get("id")}
                key = (eco, name, ver)
                answers.setdefault(key, set()).update(ids)
    out = [{"ecosystem": e, "name": n, "version": v, "ids": sorted(ids)}
           for (e, n, v), ids in sorted(answers.items())]
    json.dump(out, sys.stdout, indent=1)
    print(f"{len(out)} queries", file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# Whole-process `chainproof scan` benchmark: median wall time over RUNS runs (default 5, after
# one warm-up run) and peak RSS (/usr/bin/time -v) of
#   (a) every ../shared/corpus/realworld tree, and
#   (b) a synthetic 10,000-package CycloneDX SBOM (bench/make_scan_sbom.py, names and versions
#       from the OSV corpus, one version per package), and
#   (c) the stress variant of (b) with every distinct (name, version) of the corpus
#       (make_scan_sbom.py --all-versions: Go's stdlib 85 times, ~50,000 findings),
# each scanned with `chainproof scan TARGET --db DB -o json` against a DB built from the whole
# OSV corpus (`chainproof db build`). Target for (b): < 100 ms warm.
#
#   bench/scan.sh [TREE...]      env: RUNS, CP (a prebuilt chainproof), DB (a prebuilt DB),
#                                     SBOM / STRESS (prebuilt SBOMs for (b) / (c)),
#                                     N (SBOM size, default 10000), CHAINPROOF_CORPUS
# Not part of the tests. A scan exiting 1 (findings) counts as success; exit >= 2 is reported.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUNS=${RUNS:-5}
N=${N:-10000}
CORPUS=${CHAINPROOF_CORPUS:-$ROOT/../shared/corpus}
OSV="$CORPUS/osv"
[ -d "$OSV" ] || { echo "no corpus at $CORPUS" >&2; exit 2; }
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT

if [ -z "${CP:-}" ]; then
  cargo build --release --quiet -p chainproof
  CP=${CARGO_TARGET_DIR:-$ROOT/target}/release/chainproof
fi

if [ -z "${DB:-}" ]; then
  DB="$TMP/osv.db"
  /usr/bin/time -f "%e s wall, %U s user, %S s sys, %M KB peak" -o "$TMP/build.time" \
    "$CP" -q db build "$OSV/pypa/vulns" "$OSV/go/data/osv" "$OSV/rustsec" "$OSV/bitnami/data" \
      "$OSV/r/vulns" "$OSV/haskell/advisories" -o "$DB" >/dev/null
  echo "db build: $(cat "$TMP/build.time"), $(stat -c %s "$DB") bytes"
  "$CP" db status --db "$DB" | sed -n 's/^records: */db records: /p'
fi

if [ -z "${SBOM:-}" ]; then
  SBOM="$TMP/sbom-$N.cdx.json"
  python3 bench/make_scan_sbom.py --corpus "$CORPUS" -n "$N" -o "$SBOM"
fi
if [ -z "${STRESS:-}" ]; then
  STRESS="$TMP/sbom-$N-all-versions.cdx.json"
  python3 bench/make_scan_sbom.py --corpus "$CORPUS" -n "$N" --all-versions -o "$STRESS"
fi

# one_run TARGET -> "wall-seconds cpu-seconds kib exitcode" (cpu = user + system, all threads;
# on a loaded machine the wall time includes waiting for a core, the CPU time does not)
one_run() {
  local rc=0
  /usr/bin/time -v -o "$TMP/tv" "$CP" scan "$1" --db "$DB" -o json >"$TMP/out.json" 2>"$TMP/err" || rc=$?
  local secs cpu kib
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$TMP/tv")
  cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {printf "%.2f", s}' "$TMP/tv")
  kib=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$TMP/tv")
  echo "$secs $cpu $kib $rc"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

bench() { # LABEL TARGET
  local label=$1 target=$2 times=() cpus=() rss=0 rc=0 line
  one_run "$target" >/dev/null # warm-up (page cache)
  for _ in $(seq "$RUNS"); do
    read -r s u k c < <(one_run "$target")
    times+=("$s"); cpus+=("$u"); [ "$k" -gt "$rss" ] && rss=$k; rc=$c
  done
  local median cpu
  median=$(printf '%s\n' "${times[@]}" | median)
  cpu=$(printf '%s\n' "${cpus[@]}" | median)
  local findings
  findings=$(python3 -c 'import json,sys
try:
    d=json.load(open(sys.argv[1]))
    f=d.get("findings", d.get("vulnerabilities", [])) if isinstance(d, dict) else d
    print(len(f))
except Exception as e:
    print("?")' "$TMP/out.json")
  line="$label: median ${median}s wall, ${cpu}s CPU over $RUNS runs, peak RSS ${rss} KB, exit $rc, findings $findings"
  [ "$rc" -ge 2 ] && line="$line  (ERROR: $(head -c 300 "$TMP/err"))"
  echo "$line"
}

if [ $# -gt 0 ]; then TREES=("$@"); else TREES=("$CORPUS"/realworld/*/); fi
for t in "${TREES[@]}"; do bench "realworld $(basename "$t")" "$t"; done
bench "synthetic SBOM ($N packages)" "$SBOM"
bench "synthetic SBOM, all versions ($N packages)" "$STRESS"

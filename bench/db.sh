#!/usr/bin/env bash
# Benchmarks the OSV database: `db build` time and peak memory, DB size, `db status` (open)
# time, and open + scan time of a synthetic 10,000-package inventory (example db_query).
#
#   bench/db.sh [CORPUS]        (CORPUS defaults to ../shared/corpus)
#
# Uses release builds in $CARGO_TARGET_DIR (default target/). Figures go to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=${1:-${CHAINPROOF_CORPUS:-../shared/corpus}}
TARGET=${CARGO_TARGET_DIR:-target}
OSV="$CORPUS/osv"
[ -d "$OSV" ] || { echo "no corpus at $CORPUS" >&2; exit 2; }

cargo build --release -q -p chainproof -p chainproof-osv --example db_query
BIN="$TARGET/release/chainproof"
Q="$TARGET/release/examples/db_query"
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
DB="$TMP/osv.db"

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e s, %M KB peak" -o "$TMP/time" "$@" >"$TMP/out" 2>"$TMP/err" || true
  echo "$label: $(cat "$TMP/time")"
}

measure "db build (pypa, go, rustsec, bitnami, r, haskell)" \
  "$BIN" -q db build "$OSV/pypa/vulns" "$OSV/go/data/osv" "$OSV/rustsec" "$OSV/bitnami/data" "$OSV/r/vulns" "$OSV/haskell/advisories" -o "$DB"
echo "db size: $(stat -c %s "$DB") bytes (sources: $(du -sb "$OSV" | cut -f1) bytes)"
measure "db status (open + header)" "$BIN" db status --db "$DB"
for n in 1000 10000; do
  "$Q" "$DB" "$n" | sed "s/^/db_query $n: /"
done
measure "db_query 10000 (whole process)" "$Q" "$DB" 10000

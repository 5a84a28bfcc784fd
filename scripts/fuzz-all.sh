#!/usr/bin/env bash
# Run every cargo-fuzz target in fuzz/ for a fixed time each and summarise the result.
# Not part of CI. Needs cargo-fuzz (`cargo install cargo-fuzz --locked`); runs on stable
# through RUSTC_BOOTSTRAP=1. Seed first with scripts/fuzz-seed.sh.
#
#   scripts/fuzz-all.sh [target ...]          # default: every target in fuzz/fuzz_targets
#
# Environment:
#   FUZZ_SECONDS   seconds per target (default 40)
#   FUZZ_CORPUS    corpus root, one dir per target (default /work/fuzz-corpus)
#   FUZZ_OUT       logs, crash artifacts and summary.tsv (default /work/fuzz-out)
#   FUZZ_SANITIZER none|address (default none: light, catches panics, hangs and OOMs)
#   (builds are optimized with debug assertions and overflow checks on, cargo-fuzz's default)
#   FUZZ_NO_BUILD  set to skip the build step
#   CARGO_TARGET_DIR as usual (default fuzz/target)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_PER=${FUZZ_SECONDS:-40}
CORPUS=${FUZZ_CORPUS:-/work/fuzz-corpus}
OUT=${FUZZ_OUT:-/work/fuzz-out}
SAN=${FUZZ_SANITIZER:-none}
export RUSTC_BOOTSTRAP=1
cd "$ROOT/fuzz" || exit 1
[ $# -eq 0 ] && set -- $(ls fuzz_targets/*.rs | sed 's|.*/||; s/\.rs$//')
mkdir -p "$OUT/logs" "$OUT/artifacts"
if [ -z "${FUZZ_NO_BUILD:-}" ]; then
  nice -n 19 cargo fuzz build -s "$SAN" || exit 1
fi
SUMMARY=$OUT/summary.tsv
[ -f "$SUMMARY" ] || printf 'target\tseconds\texecs\texec/s\tcorpus\tresult\n' > "$SUMMARY"
for t in "$@"; do
  mkdir -p "$CORPUS/$t" "$OUT/artifacts/$t"
  log=$OUT/logs/$t.log
  start=$(date +%s)
  nice -n 19 cargo fuzz run -s "$SAN" "$t" "$CORPUS/$t" -- \
    -max_total_time="$SECONDS_PER" -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix="$OUT/artifacts/$t/" -print_final_stats=1 > "$log" 2>&1
  rc=$?
  secs=$(( $(date +%s) - start ))
  execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
  if [ -z "$execs" ]; then execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#'); fi
  rate=$(grep -oE 'exec/s: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
  units=$(grep -oE 'corp: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
  if [ $rc -eq 0 ]; then result=ok
  elif grep -q 'ERROR: libFuzzer: timeout' "$log"; then result=timeout
  elif grep -q 'out-of-memory' "$log"; then result=oom
  elif grep -q 'deadly signal\|panicked at' "$log"; then result="crash: $(grep -m1 -oE 'panicked at [^ ]+' "$log" | sed 's/panicked at //')"
  else result="error rc=$rc"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$secs" "${execs:-0}" "${rate:-0}" "${units:-0}" "$result" | tee -a "$SUMMARY"
done

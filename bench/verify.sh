#!/usr/bin/env bash
# Sigstore bundle verification: chainproof vs sigstore-python on the same conformance bundles.
# For every keyless case of tests/fixtures/sigstore-conformance/bundle-verify: median wall time of
# RUNS whole-process runs of each tool (verdicts shown: ok / FAIL / ERR), then a batch mode: all
# cases in one process (`chainproof verify bundle --batch` vs a Python loop over sigstore's API).
# Not part of the tests. Usage: bench/verify.sh            (RUNS=5 by default)
#
# Anchor (outside the repo, see ../shared/design/ANCHORS.md):
#   python3 -m venv ../anchors/venv && ../anchors/venv/bin/pip install sigstore
# sigstore-python is run offline with --trust-config built from each case's trusted root.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUNS=${RUNS:-5}
ANCHORS=${ANCHORS:-$ROOT/../anchors}
PY=${PY:-$ANCHORS/venv/bin/python}
SIGSTORE=${SIGSTORE:-$ANCHORS/venv/bin/sigstore}
CASES=$ROOT/crates/chainproof/tests/fixtures/sigstore-conformance/bundle-verify
PROD_ROOT=$ROOT/crates/chainproof-sigstore/data/trusted_root_production.json
SIGNING_CONFIG=${SIGNING_CONFIG:-$ROOT/bench/sigstore-signing-config.json}
ID_DEFAULT="https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
ISS_DEFAULT="https://token.actions.githubusercontent.com"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# CHAINPROOF_BIN=path skips the release build (e.g. to time a debug build).
if [ -n "${CHAINPROOF_BIN:-}" ]; then CP=$CHAINPROOF_BIN; else
  cargo build --release --quiet -p chainproof
  CP=${CARGO_TARGET_DIR:-$ROOT/target}/release/chainproof
fi

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }

printf '%-58s %-6s %9s %-6s %9s %7s\n' case cp cp_ms py py_ms py/cp
batch_jsonl=$OUT/batch.jsonl
: > "$batch_jsonl"
for case in "$CASES"/*/; do
  name=$(basename "$case")
  [ -f "$case/key.pub" ] && continue  # sigstore-python has no bare public-key verification
  identity=$ID_DEFAULT; issuer=$ISS_DEFAULT; root=$PROD_ROOT; artifact=$CASES/a.txt
  [ -f "$case/identity" ] && identity=$(cat "$case/identity")
  [ -f "$case/issuer" ] && issuer=$(cat "$case/issuer")
  [ -f "$case/trusted_root.json" ] && root=$case/trusted_root.json
  [ -f "$case/artifact" ] && artifact=$case/artifact
  # sigstore-python's client trust config = trusted root + signing config.
  "$PY" - "$root" "$SIGNING_CONFIG" > "$OUT/$name.tc.json" <<'PYEOF'
import json, sys
print(json.dumps({"mediaType": "application/vnd.dev.sigstore.clienttrustconfig.v0.1+json",
                  "trustedRoot": json.load(open(sys.argv[1])),
                  "signingConfig": json.load(open(sys.argv[2]))}))
PYEOF
  printf '{"bundle":"%s","subject":"%s","identity":"%s","issuer":"%s","trustedRoot":"%s"}\n' \
    "$case/bundle.sigstore.json" "$artifact" "$identity" "$issuer" "$root" >> "$batch_jsonl"
  cp_cmd=("$CP" -q verify bundle --bundle "$case/bundle.sigstore.json" --certificate-identity "$identity" \
    --certificate-oidc-issuer "$issuer" --trusted-root "$root" "$artifact")
  py_cmd=("$SIGSTORE" --trust-config "$OUT/$name.tc.json" verify identity --offline \
    --bundle "$case/bundle.sigstore.json" --cert-identity "$identity" --cert-oidc-issuer "$issuer" "$artifact")
  for tool in cp py; do
    : > "$OUT/t"
    verdict=ok
    for _ in $(seq "$RUNS"); do
      t0=$(now)
      if [ $tool = cp ]; then "${cp_cmd[@]}" >/dev/null 2>&1 && rc=0 || rc=$?
      else "${py_cmd[@]}" >/dev/null 2>&1 && rc=0 || rc=$?; fi
      t1=$(now)
      echo "($t1 - $t0) * 1000" | bc >> "$OUT/t"
      [ $rc -eq 0 ] || verdict=FAIL
      [ $rc -ge 2 ] && [ $tool = cp ] && verdict=ERR
    done
    eval "${tool}_ms=\$(median < \"$OUT/t\")"
    eval "${tool}_v=$verdict"
  done
  printf '%-58s %-6s %9.1f %-6s %9.1f %7.1f\n' "$name" "$cp_v" "$cp_ms" "$py_v" "$py_ms" \
    "$(echo "$py_ms / $cp_ms" | bc -l)"
done

n=$(wc -l < "$batch_jsonl")
t0=$(now); "$CP" -q verify bundle --batch "$batch_jsonl" > "$OUT/batch.out" || true; t1=$(now)
cp_batch=$(echo "($t1 - $t0) * 1000" | bc)
t0=$(now)
"$PY" - "$batch_jsonl" "$SIGNING_CONFIG" > "$OUT/pybatch.out" 2>&1 <<'PYEOF' || true
import json, sys
from pathlib import Path
from sigstore.models import Bundle, ClientTrustConfig, TrustedRoot
from sigstore.verify import Verifier, policy
ok = bad = 0
for line in open(sys.argv[1]):
    c = json.loads(line)
    try:
        root = TrustedRoot.from_file(c["trustedRoot"])
        v = Verifier(trusted_root=root)
        b = Bundle.from_json(Path(c["bundle"]).read_bytes())
        v.verify_artifact(Path(c["subject"]).read_bytes(), b,
                          policy.Identity(identity=c["identity"], issuer=c["issuer"]))
        ok += 1
    except Exception:
        bad += 1
print(ok, bad)
PYEOF
t1=$(now)
py_batch=$(echo "($t1 - $t0) * 1000" | bc)
echo
printf 'batch (%s bundles, one process): chainproof %.0f ms (%s), sigstore-python %.0f ms (verified/rejected: %s), py/cp %.1f\n' \
  "$n" "$cp_batch" "$(grep -c '"verified":true' "$OUT/batch.out" || true) verified" "$py_batch" \
  "$(tail -1 "$OUT/pybatch.out")" "$(echo "$py_batch / $cp_batch" | bc -l)"

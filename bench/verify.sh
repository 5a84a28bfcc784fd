#!/usr/bin/env bash
# Sigstore bundle verification: chainproof vs sigstore-python on the same conformance bundles.
# For every keyless case of tests/fixtures/sigstore-conformance/bundle-verify: median wall time of
# RUNS whole-process runs of each tool (verdicts shown: ok / FAIL / ERR), then a batch mode: all
# cases in one process (`chainproof verify bundle --batch` vs a Python loop over sigstore's API).
# Then SLSA provenance (slsa-verifier's testdata, keyless, offline): whole-process runs of
# `chainproof verify provenance` per case, and the same cases with `verify provenance --batch`.
# (slsa-verifier itself cannot be the anchor here: it needs Rekor online for every case.)
# Not part of the tests. Usage: bench/verify.sh            (RUNS=5 by default)
#   BUNDLES=0 skips the bundle part, PROVENANCE=0 the provenance part.
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

if [ "${BUNDLES:-1}" != 0 ]; then
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
fi

if [ "${PROVENANCE:-1}" != 0 ]; then
  FIX=$ROOT/crates/chainproof/tests/fixtures/slsa-verifier
  # Cases and flags derived from the paths as crates/chainproof/tests/provenance_keyless.rs does.
  python3 - "$FIX" "$OUT/prov.jsonl" "$OUT/prov.args" <<'PYEOF'
import hashlib, json, os, sys
fix, jsonl, argsf = sys.argv[1:]
gen = "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/"
builders = {"gha_delegator": "https://github.com/slsa-framework/example-trw/.github/workflows/builder_high-perms_slsa3.yml",
            "gha_maven": gen + "builder_maven_slsa3.yml", "gha_gradle": gen + "builder_gradle_slsa3.yml"}
omitted = {}
for l in open(os.path.join(fix, "OMITTED_ARTIFACTS_SHA256.txt")):
    p = l.split()
    if len(p) == 3 and not l.startswith("#"):
        omitted[p[2]] = p[0]
td = os.path.join(fix, "testdata")
with open(jsonl, "w") as j, open(argsf, "w") as a:
    for kind in sorted(d for d in os.listdir(td) if d.startswith("gha_")):
        for ver in sorted(os.listdir(os.path.join(td, kind))):
            for name in sorted(os.listdir(os.path.join(td, kind, ver))):
                stem = next((name[: -len(s)] for s in (".intoto.build.slsa", ".build.slsa", ".intoto.jsonl", ".intoto.sigstore") if name.endswith(s)), None)
                if stem is None:
                    continue
                path = os.path.join(td, kind, ver, name)
                text = open(path).read()
                bundle = '"verificationMaterial"' in text
                if not bundle and '"cert"' not in text:
                    continue  # no certificate: needs a Rekor search
                art = os.path.join(td, kind, ver, stem)
                digest = hashlib.sha256(open(art, "rb").read()).hexdigest() if os.path.exists(art) \
                    else omitted["cli/slsa-verifier/testdata/%s/%s/%s" % (kind, ver, stem)]
                case = {"provenance": path, "artifacts": ["sha256:" + digest],
                        "sourceUri": "github.com/slsa-framework/example-package",
                        "allowNoTlog": not bundle, "testing": True}
                args = ["sha256:" + digest, "--provenance", path, "--source-uri", case["sourceUri"], "--testing"]
                if not bundle:
                    args.append("--allow-no-tlog")
                if kind in builders:
                    case["builderId"] = builders[kind]; args += ["--builder-id", builders[kind]]
                if stem.endswith("workflow_dispatch"):
                    case["sourceBranch"] = "main"; args += ["--source-branch", "main"]
                else:
                    case["sourceTag"] = "v" + stem.rsplit("-v", 1)[1]; args += ["--source-tag", case["sourceTag"]]
                j.write(json.dumps(case) + "\n")
                a.write("\t".join(args) + "\n")
PYEOF
  n=$(wc -l < "$OUT/prov.jsonl")
  : > "$OUT/t"
  fails=0
  for _ in $(seq "$RUNS"); do
    t0=$(now)
    while IFS=$'\t' read -r -a args; do
      "$CP" -q verify provenance "${args[@]}" >/dev/null 2>&1 || fails=$((fails + 1))
    done < "$OUT/prov.args"
    t1=$(now)
    echo "($t1 - $t0) * 1000" | bc >> "$OUT/t"
  done
  per_process=$(median < "$OUT/t")
  : > "$OUT/t"
  for _ in $(seq "$RUNS"); do
    t0=$(now)
    "$CP" -q verify provenance --batch "$OUT/prov.jsonl" > "$OUT/prov.out" || true
    t1=$(now)
    echo "($t1 - $t0) * 1000" | bc >> "$OUT/t"
  done
  batch_ms=$(median < "$OUT/t")
  echo
  printf 'provenance (%s slsa-verifier cases, keyless offline): one process per case %.0f ms total (%.1f ms/case, %s not verified); batch %.0f ms (%.2f ms/case, %s verified)\n' \
    "$n" "$per_process" "$(echo "$per_process / $n" | bc -l)" "$((fails / RUNS))" \
    "$batch_ms" "$(echo "$batch_ms / $n" | bc -l)" "$(grep -c '"verified":true' "$OUT/prov.out" || true)"
fi

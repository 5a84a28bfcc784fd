#!/usr/bin/env bash
# Seed one corpus directory per fuzz target from real files: the shared corpus
# (../shared/corpus, env CHAINPROOF_CORPUS overrides) and the crates' tests/fixtures.
# Seeds go OUTSIDE the repository (default /work/fuzz-corpus, env FUZZ_CORPUS overrides);
# corpora are never committed. Not part of CI.
#
#   scripts/fuzz-seed.sh [target ...]      # default: every target in fuzz/fuzz_targets
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${CHAINPROOF_CORPUS:-$ROOT/../shared/corpus}
OUT=${FUZZ_CORPUS:-/work/fuzz-corpus}
MAX_FILES=${MAX_SEEDS:-300}
MAX_SIZE=${MAX_SEED_SIZE:-1024k}
SRC=("$ROOT/crates")
[ -d "$ROOT/tests" ] && SRC+=("$ROOT/tests")
[ -d "$CORPUS" ] && SRC+=("$CORPUS") || echo "warning: corpus not found at $CORPUS" >&2

# seed_names TARGET 'find name expression...'  — files whose name matches
seed_find() {
  local t=$1; shift
  mkdir -p "$OUT/$t"
  find "${SRC[@]}" -type f -size -"$MAX_SIZE" \( "$@" \) -not -path '*/target/*' 2>/dev/null \
    | head -n "$MAX_FILES" | while read -r f; do
      cp -f "$f" "$OUT/$t/$(sha1sum "$f" | cut -c1-16)"
    done
}
# seed_grep TARGET REGEX GLOB  — files named GLOB whose content matches REGEX
seed_grep() {
  local t=$1 re=$2 glob=$3
  mkdir -p "$OUT/$t"
  find "${SRC[@]}" -type f -size -"$MAX_SIZE" -name "$glob" -not -path '*/target/*' 2>/dev/null \
    | xargs -r grep -lE "$re" 2>/dev/null | head -n "$MAX_FILES" | while read -r f; do
      cp -f "$f" "$OUT/$t/$(sha1sum "$f" | cut -c1-16)"
    done
}
# seed_lines TARGET < lines  — one seed per input line
seed_lines() {
  local t=$1 n=0
  mkdir -p "$OUT/$t"
  while IFS= read -r line && [ $n -lt "$MAX_FILES" ]; do
    printf '%s' "$line" > "$OUT/$t/line-$n"; n=$((n + 1))
  done
}

# seed_py TARGET — certificates (DER and PEM) and GitHub provenance from the Sigstore
# bundles and slsa-verifier `.intoto.jsonl` / `.intoto.sigstore` files, by a small python3 script
# (fulcio_cert: one certificate per seed; slsa_gha_identity: u16 LE certificate length,
# certificate DER, then the provenance statement JSON or the envelope line).
seed_certs() {
  local t=$1
  mkdir -p "$OUT/$t"
  command -v python3 >/dev/null || { echo "python3 missing: no seeds for $t" >&2; return; }
  find "${SRC[@]}" -type f -size -"$MAX_SIZE" \( -name '*.sigstore.json' -o -name '*.intoto.jsonl' \
      -o -name '*.intoto.sigstore' -o -name '*.build.slsa' -o -name '*.sigstore' -o -name '*.crt' \
      -o -name '*.pem' \) -not -path '*/target/*' 2>/dev/null | head -n 2000 > "$OUT/.cert-files"
  python3 - "$t" "$OUT/$t" "$MAX_FILES" "$OUT/.cert-files" <<'PY'
import base64, hashlib, json, re, struct, sys
target, out, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
seen = set()
def pem_to_der(pem):
    m = re.search(r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", pem, re.S)
    return base64.b64decode("".join(m.group(1).split())) if m else None
def emit(data):
    h = hashlib.sha1(data).hexdigest()[:16]
    if h in seen or len(seen) >= limit:
        return
    seen.add(h)
    open(f"{out}/{h}", "wb").write(data)
for path in open(sys.argv[4]).read().split("\n"):
    if not path:
        continue
    try:
        text = open(path, encoding="utf-8").read()
    except (OSError, UnicodeDecodeError):
        continue
    pairs = []  # (certificate DER, provenance bytes)
    if "BEGIN CERTIFICATE" in text and not text.lstrip().startswith("{"):
        der = pem_to_der(text)
        if der:
            pairs.append((der, b""))
    for line in text.splitlines() if path.endswith(".jsonl") else [text]:
        try:
            doc = json.loads(line)
        except ValueError:
            continue
        if not isinstance(doc, dict):
            continue
        env = doc.get("dsseEnvelope") or (doc if "payloadType" in doc else None)
        vm = doc.get("verificationMaterial") or {}
        der = None
        for c in [vm.get("certificate")] + (vm.get("x509CertificateChain") or {}).get("certificates", [])[:1]:
            if isinstance(c, dict) and c.get("rawBytes"):
                der = base64.b64decode(c["rawBytes"]); break
        if env:
            for s in env.get("signatures") or []:
                if isinstance(s, dict) and s.get("cert"):
                    der = der or pem_to_der(s["cert"])
        if der is None:
            continue
        payload = b""
        if env and env.get("payload"):
            try:
                payload = base64.b64decode(env["payload"])
            except ValueError:
                pass
        pairs.append((der, payload))
        if env and path.endswith(".jsonl"):
            pairs.append((der, line.encode()))
    for der, prov in pairs:
        if target == "fulcio_cert":
            emit(der)
            pem = base64.encodebytes(der).decode().replace("\n", "")
            pem = "\n".join(pem[i:i + 64] for i in range(0, len(pem), 64))
            emit(f"-----BEGIN CERTIFICATE-----\n{pem}\n-----END CERTIFICATE-----\n".encode())
        else:
            emit(struct.pack("<H", len(der)) + der + prov)
PY
  rm -f "$OUT/.cert-files"
}
# seed_osv_db TARGET — small databases built by the CLI from a few records per ecosystem
# (needs a built `chainproof`: CHAINPROOF_BIN, or target/{release,debug}/chainproof).
seed_osv_db() {
  local t=$1 bin=${CHAINPROOF_BIN:-} tmp
  mkdir -p "$OUT/$t"
  for b in "$bin" "${CARGO_TARGET_DIR:-$ROOT/target}/release/chainproof" "${CARGO_TARGET_DIR:-$ROOT/target}/debug/chainproof"; do
    [ -n "$b" ] && [ -x "$b" ] && { bin=$b; break; }
  done
  [ -x "$bin" ] || { echo "no chainproof binary (set CHAINPROOF_BIN): no seeds for $t" >&2; return; }
  tmp=$(mktemp -d)
  for eco in go pypa rustsec bitnami r haskell; do
    mkdir -p "$tmp/$eco"
    find "$ROOT/crates/chainproof-osv/tests/fixtures/$eco" "$CORPUS/osv/$eco" -type f \
        \( -name '*.json' -o -name '*.yaml' -o -name 'RUSTSEC-*.md' -o -name 'HSEC-*.md' \) 2>/dev/null \
      | head -n 4 | while read -r f; do cp "$f" "$tmp/$eco/"; done
    "$bin" db build "$tmp/$eco" -o "$OUT/$t/db-$eco.db" -q 2>/dev/null || true
  done
  mkdir -p "$tmp/mixed"; for eco in go pypa r; do cp "$(ls "$tmp/$eco"/* | head -1)" "$tmp/mixed/"; done
  "$bin" db build "$tmp/mixed" -o "$OUT/$t/db-mixed.db" -q 2>/dev/null || true
  rm -rf "$tmp"
}

seed() {
  case $1 in
    bun_lock) seed_find "$1" -name 'bun.lock' -o -path '*javascript-bunlock*' ;;
    cabal_freeze) seed_find "$1" -name 'cabal.project.freeze*' -o -path '*haskell-cabal*' ;;
    cargo_lock) seed_find "$1" -name 'Cargo.lock' -o -path '*cargo*' -name '*.lock' -o -path '*rust-cargolock*' -o -path '*osv-scanner-v1/cargo/*' ;;
    composer_lock) seed_find "$1" -name 'composer.lock' -o -name 'composer.json' -o -name 'installed.json' -o -path '*php-composerlock*' -o -path '*osv-scanner-v1/composer/*' ;;
    conan_lock) seed_find "$1" -name 'conan.lock' -o -path '*conan*' -name '*.lock' -o -path '*cpp-conanlock*' -o -path '*osv-scanner-v1/conan/*' ;;
    conda_meta) seed_find "$1" -path '*conda-meta*' -name '*.json' -o -path '*python-condameta*' ;;
    cosign_key|pem_key) seed_find "$1" -name '*.pem' -o -name '*.pub' -o -name '*.key' -o -name '*.crt' ;;
    cyclonedx|embedded_sbom) seed_grep "$1" '"bomFormat"|"specVersion"|<bom ' '*' ;;
    spdx) seed_grep "$1" 'spdxVersion|SPDXVersion|"@context".*spdx' '*' ;;
    dockerfile) seed_find "$1" -name 'Dockerfile*' -o -name '*.dockerfile' -o -name 'Containerfile' ;;
    dotnet_deps_json) seed_find "$1" -name '*.deps.json' -o -path '*dotnet-depsjson*' ;;
    dotnet_project_file) seed_find "$1" -name '*.csproj' -o -name '*.fsproj' -o -name '*.vbproj' -o -name '*.props' -o -path '*dotnet-csproj*' ;;
    nuget_central_packages) seed_find "$1" -name '*.props' -o -name '*.csproj' -o -path '*dotnet-nugetcpm*' ;;
    nuget_packages_config) seed_find "$1" -name 'packages.config' -o -name '*.config' -o -path '*dotnet-packagesconfig*' ;;
    nuget_packages_lock) seed_find "$1" -name 'packages.lock.json' -o -path '*dotnet-packageslockjson*' -o -path '*osv-scanner-v1/nuget/*' ;;
    nuget_project_assets) seed_find "$1" -name 'project.assets.json' -o -path '*dotnet-projectassetsjson*' ;;
    dsse_envelope) seed_grep "$1" '"payloadType"' '*' ;;
    intoto_statement) seed_grep "$1" 'in-toto.io/Statement|"predicateType"|"_type"' '*' ;;
    sigstore_bundle) seed_grep "$1" 'dev.sigstore.bundle|verificationMaterial' '*' ;;
    sigstore_trusted_root) seed_grep "$1" 'certificateAuthorities|"tlogs"' '*' ;;
    gemfile_lock) seed_find "$1" -name 'Gemfile.lock' -o -name '*.lock' -path '*ruby*' -o -path '*ruby-gemfilelock*' -o -path '*osv-scanner-v1/bundler/*' ;;
    gemspec) seed_find "$1" -name '*.gemspec' ;;
    github_actions) seed_find "$1" -path '*workflows*' \( -name '*.yml' -o -name '*.yaml' \) -o -name 'action.yml' ;;
    gleam_manifest) seed_find "$1" -path '*gleam*' -name '*.toml' -o -path '*gleam-gleamtoml*' ;;
    go_buildinfo) seed_find "$1" -path '*gobin*' -name 'hello-*' -not -name '*.txt' ;;
    rust_auditable) seed_find "$1" -path '*rustbin*' -type f ;;
    go_mod) seed_find "$1" -name 'go.mod' -o -name '*.mod' -o -path '*golang-gomod*' -o -path '*osv-scanner-v1/go/*' ;;
    go_sum) seed_find "$1" -name 'go.sum' -o -name '*.sum' ;;
    go_vendor) seed_find "$1" -name 'modules.txt' -o -path '*golang-vendormodules*' ;;
    gradle_lockfile) seed_find "$1" -name '*.lockfile' -o -name 'libs.versions.toml' -o -name 'verification-metadata.xml' -o -path '*java-gradlelockfile*' -o -path '*java-gradleverificationmetadataxml*' -o -path '*java-gradleversioncatalog*' -o -path '*osv-scanner-v1/gradle*' ;;
    image_archive) seed_find "$1" -path '*image*' -name '*.tar' ;;
    image_layer) seed_find "$1" -path '*image*' \( -name '*.tar' -o -name '*.tar.gz' -o -name '*.tgz' \) ;;
    jar) seed_find "$1" -name '*.jar' -o -name '*.war' -o -name '*.ear' -o -name '*.zip' ;;
    julia_manifest) seed_find "$1" -name 'Manifest*.toml' -o -path '*julia-manifesttoml*' ;;
    mix_lock) seed_find "$1" -name 'mix.lock' -o -path '*hex*' -name '*.lock' -o -path '*elixir-mixlock*' -o -path '*osv-scanner-v1/mix/*' ;;
    rebar_lock) seed_find "$1" -name 'rebar.lock' -o -path '*hex*' -name '*rebar*' -o -path '*erlang-mixlock*' ;;
    node_package_json) seed_find "$1" -name 'package.json' -o -path '*javascript-packagejson*' ;;
    npm_package_lock) seed_find "$1" -name 'package-lock.json' -o -name 'npm-shrinkwrap.json' -o -path '*npm*' -name '*.json' ;;
    os_apk) seed_find "$1" -name 'installed' -o -path '*apk*' -type f -o -path '*osv-scanner-v1/apk/*' ;;
    os_dpkg) seed_find "$1" -name 'status' -o -path '*status.d*' -o -path '*dpkg*' -type f -o -path '*osv-scanner-v1/dpkg/*' ;;
    os_pacman) seed_find "$1" -path '*pacman*' -type f ;;
    os_rpm) seed_find "$1" -path '*rpm*' \( -name 'Packages' -o -name 'rpmdb.sqlite' -o -name 'Packages.db' \) ;;
    osv_json) seed_find "$1" -path '*osv*' -name '*.json' ;;
    osv_rustsec) seed_find "$1" \( -path '*rustsec*' -o -path '*haskell*' \) -name '*.md' ;;
    package_resolved) seed_find "$1" -name 'Package.resolved' -o -path '*swift*' -name '*.resolved' -o -path '*swift-packageresolved*' ;;
    paket_lock) seed_find "$1" -name 'paket.lock' -o -path '*dotnet-paketlock*' ;;
    pdm_lock) seed_find "$1" -name 'pdm.lock' -o -path '*python-pdmlock*' -o -path '*osv-scanner-v1/pdm/*' ;;
    pipfile_lock) seed_find "$1" -name 'Pipfile.lock' -o -path '*python-pipfilelock*' -o -path '*osv-scanner-v1/pipenv/*' ;;
    pnpm_lock) seed_find "$1" -name 'pnpm-lock.yaml' -o -path '*pnpm*' -name '*.yaml' -o -path '*javascript-pnpmlock*' -o -path '*osv-scanner-v1/pnpm/*' ;;
    podfile_lock) seed_find "$1" -name 'Podfile.lock' -o -path '*swift-podfilelock*' ;;
    poetry_lock) seed_find "$1" -name 'poetry.lock' -o -path '*python-poetrylock*' -o -path '*osv-scanner-v1/poetry/*' ;;
    pom_xml) seed_find "$1" -name 'pom.xml' -o -name '*.pom' -o -path '*java-pomxml*' -o -path '*osv-scanner-v1/maven/*' ;;
    pubspec_lock) seed_find "$1" -name 'pubspec.lock' -o -path '*pub*' -name '*.lock' -o -path '*dart-pubspec*' ;;
    pylock) seed_find "$1" -name 'pylock*.toml' -o -path '*python-pylock*' ;;
    pyproject) seed_find "$1" -name 'pyproject.toml' -o -path '*python-pyprojecttoml*' ;;
    python_metadata) seed_find "$1" -name 'METADATA' -o -name 'PKG-INFO' -o -path '*python-wheelegg*' ;;
    renv_lock) seed_find "$1" -name 'renv.lock' -o -path '*cran*' -name '*.lock' -o -path '*r-renvlock*' -o -path '*osv-scanner-v1/renv/*' ;;
    requirements) seed_find "$1" -name 'requirements*.txt' -o -name 'constraints*.txt' -o -path '*python-requirements*' -o -path '*osv-scanner-v1/pip/*' ;;
    stack_lock) seed_find "$1" -name 'stack.yaml.lock' -o -path '*hackage*' -name '*.lock' -o -path '*haskell-stacklock*' ;;
    uv_lock) seed_find "$1" -name 'uv.lock' -o -path '*python-uvlock*' ;;
    vcpkg_json) seed_find "$1" -name 'vcpkg*.json' ;;
    vex_document) seed_grep "$1" 'openvex|"csaf_version"|"analysis"' '*.json' ;;
    vex_ignore) seed_find "$1" -name '.chainproof.toml' -o -name '*ignore*.toml' ;;
    yarn_lock) seed_find "$1" -name 'yarn.lock' -o -path '*yarn*' -name '*.lock' -o -path '*javascript-yarnlock*' -o -path '*osv-scanner-v1/yarn/*' ;;
    purl)
      find "${SRC[@]}" -type f -size -"$MAX_SIZE" -name '*.json' 2>/dev/null | head -2000 \
        | xargs -r grep -ohE 'pkg:[a-zA-Z0-9.+-]+/[^" <>]+' 2>/dev/null | sort -u | shuf -n "$MAX_FILES" --random-source=/dev/zero \
        | seed_lines "$1" ;;
    version)
      # single versions, plus consecutive pairs joined by a newline (the target compares halves)
      find "${SRC[@]}" -type f -size -"$MAX_SIZE" -name '*.json' 2>/dev/null | head -2000 \
        | xargs -r grep -ohE '"version" *: *"[^"]{1,40}"' 2>/dev/null | sed -E 's/.*"([^"]*)"$/\1/' | sort -u \
        | head -n 400 > "$OUT/.versions"
      seed_lines "$1" < "$OUT/.versions"
      mkdir -p "$OUT/$1"; n=0
      paste -d '\t' - - < "$OUT/.versions" | head -n 150 | while IFS=$'\t' read -r a b; do
        printf '%s\n%s' "$a" "$b" > "$OUT/$1/pair-$n"; n=$((n + 1)); done
      rm -f "$OUT/.versions"
      printf '1.0.0-rc.1\n1.0.0' > "$OUT/$1/pair-semver"; printf '1:2.3-4ubuntu1\n1:2.3-4' > "$OUT/$1/pair-deb"
      printf '1.2.post1\n1.2.dev3' > "$OUT/$1/pair-pep440"; printf '2.0~rc1\n2.0' > "$OUT/$1/pair-tilde" ;;
    registry_reference) printf '%s\n' alpine alpine:3.19 library/alpine@sha256:0000000000000000000000000000000000000000000000000000000000000000 \
        ghcr.io/owner/repo:tag localhost:5000/a/b:c 'docker.io/library/ubuntu:22.04' '[::1]:5000/x:y' 'registry:443/x@sha256:abc' \
        | seed_lines "$1" ;;
    registry_www_authenticate)
      printf '%s\n' 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"' \
        'Basic realm="Registry"' 'Bearer realm="x", error="invalid_token"' \
        '{"auths":{"localhost:5000":{"auth":"dXNlcjpwYXNz"}}}' \
        '{"auths":{"https://index.docker.io/v1/":{"username":"u","password":"p"}}}' | seed_lines "$1" ;;
    fulcio_cert|slsa_gha_identity) seed_certs "$1" ;;
    osv_db) seed_osv_db "$1" ;;
    *) echo "no seed rule for $1" >&2; mkdir -p "$OUT/$1" ;;
  esac
  # libFuzzer wants at least one input; an empty seed is fine.
  [ -n "$(ls -A "$OUT/$1")" ] || : > "$OUT/$1/empty"
  echo "$1: $(ls "$OUT/$1" | wc -l) seeds"
}

if [ $# -eq 0 ]; then
  set -- $(cd "$ROOT/fuzz/fuzz_targets" && ls *.rs | sed 's/\.rs$//')
fi
for t in "$@"; do seed "$t"; done

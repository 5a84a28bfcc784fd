#!/usr/bin/env python3
"""Interop fixtures for chainproof-crypto / chainproof-attest.

  gen   — write fixtures produced by the peers (independent implementations):
          * securesystemslib 1.x DSSE envelopes (ed25519, ecdsa P-256, rsassa-pss) + public keys
          * an in-toto-run DSSE link (in-toto 3.x) + its public key
          * a cosign-format encrypted key (hashlib.scrypt + PyNaCl SecretBox, as cosign writes)
          * a PBES2-encrypted PKCS#8 P-384 key (Python cryptography BestAvailableEncryption)
  check — verify envelopes *we* signed (tests/fixtures/interop/ours-*.json) with securesystemslib
          and record the accepted ones (sha256 of the file) in ours-accepted-by-securesystemslib.txt.

Usage (from the workspace root, in a venv with `pip install in-toto securesystemslib cryptography pynacl`):
  python crates/chainproof-attest/tests/interop/gen_interop.py gen
  CHAINPROOF_PASSWORD=... chainproof ...   # see attest tests (ours_* are written by `cargo test` with
                                            # CHAINPROOF_WRITE_INTEROP=1)
  python crates/chainproof-attest/tests/interop/gen_interop.py check
"""
import base64, hashlib, json, os, subprocess, sys, tempfile

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from securesystemslib.dsse import Envelope
from securesystemslib.signer import CryptoSigner, SSlibKey

ROOT = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(ROOT, "..", "fixtures", "interop")
CRYPTO_FIX = os.path.join(ROOT, "..", "..", "..", "chainproof-crypto", "tests", "fixtures")
PASS = b"interop-passphrase"
STATEMENT = {
    "_type": "https://in-toto.io/Statement/v1",
    "subject": [{"name": "hello.txt", "digest": {"sha256": hashlib.sha256(b"hello\n").hexdigest()}}],
    "predicateType": "https://in-toto.io/attestation/test-result/v0.1",
    "predicate": {"result": "PASSED", "configuration": [], "passedTests": ["interop"]},
}


def pub_pem(k):
    return k.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def gen():
    os.makedirs(FIX, exist_ok=True)
    keys = {
        "ed25519": ed25519.Ed25519PrivateKey.generate(),
        "p256": ec.generate_private_key(ec.SECP256R1()),
        "rsa": rsa.generate_private_key(public_exponent=65537, key_size=3072),
    }
    payload = json.dumps(STATEMENT, sort_keys=True).encode()
    for name, k in keys.items():
        env = Envelope(payload=payload, payload_type="application/vnd.in-toto+json", signatures={})
        env.sign(CryptoSigner(k))
        write(os.path.join(FIX, f"sslib-{name}.json"), json.dumps(env.to_dict(), indent=1).encode())
        write(os.path.join(FIX, f"sslib-{name}.pub"), pub_pem(k))
    # Two signatures, for threshold 2.
    env = Envelope(payload=payload, payload_type="application/vnd.in-toto+json", signatures={})
    env.sign(CryptoSigner(keys["ed25519"]))
    env.sign(CryptoSigner(keys["p256"]))
    write(os.path.join(FIX, "sslib-two-sigs.json"), json.dumps(env.to_dict(), indent=1).encode())

    # in-toto-run DSSE link, signed with an ecdsa key.
    k = ec.generate_private_key(ec.SECP256R1())
    from in_toto.runlib import in_toto_run

    with tempfile.TemporaryDirectory() as d:
        cwd = os.getcwd()
        os.chdir(d)
        try:
            write("foo.py", b"print('hello')\n")
            link = in_toto_run("write-code", [], ["foo.py"], [], signer=CryptoSigner(k), use_dsse=True)
            data = json.dumps(link.to_dict(), indent=1).encode()
        finally:
            os.chdir(cwd)
    write(os.path.join(FIX, "in-toto-run-write-code.link"), data)
    write(os.path.join(FIX, "in-toto-run.pub"), pub_pem(k))

    # cosign-format key (go-securesystemslib `encrypted`: scrypt N=32768 r=8 p=1, nacl/secretbox).
    import nacl.secret

    k = ec.generate_private_key(ec.SECP256R1())
    der = k.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    salt, nonce = os.urandom(32), os.urandom(24)
    key = hashlib.scrypt(PASS, salt=salt, n=32768, r=8, p=1, dklen=32, maxmem=64 * 1024 * 1024)
    ct = nacl.secret.SecretBox(key).encrypt(der, nonce).ciphertext
    body = json.dumps({
        "kdf": {"name": "scrypt", "params": {"N": 32768, "r": 8, "p": 1}, "salt": base64.b64encode(salt).decode()},
        "cipher": {"name": "nacl/secretbox", "nonce": base64.b64encode(nonce).decode()},
        "ciphertext": base64.b64encode(ct).decode(),
    }).encode()
    b64 = base64.b64encode(body).decode()
    pem = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n" + "\n".join(
        b64[i : i + 64] for i in range(0, len(b64), 64)
    ) + "\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n"
    write(os.path.join(CRYPTO_FIX, "cosign-p256.key"), pem.encode())
    write(os.path.join(CRYPTO_FIX, "cosign-p256.pub"), pub_pem(k))

    k = ec.generate_private_key(ec.SECP384R1())
    write(
        os.path.join(CRYPTO_FIX, "pkcs8-encrypted-p384.pem"),
        k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                        serialization.BestAvailableEncryption(PASS)),
    )
    print("peer fixtures written to", FIX, "and", CRYPTO_FIX)


def check():
    accepted = []
    for name in sorted(os.listdir(FIX)):
        if not (name.startswith("ours-") and name.endswith(".json")):
            continue
        path = os.path.join(FIX, name)
        data = open(path, "rb").read()
        env = Envelope.from_dict(json.loads(data))
        pubs = [p for p in sorted(os.listdir(FIX)) if p.startswith(name[: -len(".json")]) and p.endswith(".pub")]
        keys = []
        for p in pubs:
            pub = serialization.load_pem_public_key(open(os.path.join(FIX, p), "rb").read())
            # securesystemslib only tries keys whose keyid equals the signature's keyid (its
            # issue #416), so give each key our hint, computed independently here:
            # sha256 of the SPKI DER.
            spki = pub.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
            keys.append(SSlibKey.from_crypto(pub, keyid=hashlib.sha256(spki).hexdigest()))
        threshold = len(keys)
        env.verify(keys, threshold)  # raises on failure
        accepted.append(f"{hashlib.sha256(data).hexdigest()}  {name}  threshold={threshold}")
        print("securesystemslib verified", name, "with", pubs)
    if not accepted:
        sys.exit("no ours-*.json envelopes to check")
    write(os.path.join(FIX, "ours-accepted-by-securesystemslib.txt"), ("\n".join(accepted) + "\n").encode())


if __name__ == "__main__":
    {"gen": gen, "check": check}[sys.argv[1] if len(sys.argv) > 1 else "gen"]()

//! cosign / Sigstore encrypted private keys.
//!
//! PEM label `ENCRYPTED SIGSTORE PRIVATE KEY` (cosign ≥ 2) or `ENCRYPTED COSIGN PRIVATE KEY`
//! (older cosign); the body is JSON from go-securesystemslib's `encrypted` package:
//! `{"kdf":{"name":"scrypt","params":{"N":32768,"r":8,"p":1},"salt":B64},
//!   "cipher":{"name":"nacl/secretbox","nonce":B64},"ciphertext":B64}`.
//! The key is `scrypt(passphrase, salt, N, r, p, 32)`; the plaintext is PKCS#8 DER.
//! Decryption uses `scrypt` 0.11 and `crypto_secretbox` 0.1 (XSalsa20-Poly1305), both on the
//! cipher 0.4 / digest 0.10 generation that pkcs5 0.7 also uses.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use crypto_secretbox::aead::{Aead, KeyInit};
use crypto_secretbox::{Key, Nonce, XSalsa20Poly1305};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::CryptoError;

/// cosign ≥ 2 label.
pub const SIGSTORE_LABEL: &str = "ENCRYPTED SIGSTORE PRIVATE KEY";
/// Older cosign label.
pub const COSIGN_LABEL: &str = "ENCRYPTED COSIGN PRIVATE KEY";

/// Is this one of cosign's labels?
pub fn is_cosign_label(label: &str) -> bool {
    label == SIGSTORE_LABEL || label == COSIGN_LABEL
}

#[derive(Debug, Serialize, Deserialize)]
struct Encrypted {
    kdf: Kdf,
    cipher: Cipher,
    ciphertext: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Kdf {
    name: String,
    params: KdfParams,
    salt: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct KdfParams {
    #[serde(rename = "N")]
    n: u64,
    r: u32,
    p: u32,
}

#[derive(Debug, Serialize, Deserialize)]
struct Cipher {
    name: String,
    nonce: String,
}

fn b64(field: &str, s: &str) -> Result<Vec<u8>, CryptoError> {
    STANDARD
        .decode(s)
        .map_err(|e| CryptoError::Der(format!("cosign key: {field} is not base64: {e}")))
}

fn derive(pass: &[u8], salt: &[u8], p: &KdfParams) -> Result<Zeroizing<[u8; 32]>, CryptoError> {
    if !p.n.is_power_of_two() || p.n < 2 {
        return Err(CryptoError::Der(format!(
            "cosign key: scrypt N={} is not a power of two",
            p.n
        )));
    }
    let log_n = p.n.trailing_zeros();
    // Bound memory (128·r·N bytes) and time: cosign uses N=2^15, r=8, p=1.
    if log_n > 20 || p.r == 0 || p.p == 0 || u64::from(p.r) * u64::from(p.p) > 64 {
        return Err(CryptoError::Unsupported(format!(
            "cosign key: scrypt parameters too large (N={}, r={}, p={})",
            p.n, p.r, p.p
        )));
    }
    let params = scrypt::Params::new(log_n as u8, p.r, p.p, 32)
        .map_err(|e| CryptoError::Der(format!("cosign key: scrypt parameters: {e}")))?;
    let mut key = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(pass, salt, &params, &mut key[..])
        .map_err(|e| CryptoError::Backend(format!("scrypt: {e}")))?;
    Ok(key)
}

/// Decrypt the JSON body of a cosign key into PKCS#8 DER.
pub fn decrypt(json: &[u8], passphrase: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    let enc: Encrypted = serde_json::from_slice(json)
        .map_err(|e| CryptoError::Der(format!("cosign key JSON: {e}")))?;
    if enc.kdf.name != "scrypt" {
        return Err(CryptoError::Unsupported(format!(
            "cosign key KDF {:?}",
            enc.kdf.name
        )));
    }
    if enc.cipher.name != "nacl/secretbox" {
        return Err(CryptoError::Unsupported(format!(
            "cosign key cipher {:?}",
            enc.cipher.name
        )));
    }
    let salt = b64("kdf.salt", &enc.kdf.salt)?;
    let nonce = b64("cipher.nonce", &enc.cipher.nonce)?;
    if nonce.len() != 24 {
        return Err(CryptoError::Der(format!(
            "cosign key: nonce is {} bytes, expected 24",
            nonce.len()
        )));
    }
    let ciphertext = b64("ciphertext", &enc.ciphertext)?;
    let key = derive(passphrase, &salt, &enc.kdf.params)?;
    let cipher = XSalsa20Poly1305::new(Key::from_slice(&key[..]));
    let plain = cipher
        .decrypt(Nonce::from_slice(&nonce), ciphertext.as_slice())
        .map_err(|_| {
            CryptoError::Passphrase("cannot decrypt the cosign key: wrong passphrase?".into())
        })?;
    Ok(Zeroizing::new(plain))
}

/// Encrypt PKCS#8 DER into cosign's JSON (N=2^15, r=8, p=1, as cosign writes).
pub fn encrypt(pkcs8_der: &[u8], passphrase: &[u8]) -> Result<String, CryptoError> {
    let mut salt = [0u8; 32];
    let mut nonce = [0u8; 24];
    crate::random_bytes(&mut salt)?;
    crate::random_bytes(&mut nonce)?;
    let params = KdfParams {
        n: 1 << 15,
        r: 8,
        p: 1,
    };
    let key = derive(passphrase, &salt, &params)?;
    let cipher = XSalsa20Poly1305::new(Key::from_slice(&key[..]));
    let ciphertext = cipher
        .encrypt(Nonce::from_slice(&nonce), pkcs8_der)
        .map_err(|_| CryptoError::Backend("secretbox encryption failed".into()))?;
    let enc = Encrypted {
        kdf: Kdf {
            name: "scrypt".into(),
            params,
            salt: STANDARD.encode(salt),
        },
        cipher: Cipher {
            name: "nacl/secretbox".into(),
            nonce: STANDARD.encode(nonce),
        },
        ciphertext: STANDARD.encode(ciphertext),
    };
    serde_json::to_string(&enc).map_err(|e| CryptoError::Backend(format!("JSON: {e}")))
}

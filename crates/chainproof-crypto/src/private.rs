use std::fmt;

use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der, PublicKeyX509Der};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self as sig, EcdsaKeyPair, Ed25519KeyPair, KeyPair, RsaKeyPair};
use zeroize::Zeroizing;

use crate::public::{OID_EC_PUBLIC_KEY, OID_ED25519, OID_P256, OID_P384, OID_RSA};
use crate::{CryptoError, KeyAlgorithm, PublicKey, SignatureAlgorithm, cosign, pem, pkcs8enc};

/// Asked for a passphrase only when the key turns out to be encrypted.
pub type PasswordSource<'a> = &'a mut dyn FnMut() -> Result<Zeroizing<Vec<u8>>, CryptoError>;

/// Something that signs: a local private key here; KMS or keyless signers elsewhere.
pub trait Signer {
    /// The matching public key.
    fn public_key(&self) -> &PublicKey;
    /// The scheme [`Signer::sign`] uses.
    fn algorithm(&self) -> SignatureAlgorithm;
    /// Sign `msg` (ECDSA: DER signature over the hash of `msg`).
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, CryptoError>;
    /// The key hint (hex SHA-256 of the SPKI DER).
    fn key_id(&self) -> String {
        self.public_key().key_id()
    }
}

enum Inner {
    Ecdsa(EcdsaKeyPair),
    Ed25519(Ed25519KeyPair),
    Rsa(RsaKeyPair),
}

/// A private signing key. Its bytes are never printed; `Debug` shows the key id.
pub struct PrivateKey {
    inner: Inner,
    alg: SignatureAlgorithm,
    public: PublicKey,
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey")
            .field("algorithm", &self.alg)
            .field("key_id", &self.public.key_id())
            .finish_non_exhaustive()
    }
}

fn backend<E: fmt::Debug>(what: &'static str) -> impl FnOnce(E) -> CryptoError {
    move |e| CryptoError::InvalidKey(format!("{what}: {e:?}"))
}

fn spki_of<K: AsDer<PublicKeyX509Der<'static>>>(k: &K) -> Result<PublicKey, CryptoError> {
    let der = k
        .as_der()
        .map_err(|_| CryptoError::Backend("cannot encode public key".into()))?;
    PublicKey::from_spki_der(der.as_ref())
}

impl PrivateKey {
    /// Generate a new key.
    pub fn generate(alg: KeyAlgorithm) -> Result<Self, CryptoError> {
        let inner = match alg {
            KeyAlgorithm::EcdsaP256 => Inner::Ecdsa(
                EcdsaKeyPair::generate(&sig::ECDSA_P256_SHA256_ASN1_SIGNING)
                    .map_err(backend("generate P-256"))?,
            ),
            KeyAlgorithm::EcdsaP384 => Inner::Ecdsa(
                EcdsaKeyPair::generate(&sig::ECDSA_P384_SHA384_ASN1_SIGNING)
                    .map_err(backend("generate P-384"))?,
            ),
            KeyAlgorithm::Ed25519 => {
                Inner::Ed25519(Ed25519KeyPair::generate().map_err(backend("generate Ed25519"))?)
            }
        };
        Self::from_inner(inner)
    }

    fn from_inner(inner: Inner) -> Result<Self, CryptoError> {
        let (alg, public) = match &inner {
            Inner::Ecdsa(k) => {
                let public = spki_of(k.public_key())?;
                let alg = match public.kind() {
                    crate::public::KeyKind::EcdsaP384 => SignatureAlgorithm::EcdsaP384Sha384,
                    _ => SignatureAlgorithm::EcdsaP256Sha256,
                };
                (alg, public)
            }
            Inner::Ed25519(k) => (SignatureAlgorithm::Ed25519, spki_of(k.public_key())?),
            Inner::Rsa(k) => (SignatureAlgorithm::RsaPssSha256, spki_of(k.public_key())?),
        };
        Ok(Self { inner, alg, public })
    }

    /// Use another scheme for signing (RSA: PKCS#1 v1.5 or PSS with SHA-256/384/512).
    pub fn with_algorithm(mut self, alg: SignatureAlgorithm) -> Result<Self, CryptoError> {
        let ok = match (&self.inner, alg) {
            (Inner::Rsa(_), a) => a.as_str().starts_with("rsa"),
            (_, a) => a == self.alg,
        };
        if !ok {
            return Err(CryptoError::AlgorithmMismatch {
                alg: alg.to_string(),
                key: self.public.kind().as_str().to_string(),
            });
        }
        self.alg = alg;
        Ok(self)
    }

    /// Load an unencrypted PKCS#8 PrivateKeyInfo (DER).
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, CryptoError> {
        let info = pkcs8::PrivateKeyInfo::try_from(der)
            .map_err(|e| CryptoError::Der(format!("PrivateKeyInfo: {e}")))?;
        let oid = info.algorithm.oid;
        let inner = if oid == OID_EC_PUBLIC_KEY {
            let curve = info
                .algorithm
                .parameters_oid()
                .map_err(|e| CryptoError::Der(format!("EC key without a named curve: {e}")))?;
            let alg = if curve == OID_P256 {
                &sig::ECDSA_P256_SHA256_ASN1_SIGNING
            } else if curve == OID_P384 {
                &sig::ECDSA_P384_SHA384_ASN1_SIGNING
            } else {
                return Err(CryptoError::Unsupported(format!(
                    "signing with EC curve {curve}"
                )));
            };
            Inner::Ecdsa(EcdsaKeyPair::from_pkcs8(alg, der).map_err(backend("EC PKCS#8"))?)
        } else if oid == OID_ED25519 {
            Inner::Ed25519(
                Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)
                    .map_err(backend("Ed25519 PKCS#8"))?,
            )
        } else if oid == OID_RSA {
            Inner::Rsa(RsaKeyPair::from_pkcs8(der).map_err(backend("RSA PKCS#8"))?)
        } else {
            return Err(CryptoError::Unsupported(format!(
                "private key algorithm {oid}"
            )));
        };
        Self::from_inner(inner)
    }

    /// Load a private key from PEM or DER. Encrypted keys (`ENCRYPTED PRIVATE KEY`,
    /// cosign's `ENCRYPTED SIGSTORE PRIVATE KEY` / `ENCRYPTED COSIGN PRIVATE KEY`) call
    /// `password` once.
    pub fn from_pem_or_der(
        input: &[u8],
        password: PasswordSource<'_>,
    ) -> Result<Self, CryptoError> {
        if !pem::looks_like_pem(input) {
            return Self::from_pkcs8_der(input).or_else(|first| {
                if pkcs8::EncryptedPrivateKeyInfo::try_from(input).is_ok() {
                    let pass = password()?;
                    let der = pkcs8enc::decrypt(input, &pass)?;
                    Self::from_pkcs8_der(&der)
                } else {
                    Err(first)
                }
            });
        }
        let block = pem::decode_first(input)?;
        match block.label.as_str() {
            "PRIVATE KEY" => Self::from_pkcs8_der(&block.der),
            "ENCRYPTED PRIVATE KEY" => {
                let pass = password()?;
                let der = pkcs8enc::decrypt(&block.der, &pass)?;
                Self::from_pkcs8_der(&der)
            }
            "EC PRIVATE KEY" => {
                let kp = EcdsaKeyPair::from_private_key_der(
                    &sig::ECDSA_P256_SHA256_ASN1_SIGNING,
                    &block.der,
                )
                .or_else(|_| {
                    EcdsaKeyPair::from_private_key_der(
                        &sig::ECDSA_P384_SHA384_ASN1_SIGNING,
                        &block.der,
                    )
                })
                .map_err(backend("EC PRIVATE KEY"))?;
                Self::from_inner(Inner::Ecdsa(kp))
            }
            "RSA PRIVATE KEY" => Self::from_inner(Inner::Rsa(
                RsaKeyPair::from_der(&block.der).map_err(backend("RSA PRIVATE KEY"))?,
            )),
            label if cosign::is_cosign_label(label) => {
                let pass = password()?;
                let der = cosign::decrypt(&block.der, &pass)?;
                Self::from_pkcs8_der(&der)
            }
            other => Err(CryptoError::Pem(format!(
                "not a private key PEM block: {other:?}"
            ))),
        }
    }

    /// PKCS#8 v1 DER (zeroized on drop).
    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let fail = |_| CryptoError::Backend("cannot encode PKCS#8".into());
        let der: Vec<u8> = match &self.inner {
            Inner::Ecdsa(k) => k.to_pkcs8v1().map_err(fail)?.as_ref().to_vec(),
            Inner::Ed25519(k) => k.to_pkcs8v1().map_err(fail)?.as_ref().to_vec(),
            Inner::Rsa(k) => {
                let d: Pkcs8V1Der<'static> = k.as_der().map_err(fail)?;
                d.as_ref().to_vec()
            }
        };
        Ok(Zeroizing::new(der))
    }

    /// `-----BEGIN PRIVATE KEY-----` PEM (unencrypted PKCS#8).
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>, CryptoError> {
        pem::encode("PRIVATE KEY", &self.to_pkcs8_der()?)
    }

    /// `-----BEGIN ENCRYPTED PRIVATE KEY-----` PEM: PKCS#8 PBES2 (scrypt, AES-256-CBC).
    pub fn to_encrypted_pkcs8_pem(
        &self,
        passphrase: &[u8],
    ) -> Result<Zeroizing<String>, CryptoError> {
        let der = pkcs8enc::encrypt(&self.to_pkcs8_der()?, passphrase)?;
        pem::encode("ENCRYPTED PRIVATE KEY", &der)
    }

    /// cosign's `-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----` (scrypt + NaCl secretbox).
    pub fn to_cosign_pem(&self, passphrase: &[u8]) -> Result<Zeroizing<String>, CryptoError> {
        let json = cosign::encrypt(&self.to_pkcs8_der()?, passphrase)?;
        pem::encode(cosign::SIGSTORE_LABEL, json.as_bytes())
    }
}

impl Signer for PrivateKey {
    fn public_key(&self) -> &PublicKey {
        &self.public
    }

    fn algorithm(&self) -> SignatureAlgorithm {
        self.alg
    }

    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let rng = SystemRandom::new();
        let fail = |_| CryptoError::Backend("signing failed".into());
        match &self.inner {
            Inner::Ecdsa(k) => Ok(k.sign(&rng, msg).map_err(fail)?.as_ref().to_vec()),
            Inner::Ed25519(k) => Ok(k.try_sign(msg).map_err(fail)?.as_ref().to_vec()),
            Inner::Rsa(k) => {
                use SignatureAlgorithm as A;
                let pad: &'static dyn sig::RsaEncoding = match self.alg {
                    A::RsaPkcs1Sha256 => &sig::RSA_PKCS1_SHA256,
                    A::RsaPkcs1Sha384 => &sig::RSA_PKCS1_SHA384,
                    A::RsaPkcs1Sha512 => &sig::RSA_PKCS1_SHA512,
                    A::RsaPssSha384 => &sig::RSA_PSS_SHA384,
                    A::RsaPssSha512 => &sig::RSA_PSS_SHA512,
                    _ => &sig::RSA_PSS_SHA256,
                };
                let mut out = vec![0u8; k.public_modulus_len()];
                k.sign(pad, &rng, msg, &mut out).map_err(fail)?;
                Ok(out)
            }
        }
    }
}

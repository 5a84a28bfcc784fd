use std::fmt;

use aws_lc_rs::signature::UnparsedPublicKey;
use der::{Decode, Encode};
use spki::{ObjectIdentifier, SubjectPublicKeyInfoRef};

use crate::{CryptoError, SignatureAlgorithm, hex, pem};

pub(crate) const OID_EC_PUBLIC_KEY: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
pub(crate) const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
pub(crate) const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
pub(crate) const OID_P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
pub(crate) const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
pub(crate) const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
pub(crate) const OID_RSA_PSS: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");

/// The type of a public key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyKind {
    /// ECDSA P-256.
    EcdsaP256,
    /// ECDSA P-384.
    EcdsaP384,
    /// ECDSA P-521.
    EcdsaP521,
    /// Ed25519.
    Ed25519,
    /// RSA (rsaEncryption: PKCS#1 v1.5 or PSS).
    Rsa,
    /// RSA restricted to PSS (id-RSASSA-PSS keys).
    RsaPss,
}

impl KeyKind {
    /// A short name: `ecdsa-p256`, `ed25519`, `rsa`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EcdsaP256 => "ecdsa-p256",
            Self::EcdsaP384 => "ecdsa-p384",
            Self::EcdsaP521 => "ecdsa-p521",
            Self::Ed25519 => "ed25519",
            Self::Rsa => "rsa",
            Self::RsaPss => "rsa-pss",
        }
    }

    fn fits(self, alg: SignatureAlgorithm) -> bool {
        use SignatureAlgorithm as A;
        match self {
            Self::EcdsaP256 => matches!(alg, A::EcdsaP256Sha256 | A::EcdsaP256Sha384),
            Self::EcdsaP384 => matches!(alg, A::EcdsaP384Sha384 | A::EcdsaP384Sha256),
            Self::EcdsaP521 => alg == A::EcdsaP521Sha512,
            Self::Ed25519 => alg == A::Ed25519,
            Self::Rsa => matches!(
                alg,
                A::RsaPkcs1Sha256
                    | A::RsaPkcs1Sha384
                    | A::RsaPkcs1Sha512
                    | A::RsaPssSha256
                    | A::RsaPssSha384
                    | A::RsaPssSha512
            ),
            Self::RsaPss => matches!(alg, A::RsaPssSha256 | A::RsaPssSha384 | A::RsaPssSha512),
        }
    }

    /// The schemes [`PublicKey::verify_default`] accepts for this key type, in order.
    pub fn default_algorithms(self) -> &'static [SignatureAlgorithm] {
        use SignatureAlgorithm as A;
        match self {
            Self::EcdsaP256 => &[A::EcdsaP256Sha256],
            Self::EcdsaP384 => &[A::EcdsaP384Sha384],
            Self::EcdsaP521 => &[A::EcdsaP521Sha512],
            Self::Ed25519 => &[A::Ed25519],
            Self::Rsa => &[A::RsaPkcs1Sha256, A::RsaPssSha256],
            Self::RsaPss => &[A::RsaPssSha256],
        }
    }
}

/// A public key for verification. Holds its SPKI DER and the raw key bytes aws-lc-rs wants.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    kind: KeyKind,
    spki_der: Vec<u8>,
    /// EC: uncompressed point; Ed25519: 32 bytes; RSA: PKCS#1 RSAPublicKey DER.
    raw: Vec<u8>,
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("kind", &self.kind)
            .field("key_id", &self.key_id())
            .finish()
    }
}

/// The key hint: lowercase hex SHA-256 of the SPKI DER (what cosign and Sigstore bundles use).
pub fn key_id(spki_der: &[u8]) -> String {
    hex::encode(&crate::sha256(spki_der))
}

impl PublicKey {
    /// Parse PEM (`PUBLIC KEY`, `RSA PUBLIC KEY`) or DER (SPKI, or PKCS#1 RSAPublicKey).
    pub fn from_pem_or_der(input: &[u8]) -> Result<Self, CryptoError> {
        if pem::looks_like_pem(input) {
            Self::from_pem(input)
        } else {
            Self::from_spki_der(input).or_else(|e| Self::from_pkcs1_der(input).map_err(|_| e))
        }
    }

    /// Parse a PEM public key (`PUBLIC KEY` or `RSA PUBLIC KEY`).
    pub fn from_pem(input: &[u8]) -> Result<Self, CryptoError> {
        let block = pem::decode_first(input)?;
        match block.label.as_str() {
            "PUBLIC KEY" => Self::from_spki_der(&block.der),
            "RSA PUBLIC KEY" => Self::from_pkcs1_der(&block.der),
            other => Err(CryptoError::Pem(format!(
                "expected a PUBLIC KEY block, found {other:?}"
            ))),
        }
    }

    /// Parse an X.509 SubjectPublicKeyInfo.
    pub fn from_spki_der(der: &[u8]) -> Result<Self, CryptoError> {
        let spki = SubjectPublicKeyInfoRef::from_der(der)
            .map_err(|e| CryptoError::Der(format!("SubjectPublicKeyInfo: {e}")))?;
        let raw = spki
            .subject_public_key
            .as_bytes()
            .ok_or_else(|| CryptoError::Der("public key BIT STRING has unused bits".into()))?
            .to_vec();
        let oid = spki.algorithm.oid;
        let kind = if oid == OID_EC_PUBLIC_KEY {
            let curve = spki
                .algorithm
                .parameters_oid()
                .map_err(|e| CryptoError::Der(format!("EC key without a named curve: {e}")))?;
            match curve {
                c if c == OID_P256 => KeyKind::EcdsaP256,
                c if c == OID_P384 => KeyKind::EcdsaP384,
                c if c == OID_P521 => KeyKind::EcdsaP521,
                c => return Err(CryptoError::Unsupported(format!("EC curve {c}"))),
            }
        } else if oid == OID_ED25519 {
            if raw.len() != 32 {
                return Err(CryptoError::InvalidKey(format!(
                    "Ed25519 public key is {} bytes, expected 32",
                    raw.len()
                )));
            }
            KeyKind::Ed25519
        } else if oid == OID_RSA {
            KeyKind::Rsa
        } else if oid == OID_RSA_PSS {
            KeyKind::RsaPss
        } else {
            return Err(CryptoError::Unsupported(format!(
                "public key algorithm {oid}"
            )));
        };
        let key = Self {
            kind,
            spki_der: der.to_vec(),
            raw,
        };
        key.check()?;
        Ok(key)
    }

    /// Parse a PKCS#1 RSAPublicKey (wrapped into an SPKI with rsaEncryption).
    pub fn from_pkcs1_der(der: &[u8]) -> Result<Self, CryptoError> {
        let spki = spki::SubjectPublicKeyInfoRef {
            algorithm: spki::AlgorithmIdentifierRef {
                oid: OID_RSA,
                parameters: Some(der::asn1::AnyRef::NULL),
            },
            subject_public_key: der::asn1::BitStringRef::from_bytes(der)
                .map_err(|e| CryptoError::Der(format!("RSA public key: {e}")))?,
        };
        let spki_der = spki
            .to_der()
            .map_err(|e| CryptoError::Der(format!("RSA public key: {e}")))?;
        Self::from_spki_der(&spki_der)
    }

    /// Reject keys the backend cannot load (bad points, malformed RSA).
    fn check(&self) -> Result<(), CryptoError> {
        match self.kind {
            KeyKind::EcdsaP256 | KeyKind::EcdsaP384 | KeyKind::EcdsaP521 => {
                let expect = match self.kind {
                    KeyKind::EcdsaP256 => 65,
                    KeyKind::EcdsaP384 => 97,
                    _ => 133,
                };
                if self.raw.len() != expect && self.raw.len() != expect / 2 + 1 {
                    return Err(CryptoError::InvalidKey(format!(
                        "{} point is {} bytes",
                        self.kind.as_str(),
                        self.raw.len()
                    )));
                }
                Ok(())
            }
            KeyKind::Rsa | KeyKind::RsaPss => {
                aws_lc_rs::rsa::PublicEncryptingKey::from_der(&self.spki_der)
                    .map(|_| ())
                    .or_else(|_| {
                        // PSS-only SPKIs are not encryption keys; check the PKCS#1 body instead.
                        der::asn1::SequenceRef::from_der(&self.raw).map(|_| ())
                    })
                    .map_err(|_| CryptoError::InvalidKey("malformed RSA public key".into()))
            }
            KeyKind::Ed25519 => Ok(()),
        }
    }

    /// The key type.
    pub fn kind(&self) -> KeyKind {
        self.kind
    }

    /// The SubjectPublicKeyInfo DER.
    pub fn spki_der(&self) -> &[u8] {
        &self.spki_der
    }

    /// The key hint: hex SHA-256 of the SPKI DER.
    pub fn key_id(&self) -> String {
        key_id(&self.spki_der)
    }

    /// `-----BEGIN PUBLIC KEY-----` PEM.
    pub fn to_pem(&self) -> String {
        pem::encode("PUBLIC KEY", &self.spki_der)
            .map(|s| s.to_string())
            .unwrap_or_default()
    }

    /// Verify `sig` over `msg` with `alg`. ECDSA signatures are DER; a fixed-width
    /// r‖s signature of exactly the right length is accepted too.
    pub fn verify(
        &self,
        alg: SignatureAlgorithm,
        msg: &[u8],
        sig: &[u8],
    ) -> Result<(), CryptoError> {
        if !self.kind.fits(alg) {
            return Err(CryptoError::AlgorithmMismatch {
                alg: alg.to_string(),
                key: self.kind.as_str().to_string(),
            });
        }
        if UnparsedPublicKey::new(alg.verification(), &self.raw)
            .verify(msg, sig)
            .is_ok()
        {
            return Ok(());
        }
        if let Some(fixed) = alg.fixed_verification() {
            let width = match self.kind {
                KeyKind::EcdsaP256 => 64,
                KeyKind::EcdsaP384 => 96,
                _ => 132,
            };
            if sig.len() == width
                && UnparsedPublicKey::new(fixed, &self.raw)
                    .verify(msg, sig)
                    .is_ok()
            {
                return Ok(());
            }
        }
        Err(CryptoError::BadSignature)
    }

    /// Verify with the key type's usual scheme(s) ([`KeyKind::default_algorithms`]).
    /// Returns the scheme that matched.
    pub fn verify_default(
        &self,
        msg: &[u8],
        sig: &[u8],
    ) -> Result<SignatureAlgorithm, CryptoError> {
        for &alg in self.kind.default_algorithms() {
            if self.verify(alg, msg, sig).is_ok() {
                return Ok(alg);
            }
        }
        Err(CryptoError::BadSignature)
    }
}

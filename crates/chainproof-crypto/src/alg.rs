use std::fmt;
use std::str::FromStr;

use aws_lc_rs::signature as sig;

/// Key types we generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyAlgorithm {
    /// ECDSA on NIST P-256 (signs with SHA-256).
    EcdsaP256,
    /// ECDSA on NIST P-384 (signs with SHA-384).
    EcdsaP384,
    /// Ed25519.
    Ed25519,
}

impl KeyAlgorithm {
    /// The CLI spelling: `p256`, `p384`, `ed25519`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EcdsaP256 => "p256",
            Self::EcdsaP384 => "p384",
            Self::Ed25519 => "ed25519",
        }
    }
}

impl FromStr for KeyAlgorithm {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "p256" | "p-256" | "ecdsa-p256" | "ecdsa-sha2-nistp256" => Ok(Self::EcdsaP256),
            "p384" | "p-384" | "ecdsa-p384" | "ecdsa-sha2-nistp384" => Ok(Self::EcdsaP384),
            "ed25519" => Ok(Self::Ed25519),
            _ => Err(format!(
                "unknown key algorithm {s:?} (expected p256, p384 or ed25519)"
            )),
        }
    }
}

impl fmt::Display for KeyAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Signature schemes we verify (and, for the key types we hold, sign).
/// Names follow Sigstore's `PublicKeyDetails` where one exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureAlgorithm {
    /// ECDSA P-256, SHA-256, DER signature.
    EcdsaP256Sha256,
    /// ECDSA P-256, SHA-384.
    EcdsaP256Sha384,
    /// ECDSA P-384, SHA-384.
    EcdsaP384Sha384,
    /// ECDSA P-384, SHA-256.
    EcdsaP384Sha256,
    /// ECDSA P-521, SHA-512.
    EcdsaP521Sha512,
    /// Ed25519 (pure).
    Ed25519,
    /// RSA PKCS#1 v1.5, SHA-256.
    RsaPkcs1Sha256,
    /// RSA PKCS#1 v1.5, SHA-384.
    RsaPkcs1Sha384,
    /// RSA PKCS#1 v1.5, SHA-512.
    RsaPkcs1Sha512,
    /// RSA-PSS, SHA-256 (MGF1 SHA-256, salt = hash length).
    RsaPssSha256,
    /// RSA-PSS, SHA-384.
    RsaPssSha384,
    /// RSA-PSS, SHA-512.
    RsaPssSha512,
}

impl SignatureAlgorithm {
    /// Every algorithm, for tests and listings.
    pub const ALL: [SignatureAlgorithm; 12] = [
        Self::EcdsaP256Sha256,
        Self::EcdsaP256Sha384,
        Self::EcdsaP384Sha384,
        Self::EcdsaP384Sha256,
        Self::EcdsaP521Sha512,
        Self::Ed25519,
        Self::RsaPkcs1Sha256,
        Self::RsaPkcs1Sha384,
        Self::RsaPkcs1Sha512,
        Self::RsaPssSha256,
        Self::RsaPssSha384,
        Self::RsaPssSha512,
    ];

    /// A stable lowercase name (securesystemslib-like where one exists).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EcdsaP256Sha256 => "ecdsa-sha2-nistp256",
            Self::EcdsaP256Sha384 => "ecdsa-p256-sha384",
            Self::EcdsaP384Sha384 => "ecdsa-sha2-nistp384",
            Self::EcdsaP384Sha256 => "ecdsa-p384-sha256",
            Self::EcdsaP521Sha512 => "ecdsa-sha2-nistp521",
            Self::Ed25519 => "ed25519",
            Self::RsaPkcs1Sha256 => "rsa-pkcs1v15-sha256",
            Self::RsaPkcs1Sha384 => "rsa-pkcs1v15-sha384",
            Self::RsaPkcs1Sha512 => "rsa-pkcs1v15-sha512",
            Self::RsaPssSha256 => "rsassa-pss-sha256",
            Self::RsaPssSha384 => "rsassa-pss-sha384",
            Self::RsaPssSha512 => "rsassa-pss-sha512",
        }
    }

    pub(crate) fn verification(self) -> &'static dyn sig::VerificationAlgorithm {
        match self {
            Self::EcdsaP256Sha256 => &sig::ECDSA_P256_SHA256_ASN1,
            Self::EcdsaP256Sha384 => &sig::ECDSA_P256_SHA384_ASN1,
            Self::EcdsaP384Sha384 => &sig::ECDSA_P384_SHA384_ASN1,
            Self::EcdsaP384Sha256 => &sig::ECDSA_P384_SHA256_ASN1,
            Self::EcdsaP521Sha512 => &sig::ECDSA_P521_SHA512_ASN1,
            Self::Ed25519 => &sig::ED25519,
            Self::RsaPkcs1Sha256 => &sig::RSA_PKCS1_2048_8192_SHA256,
            Self::RsaPkcs1Sha384 => &sig::RSA_PKCS1_2048_8192_SHA384,
            Self::RsaPkcs1Sha512 => &sig::RSA_PKCS1_2048_8192_SHA512,
            Self::RsaPssSha256 => &sig::RSA_PSS_2048_8192_SHA256,
            Self::RsaPssSha384 => &sig::RSA_PSS_2048_8192_SHA384,
            Self::RsaPssSha512 => &sig::RSA_PSS_2048_8192_SHA512,
        }
    }

    /// The same ECDSA scheme with fixed-width (r‖s) signatures, if this is ECDSA.
    pub(crate) fn fixed_verification(self) -> Option<&'static dyn sig::VerificationAlgorithm> {
        Some(match self {
            Self::EcdsaP256Sha256 => &sig::ECDSA_P256_SHA256_FIXED,
            Self::EcdsaP384Sha384 => &sig::ECDSA_P384_SHA384_FIXED,
            Self::EcdsaP521Sha512 => &sig::ECDSA_P521_SHA512_FIXED,
            _ => return None,
        })
    }
}

impl fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SignatureAlgorithm {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|a| a.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown signature algorithm {s:?}"))
    }
}

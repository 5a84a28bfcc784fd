//! Keyless signatures outside a bundle, and the signing certificate of a bundle.
//!
//! slsa-github-generator (before v2.1) writes `.intoto.jsonl` files: a DSSE
//! envelope whose signature carries the Fulcio certificate (`cert`, PEM), and
//! no transparency-log entry — slsa-verifier finds the Rekor entry online by
//! searching for it. Offline we verify what the file itself proves:
//!
//! * the certificate chains to a Fulcio certificate authority of the trusted
//!   root with the code-signing EKU, at the certificate's own `notBefore`
//!   (the only time the file establishes), and that authority's `validFor`
//!   window covers that time;
//! * the DSSE signature (over the PAE) verifies with the certificate's key.
//!
//! What it cannot prove offline: that the signature was made inside the
//! certificate's 10-minute validity window and logged in Rekor. Callers must
//! report that as a distinct verdict ([`CertifiedEnvelope::tlog_verified`] is
//! always `false`). The embedded SCT is not checked on this path either.

use rustls_pki_types::{CertificateDer, UnixTime};
use sigstore_verify::crypto::{
    CertificateInfo, SigningScheme, WEBPKI_VERIFICATION_ALGS, parse_certificate_info,
};
use sigstore_verify::types::{Bundle, DerCertificate, SignatureBytes};

use crate::{Error, TrustedRoot};

/// OID 1.3.6.1.5.5.7.3.3, id-kp-codeSigning (DER contents).
const ID_KP_CODE_SIGNING: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x03];

/// What [`verify_certified_signature`] established.
#[derive(Debug, Clone)]
pub struct CertifiedEnvelope {
    /// The signing certificate's claims (SAN, issuer, CI extensions).
    pub certificate: CertificateInfo,
    /// The time the chain was validated at (the certificate's `notBefore`),
    /// seconds since the Unix epoch.
    pub validated_at: i64,
    /// Always `false`: no transparency-log inclusion was checked.
    pub tlog_verified: bool,
}

/// Parse a certificate (PEM or DER) and read its Sigstore claims.
pub fn certificate_info(cert: &[u8], origin: &str) -> Result<CertificateInfo, Error> {
    let der = match std::str::from_utf8(cert) {
        Ok(text) if text.contains("-----BEGIN") => DerCertificate::from_pem(text)
            .map_err(|e| Error::NotVerified(format!("{origin}: certificate PEM: {e}")))?,
        _ => DerCertificate::new(cert.to_vec()),
    };
    parse_certificate_info(&der)
        .map_err(|e| Error::NotVerified(format!("{origin}: certificate: {e}")))
}

/// The leaf certificate of a bundle with keyless verification material.
pub fn bundle_certificate(bundle: &Bundle) -> Result<CertificateInfo, Error> {
    let der = bundle
        .signing_certificate()
        .ok_or_else(|| Error::NotVerified("bundle has no signing certificate".into()))?;
    parse_certificate_info(der).map_err(|e| Error::NotVerified(format!("certificate: {e}")))
}

/// Verify a signature over `message` (for DSSE: the PAE) made with the key of
/// `cert_pem`, and the certificate's chain to a Fulcio CA of `root`.
///
/// `Err(e)` is a verdict (`e.is_verdict()`) when the material does not verify.
pub fn verify_certified_signature(
    cert_pem: &str,
    message: &[u8],
    signature: &[u8],
    root: &TrustedRoot,
) -> Result<CertifiedEnvelope, Error> {
    let der = DerCertificate::from_pem(cert_pem)
        .map_err(|e| Error::NotVerified(format!("signing certificate PEM: {e}")))?;
    let info = parse_certificate_info(&der)
        .map_err(|e| Error::NotVerified(format!("signing certificate: {e}")))?;
    let at = info.not_before;
    verify_chain(der.as_bytes(), at, root)?;
    let scheme: SigningScheme = info.key_algorithm.default_signing_scheme();
    sigstore_verify::crypto::verify_signature(
        &info.public_key,
        message,
        &SignatureBytes::new(signature.to_vec()),
        scheme,
    )
    .map_err(|e| {
        Error::NotVerified(format!(
            "signature does not verify with the certificate's key: {e}"
        ))
    })?;
    Ok(CertifiedEnvelope {
        certificate: info,
        validated_at: at.as_second(),
        tlog_verified: false,
    })
}

/// Chain `leaf` to a Fulcio CA of `root` valid at `at` (code-signing EKU).
fn verify_chain(leaf: &[u8], at: jiff::Timestamp, root: &TrustedRoot) -> Result<(), Error> {
    let mut anchors = Vec::new();
    for ca in &root.inner.certificate_authorities {
        if ca.valid_for.is_some_and(|w| !w.contains(at)) {
            continue;
        }
        for cert in &ca.cert_chain.certificates {
            let der = CertificateDer::from(cert.raw_bytes.as_bytes());
            let anchor =
                webpki::anchor_from_trusted_cert(&der).map_err(|e| Error::TrustedRoot {
                    origin: root.origin().to_string(),
                    message: format!("certificate authority {}: {e}", ca.uri),
                })?;
            anchors.push(anchor.to_owned());
        }
    }
    if anchors.is_empty() {
        return Err(Error::NotVerified(format!(
            "no Fulcio certificate authority of the trusted root is valid at {at}"
        )));
    }
    let leaf_der = CertificateDer::from(leaf);
    let ee = webpki::EndEntityCert::try_from(&leaf_der)
        .map_err(|e| Error::NotVerified(format!("signing certificate: {e}")))?;
    let secs = u64::try_from(at.as_second()).unwrap_or(0);
    ee.verify_for_usage(
        WEBPKI_VERIFICATION_ALGS,
        &anchors,
        &[],
        UnixTime::since_unix_epoch(std::time::Duration::from_secs(secs)),
        webpki::KeyUsage::required(ID_KP_CODE_SIGNING),
        None,
        None,
    )
    .map_err(|e| {
        Error::NotVerified(format!(
            "signing certificate does not chain to a Fulcio CA of the trusted root at {at}: {e}"
        ))
    })?;
    Ok(())
}

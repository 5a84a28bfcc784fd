//! Encrypted PKCS#8 (RFC 5958 EncryptedPrivateKeyInfo, PBES2 from RFC 8018) through the
//! `pkcs8` crate's `encryption` feature (pkcs5 0.7: scrypt or PBKDF2 with AES-CBC).
//! Writing uses scrypt (N=2^15, r=8, p=1) and AES-256-CBC.

use zeroize::Zeroizing;

use crate::CryptoError;

/// Decrypt an EncryptedPrivateKeyInfo (DER) into PrivateKeyInfo DER.
pub fn decrypt(der: &[u8], passphrase: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    let info = pkcs8::EncryptedPrivateKeyInfo::try_from(der)
        .map_err(|e| CryptoError::Der(format!("EncryptedPrivateKeyInfo: {e}")))?;
    if let Some(kdf) = info.encryption_algorithm.pbes2().map(|p| &p.kdf)
        && let Some(s) = kdf.scrypt()
        && (s.cost_parameter > (1 << 20)
            || u64::from(s.block_size) * u64::from(s.parallelization) > 64)
    {
        return Err(CryptoError::Unsupported(format!(
            "scrypt parameters too large (N={}, r={}, p={})",
            s.cost_parameter, s.block_size, s.parallelization
        )));
    }
    let doc = info.decrypt(passphrase).map_err(|_| {
        CryptoError::Passphrase("cannot decrypt the private key: wrong passphrase?".into())
    })?;
    Ok(Zeroizing::new(doc.as_bytes().to_vec()))
}

/// Encrypt PrivateKeyInfo DER with PBES2 (scrypt + AES-256-CBC).
pub fn encrypt(pkcs8_der: &[u8], passphrase: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let info = pkcs8::PrivateKeyInfo::try_from(pkcs8_der)
        .map_err(|e| CryptoError::Der(format!("PrivateKeyInfo: {e}")))?;
    let mut salt = [0u8; 16];
    let mut iv = [0u8; 16];
    crate::random_bytes(&mut salt)?;
    crate::random_bytes(&mut iv)?;
    let params = scrypt::Params::new(15, 8, 1, 32)
        .map_err(|e| CryptoError::Backend(format!("scrypt params: {e}")))?;
    let pbes2 = pkcs5::pbes2::Parameters::scrypt_aes256cbc(params, &salt, &iv)
        .map_err(|e| CryptoError::Backend(format!("PBES2 params: {e}")))?;
    let doc = info
        .encrypt_with_params(pbes2, passphrase)
        .map_err(|e| CryptoError::Backend(format!("PBES2 encrypt: {e}")))?;
    Ok(doc.as_bytes().to_vec())
}

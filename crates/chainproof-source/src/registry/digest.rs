//! Content digests (the one [`Digest`] type of [`crate::image`], re-exported) and a
//! hashing copy that checks them.

use std::io::{self, Read, Write};

use aws_lc_rs::digest;

pub use crate::image::{Algorithm, Digest};

/// Copies `reader` into `out` while hashing and counting; stops with an error as soon as more
/// than `limit` bytes arrive. Returns the digest and the byte count.
pub(crate) fn copy_hashed(
    reader: &mut dyn Read,
    out: &mut dyn Write,
    algorithm: Algorithm,
    limit: u64,
) -> io::Result<(Digest, u64)> {
    let mut ctx = digest::Context::new(algorithm.ring());
    let mut buf = vec![0u8; 64 * 1024];
    let mut total: u64 = 0;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        total = total.saturating_add(n as u64);
        if total > limit {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("more than {limit} bytes"),
            ));
        }
        let chunk = &buf[..n];
        ctx.update(chunk);
        out.write_all(chunk)?;
    }
    Ok((Digest::from_raw(algorithm, ctx.finish().as_ref()), total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_hashed_counts_and_limits() {
        let data = b"hello world".to_vec();
        let mut out = Vec::new();
        let (d, n) = copy_hashed(&mut &data[..], &mut out, Algorithm::Sha256, 100).expect("copy");
        assert_eq!(n, 11);
        assert_eq!(out, data);
        assert_eq!(d, Digest::sha256_of(&data));
        let mut sink = Vec::new();
        assert!(copy_hashed(&mut &data[..], &mut sink, Algorithm::Sha256, 5).is_err());
    }
}

//! Digests checked while streaming, and byte caps enforced while reading.

use std::cell::RefCell;
use std::io::{self, Read};
use std::rc::Rc;

use aws_lc_rs::digest::{Context, SHA256};

use super::oci::Algorithm;
pub use super::oci::Digest;

/// Hash state and byte count shared between a reader handed to a decoder and the code that
/// later drains and checks it.
pub(crate) struct Meter<R> {
    inner: R,
    ctx: Option<Context>,
    bytes: u64,
    limit: u64,
    /// Set when `limit` was passed: the read that crossed it failed.
    pub(crate) exceeded: bool,
}

/// A reader that hashes and counts what passes through it and fails once more than `limit`
/// bytes went by. Clones share the same state.
pub(crate) struct MeteredReader<R>(Rc<RefCell<Meter<R>>>);

impl<R> Clone for MeteredReader<R> {
    fn clone(&self) -> Self {
        MeteredReader(Rc::clone(&self.0))
    }
}

impl<R: Read> MeteredReader<R> {
    pub(crate) fn new(inner: R, limit: u64) -> Self {
        MeteredReader(Rc::new(RefCell::new(Meter {
            inner,
            ctx: Some(Context::new(&SHA256)),
            bytes: 0,
            limit,
            exceeded: false,
        })))
    }

    /// Reads the rest of the stream (counted and hashed like the rest).
    pub(crate) fn drain(&self) -> io::Result<u64> {
        io::copy(&mut self.clone(), &mut io::sink())
    }

    pub(crate) fn count(&self) -> u64 {
        self.0.borrow().bytes
    }

    pub(crate) fn exceeded(&self) -> bool {
        self.0.borrow().exceeded
    }

    /// The digest of everything read so far (call once, after [`drain`](Self::drain)).
    pub(crate) fn finish(&self) -> Digest {
        let ctx = self.0.borrow_mut().ctx.take();
        let ctx = ctx.unwrap_or_else(|| Context::new(&SHA256));
        Digest::from_raw(Algorithm::Sha256, ctx.finish().as_ref())
    }
}

impl<R: Read> Read for MeteredReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut m = self.0.borrow_mut();
        if m.exceeded {
            return Err(limit_error());
        }
        let n = m.inner.read(buf)?;
        m.bytes += n as u64;
        if m.bytes > m.limit {
            m.exceeded = true;
            return Err(limit_error());
        }
        if let Some(ctx) = m.ctx.as_mut() {
            ctx.update(&buf[..n]);
        }
        Ok(n)
    }
}

fn limit_error() -> io::Error {
    io::Error::other("size limit exceeded")
}

/// Reads at most `limit` bytes into memory; more is an error (returns `None`).
pub(crate) fn read_capped(mut r: impl Read, limit: u64) -> io::Result<Option<Vec<u8>>> {
    let mut buf = Vec::new();
    (&mut r)
        .take(limit.saturating_add(1))
        .read_to_end(&mut buf)?;
    Ok((buf.len() as u64 <= limit).then_some(buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metered_digest() {
        let m = MeteredReader::new(&b"abc"[..], 10);
        m.drain().expect("in memory");
        assert_eq!(m.finish(), Digest::sha256_of(b"abc"));
    }

    #[test]
    fn meter_stops_at_limit() {
        let m = MeteredReader::new(&[0u8; 100][..], 10);
        assert!(m.drain().is_err());
        assert!(m.exceeded());
    }
}

//! NDB `Packages.db` (rpm ≥ 4.16 on SUSE): a 32-byte header (`RpmP`, version 0, slot page
//! count), slot pages of 16-byte slots (`Slot`, package index, block offset, block count)
//! and blobs at `block offset × 16`: a 16-byte blob header (`BlbS`, package index,
//! checksum, length) followed by the header blob. Little-endian.

const HEADER_MAGIC: u32 = u32::from_le_bytes(*b"RpmP");
const SLOT_MAGIC: u32 = u32::from_le_bytes(*b"Slot");
const BLOB_MAGIC: u32 = u32::from_le_bytes(*b"BlbS");
const SLOTS_PER_PAGE: usize = 4096 / 16;
const BLOCK: usize = 16;

fn le32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// Whether `bytes` start with the NDB magic.
pub fn is_ndb(bytes: &[u8]) -> bool {
    le32(bytes, 0) == Some(HEADER_MAGIC)
}

/// Every header blob of the database.
pub fn blobs(bytes: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    if !is_ndb(bytes) {
        return Err("not an NDB database (bad magic)".into());
    }
    if le32(bytes, 4) != Some(0) {
        return Err("unsupported NDB version".into());
    }
    let pages = le32(bytes, 12).ok_or("truncated NDB header")? as usize;
    if pages == 0 || pages > 2048 {
        return Err(format!("NDB slot page count {pages} out of range"));
    }
    // The header takes the first two slots of the first page.
    let n_slots = pages * SLOTS_PER_PAGE - 2;
    let mut out = Vec::new();
    for s in 0..n_slots {
        let at = 32 + s * 16;
        let (Some(magic), Some(pkg), Some(blk)) =
            (le32(bytes, at), le32(bytes, at + 4), le32(bytes, at + 8))
        else {
            return Err(format!("NDB slot {s} outside the file"));
        };
        if magic != SLOT_MAGIC {
            return Err(format!("NDB slot {s}: bad magic"));
        }
        if pkg == 0 {
            continue;
        }
        let b = (blk as usize)
            .checked_mul(BLOCK)
            .ok_or_else(|| format!("NDB package {pkg}: block offset overflows"))?;
        if le32(bytes, b) != Some(BLOB_MAGIC) {
            return Err(format!("NDB package {pkg}: bad blob magic"));
        }
        if le32(bytes, b + 4) != Some(pkg) {
            return Err(format!(
                "NDB package {pkg}: blob belongs to another package"
            ));
        }
        let len = le32(bytes, b + 12).ok_or("truncated NDB blob header")? as usize;
        let blob = bytes
            .get(b + 16..(b + 16).saturating_add(len))
            .ok_or_else(|| format!("NDB package {pkg}: blob of {len} bytes is truncated"))?;
        out.push(blob.to_vec());
    }
    Ok(out)
}

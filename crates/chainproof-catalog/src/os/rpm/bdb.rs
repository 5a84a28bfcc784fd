//! Berkeley DB `Packages` (rpm < 4.16): a hash (or btree) database whose values are the
//! header blobs, stored on overflow pages. Pages are walked in order; every value that is
//! an overflow reference is followed through its chain of overflow pages. Byte order is
//! the creating host's, told by the metadata page's magic number.

const HASH_MAGIC: u32 = 0x0006_1561;
const BTREE_MAGIC: u32 = 0x0005_3162;
const PAGE_HEADER: usize = 26;
const P_IBTREE: u8 = 3;
const P_LBTREE: u8 = 5;
const P_OVERFLOW: u8 = 7;
const P_HASH_UNSORTED: u8 = 2;
const P_HASH: u8 = 13;
/// `H_OFFPAGE` (hash) and `B_OVERFLOW` (btree) item types.
const OFFPAGE: u8 = 3;

/// Whether `bytes` start like a Berkeley DB hash or btree file.
pub fn is_bdb(bytes: &[u8]) -> bool {
    meta(bytes).is_ok()
}

struct Meta {
    big_endian: bool,
    page_size: usize,
    last_pgno: usize,
}

fn u32_at(b: &[u8], at: usize, be: bool) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    let a = [s[0], s[1], s[2], s[3]];
    Some(if be {
        u32::from_be_bytes(a)
    } else {
        u32::from_le_bytes(a)
    })
}

fn u16_at(b: &[u8], at: usize, be: bool) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    let a = [s[0], s[1]];
    Some(if be {
        u16::from_be_bytes(a)
    } else {
        u16::from_le_bytes(a)
    })
}

fn meta(bytes: &[u8]) -> Result<Meta, String> {
    for be in [false, true] {
        let magic = u32_at(bytes, 12, be).ok_or("file shorter than a metadata page")?;
        if magic != HASH_MAGIC && magic != BTREE_MAGIC {
            continue;
        }
        let page_size = u32_at(bytes, 20, be).ok_or("truncated metadata")? as usize;
        if !page_size.is_power_of_two() || !(512..=65536).contains(&page_size) {
            return Err(format!("unexpected page size {page_size}"));
        }
        let last_pgno = u32_at(bytes, 32, be).ok_or("truncated metadata")? as usize;
        return Ok(Meta {
            big_endian: be,
            page_size,
            last_pgno,
        });
    }
    Err("not a Berkeley DB hash or btree file".into())
}

/// Every header blob of the database.
pub fn blobs(bytes: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let m = meta(bytes)?;
    let be = m.big_endian;
    let n_pages = bytes.len() / m.page_size;
    let last = m.last_pgno.min(n_pages.saturating_sub(1));
    let page = |pgno: usize| -> Option<&[u8]> {
        let start = pgno.checked_mul(m.page_size)?;
        bytes.get(start..start.checked_add(m.page_size)?)
    };
    let mut out = Vec::new();
    for pgno in 1..=last {
        let Some(p) = page(pgno) else { break };
        let ty = p[25];
        let (value_type_at, is_values) = match ty {
            P_HASH | P_HASH_UNSORTED => (0usize, true),
            P_LBTREE => (2usize, true),
            P_IBTREE | P_OVERFLOW => (0, false),
            _ => (0, false),
        };
        if !is_values {
            continue;
        }
        let entries = usize::from(u16_at(p, 20, be).unwrap_or(0));
        // Items alternate key, value: values are the odd indexes.
        for i in (1..entries).step_by(2) {
            let Some(off) = u16_at(p, PAGE_HEADER + i * 2, be).map(usize::from) else {
                break;
            };
            let Some(&item_ty) = p.get(off + value_type_at) else {
                continue;
            };
            if item_ty & 0x7f != OFFPAGE {
                continue;
            }
            // Hash: type u8, pad[3], pgno u32, tlen u32. Btree: pad u16, type u8, pad u8,
            // pgno u32, tlen u32.
            let (Some(first), Some(tlen)) = (u32_at(p, off + 4, be), u32_at(p, off + 8, be)) else {
                continue;
            };
            out.push(follow(bytes, &m, first as usize, tlen as usize, last)?);
        }
    }
    Ok(out)
}

/// Concatenates an overflow chain starting at `pgno`, at most `tlen` bytes.
fn follow(
    bytes: &[u8],
    m: &Meta,
    mut pgno: usize,
    tlen: usize,
    last: usize,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(tlen.min(bytes.len()));
    let mut steps = 0usize;
    while pgno != 0 {
        steps += 1;
        if steps > last + 1 || pgno > last {
            return Err(format!("overflow chain broken at page {pgno}"));
        }
        let start = pgno * m.page_size;
        let p = bytes
            .get(start..start + m.page_size)
            .ok_or_else(|| format!("overflow page {pgno} outside the file"))?;
        if p[25] != P_OVERFLOW {
            return Err(format!("page {pgno} is not an overflow page"));
        }
        let len = usize::from(u16_at(p, 22, m.big_endian).unwrap_or(0));
        let data = p
            .get(PAGE_HEADER..PAGE_HEADER + len)
            .ok_or_else(|| format!("overflow page {pgno} holds more than a page"))?;
        out.extend_from_slice(data);
        if out.len() >= tlen {
            out.truncate(tlen);
            break;
        }
        pgno = u32_at(p, 16, m.big_endian).unwrap_or(0) as usize;
    }
    Ok(out)
}

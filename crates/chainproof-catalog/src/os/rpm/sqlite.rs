//! `rpmdb.sqlite` (rpm ≥ 4.16): the `Packages` table's `blob` column holds the header
//! blobs. The database bytes come from the resolver and are loaded into an in-memory,
//! read-only SQLite connection with `sqlite3_deserialize` (rusqlite's `serialize`
//! feature); nothing is written to disk. A WAL-mode header is switched to rollback mode
//! in the in-memory copy, as deserialized databases cannot use a WAL.

use rusqlite::{Connection, OpenFlags};

/// Whether `bytes` start like an SQLite 3 database.
pub fn is_sqlite(bytes: &[u8]) -> bool {
    bytes.starts_with(b"SQLite format 3\0")
}

/// Every header blob of the `Packages` table.
pub fn blobs(bytes: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    if !is_sqlite(bytes) {
        return Err("not an SQLite database".into());
    }
    let mut copy = bytes.to_vec();
    // Bytes 18–19: file format write/read versions; 2 = WAL.
    if copy.len() > 19 {
        copy[18] = 1;
        copy[19] = 1;
    }
    let mut conn = Connection::open_with_flags(
        ":memory:",
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| e.to_string())?;
    let len = copy.len();
    conn.deserialize_read_exact(rusqlite::MAIN_DB, &copy[..], len, true)
        .map_err(|e| e.to_string())?;
    let mut stmt = conn
        .prepare("SELECT blob FROM Packages ORDER BY hnum")
        .map_err(|e| e.to_string())?;
    let rows = stmt
        .query_map([], |r| r.get::<_, Vec<u8>>(0))
        .map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for r in rows {
        out.push(r.map_err(|e| e.to_string())?);
    }
    Ok(out)
}

//! Small helpers shared by catalogers.

/// 1-based line and column of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = offset
        - before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1)
        + 1;
    (line as u32, col as u32)
}

/// 1-based line of a byte offset in `text`.
pub fn line_of(text: &str, offset: usize) -> u32 {
    line_col(text, offset).0
}

/// Finds the line of the first occurrence of `needle` at or after byte `from`, returning the
/// line and the offset just past the match (so repeated searches advance through a file).
pub fn find_line(text: &str, needle: &str, from: usize) -> Option<(u32, usize)> {
    let from = from.min(text.len());
    text[from..].find(needle).map(|i| {
        let at = from + i;
        (line_of(text, at), at + needle.len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions() {
        let t = "ab\ncd\nef";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 4), (2, 2));
        assert_eq!(find_line(t, "ef", 0), Some((3, 8)));
        assert_eq!(find_line(t, "zz", 0), None);
    }
}

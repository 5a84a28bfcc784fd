//! RFC 3339 timestamps, just enough for VEX documents: parse with offsets and fractions,
//! compare, and format in UTC. Also civil dates for ignore-file expiry.

use std::cmp::Ordering;
use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// A point in time read from a document, ordered by the instant it denotes.
#[derive(Clone, Debug)]
pub struct Timestamp {
    /// Seconds since the Unix epoch (UTC).
    pub unix: i64,
    /// Nanoseconds within the second.
    pub nanos: u32,
    /// The text as written in the document.
    pub text: String,
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        (self.unix, self.nanos) == (other.unix, other.nanos)
    }
}
impl Eq for Timestamp {}
impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.unix, self.nanos).cmp(&(other.unix, other.nanos))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Timestamp {
    /// Parses `YYYY-MM-DD[THH:MM:SS[.frac]][Z|±HH:MM]` (a bare date is midnight UTC;
    /// a missing offset is UTC). `None` when it is not such a timestamp.
    pub fn parse(text: &str) -> Option<Timestamp> {
        let s = text.trim();
        let b = s.as_bytes();
        let (year, month, day) = parse_date(s.get(..10)?)?;
        let days = days_from_civil(year, month, day);
        let mut unix = days * 86_400;
        let mut nanos = 0u32;
        if b.len() > 10 {
            if !matches!(b[10], b'T' | b't' | b' ') || b.len() < 19 {
                return None;
            }
            let hh = num(s.get(11..13)?)?;
            let mm = num(s.get(14..16)?)?;
            let ss = num(s.get(17..19)?)?;
            if b[13] != b':' || b[16] != b':' || hh > 23 || mm > 59 || ss > 60 {
                return None;
            }
            unix += hh * 3600 + mm * 60 + ss;
            let mut rest = s.get(19..)?;
            if let Some(frac) = rest.strip_prefix('.') {
                let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
                if digits == 0 {
                    return None;
                }
                let mut n: u64 = 0;
                for (i, d) in frac.bytes().take(digits).enumerate() {
                    if i < 9 {
                        n = n * 10 + u64::from(d - b'0');
                    }
                }
                for _ in digits..9 {
                    n *= 10;
                }
                nanos = u32::try_from(n).ok()?;
                rest = frac.get(digits..)?;
            }
            match rest {
                "" | "Z" | "z" => {}
                off => {
                    let sign = match off.as_bytes().first()? {
                        b'+' => 1,
                        b'-' => -1,
                        _ => return None,
                    };
                    let oh = num(off.get(1..3)?)?;
                    let om = match off.len() {
                        3 => 0,
                        6 if off.as_bytes()[3] == b':' => num(off.get(4..6)?)?,
                        5 => num(off.get(3..5)?)?,
                        _ => return None,
                    };
                    unix -= sign * (oh * 3600 + om * 60);
                }
            }
        }
        Some(Timestamp {
            unix,
            nanos,
            text: s.to_string(),
        })
    }

    /// The current time, formatted as RFC 3339 UTC.
    pub fn now() -> Timestamp {
        Timestamp::from_system_time(SystemTime::now())
    }

    /// A system time, formatted as RFC 3339 UTC with seconds precision.
    pub fn from_system_time(t: SystemTime) -> Timestamp {
        let secs = match t.duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 2),
            Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX / 2),
        };
        Timestamp::from_unix(secs)
    }

    /// Seconds since the epoch, formatted as RFC 3339 UTC.
    pub fn from_unix(unix: i64) -> Timestamp {
        let days = unix.div_euclid(86_400);
        let secs = unix.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let text = format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        );
        Timestamp {
            unix,
            nanos: 0,
            text,
        }
    }
}

fn num(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parses `YYYY-MM-DD` into a valid civil date.
pub fn parse_date(s: &str) -> Option<(i64, u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = num(&s[..4])?;
    let m = u32::try_from(num(&s[5..7])?).ok()?;
    let d = u32::try_from(num(&s[8..10])?).ok()?;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let max = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=max).contains(&d).then_some((y, m, d))
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian; Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_fractions_compare_by_instant() {
        let a = Timestamp::parse("2023-01-16T19:07:16.853479631-06:00").expect("valid");
        let b = Timestamp::parse("2023-01-17T01:07:16.853479631Z").expect("valid");
        assert_eq!(a, b);
        assert_eq!(a.nanos, 853_479_631);
        let c = Timestamp::parse("2022-12-22T16:36:43-05:00").expect("valid");
        assert!(c < a);
        assert_eq!(
            Timestamp::parse("2022-03-03").expect("date").unix,
            1_646_265_600
        );
        assert!(Timestamp::parse("2022-02-30").is_none());
        assert!(Timestamp::parse("yesterday").is_none());
        assert!(Timestamp::parse("2022-03-03T1").is_none());
    }

    #[test]
    fn formats_utc_round_trip() {
        let t = Timestamp::from_unix(1_646_265_600 + 3661);
        assert_eq!(t.text, "2022-03-03T01:01:01Z");
        assert_eq!(Timestamp::parse(&t.text).expect("own output").unix, t.unix);
        for days in [-1000, 0, 59, 365, 11_016, 20_000, 100_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}

//! One module per wire protocol, encoder and decoder side by side, and the entry view they all
//! decode into.

pub mod decoded;
pub mod logflux;
pub mod luminalog;
pub(crate) mod members;
pub mod otlp;

use chrono::{DateTime, SecondsFormat, Utc};

fn utc(unix_nanos: u64) -> DateTime<Utc> {
    DateTime::from_timestamp_nanos(i64::try_from(unix_nanos).unwrap_or(i64::MAX))
}

/// UTC `YYYY-MM-DDTHH:MM:SS.ffffffZ`, always six fraction digits. Written by chrono's RFC 3339
/// writer rather than a strftime pattern: every entry's timestamp goes through here, and
/// parsing the pattern each time cost more than the encoding of the rest of the entry.
pub fn rfc3339_micros(unix_nanos: u64) -> String {
    utc(unix_nanos).to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// UTC RFC 3339 with trailing fraction zeros removed and no `.` when whole (LogFlux §7):
/// `2026-01-01T00:00:00Z`, `2026-03-15T14:30:45.1234Z`.
pub fn rfc3339_trimmed(unix_nanos: u64) -> String {
    let nanos = utc(unix_nanos).to_rfc3339_opts(SecondsFormat::Nanos, true);
    // The '.' stops the zeros' trim, so the seconds keep theirs.
    let trimmed = nanos
        .trim_end_matches('Z')
        .trim_end_matches('0')
        .trim_end_matches('.');
    format!("{trimmed}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_in_both_forms() {
        let t = 1_773_585_045_000_000_000; // 2026-03-15T14:30:45Z
        assert_eq!(rfc3339_micros(t), "2026-03-15T14:30:45.000000Z");
        assert_eq!(rfc3339_trimmed(t), "2026-03-15T14:30:45Z");
        assert_eq!(
            rfc3339_trimmed(t + 123_400_000),
            "2026-03-15T14:30:45.1234Z"
        );
        assert_eq!(rfc3339_trimmed(t + 1), "2026-03-15T14:30:45.000000001Z");
        assert_eq!(rfc3339_micros(t + 1_999), "2026-03-15T14:30:45.000001Z");
        let whole_minute = 1_767_225_600_000_000_000; // 2026-01-01T00:00:00Z
        assert_eq!(rfc3339_trimmed(whole_minute), "2026-01-01T00:00:00Z");
    }
}

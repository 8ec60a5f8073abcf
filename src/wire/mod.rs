//! One module per wire protocol, encoder and decoder side by side, and the entry view they all
//! decode into.

pub mod decoded;
pub mod logflux;
pub mod luminalog;
pub(crate) mod members;
pub mod otlp;

/// UTC `YYYY-MM-DDTHH:MM:SS.ffffffZ`, always six fraction digits.
pub fn rfc3339_micros(unix_nanos: u64) -> String {
    let secs = (unix_nanos / 1_000_000_000) as i64;
    let nanos = (unix_nanos % 1_000_000_000) as u32;
    chrono::DateTime::from_timestamp(secs, nanos)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string()
}

/// UTC RFC 3339 with trailing fraction zeros removed and no `.` when whole (LogFlux §7):
/// `2026-01-01T00:00:00Z`, `2026-03-15T14:30:45.1234Z`.
pub fn rfc3339_trimmed(unix_nanos: u64) -> String {
    let secs = (unix_nanos / 1_000_000_000) as i64;
    let nanos = (unix_nanos % 1_000_000_000) as u32;
    let whole = chrono::DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S");
    if nanos == 0 {
        return format!("{whole}Z");
    }
    let fraction = format!("{nanos:09}");
    format!("{whole}.{}Z", fraction.trim_end_matches('0'))
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
    }
}

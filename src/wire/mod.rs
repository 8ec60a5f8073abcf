//! One module per wire protocol, encoder and decoder side by side, and the entry view they all
//! decode into.

pub mod decoded;
pub mod logflux;
pub mod luminalog;

/// UTC `YYYY-MM-DDTHH:MM:SS.ffffffZ`, always six fraction digits.
pub fn rfc3339_micros(unix_nanos: u64) -> String {
    let secs = (unix_nanos / 1_000_000_000) as i64;
    let nanos = (unix_nanos % 1_000_000_000) as u32;
    chrono::DateTime::from_timestamp(secs, nanos)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string()
}

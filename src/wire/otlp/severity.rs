//! ferrolog levels ↔ OTLP severity (spec §5): Appendix B of the OpenTelemetry logs data model
//! when sending, its ranges when receiving.

use crate::level::Level;

/// The severityNumber a level is sent as.
pub(super) fn severity_number(level: Level) -> u8 {
    match level {
        Level::Emergency => 21,
        Level::Alert => 19,
        Level::Critical => 18,
        Level::Error => 17,
        Level::Warning => 13,
        Level::Notice => 10,
        Level::Info => 9,
        Level::Debug => 5,
    }
}

/// The level of a received record. `number` 0 means unset, and the text decides; numbers
/// outside 0–24 reject the record.
pub(super) fn level_of(number: i64, text: Option<&str>) -> Result<Level, String> {
    Ok(match number {
        0 => text.and_then(level_named).unwrap_or(Level::Info),
        1..=8 => Level::Debug,
        9 => Level::Info,
        10..=12 => Level::Notice,
        13..=16 => Level::Warning,
        17 => Level::Error,
        18 => Level::Critical,
        19..=20 => Level::Alert,
        21..=24 => Level::Emergency,
        _ => return Err(format!("severityNumber {number} is outside 0–24")),
    })
}

/// The ferrolog names first, then LuminaLog's, then OTel's `trace`, which has no ferrolog
/// level of its own and is folded into debug like severities 1–4.
fn level_named(text: &str) -> Option<Level> {
    Level::ALL
        .into_iter()
        .find(|level| level.name().eq_ignore_ascii_case(text))
        .or_else(|| Level::from_luminalog_name(text))
        .or_else(|| text.eq_ignore_ascii_case("trace").then_some(Level::Debug))
}

/// The number of a proto enum name such as `SEVERITY_NUMBER_WARN3`, which receivers accept in
/// place of the integer.
pub(super) fn number_from_name(name: &str) -> Option<i64> {
    const RANGES: [(&str, i64); 6] = [
        ("TRACE", 1),
        ("DEBUG", 5),
        ("INFO", 9),
        ("WARN", 13),
        ("ERROR", 17),
        ("FATAL", 21),
    ];
    let name = name.strip_prefix("SEVERITY_NUMBER_")?;
    if name == "UNSPECIFIED" {
        return Some(0);
    }
    RANGES.iter().find_map(|&(range, first)| {
        let step = match name.strip_prefix(range)? {
            "" => 0,
            "2" => 1,
            "3" => 2,
            "4" => 3,
            _ => return None,
        };
        Some(first + step)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_send_per_the_table_and_round_trip() {
        let sent: Vec<u8> = Level::ALL.into_iter().map(severity_number).collect();
        assert_eq!(sent, [21, 19, 18, 17, 13, 10, 9, 5]);
        for level in Level::ALL {
            let number = i64::from(severity_number(level));
            assert_eq!(level_of(number, Some("ignored")), Ok(level));
        }
    }

    #[test]
    fn every_number_maps_into_its_range() {
        let received: Vec<u8> = (1..=24)
            .map(|n| level_of(n, None).unwrap().number())
            .collect();
        let expected = [
            8, 8, 8, 8, 8, 8, 8, 8, 7, 6, 6, 6, 5, 5, 5, 5, 4, 3, 2, 2, 1, 1, 1, 1,
        ];
        assert_eq!(received, expected);
        assert!(level_of(25, None).unwrap_err().contains("25"));
        assert!(level_of(-1, None).is_err());
    }

    #[test]
    fn text_decides_when_the_number_is_unset() {
        let cases = [
            (Some("NOTICE"), Level::Notice),
            (Some("warn"), Level::Warning),
            (Some("Fatal"), Level::Critical),
            (Some("panic"), Level::Emergency),
            (Some("trace"), Level::Debug),
            (Some("verbose"), Level::Info),
            (Some("crit"), Level::Info),
            (None, Level::Info),
        ];
        for (text, level) in cases {
            assert_eq!(level_of(0, text), Ok(level), "{text:?}");
        }
    }

    #[test]
    fn enum_names_give_their_numbers() {
        let cases = [
            ("SEVERITY_NUMBER_UNSPECIFIED", Some(0)),
            ("SEVERITY_NUMBER_TRACE", Some(1)),
            ("SEVERITY_NUMBER_INFO", Some(9)),
            ("SEVERITY_NUMBER_INFO2", Some(10)),
            ("SEVERITY_NUMBER_WARN4", Some(16)),
            ("SEVERITY_NUMBER_FATAL", Some(21)),
            ("SEVERITY_NUMBER_FATAL5", None),
            ("INFO", None),
        ];
        for (name, number) in cases {
            assert_eq!(number_from_name(name), number, "{name}");
        }
    }
}

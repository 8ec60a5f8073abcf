//! The unified levels: the eight syslog severities, and their names in each protocol.
//!
//! Lower numbers are more severe, so "at least as severe as the minimum" is `level <= min`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A ferrolog level. The discriminants are the syslog numbers and are part of the C ABI.
/// Serialized as that number, as the C ABI passes it.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "u8", try_from = "u8")]
pub enum Level {
    Emergency = 1,
    Alert = 2,
    Critical = 3,
    Error = 4,
    Warning = 5,
    Notice = 6,
    Info = 7,
    Debug = 8,
}

impl Level {
    pub const ALL: [Level; 8] = [
        Level::Emergency,
        Level::Alert,
        Level::Critical,
        Level::Error,
        Level::Warning,
        Level::Notice,
        Level::Info,
        Level::Debug,
    ];

    /// The level with syslog number `n` (1..=8).
    pub fn from_number(n: u8) -> Option<Level> {
        Level::ALL.get(usize::from(n).wrapping_sub(1)).copied()
    }

    pub fn number(self) -> u8 {
        self as u8
    }

    /// Parses a level name from either name set, ASCII case-insensitively:
    /// the syslog names (emergency … debug, with `warn`, `crit`, `emerg` spellings) and the
    /// LuminaLog names (debug, info, warn, error, fatal, panic). A decimal number 1..=8 is
    /// accepted too, since environment variables often carry one.
    pub fn from_name(name: &str) -> Option<Level> {
        let lower = name.trim().to_ascii_lowercase();
        let level = match lower.as_str() {
            "emergency" | "emerg" | "panic" => Level::Emergency,
            "alert" => Level::Alert,
            "critical" | "crit" | "fatal" => Level::Critical,
            "error" | "err" => Level::Error,
            "warning" | "warn" => Level::Warning,
            "notice" => Level::Notice,
            "info" | "informational" => Level::Info,
            "debug" => Level::Debug,
            other => return other.parse::<u8>().ok().and_then(Level::from_number),
        };
        Some(level)
    }

    /// A level given in JSON, as the C ABI's JSON options and the bindings give one: a number
    /// 1..=8 or a name from either set.
    pub fn from_json(value: &serde_json::Value) -> Option<Level> {
        match value {
            serde_json::Value::Number(n) => n
                .as_u64()
                .and_then(|n| u8::try_from(n).ok())
                .and_then(Level::from_number),
            serde_json::Value::String(name) => Level::from_name(name),
            _ => None,
        }
    }

    /// The syslog name, which is also the OTLP `severityText`.
    pub fn name(self) -> &'static str {
        match self {
            Level::Emergency => "emergency",
            Level::Alert => "alert",
            Level::Critical => "critical",
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Notice => "notice",
            Level::Info => "info",
            Level::Debug => "debug",
        }
    }

    /// The name sent on the LuminaLog wire; alert and notice are folded (lossy, per the spec).
    pub fn luminalog_name(self) -> &'static str {
        match self {
            Level::Emergency => "panic",
            Level::Alert | Level::Critical => "fatal",
            Level::Error => "error",
            Level::Warning => "warn",
            Level::Notice | Level::Info => "info",
            Level::Debug => "debug",
        }
    }

    /// A LuminaLog level name as received (case-insensitive); only the six names count.
    pub fn from_luminalog_name(name: &str) -> Option<Level> {
        const NAMES: [(&str, Level); 6] = [
            ("debug", Level::Debug),
            ("info", Level::Info),
            ("warn", Level::Warning),
            ("error", Level::Error),
            ("fatal", Level::Critical),
            ("panic", Level::Emergency),
        ];
        NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|&(_, level)| level)
    }
}

impl From<Level> for u8 {
    fn from(level: Level) -> u8 {
        level.number()
    }
}

impl TryFrom<u8> for Level {
    type Error = String;

    fn try_from(n: u8) -> Result<Level, String> {
        Level::from_number(n).ok_or_else(|| format!("no level is numbered {n}"))
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip() {
        for level in Level::ALL {
            assert_eq!(Level::from_number(level.number()), Some(level));
        }
        assert_eq!(Level::from_number(0), None);
        assert_eq!(Level::from_number(9), None);
    }

    #[test]
    fn both_name_sets_parse() {
        let cases = [
            ("debug", 8),
            ("info", 7),
            ("warn", 5),
            ("error", 4),
            ("fatal", 3),
            ("panic", 1),
            ("emergency", 1),
            ("alert", 2),
            ("critical", 3),
            ("warning", 5),
            ("notice", 6),
            ("WARN", 5),
            (" Info ", 7),
            ("6", 6),
        ];
        for (name, number) in cases {
            assert_eq!(
                Level::from_name(name).map(Level::number),
                Some(number),
                "{name}"
            );
        }
        for bad in ["", "verbose", "0", "9", "trace"] {
            assert_eq!(Level::from_name(bad), None, "{bad}");
        }
    }

    #[test]
    fn luminalog_names_follow_the_spec_table() {
        let sent: Vec<&str> = Level::ALL.iter().map(|l| l.luminalog_name()).collect();
        assert_eq!(
            sent,
            ["panic", "fatal", "fatal", "error", "warn", "info", "info", "debug"]
        );
        let received = [
            ("panic", 1),
            ("fatal", 3),
            ("error", 4),
            ("warn", 5),
            ("info", 7),
            ("debug", 8),
        ];
        for (name, number) in received {
            assert_eq!(
                Level::from_luminalog_name(name).map(Level::number),
                Some(number)
            );
        }
        assert_eq!(Level::from_luminalog_name("notice"), None);
        assert_eq!(Level::from_luminalog_name("VERBOSE"), None);
    }
}

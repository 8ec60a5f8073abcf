//! What the scrubber looks for: one pattern per kind of PII, the check that confirms a match,
//! and the marker that replaces it.

use std::borrow::Cow;
use std::ops::Range;

use super::checks;
use super::keys::SensitiveKeys;

/// The kinds of PII, in order of precedence when two findings cover the same span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Detector {
    /// `password=…` or `"password": "…"` inside text.
    SensitivePair,
    Jwt,
    Bearer,
    Email,
    Iban,
    Card,
    Ssn,
    Phone,
    Ipv6,
    Ipv4,
}

/// Every detector, in the order of precedence.
pub(super) const DETECTORS: [Detector; 10] = [
    Detector::SensitivePair,
    Detector::Jwt,
    Detector::Bearer,
    Detector::Email,
    Detector::Iban,
    Detector::Card,
    Detector::Ssn,
    Detector::Phone,
    Detector::Ipv6,
    Detector::Ipv4,
];

pub const REDACTED: &str = "[REDACTED]";

impl Detector {
    /// The candidate pattern. ASCII classes and ASCII word boundaries (`(?-u:\b)`) only: PII is
    /// ASCII, and they keep the automata small and fast.
    pub(super) fn pattern(self, keys: &SensitiveKeys) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Detector::SensitivePair => return Cow::Owned(sensitive_pair_pattern(keys)),
            Detector::Jwt => r"(?-u:\b)eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*",
            Detector::Bearer => r"(?i-u:\bbearer) +[A-Za-z0-9._~+/-]+=*",
            Detector::Email => concat!(
                r"[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?",
                r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?-u:\b)",
            ),
            Detector::Iban => concat!(
                r"(?-u:\b)[A-Z]{2}[0-9]{2}",
                r"(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)(?-u:\b)",
            ),
            Detector::Card => concat!(
                r"(?-u:\b)(?:[0-9]{13,19}|[0-9]{4}(?: [0-9]{3,6}){2,4}",
                r"|[0-9]{4}(?:-[0-9]{3,6}){2,4})(?-u:\b)",
            ),
            Detector::Ssn => r"(?-u:\b)[0-9]{3}-[0-9]{2}-[0-9]{4}(?-u:\b)",
            Detector::Phone => concat!(
                r"\+[1-9][0-9]{0,3}(?:[ .-]?(?:\([0-9]{1,4}\)|[0-9]{1,5})){1,6}(?-u:\b)",
                r"|(?:(?-u:\b)1[-. ])?\([2-9][0-9]{2}\) ?[0-9]{3}[-. ][0-9]{4}(?-u:\b)",
                r"|(?-u:\b)(?:1[-.])?[2-9][0-9]{2}[-.][0-9]{3}[-.][0-9]{4}(?-u:\b)",
            ),
            // The IPv4 tail comes first so that `::ffff:10.0.0.1` is not cut at `10`.
            Detector::Ipv6 => concat!(
                r"(?:[0-9A-Fa-f]{0,4}:){2,7}",
                r"(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9A-Fa-f]{0,4})(?:%[0-9A-Za-z]+)?",
            ),
            Detector::Ipv4 => r"(?-u:\b)[0-9]{1,3}(?:\.[0-9]{1,3}){3}(?-u:\b)",
        })
    }

    pub(super) fn marker(self) -> &'static str {
        match self {
            Detector::SensitivePair => REDACTED,
            Detector::Jwt => "[REDACTED:jwt]",
            Detector::Bearer => "[REDACTED:token]",
            Detector::Email => "[REDACTED:email]",
            Detector::Iban => "[REDACTED:iban]",
            Detector::Card => "[REDACTED:card]",
            Detector::Ssn => "[REDACTED:ssn]",
            Detector::Phone => "[REDACTED:phone]",
            Detector::Ipv6 | Detector::Ipv4 => "[REDACTED:ip]",
        }
    }

    /// The part of a pattern match to replace, or `None` when the match is only look-alike.
    pub(super) fn redaction(
        self,
        text: &str,
        found: Range<usize>,
        keys: &SensitiveKeys,
    ) -> Option<Range<usize>> {
        let matched = &text[found.clone()];
        match self {
            Detector::SensitivePair => sensitive_value(text, found, keys),
            Detector::Jwt => checks::is_jwt(matched).then_some(found),
            Detector::Bearer => {
                let credential = matched["bearer".len()..].trim_start_matches(' ');
                let start = found.end - credential.len();
                checks::is_bearer_credential(credential).then_some(start..found.end)
            }
            Detector::Email => {
                let local_start = matched.len() - matched.trim_start_matches('.').len();
                checks::is_email(matched).then_some(found.start + local_start..found.end)
            }
            Detector::Iban => checks::longest_accepted(text, found, b' ', 15, checks::is_iban),
            Detector::Card => {
                let separator = checks::separator_of(matched).unwrap_or(b' ');
                checks::longest_accepted(text, found, separator, 13, checks::is_card)
            }
            Detector::Ssn => {
                (checks::stands_alone(text, &found) && checks::is_ssn(matched)).then_some(found)
            }
            Detector::Phone => {
                (checks::stands_alone(text, &found) && checks::is_phone(matched)).then_some(found)
            }
            Detector::Ipv6 => checks::longest_accepted(text, found, b':', 3, checks::is_ipv6),
            Detector::Ipv4 => {
                (checks::stands_alone(text, &found) && checks::is_ipv4(matched)).then_some(found)
            }
        }
    }
}

/// `key=value` (logfmt, query strings, flags) or `"key": "value"` (JSON) where the key is spelled
/// like a sensitive one: the key names are literals the regex engine finds fast, so text without
/// them costs little. [`sensitive_value`] then checks the whole key.
fn sensitive_pair_pattern(keys: &SensitiveKeys) -> String {
    let names: Vec<String> = keys
        .words()
        .map(|words| words.map(regex::escape).collect::<Vec<_>>().join("[-_. ]?"))
        .collect();
    format!(
        r#"(?i-u:\b(?:x[-_.]?)?(?:{}))(?:=(?:"[^"]*"|[^ \t\r\n&;,"']+)|" ?: ?"(?:[^"\\]|\\.)*")"#,
        names.join("|")
    )
}

fn is_key_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'.' | b'-')
}

/// Where the value sits in a sensitive-pair match, if its whole key (which may begin before the
/// match: `user.password`) is sensitive. A quoted value keeps its quotes, so JSON stays JSON.
fn sensitive_value(text: &str, found: Range<usize>, keys: &SensitiveKeys) -> Option<Range<usize>> {
    let before = &text.as_bytes()[..found.start];
    let key_start = before
        .iter()
        .rposition(|&b| !is_key_byte(b))
        .map_or(0, |i| i + 1);
    let key_end = found.start + text[found.clone()].find(['=', '"'])?;
    let json = text.as_bytes()[key_end] == b'"';
    if json && !text[..key_start].ends_with('"') {
        return None;
    }
    let value_start = if json {
        key_end + 1 + text[key_end + 1..found.end].find('"')?
    } else {
        key_end + 1
    };
    let value = &text[value_start..found.end];
    let span = if value.len() >= 2 && value.starts_with('"') && value.ends_with('"') {
        value_start + 1..found.end - 1
    } else {
        value_start..found.end
    };
    let redacted_already = &text[span.clone()] == REDACTED;
    let sensitive =
        !span.is_empty() && !redacted_already && keys.contains(&text[key_start..key_end]);
    sensitive.then_some(span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detectors_are_listed_once_each_in_order_of_precedence() {
        assert!(DETECTORS.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn every_pattern_compiles_with_the_minimal_regex_features() {
        let keys = SensitiveKeys::new(&[]);
        for detector in DETECTORS {
            regex::Regex::new(&detector.pattern(&keys))
                .unwrap_or_else(|e| panic!("{detector:?}: {e}"));
        }
    }
}

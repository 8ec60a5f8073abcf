//! Checks that tell a real card, IBAN, SSN, phone number or address from a number of the same
//! shape. Each takes the candidate the pattern found and says whether to redact it.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::ops::{Range, RangeInclusive};

use base64::Engine;

/// Whether `span` stands alone rather than being part of a longer word, number, version or date:
/// no letter, digit or `_` next to it, and no `.` or `-` that continues into another digit.
pub(super) fn stands_alone(text: &str, span: &Range<usize>) -> bool {
    let bytes = text.as_bytes();
    let before = span
        .start
        .checked_sub(1)
        .map(|i| (bytes[i], i.checked_sub(1).map(|j| bytes[j])));
    let after = bytes
        .get(span.end)
        .map(|&b| (b, bytes.get(span.end + 1).copied()));
    !before.is_some_and(continues) && !after.is_some_and(continues)
}

fn continues((adjacent, beyond): (u8, Option<u8>)) -> bool {
    adjacent.is_ascii_alphanumeric()
        || adjacent == b'_'
        || (matches!(adjacent, b'.' | b'-') && beyond.is_some_and(|b| b.is_ascii_digit()))
}

/// The longest prefix of `span` that passes `accept`, cut only at `separator`s and keeping at
/// least `min_len` bytes: a greedy pattern may have taken a group that follows the number.
pub(super) fn longest_accepted(
    text: &str,
    span: Range<usize>,
    separator: u8,
    min_len: usize,
    accept: impl Fn(&str) -> bool,
) -> Option<Range<usize>> {
    let mut end = span.end;
    loop {
        let candidate = span.start..end;
        if accept(&text[candidate.clone()]) && stands_alone(text, &candidate) {
            return Some(candidate);
        }
        end = span.start + text[candidate].rfind(separator as char)?;
        if end - span.start < min_len {
            return None;
        }
    }
}

/// The separator a grouped number uses, if any: `None` when it is one run of digits.
pub(super) fn separator_of(candidate: &str) -> Option<u8> {
    candidate.bytes().find(|b| !b.is_ascii_alphanumeric())
}

/// A payment card: 13 to 19 digits, one kind of separator, a known brand prefix, Luhn.
pub(super) fn is_card(candidate: &str) -> bool {
    let digits: Vec<u8> = candidate
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    let consistent = match separator_of(candidate) {
        None => true,
        Some(separator) => candidate
            .bytes()
            .all(|b| b.is_ascii_digit() || b == separator),
    };
    consistent
        && (13..=19).contains(&digits.len())
        && has_card_brand_prefix(&digits)
        && luhn_valid(&digits)
}

/// Whether the number starts with a brand's issuer range and has one of that brand's lengths:
/// a timestamp or snowflake id starting with `1`, or a 15-digit IMEI, is no card.
fn has_card_brand_prefix(digits: &[u8]) -> bool {
    let prefix = |n: usize| {
        digits[..n]
            .iter()
            .fold(0u32, |acc, &d| acc * 10 + u32::from(d))
    };
    CARD_BRANDS.iter().any(|brand| {
        brand.issuers.contains(&prefix(brand.prefix_digits))
            && brand.lengths.contains(&digits.len())
    })
}

struct CardBrand {
    prefix_digits: usize,
    issuers: RangeInclusive<u32>,
    lengths: &'static [usize],
}

const fn brand(
    prefix_digits: usize,
    issuers: RangeInclusive<u32>,
    lengths: &'static [usize],
) -> CardBrand {
    CardBrand {
        prefix_digits,
        issuers,
        lengths,
    }
}

const UP_TO_19: &[usize] = &[16, 17, 18, 19];

/// Visa, Mastercard, American Express, Discover, JCB, Diners Club, UnionPay, Maestro, Mir.
const CARD_BRANDS: &[CardBrand] = &[
    brand(1, 4..=4, &[13, 16, 19]),
    brand(2, 51..=55, &[16]),
    brand(4, 2221..=2720, &[16]),
    brand(2, 34..=34, &[15]),
    brand(2, 37..=37, &[15]),
    brand(4, 6011..=6011, UP_TO_19),
    brand(3, 644..=649, UP_TO_19),
    brand(2, 65..=65, UP_TO_19),
    brand(4, 3528..=3589, UP_TO_19),
    brand(3, 300..=305, &[14, 15, 16, 17, 18, 19]),
    brand(2, 36..=36, &[14, 15, 16, 17, 18, 19]),
    brand(2, 38..=39, UP_TO_19),
    brand(2, 62..=62, UP_TO_19),
    brand(2, 50..=50, &[13, 14, 15, 16, 17, 18, 19]),
    brand(2, 56..=58, &[13, 14, 15, 16, 17, 18, 19]),
    brand(4, 6759..=6763, &[13, 14, 15, 16, 17, 18, 19]),
    brand(4, 2200..=2204, UP_TO_19),
];

fn luhn_valid(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

/// An IBAN: a known country, that country's length, and the ISO 7064 mod-97 check.
pub(super) fn is_iban(candidate: &str) -> bool {
    let compact: Vec<u8> = candidate.bytes().filter(|&b| b != b' ').collect();
    let Some(&(_, length)) = IBAN_LENGTHS
        .iter()
        .find(|(country, _)| compact.starts_with(country.as_bytes()))
    else {
        return false;
    };
    if compact.len() != length {
        return false;
    }
    let (head, rest) = compact.split_at(4);
    let remainder = rest.iter().chain(head).try_fold(0u32, |acc, &b| {
        let value = match b {
            b'0'..=b'9' => u32::from(b - b'0'),
            b'A'..=b'Z' => u32::from(b - b'A') + 10,
            _ => return None,
        };
        Some(if value >= 10 {
            (acc * 100 + value) % 97
        } else {
            (acc * 10 + value) % 97
        })
    });
    remainder == Some(1)
}

/// IBAN lengths by country (the SWIFT registry, the countries in common use).
const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AE", 23),
    ("AL", 28),
    ("AT", 20),
    ("AZ", 28),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BR", 29),
    ("BY", 28),
    ("CH", 21),
    ("CR", 22),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DK", 18),
    ("DO", 28),
    ("EE", 20),
    ("EG", 29),
    ("ES", 24),
    ("FI", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GE", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("GT", 28),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IQ", 23),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MR", 27),
    ("MT", 31),
    ("MU", 30),
    ("NL", 18),
    ("NO", 15),
    ("PK", 24),
    ("PL", 28),
    ("PS", 29),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("RS", 22),
    ("SA", 24),
    ("SC", 31),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("VG", 24),
    ("XK", 20),
];

/// A US SSN `AAA-GG-SSSS`: area not 000, 666 or 9xx, group not 00, serial not 0000.
pub(super) fn is_ssn(candidate: &str) -> bool {
    let mut parts = candidate.split('-');
    let (Some(area), Some(group), Some(serial)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !matches!(area, "000" | "666") && !area.starts_with('9') && group != "00" && serial != "0000"
}

/// A phone number in one of the shapes the pattern allows: with a `+` country code, 8 to 15
/// digits (10 at least when written as one run, which counters and ids also are); otherwise
/// a North American number whose `-` or `.` separators agree.
pub(super) fn is_phone(candidate: &str) -> bool {
    let digits = candidate.bytes().filter(u8::is_ascii_digit).count();
    if let Some(number) = candidate.strip_prefix('+') {
        let one_run = number.bytes().all(|b| b.is_ascii_digit());
        return (8..=15).contains(&digits) && (!one_run || digits >= 10);
    }
    let mut separators = candidate.bytes().filter(|b| matches!(b, b'-' | b'.'));
    let consistent = match separators.next() {
        Some(first) => separators.all(|b| b == first),
        None => true,
    };
    consistent && (digits == 10 || (digits == 11 && candidate.starts_with('1')))
}

/// An email address, not an image at a display density (`logo@2x.png`).
pub(super) fn is_email(candidate: &str) -> bool {
    let (local, domain) = candidate.split_once('@').unwrap_or_default();
    let top_level = domain
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let image = matches!(
        top_level.as_str(),
        "png" | "jpg" | "jpeg" | "gif" | "svg" | "webp"
    );
    !local.trim_matches('.').is_empty() && !image
}

/// An IPv4 address other than `0.0.0.0`, which names no one (`listening on 0.0.0.0:8080`).
pub(super) fn is_ipv4(candidate: &str) -> bool {
    candidate
        .parse::<Ipv4Addr>()
        .is_ok_and(|address| !address.is_unspecified())
}

/// An IPv6 address (with an embedded IPv4 tail or a `%zone`) other than `::`.
pub(super) fn is_ipv6(candidate: &str) -> bool {
    let address = candidate
        .split_once('%')
        .map_or(candidate, |(address, _)| address);
    address
        .parse::<Ipv6Addr>()
        .is_ok_and(|address| !address.is_unspecified())
}

/// A JWT (or JWS/JWE compact form): its first segment decodes to a JSON object.
pub(super) fn is_jwt(candidate: &str) -> bool {
    let header = candidate.split('.').next().unwrap_or_default();
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header)
        .ok()
        .and_then(|json| {
            serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&json).ok()
        })
        .is_some()
}

/// A bearer credential rather than a word of prose ("Bearer authentication failed"): it has a
/// digit or a symbol, or is longer than any word.
pub(super) fn is_bearer_credential(credential: &str) -> bool {
    credential.len() >= 20 || credential.bytes().any(|b| !b.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_accepts_known_cards_and_rejects_one_digit_off() {
        assert!(is_card("4111111111111111"));
        assert!(is_card("4111 1111 1111 1111"));
        assert!(is_card("5500-0000-0000-0004"));
        assert!(is_card("378282246310005"));
        assert!(!is_card("4111111111111112"));
        assert!(!is_card("4111 1111-1111 1111"), "mixed separators");
        assert!(!is_card("1767225600000"), "millisecond timestamp, no brand");
    }

    #[test]
    fn iban_checks_country_length_and_mod_97() {
        assert!(is_iban("DE89370400440532013000"));
        assert!(is_iban("GB82 WEST 1234 5698 7654 32"));
        assert!(!is_iban("DE89370400440532013001"));
        assert!(!is_iban("DE8937040044053201300"), "one character short");
        assert!(!is_iban("ZZ89370400440532013000"), "unknown country");
    }

    #[test]
    fn ssn_rules() {
        assert!(is_ssn("123-45-6789"));
        for invalid in [
            "000-12-3456",
            "666-12-3456",
            "912-34-5678",
            "123-00-4567",
            "123-45-0000",
        ] {
            assert!(!is_ssn(invalid), "{invalid}");
        }
    }

    #[test]
    fn stands_alone_rejects_parts_of_longer_numbers() {
        let text = "v1.2.3.4 and 1.2.3.4.5 but 10.0.0.1: ok";
        let find = |needle: &str| {
            let start = text.find(needle).unwrap();
            start..start + needle.len()
        };
        assert!(!stands_alone(text, &find("1.2.3.4 ")), "after a letter");
        assert!(!stands_alone("1.2.3.4.5", &(0..7)), "before .digit");
        assert!(stands_alone(
            text,
            &(find("10.0.0.1:").start..find("10.0.0.1:").end - 1)
        ));
    }

    #[test]
    fn longest_accepted_drops_trailing_groups() {
        let text = "BE68 5390 0754 7034 EUR";
        let span = longest_accepted(text, 0..text.len(), b' ', 15, is_iban);
        assert_eq!(span, Some(0..19));
        assert_eq!(
            longest_accepted("BE68 5390 0754 7035", 0..19, b' ', 15, is_iban),
            None
        );
    }
}

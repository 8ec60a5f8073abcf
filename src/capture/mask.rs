//! Masks the parts of an error message that vary between occurrences of one error.
//!
//! Used only when an error has no frames: then the message is all there is to tell errors
//! apart, and `user 42 not found` must match `user 43 not found`. The rules and their order
//! are those of docs/fingerprint.md.

use std::sync::LazyLock;

use regex::Regex;

use super::normalize::compiled;

/// `(pattern, replacement)`, applied in order, each to the previous one's output.
static RULES: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        // Quoted text: double quotes with backslash escapes, backticks, and single quotes
        // that open after a non-alphanumeric (so the apostrophe in "can't" opens nothing).
        (r#""(?:[^"\\]|\\.)*""#, "<str>"),
        (r"`[^`]*`", "<str>"),
        (r"(^|[^0-9A-Za-z])'[^']*'", "$1<str>"),
        (
            r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
            "<uuid>",
        ),
        (r"0[xX][0-9a-fA-F]+", "<hex>"),
        // Hex ids and hashes: a whole word of at least 8 hex digits.
        (r"(?-u:\b)[0-9a-fA-F]{8,}(?-u:\b)", "<hex>"),
        (r"[0-9]+", "<n>"),
    ]
    .into_iter()
    .map(|(pattern, replacement)| (compiled(pattern), replacement))
    .collect()
});

pub fn mask_message(message: &str) -> String {
    RULES
        .iter()
        .fold(message.to_owned(), |text, (regex, replacement)| {
            regex.replace_all(&text, *replacement).into_owned()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variable_parts_are_masked() {
        for (raw, expected) in [
            ("user 42 not found", "user <n> not found"),
            ("timeout after 3.5s", "timeout after <n>.<n>s"),
            (r#"no such key "user:17""#, "no such key <str>"),
            (r#"bad "a \" b" here"#, "bad <str> here"),
            ("KeyError 'id'", "KeyError <str>"),
            ("'id'", "<str>"),
            ("can't open 'x.txt'", "can't open <str>"),
            ("column `email` missing", "column <str> missing"),
            (
                "order 3f2b8c1e-9a4d-4e2f-8b6a-1c2d3e4f5a6b failed",
                "order <uuid> failed",
            ),
            (
                "order 3F2B8C1E-9A4D-4E2F-8B6A-1C2D3E4F5A6B failed",
                "order <uuid> failed",
            ),
            ("segfault at 0x7ffe12ab", "segfault at <hex>"),
            ("commit deadbeefcafe missing", "commit <hex> missing"),
            ("trace 4bf92f3577b34da6a3ce929d0e0e4736", "trace <hex>"),
            // Short hex-looking words and words that merely contain digits.
            ("bad face", "bad face"),
            ("utf8 decode", "utf<n> decode"),
            ("", ""),
        ] {
            assert_eq!(mask_message(raw), expected, "{raw:?}");
        }
    }

    #[test]
    fn occurrences_of_one_error_mask_alike() {
        assert_eq!(
            mask_message("connection to 10.0.0.7:5432 refused after 3 tries"),
            mask_message("connection to 10.0.0.12:5433 refused after 5 tries")
        );
        assert_ne!(
            mask_message("connection refused"),
            mask_message("connection reset")
        );
    }
}

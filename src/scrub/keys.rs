//! Sensitive key names: matched whole, after folding case and word separators.

use std::collections::HashSet;

use smallvec::SmallVec;

/// The keys whose values are always redacted, folded: lower case, words joined by `_`.
pub const DEFAULT_SENSITIVE_KEYS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "secret",
    "client_secret",
    "secret_key",
    "secret_access_key",
    "aws_secret_access_key",
    "token",
    "access_token",
    "refresh_token",
    "id_token",
    "auth_token",
    "csrf_token",
    "xsrf_token",
    "authorization",
    "proxy_authorization",
    "auth",
    "api_key",
    "apikey",
    "private_key",
    "cookie",
    "set_cookie",
    "session",
    "session_id",
    "sessionid",
    "credit_card",
    "card_number",
    "cc_number",
    "cvv",
    "cvc",
    "pin",
    "ssn",
    "otp",
];

/// A folded key is short; longer keys spill to the heap, which is rare and still correct.
type Folded = SmallVec<[u8; 64]>;

pub(super) struct SensitiveKeys {
    folded: HashSet<Box<[u8]>>,
}

impl SensitiveKeys {
    pub(super) fn new(extra: &[String]) -> SensitiveKeys {
        let folded = DEFAULT_SENSITIVE_KEYS
            .iter()
            .copied()
            .chain(extra.iter().map(String::as_str))
            .map(|key| fold(key).into_vec().into_boxed_slice())
            .filter(|key| !key.is_empty())
            .collect();
        SensitiveKeys { folded }
    }

    pub(super) fn contains(&self, key: &str) -> bool {
        let folded = fold(key);
        // `x-` marks a custom HTTP header: `X-Api-Key` is an `api_key`.
        self.has(&folded)
            || folded
                .strip_prefix(b"x_")
                .is_some_and(|rest| self.has(rest))
    }

    fn has(&self, folded: &[u8]) -> bool {
        self.folded.contains(folded)
    }

    /// The words of each folded key: `api_key` is `["api", "key"]`.
    pub(super) fn words(&self) -> impl Iterator<Item = impl Iterator<Item = &str>> {
        self.folded.iter().map(|key| {
            // Folding keeps UTF-8 intact: it only drops and inserts ASCII bytes.
            std::str::from_utf8(key).unwrap_or_default().split('_')
        })
    }
}

/// Lower-cases `key` and writes its words joined by `_`: words are split at `-`, `_`, `.`,
/// spaces and camelCase humps, so `apiKey`, `API-KEY`, `api.key` and `APIKey` all fold to
/// `api_key`, while `apikey` stays one word.
fn fold(key: &str) -> Folded {
    let bytes = key.as_bytes();
    let mut folded = Folded::new();
    let mut pending_separator = false;
    for (i, &byte) in bytes.iter().enumerate() {
        if matches!(byte, b'-' | b'_' | b'.' | b' ') {
            pending_separator = !folded.is_empty();
            continue;
        }
        if byte.is_ascii_uppercase() && i > 0 {
            let previous = bytes[i - 1];
            let next_is_lower = bytes.get(i + 1).is_some_and(u8::is_ascii_lowercase);
            let hump = previous.is_ascii_lowercase()
                || previous.is_ascii_digit()
                || (previous.is_ascii_uppercase() && next_is_lower);
            pending_separator |= hump;
        }
        if pending_separator {
            folded.push(b'_');
            pending_separator = false;
        }
        folded.push(byte.to_ascii_lowercase());
    }
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(key: &str) -> String {
        String::from_utf8(fold(key).into_vec()).unwrap()
    }

    #[test]
    fn separators_and_humps_fold_alike() {
        for key in [
            "api_key",
            "apiKey",
            "ApiKey",
            "API-KEY",
            "api.key",
            "APIKey",
            "_api__key_",
        ] {
            assert_eq!(folded(key), "api_key", "{key}");
        }
        assert_eq!(folded("apikey"), "apikey");
        assert_eq!(folded("sessionID"), "session_id");
        assert_eq!(folded("OAuth2Token"), "o_auth2_token");
        assert_eq!(folded("X-CSRF-Token"), "x_csrf_token");
    }

    #[test]
    fn whole_key_names_match_and_parts_do_not() {
        let keys = SensitiveKeys::new(&[]);
        for key in [
            "password",
            "Password",
            "api_key",
            "apiKey",
            "API-KEY",
            "x-api-key",
            "X-Api-Key",
            "Authorization",
            "set-cookie",
            "Set-Cookie",
            "refreshToken",
            "client.secret",
            "SSN",
        ] {
            assert!(keys.contains(key), "{key} should be sensitive");
        }
        for key in [
            "token_count",
            "monkey",
            "key",
            "tokens",
            "passwords_changed",
            "author",
            "session_count",
            "pinned",
            "user_id",
            "x",
            "x-",
            "",
            "authorization_url",
            "max_tokens",
        ] {
            assert!(!keys.contains(key), "{key} should not be sensitive");
        }
    }

    #[test]
    fn extra_keys_add_to_the_defaults_in_any_spelling() {
        let keys = SensitiveKeys::new(&["Stripe-Signature".to_owned(), "".to_owned()]);
        assert!(keys.contains("stripe_signature"));
        assert!(keys.contains("stripeSignature"));
        assert!(keys.contains("password"));
        assert!(!keys.contains("signature"));
        assert!(!keys.contains(""));
    }
}

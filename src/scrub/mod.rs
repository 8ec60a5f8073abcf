//! PII scrubbing: finds personal data and credentials in text and JSON values and replaces each
//! with a marker that says what was removed.
//!
//! | found | replaced by |
//! |---|---|
//! | email address | `[REDACTED:email]` |
//! | phone number with a `+` country code, or `(555) 123-4567`, `555-123-4567`, `555.123.4567` | `[REDACTED:phone]` |
//! | payment card, 13–19 digits, bare or grouped by spaces or dashes, brand prefix and Luhn checked | `[REDACTED:card]` |
//! | US SSN `123-45-6789` (area not 000/666/9xx, group not 00, serial not 0000) | `[REDACTED:ssn]` |
//! | IBAN, bare or in groups of four, country length and mod-97 checked | `[REDACTED:iban]` |
//! | IPv4 and IPv6 addresses (compressed, IPv4-mapped, with a zone), but not `0.0.0.0` or `::` | `[REDACTED:ip]` |
//! | JWT: three base64url segments whose first decodes to a JSON object | `[REDACTED:jwt]` |
//! | bearer credential: `Bearer abc123…` keeps the word | `Bearer [REDACTED:token]` |
//! | value under a sensitive key: attribute, `key=value`, `"key": "value"` | `[REDACTED]` |
//!
//! The worker scrubs messages, attribute values, error messages and breadcrumbs with this,
//! unless `privacy_mode` is set (which means: skip automatic scrubbing).
//!
//! Numbers that only look alike stay: UUIDs, hex ids and git SHAs, timestamps and dates,
//! durations, versions (`1.2.3`, `v10.0.19041`, `1.2.3.4.5`), ports, prices, order numbers and
//! bare digit runs (a phone number needs a phone shape; a card needs a brand prefix and Luhn).
//!
//! Sensitive keys match whole key names, case-insensitively, with `-`, `_`, `.`, spaces and
//! camelCase humps alike, and an `x-` header prefix ignored: `apiKey`, `API-KEY` and `x-api-key`
//! match `api_key`; `token_count` and `monkey` match nothing. The defaults
//! ([`DEFAULT_SENSITIVE_KEYS`]): password, passwd, pwd, passphrase, secret, client_secret,
//! secret_key, secret_access_key, aws_secret_access_key, token, access_token, refresh_token,
//! id_token, auth_token, csrf_token, xsrf_token, authorization, proxy_authorization, auth,
//! api_key, apikey, private_key, cookie, set_cookie, session, session_id, sessionid,
//! credit_card, card_number, cc_number, cvv, cvc, pin, ssn, otp.
//! [`ScrubOptions::sensitive_keys`] adds to them. The whole value under a sensitive key is
//! replaced, objects and arrays included; `null` stays `null`. Other JSON values are walked and
//! their strings scrubbed; numbers, booleans and object keys are left as they are.
//!
//! Not found, on purpose: North American numbers written with spaces only (`555 123 4567`,
//! as lists of sizes are), phone numbers in national formats without a `+`, keys that merely
//! end in a sensitive name (`db_password`, `user.password`: add them to the options).
//!
//! Cost: a string that holds nothing to redact is scanned once by one automaton of all the
//! patterns and comes back borrowed, without allocating; the patterns that matched there run
//! alone, and their matches are checked in code before anything is replaced. `cargo bench
//! --bench scrub` measures it per entry.

mod checks;
mod detectors;
mod json_text;
mod keys;
mod value;

#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::cmp::Reverse;
use std::ops::Range;

use regex::{Regex, RegexSet};

pub use detectors::REDACTED;
use detectors::{Detector, DETECTORS};
use keys::SensitiveKeys;
pub use keys::DEFAULT_SENSITIVE_KEYS;

/// What to scrub beyond the defaults.
#[derive(Clone, Debug, Default)]
pub struct ScrubOptions {
    /// Key names whose values are always redacted, in addition to [`DEFAULT_SENSITIVE_KEYS`];
    /// spelled any way (`stripeSignature` and `stripe-signature` are one key).
    pub sensitive_keys: Vec<String>,
}

/// Built once per client and shared (it is `Send + Sync`; put it in an `Arc`).
pub struct Scrubber {
    /// Tells in one pass whether, and then which, patterns match anywhere in a text, so that
    /// clean text costs one scan and each pattern runs only where it can find something.
    any_match: RegexSet,
    detectors: Vec<(Detector, Regex)>,
    keys: SensitiveKeys,
}

struct Finding {
    span: Range<usize>,
    detector: Detector,
}

impl Scrubber {
    pub fn new(options: ScrubOptions) -> Scrubber {
        let keys = SensitiveKeys::new(&options.sensitive_keys);
        let patterns = DETECTORS.map(|detector| detector.pattern(&keys));
        // The patterns are built from constants and escaped key names, and the tests compile
        // them: failing to compile one is a bug, not bad input.
        let any_match =
            RegexSet::new(patterns.iter().map(|p| p.as_ref())).expect("scrub patterns compile");
        let detectors = DETECTORS
            .into_iter()
            .zip(&patterns)
            .map(|(detector, pattern)| {
                (
                    detector,
                    Regex::new(pattern).expect("scrub pattern compiles"),
                )
            })
            .collect();
        Scrubber {
            any_match,
            detectors,
            keys,
        }
    }

    /// `text` with every finding replaced by its marker; borrowed when there was none.
    pub fn scrub_text<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match self.redact(text) {
            Some((scrubbed, _)) => Cow::Owned(scrubbed),
            None => Cow::Borrowed(text),
        }
    }

    /// Whether values under `key` are redacted whole.
    pub fn is_sensitive_key(&self, key: &str) -> bool {
        self.keys.contains(key)
    }

    /// The scrubbed text and the number of replacements, or `None` when there is nothing to
    /// replace.
    fn redact(&self, text: &str) -> Option<(String, usize)> {
        // Whether anything matches is a cheaper scan than which patterns do: most text is clean.
        if !self.any_match.is_match(text) {
            return None;
        }
        let matching = self.any_match.matches(text);
        let mut findings = Vec::new();
        for index in matching.iter() {
            let (detector, regex) = &self.detectors[index];
            findings.extend(regex.find_iter(text).filter_map(|found| {
                let span = detector.redaction(text, found.range(), &self.keys)?;
                Some(Finding {
                    span,
                    detector: *detector,
                })
            }));
        }
        if findings.is_empty() {
            return None;
        }
        // Earliest first, then the longest, then by precedence; a finding that starts inside an
        // earlier one is dropped.
        findings.sort_unstable_by_key(|f| (f.span.start, Reverse(f.span.end), f.detector));
        let mut scrubbed = String::with_capacity(text.len());
        let mut copied_to = 0;
        let mut replacements = 0;
        for finding in findings {
            if finding.span.start < copied_to {
                continue;
            }
            scrubbed.push_str(&text[copied_to..finding.span.start]);
            scrubbed.push_str(finding.detector.marker());
            copied_to = finding.span.end;
            replacements += 1;
        }
        scrubbed.push_str(&text[copied_to..]);
        Some((scrubbed, replacements))
    }
}

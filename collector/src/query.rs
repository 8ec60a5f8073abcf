//! The filters of `GET /api/entries`.

use ferrolog::entry::EntryKind;
use ferrolog::level::Level;
use ferrolog::wire::decoded::DecodedEntry;
use serde_json::Value;

/// Filters that must all hold for an entry to be listed.
#[derive(Debug, Default, PartialEq)]
pub struct EntryQuery {
    /// Entries at least this severe (level number at most this).
    min_level: Option<u8>,
    exact_level: Option<u8>,
    /// Substring of the message.
    text: Option<String>,
    /// Attribute equalities, values compared in their string form.
    attributes: Vec<(String, String)>,
    kind: Option<EntryKind>,
    /// Entries of one trace: its spans and what was logged under them.
    trace_id: Option<String>,
    pub limit: Option<usize>,
}

impl EntryQuery {
    /// Parses a URL query string such as `level=warn&attr=user%3D42&limit=10`.
    pub fn parse(query: &str) -> Result<EntryQuery, String> {
        let mut parsed = EntryQuery::default();
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            match name.as_ref() {
                "level" => parsed.min_level = Some(level(&value)?),
                "exact_level" => parsed.exact_level = Some(level(&value)?),
                "text" => parsed.text = Some(value.into_owned()),
                "attr" => {
                    let (key, wanted) = value
                        .split_once('=')
                        .ok_or_else(|| format!("attr {value:?} is not key=value"))?;
                    parsed.attributes.push((key.to_owned(), wanted.to_owned()));
                }
                "kind" => {
                    let kind = serde_json::from_value(Value::String(value.to_string()))
                        .map_err(|_| format!("kind {value:?} is not an entry kind"))?;
                    parsed.kind = Some(kind);
                }
                "trace_id" => parsed.trace_id = Some(value.to_ascii_lowercase()),
                "limit" => {
                    let limit = value
                        .parse()
                        .map_err(|_| format!("limit {value:?} is not a count"))?;
                    parsed.limit = Some(limit);
                }
                other => return Err(format!("unknown query parameter {other:?}")),
            }
        }
        Ok(parsed)
    }

    pub fn matches(&self, entry: &DecodedEntry) -> bool {
        self.min_level.is_none_or(|min| entry.level <= min)
            && self.exact_level.is_none_or(|level| entry.level == level)
            && self.kind.is_none_or(|kind| entry.kind == kind)
            && self
                .trace_id
                .as_ref()
                .is_none_or(|id| entry.trace_id.as_deref() == Some(id.as_str()))
            && self
                .text
                .as_ref()
                .is_none_or(|text| entry.message.contains(text.as_str()))
            && self.attributes.iter().all(|(key, wanted)| {
                entry
                    .attributes
                    .get(key)
                    .is_some_and(|value| string_form(value) == *wanted)
            })
    }
}

fn level(name: &str) -> Result<u8, String> {
    Level::from_name(name)
        .map(Level::number)
        .ok_or_else(|| format!("level {name:?} is not a level name or number 1-8"))
}

/// A string attribute as itself, anything else as its compact JSON (`3`, `true`, `[1,2]`), the
/// way LogFlux flattens attributes, so `attr=count=3` finds both `"3"` and `3`.
fn string_form(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(level: u8, kind: &str, message: &str, attributes: Value) -> DecodedEntry {
        serde_json::from_value(json!({
            "protocol": "luminalog", "kind": kind, "level": level,
            "timestamp": "2026-01-01T00:00:00.000000Z", "message": message,
            "attributes": attributes
        }))
        .unwrap()
    }

    fn matching(query: &str, entries: &[DecodedEntry]) -> Vec<String> {
        let query = EntryQuery::parse(query).unwrap();
        entries
            .iter()
            .filter(|e| query.matches(e))
            .map(|e| e.message.clone())
            .collect()
    }

    #[test]
    fn filters_combine() {
        let entries = [
            entry(7, "log", "user logged in", json!({"user": "42", "n": 3})),
            entry(4, "log", "user failed", json!({"user": "42"})),
            entry(3, "metric", "latency", json!({"user": "7"})),
            entry(8, "log", "noise", json!({})),
        ];
        assert_eq!(matching("", &entries).len(), 4);
        assert_eq!(
            matching("level=error", &entries),
            ["user failed", "latency"]
        );
        assert_eq!(matching("level=4", &entries), ["user failed", "latency"]);
        assert_eq!(matching("exact_level=info", &entries), ["user logged in"]);
        assert_eq!(
            matching("text=user", &entries),
            ["user logged in", "user failed"]
        );
        assert_eq!(
            matching("attr=user%3D42&level=warn", &entries),
            ["user failed"]
        );
        assert_eq!(matching("attr=n=3", &entries), ["user logged in"]);
        assert_eq!(
            matching("attr=user=42&attr=n=3", &entries),
            ["user logged in"]
        );
        assert_eq!(matching("kind=metric", &entries), ["latency"]);
        assert_eq!(matching("text=user+failed", &entries), ["user failed"]);
    }

    #[test]
    fn trace_id_finds_a_trace() {
        let mut span = entry(7, "trace", "GET /", json!({}));
        span.trace_id = Some("4bf92f3577b34da6a3ce929d0e0e4736".into());
        let mut under = entry(7, "log", "under it", json!({}));
        under.trace_id = span.trace_id.clone();
        let entries = [span, under, entry(7, "log", "elsewhere", json!({}))];
        assert_eq!(
            matching("trace_id=4BF92F3577B34DA6A3CE929D0E0E4736", &entries),
            ["GET /", "under it"]
        );
    }

    #[test]
    fn bad_parameters_are_errors() {
        for query in [
            "level=verbose",
            "kind=span",
            "limit=-1",
            "attr=user",
            "lvl=info",
        ] {
            assert!(EntryQuery::parse(query).is_err(), "{query}");
        }
    }
}

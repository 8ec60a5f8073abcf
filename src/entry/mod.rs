//! The entry model: what the caller's thread hands to the pipeline.
//!
//! A [`Record`] is built on the hot path, so it holds the caller's bytes as they came: the
//! message and then the string attributes, or the JSON attribute object's validated text, packed
//! into one buffer, and an `Arc` of the logger's context. Merging, scrubbing and encoding all
//! happen later, on the worker.

mod error;
mod json_depth;
mod merged;
mod payload;
mod scalar;
mod settle;

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use smallvec::SmallVec;

use crate::context::Context;
use crate::level::Level;

pub use error::ErrorReport;
pub use json_depth::MAX_ATTRIBUTE_DEPTH;
pub(crate) use json_depth::{parse_json_object, validate_json_object};
pub(crate) use merged::{last_of_each_key, MergedAttributes};
pub use payload::{Audit, MetricKind, Payload, Reading, Span, SpanStatus};
use scalar::LiteralBuffer;
pub use scalar::{PairValue, Scalar};
pub use settle::FINGERPRINT_ATTRIBUTE;

/// The seven entry types; the numbers are LogFlux's `X-LF-Entry-Type` and part of the C ABI.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Log = 1,
    Metric = 2,
    Trace = 3,
    Event = 4,
    Audit = 5,
    Telemetry = 6,
    TelemetryManaged = 7,
}

impl EntryKind {
    pub const ALL: [EntryKind; 7] = [
        EntryKind::Log,
        EntryKind::Metric,
        EntryKind::Trace,
        EntryKind::Event,
        EntryKind::Audit,
        EntryKind::Telemetry,
        EntryKind::TelemetryManaged,
    ];

    /// The kind numbered `number` (1–7), as the C ABI and LogFlux number them.
    pub fn from_number(number: u8) -> Option<EntryKind> {
        EntryKind::ALL
            .into_iter()
            .find(|kind| *kind as u8 == number)
    }
}

/// Attributes as the caller passed them, not yet merged with the logger's context.
#[derive(Clone, Debug, Default)]
pub enum Attributes {
    #[default]
    None,
    /// Keys and values, strings or scalars' JSON, packed after the message in [`Record`]'s
    /// text buffer. The usual handful of spans sits inline, so a record costs one
    /// allocation, not two.
    Pairs(SmallVec<[PairSpan; INLINE_PAIRS]>),
    /// A JSON object, validated on the caller's thread and parsed on the worker. Its text
    /// follows the message in [`Record`]'s text buffer (see [`Record::json_attributes`]).
    Json,
}

/// Attribute pairs held inline in a record before spilling to the heap.
const INLINE_PAIRS: usize = 4;

/// Where one key/value pair sits in a record's text buffer: `key_end` and `value_end` are byte
/// offsets; the key starts where the previous pair's value ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PairSpan {
    key_end: u32,
    value_end: u32,
    form: ValueForm,
}

/// How a pair's value text reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ValueForm {
    Text,
    /// JSON of a scalar (see [`PairValue::Literal`]).
    Literal,
}

/// One entry on its way to the worker.
#[derive(Debug)]
pub struct Record {
    pub timestamp_ns: u64,
    pub level: Level,
    text: Box<str>,
    message_len: u32,
    attributes: Attributes,
    /// What a non-log entry carries beyond message and attributes; boxed, so a log pays
    /// one pointer for it.
    payload: Option<Box<Payload>>,
    pub context: Arc<Context>,
}

/// Why a record could not be built from the caller's input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordError {
    /// The attribute JSON is not one well-formed JSON object.
    InvalidJson,
    /// The message and attributes together exceed what one record may hold (4 GiB offsets).
    TooLarge,
    /// A string given as bytes was not UTF-8.
    InvalidUtf8,
    /// A metric or telemetry value was NaN or infinite, which no protocol can carry.
    NotFinite,
}

type Packed = (Vec<u8>, SmallVec<[PairSpan; INLINE_PAIRS]>);

/// Copies the message and then each key and value into one buffer sized up front, so a record
/// costs one allocation however many pairs it has. The pairs are walked twice: to lay out the
/// spans, then to copy the bytes.
fn pack<'a>(
    message: &[u8],
    pairs: impl Iterator<Item = (&'a [u8], Scalar<'a>)> + Clone,
) -> Result<Packed, RecordError> {
    let mut literals = LiteralBuffer::default();
    let mut spans: SmallVec<[PairSpan; INLINE_PAIRS]> = SmallVec::new();
    let mut end = message.len();
    for (key, value) in pairs.clone() {
        let key_end = end.saturating_add(key.len());
        let (value_len, form) = match value {
            Scalar::Text(text) => (text.len(), ValueForm::Text),
            _ => (literals.write(value).len(), ValueForm::Literal),
        };
        end = key_end.saturating_add(value_len);
        // Past 4 GiB the offsets wrap, but then the record is refused below.
        spans.push(PairSpan {
            key_end: key_end as u32,
            value_end: end as u32,
            form,
        });
    }
    if end > u32::MAX as usize {
        return Err(RecordError::TooLarge);
    }
    let mut text = Vec::with_capacity(end);
    text.extend_from_slice(message);
    for (key, value) in pairs {
        text.extend_from_slice(key);
        match value {
            Scalar::Text(value) => text.extend_from_slice(value),
            _ => text.extend_from_slice(literals.write(value)),
        }
    }
    Ok((text, spans))
}

/// The wall clock in nanoseconds since the Unix epoch, 0 before it. Read straight from
/// `clock_gettime`: on the log path, `SystemTime`'s checked conversions cost several times
/// the clock read itself.
pub(crate) fn now_unix_nanos() -> u64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a timespec for the call to write; CLOCK_REALTIME always exists.
    let read = unsafe { libc::clock_gettime(libc::CLOCK_REALTIME, &mut now) };
    if read != 0 || now.tv_sec < 0 {
        return 0;
    }
    (now.tv_sec as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(now.tv_nsec as u64)
}

impl Record {
    /// A record whose attributes are string pairs.
    pub fn with_pairs<'a>(
        level: Level,
        message: &str,
        pairs: impl Iterator<Item = (&'a str, &'a str)> + Clone,
        context: Arc<Context>,
    ) -> Result<Record, RecordError> {
        let bytes = pairs.map(|(k, v)| (k.as_bytes(), Scalar::Text(v.as_bytes())));
        let (packed, spans) = pack(message.as_bytes(), bytes)?;
        // SAFETY: every piece was a `&str`, and a concatenation of UTF-8 strings is UTF-8.
        let text = unsafe { String::from_utf8_unchecked(packed) };
        Ok(Record::assemble(level, text, message.len(), spans, context))
    }

    /// A record from byte strings that must each be UTF-8, as they come from C, and other
    /// scalars. The bytes are packed first and checked in one pass: the whole buffer must be
    /// UTF-8 and every piece must start on a character boundary, which holds exactly when
    /// every piece is UTF-8 on its own. One pass over the buffer is several times cheaper than
    /// one per short piece.
    pub fn with_utf8_scalars<'a>(
        level: Level,
        message: &[u8],
        pairs: impl Iterator<Item = (&'a [u8], Scalar<'a>)> + Clone,
        context: Arc<Context>,
    ) -> Result<Record, RecordError> {
        let (packed, spans) = pack(message, pairs)?;
        let text = String::from_utf8(packed).map_err(|_| RecordError::InvalidUtf8)?;
        let mut boundaries = spans
            .iter()
            .flat_map(|span| [span.key_end, span.value_end])
            .chain([message.len() as u32]);
        if !boundaries.all(|at| text.is_char_boundary(at as usize)) {
            return Err(RecordError::InvalidUtf8);
        }
        Ok(Record::assemble(level, text, message.len(), spans, context))
    }

    fn assemble(
        level: Level,
        text: String,
        message_len: usize,
        spans: SmallVec<[PairSpan; INLINE_PAIRS]>,
        context: Arc<Context>,
    ) -> Record {
        let attributes = if spans.is_empty() {
            Attributes::None
        } else {
            Attributes::Pairs(spans)
        };
        Record {
            timestamp_ns: now_unix_nanos(),
            level,
            text: text.into_boxed_str(),
            message_len: message_len as u32,
            attributes,
            payload: None,
            context,
        }
    }

    /// A record whose attributes are one JSON object (or none when `json` is blank).
    pub fn with_json(
        level: Level,
        message: &str,
        json: &str,
        context: Arc<Context>,
    ) -> Result<Record, RecordError> {
        let mut text = String::with_capacity(message.len() + json.len());
        text.push_str(message);
        text.push_str(json);
        Record::with_json_text(level, text, message.len(), context)
    }

    /// As [`Record::with_json`] from byte strings that must each be UTF-8, as they come from C:
    /// packed first and checked in one pass, as [`Record::with_utf8_scalars`] does.
    pub fn with_utf8_json(
        level: Level,
        message: &[u8],
        json: &[u8],
        context: Arc<Context>,
    ) -> Result<Record, RecordError> {
        let mut packed = Vec::with_capacity(message.len() + json.len());
        packed.extend_from_slice(message);
        packed.extend_from_slice(json);
        let text = String::from_utf8(packed).map_err(|_| RecordError::InvalidUtf8)?;
        if !text.is_char_boundary(message.len()) {
            return Err(RecordError::InvalidUtf8);
        }
        Record::with_json_text(level, text, message.len(), context)
    }

    /// A record from the message followed by the attributes' JSON text: the text is validated
    /// here, once, and kept as it is, so the caller's thread builds nothing from it.
    fn with_json_text(
        level: Level,
        mut text: String,
        message_len: usize,
        context: Arc<Context>,
    ) -> Result<Record, RecordError> {
        if message_len > u32::MAX as usize {
            return Err(RecordError::TooLarge);
        }
        let json = &text[message_len..];
        let attributes = if json.trim().is_empty() {
            text.truncate(message_len);
            Attributes::None
        } else {
            validate_json_object(json)?;
            Attributes::Json
        };
        Ok(Record {
            timestamp_ns: now_unix_nanos(),
            level,
            text: text.into_boxed_str(),
            message_len: message_len as u32,
            attributes,
            payload: None,
            context,
        })
    }

    /// A record whose attributes are an object already parsed; held as its JSON text, like
    /// [`Record::with_json`]'s, and held to the same nesting bound.
    pub fn with_attributes(
        level: Level,
        message: &str,
        attributes: Map<String, Value>,
        context: Arc<Context>,
    ) -> Result<Record, RecordError> {
        let json = if attributes.is_empty() {
            String::new()
        } else {
            Value::Object(attributes).to_string()
        };
        Record::with_json(level, message, &json, context)
    }

    /// Makes this record a non-log entry of the payload's type.
    pub fn with_payload(mut self, payload: Payload) -> Record {
        self.payload = Some(Box::new(payload));
        self
    }

    pub fn kind(&self) -> EntryKind {
        self.payload.as_ref().map_or(EntryKind::Log, |p| p.kind())
    }

    pub fn payload(&self) -> Option<&Payload> {
        self.payload.as_deref()
    }

    pub fn message(&self) -> &str {
        &self.text[..self.message_len as usize]
    }

    pub fn attributes(&self) -> &Attributes {
        &self.attributes
    }

    /// The attributes' JSON object text, when they were given as one.
    pub fn json_attributes(&self) -> Option<&str> {
        matches!(self.attributes, Attributes::Json).then(|| self.after_message())
    }

    /// What follows the message in the text buffer: the pairs, or the JSON object's text.
    fn after_message(&self) -> &str {
        &self.text[self.message_len as usize..]
    }

    /// The pairs, in the order the caller gave them (empty for JSON attributes).
    pub fn pairs(&self) -> impl Iterator<Item = (&str, PairValue<'_>)> {
        let spans: &[PairSpan] = match &self.attributes {
            Attributes::Pairs(spans) => spans,
            _ => &[],
        };
        let mut start = self.message_len as usize;
        spans.iter().map(move |span| {
            let key = &self.text[start..span.key_end as usize];
            let text = &self.text[span.key_end as usize..span.value_end as usize];
            start = span.value_end as usize;
            let value = match span.form {
                ValueForm::Text => PairValue::Text(text),
                ValueForm::Literal => PairValue::Literal(text),
            };
            (key, value)
        })
    }

    /// The logger's context attributes with this record's own on top: explicit ones win.
    pub fn merged_attributes(&self) -> Map<String, Value> {
        let mut merged = self.context.attributes().clone();
        match &self.attributes {
            Attributes::None => {}
            Attributes::Pairs(_) => {
                for (key, value) in self.pairs() {
                    merged.insert(key.to_owned(), value.to_value());
                }
            }
            // Validated as one object when the record was built.
            Attributes::Json => {
                if let Ok(Value::Object(map)) = serde_json::from_str(self.after_message()) {
                    merged.extend(map);
                }
            }
        }
        merged
    }

    /// The captured error this record carries, if it is one.
    pub fn error_report(&self) -> Option<&ErrorReport> {
        match self.payload.as_deref() {
            Some(Payload::Error(report)) => Some(report),
            _ => None,
        }
    }

    /// This record with a new level, message and attributes, which replace the logger's
    /// attributes too (a before-send hook's changes); its time, type and payload stay.
    pub(crate) fn rebuilt(
        self,
        level: Level,
        message: &str,
        attributes: Map<String, Value>,
    ) -> Result<Record, RecordError> {
        self.rebuild(level, message, attributes)
            .map_err(|(_, error)| error)
    }

    /// As [`Record::rebuilt`], handing the record back unchanged with the error.
    fn rebuild(
        self,
        level: Level,
        message: &str,
        attributes: Map<String, Value>,
    ) -> Result<Record, (Record, RecordError)> {
        let context = Arc::new(self.context.without_attributes());
        match Record::with_attributes(level, message, attributes, context) {
            Ok(mut record) => {
                record.timestamp_ns = self.timestamp_ns;
                record.payload = self.payload;
                Ok(record)
            }
            Err(error) => Err((self, error)),
        }
    }

    /// What the record costs the queue's byte bound: its heap bytes plus its own size.
    pub fn weight(&self) -> usize {
        let attributes = match &self.attributes {
            Attributes::None => 0,
            Attributes::Pairs(spans) if spans.spilled() => {
                std::mem::size_of_val::<[PairSpan]>(spans)
            }
            // Pairs held inline, like JSON text, weigh nothing beyond the text buffer.
            Attributes::Pairs(_) | Attributes::Json => 0,
        };
        let payload = self.payload.as_ref().map_or(0, |p| p.weight());
        std::mem::size_of::<Record>() + self.text.len() + attributes + payload
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{SystemTime, UNIX_EPOCH};

    fn context() -> Arc<Context> {
        Arc::new(Context::default())
    }

    #[test]
    fn timestamps_are_the_wall_clock() {
        let since_epoch = |t: SystemTime| t.duration_since(UNIX_EPOCH).unwrap().as_nanos() as u64;
        let before = since_epoch(SystemTime::now());
        let read = now_unix_nanos();
        let after = since_epoch(SystemTime::now());
        assert!(before <= read && read <= after, "{before} {read} {after}");
    }

    #[test]
    fn pairs_are_packed_after_the_message() {
        let pairs = [("user", "42"), ("", "empty key"), ("path", "/a/b")];
        let record =
            Record::with_pairs(Level::Info, "héllo", pairs.iter().copied(), context()).unwrap();
        assert_eq!(record.message(), "héllo");
        let back: Vec<(&str, PairValue)> = record.pairs().collect();
        let given: Vec<(&str, PairValue)> = pairs
            .iter()
            .map(|&(key, value)| (key, PairValue::Text(value)))
            .collect();
        assert_eq!(back, given);
    }

    /// A record from string pairs given as bytes, as they come from C.
    fn from_bytes(message: &[u8], pairs: &[(&[u8], &[u8])]) -> Result<Record, RecordError> {
        let scalars = pairs.iter().map(|&(k, v)| (k, Scalar::Text(v)));
        Record::with_utf8_scalars(Level::Info, message, scalars, context())
    }

    #[test]
    fn byte_pairs_are_checked_piece_by_piece() {
        let ok = from_bytes("né".as_bytes(), &[("clé".as_bytes(), "värde".as_bytes())]).unwrap();
        assert_eq!(
            ok.pairs().collect::<Vec<_>>(),
            [("clé", PairValue::Text("värde"))]
        );
        // "é" is C3 A9: split across key and value, the buffer is UTF-8 but neither piece is.
        let split = from_bytes(b"m", &[(b"k\xC3", b"\xA9v")]);
        assert_eq!(split.unwrap_err(), RecordError::InvalidUtf8);
        let split_message = from_bytes(b"m\xC3", &[(b"\xA9", b"v")]);
        assert_eq!(split_message.unwrap_err(), RecordError::InvalidUtf8);
        assert_eq!(
            from_bytes(b"\xFF", &[]).unwrap_err(),
            RecordError::InvalidUtf8
        );
    }

    #[test]
    fn json_attributes_must_be_one_object() {
        let ok = Record::with_json(Level::Info, "m", r#"{"a":[1,{"b":null}]}"#, context());
        let ok = ok.unwrap();
        assert!(matches!(ok.attributes(), Attributes::Json));
        assert_eq!(ok.message(), "m");
        assert_eq!(ok.json_attributes(), Some(r#"{"a":[1,{"b":null}]}"#));
        for bad in ["[1,2]", "{\"a\":", "{} {}", "\"s\"", "{\"a\":1,}"] {
            let err = Record::with_json(Level::Info, "m", bad, context());
            assert_eq!(err.unwrap_err(), RecordError::InvalidJson, "{bad}");
        }
        let empty = Record::with_json(Level::Info, "m", "  ", context()).unwrap();
        let nested = |depth: usize| format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
        assert!(validate_json_object(&nested(MAX_ATTRIBUTE_DEPTH as usize)).is_ok());
        for depth in [MAX_ATTRIBUTE_DEPTH as usize + 1, 127, 128, 5000] {
            assert_eq!(
                validate_json_object(&nested(depth)),
                Err(RecordError::InvalidJson),
                "{depth}"
            );
        }
        let arrays = format!("{{\"a\":{}{}}}", "[".repeat(70), "]".repeat(70));
        assert_eq!(validate_json_object(&arrays), Err(RecordError::InvalidJson));
        assert!(matches!(empty.attributes(), Attributes::None));
        assert_eq!((empty.message(), empty.json_attributes()), ("m", None));
        // Many brackets, shallow nesting: the count alone must not refuse it.
        let wide = format!("{{\"a\":[{}{{}}]}}", "{},[],".repeat(70));
        assert!(validate_json_object(&wide).is_ok());
        let wide_bad = format!("{{\"a\":[{}{{}}}}", "{},[],".repeat(70));
        assert_eq!(
            validate_json_object(&wide_bad),
            Err(RecordError::InvalidJson)
        );
    }

    #[test]
    fn byte_json_is_checked_for_utf8_in_each_piece() {
        let ok = Record::with_utf8_json(
            Level::Info,
            "né".as_bytes(),
            r#"{"clé":"värde"}"#.as_bytes(),
            context(),
        )
        .unwrap();
        assert_eq!(ok.message(), "né");
        assert_eq!(ok.json_attributes(), Some(r#"{"clé":"värde"}"#));
        let utf8 = |message: &[u8], json: &[u8]| {
            Record::with_utf8_json(Level::Info, message, json, context()).map(|_| ())
        };
        // "é" is C3 A9: split across message and JSON, the buffer is UTF-8 but neither piece is.
        assert_eq!(utf8(b"m\xC3", b"\xA9{}"), Err(RecordError::InvalidUtf8));
        assert_eq!(
            utf8(b"m", b"{\"k\":\"\xFF\"}"),
            Err(RecordError::InvalidUtf8)
        );
        assert_eq!(utf8(b"\xFF", b""), Err(RecordError::InvalidUtf8));
        assert_eq!(utf8(b"m", b"{\"k\":"), Err(RecordError::InvalidJson));
        let blank = Record::with_utf8_json(Level::Info, b"m", b" \n", context()).unwrap();
        assert_eq!((blank.message(), blank.json_attributes()), ("m", None));
        assert!(blank.weight() < ok.weight());
    }

    #[test]
    fn explicit_attributes_override_the_context() {
        let context = Arc::new(Context::new(
            serde_json::json!({"a": 1, "b": "ctx"})
                .as_object()
                .cloned()
                .unwrap(),
        ));
        let pairs = Record::with_pairs(
            Level::Info,
            "m",
            [("b", "own")].into_iter(),
            context.clone(),
        )
        .unwrap();
        assert_eq!(
            pairs.merged_attributes(),
            serde_json::json!({"a": 1, "b": "own"})
                .as_object()
                .cloned()
                .unwrap()
        );
        let json = Record::with_json(Level::Info, "m", r#"{"a":[true]}"#, context).unwrap();
        assert_eq!(
            json.merged_attributes(),
            serde_json::json!({"a": [true], "b": "ctx"})
                .as_object()
                .cloned()
                .unwrap()
        );
    }

    #[test]
    fn scalar_values_are_packed_as_their_json_beside_text() {
        let given = [
            (&b"n"[..], Scalar::Int(-3)),
            (b"s", Scalar::Text("tëxt".as_bytes())),
            (b"u", Scalar::Uint(7)),
            (b"f", Scalar::Float(2.5)),
            (b"b", Scalar::Bool(false)),
            (b"z", Scalar::Null),
        ];
        let record =
            Record::with_utf8_scalars(Level::Info, b"m", given.into_iter(), context()).unwrap();
        assert_eq!(
            record.pairs().collect::<Vec<_>>(),
            [
                ("n", PairValue::Literal("-3")),
                ("s", PairValue::Text("tëxt")),
                ("u", PairValue::Literal("7")),
                ("f", PairValue::Literal("2.5")),
                ("b", PairValue::Literal("false")),
                ("z", PairValue::Literal("null")),
            ]
        );
        // Sized exactly: the buffer is the message and every piece, nothing more.
        assert_eq!(
            record.text.len(),
            "m".len() + "n-3stëxtu7f2.5bfalseznull".len()
        );
        assert_eq!(
            Value::Object(record.merged_attributes()),
            serde_json::json!({"n": -3, "s": "tëxt", "u": 7, "f": 2.5, "b": false, "z": null})
        );
    }

    #[test]
    fn scalar_text_is_held_to_utf8_like_pairs() {
        let invalid = [(&b"k"[..], Scalar::Text(b"\xFF")), (b"n", Scalar::Int(1))];
        let refused = Record::with_utf8_scalars(Level::Info, b"m", invalid.into_iter(), context());
        assert_eq!(refused.unwrap_err(), RecordError::InvalidUtf8);
    }

    #[test]
    fn weight_grows_with_content() {
        let small = Record::with_pairs(Level::Info, "a", std::iter::empty(), context()).unwrap();
        let big = Record::with_pairs(
            Level::Info,
            &"x".repeat(1000),
            [("k", "v")].into_iter(),
            context(),
        )
        .unwrap();
        assert!(big.weight() >= small.weight() + 1000);
    }
}

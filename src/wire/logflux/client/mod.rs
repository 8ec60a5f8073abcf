//! The LogFlux client: the handshake and its persisted session, per-entry parts sealed under
//! the session key, one request per quota category, and the status rules of spec §11.

mod origin;
mod session_file;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use flate2::Compression;

use super::crypto::AesKey;
use super::handshake::{
    complete_request_body, init_request_body, parse_complete_response, parse_init_response,
};
use super::multipart::{self, Boundary};
use super::part::{Entry, PartEncoder};
use super::payload::{write_payload, Adjustments, Common};
use super::{Limits, Session};
use crate::diagnostics::{Diagnostics, Event};
use crate::entry::{EntryKind, Record};
use crate::pipeline::encoder::{Encoded, Encoder, Verdict};
use crate::pipeline::refused::RefusedKinds;
use crate::pipeline::stats::DropReason;
use crate::transport::{retry_after, Request, Response, Transport};
use crate::wire::rfc3339_trimmed;

pub(crate) use origin::Origin;
pub use session_file::SessionFile;

/// How long a 429 without a usable `Retry-After` pauses (spec §2).
const DEFAULT_RATE_LIMIT_WAIT: Duration = Duration::from_secs(60);

/// A rate limit's wait: it uses up no attempt, and a shutdown that ends it drops the
/// entries as `ratelimit_backoff`.
fn rate_limited(wait: Duration) -> Verdict {
    Verdict::Retry {
        after: Some(wait),
        counted: false,
        exhausted: DropReason::RatelimitBackoff,
    }
}

/// The regions an API key may name (spec §3).
const REGIONS: [&str; 5] = ["eu", "us", "ca", "au", "ap"];

/// Checks an API key's shape, `<region>-lf_<body>`, and returns its region.
pub fn api_key_region(api_key: &str) -> Result<&str, String> {
    let (region, rest) = api_key
        .split_once('-')
        .ok_or("a LogFlux API key has the form <region>-lf_<key>")?;
    if !REGIONS.contains(&region) {
        return Err(format!(
            "unknown region `{region}` (expected one of {})",
            REGIONS.join(", ")
        ));
    }
    if !rest.starts_with("lf_") || rest.len() <= 3 {
        return Err("a LogFlux API key has the form <region>-lf_<key>".into());
    }
    Ok(region)
}

/// What every worker of a client shares: the endpoint (resolved once), the session (one
/// handshake serves them all, and a re-handshake replaces the key for all of them) and a rate
/// limit's pause, which holds every request of the client until it ends (spec §11).
#[derive(Default)]
pub struct SharedSession {
    endpoint: OnceLock<Endpoint>,
    session: Mutex<Option<Session>>,
    paused_until: Mutex<Option<Instant>>,
}

/// The base URL in force for the process, and the session file that belongs to it.
struct Endpoint {
    base_url: String,
    session_file: Option<SessionFile>,
}

impl SharedSession {
    fn lock(&self) -> MutexGuard<'_, Option<Session>> {
        self.session.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn pause_until(&self, until: Instant) {
        *self
            .paused_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(until);
    }

    /// What is left of a rate limit's pause, if one is on.
    fn paused_for(&self) -> Option<Duration> {
        let until = (*self
            .paused_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner))?;
        Some(until.saturating_duration_since(Instant::now())).filter(|left| !left.is_zero())
    }
}

pub(crate) struct Options {
    pub api_key: String,
    pub origin: Origin,
    pub common: Common,
    /// The gzip level of every part, `None` when compression is off.
    pub gzip: Option<Compression>,
    /// The directory sessions persist in; `None` keeps them in memory only.
    pub session_dir: Option<PathBuf>,
    pub key_rotation_days: u32,
    pub session: Arc<SharedSession>,
    /// Where a 507 closes the request's category for the rest of the process.
    pub refused: Arc<RefusedKinds>,
    pub diagnostics: Diagnostics,
}

pub struct LogFluxEncoder {
    options: Options,
    parts: PartEncoder,
    /// The key id the latest request was sealed under, so that a refusal discards that
    /// session and not one another worker has made since.
    used_key_id: Option<String>,
    /// The category of the latest request, which a 507 closes.
    used_category: u8,
    adjustments: Adjustments,
    /// One entry's payload JSON, its capacity kept from entry to entry.
    json: Vec<u8>,
}

/// The quota categories of spec §10, by the entry kinds each holds; a request never mixes
/// categories, so a 507 names exactly one.
const CATEGORIES: [&[EntryKind]; 3] = [
    &[EntryKind::Log, EntryKind::Metric, EntryKind::Event],
    &[
        EntryKind::Trace,
        EntryKind::Telemetry,
        EntryKind::TelemetryManaged,
    ],
    &[EntryKind::Audit],
];

fn category(kind: EntryKind) -> u8 {
    CATEGORIES
        .iter()
        .position(|kinds| kinds.contains(&kind))
        .unwrap_or(0) as u8
}

impl LogFluxEncoder {
    pub(crate) fn new(options: Options) -> LogFluxEncoder {
        LogFluxEncoder {
            parts: PartEncoder::with_compression(options.gzip),
            json: Vec::new(),
            options,
            used_key_id: None,
            used_category: 0,
            adjustments: Adjustments::default(),
        }
    }

    /// The endpoint, resolved by the first worker to ask (the others wait for its answer).
    fn endpoint(&self, transport: &Transport, timeout: Duration) -> &Endpoint {
        self.options.session.endpoint.get_or_init(|| {
            let options = &self.options;
            let base_url = options.origin.resolve(transport, timeout);
            options.diagnostics.debug(
                Event::Endpoint,
                format_args!("LogFlux endpoint: {base_url}"),
            );
            let session_file = options.session_dir.as_ref().map(|dir| {
                SessionFile::new(
                    dir.clone(),
                    &options.api_key,
                    &base_url,
                    options.key_rotation_days,
                )
            });
            Endpoint {
                base_url,
                session_file,
            }
        })
    }

    fn session_file(&self) -> Option<&SessionFile> {
        self.options.session.endpoint.get()?.session_file.as_ref()
    }

    fn post_json(&self, base_url: &str, path: &str, body: Vec<u8>) -> Request {
        Request {
            url: format!("{base_url}{path}"),
            content_type: "application/json".into(),
            headers: vec![("Authorization", format!("Bearer {}", self.options.api_key))],
            body,
        }
    }

    /// Init, key wrapping and complete (spec §5). Every failure holds the entries: network
    /// errors and 5xx as unavailable, refusals and invalid answers as rejected; each comes with
    /// what failed, for the diagnostics.
    fn handshake(
        &self,
        transport: &Transport,
        base_url: &str,
        timeout: Duration,
    ) -> Result<Session, (Verdict, String)> {
        let held = |exhausted, why: String| {
            let verdict = Verdict::Retry {
                after: None,
                counted: false,
                exhausted,
            };
            (verdict, why)
        };
        let call = |path: &str, body: Vec<u8>| -> Result<Vec<u8>, (Verdict, String)> {
            let response = transport
                .send(&self.post_json(base_url, path, body), timeout)
                .map_err(|error| held(DropReason::NetworkError, format!("{path}: {error}")))?;
            let status = response.status;
            match status {
                200 => Ok(response.body),
                500..=599 => Err(held(
                    DropReason::NetworkError,
                    format!("{path}: status {status}"),
                )),
                _ => Err(held(
                    DropReason::SendError,
                    format!("{path}: status {status}"),
                )),
            }
        };
        let invalid = |what: &str| held(DropReason::SendError, format!("{what}: invalid answer"));
        let api_key = &self.options.api_key;
        let init = call("/v1/handshake/init", init_request_body(api_key))?;
        let answer = parse_init_response(&init).map_err(|_| invalid("/v1/handshake/init"))?;
        let key = AesKey::generate();
        let secret = answer
            .public_key
            .wrap_key(&key)
            .map_err(|_| invalid("server public key"))?;
        let complete = call(
            "/v1/handshake/complete",
            complete_request_body(api_key, &secret),
        )?;
        let key_id =
            parse_complete_response(&complete).map_err(|_| invalid("/v1/handshake/complete"))?;
        Ok(Session {
            key_id,
            key,
            limits: answer.limits,
        })
    }

    fn limits(&self) -> Limits {
        self.options
            .session
            .lock()
            .as_ref()
            .map_or_else(Limits::default, |s| s.limits)
    }
}

impl Encoder for LogFluxEncoder {
    /// Metric and telemetry values must be finite (spec §7).
    fn accepts(&self, record: &Record) -> bool {
        record.payload().is_none_or(|p| p.is_finite())
    }

    /// One group per quota category, in first-seen order, each cut to the server's
    /// entries-per-request limit.
    fn partition(&self, records: Vec<Record>) -> Vec<Vec<Record>> {
        let max = self.limits().max_batch_size.max(1);
        let mut by_category: Vec<(u8, Vec<Record>)> = Vec::new();
        for record in records {
            let category = category(record.kind());
            match by_category.iter_mut().find(|(c, _)| *c == category) {
                Some((_, group)) => group.push(record),
                None => by_category.push((category, vec![record])),
            }
        }
        let mut groups = Vec::new();
        for (_, mut group) in by_category {
            while group.len() > max {
                let rest = group.split_off(max);
                groups.push(std::mem::replace(&mut group, rest));
            }
            groups.push(group);
        }
        groups
    }

    fn prepare(&mut self, transport: &Transport, timeout: Duration) -> Result<(), Verdict> {
        if let Some(left) = self.options.session.paused_for() {
            return Err(rate_limited(left));
        }
        let endpoint = self.endpoint(transport, timeout);
        let mut session = self.options.session.lock();
        if session.is_some() {
            return Ok(());
        }
        if let Some(file) = &endpoint.session_file {
            match file.load() {
                Ok(Some(stored)) => {
                    *session = Some(stored);
                    return Ok(());
                }
                Ok(None) => {}
                Err(reason) => self
                    .options
                    .diagnostics
                    .warn(format_args!("LogFlux {reason}")),
            }
        }
        let diagnostics = self.options.diagnostics;
        let base_url = &endpoint.base_url;
        diagnostics.debug(
            Event::Handshake,
            format_args!("LogFlux handshake starting with {base_url}"),
        );
        let fresh = self
            .handshake(transport, base_url, timeout)
            .map_err(|(verdict, why)| {
                diagnostics.debug(
                    Event::Handshake,
                    format_args!("LogFlux handshake failed: {why}"),
                );
                verdict
            })?;
        diagnostics.debug(Event::Handshake, format_args!("LogFlux handshake done"));
        if let Some(file) = &endpoint.session_file {
            if let Err(reason) = file.save(&fresh) {
                self.options
                    .diagnostics
                    .warn(format_args!("LogFlux {reason}"));
            }
        }
        *session = Some(fresh);
        Ok(())
    }

    fn reauthenticate(&mut self) {
        let mut session = self.options.session.lock();
        let refused = session.as_ref().map(|s| &s.key_id) == self.used_key_id.as_ref();
        if refused {
            *session = None;
            if let Some(file) = self.session_file() {
                file.discard();
            }
        }
    }

    fn encode(&mut self, records: &[Record]) -> Result<Encoded, Verdict> {
        let session = self.options.session.lock();
        let max_request_size = session
            .as_ref()
            .map_or(Limits::default(), |s| s.limits)
            .max_request_size;
        let mut parts = Vec::with_capacity(records.len());
        let mut excluded = 0;
        if let Some(session) = session.as_ref() {
            for record in records {
                let timestamp = rfc3339_trimmed(record.timestamp_ns);
                self.json.clear();
                write_payload(
                    record,
                    &self.options.common,
                    &timestamp,
                    &mut self.adjustments,
                    &mut self.json,
                );
                let entry = Entry {
                    kind: record.kind(),
                    json: &self.json,
                    timestamp: &timestamp,
                };
                match self.parts.encode(&entry, session) {
                    Ok(part) => parts.push(part),
                    Err(_) => excluded += 1,
                }
            }
        } else {
            // `prepare` always runs first; without a session nothing can be sealed.
            excluded = records.len() as u64;
        }
        self.used_key_id = session.as_ref().map(|s| s.key_id.clone());
        self.used_category = records.first().map_or(0, |r| category(r.kind()));
        drop(session);
        let boundary = Boundary::random();
        let body = multipart::encode(&parts, &boundary);
        // Halves are encoded afresh, so each part keeps a nonce of its own (spec §8). One
        // entry's part always fits: entries are bounded far below a request.
        if body.len() > max_request_size && records.len() > 1 {
            return Err(Verdict::Split);
        }
        let base_url = self
            .options
            .session
            .endpoint
            .get()
            .map_or("", |endpoint| &endpoint.base_url);
        let mut request = self.post_json(base_url, "/v1/ingest", body);
        request.content_type = boundary.content_type().into();
        Ok(Encoded { request, excluded })
    }

    fn judge(&mut self, response: &Response) -> Verdict {
        match response.status {
            200..=299 => Verdict::DELIVERED,
            401 | 403 => Verdict::Reauthenticate,
            413 => Verdict::Split,
            429 => {
                let wait = response
                    .retry_after
                    .as_deref()
                    .and_then(|value| retry_after(value, SystemTime::now().into()))
                    .unwrap_or(DEFAULT_RATE_LIMIT_WAIT);
                self.options.session.pause_until(Instant::now() + wait);
                rate_limited(wait)
            }
            507 => {
                self.options
                    .refused
                    .refuse(CATEGORIES[usize::from(self.used_category)]);
                Verdict::Drop(DropReason::QuotaExceeded)
            }
            500..=599 => Verdict::BACKOFF,
            _ => Verdict::Drop(DropReason::SendError),
        }
    }

    fn take_attributes_dropped(&mut self) -> u64 {
        std::mem::take(&mut self.adjustments.attributes_dropped)
    }

    fn take_values_truncated(&mut self) -> u64 {
        std::mem::take(&mut self.adjustments.values_truncated)
    }

    /// `max_retries` = 3, so at most four attempts (spec §2).
    fn default_max_retries(&self) -> u32 {
        3
    }

    fn default_http_timeout(&self) -> Duration {
        Duration::from_secs(30)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Context;
    use crate::entry::{Audit, Payload};
    use crate::level::Level;

    fn encoder() -> LogFluxEncoder {
        LogFluxEncoder::new(Options {
            api_key: "eu-lf_test".into(),
            origin: Origin::Endpoint("http://127.0.0.1:9".into()),
            common: Common {
                source: "api".into(),
                environment: None,
                release: None,
            },
            gzip: Some(Compression::fast()),
            session_dir: None,
            key_rotation_days: 0,
            session: Arc::default(),
            refused: Arc::default(),
            diagnostics: Diagnostics::new(false),
        })
    }

    fn record(message: &str, payload: Option<Payload>) -> Record {
        let record =
            Record::with_json(Level::Info, message, "", Arc::new(Context::default())).unwrap();
        match payload {
            Some(payload) => record.with_payload(payload),
            None => record,
        }
    }

    #[test]
    fn api_keys_name_a_region() {
        assert_eq!(api_key_region("eu-lf_abc"), Ok("eu"));
        for bad in ["lf_abc", "xx-lf_abc", "eu-abc", "eu-lf_", "eu"] {
            assert!(api_key_region(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn requests_never_mix_quota_categories() {
        let audit = Payload::Audit(Audit {
            actor: "a".into(),
            actor_type: None,
            resource: "r".into(),
            resource_id: "1".into(),
            outcome: "success".into(),
        });
        let records = vec![
            record("l1", None),
            record("a1", Some(audit.clone())),
            record("e1", Some(Payload::Event)),
            record("a2", Some(audit)),
        ];
        let groups: Vec<Vec<String>> = encoder()
            .partition(records)
            .iter()
            .map(|g| g.iter().map(|r| r.message().to_owned()).collect())
            .collect();
        assert_eq!(groups, [vec!["l1", "e1"], vec!["a1", "a2"]]);
    }

    #[test]
    fn statuses_are_judged_as_the_spec_says() {
        let mut enc = encoder();
        let answer = |status, retry_after: Option<&str>| Response {
            status,
            retry_after: retry_after.map(str::to_owned),
            body: Vec::new(),
        };
        assert_eq!(enc.judge(&answer(202, None)), Verdict::DELIVERED);
        assert_eq!(enc.judge(&answer(401, None)), Verdict::Reauthenticate);
        assert_eq!(enc.judge(&answer(403, None)), Verdict::Reauthenticate);
        assert_eq!(enc.judge(&answer(413, None)), Verdict::Split);
        assert_eq!(
            enc.judge(&answer(507, None)),
            Verdict::Drop(DropReason::QuotaExceeded)
        );
        assert_eq!(enc.judge(&answer(503, None)), Verdict::BACKOFF);
        assert_eq!(
            enc.judge(&answer(400, None)),
            Verdict::Drop(DropReason::SendError)
        );
        let waits = |after| Verdict::Retry {
            after: Some(after),
            counted: false,
            exhausted: DropReason::RatelimitBackoff,
        };
        assert_eq!(
            enc.judge(&answer(429, Some("3"))),
            waits(Duration::from_secs(3))
        );
        assert_eq!(
            enc.judge(&answer(429, Some("soon"))),
            waits(DEFAULT_RATE_LIMIT_WAIT)
        );
    }

    #[test]
    fn without_a_session_nothing_is_sealed() {
        let mut enc = encoder();
        let encoded = enc.encode(&[record("m", None)]).unwrap();
        assert_eq!(encoded.excluded, 1);
    }
}

//! The handshake's JSON (spec §5 client side, §6 collector side): request and answer bodies
//! and their parsing. No HTTP here; the caller sends and receives.

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use super::crypto::{AesKey, CryptoError, PrivateKey, PublicKey};
use super::Limits;

/// Why a handshake answer cannot be used; every case fails the handshake (spec §5.1, §5.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HandshakeError {
    /// The answer is not a JSON object.
    NotJsonObject(String),
    /// Neither the top level nor `data` has a non-empty string `public_key`.
    MissingPublicKey,
    /// The `public_key` is unreadable, not RSA, or too small.
    PublicKey(CryptoError),
    /// None of `key_id`, `key_uuid`, `data.key_id`, `data.key_uuid` is a non-empty string.
    MissingKeyId,
}

impl fmt::Display for HandshakeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HandshakeError::NotJsonObject(why) => write!(f, "answer is not a JSON object: {why}"),
            HandshakeError::MissingPublicKey => f.write_str("answer has no public_key"),
            HandshakeError::PublicKey(e) => write!(f, "answer's public_key: {e}"),
            HandshakeError::MissingKeyId => f.write_str("answer has no key_id"),
        }
    }
}

impl std::error::Error for HandshakeError {}

/// What the client keeps from a successful init.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InitAnswer {
    pub public_key: PublicKey,
    /// [`Limits::default`] lowered by whatever the server announced.
    pub limits: Limits,
}

#[derive(Serialize)]
struct ClientRequest<'a> {
    api_key: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    encrypted_secret: Option<&'a str>,
}

/// `POST /v1/handshake/init` body. The key also goes in the body because older ingestors
/// read it only there.
pub fn init_request_body(api_key: &str) -> Vec<u8> {
    to_json(&ClientRequest {
        api_key,
        encrypted_secret: None,
    })
}

/// `POST /v1/handshake/complete` body; `encrypted_secret` comes from
/// [`PublicKey::wrap_key`].
pub fn complete_request_body(api_key: &str, encrypted_secret: &str) -> Vec<u8> {
    to_json(&ClientRequest {
        api_key,
        encrypted_secret: Some(encrypted_secret),
    })
}

/// Reads a 200 init answer, top-level or `data`-wrapped, limits nested or flat, since the
/// public SDKs disagree on where these live (spec §5.1).
pub fn parse_init_response(body: &[u8]) -> Result<InitAnswer, HandshakeError> {
    let top = parse_object(body)?;
    let (obj, pem) = [Some(&top), top.get("data").and_then(Value::as_object)]
        .into_iter()
        .flatten()
        .find_map(|obj| non_empty_str(obj.get("public_key")).map(|pem| (obj, pem)))
        .ok_or(HandshakeError::MissingPublicKey)?;
    let public_key = PublicKey::from_pem(pem).map_err(HandshakeError::PublicKey)?;
    let limits_source = obj.get("limits").and_then(Value::as_object).unwrap_or(obj);
    Ok(InitAnswer {
        public_key,
        limits: announced_limits(limits_source),
    })
}

/// Reads a 200 complete answer to its key id, which is opaque and sent back as given (spec §5.3).
pub fn parse_complete_response(body: &[u8]) -> Result<String, HandshakeError> {
    let top = parse_object(body)?;
    let data = top.get("data").and_then(Value::as_object);
    let candidates = [
        top.get("key_id"),
        top.get("key_uuid"),
        data.and_then(|d| d.get("key_id")),
        data.and_then(|d| d.get("key_uuid")),
    ];
    let key_id = candidates
        .into_iter()
        .find_map(|value| non_empty_str(value).map(str::to_owned));
    key_id.ok_or(HandshakeError::MissingKeyId)
}

fn announced_limits(obj: &Map<String, Value>) -> Limits {
    let lower = |default: usize, name: &str| {
        obj.get(name)
            .and_then(Value::as_u64)
            .filter(|&n| n > 0)
            .map_or(default, |n| {
                default.min(usize::try_from(n).unwrap_or(usize::MAX))
            })
    };
    Limits {
        max_batch_size: lower(Limits::default().max_batch_size, "max_batch_size"),
        max_payload_size: lower(Limits::default().max_payload_size, "max_payload_size"),
        max_request_size: lower(Limits::default().max_request_size, "max_request_size"),
    }
}

/// A string member, trimmed, if it is not empty.
fn non_empty_str(value: Option<&Value>) -> Option<&str> {
    value
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn parse_object(body: &[u8]) -> Result<Map<String, Value>, HandshakeError> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(obj)) => Ok(obj),
        Ok(_) => Err(HandshakeError::NotJsonObject("not an object".into())),
        Err(e) => Err(HandshakeError::NotJsonObject(e.to_string())),
    }
}

fn to_json(value: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec(value).expect("plain structs of strings always serialize")
}

// ---- Collector side (spec §6) ----

/// Why the collector refuses a handshake request; authentication is the caller's policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HandshakeRejection {
    /// The body is not a JSON object.
    InvalidRequest(String),
    /// `encrypted_secret` is absent or does not unwrap to a 32-byte key.
    InvalidSecret(String),
}

impl HandshakeRejection {
    pub fn status(&self) -> u16 {
        400
    }

    /// The `error.code` of the error answer (spec §6, §12).
    pub fn code(&self) -> &'static str {
        match self {
            HandshakeRejection::InvalidRequest(_) => "invalid_request",
            HandshakeRejection::InvalidSecret(_) => "invalid_secret",
        }
    }
}

impl fmt::Display for HandshakeRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HandshakeRejection::InvalidRequest(why) | HandshakeRejection::InvalidSecret(why) => {
                f.write_str(why)
            }
        }
    }
}

impl std::error::Error for HandshakeRejection {}

/// An init or complete request body as the collector reads it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HandshakeRequest {
    pub api_key: Option<String>,
    pub encrypted_secret: Option<String>,
}

impl HandshakeRequest {
    /// Members of the wrong type count as absent; only a non-object body is refused.
    pub fn parse(body: &[u8]) -> Result<HandshakeRequest, HandshakeRejection> {
        let obj =
            parse_object(body).map_err(|e| HandshakeRejection::InvalidRequest(e.to_string()))?;
        let member = |name| non_empty_str(obj.get(name)).map(str::to_owned);
        Ok(HandshakeRequest {
            api_key: member("api_key"),
            encrypted_secret: member("encrypted_secret"),
        })
    }

    /// The API key to authenticate: the `Authorization: Bearer` token when that header is
    /// present, else the body's `api_key`. `None` means 401.
    pub fn api_key<'a>(&'a self, authorization: Option<&'a str>) -> Option<&'a str> {
        match authorization {
            Some(header) => bearer_token(header),
            None => self.api_key.as_deref(),
        }
    }

    /// Unwraps the client's AES key for a complete request.
    pub fn unwrap_secret(&self, private_key: &PrivateKey) -> Result<AesKey, HandshakeRejection> {
        let secret = self.encrypted_secret.as_deref().ok_or_else(|| {
            HandshakeRejection::InvalidSecret("encrypted_secret is missing".into())
        })?;
        private_key
            .unwrap_key(secret)
            .map_err(|e| HandshakeRejection::InvalidSecret(e.to_string()))
    }
}

/// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive).
pub fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[derive(Serialize)]
struct InitData<'a> {
    public_key: &'a str,
    supports_multipart: bool,
    limits: LimitsJson,
    #[serde(flatten)]
    flat_limits: LimitsJson,
}

#[derive(Serialize)]
struct LimitsJson {
    max_batch_size: usize,
    max_payload_size: usize,
    max_request_size: usize,
}

#[derive(Serialize)]
struct Success<T> {
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    key_id: Option<String>,
    data: T,
}

#[derive(Serialize)]
struct CompleteData<'a> {
    status: &'static str,
    key_id: &'a str,
}

/// The 200 init answer: `data`-wrapped with limits both nested and flat, so the Go, JS,
/// Java and Swift readers all find what they look for.
pub fn init_response_body(public_key: &PublicKey, limits: &Limits) -> Vec<u8> {
    let limits_json = || LimitsJson {
        max_batch_size: limits.max_batch_size,
        max_payload_size: limits.max_payload_size,
        max_request_size: limits.max_request_size,
    };
    to_json(&Success {
        status: "success",
        key_id: None,
        data: InitData {
            public_key: &public_key.to_pem(),
            supports_multipart: true,
            limits: limits_json(),
            flat_limits: limits_json(),
        },
    })
}

/// The 200 complete answer, with the key id both top-level and under `data`.
pub fn complete_response_body(key_id: &str) -> Vec<u8> {
    to_json(&Success {
        status: "success",
        key_id: Some(key_id.to_owned()),
        data: CompleteData {
            status: "active",
            key_id,
        },
    })
}

/// A new key id: a random UUID v4, lowercase and hyphenated.
pub fn new_key_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::wire::logflux::vectors::{section, text, RSA_1024_PEM};

    fn vector_pem() -> String {
        text(&section("rsa_oaep"), "public_key_pem").to_owned()
    }

    fn init(value: Value) -> Result<InitAnswer, HandshakeError> {
        parse_init_response(value.to_string().as_bytes())
    }

    fn complete(value: Value) -> Result<String, HandshakeError> {
        parse_complete_response(value.to_string().as_bytes())
    }

    #[test]
    fn request_bodies_carry_the_key_and_secret() {
        assert_eq!(
            init_request_body("eu-lf_a\"b"),
            br#"{"api_key":"eu-lf_a\"b"}"#
        );
        assert_eq!(
            complete_request_body("eu-lf_x", "c2VjcmV0"),
            br#"{"api_key":"eu-lf_x","encrypted_secret":"c2VjcmV0"}"#
        );
    }

    #[test]
    fn init_is_read_top_level_or_data_wrapped() {
        let pem = vector_pem();
        let top = init(json!({"public_key": pem, "supports_multipart": true})).unwrap();
        let wrapped = init(json!({"status": "success", "data": {"public_key": pem}})).unwrap();
        assert_eq!(top, wrapped);
        assert_eq!(top.limits, Limits::default());
        assert_eq!(
            top.public_key.fingerprint(),
            text(&section("rsa_oaep"), "spki_fingerprint")
        );
        // An empty top-level key falls through to `data`.
        let empty_top = init(json!({"public_key": "", "data": {"public_key": pem}})).unwrap();
        assert_eq!(empty_top, top);
    }

    #[test]
    fn init_limits_are_read_nested_or_flat_and_only_lower() {
        let pem = vector_pem();
        let nested = init(json!({"data": {"public_key": pem,
            "limits": {"max_batch_size": 10, "max_payload_size": 2048, "max_request_size": 4096},
            "max_batch_size": 5}}))
        .unwrap();
        assert_eq!(
            nested.limits,
            Limits {
                max_batch_size: 10,
                max_payload_size: 2048,
                max_request_size: 4096
            }
        );
        let flat = init(json!({"public_key": pem, "max_batch_size": 7})).unwrap();
        assert_eq!(
            flat.limits,
            Limits {
                max_batch_size: 7,
                ..Limits::default()
            }
        );
        let ignored = init(json!({"public_key": pem, "limits": {
            "max_batch_size": 5000, "max_payload_size": 0, "max_request_size": "1"}}))
        .unwrap();
        assert_eq!(ignored.limits, Limits::default());
        let invalid = init(json!({"public_key": pem, "max_batch_size": -1,
            "max_payload_size": 1.5, "max_request_size": null}))
        .unwrap();
        assert_eq!(invalid.limits, Limits::default());
    }

    #[test]
    fn init_without_a_usable_rsa_key_fails() {
        for body in [
            json!({}),
            json!({"public_key": ""}),
            json!({"public_key": 5}),
            json!({"data": {"key": "x"}}),
            json!({"data": "-----BEGIN PUBLIC KEY-----"}),
        ] {
            assert_eq!(init(body), Err(HandshakeError::MissingPublicKey));
        }
        assert_eq!(
            init(json!({"public_key": RSA_1024_PEM})),
            Err(HandshakeError::PublicKey(CryptoError::KeyTooSmall {
                bits: 1024
            }))
        );
        assert!(matches!(
            init(json!({"public_key": "not a key"})),
            Err(HandshakeError::PublicKey(CryptoError::InvalidPublicKey(_)))
        ));
        assert!(matches!(
            parse_init_response(b"[1]"),
            Err(HandshakeError::NotJsonObject(_))
        ));
        assert!(matches!(
            parse_init_response(b"<html>"),
            Err(HandshakeError::NotJsonObject(_))
        ));
    }

    #[test]
    fn complete_key_id_follows_the_priority_order() {
        let all = json!({"key_id": "a", "key_uuid": "b", "data": {"key_id": "c", "key_uuid": "d"}});
        assert_eq!(complete(all).unwrap(), "a");
        let no_top_id = json!({"key_id": "", "key_uuid": "b", "data": {"key_id": "c"}});
        assert_eq!(complete(no_top_id).unwrap(), "b");
        let data_only = json!({"key_id": 5, "data": {"key_id": "c", "key_uuid": "d"}});
        assert_eq!(complete(data_only).unwrap(), "c");
        let legacy = json!({"data": {"key_id": "  ", "key_uuid": " d "}});
        assert_eq!(complete(legacy).unwrap(), "d");
        let base64_id = json!({"key_id": " q1w2+e3/r4== "});
        assert_eq!(complete(base64_id).unwrap(), "q1w2+e3/r4==");
    }

    #[test]
    fn complete_without_a_key_id_fails() {
        for body in [
            json!({}),
            json!({"status": "success", "data": {}}),
            json!({"key_id": null}),
        ] {
            assert_eq!(complete(body), Err(HandshakeError::MissingKeyId));
        }
        assert!(matches!(
            parse_complete_response(b""),
            Err(HandshakeError::NotJsonObject(_))
        ));
    }

    #[test]
    fn collector_init_answer_parses_in_every_sdk_style() {
        let private =
            PrivateKey::from_pkcs8_pem(text(&section("rsa_oaep"), "private_key_pem_pkcs8"))
                .unwrap();
        let limits = Limits {
            max_batch_size: 500,
            ..Limits::default()
        };
        let body = init_response_body(&private.public_key(), &limits);
        let answer = parse_init_response(&body).unwrap();
        assert_eq!(answer.public_key, private.public_key());
        assert_eq!(answer.limits, limits);
        let value: Value = serde_json::from_slice(&body).unwrap();
        let data = &value["data"];
        // Swift reads only `data` with flat limits; Go/JS/Java may read nested ones.
        assert_eq!(data["max_batch_size"], 500);
        assert_eq!(data["limits"]["max_batch_size"], 500);
        assert_eq!(data["supports_multipart"], true);
        assert!(data["public_key"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN PUBLIC KEY-----\n"));
        assert_eq!(value["status"], "success");
    }

    #[test]
    fn collector_complete_round_trips_with_the_client() {
        let v = section("rsa_oaep");
        let private = PrivateKey::from_pkcs8_pem(text(&v, "private_key_pem_pkcs8")).unwrap();
        let key = AesKey::generate();
        let secret = private.public_key().wrap_key(&key).unwrap();
        let request = HandshakeRequest::parse(&complete_request_body("eu-lf_k", &secret)).unwrap();
        assert_eq!(request.api_key(None), Some("eu-lf_k"));
        assert_eq!(request.unwrap_secret(&private).unwrap(), key);

        let id = new_key_id();
        let answer = complete_response_body(&id);
        assert_eq!(parse_complete_response(&answer).unwrap(), id);
        let value: Value = serde_json::from_slice(&answer).unwrap();
        assert_eq!(value["data"], json!({"status": "active", "key_id": id}));
    }

    #[test]
    fn collector_refuses_bad_bodies_and_secrets() {
        let err = HandshakeRequest::parse(b"\"eu-lf_k\"").unwrap_err();
        assert_eq!((err.status(), err.code()), (400, "invalid_request"));
        let private =
            PrivateKey::from_pkcs8_pem(text(&section("rsa_oaep"), "private_key_pem_pkcs8"))
                .unwrap();
        for body in [json!({"api_key": "k"}), json!({"encrypted_secret": "AAAA"})] {
            let request = HandshakeRequest::parse(body.to_string().as_bytes()).unwrap();
            let err = request.unwrap_secret(&private).unwrap_err();
            assert_eq!((err.status(), err.code()), (400, "invalid_secret"));
        }
    }

    #[test]
    fn api_key_comes_from_the_bearer_header_else_the_body() {
        let request = HandshakeRequest::parse(br#"{"api_key":"body-key"}"#).unwrap();
        assert_eq!(request.api_key(Some("Bearer  head-key ")), Some("head-key"));
        assert_eq!(request.api_key(Some("bearer head-key")), Some("head-key"));
        assert_eq!(request.api_key(Some("Basic abc")), None);
        assert_eq!(request.api_key(Some("Bearer ")), None);
        assert_eq!(request.api_key(None), Some("body-key"));
        let empty = HandshakeRequest::parse(br#"{"api_key":""}"#).unwrap();
        assert_eq!(empty.api_key(None), None);
    }

    #[test]
    fn key_ids_are_lowercase_uuid_v4() {
        let a = new_key_id();
        assert_ne!(a, new_key_id());
        assert_eq!(a.len(), 36);
        let groups: Vec<&str> = a.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(a
            .chars()
            .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c)));
        assert!(groups[2].starts_with('4'));
        assert!(matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'));
    }
}

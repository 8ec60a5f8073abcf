//! The LogFlux v3 multipart protocol (`shared/spec/logflux.md`): the cryptographic and framing
//! layer, client and collector side by side, all of it pure, and [`client`], the encoder that
//! drives it from the pipeline (the handshake over the transport, the session file).
//!
//! Client flow: [`handshake`] builds the init and complete bodies and reads their answers
//! ([`crypto::PublicKey::wrap_key`] makes the `encrypted_secret`); per entry,
//! [`part::PartEncoder`] turns serialized JSON into a [`multipart::Part`]; per request,
//! [`multipart::encode`] frames the parts under a fresh [`multipart::Boundary`].
//!
//! Collector flow: [`handshake`] answers init and complete (unwrapping the AES key with
//! [`crypto::PrivateKey`]); [`multipart::parse`] splits an ingest body; [`part::decode`] opens
//! each part back to its JSON. Every error type knows the HTTP status and error code of spec §12.

pub mod client;
pub mod crypto;
mod gzip;
pub mod handshake;
pub mod multipart;
pub mod part;
pub mod payload;

#[cfg(test)]
mod vectors;

use crypto::AesKey;

/// What a client holds after a handshake (spec §5.4): the key every part of a request is
/// sealed under, the id that names it to the server, and the server's limits.
#[derive(Clone, Debug)]
pub struct Session {
    pub key_id: String,
    /// Redacted from `Debug` and wiped on drop.
    pub key: AesKey,
    pub limits: Limits,
}

/// The request-shaping limits of spec §2, which a handshake may lower (§5.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Parts per request.
    pub max_batch_size: usize,
    /// Bytes of one entry's serialized JSON, before gzip.
    pub max_payload_size: usize,
    /// Bytes of one request body.
    pub max_request_size: usize,
}

/// The protocol's own maxima, which servers can only lower.
impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_batch_size: 1000,
            max_payload_size: 1024 * 1024,
            max_request_size: 10 * 1024 * 1024,
        }
    }
}

//! The protocol's cryptography: AES-256-GCM per entry (spec §8) under a session key that
//! travels RSA-OAEP-wrapped in the handshake (spec §5.2, §6).

mod aead;
mod nonces;
mod oaep;

use std::fmt;

use aes_gcm::aead::rand_core::RngCore;
use aes_gcm::aead::OsRng;

pub use aead::{AesKey, Nonce, Sealer, KEY_LEN, NONCE_LEN, TAG_LEN};
pub use oaep::{PrivateKey, PublicKey, DEFAULT_RSA_BITS, MIN_RSA_BITS};

/// Why a cryptographic operation refused its input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CryptoError {
    /// GCM authentication failed: wrong key, wrong nonce, or altered or truncated bytes.
    DecryptFailed,
    /// A nonce that is not the base64 of exactly [`NONCE_LEN`] bytes.
    InvalidNonce,
    /// AES key material that is not [`KEY_LEN`] bytes; carries the length given.
    InvalidKeyLength(usize),
    /// Text or bytes that are not a PEM or DER SubjectPublicKeyInfo.
    InvalidPublicKey(String),
    /// A well-formed public key of another algorithm than RSA.
    NotRsa,
    /// An RSA modulus below [`MIN_RSA_BITS`]; carries its size.
    KeyTooSmall { bits: usize },
    /// Text that is not a PKCS#8 RSA private key.
    InvalidPrivateKey(String),
    /// An `encrypted_secret` that does not unwrap to an AES key; says which check failed.
    InvalidSecret(&'static str),
    /// The RSA library failed to encrypt or to generate a key.
    Rsa(String),
}

impl fmt::Display for CryptoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CryptoError::DecryptFailed => f.write_str("AES-GCM authentication failed"),
            CryptoError::InvalidNonce => {
                write!(f, "nonce is not base64 of {NONCE_LEN} bytes")
            }
            CryptoError::InvalidKeyLength(len) => {
                write!(f, "AES key must be {KEY_LEN} bytes, not {len}")
            }
            CryptoError::InvalidPublicKey(why) => write!(f, "invalid public key: {why}"),
            CryptoError::NotRsa => f.write_str("public key is not an RSA key"),
            CryptoError::KeyTooSmall { bits } => {
                write!(f, "RSA modulus of {bits} bits is below {MIN_RSA_BITS}")
            }
            CryptoError::InvalidPrivateKey(why) => write!(f, "invalid private key: {why}"),
            CryptoError::InvalidSecret(why) => write!(f, "invalid encrypted_secret: {why}"),
            CryptoError::Rsa(why) => write!(f, "RSA failure: {why}"),
        }
    }
}

impl std::error::Error for CryptoError {}

/// `N` bytes from the operating system's CSPRNG, the one source of every key, nonce and
/// boundary in the protocol.
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0; N];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

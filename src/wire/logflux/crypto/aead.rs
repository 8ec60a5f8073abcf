//! AES-256-GCM as spec §8 uses it: a 12-byte nonce sent beside the part, ciphertext ‖ 16-byte
//! tag as the part body, no associated data.

use std::fmt;

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::Aes256Gcm;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::{random_bytes, CryptoError};

pub const KEY_LEN: usize = 32;
pub const NONCE_LEN: usize = 12;
pub const TAG_LEN: usize = 16;

/// A session's AES-256 key. Its bytes are wiped on drop and never shown by `Debug`.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct AesKey([u8; KEY_LEN]);

impl AesKey {
    /// A new key from the CSPRNG; spec §5.2 wants one per handshake.
    pub fn generate() -> AesKey {
        AesKey(random_bytes())
    }

    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> AesKey {
        AesKey(bytes)
    }

    /// For keys that arrive as a slice (an RSA unwrap, a stored session).
    pub fn from_slice(bytes: &[u8]) -> Result<AesKey, CryptoError> {
        let bytes = bytes
            .try_into()
            .map_err(|_| CryptoError::InvalidKeyLength(bytes.len()))?;
        Ok(AesKey(bytes))
    }

    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// Encrypts `plaintext` under a fresh nonce: a nonce is never reused under one key because
    /// each call draws 96 new random bits.
    pub fn seal(&self, plaintext: &[u8]) -> (Nonce, Vec<u8>) {
        let nonce = Nonce::generate();
        (nonce, self.seal_with_nonce(&nonce, plaintext))
    }

    /// Returns ciphertext ‖ tag. Kept private: a caller-chosen nonce is how GCM gets broken.
    fn seal_with_nonce(&self, nonce: &Nonce, plaintext: &[u8]) -> Vec<u8> {
        self.cipher()
            .encrypt(nonce.0.as_ref().into(), plaintext)
            .expect("AES-GCM encrypts any input shorter than 64 GiB")
    }

    /// Opens ciphertext ‖ tag; any alteration, truncation or wrong key is `DecryptFailed`.
    pub fn open(&self, nonce: &Nonce, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
        self.cipher()
            .decrypt(nonce.0.as_ref().into(), sealed)
            .map_err(|_| CryptoError::DecryptFailed)
    }

    // Built per call rather than held: the expanded key then lives only as long as one
    // operation, and aes-gcm's `zeroize` feature wipes it on drop.
    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new((&self.0).into())
    }
}

impl fmt::Debug for AesKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AesKey(<redacted>)")
    }
}

/// A 12-byte GCM nonce; on the wire it is the base64 `X-LF-Nonce` header (16 chars).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Nonce([u8; NONCE_LEN]);

impl Nonce {
    fn generate() -> Nonce {
        Nonce(random_bytes())
    }

    pub fn as_bytes(&self) -> &[u8; NONCE_LEN] {
        &self.0
    }

    pub fn to_base64(&self) -> String {
        BASE64.encode(self.0)
    }

    pub fn from_base64(text: &str) -> Result<Nonce, CryptoError> {
        let bytes = BASE64.decode(text).map_err(|_| CryptoError::InvalidNonce)?;
        let bytes = bytes.try_into().map_err(|_| CryptoError::InvalidNonce)?;
        Ok(Nonce(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::logflux::vectors::{hex_bytes, section, text};

    fn vector_key(v: &serde_json::Value) -> AesKey {
        AesKey::from_slice(&hex_bytes(v, "key_hex")).unwrap()
    }

    fn vector_nonce(v: &serde_json::Value) -> Nonce {
        Nonce(hex_bytes(v, "nonce_hex").try_into().unwrap())
    }

    #[test]
    fn plain_vector_encrypts_byte_for_byte() {
        let v = &section("aes_gcm_plain");
        let plaintext = text(v, "plaintext_utf8").as_bytes();
        let sealed = vector_key(v).seal_with_nonce(&vector_nonce(v), plaintext);
        assert_eq!(sealed, hex_bytes(v, "ciphertext_and_tag_hex"));
        assert_eq!(sealed.len(), plaintext.len() + TAG_LEN);
        assert_eq!(vector_nonce(v).to_base64(), text(v, "nonce_b64"));
    }

    #[test]
    fn gzip_vector_opens_to_the_gzip_bytes() {
        let v = &section("aes_gcm_gzip");
        let opened = vector_key(v)
            .open(&vector_nonce(v), &hex_bytes(v, "ciphertext_and_tag_hex"))
            .unwrap();
        assert_eq!(opened, hex_bytes(v, "gzip_of_plaintext_hex"));
    }

    #[test]
    fn seal_then_open_round_trips_with_fresh_nonces() {
        let key = AesKey::generate();
        let (n1, c1) = key.seal(b"same plaintext");
        let (n2, c2) = key.seal(b"same plaintext");
        assert_ne!(n1, n2);
        assert_ne!(c1, c2);
        assert_eq!(key.open(&n1, &c1).unwrap(), b"same plaintext");
        assert_eq!(key.open(&n2, &c2).unwrap(), b"same plaintext");
        assert_eq!(n1.to_base64().len(), 16);
    }

    #[test]
    fn altered_truncated_or_foreign_ciphertext_is_refused() {
        let key = AesKey::generate();
        let (nonce, sealed) = key.seal(b"{\"v\":\"2.0\"}");
        let mut flipped = sealed.clone();
        flipped[0] ^= 1;
        let mut bad_tag = sealed.clone();
        *bad_tag.last_mut().unwrap() ^= 0x80;
        for bad in [
            &flipped[..],
            &bad_tag,
            &sealed[..sealed.len() - 1],
            &sealed[..3],
            &[],
        ] {
            assert_eq!(key.open(&nonce, bad), Err(CryptoError::DecryptFailed));
        }
        let other = AesKey::generate();
        assert_eq!(other.open(&nonce, &sealed), Err(CryptoError::DecryptFailed));
        let other_nonce = Nonce::generate();
        assert_eq!(
            key.open(&other_nonce, &sealed),
            Err(CryptoError::DecryptFailed)
        );
    }

    #[test]
    fn nonce_text_must_be_base64_of_twelve_bytes() {
        let nonce = Nonce::from_base64("AAECAwQFBgcICQoL").unwrap();
        assert_eq!(nonce.as_bytes(), &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        for bad in [
            "",
            "AAECAwQFBgcICQ==",
            "AAECAwQFBgcICQoLDA==",
            "not base64!!",
            "AAECAwQFBgcICQo",
        ] {
            assert_eq!(
                Nonce::from_base64(bad),
                Err(CryptoError::InvalidNonce),
                "{bad}"
            );
        }
    }

    #[test]
    fn key_length_is_checked_and_debug_hides_the_bytes() {
        assert_eq!(
            AesKey::from_slice(&[7; 31]),
            Err(CryptoError::InvalidKeyLength(31))
        );
        let key = AesKey::from_bytes([0xAB; KEY_LEN]);
        let shown = format!("{key:?}");
        assert!(
            !shown.contains("171") && !shown.to_lowercase().contains("ab,"),
            "{shown}"
        );
        assert_eq!(shown, "AesKey(<redacted>)");
    }
}

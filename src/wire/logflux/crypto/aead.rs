//! AES-256-GCM as spec §8 uses it: a 12-byte nonce sent beside the part, ciphertext ‖ 16-byte
//! tag as the part body, no associated data.

use std::fmt;

use aes_gcm::aead::{Aead, AeadInPlace, KeyInit};
use aes_gcm::Aes256Gcm;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::nonces::NonceSource;
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

    /// Encrypts `plaintext` under a fresh nonce, for one-off use; a stream of entries goes
    /// through one [`Sealer`].
    pub fn seal(&self, plaintext: &[u8]) -> (Nonce, Vec<u8>) {
        let mut sealed = plaintext.to_vec();
        let nonce = Sealer::new(self).seal_in_place(&mut sealed);
        (nonce, sealed)
    }

    /// Opens ciphertext ‖ tag; any alteration, truncation or wrong key is `DecryptFailed`.
    pub fn open(&self, nonce: &Nonce, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
        self.cipher()
            .decrypt(nonce.0.as_ref().into(), sealed)
            .map_err(|_| CryptoError::DecryptFailed)
    }

    // aes-gcm's `zeroize` feature wipes the expanded key when the cipher is dropped.
    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new((&self.0).into())
    }
}

/// Seals many plaintexts under one key: the AES key schedule and GHASH key are computed once,
/// not per entry, and nonces come from a user-space CSPRNG ([`NonceSource`]) rather than a
/// system call each.
pub struct Sealer {
    /// Which key the cipher was expanded from, so that a new session's key is noticed.
    key: AesKey,
    cipher: Aes256Gcm,
    nonces: NonceSource,
}

impl Sealer {
    pub fn new(key: &AesKey) -> Sealer {
        Sealer {
            key: key.clone(),
            cipher: key.cipher(),
            nonces: NonceSource::new(),
        }
    }

    /// Whether this sealer seals under `key`. Not a constant-time comparison, and need not
    /// be: both are this process's own session keys, never input from outside.
    pub fn is_for(&self, key: &AesKey) -> bool {
        self.key == *key
    }

    /// Encrypts `data` in place under a fresh nonce, appending the tag: the buffer becomes
    /// ciphertext ‖ tag. A nonce is never reused under one key: each call draws 96 new bits.
    pub fn seal_in_place(&mut self, data: &mut Vec<u8>) -> Nonce {
        let nonce = Nonce(self.nonces.next());
        self.seal_with_nonce(&nonce, data);
        nonce
    }

    /// Kept private: a caller-chosen nonce is how GCM gets broken.
    fn seal_with_nonce(&self, nonce: &Nonce, data: &mut Vec<u8>) {
        self.cipher
            .encrypt_in_place(nonce.0.as_ref().into(), b"", data)
            .expect("AES-GCM encrypts any input shorter than 64 GiB");
    }
}

impl fmt::Debug for AesKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AesKey(<redacted>)")
    }
}

/// A 12-byte GCM nonce; on the wire it is the base64 `X-LF-Nonce` header (16 chars).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Nonce([u8; NONCE_LEN]);

impl Nonce {
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
        let mut sealed = plaintext.to_vec();
        Sealer::new(&vector_key(v)).seal_with_nonce(&vector_nonce(v), &mut sealed);
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
    fn a_sealer_knows_its_key_and_draws_fresh_nonces() {
        let key = AesKey::generate();
        let mut sealer = Sealer::new(&key);
        assert!(sealer.is_for(&key) && !sealer.is_for(&AesKey::generate()));
        let mut nonces = std::collections::HashSet::new();
        for _ in 0..1000 {
            let mut data = b"same plaintext".to_vec();
            let nonce = sealer.seal_in_place(&mut data);
            assert_eq!(data.len(), 14 + TAG_LEN);
            assert_eq!(key.open(&nonce, &data).unwrap(), b"same plaintext");
            nonces.insert(nonce);
        }
        assert_eq!(nonces.len(), 1000);
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
        let other_nonce = Nonce(random_bytes());
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

//! The handshake's key transport (spec §5.2, §6): the client wraps its AES key with RSA-OAEP
//! (SHA-256, MGF1-SHA-256, empty label) under the collector's SPKI public key; the collector
//! unwraps it with its private key.

use std::fmt;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use rsa::pkcs8::spki::SubjectPublicKeyInfoRef;
use rsa::pkcs8::{
    DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding,
};
use rsa::rand_core::OsRng;
use rsa::traits::PublicKeyParts;
use rsa::{Oaep, RsaPrivateKey, RsaPublicKey};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::{AesKey, CryptoError};

/// Smaller moduli fail the handshake (spec §5.1).
pub const MIN_RSA_BITS: usize = 2048;
/// What a collector generates when it is given no key (spec §6).
pub const DEFAULT_RSA_BITS: usize = 2048;

const PEM_BEGIN: &str = "-----BEGIN PUBLIC KEY-----";
const PEM_END: &str = "-----END PUBLIC KEY-----";

/// An RSA public key of at least [`MIN_RSA_BITS`], as the init answer carries it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey {
    key: RsaPublicKey,
    /// The SubjectPublicKeyInfo DER as received, which the fingerprint is taken over.
    spki_der: Vec<u8>,
}

impl PublicKey {
    /// Reads the PEM block out of `text`; text around the block is ignored, as the SDKs only
    /// look for the two marker lines.
    pub fn from_pem(text: &str) -> Result<PublicKey, CryptoError> {
        let missing = || CryptoError::InvalidPublicKey(format!("no {PEM_BEGIN} … {PEM_END} block"));
        let start = text.find(PEM_BEGIN).ok_or_else(missing)?;
        let end = text[start..].find(PEM_END).ok_or_else(missing)? + start + PEM_END.len();
        let (_, der) = rsa::pkcs8::der::pem::decode_vec(&text.as_bytes()[start..end])
            .map_err(|e| CryptoError::InvalidPublicKey(e.to_string()))?;
        PublicKey::from_der(&der)
    }

    /// Reads an X.509 SubjectPublicKeyInfo.
    pub fn from_der(der: &[u8]) -> Result<PublicKey, CryptoError> {
        let spki = SubjectPublicKeyInfoRef::try_from(der)
            .map_err(|e| CryptoError::InvalidPublicKey(e.to_string()))?;
        if spki.algorithm.oid != rsa::pkcs1::ALGORITHM_OID {
            return Err(CryptoError::NotRsa);
        }
        let key = RsaPublicKey::from_public_key_der(der)
            .map_err(|e| CryptoError::InvalidPublicKey(e.to_string()))?;
        let bits = key.n().bits();
        if bits < MIN_RSA_BITS {
            return Err(CryptoError::KeyTooSmall { bits });
        }
        Ok(PublicKey {
            key,
            spki_der: der.to_vec(),
        })
    }

    pub fn to_pem(&self) -> String {
        self.key
            .to_public_key_pem(LineEnding::LF)
            .expect("an RSA public key always encodes")
    }

    pub fn modulus_bits(&self) -> usize {
        self.key.n().bits()
    }

    /// `SHA256:` ‖ hex(SHA-256(DER SPKI)), 71 chars; for diagnostics only (spec §5.1).
    pub fn fingerprint(&self) -> String {
        format!("SHA256:{:x}", Sha256::digest(&self.spki_der))
    }

    /// The handshake's `encrypted_secret`: base64 of RSA-OAEP(SHA-256, MGF1-SHA-256) over the
    /// key's 32 bytes; as long as the modulus before base64.
    pub fn wrap_key(&self, key: &AesKey) -> Result<String, CryptoError> {
        let wrapped = self
            .key
            .encrypt(&mut OsRng, Oaep::new::<Sha256>(), key.as_bytes())
            .map_err(|e| CryptoError::Rsa(e.to_string()))?;
        Ok(BASE64.encode(wrapped))
    }
}

/// The collector's RSA private key; zeroized on drop by the `rsa` crate, and `Debug` shows
/// only its size.
#[derive(Clone)]
pub struct PrivateKey {
    key: RsaPrivateKey,
}

impl PrivateKey {
    /// A new key of `bits` (at least [`MIN_RSA_BITS`]); takes a while, so collectors make it
    /// once at start.
    pub fn generate(bits: usize) -> Result<PrivateKey, CryptoError> {
        if bits < MIN_RSA_BITS {
            return Err(CryptoError::KeyTooSmall { bits });
        }
        let key =
            RsaPrivateKey::new(&mut OsRng, bits).map_err(|e| CryptoError::Rsa(e.to_string()))?;
        Ok(PrivateKey { key })
    }

    /// Reads `-----BEGIN PRIVATE KEY-----` (PKCS#8, unencrypted).
    pub fn from_pkcs8_pem(pem: &str) -> Result<PrivateKey, CryptoError> {
        let key = RsaPrivateKey::from_pkcs8_pem(pem)
            .map_err(|e| CryptoError::InvalidPrivateKey(e.to_string()))?;
        let bits = key.n().bits();
        if bits < MIN_RSA_BITS {
            return Err(CryptoError::KeyTooSmall { bits });
        }
        Ok(PrivateKey { key })
    }

    /// PKCS#8 PEM, in a buffer that is wiped when dropped.
    pub fn to_pkcs8_pem(&self) -> Zeroizing<String> {
        self.key
            .to_pkcs8_pem(LineEnding::LF)
            .expect("an RSA private key always encodes")
    }

    pub fn public_key(&self) -> PublicKey {
        let key = self.key.to_public_key();
        let spki_der = key
            .to_public_key_der()
            .expect("an RSA public key always encodes")
            .into_vec();
        PublicKey { key, spki_der }
    }

    /// Unwraps an `encrypted_secret` (spec §6): base64 of exactly the modulus length, OAEP
    /// SHA-256 with MGF1-SHA-256 or, failing that, MGF1-SHA-1 (the public Java SDK's JCE
    /// default), to exactly 32 bytes.
    pub fn unwrap_key(&self, encrypted_secret: &str) -> Result<AesKey, CryptoError> {
        let wrapped = BASE64
            .decode(encrypted_secret.trim())
            .map_err(|_| CryptoError::InvalidSecret("not base64"))?;
        if wrapped.len() != self.key.size() {
            return Err(CryptoError::InvalidSecret(
                "length differs from the modulus",
            ));
        }
        let plain = self
            .key
            .decrypt(Oaep::new::<Sha256>(), &wrapped)
            .or_else(|_| {
                self.key
                    .decrypt(Oaep::new_with_mgf_hash::<Sha256, Sha1>(), &wrapped)
            })
            .map(Zeroizing::new)
            .map_err(|_| CryptoError::InvalidSecret("RSA-OAEP decryption failed"))?;
        AesKey::from_slice(&plain).map_err(|_| CryptoError::InvalidSecret("not a 32-byte key"))
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateKey(RSA-{}, <redacted>)", self.key.n().bits())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::logflux::vectors::{hex_bytes, section, text, EC_P256_PEM, RSA_1024_PEM};

    fn vector_private_key() -> PrivateKey {
        PrivateKey::from_pkcs8_pem(text(&section("rsa_oaep"), "private_key_pem_pkcs8")).unwrap()
    }

    #[test]
    fn vector_secret_unwraps_to_the_vector_aes_key() {
        let v = section("rsa_oaep");
        let key = vector_private_key()
            .unwrap_key(text(&v, "encrypted_secret_b64"))
            .unwrap();
        assert_eq!(key.as_bytes()[..], hex_bytes(&v, "aes_key_hex"));
    }

    #[test]
    fn vector_fingerprint_matches_from_pem_and_from_private_key() {
        let v = section("rsa_oaep");
        let public = PublicKey::from_pem(text(&v, "public_key_pem")).unwrap();
        assert_eq!(public.fingerprint(), text(&v, "spki_fingerprint"));
        assert_eq!(public.fingerprint().len(), 71);
        assert_eq!(
            vector_private_key().public_key().fingerprint(),
            public.fingerprint()
        );
        assert_eq!(public.to_pem(), text(&v, "public_key_pem"));
        assert_eq!(public.modulus_bits(), 2048);
    }

    #[test]
    fn client_wrapped_key_unwraps_with_the_vector_private_key() {
        let v = section("rsa_oaep");
        let public = PublicKey::from_pem(text(&v, "public_key_pem")).unwrap();
        let key = AesKey::generate();
        let secret = public.wrap_key(&key).unwrap();
        assert_eq!(BASE64.decode(&secret).unwrap().len(), 256);
        assert_eq!(vector_private_key().unwrap_key(&secret).unwrap(), key);
    }

    #[test]
    fn generated_key_round_trips_through_pem_and_wraps() {
        let private = PrivateKey::generate(DEFAULT_RSA_BITS).unwrap();
        let reread = PrivateKey::from_pkcs8_pem(&private.to_pkcs8_pem()).unwrap();
        let public = PublicKey::from_pem(&reread.public_key().to_pem()).unwrap();
        assert_eq!(public, private.public_key());
        let key = AesKey::generate();
        let secret = public.wrap_key(&key).unwrap();
        assert_eq!(private.unwrap_key(&secret).unwrap(), key);
        assert!(!format!("{private:?}").contains(&*private.to_pkcs8_pem()));
    }

    #[test]
    fn mgf1_sha1_secrets_are_accepted() {
        let private = vector_private_key();
        let wrapped = private
            .key
            .to_public_key()
            .encrypt(
                &mut OsRng,
                Oaep::new_with_mgf_hash::<Sha256, Sha1>(),
                &[9; 32],
            )
            .unwrap();
        let key = private.unwrap_key(&BASE64.encode(wrapped)).unwrap();
        assert_eq!(key.as_bytes(), &[9; 32]);
    }

    #[test]
    fn bad_secrets_are_refused() {
        let private = vector_private_key();
        let public = private.public_key();
        let short_plain = public
            .key
            .encrypt(&mut OsRng, Oaep::new::<Sha256>(), &[1; 16])
            .unwrap();
        let mut flipped = BASE64
            .decode(text(&section("rsa_oaep"), "encrypted_secret_b64"))
            .unwrap();
        flipped[100] ^= 1;
        let cases = [
            ("%%%".to_owned(), "not base64"),
            (BASE64.encode([0; 255]), "length differs from the modulus"),
            (BASE64.encode(flipped), "RSA-OAEP decryption failed"),
            (BASE64.encode(short_plain), "not a 32-byte key"),
        ];
        for (secret, why) in cases {
            assert_eq!(
                private.unwrap_key(&secret),
                Err(CryptoError::InvalidSecret(why))
            );
        }
    }

    #[test]
    fn small_non_rsa_and_malformed_public_keys_are_refused() {
        assert_eq!(
            PublicKey::from_pem(RSA_1024_PEM),
            Err(CryptoError::KeyTooSmall { bits: 1024 })
        );
        assert_eq!(PublicKey::from_pem(EC_P256_PEM), Err(CryptoError::NotRsa));
        for bad in [
            "",
            "ssh-rsa AAAA",
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
            "-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----\n",
        ] {
            assert!(
                matches!(
                    PublicKey::from_pem(bad),
                    Err(CryptoError::InvalidPublicKey(_))
                ),
                "{bad:?}"
            );
        }
        assert!(matches!(
            PublicKey::from_der(&[0x30, 0x03, 0x02, 0x01]),
            Err(CryptoError::InvalidPublicKey(_))
        ));
        assert_eq!(
            PrivateKey::generate(1024).unwrap_err(),
            CryptoError::KeyTooSmall { bits: 1024 }
        );
        assert!(matches!(
            PrivateKey::from_pkcs8_pem("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----"),
            Err(CryptoError::InvalidPrivateKey(_))
        ));
    }
}

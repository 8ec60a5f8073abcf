//! Key ids (spec §6, "stored per key id"): which API key owns each one and the AES key its
//! parts are sealed under. Saved to `DATA_DIR/logflux-sessions.json` on every complete, so a
//! restarted collector still knows the key ids its clients hold and they need no new handshake.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use chrono::{DateTime, Utc};
use ferrolog::wire::logflux::crypto::AesKey;
use ferrolog::wire::logflux::handshake::new_key_id;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::private_file;

pub const FILE_NAME: &str = "logflux-sessions.json";

/// One key id as the file holds it. Only a hash of the API key is kept: the file must not
/// hand out the keys that authenticate clients.
#[derive(Serialize, Deserialize)]
struct Saved {
    api_key_sha256: String,
    /// Base64 of the 32-byte AES key.
    key: Zeroizing<String>,
    created_at: String,
}

struct Owned {
    api_key_sha256: String,
    key: AesKey,
    created_at: String,
}

pub struct Sessions {
    path: PathBuf,
    by_id: BTreeMap<String, Owned>,
}

impl Sessions {
    /// Reads the key ids saved in `data_dir`; none when the file does not exist yet. A
    /// malformed file stops the collector rather than silently forgetting every client.
    pub fn load(data_dir: &Path) -> Result<Sessions, String> {
        let path = data_dir.join(FILE_NAME);
        let fail = |why: String| format!("{}: {why}", path.display());
        let saved: BTreeMap<String, Saved> = match fs::read(&path) {
            Ok(text) => serde_json::from_slice(&Zeroizing::new(text))
                .map_err(|e| fail(format!("not a sessions file: {e}")))?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => return Err(fail(e.to_string())),
        };
        let mut by_id = BTreeMap::new();
        for (key_id, saved) in saved {
            let bytes = Zeroizing::new(
                BASE64
                    .decode(saved.key.as_bytes())
                    .map_err(|_| fail(format!("the key of {key_id} is not base64")))?,
            );
            let key = AesKey::from_slice(&bytes)
                .map_err(|_| fail(format!("the key of {key_id} is not 32 bytes")))?;
            let owned = Owned {
                api_key_sha256: saved.api_key_sha256,
                key,
                created_at: saved.created_at,
            };
            by_id.insert(key_id, owned);
        }
        Ok(Sessions { path, by_id })
    }

    /// Gives `key` a new key id owned by `api_key` and saves it before answering, so a key id
    /// a client was told is never lost by a restart. On a failed save nothing is kept.
    pub fn create(&mut self, api_key: &str, key: AesKey) -> io::Result<String> {
        let key_id = new_key_id();
        let created_at = DateTime::<Utc>::from(SystemTime::now())
            .format("%Y-%m-%dT%H:%M:%S%.6fZ")
            .to_string();
        let owned = Owned {
            api_key_sha256: fingerprint(api_key),
            key,
            created_at,
        };
        self.by_id.insert(key_id.clone(), owned);
        if let Err(e) = self.save() {
            self.by_id.remove(&key_id);
            return Err(e);
        }
        Ok(key_id)
    }

    /// The AES keys of `key_ids`, if `api_key` owns every one of them; else the first key id
    /// it does not own (unknown, or another API key's).
    pub fn keys_for<'a>(
        &self,
        api_key: &str,
        key_ids: impl IntoIterator<Item = &'a str>,
    ) -> Result<HashMap<String, AesKey>, String> {
        let owner = fingerprint(api_key);
        let mut keys = HashMap::new();
        for key_id in key_ids {
            match self.by_id.get(key_id) {
                Some(owned) if owned.api_key_sha256 == owner => {
                    keys.insert(key_id.to_owned(), owned.key.clone());
                }
                _ => return Err(key_id.to_owned()),
            }
        }
        Ok(keys)
    }

    fn save(&self) -> io::Result<()> {
        let saved: BTreeMap<&str, Saved> = self
            .by_id
            .iter()
            .map(|(key_id, owned)| {
                let saved = Saved {
                    api_key_sha256: owned.api_key_sha256.clone(),
                    key: Zeroizing::new(BASE64.encode(owned.key.as_bytes())),
                    created_at: owned.created_at.clone(),
                };
                (key_id.as_str(), saved)
            })
            .collect();
        let text = Zeroizing::new(serde_json::to_vec_pretty(&saved)?);
        private_file::write(&self.path, &text)
    }
}

fn fingerprint(api_key: &str) -> String {
    hex::encode(Sha256::digest(api_key.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_survive_a_reload_and_belong_to_their_api_key() {
        let dir = tempfile::tempdir().unwrap();
        let mut sessions = Sessions::load(dir.path()).unwrap();
        let key = AesKey::generate();
        let id = sessions.create("eu-lf_a", key.clone()).unwrap();
        let other = sessions.create("eu-lf_b", AesKey::generate()).unwrap();

        let reloaded = Sessions::load(dir.path()).unwrap();
        let keys = reloaded.keys_for("eu-lf_a", [id.as_str()]).unwrap();
        assert_eq!(keys[&id], key);
        assert_eq!(
            reloaded.keys_for("eu-lf_a", [id.as_str(), other.as_str()]),
            Err(other.clone())
        );
        assert_eq!(
            reloaded.keys_for("eu-lf_a", ["nope"]),
            Err("nope".to_owned())
        );

        let text = fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
        assert!(!text.contains("eu-lf_a"), "the API key itself is not saved");
    }

    #[test]
    fn a_malformed_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        for text in [
            "[]",
            r#"{"id":{"api_key_sha256":"x","key":"!!","created_at":"t"}}"#,
            r#"{"id":{"api_key_sha256":"x","key":"AAAA","created_at":"t"}}"#,
        ] {
            fs::write(&path, text).unwrap();
            assert!(Sessions::load(dir.path()).is_err(), "{text}");
        }
    }
}

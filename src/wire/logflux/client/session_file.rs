//! Key persistence (spec §5.4): one session file per (API key, base URL), so a restart reuses
//! the key instead of making a new handshake. The directory is 0700 and the file 0600, written
//! atomically; a file that is unreadable, malformed, too open or too old is ignored.

use std::fs::{self, DirBuilder, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroize;

use crate::wire::logflux::crypto::AesKey;
use crate::wire::logflux::{Limits, Session};

pub struct SessionFile {
    path: PathBuf,
    base_url: String,
    /// A session older than this is replaced by a new handshake.
    max_age: Option<Duration>,
}

/// The file's content. The key is base64 text, wiped from memory once read or written.
#[derive(Serialize, Deserialize)]
struct Stored {
    key: String,
    key_id: String,
    base_url: String,
    max_batch_size: usize,
    max_payload_size: usize,
    max_request_size: usize,
    created_at: u64,
}

impl Drop for Stored {
    fn drop(&mut self) {
        self.key.zeroize();
    }
}

impl SessionFile {
    /// The session file for `api_key` at `base_url` under `dir`. Its name is a hash of both,
    /// never the key itself.
    pub fn new(dir: PathBuf, api_key: &str, base_url: &str, rotation_days: u32) -> SessionFile {
        let mut hash = Sha256::new();
        hash.update(api_key.as_bytes());
        hash.update(b"\n");
        hash.update(base_url.as_bytes());
        let name = hex::encode(hash.finalize());
        SessionFile {
            path: dir.join(format!("{}.json", &name[..32])),
            base_url: base_url.to_owned(),
            max_age: (rotation_days > 0)
                .then(|| Duration::from_secs(u64::from(rotation_days) * 86_400)),
        }
    }

    /// `~/.ferrolog/sessions`, when there is a home directory.
    pub fn default_dir() -> Option<PathBuf> {
        std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".ferrolog").join("sessions"))
    }

    /// The stored session if there is a usable one; `Err` says why a file present was not.
    pub fn load(&self) -> Result<Option<Session>, String> {
        let metadata = match fs::metadata(&self.path) {
            Ok(metadata) => metadata,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("session file unreadable: {e}")),
        };
        if metadata.permissions().mode() & 0o077 != 0 {
            return Err("session file is readable by others; ignoring it".into());
        }
        let text = fs::read(&self.path).map_err(|e| format!("session file unreadable: {e}"))?;
        let stored: Stored =
            serde_json::from_slice(&text).map_err(|e| format!("session file malformed: {e}"))?;
        if stored.base_url != self.base_url {
            return Err("session file belongs to another endpoint".into());
        }
        let age = now_secs().saturating_sub(stored.created_at);
        if self
            .max_age
            .is_some_and(|max| Duration::from_secs(age) > max)
        {
            return Ok(None);
        }
        let mut key_bytes = STANDARD
            .decode(&stored.key)
            .map_err(|_| "session file key is not base64".to_owned())?;
        let key = AesKey::from_slice(&key_bytes).map_err(|e| format!("session file key: {e}"));
        key_bytes.zeroize();
        Ok(Some(Session {
            key: key?,
            key_id: stored.key_id.clone(),
            limits: Limits {
                max_batch_size: stored.max_batch_size,
                max_payload_size: stored.max_payload_size,
                max_request_size: stored.max_request_size,
            },
        }))
    }

    /// Writes `session` to a temporary file created 0600 and renames it into place.
    pub fn save(&self, session: &Session) -> Result<(), String> {
        let dir = self.path.parent().ok_or("session path has no directory")?;
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let stored = Stored {
            key: STANDARD.encode(session.key.as_bytes()),
            key_id: session.key_id.clone(),
            base_url: self.base_url.clone(),
            max_batch_size: session.limits.max_batch_size,
            max_payload_size: session.limits.max_payload_size,
            max_request_size: session.limits.max_request_size,
            created_at: now_secs(),
        };
        let mut json = serde_json::to_vec(&stored).map_err(|e| e.to_string())?;
        let temporary = self
            .path
            .with_extension(format!("tmp{}", std::process::id()));
        let written = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&temporary)
            .and_then(|mut file| file.write_all(&json).and_then(|()| file.sync_all()))
            .and_then(|()| fs::rename(&temporary, &self.path));
        json.zeroize();
        written.map_err(|e| {
            let _ = fs::remove_file(&temporary);
            format!("cannot write the session file: {e}")
        })
    }

    /// Forgets the stored session, after the server refused its key.
    pub fn discard(&self) {
        let _ = fs::remove_file(&self.path);
    }
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> PathBuf {
        std::env::temp_dir().join(format!(
            "ferrolog-sessions-{}-{}",
            std::process::id(),
            fastrand::u64(..)
        ))
    }

    fn session() -> Session {
        Session {
            key: AesKey::from_bytes([7; 32]),
            key_id: "kid-1".into(),
            limits: Limits {
                max_batch_size: 10,
                ..Limits::default()
            },
        }
    }

    #[test]
    fn a_saved_session_is_reused_with_private_modes() {
        let dir = dir().join("nested");
        let file = SessionFile::new(dir.clone(), "eu-lf_secret", "http://127.0.0.1:1", 0);
        assert!(file.load().unwrap().is_none());
        file.save(&session()).unwrap();
        let loaded = file.load().unwrap().unwrap();
        assert_eq!(
            (loaded.key_id.as_str(), loaded.key.as_bytes()),
            ("kid-1", &[7; 32])
        );
        assert_eq!(loaded.limits.max_batch_size, 10);
        assert_eq!(
            fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
            0o700
        );
        assert_eq!(
            fs::metadata(&file.path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let name = file
            .path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(!name.contains("secret") && name.len() == 32 + ".json".len());
        let text = fs::read_to_string(&file.path).unwrap();
        assert!(
            !text.contains("eu-lf_secret"),
            "the API key is never stored"
        );
        file.discard();
        assert!(file.load().unwrap().is_none());
        let _ = fs::remove_dir_all(dir.parent().unwrap());
    }

    #[test]
    fn unusable_files_are_ignored_with_a_reason() {
        let dir = dir();
        let file = SessionFile::new(dir.clone(), "k", "http://a", 0);
        file.save(&session()).unwrap();
        fs::set_permissions(&file.path, fs::Permissions::from_mode(0o644)).unwrap();
        assert!(file.load().unwrap_err().contains("readable by others"));
        fs::set_permissions(&file.path, fs::Permissions::from_mode(0o600)).unwrap();
        fs::write(&file.path, b"{not json").unwrap();
        assert!(file.load().unwrap_err().contains("malformed"));
        let other = SessionFile::new(dir.clone(), "k", "http://b", 0);
        file.save(&session()).unwrap();
        fs::rename(&file.path, &other.path).unwrap();
        assert!(other.load().unwrap_err().contains("another endpoint"));
        let _ = fs::remove_dir_all(dir);
    }

    #[test]
    fn rotation_retires_old_sessions() {
        let dir = dir();
        let file = SessionFile::new(dir.clone(), "k", "http://a", 1);
        file.save(&session()).unwrap();
        assert!(file.load().unwrap().is_some(), "a fresh session is kept");
        let mut stored: serde_json::Value =
            serde_json::from_slice(&fs::read(&file.path).unwrap()).unwrap();
        stored["created_at"] = (now_secs() - 2 * 86_400).into();
        fs::write(&file.path, stored.to_string()).unwrap();
        assert!(
            file.load().unwrap().is_none(),
            "older than key_rotation_days"
        );
        let _ = fs::remove_dir_all(dir);
    }
}

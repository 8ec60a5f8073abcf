//! The collector's RSA key pair (spec §6): made once, kept in `DATA_DIR/logflux-key.pem`, so
//! a restarted collector answers init with the same public key.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use ferrolog::wire::logflux::crypto::{PrivateKey, DEFAULT_RSA_BITS};
use tokio::sync::OnceCell;
use zeroize::Zeroizing;

use super::private_file;

pub const FILE_NAME: &str = "logflux-key.pem";

pub struct KeyPair {
    path: PathBuf,
    /// Empty until a missing key pair is made; a failure to make or save one is kept, so every
    /// handshake reports it rather than each trying again.
    key: OnceCell<Result<PrivateKey, String>>,
}

impl KeyPair {
    /// Reads the key pair from `data_dir` if it has one. An unreadable or malformed file stops
    /// the collector rather than being replaced: it may be a key the operator put there.
    pub fn open(data_dir: &Path) -> Result<KeyPair, String> {
        let path = data_dir.join(FILE_NAME);
        let key = match fs::read_to_string(&path) {
            Ok(pem) => {
                let pem = Zeroizing::new(pem);
                let key = PrivateKey::from_pkcs8_pem(&pem)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                OnceCell::new_with(Some(Ok(key)))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => OnceCell::new(),
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        Ok(KeyPair { path, key })
    }

    /// The private key; the first call without one makes it and saves it (PKCS#8 PEM, mode
    /// 0600). Making an RSA key takes seconds in debug builds, so it runs on a blocking thread
    /// and concurrent callers wait for the one key.
    pub async fn private_key(&self) -> Result<&PrivateKey, &str> {
        let made = self.key.get_or_init(|| {
            let path = self.path.clone();
            async move {
                tokio::task::spawn_blocking(move || generate(&path))
                    .await
                    .unwrap_or_else(|e| Err(format!("making the LogFlux key pair failed: {e}")))
            }
        });
        made.await.as_ref().map_err(String::as_str)
    }
}

fn generate(path: &Path) -> Result<PrivateKey, String> {
    let key = PrivateKey::generate(DEFAULT_RSA_BITS)
        .map_err(|e| format!("cannot make the LogFlux key pair: {e}"))?;
    private_file::write(path, key.to_pkcs8_pem().as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_made_key_is_reloaded_and_a_bad_file_refused() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let made = KeyPair::open(dir.path()).unwrap();
        let made = runtime.block_on(made.private_key()).unwrap().public_key();
        let reloaded = KeyPair::open(dir.path()).unwrap();
        let reloaded = runtime
            .block_on(reloaded.private_key())
            .unwrap()
            .public_key();
        assert_eq!(made, reloaded);

        fs::write(dir.path().join(FILE_NAME), "not a key").unwrap();
        let err = KeyPair::open(dir.path()).err().unwrap();
        assert!(err.contains(FILE_NAME), "{err}");
    }
}

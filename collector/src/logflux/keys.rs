//! The collector's RSA key pair (spec §6): made once, kept in `DATA_DIR/logflux-key.pem`, so
//! a restarted collector answers init with the same public key.

use std::fs;
use std::io;
use std::path::Path;

use ferrolog::wire::logflux::crypto::{PrivateKey, DEFAULT_RSA_BITS};
use zeroize::Zeroizing;

use super::private_file;

pub const FILE_NAME: &str = "logflux-key.pem";

/// Reads the key pair from `data_dir`, or makes one and saves it there (PKCS#8 PEM, mode 0600).
/// An unreadable or malformed file stops the collector rather than being replaced: it may be
/// a key the operator put there on purpose.
pub fn load_or_generate(data_dir: &Path) -> Result<PrivateKey, String> {
    let path = data_dir.join(FILE_NAME);
    match fs::read_to_string(&path) {
        Ok(pem) => {
            let pem = Zeroizing::new(pem);
            PrivateKey::from_pkcs8_pem(&pem).map_err(|e| format!("{}: {e}", path.display()))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let key = PrivateKey::generate(DEFAULT_RSA_BITS)
                .map_err(|e| format!("cannot make the LogFlux key pair: {e}"))?;
            private_file::write(&path, key.to_pkcs8_pem().as_bytes())
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            Ok(key)
        }
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_made_key_is_reloaded_and_a_bad_file_refused() {
        let dir = tempfile::tempdir().unwrap();
        let made = load_or_generate(dir.path()).unwrap();
        let reloaded = load_or_generate(dir.path()).unwrap();
        assert_eq!(made.public_key(), reloaded.public_key());

        fs::write(dir.path().join(FILE_NAME), "not a key").unwrap();
        let err = load_or_generate(dir.path()).unwrap_err();
        assert!(err.contains(FILE_NAME), "{err}");
    }
}

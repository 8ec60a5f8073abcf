//! A spool directory for a test.

use std::path::PathBuf;

/// A spool directory of its own, removed on drop.
pub struct SpoolDir(pub PathBuf);

impl SpoolDir {
    pub fn new() -> SpoolDir {
        SpoolDir(std::env::temp_dir().join(format!(
            "ferrolog-spool-test-{}-{}",
            std::process::id(),
            fastrand::u64(..)
        )))
    }

    pub fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }

    pub fn segments(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "seg"))
            .collect();
        files.sort();
        files
    }
}

impl Drop for SpoolDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

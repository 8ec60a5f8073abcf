//! One client per spool directory: an exclusive `flock` on `spool.lock`, held as long as the
//! spool is open and released by the kernel when the process ends, however it ends.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use rustix::fs::{flock, FlockOperation};

pub struct DirLock {
    _file: File,
}

impl DirLock {
    pub fn acquire(dir: &Path) -> io::Result<DirLock> {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .mode(0o600)
            .open(dir.join("spool.lock"))?;
        flock(&file, FlockOperation::NonBlockingLockExclusive).map_err(|errno| {
            if errno == rustix::io::Errno::WOULDBLOCK {
                io::Error::new(
                    io::ErrorKind::WouldBlock,
                    "another client is using this spool directory",
                )
            } else {
                io::Error::from(errno)
            }
        })?;
        Ok(DirLock { _file: file })
    }
}

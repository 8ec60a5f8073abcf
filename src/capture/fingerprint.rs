//! Fingerprints: one stable id for every occurrence of the same error (docs/fingerprint.md).
//!
//! The canonical text names the error type and, innermost first, each frame's normalized
//! module and function; an error without usable frames names its masked message instead.
//! Line numbers and directories never enter it.

use sha2::{Digest, Sha256};

use super::error::Frame;
use super::mask::mask_message;
use super::normalize::{clean, normalize_function, normalize_module};

/// The first line of the canonical text; a change of any rule bumps it.
const VERSION_LINE: &str = "ferrolog-fingerprint-v1\n";

/// The text the fingerprint hashes, exposed so tests and other implementations can compare it.
pub fn canonical_text(error_type: &str, message: &str, frames: &[Frame]) -> String {
    let mut text = format!("{VERSION_LINE}type\t{}\n", clean(error_type));
    let mut previous: Option<(String, String)> = None;
    for frame in frames {
        let key = (
            normalize_module(&frame.module),
            normalize_function(&frame.function),
        );
        // Frames that say nothing, and repeats of the frame before (recursion of any depth),
        // add nothing.
        if (key.0.is_empty() && key.1.is_empty()) || previous.as_ref() == Some(&key) {
            continue;
        }
        text.push_str(&format!("frame\t{}\t{}\n", key.0, key.1));
        previous = Some(key);
    }
    if previous.is_none() {
        text.push_str(&format!("message\t{}\n", clean(&mask_message(message))));
    }
    text
}

/// The first 16 bytes of SHA-256 over the canonical text, as 32 lowercase hex digits.
pub fn fingerprint(error_type: &str, message: &str, frames: &[Frame]) -> String {
    let digest = Sha256::digest(canonical_text(error_type, message, frames).as_bytes());
    hex::encode(&digest[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(function: &str, module: &str, line: u32) -> Frame {
        Frame::new(function, module, Some(line))
    }

    /// SHA-256 of a canonical text written out by hand, as a shim author would compute it.
    fn independent(canonical: &str) -> String {
        let digest = Sha256::digest(canonical.as_bytes());
        digest[..16].iter().map(|b| format!("{b:02x}")).collect()
    }

    fn python_frames(root: &str, first_line: u32) -> Vec<Frame> {
        vec![
            frame(
                "load_user",
                &format!("{root}/app/repository.py"),
                first_line,
            ),
            frame(
                "Service.get",
                &format!("{root}/app/service.py"),
                first_line + 10,
            ),
            frame("<module>", &format!("{root}/main.py"), 3),
        ]
    }

    #[test]
    fn golden_python_fingerprint() {
        let frames = python_frames("/srv/app", 12);
        let canonical = "ferrolog-fingerprint-v1\ntype\tKeyError\n\
                         frame\trepository\tload_user\nframe\tservice\tService.get\n\
                         frame\tmain\t<module>\n";
        assert_eq!(canonical_text("KeyError", "'id'", &frames), canonical);
        let computed = fingerprint("KeyError", "'id'", &frames);
        assert_eq!(computed, independent(canonical));
        assert_eq!(computed, "734dd4be66ae6fee6f064ea2c08fe0e0");
    }

    #[test]
    fn golden_go_fingerprint() {
        let frames = vec![
            frame(
                "github.com/acme/api/store.(*DB).Query.func1",
                "/root/go/pkg/mod/github.com/acme/api@v1.4.0/store/db.go",
                88,
            ),
            frame(
                "github.com/acme/api/store.(*DB).Query",
                "/root/go/pkg/mod/github.com/acme/api@v1.4.0/store/db.go",
                80,
            ),
            frame("main.main", "/src/cmd/api/main.go", 20),
        ];
        let canonical = "ferrolog-fingerprint-v1\ntype\t*errors.errorString\n\
                         frame\tdb\tgithub.com/acme/api/store.(*DB).Query\n\
                         frame\tmain\tmain.main\n";
        assert_eq!(
            canonical_text("*errors.errorString", "x", &frames),
            canonical
        );
        let computed = fingerprint("*errors.errorString", "x", &frames);
        assert_eq!(computed, independent(canonical));
        assert_eq!(computed, "b20375a39bbc27529afb4627912a430a");
    }

    #[test]
    fn golden_frameless_fingerprint() {
        let canonical = "ferrolog-fingerprint-v1\ntype\tTimeoutError\n\
                         message\trequest <str> timed out after <n> ms\n";
        let message = "request \"GET /users/42\" timed out after 3000 ms";
        assert_eq!(canonical_text("TimeoutError", message, &[]), canonical);
        let computed = fingerprint("TimeoutError", message, &[]);
        assert_eq!(computed, independent(canonical));
        assert_eq!(computed, "d00e52b3ed6e19013094c2faa68ba79f");
    }

    #[test]
    fn lines_and_directories_do_not_matter() {
        let here = fingerprint("KeyError", "'id'", &python_frames("/srv/app", 12));
        let there = fingerprint("KeyError", "'name'", &python_frames("C:\\deploy\\v2", 40));
        assert_eq!(here, there);
    }

    #[test]
    fn functions_types_and_order_do_matter() {
        let base = python_frames("/srv/app", 12);
        let reference = fingerprint("KeyError", "m", &base);
        let mut renamed = base.clone();
        renamed[0].function = "load_account".into();
        let mut reordered = base.clone();
        reordered.swap(0, 1);
        assert_ne!(fingerprint("KeyError", "m", &renamed), reference);
        assert_ne!(fingerprint("KeyError", "m", &reordered), reference);
        assert_ne!(fingerprint("ValueError", "m", &base), reference);
        assert_ne!(fingerprint("KeyError", "m", &base[1..]), reference);
    }

    #[test]
    fn with_frames_the_message_is_ignored_without_them_it_counts() {
        let frames = python_frames("/srv", 1);
        assert_eq!(
            fingerprint("E", "one thing", &frames),
            fingerprint("E", "another", &frames)
        );
        assert_ne!(
            fingerprint("E", "disk full", &[]),
            fingerprint("E", "disk gone", &[])
        );
        assert_eq!(
            fingerprint("E", "user 1 gone", &[]),
            fingerprint("E", "user 22 gone", &[])
        );
    }

    #[test]
    fn empty_frames_fall_back_to_the_message_and_repeats_count_once() {
        let blank = [
            Frame::new("", "", Some(4)),
            Frame::new("{{closure}}", " ", None),
        ];
        assert_eq!(fingerprint("E", "m", &blank), fingerprint("E", "m", &[]));
        let recurse = |depth| -> Vec<Frame> {
            let mut frames = vec![frame("walk", "tree.rs", 9); depth];
            frames.push(frame("main", "main.rs", 2));
            frames
        };
        assert_eq!(
            fingerprint("E", "m", &recurse(3)),
            fingerprint("E", "m", &recurse(300))
        );
    }

    #[test]
    fn rust_closures_and_hashes_of_two_builds_agree() {
        let build = |hash: &str| {
            vec![
                frame(
                    &format!("app::run::{{{{closure}}}}::{hash}"),
                    "/ci/1/src/run.rs",
                    5,
                ),
                frame(&format!("app::run::{hash}"), "/ci/1/src/run.rs", 9),
            ]
        };
        assert_eq!(
            fingerprint("app::Error", "m", &build("h0123456789abcdef")),
            fingerprint("app::Error", "m", &build("hfedcba9876543210"))
        );
    }

    #[test]
    fn fields_cannot_forge_lines() {
        let forged = [Frame::new("f\nframe\tx\ty", "m", None)];
        assert_eq!(canonical_text("E", "", &forged).lines().count(), 3);
    }

    #[test]
    fn fingerprints_are_32_lowercase_hex() {
        let value = fingerprint("E", "m", &[]);
        assert_eq!(value.len(), 32);
        assert!(value
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    }
}

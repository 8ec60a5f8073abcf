//! Frames of the calling thread, for callers (C, Rust) that bring none of their own.
//!
//! Capturing records return addresses only, cheap enough for the caller's thread; resolving
//! them to names, files and lines (reading debug info) is slow and belongs on the worker.

use super::error::{Frame, MAX_FRAMES};

/// Innermost frames that belong to the capture itself or to ferrolog's entry layers, not to the
/// caller's code.
const OWN_PREFIXES: &[&str] = &[
    "backtrace::",
    "ferrolog::capture::native::NativeBacktrace::",
    "ferrolog::entry::error::ErrorReport::",
    "ferrolog::client::",
    "ferrolog::ffi::",
    // The C exports, named without a path.
    "ferrolog_",
];

/// Frames of the Rust runtime, the panic machinery and the C start-up code: the same in every
/// program, wherever they appear. With debug info, a file in the toolchain's library sources
/// (`/rustc/<commit>/library/`) marks a standard-library frame; without it, these names do.
const RUNTIME_PREFIXES: &[&str] = &[
    "std::rt::",
    "std::sys::",
    "<std::sys::",
    "std::panicking::",
    "std::panic::",
    "std::thread::",
    "<std::thread::",
    "core::panicking::",
    "core::ops::function::",
    "__rustc::",
    "__rust_",
    "rust_begin_unwind",
];
/// Runtime shims whose names start with the type they wrap: closure calls through `Fn*` traits,
/// the unwind guard, the frame every Rust thread and `main` begins with.
const RUNTIME_INFIXES: &[&str] = &[
    " as core::ops::function::Fn",
    "core::panic::unwind_safe::AssertUnwindSafe",
    "__rust_begin_short_backtrace",
];
const RUNTIME_SYMBOLS: &[&str] = &[
    "__libc_start_main",
    "__libc_start_main_impl",
    "__libc_start_call_main",
    "_start",
    "start_thread",
    "thread_start",
    "clone",
    "clone3",
];

/// The return addresses of the calling thread, not yet resolved.
#[derive(Clone, Debug)]
pub struct NativeBacktrace(backtrace::Backtrace);

impl NativeBacktrace {
    /// Records the caller's stack. Never inlined, so that its own frame is there to cut off.
    #[inline(never)]
    pub fn capture() -> NativeBacktrace {
        NativeBacktrace(backtrace::Backtrace::new_unresolved())
    }

    /// Resolves symbols and returns the caller's frames, innermost first, without ferrolog's and
    /// the runtime's, at most [`MAX_FRAMES`]. Each frame's module is its source file when
    /// debug info names one, else the function's module path.
    pub fn resolve(mut self) -> Vec<Frame> {
        self.0.resolve();
        let resolved = self
            .0
            .frames()
            .iter()
            // An inlined call resolves to several symbols at one address, innermost first.
            .flat_map(|frame| frame.symbols())
            .map(|symbol| {
                let function = symbol
                    .name()
                    .map(|name| format!("{name:#}"))
                    .unwrap_or_default();
                let module = match symbol.filename() {
                    Some(file) => file.display().to_string(),
                    None => module_path(&function).to_owned(),
                };
                Frame::new(function, module, symbol.lineno())
            });
        callers_frames(resolved)
    }
}

/// Drops the innermost run of ferrolog's own frames, every runtime frame, and frames that name
/// nothing; keeps at most [`MAX_FRAMES`].
fn callers_frames(frames: impl Iterator<Item = Frame>) -> Vec<Frame> {
    frames
        .skip_while(|frame| is_own(&frame.function) || is_runtime(frame))
        .filter(|frame| !is_runtime(frame))
        .filter(|frame| !(frame.function.is_empty() && frame.module.is_empty()))
        .take(MAX_FRAMES)
        .collect()
}

fn is_own(function: &str) -> bool {
    OWN_PREFIXES
        .iter()
        .any(|prefix| function.starts_with(prefix))
}

fn is_runtime(frame: &Frame) -> bool {
    let function = frame.function.as_str();
    let module = frame.module.replace('\\', "/");
    (module.contains("/rustc/") && module.contains("/library/"))
        || RUNTIME_PREFIXES
            .iter()
            .any(|prefix| function.starts_with(prefix))
        || RUNTIME_INFIXES.iter().any(|infix| function.contains(infix))
        || RUNTIME_SYMBOLS.contains(&function)
}

/// Frees what resolving symbols keeps for the next resolution (the debug info it read), so a
/// host that checks for leaks at exit finds none; the next resolution reads it again.
pub fn release_symbol_cache() {
    backtrace::clear_symbol_cache();
}

/// `app::db::connect` → `app::db`; a name without a path (a C function) has none.
fn module_path(function: &str) -> &str {
    function.rsplit_once("::").map_or("", |(path, _)| path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[inline(never)]
    fn capture_through_a_helper() -> Vec<Frame> {
        NativeBacktrace::capture().resolve()
    }

    #[test]
    fn native_capture_starts_at_the_callers_own_frame() {
        let frames = NativeBacktrace::capture().resolve();
        let first = &frames[0];
        assert!(
            first
                .function
                .ends_with("native_capture_starts_at_the_callers_own_frame"),
            "{frames:#?}"
        );
        assert!(first.module.ends_with("native.rs"), "{first:?}");
        assert!(first.line.is_some_and(|line| line > 100), "{first:?}");
        assert!(
            !first.function.contains("::h"),
            "demangled without hash: {first:?}"
        );
        assert!(frames
            .iter()
            .all(|f| !is_runtime(f) && !is_own(&f.function)));
        assert!(
            frames.iter().all(|f| !f.module.contains("/rustc/")),
            "{frames:#?}"
        );
    }

    #[test]
    fn native_frames_are_innermost_first() {
        let frames = capture_through_a_helper();
        assert!(
            frames[0].function.ends_with("capture_through_a_helper"),
            "{frames:#?}"
        );
        assert!(frames[1]
            .function
            .ends_with("native_frames_are_innermost_first"));
    }

    #[test]
    fn a_capture_can_be_resolved_on_another_thread() {
        let captured = NativeBacktrace::capture();
        let frames = std::thread::spawn(move || captured.resolve())
            .join()
            .unwrap();
        assert!(frames[0]
            .function
            .ends_with("a_capture_can_be_resolved_on_another_thread"));
    }

    fn named(functions: &[&str]) -> Vec<Frame> {
        functions.iter().map(|f| Frame::new(*f, "", None)).collect()
    }

    #[test]
    fn ferrolog_and_runtime_frames_are_dropped() {
        let frames = named(&[
            "backtrace::backtrace::trace",
            "ferrolog::capture::native::NativeBacktrace::capture",
            "std::panicking::try",
            "ferrolog::ffi::entries::ferrolog_capture_error",
            "app::db::connect",
            "core::ops::function::FnOnce::call_once",
            "<fn() as core::ops::function::FnOnce<()>>::call_once",
            "ferrolog::client::Logger::log",
            "<core::panic::unwind_safe::AssertUnwindSafe<app::x::{closure#0}>>::call_once",
            "app::main",
            "std::rt::lang_start_internal",
            "std::sys::backtrace::__rust_begin_short_backtrace::<fn()>",
            "<std::sys::thread::unix::Thread>::new::thread_start",
            "main",
            "__libc_start_call_main",
            "__libc_start_main",
            "_start",
        ]);
        let kept: Vec<String> = callers_frames(frames.into_iter())
            .into_iter()
            .map(|f| f.function)
            .collect();
        // A ferrolog frame past the caller's first one is the caller's business (a callback).
        assert_eq!(
            kept,
            [
                "app::db::connect",
                "ferrolog::client::Logger::log",
                "app::main",
                "main"
            ]
        );
    }

    #[test]
    fn standard_library_sources_mark_runtime_frames() {
        let frames = vec![
            Frame::new(
                "<alloc::vec::Vec<u8>>::push",
                "/rustc/0123abcd/library/alloc/src/vec/mod.rs",
                Some(1),
            ),
            Frame::new("app::fill", "/src/app/fill.rs", Some(2)),
            Frame::new(
                "<alloc::vec::Vec<u8>>::push",
                "C:\\rustc\\0123abcd\\library\\alloc\\src\\vec\\mod.rs",
                None,
            ),
        ];
        let kept = callers_frames(frames.into_iter());
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].function, "app::fill");
    }

    #[test]
    fn empty_frames_are_dropped_and_the_cap_holds() {
        let mut frames = vec![Frame::default(), Frame::new("", "libfoo.so", None)];
        frames.extend((0..100).map(|i| Frame::new(format!("f{i}"), "", None)));
        let kept = callers_frames(frames.into_iter());
        assert_eq!(kept.len(), MAX_FRAMES);
        assert_eq!(kept[0].module, "libfoo.so");
    }

    #[test]
    fn a_module_path_is_the_function_without_its_name() {
        assert_eq!(module_path("app::db::connect"), "app::db");
        assert_eq!(
            module_path("<app::Db as core::ops::drop::Drop>::drop"),
            "<app::Db as core::ops::drop::Drop>"
        );
        assert_eq!(module_path("memcpy"), "");
    }
}

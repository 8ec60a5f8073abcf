//! The parts of a frame that stay the same across runs, machines and deploys.
//!
//! Every rule here is written down in docs/fingerprint.md, in the same order; a change here is
//! a change of every fingerprint and needs a new version there.

use std::sync::LazyLock;

use regex::Regex;

/// Rust's legacy mangling hash, which changes with every build: `::h0123456789abcdef`.
static RUST_HASH: LazyLock<Regex> = LazyLock::new(|| compiled(r"::h[0-9a-f]{16}$"));

/// Markers of anonymous functions, with the separator before them. Their numbering changes when
/// code is added around them, and the frame belongs to the enclosing function anyway.
static ANONYMOUS: LazyLock<Regex> = LazyLock::new(|| {
    compiled(concat!(
        r"(?:::|\.)?(?:",
        r"\{\{closure\}\}|\{\{constant\}\}|\{(?:closure|async_block|async_fn|constant)#[0-9]+\}",
        r"|<lambda>|<locals>|<anonymous>",
        r")"
    ))
});

/// Go: numbered closures (`.func1`, `.func2.3`) and `go` statement wrappers (`.gowrap1`).
static GO_CLOSURE: LazyLock<Regex> =
    LazyLock::new(|| compiled(r"(?:\.(?:func|gowrap)[0-9]+(?:\.[0-9]+)*)+(\.|$)"));

/// Go: the `[...]` of an instantiated generic function.
static GO_GENERIC: LazyLock<Regex> = LazyLock::new(|| compiled(r"\[\.\.\.\]"));

/// A `:line` or `:line:column` a runtime appended to a file name.
static LINE_SUFFIX: LazyLock<Regex> = LazyLock::new(|| compiled(r"(?::[0-9]+)+$"));

/// Source file extensions removed from a file's base name (only the last one).
const SOURCE_EXTENSIONS: &[&str] = &[
    "py", "pyc", "pyo", "pyw", "pyx", "js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx", "go",
    "rs", "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "hxx", "m", "mm", "java", "kt", "scala", "rb",
    "php", "swift", "cs", "ex", "exs", "erl", "lua", "pl", "dart", "zig",
];

/// Compiles one of the module's constant patterns; every one of them is exercised by the tests.
pub(super) fn compiled(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|error| unreachable!("bad pattern {pattern}: {error}"))
}

/// Trims ASCII whitespace at the ends and turns tabs and line breaks inside into spaces, so no
/// field can forge a line of the canonical text.
pub(crate) fn clean(text: &str) -> String {
    text.trim_matches([' ', '\t', '\n', '\r'])
        .replace(['\t', '\n', '\r'], " ")
}

/// A function name without build hashes and anonymous-function markers.
///
/// Each pattern runs only when a plain substring test says it can match: most names hold no
/// marker at all, and skipping the searches makes a plain name several times cheaper.
pub fn normalize_function(function: &str) -> String {
    let mut text = clean(function);
    if text.contains("::h") {
        text = RUST_HASH.replace(&text, "").into_owned();
    }
    if text.contains(['{', '<']) {
        text = ANONYMOUS.replace_all(&text, "").into_owned();
    }
    if text.contains(".func") || text.contains(".gowrap") {
        text = GO_CLOSURE.replace_all(&text, "$1").into_owned();
    }
    if text.contains("[...]") {
        text = GO_GENERIC.replace_all(&text, "").into_owned();
    }
    text.trim_end_matches(['.', ':']).to_owned()
}

/// A module or file reduced to what survives a move to another directory: the part after the
/// last `/` or `\`, without query, line suffix or source extension. A dotted or `::` module
/// name has no such parts and is kept whole.
pub fn normalize_module(module: &str) -> String {
    let text = clean(module);
    let text = text.split(['?', '#']).next().unwrap_or_default();
    let text = if text.ends_with(|c: char| c.is_ascii_digit()) {
        LINE_SUFFIX.replace(text, "")
    } else {
        text.into()
    };
    let base = text.rsplit(['/', '\\']).next().unwrap_or_default();
    match base.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() && SOURCE_EXTENSIONS.contains(&extension) => {
            stem.to_owned()
        }
        _ => base.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn functions(cases: &[(&str, &str)]) {
        for (raw, expected) in cases {
            assert_eq!(normalize_function(raw), *expected, "{raw:?}");
        }
    }

    fn modules(cases: &[(&str, &str)]) {
        for (raw, expected) in cases {
            assert_eq!(normalize_module(raw), *expected, "{raw:?}");
        }
    }

    #[test]
    fn rust_functions_lose_hashes_and_closures() {
        functions(&[
            (
                "myapp::db::connect::h0123456789abcdef",
                "myapp::db::connect",
            ),
            ("myapp::db::connect", "myapp::db::connect"),
            ("myapp::main::{{closure}}", "myapp::main"),
            (
                "myapp::main::{{closure}}::{{closure}}::h00000000deadbeef",
                "myapp::main",
            ),
            ("myapp::main::{closure#0}", "myapp::main"),
            ("myapp::serve::{async_block#3}", "myapp::serve"),
            ("myapp::serve::{async_fn#0}", "myapp::serve"),
            (
                "<myapp::Db as core::ops::drop::Drop>::drop",
                "<myapp::Db as core::ops::drop::Drop>::drop",
            ),
            // A hash-like segment elsewhere is part of the name.
            (
                "myapp::h0123456789abcdef::run",
                "myapp::h0123456789abcdef::run",
            ),
        ]);
    }

    #[test]
    fn python_functions_lose_lambda_and_locals() {
        functions(&[
            ("handle", "handle"),
            ("<lambda>", ""),
            ("outer.<locals>.inner", "outer.inner"),
            ("outer.<locals>.<lambda>", "outer"),
            ("<module>", "<module>"),
            ("<listcomp>", "<listcomp>"),
            ("Service.process", "Service.process"),
        ]);
    }

    #[test]
    fn go_functions_lose_closure_numbers_and_generic_markers() {
        functions(&[
            ("main.main", "main.main"),
            ("main.main.func1", "main.main"),
            ("main.main.func2.1", "main.main"),
            (
                "github.com/acme/api/handlers.(*Server).Get.func3",
                "github.com/acme/api/handlers.(*Server).Get",
            ),
            ("main.run.func1.gowrap1", "main.run"),
            ("main.Map[...]", "main.Map"),
            ("main.Map[...].func1", "main.Map"),
            // Only a whole segment is a closure.
            ("main.func1Helper", "main.func1Helper"),
            ("main.funcs", "main.funcs"),
        ]);
    }

    #[test]
    fn node_functions_lose_anonymous_markers() {
        functions(&[
            ("Object.<anonymous>", "Object"),
            ("<anonymous>", ""),
            ("Server.handleRequest", "Server.handleRequest"),
            ("processTicksAndRejections", "processTicksAndRejections"),
            ("  padded\tname\n", "padded name"),
        ]);
    }

    #[test]
    fn paths_become_base_names_without_extension() {
        modules(&[
            (
                "/home/alice/app/.venv/lib/python3.12/site-packages/requests/api.py",
                "api",
            ),
            ("/srv/deploy-42/app/handlers.py", "handlers"),
            ("app.py", "app"),
            (
                "/root/go/pkg/mod/github.com/acme/lib@v1.2.3/client.go",
                "client",
            ),
            ("/build/src/db/pool.rs", "pool"),
            ("src/db/pool.rs", "pool"),
            ("C:\\Users\\bob\\app\\main.cpp", "main"),
            ("file:///app/dist/server.js", "server"),
            ("/app/node_modules/express/lib/router/index.js", "index"),
            ("node:internal/process/task_queues", "task_queues"),
            ("/app/dist/bundle.min.js?v=3f2a", "bundle.min"),
            ("/app/server.js:10:5", "server"),
            ("/app/Makefile", "Makefile"),
            ("/app/.profile", ".profile"),
        ]);
    }

    #[test]
    fn module_names_are_kept_whole() {
        modules(&[
            ("myapp::db::pool", "myapp::db::pool"),
            ("myapp.db.pool", "myapp.db.pool"),
            ("node:fs", "node:fs"),
            ("", ""),
        ]);
    }
}

//! The committed header must be what cbindgen makes of `src/ffi/` today.
//! `FERROLOG_BLESS=1 cargo test --test header` (or `make header`) rewrites it.

use std::path::Path;

#[test]
fn committed_header_matches_the_ffi_sources() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("cbindgen.toml");
    let mut generated = Vec::new();
    // Only the ffi layer is read, so nothing public elsewhere in the crate can leak into C.
    cbindgen::Builder::new()
        .with_src(root.join("src/ffi/mod.rs"))
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header")
        .write(&mut generated);
    let path = root.join("include/ferrolog.h");
    if std::env::var_os("FERROLOG_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("write include/ferrolog.h");
        return;
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/ferrolog.h is stale: run `make header` and commit the result"
    );
}

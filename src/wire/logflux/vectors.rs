//! The shared test vectors (`shared/vectors/logflux-vectors.json`), read at test time so a
//! regenerated file is tested without a code change.

use serde_json::Value;

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/vectors/logflux-vectors.json"
);

/// One top-level section of the vector file, such as `aes_gcm_plain`.
pub(crate) fn section(name: &str) -> Value {
    let text = std::fs::read_to_string(PATH).unwrap_or_else(|e| panic!("{PATH}: {e}"));
    let mut all: Value = serde_json::from_str(&text).expect("vector file is JSON");
    all[name].take()
}

pub(crate) fn text<'a>(section: &'a Value, field: &str) -> &'a str {
    section[field]
        .as_str()
        .unwrap_or_else(|| panic!("vector field {field} is not a string"))
}

pub(crate) fn hex_bytes(section: &Value, field: &str) -> Vec<u8> {
    hex::decode(text(section, field)).expect("vector field is hex")
}

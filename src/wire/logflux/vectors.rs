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

// Public keys the handshake must refuse, made with `openssl ecparam -name prime256v1` and `openssl genrsa 1024`.
pub(crate) const EC_P256_PEM: &str = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE4gQ7EeWGjkTjEURon84u6/RhP3XJ
xg3GVRhDuZQnjWeTLKwWot0BsGpJa8imF8h4KefLhUI1HewaV6NbhpZxTQ==
-----END PUBLIC KEY-----
";
pub(crate) const RSA_1024_PEM: &str = "-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDm+5BUfW9bLl2yx8qSKvS3+nQy
OeLDGyFwS4tVNoK/Hxb2SHl+OfLCU8A9fLiz6aK+hENQ6dJPhLrcRAWYDNZc9sDH
O0r0h/9vw3KEK4gnHbj/q4I+qOCvmmVWRIXBUG9BpwvfGebIzLo6f3MlA8cmZVzp
f1FsQO10QcodWyiQpwIDAQAB
-----END PUBLIC KEY-----
";

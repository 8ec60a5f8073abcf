//! A client for the FFI properties, built through the C ABI: pointed at a loopback port nobody
//! listens on, so no network is needed and every batch the worker encodes fails fast; its
//! before-send hooks record each accepted entry's JSON on the logging thread.

#![allow(dead_code)] // each test binary uses its own subset

use std::cell::RefCell;
use std::ffi::{c_char, c_void};
use std::net::TcpListener;
use std::ptr;

use ferrolog::ffi::*;
use serde_json::Value;

use ferrolog_result::*;

/// `(ptr, len)` of a byte string, as C passes it.
pub fn fs(bytes: &[u8]) -> ferrolog_str {
    ferrolog_str {
        ptr: bytes.as_ptr().cast(),
        len: bytes.len(),
    }
}

/// A port that was free a moment ago, so connections to it are refused.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    listener.local_addr().expect("local address").port()
}

thread_local! {
    /// The JSON of the last entry a hook saw on this thread.
    static SEEN: RefCell<Option<Value>> = const { RefCell::new(None) };
    /// What the replacing hook hands to `ferrolog_hook_entry_replace`, and what it returned.
    static REPLACEMENT: RefCell<(Vec<u8>, Option<ferrolog_result>)> =
        const { RefCell::new((Vec::new(), None)) };
}

/// What the hooks do besides recording the entry.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Hooks {
    Record,
    /// Also replace the entry with the thread's [`set_replacement`] bytes.
    Replace,
}

unsafe extern "C" fn record(
    _: *mut c_void,
    _: *mut ferrolog_hook_entry,
    json: *const c_char,
    len: usize,
) -> ferrolog_result {
    let bytes = unsafe { std::slice::from_raw_parts(json.cast::<u8>(), len) };
    // An entry that is not JSON is recorded as a JSON string, which no property accepts.
    let value = serde_json::from_slice(bytes)
        .unwrap_or_else(|_| Value::from(String::from_utf8_lossy(bytes).into_owned()));
    SEEN.with(|seen| *seen.borrow_mut() = Some(value));
    FERROLOG_OK
}

unsafe extern "C" fn replace(
    userdata: *mut c_void,
    entry: *mut ferrolog_hook_entry,
    json: *const c_char,
    len: usize,
) -> ferrolog_result {
    unsafe { record(userdata, entry, json, len) };
    REPLACEMENT.with(|replacement| {
        let mut replacement = replacement.borrow_mut();
        let (bytes, _) = &*replacement;
        let result = ferrolog_hook_entry_replace(entry, bytes.as_ptr().cast(), bytes.len());
        replacement.1 = Some(result);
    });
    FERROLOG_OK
}

/// Takes the entry the hooks last saw on this thread.
pub fn take_seen() -> Option<Value> {
    SEEN.with(|seen| seen.borrow_mut().take())
}

pub fn set_replacement(bytes: Vec<u8>) {
    REPLACEMENT.with(|replacement| *replacement.borrow_mut() = (bytes, None));
}

/// What `ferrolog_hook_entry_replace` returned in the last hook call on this thread.
pub fn take_replace_result() -> Option<ferrolog_result> {
    REPLACEMENT.with(|replacement| replacement.borrow_mut().1.take())
}

fn set(config: *mut ferrolog_config, key: &str, value: &str) {
    let result = ferrolog_config_set(
        config,
        key.as_ptr().cast(),
        key.len(),
        value.as_ptr().cast(),
        value.len(),
        ptr::null_mut(),
    );
    assert_eq!(result, FERROLOG_OK, "{key}={value}");
}

/// A client and its root logger, shut down and freed on drop.
pub struct FuzzClient {
    pub client: *mut ferrolog_client,
    pub logger: *mut ferrolog_logger,
}

impl FuzzClient {
    /// A client speaking `protocol` to a closed port, every level enabled, hooks on every
    /// entry type.
    pub fn new(protocol: &str, hooks: Hooks) -> FuzzClient {
        let mut config = ptr::null_mut();
        assert_eq!(ferrolog_config_new(&mut config), FERROLOG_OK);
        let endpoint = format!("http://127.0.0.1:{}/v1/logs", closed_port());
        for (key, value) in [
            ("api_key", "fuzz-key"),
            ("protocol", protocol),
            ("endpoint", endpoint.as_str()),
            ("min_level", "debug"),
            ("flush_interval", "50ms"),
            ("batch_size", "64"),
            ("max_retries", "0"),
            ("retry_backoff", "10ms"),
            ("http_timeout", "500ms"),
            ("discovery_url", "off"),
        ] {
            set(config, key, value);
        }
        let hook = match hooks {
            Hooks::Record => record,
            Hooks::Replace => replace,
        };
        for entry_type in 1..=7 {
            let set =
                ferrolog_config_set_before_send(config, entry_type, Some(hook), ptr::null_mut());
            assert_eq!(set, FERROLOG_OK);
        }
        let (mut client, mut logger) = (ptr::null_mut(), ptr::null_mut());
        assert_eq!(
            ferrolog_client_new(config, &mut client, ptr::null_mut()),
            FERROLOG_OK
        );
        ferrolog_config_free(config);
        assert_eq!(ferrolog_client_logger(client, &mut logger), FERROLOG_OK);
        FuzzClient { client, logger }
    }

    /// One counter of the client's stats.
    pub fn counter(&self, name: &str) -> u64 {
        let mut stats = ptr::null_mut();
        assert_eq!(ferrolog_client_stats(self.client, &mut stats), FERROLOG_OK);
        let mut value = 0;
        let read = ferrolog_stats_get(stats, name.as_ptr().cast(), name.len(), &mut value);
        ferrolog_stats_free(stats);
        assert_eq!(read, FERROLOG_OK, "{name}");
        value
    }

    /// A new scope of the root logger, freed on drop.
    pub fn scope(&self) -> OwnedLogger {
        let mut scope = ptr::null_mut();
        assert_eq!(ferrolog_logger_scope(self.logger, &mut scope), FERROLOG_OK);
        OwnedLogger(scope)
    }

    pub fn accepted(&self) -> u64 {
        self.counter("accepted")
    }

    /// Lets the worker encode and settle everything accepted, then checks it never failed
    /// inside: an encoder that panicked on an accepted entry counts `internal_error`.
    pub fn settle(&self) {
        let flushed = ferrolog_client_flush(self.client, 10_000, ptr::null_mut());
        assert_eq!(flushed, FERROLOG_OK, "flush left entries owed");
        assert_eq!(
            self.counter("internal_error"),
            0,
            "the worker failed on an entry"
        );
        assert_eq!(self.counter("queued"), 0);
    }
}

/// A logger handle freed on drop.
pub struct OwnedLogger(pub *mut ferrolog_logger);

impl Drop for OwnedLogger {
    fn drop(&mut self) {
        ferrolog_logger_free(self.0);
    }
}

impl Drop for FuzzClient {
    fn drop(&mut self) {
        ferrolog_logger_free(self.logger);
        ferrolog_client_shutdown(self.client, 2_000, ptr::null_mut());
        ferrolog_client_free(self.client);
    }
}

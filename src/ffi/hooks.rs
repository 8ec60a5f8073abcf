//! Before-send hooks from C: a function pointer and its `userdata`, called with the entry's
//! JSON form, able to replace it through `ferrolog_hook_entry_replace`.

use std::ffi::{c_char, c_void};
use std::sync::Arc;

use super::{boundary, ferrolog_config, ferrolog_result, str_arg};
use crate::entry::EntryKind;
use crate::hooks::{BeforeSend, HookEntry};

use ferrolog_result::*;

/// The entry a before-send hook is called with; valid only during that call.
#[allow(non_camel_case_types)]
pub struct ferrolog_hook_entry {
    inner: *mut HookEntry,
}

/// A before-send hook. `json` (`json_len` bytes, NUL-terminated as well) is the entry as
/// `{"type","level","message","attributes"}`, valid during the call. Return `FERROLOG_OK` to
/// send the entry, after any `ferrolog_hook_entry_replace`, or `FERROLOG_FILTERED` to drop it
/// (counted as `before_send`); any other result sends it unchanged.
///
/// The hook runs on the thread that logged the entry, possibly on several threads at once,
/// before the log call returns. Entries it logs itself skip hooks.
#[allow(non_camel_case_types)]
pub type ferrolog_before_send = Option<
    unsafe extern "C" fn(
        userdata: *mut c_void,
        entry: *mut ferrolog_hook_entry,
        json: *const c_char,
        json_len: usize,
    ) -> ferrolog_result,
>;

/// The C function and its argument, shared with every thread that logs.
struct CHook {
    function: unsafe extern "C" fn(
        *mut c_void,
        *mut ferrolog_hook_entry,
        *const c_char,
        usize,
    ) -> ferrolog_result,
    userdata: *mut c_void,
}

// SAFETY: `ferrolog_config_set_before_send` makes the caller promise that the hook and its
// userdata may be used from any thread for as long as a configuration or client holds them.
unsafe impl Send for CHook {}
unsafe impl Sync for CHook {}

impl CHook {
    fn call(&self, entry: &mut HookEntry) -> bool {
        let mut json = entry.to_json();
        let len = json.len();
        json.push('\0');
        let mut handle = ferrolog_hook_entry { inner: entry };
        let verdict =
            unsafe { (self.function)(self.userdata, &mut handle, json.as_ptr().cast(), len) };
        verdict != FERROLOG_FILTERED
    }
}

/// Sets the before-send hook for entries of `entry_type` (1 log … 7 managed telemetry), or
/// clears it when `hook` is NULL. A client created from this configuration keeps the hook.
/// `userdata` is passed to every call; it must stay valid, and usable from any thread, while
/// any configuration or client holding the hook exists.
#[no_mangle]
pub extern "C" fn ferrolog_config_set_before_send(
    config: *mut ferrolog_config,
    entry_type: u8,
    hook: ferrolog_before_send,
    userdata: *mut c_void,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        let Some(config) = (unsafe { config.as_mut() }) else {
            return FERROLOG_NULL_ARGUMENT;
        };
        let Some(kind) = EntryKind::from_number(entry_type) else {
            return FERROLOG_INVALID_ARGUMENT;
        };
        let hook = hook.map(|function| {
            let hook = CHook { function, userdata };
            Arc::new(move |entry: &mut HookEntry| hook.call(entry)) as BeforeSend
        });
        config.inner.hooks.set(kind, hook);
        FERROLOG_OK
    })
}

/// Replaces what `json` (one object) names of the entry: `level` (1–8 or a level name),
/// `message` (a string), `attributes` (an object); members left out stay. Anything else is
/// `FERROLOG_INVALID_JSON` (not one object) or `FERROLOG_INVALID_ARGUMENT` (a wrong member),
/// and the entry is unchanged.
#[no_mangle]
pub extern "C" fn ferrolog_hook_entry_replace(
    entry: *mut ferrolog_hook_entry,
    json: *const c_char,
    json_len: usize,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        // SAFETY: a handle exists only for the duration of the hook call that holds the entry.
        let Some(entry) = (unsafe { entry.as_mut().and_then(|handle| handle.inner.as_mut()) })
        else {
            return FERROLOG_NULL_ARGUMENT;
        };
        let json = match unsafe { str_arg(json, json_len) } {
            Ok(json) => json,
            Err(code) => return code,
        };
        match entry.replace_from_json(json) {
            Ok(()) => FERROLOG_OK,
            Err(crate::hooks::ReplaceError::NotAnObject) => FERROLOG_INVALID_JSON,
            Err(_) => FERROLOG_INVALID_ARGUMENT,
        }
    })
}

//! `ferrolog_log_typed`: a log call whose attributes keep their types (text, integers, floats,
//! bools, null), for bindings whose language has typed values. The caller's thread writes and
//! checks no JSON. The table holds lengths, not pointers, so a binding may build it and the
//! text in its own memory: Go's cgo refuses memory that holds pointers to Go memory.

use std::ffi::c_char;

use super::logger::{log_call, record_error};
use super::{boundary, bytes_arg, ferrolog_result};
use crate::entry::Scalar;

use ferrolog_result::*;

/// The kinds of a typed attribute's value, and the `ferrolog_value` member each reads: for
/// text, `text_len`.
pub const FERROLOG_VALUE_TEXT: i32 = 1;
/// `integer`.
pub const FERROLOG_VALUE_INT: i32 = 2;
/// `unsigned_integer`.
pub const FERROLOG_VALUE_UINT: i32 = 3;
/// `real`.
pub const FERROLOG_VALUE_FLOAT: i32 = 4;
/// `boolean`.
pub const FERROLOG_VALUE_BOOL: i32 = 5;
/// None.
pub const FERROLOG_VALUE_NULL: i32 = 6;

/// A typed attribute's value: the member its `kind` names is the one read.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy)]
pub union ferrolog_value {
    /// `FERROLOG_VALUE_TEXT`: the text's length in bytes; the text itself lies in the call's
    /// `text`, right after the key.
    pub text_len: usize,
    /// `FERROLOG_VALUE_INT`.
    pub integer: i64,
    /// `FERROLOG_VALUE_UINT`.
    pub unsigned_integer: u64,
    /// `FERROLOG_VALUE_FLOAT`; NaN and the infinities are sent as null.
    pub real: f64,
    /// `FERROLOG_VALUE_BOOL`: 0 is false, anything else true.
    pub boolean: u8,
}

/// One attribute of `ferrolog_log_typed`. `FERROLOG_VALUE_NULL` reads no member of `value`.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy)]
pub struct ferrolog_typed_attribute {
    /// The key's length in bytes; the key itself lies in the call's `text`.
    pub key_len: usize,
    /// One of the `FERROLOG_VALUE_` kinds.
    pub kind: i32,
    pub value: ferrolog_value,
}

impl ferrolog_typed_attribute {
    /// The value's bytes in `text` (none unless it is text), or None for an unknown kind.
    fn text_len(&self) -> Option<usize> {
        match self.kind {
            // SAFETY: every bit pattern is a valid usize.
            FERROLOG_VALUE_TEXT => Some(unsafe { self.value.text_len }),
            FERROLOG_VALUE_INT..=FERROLOG_VALUE_NULL => Some(0),
            _ => None,
        }
    }

    /// The value, its text (if any) being `text`; the kind was checked by `text_len`.
    fn scalar<'a>(&self, text: &'a [u8]) -> Scalar<'a> {
        // SAFETY: every bit pattern is valid for each member read, and `kind` says which the
        // caller set.
        unsafe {
            match self.kind {
                FERROLOG_VALUE_TEXT => Scalar::Text(text),
                FERROLOG_VALUE_INT => Scalar::Int(self.value.integer),
                FERROLOG_VALUE_UINT => Scalar::Uint(self.value.unsigned_integer),
                FERROLOG_VALUE_FLOAT => Scalar::Float(self.value.real),
                FERROLOG_VALUE_BOOL => Scalar::Bool(self.value.boolean != 0),
                _ => Scalar::Null,
            }
        }
    }
}

/// Lends out the table's keys and values, once the kinds are known and the lengths have been
/// found to cover `text` exactly.
///
/// # Safety
/// `attributes` must be NULL (with `count` 0) or point to `count` attributes, and `text` to
/// `text_len` readable bytes (or be NULL with `text_len` 0).
unsafe fn typed_attributes<'a>(
    attributes: *const ferrolog_typed_attribute,
    count: usize,
    text: *const c_char,
    text_len: usize,
) -> Result<impl Iterator<Item = (&'a [u8], Scalar<'a>)> + Clone, ferrolog_result> {
    let table: &[ferrolog_typed_attribute] = match (attributes.is_null(), count) {
        (_, 0) => &[],
        (true, _) => return Err(FERROLOG_NULL_ARGUMENT),
        (false, n) => unsafe { std::slice::from_raw_parts(attributes, n) },
    };
    let text = unsafe { bytes_arg(text, text_len)? };
    let mut covered = 0usize;
    for attribute in table {
        covered = attribute
            .text_len()
            .and_then(|value_len| {
                covered
                    .checked_add(attribute.key_len)?
                    .checked_add(value_len)
            })
            .ok_or(FERROLOG_INVALID_ARGUMENT)?;
    }
    if covered != text.len() {
        return Err(FERROLOG_INVALID_ARGUMENT);
    }
    Ok(table.iter().scan(text, |rest, attribute| {
        // Within bounds: the lengths were just found to add up to the text's.
        let (key, after_key) = rest.split_at(attribute.key_len);
        let (value, after) = after_key.split_at(attribute.text_len().unwrap_or(0));
        *rest = after;
        Some((key, attribute.scalar(value)))
    }))
}

/// Logs `message` at `level` with `count` typed attributes. Their keys and text values lie
/// back to back in `text`, in table order: the first key, its value if that is text, the next
/// key, and so on; their lengths must add up to `text_len`. Each key and text value must be
/// UTF-8 on its own. Results as `ferrolog_log`, and `FERROLOG_INVALID_ARGUMENT` for an
/// unknown kind or lengths that do not add up. A call below the minimum level returns
/// `FERROLOG_FILTERED` at once, without reading its other arguments.
#[no_mangle]
pub extern "C" fn ferrolog_log_typed(
    logger: *const super::ferrolog_logger,
    level: i32,
    message: *const c_char,
    message_len: usize,
    attributes: *const ferrolog_typed_attribute,
    count: usize,
    text: *const c_char,
    text_len: usize,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        log_call(logger, level, |logger, level| {
            let message = unsafe { bytes_arg(message, message_len)? };
            let scalars = unsafe { typed_attributes(attributes, count, text, text_len)? };
            logger
                .log_utf8_scalars(level, message, scalars)
                .map_err(record_error)
        })
    })
}

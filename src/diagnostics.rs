//! The SDK's own messages: warnings always reach stderr, debug detail only when asked for.
//! Neither ever carries an API key or a payload.

use std::fmt;

#[derive(Clone, Copy, Debug)]
pub(crate) struct Diagnostics {
    debug: bool,
}

impl Diagnostics {
    pub fn new(debug: bool) -> Diagnostics {
        Diagnostics { debug }
    }

    pub fn warn(&self, message: fmt::Arguments<'_>) {
        eprintln!("ferrolog: warning: {message}");
    }

    pub fn debug(&self, message: fmt::Arguments<'_>) {
        if self.debug {
            eprintln!("ferrolog: {message}");
        }
    }
}

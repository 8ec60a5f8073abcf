//! One module per wire protocol, encoder and decoder side by side, and the entry view they all
//! decode into.

pub mod decoded;
pub mod luminalog;

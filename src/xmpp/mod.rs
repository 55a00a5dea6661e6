//! Pure protocol handlers, one file per RFC/XEP area. Each turns stanzas
//! into plain data (and plain data into stanzas) without any I/O, so it can
//! be tested from the specifications' own examples.

pub(crate) mod bookmarks;
pub(crate) mod disco;
pub(crate) mod extdisco;
pub(crate) mod forms;
pub(crate) mod jingle_message;
pub(crate) mod message;
pub(crate) mod muc;
pub(crate) mod presence;
pub(crate) mod roster;

#[cfg(test)]
mod tests;

/// Target under which raw stanzas are logged (`--print-xmpp`).
pub(crate) const WIRE_TARGET: &str = "warbler::wire";

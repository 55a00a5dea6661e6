//! Warbler's headless core: the XMPP session actors, the per-XEP protocol
//! handlers, the local message store and the call engine.
//!
//! The user interface lives in the binary and talks to this library only
//! through [`session::SessionHandle`], [`session::Command`] and
//! [`session::Event`]. This crate never names a GUI toolkit, which keeps it
//! testable without a display (see `tests/architecture.rs`).
#![warn(missing_docs)]

pub mod jingle;
pub mod model;
pub mod session;
pub mod uri;

#[doc(hidden)]
pub mod bench_support;
pub(crate) mod store;
pub(crate) mod xmpp;

/// The application id, shared by the core (keyring attributes, resource
/// names) and the UI.
pub const APP_NAME: &str = "Warbler";

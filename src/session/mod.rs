//! The session layer: one actor per account behind a single handle.
mod command;
mod error;
mod event;
pub use command::Command;
pub use error::{CertificateInfo, ConnectError, CoreError};
pub use event::Event;

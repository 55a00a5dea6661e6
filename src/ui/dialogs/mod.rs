//! Dialogs and secondary windows.

pub mod about;
pub mod add_contact;
pub mod certificate;
// Opened by the room view for room configuration and registration, which
// is not wired yet.
#[allow(dead_code, reason = "used once room configuration is wired")]
pub mod form_dialog;
pub mod password;
pub mod shortcuts;

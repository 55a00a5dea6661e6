//! Dialogs and secondary windows.

pub mod about;
pub mod add_contact;
pub mod certificate;
pub mod password;
pub mod shortcuts;

//! Account pages and dialogs: signing in and managing accounts.

pub mod accounts;
pub mod sign_in;

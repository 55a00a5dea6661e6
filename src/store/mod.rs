//! The local store: accounts, roster, messages, chats and the outbox in one
//! SQLite database. The schema is built by numbered migrations (see
//! [`migrations`]). Passwords are never stored here: the keyring holds them.

// The session actor is the store's only user; until it calls the store, a
// library build sees this whole API as unused.
#![cfg_attr(not(test), allow(dead_code, unused_imports))]

mod codec;
mod error;
mod migrations;

pub use error::StoreError;

//! Shared helpers for integration tests that run against a real Prosody on
//! 127.0.0.1: a throw-away server ([`TestServer`]), its test certificate
//! authority ([`certs`]), a minimal hand-written XMPP client ([`RawClient`])
//! for sending exactly the XML a test wants, helpers that drive Warbler's
//! core through its public API ([`core`]) and make two cores call each other
//! ([`calls`]), and a TURN server for calls through a relay ([`turn`]).
//!
//! Include it from a test file with `mod support;`. Not every test uses every
//! helper, hence the `dead_code` and `unused_imports` allowances.
#![allow(dead_code, unused_imports)]

pub mod calls;
pub mod certs;
pub mod core;
pub mod muc;
pub mod profile;
pub mod prosody;
pub mod raw_client;
pub mod turn;
pub mod ui;
pub mod xml;

pub use prosody::TestServer;
pub use raw_client::{RawClient, Transport};

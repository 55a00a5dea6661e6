//! Test support: a throwaway Prosody on 127.0.0.1 with its own CA, and
//! helpers to drive Warbler's core through its public API.
#![allow(dead_code)]

pub mod core;
pub mod prosody;

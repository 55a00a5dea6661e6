//! Tests of the Jingle ⇄ SDP mapping.

//! Calls: Jingle (XEP-0166) audio/video sessions, without any GUI types.
//!
//! The pieces are kept apart so each can be tested on its own: a pure
//! protocol state machine (XEP-0166/0353), a pure mapping between Jingle
//! contents and SDP, and a media engine on GStreamer's webrtcbin that runs
//! one ICE transport per content (never BUNDLE, which Dino does not speak).

pub mod bridge;
pub mod codec;
pub mod media;
pub mod sdp;
pub mod session;

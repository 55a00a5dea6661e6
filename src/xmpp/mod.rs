//! XMPP handlers.

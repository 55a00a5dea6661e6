//! xmpp: URIs.

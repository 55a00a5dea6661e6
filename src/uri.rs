//! `xmpp:` URIs (RFC 5122), as passed on the command line or by the desktop
//! when the user clicks a link.
//!
//! Parsing is pure: [`XmppUri::parse`] percent-decodes the address and the
//! query, validates the address as a JID and maps the query type to an
//! [`UriAction`]. Unknown query types fall back to opening a chat, as the
//! RFC asks clients to ignore what they do not understand.

use thiserror::Error;

use crate::model::{BareJid, Jid};

/// What the URI asks the client to do with its address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UriAction {
    /// Open a one-to-one chat (`?message`, no query or an unknown one).
    OpenChat {
        /// Text to put into the composer (`;body=`), not sent automatically.
        body: Option<String>,
    },
    /// Join a group chat (`?join`).
    JoinRoom {
        /// Room password (`;password=`), if given.
        password: Option<String>,
    },
}

/// A parsed `xmpp:` URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmppUri {
    /// The target address (any resource in the URI is dropped).
    pub jid: BareJid,
    /// What to do with it.
    pub action: UriAction,
}

/// Why a string is not a usable `xmpp:` URI.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UriError {
    /// The scheme is not `xmpp:`.
    #[error("not an xmpp: URI")]
    NotXmpp,
    /// A `%` escape is malformed or the decoded bytes are not UTF-8.
    #[error("invalid percent-encoding in {part}")]
    BadEncoding {
        /// The part of the URI that failed (`address`, `query`).
        part: &'static str,
    },
    /// The address is empty or not a valid JID.
    #[error("invalid address: {input}")]
    InvalidJid {
        /// The decoded address.
        input: String,
    },
}

impl XmppUri {
    /// Parse an `xmpp:` URI. The scheme is case-insensitive; an authority
    /// (`xmpp://account@host/…`, the account to act from) is accepted and
    /// ignored; a fragment is ignored.
    pub fn parse(input: &str) -> Result<Self, UriError> {
        let input = input.trim();
        let rest = match input.get(..5) {
            Some(scheme) if scheme.eq_ignore_ascii_case("xmpp:") => &input[5..],
            _ => return Err(UriError::NotXmpp),
        };
        let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
        let (path, query) = match rest.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (rest, None),
        };
        // xmpp://auth-account/target: skip the authority.
        let path = match path.strip_prefix("//") {
            Some(with_authority) => with_authority
                .split_once('/')
                .map(|(_, target)| target)
                .unwrap_or(""),
            None => path,
        };
        let address = percent_decode(path).ok_or(UriError::BadEncoding { part: "address" })?;
        let jid = Jid::new(&address)
            .map_err(|_| UriError::InvalidJid {
                input: address.clone(),
            })?
            .to_bare();
        let action = match query {
            Some(query) => parse_query(query)?,
            None => UriAction::OpenChat { body: None },
        };
        Ok(Self { jid, action })
    }
}

/// Parse `type;key=value;key=value` into an action.
fn parse_query(query: &str) -> Result<UriAction, UriError> {
    let mut parts = query.split(';');
    let kind = parts.next().unwrap_or("");
    let mut pairs = Vec::new();
    for part in parts.filter(|p| !p.is_empty()) {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        let key = percent_decode(key).ok_or(UriError::BadEncoding { part: "query" })?;
        let value = percent_decode(value).ok_or(UriError::BadEncoding { part: "query" })?;
        pairs.push((key, value));
    }
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    };
    Ok(match kind {
        "join" => UriAction::JoinRoom {
            password: get("password"),
        },
        "message" => UriAction::OpenChat {
            body: get("body").filter(|b| !b.is_empty()),
        },
        _ => UriAction::OpenChat { body: None },
    })
}

/// Decode `%XX` escapes (RFC 3986 §2.1); `None` on a malformed escape or
/// on bytes that are not UTF-8.
fn percent_decode(input: &str) -> Option<String> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = input.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jid(s: &str) -> BareJid {
        BareJid::new(s).expect("valid test JID")
    }

    #[test]
    fn plain_address_opens_chat() {
        let uri = XmppUri::parse("xmpp:bob@example.org").expect("parses");
        assert_eq!(uri.jid, jid("bob@example.org"));
        assert_eq!(uri.action, UriAction::OpenChat { body: None });
    }

    #[test]
    fn message_with_body_is_decoded() {
        let uri = XmppUri::parse("xmpp:bob@example.org?message;body=Hello%20there%21;subject=x")
            .expect("parses");
        assert_eq!(
            uri.action,
            UriAction::OpenChat {
                body: Some("Hello there!".to_owned())
            }
        );
    }

    #[test]
    fn message_without_body() {
        let uri = XmppUri::parse("xmpp:bob@example.org?message").expect("parses");
        assert_eq!(uri.action, UriAction::OpenChat { body: None });
    }

    #[test]
    fn address_is_percent_decoded_and_resource_dropped() {
        // RFC 5122 §2.8 example: a node with a non-ASCII character.
        let uri = XmppUri::parse(
            "xmpp:nasty!%23$%25()*+,-.;=%3F%5B%5C%5D%5E_%60%7B%7C%7D~node@example.com/res",
        )
        .expect("parses");
        assert_eq!(uri.jid.domain().as_str(), "example.com");
        let uri = XmppUri::parse("xmpp:ju%C3%A9@example.org/phone").expect("parses");
        assert_eq!(uri.jid, jid("jué@example.org"));
    }

    #[test]
    fn join_is_a_room_action() {
        let uri = XmppUri::parse("xmpp:room@conference.example.org?join;password=s%3Bcret")
            .expect("parses");
        assert_eq!(uri.jid, jid("room@conference.example.org"));
        assert_eq!(
            uri.action,
            UriAction::JoinRoom {
                password: Some("s;cret".to_owned())
            }
        );
    }

    #[test]
    fn unknown_action_opens_chat() {
        let uri = XmppUri::parse("xmpp:bob@example.org?roster;name=Bob").expect("parses");
        assert_eq!(uri.action, UriAction::OpenChat { body: None });
    }

    #[test]
    fn authority_and_fragment_are_ignored() {
        let uri = XmppUri::parse("XMPP://me@example.net/bob@example.org?message;body=hi#frag")
            .expect("parses");
        assert_eq!(uri.jid, jid("bob@example.org"));
        assert_eq!(
            uri.action,
            UriAction::OpenChat {
                body: Some("hi".to_owned())
            }
        );
    }

    #[test]
    fn errors() {
        assert_eq!(
            XmppUri::parse("https://example.org"),
            Err(UriError::NotXmpp)
        );
        assert_eq!(XmppUri::parse("xmp"), Err(UriError::NotXmpp));
        assert!(matches!(
            XmppUri::parse("xmpp:"),
            Err(UriError::InvalidJid { .. })
        ));
        assert!(matches!(
            XmppUri::parse("xmpp:bob@"),
            Err(UriError::InvalidJid { .. })
        ));
        assert!(matches!(
            XmppUri::parse("xmpp:a@b@c"),
            Err(UriError::InvalidJid { .. })
        ));
        assert_eq!(
            XmppUri::parse("xmpp:bob%2@example.org"),
            Err(UriError::BadEncoding { part: "address" })
        );
        assert_eq!(
            XmppUri::parse("xmpp:bob@example.org?message;body=%FF"),
            Err(UriError::BadEncoding { part: "query" })
        );
    }
}

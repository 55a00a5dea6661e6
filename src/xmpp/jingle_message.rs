//! Call signalling stanzas: Jingle Message Initiation messages (XEP-0353,
//! also as carbons, XEP-0280) and Jingle IQs (XEP-0166) turned into the
//! call machine's [`Signal`]s.
//!
//! Pure: the account actor routes the result to
//! [`CallManager::handle_signal`](crate::jingle::session::CallManager::handle_signal).

use xmpp_parsers::carbons;
use xmpp_parsers::iq::Iq;
use xmpp_parsers::jid::{BareJid, Jid};
use xmpp_parsers::jingle::Jingle;
use xmpp_parsers::message::{Message, MessageType};
use xmpp_parsers::minidom::Element;
use xmpp_parsers::stanza_error::StanzaError;

use crate::jingle::sdp::check_fingerprint_text;
use crate::jingle::session::{IqFailure, JmiMessage, JmiSignal, NS_JINGLE_MESSAGE, Signal};

const NS_JINGLE: &str = "urn:xmpp:jingle:1";
const NS_JINGLE_ERRORS: &str = "urn:xmpp:jingle:errors:1";

/// The JMI signal a message carries, if any, for the account `own`.
///
/// Carbons are unwrapped only when our own account sent them (XEP-0280
/// §11); a carbon of a message our other device sent is marked
/// `from_own_account`, as is a message from our own account (the legacy
/// `<accept/>` to the own bare JID).
pub(crate) fn message_signal(own: &BareJid, message: &Message) -> Option<Signal> {
    let outer_from_own = message
        .from
        .as_ref()
        .is_none_or(|from| from.to_bare() == *own);
    if let Some(inner) = carbon_of(message) {
        if !outer_from_own {
            tracing::debug!("Dropping a JMI carbon not sent by our own account");
            return None;
        }
        return plain_signal(own, &inner);
    }
    plain_signal(own, message)
}

/// Parse an untrusted `<jingle>`: its fingerprints are checked first,
/// because xmpp-parsers' fingerprint decoder panics on malformed text.
fn parse_jingle(payload: &Element) -> Result<Jingle, String> {
    check_fingerprint_text(payload).map_err(|error| error.to_string())?;
    Jingle::try_from(payload.clone()).map_err(|error| error.to_string())
}

/// The signal an IQ carries, if it concerns calls: a Jingle request, or a
/// result or error (which may answer one of ours: ask
/// [`CallManager::awaits_iq`](crate::jingle::session::CallManager::awaits_iq)).
pub(crate) fn iq_signal(iq: &Iq) -> Option<Signal> {
    match iq {
        Iq::Set {
            from: Some(from),
            id,
            payload,
            ..
        } if payload.is("jingle", NS_JINGLE) => Some(match parse_jingle(payload) {
            Ok(jingle) => Signal::Jingle {
                from: from.clone(),
                id: id.clone(),
                jingle: Box::new(jingle),
            },
            Err(error) => {
                tracing::debug!(%from, "Could not read a Jingle request: {error}");
                Signal::MalformedJingle {
                    from: from.clone(),
                    id: id.clone(),
                }
            }
        }),
        Iq::Result {
            from: Some(from),
            id,
            ..
        } => Some(Signal::IqResult {
            from: from.clone(),
            id: id.clone(),
        }),
        Iq::Error {
            from: Some(from),
            id,
            error,
            ..
        } => Some(Signal::IqError {
            from: from.clone(),
            id: id.clone(),
            failure: failure_of(error),
        }),
        _ => None,
    }
}

fn carbon_of(message: &Message) -> Option<Message> {
    for payload in &message.payloads {
        if let Ok(received) = carbons::Received::try_from(payload.clone()) {
            return Some(received.forwarded.message);
        }
        if let Ok(sent) = carbons::Sent::try_from(payload.clone()) {
            return Some(sent.forwarded.message);
        }
    }
    None
}

fn plain_signal(own: &BareJid, message: &Message) -> Option<Signal> {
    if matches!(
        message.type_,
        MessageType::Error | MessageType::Groupchat | MessageType::Headline
    ) {
        return None;
    }
    let jmi = message
        .payloads
        .iter()
        .filter(|payload| payload.ns() == NS_JINGLE_MESSAGE)
        .find_map(JmiMessage::from_element)?;
    // No 'from' means our own account (RFC 6120 §8.1.2.1).
    let from: Jid = message.from.clone().unwrap_or_else(|| own.clone().into());
    Some(Signal::Jmi(JmiSignal {
        from_own_account: from.to_bare() == *own,
        from,
        to: message.to.clone(),
        message: jmi,
    }))
}

fn failure_of(error: &StanzaError) -> IqFailure {
    let jingle_condition = error
        .other
        .as_ref()
        .filter(|other: &&Element| other.ns() == NS_JINGLE_ERRORS)
        .map(Element::name);
    match jingle_condition {
        Some("tie-break") => IqFailure::TieBreak,
        Some("unknown-session") => IqFailure::UnknownSession,
        Some("out-of-order") => IqFailure::OutOfOrder,
        Some("unsupported-info") => IqFailure::UnsupportedInfo,
        _ => IqFailure::Other,
    }
}

#[cfg(test)]
mod tests;

//! Tests of the room handlers, built from the example stanzas of XEP-0045
//! and of the XEPs rooms rely on (0059, 0313, 0359, 0410, 0421, 0425,
//! 0249), plus hostile and broken input that must never panic and must
//! never be believed.

mod admin;
mod archive;
mod directory;
mod invitation;
mod join;
mod message;
mod presence;
mod private;
mod services;

use xmpp_parsers::iq::Iq;
use xmpp_parsers::jid::BareJid;
use xmpp_parsers::message::Message;
use xmpp_parsers::minidom::Element;
use xmpp_parsers::presence::Presence;

/// The room of most XEP-0045 examples.
const COVEN: &str = "coven@chat.shakespeare.lit";

fn el(xml: &str) -> Element {
    xml.parse().expect("test XML parses")
}

fn presence(xml: &str) -> Presence {
    Presence::try_from(el(xml)).expect("a presence")
}

fn message(xml: &str) -> Message {
    Message::try_from(el(xml)).expect("a message")
}

fn iq(xml: &str) -> Iq {
    Iq::try_from(el(xml)).expect("an IQ")
}

fn bare(s: &str) -> BareJid {
    s.parse().expect("bare JID")
}

fn coven() -> BareJid {
    bare(COVEN)
}

/// A built stanza as an element, to compare with the XEP's XML.
fn xml(stanza: impl Into<Element>) -> Element {
    stanza.into()
}

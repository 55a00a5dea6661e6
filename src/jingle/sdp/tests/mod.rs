//! Tests of the Jingle ⇄ SDP mapping: golden files written from the XEPs'
//! examples and from what Dino 0.4, Conversations 2.x and GStreamer 1.22's
//! webrtcbin send, plus hostile input.

mod candidates;
mod golden;
mod hostile;
mod negotiation;
mod rtx;
mod text;

use xmpp_parsers::jingle::{Content, Description, Jingle, Transport};
use xmpp_parsers::jingle_rtp::Description as RtpDescription;
use xmpp_parsers::minidom::Element;

use super::IceUdpParts;

/// Fixture files, embedded so the tests need no working directory.
pub(super) mod fixture {
    macro_rules! fixture {
        ($name:ident, $file:literal) => {
            pub(crate) const $name: &str =
                include_str!(concat!("../../../../tests/fixtures/jingle/", $file));
        };
    }
    fixture!(DINO_INITIATE, "dino-0.4-session-initiate.xml");
    fixture!(DINO_INITIATE_SDP, "dino-0.4-session-initiate.sdp");
    // Captured from Dino 0.4.2 (Debian 12) calling and answering Warbler.
    fixture!(DINO_LIVE_INITIATE, "dino-0.4.2-live-session-initiate.xml");
    fixture!(DINO_LIVE_ACCEPT, "dino-0.4.2-live-session-accept.xml");
    fixture!(
        DINO_LIVE_INITIATE_SDP,
        "dino-0.4.2-live-session-initiate.sdp"
    );
    fixture!(DINO_LIVE_ACCEPT_SDP, "dino-0.4.2-live-session-accept.sdp");
    fixture!(
        CONVERSATIONS_INITIATE,
        "conversations-2-session-initiate.xml"
    );
    fixture!(
        CONVERSATIONS_INITIATE_SDP,
        "conversations-2-session-initiate.sdp"
    );
    fixture!(
        CONVERSATIONS_TRANSPORT_INFO,
        "conversations-2-transport-info.xml"
    );
    fixture!(
        CONVERSATIONS_ACCEPT,
        "warbler-session-accept-to-conversations.xml"
    );
    fixture!(WEBRTCBIN_OFFER, "webrtcbin-1.22-offer.sdp");
    fixture!(
        WEBRTCBIN_ANSWER,
        "webrtcbin-1.22-answer-to-conversations.sdp"
    );
    // webrtcbin with `do-nack` on its video transceivers: an offer, and an
    // answer to an offer numbering VP8 100 and its RTX 97.
    fixture!(WEBRTCBIN_RTX_OFFER, "webrtcbin-1.22-offer-with-rtx.sdp");
    fixture!(WEBRTCBIN_RTX_ANSWER, "webrtcbin-1.22-answer-with-rtx.sdp");
}

/// The `<jingle>` payload of an `<iq>` fixture.
pub(super) fn jingle_of(iq: &str) -> Jingle {
    let iq: Element = iq.parse().expect("fixture is well-formed XML");
    let jingle = iq
        .get_child("jingle", xmpp_parsers::ns::JINGLE)
        .expect("fixture carries a jingle element")
        .clone();
    Jingle::try_from(jingle).expect("fixture is valid Jingle")
}

/// The RTP description of a content.
pub(super) fn rtp(content: &Content) -> &RtpDescription {
    match &content.description {
        Some(Description::Rtp(rtp)) => rtp,
        other => panic!(
            "content {} has no RTP description: {other:?}",
            content.name.0
        ),
    }
}

/// The ICE-UDP parts of a content's transport.
pub(super) fn ice(content: &Content) -> IceUdpParts {
    match &content.transport {
        Some(Transport::IceUdp(transport)) => {
            IceUdpParts::from_transport(transport).expect("readable transport")
        }
        other => panic!(
            "content {} has no ICE-UDP transport: {other:?}",
            content.name.0
        ),
    }
}

/// SDP text with LF line ends, for readable assertion failures.
pub(super) fn lf(sdp: &str) -> String {
    sdp.replace("\r\n", "\n")
}

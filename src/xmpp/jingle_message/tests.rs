//! Call signalling read from stanzas as the XEPs show them and as common
//! clients send them (audio+video proposals, proceed to a full JID, the
//! legacy accept to the own account, carbons), plus forged and broken ones.

use xmpp_parsers::iq::Iq;
use xmpp_parsers::jid::{BareJid, Jid};
use xmpp_parsers::jingle::{Action, Creator, Description, Jingle, Reason, Senders, Transport};
use xmpp_parsers::message::Message;
use xmpp_parsers::minidom::Element;

use super::{iq_signal, message_signal};
use crate::jingle::session::{IqFailure, JmiMessage, JmiSignal, Signal};
use crate::model::{CallId, MediaKind};

const SID: &str = "ca3cf894-5325-482f-a412-a6e9f832298d";

fn message(xml: &str) -> Message {
    let element: Element = xml.parse().expect("test XML parses");
    Message::try_from(element).expect("a message")
}

fn iq(xml: &str) -> Iq {
    let element: Element = xml.parse().expect("test XML parses");
    Iq::try_from(element).expect("an IQ")
}

/// The Jingle request of an IQ `xml` (its sender and id left aside).
fn jingle_request(xml: &str) -> Jingle {
    match iq_signal(&iq(xml)) {
        Some(Signal::Jingle { jingle, .. }) => *jingle,
        other => panic!("expected a Jingle request, got {other:?}"),
    }
}

fn jid(s: &str) -> Jid {
    s.parse().expect("valid JID")
}

fn romeo() -> BareJid {
    "romeo@montague.example".parse().expect("valid JID")
}

fn juliet() -> BareJid {
    "juliet@capulet.example".parse().expect("valid JID")
}

fn jmi(signal: Option<Signal>) -> JmiSignal {
    match signal {
        Some(Signal::Jmi(jmi)) => jmi,
        other => panic!("expected a JMI signal, got {other:?}"),
    }
}

// XEP-0353 §3.1, as Juliet receives it.
#[test]
fn the_spec_proposal() {
    let received = jmi(message_signal(
        &juliet(),
        &message(
            "<message xmlns='jabber:client' from='romeo@montague.example/orchard' \
               to='juliet@capulet.example' type='chat'>\
               <propose xmlns='urn:xmpp:jingle-message:0' id='ca3cf894-5325-482f-a412-a6e9f832298d'>\
                 <description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/>\
               </propose>\
               <store xmlns='urn:xmpp:hints'/>\
             </message>",
        ),
    ));
    assert_eq!(received.from, jid("romeo@montague.example/orchard"));
    assert_eq!(received.to, Some(jid("juliet@capulet.example")));
    assert!(!received.from_own_account);
    assert_eq!(
        received.message,
        JmiMessage::Propose {
            sid: CallId::new(SID),
            media: vec![MediaKind::Audio],
        }
    );
}

// A video call proposal: one description per medium, and a child element
// this client does not know, which must not spoil the rest.
#[test]
fn a_video_call_proposal_with_an_extra_child() {
    let received = jmi(message_signal(
        &juliet(),
        &message(
            "<message xmlns='jabber:client' from='romeo@montague.example/phone' \
               to='juliet@capulet.example' type='chat' id='jm-propose-1'>\
               <propose xmlns='urn:xmpp:jingle-message:0' id='5ae3c2b1'>\
                 <description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/>\
                 <description xmlns='urn:xmpp:jingle:apps:rtp:1' media='video'/>\
                 <device xmlns='urn:example:verification' id='4711'/>\
               </propose>\
               <request xmlns='urn:xmpp:receipts'/>\
               <store xmlns='urn:xmpp:hints'/>\
             </message>",
        ),
    ));
    assert_eq!(
        received.message,
        JmiMessage::Propose {
            sid: CallId::new("5ae3c2b1"),
            media: vec![MediaKind::Audio, MediaKind::Video],
        }
    );
}

// XEP-0353 §3.2 and §3.4 (ringing and proceed to the caller's bare JID),
// and a proceed addressed to the proposing resource, as some clients send it.
#[test]
fn ringing_and_proceed() {
    let ringing = jmi(message_signal(
        &romeo(),
        &message(
            "<message xmlns='jabber:client' from='juliet@capulet.example/phone' \
               to='romeo@montague.example' type='chat'>\
               <ringing xmlns='urn:xmpp:jingle-message:0' id='ca3cf894-5325-482f-a412-a6e9f832298d'/>\
               <store xmlns='urn:xmpp:hints'/>\
             </message>",
        ),
    ));
    assert_eq!(
        ringing.message,
        JmiMessage::Ringing {
            sid: CallId::new(SID)
        }
    );
    let proceed = jmi(message_signal(
        &romeo(),
        &message(
            "<message xmlns='jabber:client' from='juliet@capulet.example/balcony' \
               to='romeo@montague.example/orchard' type='chat'>\
               <proceed xmlns='urn:xmpp:jingle-message:0' id='ca3cf894-5325-482f-a412-a6e9f832298d'/>\
             </message>",
        ),
    ));
    assert_eq!(proceed.from, jid("juliet@capulet.example/balcony"));
    assert_eq!(proceed.to, Some(jid("romeo@montague.example/orchard")));
    assert_eq!(
        proceed.message,
        JmiMessage::Proceed {
            sid: CallId::new(SID)
        }
    );
}

// XEP-0353 §3.5, §3.3 and §3.6.
#[test]
fn reject_retract_and_finish_with_reasons() {
    let cases = [
        (
            "<reject xmlns='urn:xmpp:jingle-message:0' id='s'>\
               <reason xmlns='urn:xmpp:jingle:1'><busy/><text>Busy</text></reason></reject>",
            JmiMessage::Reject {
                sid: CallId::new("s"),
                reason: Some(Reason::Busy),
                tie_break: false,
            },
        ),
        (
            "<retract xmlns='urn:xmpp:jingle-message:0' id='s'>\
               <reason xmlns='urn:xmpp:jingle:1'><cancel/><text>Retracted</text></reason></retract>",
            JmiMessage::Retract {
                sid: CallId::new("s"),
                reason: Some(Reason::Cancel),
                tie_break: false,
            },
        ),
        (
            "<finish xmlns='urn:xmpp:jingle-message:0' id='s'>\
               <reason xmlns='urn:xmpp:jingle:1'><success/><text>Success</text></reason></finish>",
            JmiMessage::Finish {
                sid: CallId::new("s"),
                reason: Some(Reason::Success),
                migrated_to: None,
            },
        ),
    ];
    for (payload, expected) in cases {
        let received = jmi(message_signal(
            &romeo(),
            &message(&format!(
                "<message xmlns='jabber:client' from='juliet@capulet.example/phone' \
                   to='romeo@montague.example' type='chat'>{payload}\
                   <store xmlns='urn:xmpp:hints'/></message>"
            )),
        ));
        assert_eq!(received.message, expected);
    }
}

// The legacy way to stop the user's other devices ringing: <accept/> from
// the answering device to the user's own bare JID.
#[test]
fn a_legacy_accept_from_our_other_device() {
    let received = jmi(message_signal(
        &romeo(),
        &message(
            "<message xmlns='jabber:client' from='romeo@montague.example/desk' \
               to='romeo@montague.example' type='chat'>\
               <accept xmlns='urn:xmpp:jingle-message:0' id='ca3cf894-5325-482f-a412-a6e9f832298d'/>\
             </message>",
        ),
    ));
    assert!(received.from_own_account);
    assert_eq!(
        received.message,
        JmiMessage::Accept {
            sid: CallId::new(SID)
        }
    );
}

// XEP-0280 §6: what our other device sent to the caller reaches us as a
// sent carbon.
#[test]
fn a_carbon_of_our_other_devices_proceed() {
    let received = jmi(message_signal(
        &romeo(),
        &message(
            "<message xmlns='jabber:client' from='romeo@montague.example' \
               to='romeo@montague.example/orchard' type='chat'>\
               <sent xmlns='urn:xmpp:carbons:2'>\
                 <forwarded xmlns='urn:xmpp:forward:0'>\
                   <message xmlns='jabber:client' from='romeo@montague.example/desk' \
                     to='juliet@capulet.example' type='chat'>\
                     <proceed xmlns='urn:xmpp:jingle-message:0' id='ca3cf894-5325-482f-a412-a6e9f832298d'/>\
                     <store xmlns='urn:xmpp:hints'/>\
                   </message>\
                 </forwarded>\
               </sent>\
             </message>",
        ),
    ));
    assert!(received.from_own_account);
    assert_eq!(received.from, jid("romeo@montague.example/desk"));
    assert_eq!(received.to, Some(jid("juliet@capulet.example")));
    assert!(matches!(received.message, JmiMessage::Proceed { .. }));
}

// A message from the peer to another of our devices, copied to us.
#[test]
fn a_received_carbon_keeps_its_addressing() {
    let received = jmi(message_signal(
        &romeo(),
        &message(
            "<message xmlns='jabber:client' from='romeo@montague.example' \
               to='romeo@montague.example/orchard' type='chat'>\
               <received xmlns='urn:xmpp:carbons:2'>\
                 <forwarded xmlns='urn:xmpp:forward:0'>\
                   <message xmlns='jabber:client' from='juliet@capulet.example/phone' \
                     to='romeo@montague.example/desk' type='chat'>\
                     <retract xmlns='urn:xmpp:jingle-message:0' id='s'>\
                       <reason xmlns='urn:xmpp:jingle:1'><cancel/></reason>\
                     </retract>\
                   </message>\
                 </forwarded>\
               </received>\
             </message>",
        ),
    ));
    assert!(!received.from_own_account);
    assert_eq!(received.to, Some(jid("romeo@montague.example/desk")));
}

#[test]
fn forged_bounced_and_unrelated_messages_carry_nothing() {
    let forged = "<message xmlns='jabber:client' from='mallory@evil.example/x' \
           to='romeo@montague.example/orchard' type='chat'>\
           <sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>\
             <message xmlns='jabber:client' from='romeo@montague.example/desk' \
               to='juliet@capulet.example' type='chat'>\
               <proceed xmlns='urn:xmpp:jingle-message:0' id='s'/></message>\
           </forwarded></sent></message>";
    let bounced = "<message xmlns='jabber:client' from='juliet@capulet.example' \
           to='romeo@montague.example/orchard' type='error'>\
           <propose xmlns='urn:xmpp:jingle-message:0' id='s'>\
             <description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/></propose>\
           <error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>\
         </message>";
    let groupchat = "<message xmlns='jabber:client' from='room@muc.example/juliet' \
           to='romeo@montague.example/orchard' type='groupchat'>\
           <propose xmlns='urn:xmpp:jingle-message:0' id='s'>\
             <description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/></propose></message>";
    let chat = "<message xmlns='jabber:client' from='juliet@capulet.example/phone' \
           to='romeo@montague.example' type='chat'><body>Call me</body></message>";
    let no_id = "<message xmlns='jabber:client' from='juliet@capulet.example/phone' \
           to='romeo@montague.example' type='chat'>\
           <proceed xmlns='urn:xmpp:jingle-message:0'/></message>";
    for xml in [forged, bounced, groupchat, chat, no_id] {
        assert_eq!(message_signal(&romeo(), &message(xml)), None, "{xml}");
    }
}

// XEP-0167 §6.1 style session-initiate: Opus with feedback, ICE-UDP with a
// candidate and a DTLS fingerprint (XEP-0320), rtcp-mux and a BUNDLE group.
#[test]
fn a_session_initiate() {
    let signal = iq_signal(&iq(
        "<iq xmlns='jabber:client' from='juliet@capulet.example/phone' \
           to='romeo@montague.example/orchard' id='jingle1' type='set'>\
           <jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' \
             initiator='juliet@capulet.example/phone' sid='a73sjjvkla37jfea'>\
             <content creator='initiator' name='0' senders='both'>\
               <description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'>\
                 <payload-type id='111' name='opus' clockrate='48000' channels='2'>\
                   <parameter name='useinbandfec' value='1'/>\
                   <rtcp-fb xmlns='urn:xmpp:jingle:apps:rtp:rtcp-fb:0' type='transport-cc'/>\
                 </payload-type>\
                 <payload-type id='0' name='PCMU' clockrate='8000'/>\
                 <rtp-hdrext xmlns='urn:xmpp:jingle:apps:rtp:rtp-hdrext:0' id='1' \
                   uri='urn:ietf:params:rtp-hdrext:ssrc-audio-level'/>\
                 <rtcp-mux/>\
               </description>\
               <transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ufrag='8hhy' \
                 pwd='asd88fgpdd777uzjYhagZg'>\
                 <fingerprint xmlns='urn:xmpp:jingle:apps:dtls:0' hash='sha-256' setup='actpass'>\
                   02:1A:CC:54:27:AB:EB:9C:53:3F:3E:4B:65:2E:7D:46:3F:54:42:CD:54:F1:7A:03:A2:7D:F9:B0:7F:46:19:B2\
                 </fingerprint>\
                 <candidate component='1' foundation='1' generation='0' id='el0747fg11' \
                   ip='10.0.1.1' network='1' port='8998' priority='2130706431' \
                   protocol='udp' type='host'/>\
               </transport>\
             </content>\
             <group xmlns='urn:xmpp:jingle:apps:grouping:0' semantics='BUNDLE'>\
               <content name='0'/>\
             </group>\
           </jingle>\
         </iq>",
    ));
    let Some(Signal::Jingle { from, id, jingle }) = signal else {
        panic!("expected a Jingle request, got {signal:?}");
    };
    assert_eq!(from, jid("juliet@capulet.example/phone"));
    assert_eq!(id, "jingle1");
    assert_eq!(jingle.action, Action::SessionInitiate);
    assert_eq!(jingle.sid.0, "a73sjjvkla37jfea");
    assert!(jingle.group.is_some());
    let content = &jingle.contents[0];
    assert_eq!(content.creator, Creator::Initiator);
    let Some(Description::Rtp(rtp)) = &content.description else {
        panic!("an RTP description");
    };
    assert_eq!(rtp.media, "audio");
    assert!(rtp.rtcp_mux);
    assert_eq!(rtp.payload_types[0].name.as_deref(), Some("opus"));
    let Some(Transport::IceUdp(ice)) = &content.transport else {
        panic!("an ICE-UDP transport");
    };
    // The transport's fields are private in xmpp-parsers: look at the XML.
    let ice = Element::from(ice.clone());
    assert_eq!(ice.attr("ufrag"), Some("8hhy"));
    assert_eq!(
        ice.children().filter(|c| c.name() == "candidate").count(),
        1
    );
    let fingerprint = ice
        .get_child("fingerprint", "urn:xmpp:jingle:apps:dtls:0")
        .expect("the DTLS fingerprint survives");
    assert_eq!(fingerprint.attr("setup"), Some("actpass"));
}

// XEP-0167 §7.4: mute as session-info.
#[test]
fn a_mute_session_info() {
    let jingle = jingle_request(
        "<iq xmlns='jabber:client' from='juliet@capulet.example/balcony' \
           to='romeo@montague.example/orchard' id='mute1' type='set'>\
           <jingle xmlns='urn:xmpp:jingle:1' action='session-info' \
             initiator='romeo@montague.example/orchard' sid='a73sjjvkla37jfea'>\
             <mute xmlns='urn:xmpp:jingle:apps:rtp:info:1' creator='responder' name='voice'/>\
           </jingle>\
         </iq>",
    );
    assert_eq!(jingle.action, Action::SessionInfo);
    assert!(jingle.other[0].is("mute", "urn:xmpp:jingle:apps:rtp:info:1"));
}

// As Dino 0.4.2 sent it (captured live) for a video content it had no
// camera for: only the initiator sends; no description or transport.
#[test]
fn dinos_content_modify() {
    let jingle = jingle_request(
        "<iq xmlns='jabber:client' from='dino@localhost/dino.interop' \
           id='9193b760-048b-49fc-9409-48886c254c85' to='alice@localhost/warbler.d56b8982' \
           type='set'>\
           <jingle xmlns='urn:xmpp:jingle:1' action='content-modify' \
             initiator='alice@localhost/warbler.d56b8982' \
             sid='251db51e-9acc-478a-a5a2-e25f896da7e1'>\
             <content creator='initiator' name='video' senders='initiator'/>\
           </jingle>\
         </iq>",
    );
    assert_eq!(jingle.action, Action::ContentModify);
    let content = &jingle.contents[0];
    assert_eq!(content.name.0, "video");
    assert_eq!(content.senders, Senders::Initiator);
    assert!(content.description.is_none() && content.transport.is_none());
}

#[test]
fn a_broken_jingle_request_is_reported_for_an_error_reply() {
    for payload in [
        "<jingle xmlns='urn:xmpp:jingle:1' action='dance' sid='x'/>",
        "<jingle xmlns='urn:xmpp:jingle:1' action='session-info'/>",
        // A pretty-printed fingerprint: the parser's hex decoder would panic.
        "<jingle xmlns='urn:xmpp:jingle:1' action='transport-info' sid='x'>\
           <content creator='initiator' name='0'>\
             <transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ufrag='u' pwd='p'>\
               <fingerprint xmlns='urn:xmpp:jingle:apps:dtls:0' hash='sha-256' setup='actpass'>\n AB:CD</fingerprint></transport></content></jingle>",
        "<jingle xmlns='urn:xmpp:jingle:1' action='transport-info' sid='x'>\
           <content creator='initiator' name='0'>\
             <transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ufrag='u' pwd='p'>\
               <fingerprint xmlns='urn:xmpp:jingle:apps:dtls:0' hash='sha-256' setup='actpass'>\
               ABC</fingerprint></transport></content></jingle>",
    ] {
        let signal = iq_signal(&iq(&format!(
            "<iq xmlns='jabber:client' from='juliet@capulet.example/phone' id='bad' type='set'>\
               {payload}</iq>"
        )));
        assert_eq!(
            signal,
            Some(Signal::MalformedJingle {
                from: jid("juliet@capulet.example/phone"),
                id: "bad".into(),
            })
        );
    }
}

#[test]
fn results_and_errors_of_our_requests() {
    assert_eq!(
        iq_signal(&iq(
            "<iq xmlns='jabber:client' from='juliet@capulet.example/phone' id='j1' type='result'/>"
        )),
        Some(Signal::IqResult {
            from: jid("juliet@capulet.example/phone"),
            id: "j1".into(),
        })
    );
    for (condition, failure) in [
        (
            "<conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>\
             <tie-break xmlns='urn:xmpp:jingle:errors:1'/>",
            IqFailure::TieBreak,
        ),
        (
            "<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>\
             <unknown-session xmlns='urn:xmpp:jingle:errors:1'/>",
            IqFailure::UnknownSession,
        ),
        (
            "<unexpected-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>\
             <out-of-order xmlns='urn:xmpp:jingle:errors:1'/>",
            IqFailure::OutOfOrder,
        ),
        (
            "<feature-not-implemented xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>\
             <unsupported-info xmlns='urn:xmpp:jingle:errors:1'/>",
            IqFailure::UnsupportedInfo,
        ),
        (
            "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>",
            IqFailure::Other,
        ),
    ] {
        let signal = iq_signal(&iq(&format!(
            "<iq xmlns='jabber:client' from='juliet@capulet.example/phone' id='j2' type='error'>\
               <error type='cancel'>{condition}</error></iq>"
        )));
        assert_eq!(
            signal,
            Some(Signal::IqError {
                from: jid("juliet@capulet.example/phone"),
                id: "j2".into(),
                failure,
            })
        );
    }
}

#[test]
fn other_iqs_are_not_for_calls() {
    for xml in [
        "<iq xmlns='jabber:client' from='juliet@capulet.example/phone' id='p' type='get'>\
           <ping xmlns='urn:xmpp:ping'/></iq>",
        "<iq xmlns='jabber:client' from='juliet@capulet.example/phone' id='q' type='set'>\
           <query xmlns='jabber:iq:roster'/></iq>",
        // No sender: nobody to answer.
        "<iq xmlns='jabber:client' id='r' type='set'>\
           <jingle xmlns='urn:xmpp:jingle:1' action='session-info' sid='x'/></iq>",
    ] {
        assert_eq!(iq_signal(&iq(xml)), None, "{xml}");
    }
}

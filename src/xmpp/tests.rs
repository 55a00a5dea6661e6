//! Handler tests built from the examples of RFC 6121 and the XEPs, plus
//! hostile input that must be dropped rather than acted upon.

use xmpp_parsers::jid::{BareJid, Jid};
use xmpp_parsers::message::Message;
use xmpp_parsers::minidom::Element;
use xmpp_parsers::presence::Presence;

use super::disco;
use super::message::{self, Dropped};
use super::presence::{self, PresenceBook, PresenceEvent};
use super::roster::{self, PushRejected, RosterChange};
use crate::model::{ChatState, Direction, PresenceShow, Subscription};

fn el(xml: &str) -> Element {
    xml.parse().expect("test XML parses")
}

fn msg(xml: &str) -> Message {
    Message::try_from(el(xml)).expect("a message")
}

fn bare(s: &str) -> BareJid {
    s.parse().expect("bare jid")
}

const JULIET: &str = "juliet@example.com";

// RFC 6121 §5.2.3 (body), XEP-0085 §5.1 (active) and XEP-0184 §4 (request).
#[test]
fn chat_message_with_receipt_request_and_chat_state() {
    let m = msg(
        "<message xmlns='jabber:client' from='romeo@example.net/orchard' \
        to='juliet@example.com/balcony' id='richard2-4.1.247' type='chat'>\
        <body>Wherefore art thou, Romeo?</body>\
        <active xmlns='http://jabber.org/protocol/chatstates'/>\
        <request xmlns='urn:xmpp:receipts'/></message>",
    );
    let got = message::classify(&bare(JULIET), m).expect("kept");
    assert_eq!(got.peer, bare("romeo@example.net"));
    assert_eq!(got.direction, Direction::Incoming);
    assert_eq!(got.body.as_deref(), Some("Wherefore art thou, Romeo?"));
    assert_eq!(got.id.as_deref(), Some("richard2-4.1.247"));
    assert!(got.wants_receipt);
    assert_eq!(got.chat_state, Some(ChatState::Active));
}

// XEP-0184 §4 example 2.
#[test]
fn receipt_names_the_acknowledged_message() {
    let m = msg(
        "<message xmlns='jabber:client' from='kingrichard@royalty.england.lit/throne' \
        id='bi29sg183b4v' to='northumberland@shakespeare.lit/westminster'>\
        <received xmlns='urn:xmpp:receipts' id='richard2-4.1.247'/></message>",
    );
    let got = message::classify(&bare("northumberland@shakespeare.lit"), m).expect("kept");
    assert_eq!(got.receipt_for.as_deref(), Some("richard2-4.1.247"));
    assert!(got.body.is_none());
    assert!(!got.wants_receipt, "no receipt for a body-less message");
}

// XEP-0085 §5.2: composing without a body.
#[test]
fn standalone_composing_notification() {
    let m = msg(
        "<message xmlns='jabber:client' from='bernardo@shakespeare.lit/pda' \
        to='francisco@shakespeare.lit' type='chat'>\
        <composing xmlns='http://jabber.org/protocol/chatstates'/></message>",
    );
    let got = message::classify(&bare("francisco@shakespeare.lit"), m).expect("kept");
    assert_eq!(got.chat_state, Some(ChatState::Composing));
    assert!(got.body.is_none());
}

// XEP-0280 §7.1: a received carbon from our own account.
#[test]
fn received_carbon_is_unwrapped() {
    let m = msg(
        "<message xmlns='jabber:client' from='romeo@montague.example' \
        to='romeo@montague.example/home' type='chat'>\
        <received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>\
        <message xmlns='jabber:client' from='juliet@capulet.example/balcony' \
        to='romeo@montague.example/garden' type='chat'>\
        <body>What man art thou that, thus bescreen'd in night, so stumblest on my counsel?</body>\
        <thread>0e3141cd80894871a68e6fe6b1ec56fa</thread></message></forwarded></received></message>",
    );
    let got = message::classify(&bare("romeo@montague.example"), m).expect("kept");
    assert_eq!(got.peer, bare("juliet@capulet.example"));
    assert_eq!(got.direction, Direction::Incoming);
    assert!(got.body.expect("body").starts_with("What man art thou"));
}

// XEP-0280 §7.2: a sent carbon is our own message to the peer.
#[test]
fn sent_carbon_is_outgoing_to_the_recipient() {
    let m = msg(
        "<message xmlns='jabber:client' to='romeo@montague.example/garden' \
        from='romeo@montague.example' type='chat'>\
        <sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>\
        <message xmlns='jabber:client' to='juliet@capulet.example/balcony' \
        from='romeo@montague.example/home' type='chat' id='x1'>\
        <body>Neither, fair saint, if either thee dislike.</body>\
        <origin-id xmlns='urn:xmpp:sid:0' id='o1'/>\
        <request xmlns='urn:xmpp:receipts'/></message></forwarded></sent></message>",
    );
    let got = message::classify(&bare("romeo@montague.example"), m).expect("kept");
    assert_eq!(got.direction, Direction::Outgoing);
    assert_eq!(got.peer, bare("juliet@capulet.example"));
    assert_eq!(got.origin_id.as_deref(), Some("o1"));
    assert!(
        !got.wants_receipt,
        "we never answer our own receipt requests"
    );
}

// XEP-0280 §11: a carbon from anyone else is a forgery.
#[test]
fn forged_carbon_is_dropped() {
    let m = msg(
        "<message xmlns='jabber:client' from='mallory@evil.example/x' \
        to='romeo@montague.example/home' type='chat'>\
        <received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>\
        <message xmlns='jabber:client' from='juliet@capulet.example/balcony' \
        to='romeo@montague.example' type='chat'><body>send me your password</body>\
        </message></forwarded></received></message>",
    );
    assert_eq!(
        message::classify(&bare("romeo@montague.example"), m),
        Err(Dropped::ForgedCarbon)
    );
}

#[test]
fn group_chat_and_headlines_are_not_one_to_one() {
    for kind in ["groupchat", "headline"] {
        let m = msg(&format!(
            "<message xmlns='jabber:client' from='room@muc.example/nick' \
            type='{kind}'><body>hi</body></message>"
        ));
        assert_eq!(message::classify(&bare(JULIET), m), Err(Dropped::NotAChat));
    }
}

// XEP-0203 §3: the sender's timestamp is kept.
#[test]
fn delayed_delivery_stamp_is_used() {
    let m = msg(
        "<message xmlns='jabber:client' from='romeo@montague.net/orchard' \
        to='juliet@capulet.com' type='chat'><body>O blessed, blessed night!</body>\
        <delay xmlns='urn:xmpp:delay' from='capulet.com' stamp='2002-09-10T23:08:25Z'/></message>",
    );
    let got = message::classify(&bare("juliet@capulet.com"), m).expect("kept");
    assert_eq!(
        got.delayed,
        Some(crate::model::Timestamp(1_031_699_305_000))
    );
}

#[test]
fn bounced_message_carries_its_condition() {
    let m = msg(
        "<message xmlns='jabber:client' from='nobody@example.net' type='error' id='o7'>\
        <body>hello</body><error type='cancel'>\
        <service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>",
    );
    let got = message::classify(&bare(JULIET), m).expect("kept");
    assert_eq!(got.error.as_deref(), Some("service-unavailable"));
    assert!(got.body.is_none(), "a bounce is not a new message");
}

#[test]
fn markup_in_a_body_stays_text() {
    let m = msg(
        "<message xmlns='jabber:client' from='romeo@example.net/a' type='chat'>\
        <body>&lt;b&gt;bold&lt;/b&gt; &amp; <![CDATA[<i>x</i>]]></body></message>",
    );
    let got = message::classify(&bare(JULIET), m).expect("kept");
    assert_eq!(got.body.as_deref(), Some("<b>bold</b> & <i>x</i>"));
}

#[test]
fn outgoing_message_has_origin_id_receipt_request_and_lang() {
    let m = message::outgoing_chat(&bare("romeo@example.net"), "hi <there>", "abc", "en");
    let xml = String::from(&Element::from(m));
    assert!(xml.contains("id='abc'"), "{xml}");
    assert!(
        xml.contains("<origin-id xmlns='urn:xmpp:sid:0' id='abc'/>"),
        "{xml}"
    );
    assert!(xml.contains("<request xmlns='urn:xmpp:receipts'"), "{xml}");
    assert!(xml.contains("xml:lang='en'"), "{xml}");
    assert!(xml.contains("hi &lt;there&gt;"), "{xml}");
}

// RFC 6121 §4.7.1 and §4.7.2.
#[test]
fn presence_show_and_status_are_parsed() {
    let p = Presence::try_from(el("<presence xmlns='jabber:client' \
        from='romeo@example.net/orchard'><show>dnd</show>\
        <status>Wooing Juliet</status><priority>1</priority></presence>"))
    .expect("presence");
    match presence::classify(&p) {
        PresenceEvent::Available {
            status, priority, ..
        } => {
            assert_eq!(status.show, PresenceShow::DoNotDisturb);
            assert_eq!(status.status.as_deref(), Some("Wooing Juliet"));
            assert_eq!(priority, 1);
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn the_most_reachable_resource_wins_and_unavailable_removes_it() {
    let mut book = PresenceBook::default();
    let romeo = bare("romeo@example.net");
    let avail = |res: &str, show: PresenceShow| PresenceEvent::Available {
        from: Jid::from(romeo.with_resource_str(res).expect("resource")),
        status: crate::model::PresenceStatus { show, status: None },
        priority: 0,
    };
    book.apply(&avail("phone", PresenceShow::Away));
    let (_, agg) = book
        .apply(&avail("desk", PresenceShow::Available))
        .expect("contact");
    assert_eq!(agg.show, PresenceShow::Available);
    let gone = PresenceEvent::Unavailable {
        from: Jid::from(romeo.with_resource_str("desk").expect("resource")),
    };
    let (_, agg) = book.apply(&gone).expect("contact");
    assert_eq!(agg.show, PresenceShow::Away);
    assert_eq!(book.clear(), vec![romeo.clone()]);
    assert_eq!(book.aggregate(&romeo).show, PresenceShow::Offline);
}

#[test]
fn presence_that_changes_nothing_is_not_reported() {
    let mut book = PresenceBook::default();
    let romeo = bare("romeo@example.net");
    // A probe answer for a contact already known to be offline.
    let offline = PresenceEvent::Unavailable {
        from: Jid::from(romeo.clone()),
    };
    assert_eq!(book.apply(&offline), None);
    let online = PresenceEvent::Available {
        from: Jid::from(romeo.with_resource_str("desk").expect("resource")),
        status: crate::model::PresenceStatus {
            show: PresenceShow::Available,
            status: Some("Here".into()),
        },
        priority: 0,
    };
    assert!(book.apply(&online).is_some());
    // The same presence again (a re-broadcast) changes nothing.
    assert_eq!(book.apply(&online), None);
    let (_, agg) = book.apply(&offline).expect("went offline");
    assert_eq!(agg.show, PresenceShow::Offline);
    assert!(book.clear().is_empty(), "nothing left to clear");
}

#[test]
fn subscription_request_is_recognised() {
    let p = Presence::try_from(el("<presence xmlns='jabber:client' \
        from='juliet@example.com' type='subscribe'/>"))
    .expect("presence");
    assert_eq!(
        presence::classify(&p),
        PresenceEvent::SubscribeRequest { from: bare(JULIET) }
    );
}

#[test]
fn own_presence_carries_caps_and_show() {
    let status = crate::model::PresenceStatus {
        show: PresenceShow::Away,
        status: Some("lunch".into()),
    };
    let xml = String::from(&Element::from(presence::own_presence(
        &status,
        disco::own_caps(),
    )));
    assert!(xml.contains("<show>away</show>"), "{xml}");
    assert!(xml.contains("lunch"), "{xml}");
    assert!(xml.contains("http://jabber.org/protocol/caps"), "{xml}");
}

// RFC 6121 §2.1.4 example with versioning (§2.6).
#[test]
fn roster_result_with_version() {
    let payload = el("<query xmlns='jabber:iq:roster' ver='ver11'>\
        <item jid='romeo@example.net' name='Romeo' subscription='both'><group>Friends</group></item>\
        <item jid='mercutio@example.com' name='Mercutio' subscription='from'/>\
        <item jid='benvolio@example.net' name='Benvolio' subscription='none' ask='subscribe'/>\
        </query>");
    let (ver, items) = roster::parse_result(Some(payload)).expect("full roster");
    assert_eq!(ver.as_deref(), Some("ver11"));
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].groups, vec!["Friends".to_owned()]);
    assert_eq!(items[0].subscription, Subscription::Both);
    assert!(items[2].pending_out);
    // An empty result means "your cached version is current".
    assert!(roster::parse_result(None).is_none());
}

// RFC 6121 §2.1.6: pushes from our server are applied; others ignored.
#[test]
fn roster_push_from_a_stranger_is_rejected() {
    let own = bare(JULIET);
    let push = || {
        el("<query xmlns='jabber:iq:roster' ver='ver13'>\
        <item jid='nurse@example.com' subscription='remove'/></query>")
    };
    let ok = roster::parse_push(&own, None, push()).expect("from the server");
    assert_eq!(
        ok,
        (
            Some("ver13".into()),
            RosterChange::Remove(bare("nurse@example.com"))
        )
    );
    let own_full: Jid = "juliet@example.com/balcony".parse().expect("jid");
    assert!(roster::parse_push(&own, Some(&own_full), push()).is_ok());
    let stranger: Jid = "mallory@evil.example/x".parse().expect("jid");
    assert_eq!(
        roster::parse_push(&own, Some(&stranger), push()),
        Err(PushRejected::Stranger)
    );
    let two = el("<query xmlns='jabber:iq:roster'><item jid='a@b'/><item jid='c@d'/></query>");
    assert_eq!(
        roster::parse_push(&own, None, two),
        Err(PushRejected::Malformed)
    );
}

#[test]
fn roster_push_with_invalid_jid_is_rejected_without_panic() {
    let bad = el("<query xmlns='jabber:iq:roster'><item jid='@@invalid@@/'/></query>");
    assert_eq!(
        roster::parse_push(&bare(JULIET), None, bad),
        Err(PushRejected::Malformed)
    );
}

// XEP-0030 §3.1 and XEP-0115 §6.2: our info answers the caps node query.
#[test]
fn disco_info_lists_exactly_our_features() {
    let query = el(&format!(
        "<query xmlns='http://jabber.org/protocol/disco#info' node='{}'/>",
        disco::caps_node()
    ));
    let reply = disco::answer_get(
        Some("romeo@example.net/x".parse().expect("jid")),
        "q1",
        query,
    );
    let xml = String::from(&Element::from(reply));
    assert!(xml.contains("type='result'"), "{xml}");
    for feature in disco::FEATURES {
        assert!(xml.contains(feature), "{feature} missing from {xml}");
    }
    // Calls, without the extensions the media engine does not act on.
    for feature in [
        "urn:xmpp:jingle:1",
        "urn:xmpp:jingle:apps:rtp:1",
        "urn:xmpp:jingle:apps:rtp:audio",
        "urn:xmpp:jingle:apps:rtp:video",
        "urn:xmpp:jingle:transports:ice-udp:1",
        "urn:xmpp:jingle:apps:dtls:0",
        "urn:xmpp:jingle-message:0",
    ] {
        assert!(xml.contains(feature), "{feature} missing from {xml}");
    }
    for absent in [
        "urn:xmpp:jingle:apps:rtp:rtcp-fb:0",
        "urn:xmpp:jingle:apps:rtp:rtp-hdrext:0",
        "urn:xmpp:jingle:apps:grouping:0",
        "urn:xmpp:jingle:transports:raw-udp:1",
    ] {
        assert!(!xml.contains(absent), "{absent} advertised in {xml}");
    }
    let wrong = el("<query xmlns='http://jabber.org/protocol/disco#info' node='other#x'/>");
    let reply = String::from(&Element::from(disco::answer_get(None, "q2", wrong)));
    assert!(reply.contains("item-not-found"), "{reply}");
}

// Calls are advertised only as far as the installed codecs carry them.
#[test]
fn call_features_follow_the_installed_codecs() {
    use crate::jingle::codec::Codec;
    const VIDEO: &str = "urn:xmpp:jingle:apps:rtp:video";
    const AUDIO: &str = "urn:xmpp:jingle:apps:rtp:audio";
    let full = disco::call_features(&Codec::ALL);
    assert!(full.contains(&AUDIO) && full.contains(&VIDEO), "{full:?}");
    let audio_only = disco::call_features(&[Codec::Pcmu]);
    assert!(audio_only.contains(&AUDIO), "{audio_only:?}");
    assert!(!audio_only.contains(&VIDEO), "{audio_only:?}");
    // Video without any audio codec cannot make a call.
    assert!(disco::call_features(&[Codec::Vp8]).is_empty());
    assert!(disco::call_features(&[]).is_empty());
    // What we advertise is what this installation can run.
    let ours = disco::own_info(None).features;
    let installed = crate::jingle::media::available_codecs();
    for feature in disco::call_features(&installed) {
        assert!(ours.iter().any(|f| f == feature), "{feature} missing");
    }
    assert_eq!(
        ours.iter().any(|f| f == VIDEO),
        installed.iter().any(|c| c.media() == "video")
    );
}

#[test]
fn ping_is_answered_and_unknown_queries_refused() {
    let ping = el("<ping xmlns='urn:xmpp:ping'/>");
    let reply = String::from(&Element::from(disco::answer_get(None, "p1", ping)));
    assert!(reply.contains("type='result'"), "{reply}");
    let unknown = el("<query xmlns='urn:example:unknown'/>");
    let reply = String::from(&Element::from(disco::answer_get(None, "u1", unknown)));
    assert!(reply.contains("service-unavailable"), "{reply}");
}

//! Room archives (XEP-0313 with XEP-0059 paging): the query we send, the
//! results we believe, and the end of a page.

use xmpp_parsers::message::Message;

use super::{coven, el, iq, message, xml};
use crate::model::{Moderation, Timestamp};
use crate::xmpp::muc::directory::{ArchiveFin, archive_fin, archive_query};
use crate::xmpp::muc::message::archived;

fn mam_result(from: &str, inner_from: &str) -> Message {
    message(&format!(
        "<message xmlns='jabber:client' id='iasd207' from='{from}' \
         to='hag66@shakespeare.lit/pda'>\
         <result xmlns='urn:xmpp:mam:2' queryid='g27' id='34482-21985-73620'>\
         <forwarded xmlns='urn:xmpp:forward:0'>\
         <delay xmlns='urn:xmpp:delay' stamp='2002-10-13T23:58:37Z'/>\
         <message xmlns='jabber:client' from='{inner_from}' \
         id='162BEBB1-F6DB-4D9A-9BD8-CFDCC801A0B2' type='groupchat'>\
         <body>Thrice the brinded cat hath mew'd.</body>\
         <stanza-id xmlns='urn:xmpp:sid:0' id='inner' by='coven@chat.shakespeare.lit'/>\
         <x xmlns='http://jabber.org/protocol/muc#user'>\
         <item affiliation='none' jid='witch1@shakespeare.lit' role='participant'/></x>\
         </message></forwarded></result></message>"
    ))
}

// XEP-0313 §4.2 example (a MUC archive): the result unwraps to the room
// message, with the archive's id and time.
#[test]
fn archived_room_message() {
    let got = archived(
        &mam_result(
            "coven@chat.shakespeare.lit",
            "coven@chat.shakespeare.lit/firstwitch",
        ),
        &coven(),
    )
    .expect("an archived message");
    assert_eq!(got.query_id, "g27");
    assert_eq!(got.message.room, coven());
    assert_eq!(got.message.nick.as_deref(), Some("firstwitch"));
    assert_eq!(
        got.message.body.as_deref(),
        Some("Thrice the brinded cat hath mew'd.")
    );
    assert_eq!(got.message.server_id.as_deref(), Some("34482-21985-73620"));
    assert_eq!(got.message.delayed, Some(Timestamp(1_034_553_517_000)));
}

// XEP-0313 §5 (security): results are believed only from the archive, the
// room's own bare address; an occupant (even in a private message) or a
// stranger cannot inject history.
#[test]
fn archived_result_from_anyone_else_is_rejected() {
    for from in [
        "hag66@shakespeare.lit/pda",
        "coven@chat.shakespeare.lit/thirdwitch",
        "chat.shakespeare.lit",
    ] {
        let m = mam_result(from, "coven@chat.shakespeare.lit/firstwitch");
        assert_eq!(archived(&m, &coven()), None, "from {from}");
    }
    // A result about another room, from this one.
    let m = mam_result(
        "coven@chat.shakespeare.lit",
        "heath@chat.shakespeare.lit/firstwitch",
    );
    assert_eq!(archived(&m, &coven()), None);
    // A live message is not a result.
    let live = message(
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit/firstwitch' \
         type='groupchat'><body>live</body></message>",
    );
    assert_eq!(archived(&live, &coven()), None);
}

// Broken results: no id, no forwarded message, an unparsable inner message.
#[test]
fn broken_archive_results_are_dropped() {
    for result in [
        "<result xmlns='urn:xmpp:mam:2' queryid='g27'><forwarded xmlns='urn:xmpp:forward:0'>\
         <message xmlns='jabber:client' from='coven@chat.shakespeare.lit/a' type='groupchat'>\
         <body>x</body></message></forwarded></result>",
        "<result xmlns='urn:xmpp:mam:2' queryid='g27' id='1'/>",
        "<result xmlns='urn:xmpp:mam:2' queryid='g27' id='1'>\
         <forwarded xmlns='urn:xmpp:forward:0'/></result>",
        "<result xmlns='urn:xmpp:mam:2' queryid='g27' id='1'>\
         <forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' \
         from='@@@' type='groupchat'/></forwarded></result>",
    ] {
        let m = message(&format!(
            "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit'>{result}</message>"
        ));
        assert_eq!(archived(&m, &coven()), None, "{result}");
    }
}

// An archived tombstone survives the unwrapping.
#[test]
fn archived_tombstone() {
    let m = message(
        "<message xmlns='jabber:client' from='coven@chat.shakespeare.lit'>\
         <result xmlns='urn:xmpp:mam:2' queryid='q' id='a1'>\
         <forwarded xmlns='urn:xmpp:forward:0'>\
         <delay xmlns='urn:xmpp:delay' stamp='2019-09-20T23:08:25Z'/>\
         <message xmlns='jabber:client' from='coven@chat.shakespeare.lit/thirdwitch' \
         type='groupchat'>\
         <retracted stamp='2019-09-20T23:09:32Z' xmlns='urn:xmpp:message-retract:1'>\
         <moderated by='coven@chat.shakespeare.lit/macbeth' \
         xmlns='urn:xmpp:message-moderate:1'/></retracted></message>\
         </forwarded></result></message>",
    );
    let got = archived(&m, &coven()).expect("an archived tombstone");
    assert_eq!(
        got.message.tombstone,
        Some(Moderation {
            by: Some("macbeth".into()),
            reason: None
        })
    );
    assert_eq!(got.message.server_id.as_deref(), Some("a1"));
}

// XEP-0313 §4.3 with XEP-0059 §2.5: the newest page is asked for with an
// empty `<before/>`.
#[test]
fn query_for_the_newest_page() {
    let q = archive_query("q29309", &coven(), "f27", None, Some(""), 50);
    assert_eq!(
        xml(q),
        el("<iq xmlns='jabber:client' type='set' id='q29309' \
            to='coven@chat.shakespeare.lit'>\
            <query xmlns='urn:xmpp:mam:2' queryid='f27'>\
            <set xmlns='http://jabber.org/protocol/rsm'><max>50</max><before/></set>\
            </query></iq>")
    );
}

// XEP-0059 §2.5 and §2.2: the page before a cursor, and the messages after
// the newest one we have (catching up after a rejoin).
#[test]
fn query_before_and_after_a_cursor() {
    let q = archive_query("q1", &coven(), "f28", None, Some("09af3-cc343-b409f"), 10);
    assert_eq!(
        xml(q),
        el(
            "<iq xmlns='jabber:client' type='set' id='q1' to='coven@chat.shakespeare.lit'>\
            <query xmlns='urn:xmpp:mam:2' queryid='f28'>\
            <set xmlns='http://jabber.org/protocol/rsm'><max>10</max>\
            <before>09af3-cc343-b409f</before></set></query></iq>"
        )
    );
    let q = archive_query("q2", &coven(), "f29", Some("28482-98726-73623"), None, 100);
    assert_eq!(
        xml(q),
        el(
            "<iq xmlns='jabber:client' type='set' id='q2' to='coven@chat.shakespeare.lit'>\
            <query xmlns='urn:xmpp:mam:2' queryid='f29'>\
            <set xmlns='http://jabber.org/protocol/rsm'><max>100</max>\
            <after>28482-98726-73623</after></set></query></iq>"
        )
    );
}

// XEP-0313 §4.3 example: the `<fin/>` of a complete query with its cursors.
#[test]
fn fin_complete_with_cursors() {
    let result = iq("<iq xmlns='jabber:client' type='result' id='q29309' \
         from='coven@chat.shakespeare.lit'>\
         <fin xmlns='urn:xmpp:mam:2' complete='true'>\
         <set xmlns='http://jabber.org/protocol/rsm'>\
         <first index='0'>28482-98726-73623</first>\
         <last>09af3-cc343-b409f</last></set></fin></iq>");
    let xmpp_parsers::iq::Iq::Result { payload, .. } = result else {
        panic!("a result");
    };
    assert_eq!(
        archive_fin(payload.as_ref()),
        ArchiveFin {
            complete: true,
            first: Some("28482-98726-73623".into()),
            last: Some("09af3-cc343-b409f".into()),
        }
    );
}

// An incomplete page, an empty archive, and no payload at all.
#[test]
fn fin_incomplete_and_empty() {
    let fin = el(
        "<fin xmlns='urn:xmpp:mam:2'><set xmlns='http://jabber.org/protocol/rsm'>\
                  <first>a</first><last>b</last></set></fin>",
    );
    assert!(!archive_fin(Some(&fin)).complete);
    let fin = el("<fin xmlns='urn:xmpp:mam:2' complete='1'>\
                  <set xmlns='http://jabber.org/protocol/rsm'><count>0</count></set></fin>");
    assert_eq!(
        archive_fin(Some(&fin)),
        ArchiveFin {
            complete: true,
            first: None,
            last: None
        }
    );
    assert_eq!(archive_fin(None), ArchiveFin::default());
}

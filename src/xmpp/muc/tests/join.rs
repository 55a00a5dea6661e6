//! The presences we send to rooms (XEP-0045 §7.2.1, §7.2.5, §7.2.15,
//! §7.6, §7.14): the join element, history limits, passwords, nickname
//! changes and leaving.

use xmpp_parsers::minidom::Element;
use xmpp_parsers::presence::{Presence, Type};

use super::{coven, el};
use crate::model::Timestamp;
use crate::xmpp::muc::presence::{JoinHistory, change_nick, iso8601, join, leave};

/// The `<x xmlns='…/muc'/>` of a join, after checking where it goes.
fn join_x(p: &Presence, to: &str) -> Element {
    assert_eq!(p.to.as_ref().map(ToString::to_string).as_deref(), Some(to));
    let mut xs = p
        .payloads
        .iter()
        .filter(|x| x.is("x", "http://jabber.org/protocol/muc"));
    let x = xs.next().expect("a MUC join element").clone();
    assert!(xs.next().is_none(), "one MUC join element");
    x
}

// §7.2.1 example 18 with §7.2.15 example 35: the archive fills history,
// so the join asks for none.
#[test]
fn join_asks_for_no_history() {
    let p = join(
        Presence::new(Type::None),
        &coven(),
        "thirdwitch",
        None,
        &JoinHistory::None,
    )
    .expect("a join");
    assert_eq!(
        join_x(&p, "coven@chat.shakespeare.lit/thirdwitch"),
        el("<x xmlns='http://jabber.org/protocol/muc'><history maxchars='0'/></x>")
    );
}

// §7.2.15 example 36 and §7.2.5 example 27: a number of messages, and the
// room's password.
#[test]
fn join_with_maxstanzas_and_password() {
    let p = join(
        Presence::new(Type::None),
        &coven(),
        "thirdwitch",
        Some("cauldronburn"),
        &JoinHistory::Last(20),
    )
    .expect("a join");
    assert_eq!(
        join_x(&p, "coven@chat.shakespeare.lit/thirdwitch"),
        el(
            "<x xmlns='http://jabber.org/protocol/muc'><history maxstanzas='20'/>\
            <password>cauldronburn</password></x>"
        )
    );
}

// §7.2.15 example 37: `since` is an XEP-0082 UTC date-time.
#[test]
fn join_since_uses_xep_0082_date_time() {
    let p = join(
        Presence::new(Type::None),
        &coven(),
        "thirdwitch",
        None,
        &JoinHistory::Since(Timestamp(0)),
    )
    .expect("a join");
    assert_eq!(
        join_x(&p, "coven@chat.shakespeare.lit/thirdwitch"),
        el("<x xmlns='http://jabber.org/protocol/muc'>\
            <history since='1970-01-01T00:00:00Z'/></x>")
    );
    assert_eq!(
        iso8601(Timestamp(1_034_553_517_999)),
        "2002-10-13T23:58:37Z"
    );
    assert_eq!(
        iso8601(Timestamp(1_709_210_096_000)),
        "2024-02-29T12:34:56Z"
    );
    assert_eq!(iso8601(Timestamp(-1000)), "1969-12-31T23:59:59Z");
    // What we write, xmpp-parsers (and so the room) reads back.
    let stamp = iso8601(Timestamp(1_278_803_305_000));
    let parsed: xmpp_parsers::date::DateTime = stamp.parse().expect("XEP-0082");
    assert_eq!(parsed.0.timestamp(), 1_278_803_305);
}

// The join keeps our availability and capabilities from the base presence.
#[test]
fn join_keeps_base_presence() {
    let mut base = Presence::new(Type::Unavailable);
    base.show = Some(xmpp_parsers::presence::Show::Away);
    let p = join(base, &coven(), "thirdwitch", None, &JoinHistory::None).expect("a join");
    assert_eq!(p.type_, Type::None, "a join is available presence");
    assert_eq!(p.show, Some(xmpp_parsers::presence::Show::Away));
}

// §7.14 leave, §7.6 change nickname; nicknames no JID can carry are refused
// rather than sent mangled.
#[test]
fn leave_and_change_nick() {
    let p = leave(&coven(), "thirdwitch").expect("a leave");
    assert_eq!(p.type_, Type::Unavailable);
    assert_eq!(
        p.to.map(|t| t.to_string()).as_deref(),
        Some("coven@chat.shakespeare.lit/thirdwitch")
    );
    assert!(p.payloads.is_empty());
    let p = change_nick(Presence::new(Type::None), &coven(), "oldhag").expect("a change");
    assert_eq!(p.type_, Type::None);
    assert_eq!(
        p.to.map(|t| t.to_string()).as_deref(),
        Some("coven@chat.shakespeare.lit/oldhag")
    );
    assert!(
        !p.payloads
            .iter()
            .any(|x| x.is("x", "http://jabber.org/protocol/muc")),
        "a nickname change is not a join (§7.6)"
    );
    let too_long = "w".repeat(1024);
    for nick in ["", too_long.as_str(), "\u{202e}evil"] {
        assert!(leave(&coven(), nick).is_none());
        assert!(change_nick(Presence::new(Type::None), &coven(), nick).is_none());
        assert!(
            join(
                Presence::new(Type::None),
                &coven(),
                nick,
                None,
                &JoinHistory::None
            )
            .is_none()
        );
    }
}

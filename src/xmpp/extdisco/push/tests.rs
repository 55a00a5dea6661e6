//! Pushed service changes: XEP-0215's own push applied to its own service
//! list, and hostile pushes that must neither panic nor grow the list.

use xmpp_parsers::minidom::Element;

use super::*;
use crate::xmpp::extdisco::{Transport, parse_answer};

fn el(xml: &str) -> Element {
    xml.parse().expect("test XML parses")
}

fn services(xml: &str) -> Vec<ExternalService> {
    parse_answer(Some(&el(&format!(
        "<services xmlns='urn:xmpp:extdisco:2'>{xml}</services>"
    ))))
}

fn push(xml: &str) -> Vec<PushChange> {
    parse_push(&el(&format!(
        "<services xmlns='urn:xmpp:extdisco:2'>{xml}</services>"
    )))
    .expect("a service list")
}

fn summary(services: &[ExternalService]) -> Vec<(ServiceKind, &str, Option<u16>)> {
    services
        .iter()
        .map(|s| (s.kind, s.host.as_str(), s.port))
        .collect()
}

/// XEP-0215 §3.2, Example 2: what the server listed before pushing.
fn the_xeps_list() -> Vec<ExternalService> {
    services(
        "<service host='stun.shakespeare.lit' port='9998' transport='udp' type='stun'/>\
         <service host='relay.shakespeare.lit' password='jj929jkj5sadjfj93v3n' port='9999' \
           transport='udp' type='turn' username='nb78932lkjlskjfdb7g8'/>\
         <service host='192.0.2.1' port='8888' transport='udp' type='stun'/>\
         <service host='192.0.2.1' port='8889' password='93jn3bakj9s832lrjbbz' \
           transport='udp' type='turn' username='auu98sjl2wk3e9fjdsl7'/>",
    )
}

// XEP-0215 §3.2, Example 4 ("Services Push"). The XEP leaves its first
// <service> unclosed, which no parser accepts; it is closed here.
const THE_XEPS_PUSH: &str = "<services xmlns='urn:xmpp:extdisco:2' type='turn'>\
    <service action='add' host='stun.shakespeare.lit' port='9999' transport='udp' \
      type='turn' username='1nas9dlm3hzl89d0b9v' password='gh9023ljjdk109iajqn'/>\
    <service action='add' host='192.0.2.2' port='7778' transport='udp' type='turn' \
      username='bnsv120afg48snsdozp' password='zxp023na98dsfahn1kk'/>\
    <service action='delete' host='192.0.2.1' port='8889' type='turn'/>\
    </services>";

#[test]
fn the_xeps_push_reads_as_two_additions_and_a_deletion() {
    let changes = parse_push(&el(THE_XEPS_PUSH)).expect("a service list");
    let actions: Vec<_> = changes
        .iter()
        .map(|c| (c.action, c.service.host.as_str(), c.service.port))
        .collect();
    assert_eq!(
        actions,
        [
            (PushAction::Add, "stun.shakespeare.lit", Some(9999)),
            (PushAction::Add, "192.0.2.2", Some(7778)),
            (PushAction::Delete, "192.0.2.1", Some(8889)),
        ]
    );
    let added = &changes[1].service;
    assert_eq!(added.kind, ServiceKind::Turn);
    assert_eq!(added.transport, Some(Transport::Udp));
    assert_eq!(added.username.as_deref(), Some("bnsv120afg48snsdozp"));
    assert_eq!(added.password.as_deref(), Some("zxp023na98dsfahn1kk"));
    assert_eq!(changes[2].service.transport, None);
}

#[test]
fn the_xeps_push_changes_the_xeps_list() {
    let mut known = the_xeps_list();
    let changes = parse_push(&el(THE_XEPS_PUSH)).expect("a service list");
    assert!(apply_push(&mut known, &changes));
    assert_eq!(
        summary(&known),
        [
            (ServiceKind::Stun, "stun.shakespeare.lit", Some(9998)),
            (ServiceKind::Turn, "relay.shakespeare.lit", Some(9999)),
            (ServiceKind::Stun, "192.0.2.1", Some(8888)),
            (ServiceKind::Turn, "stun.shakespeare.lit", Some(9999)),
            (ServiceKind::Turn, "192.0.2.2", Some(7778)),
        ]
    );
    // Applying it again changes the relays' data to the same data, and
    // deletes nothing more.
    let before = known.clone();
    apply_push(&mut known, &changes);
    assert_eq!(known, before);
}

#[test]
fn a_modification_replaces_the_service_in_place() {
    let mut known = the_xeps_list();
    let changes = push(
        "<service action='modify' host='relay.shakespeare.lit' port='9999' transport='udp' \
           type='turn' username='fresh-user' password='fresh-pass' \
           expires='2030-01-01T00:00:00Z'/>",
    );
    assert!(apply_push(&mut known, &changes));
    assert_eq!(summary(&known), summary(&the_xeps_list()));
    let relay = &known[1];
    assert_eq!(relay.username.as_deref(), Some("fresh-user"));
    assert_eq!(relay.password.as_deref(), Some("fresh-pass"));
    assert!(relay.expires.is_some());
}

#[test]
fn a_modification_of_an_unknown_service_adds_it() {
    let mut known = the_xeps_list();
    let changes = push("<service action='modify' host='new.shakespeare.lit' type='stun'/>");
    assert!(apply_push(&mut known, &changes));
    assert_eq!(known.len(), 5);
    assert_eq!(known[4].host, "new.shakespeare.lit");
}

#[test]
fn remove_is_delete_and_a_deletion_without_port_takes_every_port() {
    let mut known = the_xeps_list();
    let changes = push(
        "<service action='remove' host='STUN.shakespeare.lit' type='stun'/>\
         <service action='delete' host='192.0.2.1' type='turn'/>",
    );
    assert_eq!(changes[0].action, PushAction::Delete);
    assert!(apply_push(&mut known, &changes));
    assert_eq!(
        summary(&known),
        [
            (ServiceKind::Turn, "relay.shakespeare.lit", Some(9999)),
            (ServiceKind::Stun, "192.0.2.1", Some(8888)),
        ]
    );
}

#[test]
fn a_push_that_names_nothing_known_changes_nothing() {
    let mut known = the_xeps_list();
    let changes = push(
        "<service action='delete' host='192.0.2.1' port='8889' transport='tcp' type='turn'/>\
         <service action='delete' host='elsewhere.example' type='stun'/>\
         <service action='delete' host='192.0.2.1' port='8888' type='turn'/>",
    );
    assert_eq!(changes.len(), 3);
    assert!(!apply_push(&mut known, &changes));
    assert_eq!(known, the_xeps_list());
    assert!(!apply_push(&mut known, &[]));
}

#[test]
fn hostile_pushed_services_are_skipped() {
    let long_secret = "x".repeat(1000);
    let changes = push(&format!(
        "<service action='add' host='ok.example.org' type='stun'/>\
         <service action='obliterate' host='relay.shakespeare.lit' type='turn'/>\
         <service action='DELETE' host='relay.shakespeare.lit' type='turn'/>\
         <service action='delete' host='' type='turn'/>\
         <service action='delete' host='relay.shakespeare.lit' port='99999' type='turn'/>\
         <service action='add' host='evil@host' type='turn' username='u' password='p'/>\
         <service action='add' host='t.example.org' type='turn' username='{long_secret}'/>\
         <service action='delete' host='relay.shakespeare.lit' type='ftp'/>\
         <service action='delete' host='relay.shakespeare.lit'/>\
         <other action='delete' host='relay.shakespeare.lit' type='turn'/>\
         <service xmlns='urn:xmpp:extdisco:1' action='delete' host='relay.shakespeare.lit' \
           type='turn'/>"
    ));
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].service.host, "ok.example.org");
    let mut known = the_xeps_list();
    apply_push(&mut known, &changes);
    assert!(known.iter().any(|s| s.host == "relay.shakespeare.lit"));
}

#[test]
fn pushes_that_are_not_service_lists_are_not_pushes() {
    let wrong_ns = el("<services xmlns='urn:xmpp:extdisco:1'>\
        <service action='delete' host='192.0.2.1' type='turn'/></services>");
    assert_eq!(parse_push(&wrong_ns), None);
    let wrong_name = el("<credentials xmlns='urn:xmpp:extdisco:2'>\
        <service action='delete' host='192.0.2.1' type='turn'/></credentials>");
    assert_eq!(parse_push(&wrong_name), None);
    assert_eq!(push(""), []);
}

#[test]
fn pushes_cannot_grow_the_list_without_bound() {
    let many: String = (0..1000)
        .map(|n| format!("<service type='stun' host='s{n}.example.org'/>"))
        .collect();
    let flood = push(&many);
    assert_eq!(flood.len(), MAX_SERVICES);
    // Push after push of new services: the list stays bounded, and what
    // was known first is kept.
    let mut known = the_xeps_list();
    for round in 0..10 {
        let batch: String = (0..MAX_SERVICES)
            .map(|n| format!("<service type='stun' host='r{round}-{n}.example.org'/>"))
            .collect();
        apply_push(&mut known, &push(&batch));
        assert!(known.len() <= MAX_SERVICES);
    }
    assert_eq!(known.len(), MAX_SERVICES);
    assert_eq!(known[..4], the_xeps_list()[..]);
    // A modification of a known one still gets through a full list.
    let changes = push(
        "<service action='modify' host='192.0.2.1' port='8888' transport='udp' type='stun' \
           restricted='true'/>",
    );
    assert!(apply_push(&mut known, &changes));
    assert!(known[2].restricted);
}

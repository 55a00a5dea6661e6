//! External service discovery from XEP-0215's own examples, Prosody's
//! answers, and hostile input that must be skipped without a panic.

use xmpp_parsers::iq::Iq;
use xmpp_parsers::jid::BareJid;
use xmpp_parsers::minidom::Element;

use super::*;
use crate::model::Timestamp;

fn el(xml: &str) -> Element {
    xml.parse().expect("test XML parses")
}

fn server() -> BareJid {
    "capulet.lit".parse().expect("a domain")
}

/// The payload of an `<iq type='result'/>`.
fn result_payload(xml: &str) -> Option<Element> {
    match Iq::try_from(el(xml)).expect("an IQ") {
        Iq::Result { payload, .. } => payload,
        other => panic!("not a result: {other:?}"),
    }
}

fn service(kind: ServiceKind, host: &str, port: Option<u16>) -> ExternalService {
    ExternalService {
        kind,
        host: host.into(),
        port,
        transport: Some(Transport::Udp),
        username: None,
        password: None,
        expires: None,
        restricted: false,
    }
}

// XEP-0215 §3.2, Example 1.
#[test]
fn services_request_is_an_empty_services_get_to_the_server() {
    let iq = Element::from(services_request("uc51xs73", &server()));
    assert_eq!(iq.attr("type"), Some("get"));
    assert_eq!(iq.attr("to"), Some("capulet.lit"));
    assert_eq!(iq.attr("id"), Some("uc51xs73"));
    let payload = iq.children().next().expect("a payload");
    assert!(payload.is("services", NS));
    assert_eq!(payload.attrs().into_iter().count(), 0);
    assert_eq!(payload.children().count(), 0);
}

// XEP-0215 §3.2, Example 2: two STUN servers, two TURN relays with
// credentials, and two FTP servers that are not for calls.
#[test]
fn the_xeps_service_list_keeps_stun_and_turn_only() {
    let payload = result_payload(
        "<iq xmlns='jabber:client' from='capulet.lit' id='uc51xs73' \
         to='juliet@capulet.lit/balcony' type='result'>\
         <services xmlns='urn:xmpp:extdisco:2'>\
         <service host='stun.shakespeare.lit' port='9998' transport='udp' type='stun'/>\
         <service host='relay.shakespeare.lit' password='jj929jkj5sadjfj93v3n' port='9999' \
           transport='udp' type='turn' username='nb78932lkjlskjfdb7g8'/>\
         <service host='192.0.2.1' port='8888' transport='udp' type='stun'/>\
         <service host='192.0.2.1' port='8889' password='93jn3bakj9s832lrjbbz' \
           transport='udp' type='turn' username='auu98sjl2wk3e9fjdsl7'/>\
         <service host='ftp.shakespeare.lit' name='Shakespearean File Server' port='20' \
           transport='tcp' type='ftp'/>\
         <service host='192.0.2.1' port='21' transport='tcp' type='ftp'/>\
         </services></iq>",
    );
    let services = parse_answer(payload.as_ref());
    let summary: Vec<_> = services
        .iter()
        .map(|s| (s.kind, s.host.as_str(), s.port))
        .collect();
    assert_eq!(
        summary,
        [
            (ServiceKind::Stun, "stun.shakespeare.lit", Some(9998)),
            (ServiceKind::Turn, "relay.shakespeare.lit", Some(9999)),
            (ServiceKind::Stun, "192.0.2.1", Some(8888)),
            (ServiceKind::Turn, "192.0.2.1", Some(8889)),
        ]
    );
    let relay = &services[1];
    assert_eq!(relay.transport, Some(Transport::Udp));
    assert_eq!(relay.username.as_deref(), Some("nb78932lkjlskjfdb7g8"));
    assert_eq!(relay.password.as_deref(), Some("jj929jkj5sadjfj93v3n"));
    assert!(!relay.restricted);
    assert!(!relay.needs_credentials());
}

// XEP-0215 §3.3: a restricted relay whose credentials must be asked for,
// then Example 5's request and Example 6's answer.
#[test]
fn restricted_relays_get_credentials_from_a_second_request() {
    let mut services = parse_answer(Some(&el("<services xmlns='urn:xmpp:extdisco:2'>\
         <service host='turn.shakespeare.lit' port='3478' restricted='1' \
           transport='udp' type='turn'/>\
         <service host='stun.shakespeare.lit' restricted='1' type='stun'/>\
         </services>")));
    assert_eq!(services.len(), 2);
    assert!(services[0].needs_credentials());
    assert!(!services[1].needs_credentials(), "STUN never authenticates");

    let wanted: Vec<&ExternalService> = services.iter().filter(|s| s.needs_credentials()).collect();
    let request = Element::from(credentials_request("ih2k3l1x", &server(), &wanted));
    assert_eq!(request.attr("type"), Some("get"));
    assert_eq!(request.attr("to"), Some("capulet.lit"));
    let credentials = request.children().next().expect("a payload");
    assert!(credentials.is("credentials", NS));
    let asked: Vec<_> = credentials
        .children()
        .map(|s| (s.name(), s.attr("type"), s.attr("host"), s.attr("port")))
        .collect();
    assert_eq!(
        asked,
        [(
            "service",
            Some("turn"),
            Some("turn.shakespeare.lit"),
            Some("3478")
        )]
    );

    let answer = parse_answer(
        result_payload(
            "<iq xmlns='jabber:client' from='capulet.lit' id='ih2k3l1x' \
             to='juliet@capulet.lit/balcony' type='result'>\
             <credentials xmlns='urn:xmpp:extdisco:2'>\
             <service host='turn.shakespeare.lit' password='jj929jkj5sadjfj93v3n' \
               port='3478' type='turn' username='nb78932lkjlskjfdb7g8'/>\
             </credentials></iq>",
        )
        .as_ref(),
    );
    apply_credentials(&mut services, &answer);
    assert!(!services[0].needs_credentials());
    assert_eq!(
        services[0].username.as_deref(),
        Some("nb78932lkjlskjfdb7g8")
    );
    assert_eq!(
        services[0].password.as_deref(),
        Some("jj929jkj5sadjfj93v3n")
    );
    assert_eq!(services[0].transport, Some(Transport::Udp));
}

#[test]
fn credentials_for_another_service_are_not_taken() {
    let mut services = vec![ExternalService {
        restricted: true,
        ..service(ServiceKind::Turn, "turn.example.org", Some(3478))
    }];
    let answer = vec![
        ExternalService {
            username: Some("u".into()),
            password: Some("p".into()),
            ..service(ServiceKind::Turn, "evil.example.org", Some(3478))
        },
        ExternalService {
            username: Some("u".into()),
            password: Some("p".into()),
            ..service(ServiceKind::Turn, "turn.example.org", Some(3479))
        },
        ExternalService {
            username: Some("u".into()),
            password: Some("p".into()),
            ..service(ServiceKind::Turns, "turn.example.org", Some(3478))
        },
    ];
    apply_credentials(&mut services, &answer);
    assert!(services[0].needs_credentials());
}

// What Prosody 0.12's mod_turn_external answers: STUN and TURN on one host,
// TURN with time-limited credentials (TURN REST), `restricted` and
// `expires`.
#[test]
fn prosodys_turn_rest_answer_keeps_credentials_and_expiry() {
    let services = parse_answer(Some(&el("<services xmlns='urn:xmpp:extdisco:2'>\
         <service type='stun' transport='udp' host='127.0.0.1' port='3478'/>\
         <service type='turn' transport='udp' host='127.0.0.1' port='3478' \
           username='1700086400' password='Zm9vYmFyYmF6cXV4cXV1eA==' \
           expires='2023-11-15T22:13:20Z' restricted='1'/>\
         </services>")));
    assert_eq!(services.len(), 2);
    let turn = &services[1];
    assert_eq!(turn.kind, ServiceKind::Turn);
    assert!(turn.restricted);
    assert!(!turn.needs_credentials(), "the credentials came with it");
    assert_eq!(turn.username.as_deref(), Some("1700086400"));
    assert_eq!(turn.expires, Some(Timestamp(1_700_086_400_000)));
}

#[test]
fn turns_and_ipv6_hosts_are_understood() {
    let services = parse_answer(Some(&el("<services xmlns='urn:xmpp:extdisco:2'>\
         <service type='turns' transport='tcp' host='[2001:db8::1]' port='5349' \
           username='u' password='p'/>\
         <service type='stun' host='Stun.Example.ORG.'/>\
         </services>")));
    assert_eq!(services.len(), 2);
    assert_eq!(services[0].kind, ServiceKind::Turns);
    assert_eq!(services[0].host, "2001:db8::1");
    assert_eq!(services[0].transport, Some(Transport::Tcp));
    assert_eq!(services[1].host, "stun.example.org");
    assert_eq!(services[1].port, None);
    assert_eq!(services[1].transport, None);
}

#[test]
fn hostile_services_are_skipped_and_the_rest_kept() {
    let long_host = format!("{}.example.org", "a".repeat(64));
    let long_secret = "x".repeat(MAX_SECRET_LEN + 1);
    let xml = format!(
        "<services xmlns='urn:xmpp:extdisco:2'>\
         <service type='stun' host='ok.example.org' port='3478'/>\
         <service type='stun' host='' port='3478'/>\
         <service type='stun' port='3478'/>\
         <service type='turn' host='evil@host' username='u' password='p'/>\
         <service type='turn' host='a/b?c#d' username='u' password='p'/>\
         <service type='turn' host='x y' username='u' password='p'/>\
         <service type='turn' host='-bad.example.org' username='u' password='p'/>\
         <service type='turn' host='bad..example.org' username='u' password='p'/>\
         <service type='turn' host='{long_host}' username='u' password='p'/>\
         <service type='turn' host='t.example.org' port='0' username='u' password='p'/>\
         <service type='turn' host='t.example.org' port='65536' username='u' password='p'/>\
         <service type='turn' host='t.example.org' port='-1' username='u' password='p'/>\
         <service type='turn' host='t.example.org' port='x' username='u' password='p'/>\
         <service type='turn' host='t.example.org' transport='sctp' username='u' password='p'/>\
         <service type='turn' host='t.example.org' restricted='maybe'/>\
         <service type='turn' host='t.example.org' expires='tomorrow'/>\
         <service type='turn' host='t.example.org' username='{long_secret}' password='p'/>\
         <service type='TURN' host='t.example.org' username='u' password='p'/>\
         <service host='t.example.org'/>\
         <service type='turn' action='remove' host='t.example.org'/>\
         <other type='turn' host='t.example.org' username='u' password='p'/>\
         <service xmlns='urn:xmpp:extdisco:1' type='turn' host='t.example.org'/>\
         <service type='stun' host='ok2.example.org'/>\
         </services>"
    );
    let hosts: Vec<String> = parse_answer(Some(&el(&xml)))
        .into_iter()
        .map(|s| s.host)
        .collect();
    assert_eq!(hosts, ["ok.example.org", "ok2.example.org"]);
}

#[test]
fn answers_that_are_not_service_lists_yield_nothing() {
    assert!(parse_answer(None).is_empty());
    let wrong_ns =
        el("<services xmlns='urn:xmpp:extdisco:1'><service type='stun' host='a.b'/></services>");
    assert!(parse_answer(Some(&wrong_ns)).is_empty());
    let wrong_name =
        el("<query xmlns='urn:xmpp:extdisco:2'><service type='stun' host='a.b'/></query>");
    assert!(parse_answer(Some(&wrong_name)).is_empty());
}

#[test]
fn a_flood_of_services_is_cut_short() {
    let many: String = (0..1000)
        .map(|n| format!("<service type='stun' host='s{n}.example.org'/>"))
        .collect();
    let xml = format!("<services xmlns='urn:xmpp:extdisco:2'>{many}</services>");
    assert_eq!(parse_answer(Some(&el(&xml))).len(), MAX_SERVICES);
}

#[test]
fn server_features_come_from_its_disco_info() {
    let request = Element::from(crate::xmpp::disco::info_request("i1", &server()));
    assert_eq!(request.attr("to"), Some("capulet.lit"));
    let query = request.children().next().expect("a query");
    assert!(query.is("query", "http://jabber.org/protocol/disco#info"));

    let answer = el("<query xmlns='http://jabber.org/protocol/disco#info'>\
         <identity category='server' type='im'/>\
         <feature var='urn:xmpp:extdisco:2'/><feature var='urn:xmpp:ping'/></query>");
    assert!(crate::xmpp::disco::has_feature(Some(&answer), NS));
    let without = el("<query xmlns='http://jabber.org/protocol/disco#info'>\
         <feature var='urn:xmpp:extdisco:1'/></query>");
    assert!(!crate::xmpp::disco::has_feature(Some(&without), NS));
    assert!(!crate::xmpp::disco::has_feature(None, NS));
}

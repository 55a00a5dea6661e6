//! Which discovered services reach a call, and when they are fetched again.

use std::time::Duration;

use super::*;

const NOW: Timestamp = Timestamp(1_700_000_000_000);

fn service(kind: ServiceKind, host: &str) -> ExternalService {
    ExternalService {
        kind,
        host: host.into(),
        port: Some(3478),
        transport: Some(Transport::Udp),
        username: None,
        password: None,
        expires: None,
        restricted: false,
    }
}

fn turn(host: &str, expires_in: Option<Duration>) -> ExternalService {
    ExternalService {
        username: Some("1700086400".into()),
        password: Some("c2VjcmV0".into()),
        expires: expires_in.map(|d| Timestamp(NOW.0 + d.as_millis() as i64)),
        restricted: true,
        ..service(ServiceKind::Turn, host)
    }
}

#[test]
fn stun_and_turn_with_credentials_reach_the_call() {
    let mut turns = turn("relay.example.org", None);
    turns.kind = ServiceKind::Turns;
    turns.transport = Some(Transport::Tcp);
    turns.port = Some(5349);
    let services = vec![
        service(ServiceKind::Stun, "stun.example.org"),
        turn("relay.example.org", Some(Duration::from_secs(86_400))),
        turns,
    ];
    let servers = ice_servers(&services, NOW);
    let uris: Vec<String> = servers
        .iter()
        .map(|s| s.to_gst_uri().expect("a valid URI"))
        .collect();
    assert_eq!(
        uris,
        [
            "stun://stun.example.org:3478",
            "turn://1700086400:c2VjcmV0@relay.example.org:3478?transport=udp",
            "turns://1700086400:c2VjcmV0@relay.example.org:5349?transport=tcp",
        ]
    );
}

#[test]
fn unusable_services_are_left_out() {
    let mut stun_tcp = service(ServiceKind::Stun, "tcp-stun.example.org");
    stun_tcp.transport = Some(Transport::Tcp);
    let mut no_password = turn("half.example.org", None);
    no_password.password = None;
    let services = vec![
        stun_tcp,
        service(ServiceKind::Turn, "anonymous.example.org"),
        no_password,
        turn("expired.example.org", Some(Duration::ZERO)),
        turn("expiring.example.org", Some(Duration::from_secs(30))),
        service(ServiceKind::Stun, "stun.example.org"),
        service(ServiceKind::Stun, "stun.example.org"),
    ];
    let hosts: Vec<String> = ice_servers(&services, NOW)
        .into_iter()
        .map(|s| s.host)
        .collect();
    assert_eq!(hosts, ["stun.example.org"]);
}

#[test]
fn services_are_stale_when_none_are_known_or_a_relay_expires() {
    let stun = service(ServiceKind::Stun, "stun.example.org");
    assert!(is_stale(&[], NOW));
    assert!(!is_stale(std::slice::from_ref(&stun), NOW));
    let fresh = turn("relay.example.org", Some(Duration::from_secs(3600)));
    assert!(!is_stale(&[stun.clone(), fresh], NOW));
    let expiring = turn("relay.example.org", Some(Duration::from_secs(59)));
    assert!(is_stale(&[stun, expiring], NOW));
}

#[test]
fn refresh_comes_before_the_earliest_expiry() {
    let day = Duration::from_secs(86_400);
    let services = vec![
        service(ServiceKind::Stun, "stun.example.org"),
        turn("a.example.org", Some(day)),
        turn("b.example.org", Some(Duration::from_secs(3600))),
    ];
    assert_eq!(
        refresh_delay(&services, NOW),
        Some(Duration::from_secs(3600 - 300))
    );
    let short = vec![turn("a.example.org", Some(Duration::from_secs(400)))];
    assert_eq!(refresh_delay(&short, NOW), Some(Duration::from_secs(200)));
    let past = vec![turn("a.example.org", Some(Duration::ZERO))];
    assert_eq!(refresh_delay(&past, NOW), Some(MIN_REFRESH));
    let mut long_ago = turn("a.example.org", None);
    long_ago.expires = Some(Timestamp(i64::MIN));
    assert_eq!(refresh_delay(&[long_ago], NOW), Some(MIN_REFRESH));
    assert_eq!(
        refresh_delay(&[service(ServiceKind::Stun, "s.example.org")], NOW),
        None
    );
}

#[test]
fn only_the_server_and_the_bare_account_speak_for_the_server() {
    let account: BareJid = "juliet@capulet.lit".parse().expect("a JID");
    let jid = |text: &str| -> Jid { text.parse().expect("a JID") };
    assert!(from_own_server(&account, None));
    assert!(from_own_server(&account, Some(&jid("capulet.lit"))));
    assert!(from_own_server(&account, Some(&jid("juliet@capulet.lit"))));
    for stranger in [
        "capulet.lit/admin",
        "juliet@capulet.lit/balcony",
        "romeo@capulet.lit",
        "montague.lit",
        "juliet@montague.lit",
        "turn.capulet.lit",
    ] {
        assert!(
            !from_own_server(&account, Some(&jid(stranger))),
            "{stranger}"
        );
    }
}

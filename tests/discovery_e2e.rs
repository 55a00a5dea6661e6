//! Finding the server through DNS, end to end: the core asks a test DNS
//! server on 127.0.0.1 for the SRV records of `warbler.test` (a virtual
//! host of the test Prosody) and signs in wherever they point — over
//! STARTTLS, over direct TLS (XEP-0368), falling through a dead direct-TLS
//! record — or explains why it cannot: a domain whose records say it offers
//! no XMPP service, and a domain without records, whose own address on
//! port 5222 is tried.
//!
//! Needs a Secret Service on the session bus (the test command runs one).

mod support;

use support::core::{Client, jid, start_core_with_dns};
use support::dns::{TestDns, Zone};
use support::prosody::{SECOND_HOST, TestServer};
use warbler::model::ConnectionState;
use warbler::session::{Command, ConnectError, Event};

/// The SRV names Warbler asks about for [`SECOND_HOST`].
const DIRECT_TLS_SRV: &str = "_xmpps-client._tcp.warbler.test";
const STARTTLS_SRV: &str = "_xmpp-client._tcp.warbler.test";
/// Host names the SRV records point to (resolved by the test DNS server).
const DIRECT_TLS_TARGET: &str = "xmpps.warbler.test";
const STARTTLS_TARGET: &str = "xmpp.warbler.test";

/// A server with `alice@warbler.test`.
fn server() -> TestServer {
    TestServer::builder()
        .muc(false)
        .second_host(&[("alice", "pw-a")])
        .start()
}

/// A TCP port on 127.0.0.1 that nothing listens on.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A core that knows only `alice@warbler.test` and her password (no
/// server address) and asks `dns` where to connect.
fn add_alice(server: &TestServer, dns: &TestDns, root: &std::path::Path) -> Client {
    let data_dir = root.join("alice");
    let (handle, events) = start_core_with_dns(server, &data_dir, dns.address());
    let client = Client {
        handle,
        events,
        jid: jid(&format!("alice@{SECOND_HOST}")),
        data_dir,
    };
    client.send(Command::AddAccount {
        jid: client.jid.clone(),
        password: "pw-a".into(),
        server: None,
    });
    client
}

/// The first connection outcome: online, or the error of a failed attempt.
async fn outcome(client: &mut Client) -> Result<(), ConnectError> {
    let event = client
        .wait(|e| {
            matches!(
                e,
                Event::ConnectionChanged {
                    state: ConnectionState::Online
                        | ConnectionState::WaitingToReconnect { .. }
                        | ConnectionState::Failed { .. },
                    ..
                }
            )
        })
        .await;
    match event {
        Event::ConnectionChanged { state, .. } => match state {
            ConnectionState::Online => Ok(()),
            ConnectionState::WaitingToReconnect { error, .. }
            | ConnectionState::Failed { error } => Err(error),
            _ => unreachable!("wait returns only what matches"),
        },
        _ => unreachable!("wait returns only what matches"),
    }
}

/// Alice signs in to the second host with `dns` as her only name server;
/// the outcome of her first attempt (her core is shut down after it).
async fn sign_in(server: &TestServer, dns: &TestDns) -> Result<(), ConnectError> {
    let root = tempfile::tempdir().expect("temp");
    let mut alice = add_alice(server, dns, root.path());
    let result = outcome(&mut alice).await;
    alice.shutdown().await;
    result
}

/// Alice signs in (see [`sign_in`]); fails with what was asked if not.
async fn signs_in(server: &TestServer, dns: &TestDns) {
    assert_eq!(sign_in(server, dns).await, Ok(()), "{:?}", dns.questions());
}

/// Fails, saying `why`, if `question` was asked.
fn never_asked(dns: &TestDns, question: &str, why: &str) {
    assert!(!dns.was_asked(question), "{why}: {:?}", dns.questions());
}

/// Where `question` comes in the DNS server's log (panics if never asked).
fn asked_at(dns: &TestDns, question: &str) -> usize {
    let questions = dns.questions();
    questions
        .iter()
        .position(|q| q == question)
        .unwrap_or_else(|| panic!("{question:?} was never asked; asked: {questions:?}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn signs_in_where_the_starttls_srv_record_points() {
    let server = server();
    let dns = Zone::new()
        .srv(STARTTLS_SRV, server.c2s_port(), STARTTLS_TARGET)
        .a(STARTTLS_TARGET)
        .start();
    signs_in(&server, &dns).await;
    asked_at(&dns, "SRV _xmpps-client._tcp.warbler.test.");
    asked_at(&dns, "SRV _xmpp-client._tcp.warbler.test.");
    asked_at(&dns, "A xmpp.warbler.test.");
    never_asked(
        &dns,
        "A warbler.test.",
        "a domain with SRV records gets no fallback",
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn signs_in_over_direct_tls_where_the_xmpps_record_points() {
    let server = server();
    // The STARTTLS record leads nowhere: only direct TLS can succeed.
    let dns = Zone::new()
        .srv(DIRECT_TLS_SRV, server.direct_tls_port(), DIRECT_TLS_TARGET)
        .a(DIRECT_TLS_TARGET)
        .srv(STARTTLS_SRV, closed_port(), STARTTLS_TARGET)
        .a(STARTTLS_TARGET)
        .start();
    signs_in(&server, &dns).await;
    asked_at(&dns, "A xmpps.warbler.test.");
    never_asked(
        &dns,
        "A xmpp.warbler.test.",
        "direct TLS comes first and worked",
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dead_direct_tls_record_falls_through_to_starttls() {
    let server = server();
    let dns = Zone::new()
        .srv(DIRECT_TLS_SRV, closed_port(), DIRECT_TLS_TARGET)
        .a(DIRECT_TLS_TARGET)
        .srv(STARTTLS_SRV, server.c2s_port(), STARTTLS_TARGET)
        .a(STARTTLS_TARGET)
        .start();
    signs_in(&server, &dns).await;
    // The direct-TLS target was tried first, then the STARTTLS one.
    assert!(
        asked_at(&dns, "A xmpps.warbler.test.") < asked_at(&dns, "A xmpp.warbler.test."),
        "{:?}",
        dns.questions()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_domain_whose_record_says_no_service_is_not_found() {
    let server = server();
    // RFC 2782: the target "." means the service is decidedly not offered,
    // so the domain's own address (which exists) must not be tried.
    let dns = Zone::new()
        .srv(STARTTLS_SRV, 5222, ".")
        .a(SECOND_HOST)
        .start();
    assert_eq!(
        sign_in(&server, &dns).await,
        Err(ConnectError::ServerNotFound {
            domain: SECOND_HOST.into()
        })
    );
    asked_at(&dns, "SRV _xmpp-client._tcp.warbler.test.");
    never_asked(&dns, "A warbler.test.", "no fallback to the domain itself");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_domain_without_srv_records_is_tried_on_port_5222() {
    let server = server();
    let dns = Zone::new().a(SECOND_HOST).start();
    // Whether anything listens on 127.0.0.1:5222 here (this test cannot
    // give Prosody that port without clashing with other servers).
    let port_free = std::net::TcpListener::bind("127.0.0.1:5222").is_ok();
    let result = sign_in(&server, &dns).await;
    asked_at(&dns, "SRV _xmpps-client._tcp.warbler.test.");
    asked_at(&dns, "SRV _xmpp-client._tcp.warbler.test.");
    asked_at(&dns, "A warbler.test.");
    if port_free {
        assert_eq!(
            result,
            Err(ConnectError::ConnectionRefused {
                host: SECOND_HOST.into(),
                port: 5222
            })
        );
    } else {
        eprintln!("127.0.0.1:5222 is in use: the fallback reached it and ended in {result:?}");
        assert!(
            !matches!(result, Err(ConnectError::ServerNotFound { .. })),
            "{result:?}"
        );
    }
}

//! Core benchmarks against a real Prosody on 127.0.0.1 (run with
//! `cargo bench --bench core`, inside a session with a Secret Service):
//!
//! - flood: 5,000 incoming messages sent by a separate process; reports
//!   how long after the last arrival every message was stored, the
//!   receiver's CPU seconds and its memory growth;
//! - history: opening a chat that has 100,000 stored messages, all read,
//!   and one whose newest 1,000 are to be read (loaded all at once).

#[path = "process.rs"]
mod process;
#[path = "../support/mod.rs"]
mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tracing_subscriber::layer::SubscriberExt;

use process::{cpu_seconds, rss_mib};
use support::core::{Client, befriend, jid, start_core};
use support::prosody::TestServer;
use warbler::session::{Command, Event};

const FLOOD: usize = 5_000;
const HISTORY: u32 = 100_000;
/// How many of the newest messages of the second history chat are to be
/// read (its incoming ones unread).
const UNREAD: u32 = 1000;

/// When the last flood message reached the receiver's stream: read from
/// the receiver's wire log (`RECV …` events of `warbler::wire`).
#[derive(Clone, Default)]
struct ArrivalClock {
    last: Arc<Mutex<Option<Instant>>>,
}

impl ArrivalClock {
    /// Listen to this process's wire log from now on.
    fn install(&self) {
        let layer = tracing_subscriber::filter::Filtered::new(
            self.clone(),
            tracing_subscriber::filter::Targets::new()
                .with_target("warbler::wire", tracing::Level::TRACE),
        );
        let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer));
    }

    fn last(&self) -> Option<Instant> {
        self.last.lock().ok().and_then(|last| *last)
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for ArrivalClock {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        struct IsFloodArrival(bool);
        impl tracing::field::Visit for IsFloodArrival {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                if field.name() == "message" {
                    let text = format!("{value:?}");
                    self.0 = text.starts_with("RECV <message") && text.contains("flood message");
                }
            }
        }
        let mut visit = IsFloodArrival(false);
        event.record(&mut visit);
        if visit.0
            && let Ok(mut last) = self.last.lock()
        {
            *last = Some(Instant::now());
        }
    }
}

/// Sender mode: `core --flood-sender CA_FILE DATA_DIR`.
async fn flood_sender(ca: String, data_dir: String) {
    let (handle, mut events) = warbler::session::start(warbler::session::SessionConfig {
        data_dir: data_dir.clone().into(),
        extra_trust_anchors: vec![ca.into()],
        call_media: Default::default(),
        name_server: None,
        room_check_interval: warbler::session::DEFAULT_ROOM_CHECK_INTERVAL,
    })
    .expect("core");
    // The account was added by the parent; wait until online.
    loop {
        if let Some(Event::ConnectionChanged {
            state: warbler::model::ConnectionState::Online,
            ..
        }) = events.recv().await
        {
            break;
        }
    }
    for i in 0..FLOOD {
        handle.send(Command::SendRawXml {
            account: jid("mallory@localhost"),
            xml: format!(
                "<message xmlns='jabber:client' to='alice@localhost' type='chat' id='f{i}'>\
                 <body>flood message {i} with some ordinary length text in it</body>\
                 <origin-id xmlns='urn:xmpp:sid:0' id='f{i}'/></message>"
            ),
        });
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    handle.send(Command::Shutdown);
    while let Some(event) = events.recv().await {
        if matches!(event, Event::ShutdownComplete) {
            break;
        }
    }
}

async fn flood(server: &TestServer, root: &std::path::Path, arrivals: &ArrivalClock) {
    let mut alice = Client::sign_in(server, root, "alice", "pw-a").await;
    let mut mallory = Client::sign_in(server, root, "mallory", "pw-m").await;
    befriend(&mut alice, &mut mallory).await;
    let sender_dir = mallory.data_dir.clone();
    mallory.shutdown().await;
    tokio::time::sleep(Duration::from_millis(500)).await;

    let (cpu0, rss0) = (cpu_seconds(), rss_mib("self"));
    let exe = std::env::current_exe().expect("bench exe");
    let mut child = std::process::Command::new(exe)
        .arg("--flood-sender")
        .arg(server.ca())
        .arg(&sender_dir)
        .spawn()
        .expect("sender process");
    let started = Instant::now();
    let mut received = 0;
    let mut last = started;
    while received < FLOOD {
        let event = alice
            .wait(|e| matches!(e, Event::MessageAdded { .. }))
            .await;
        if let Event::MessageAdded { .. } = event {
            received += 1;
            last = Instant::now();
        }
    }
    let (cpu1, rss1) = (cpu_seconds(), rss_mib("self"));
    let _ = child.wait();
    let behind_ms = arrivals
        .last()
        .map(|arrived| last.saturating_duration_since(arrived).as_secs_f64() * 1000.0);
    println!(
        "flood: last message stored {} after it arrived on the stream",
        behind_ms.map_or("(arrival not seen)".to_owned(), |ms| format!("{ms:.1} ms"))
    );
    println!(
        "flood: {FLOOD} messages received and stored in {:.2} s ({:.0}/s); receiver CPU {:.2} s; RSS {:.1} -> {:.1} MiB (+{:.1} MiB)",
        (last - started).as_secs_f64(),
        FLOOD as f64 / (last - started).as_secs_f64(),
        cpu1 - cpu0,
        rss0,
        rss1,
        rss1 - rss0
    );
    alice.shutdown().await;
}

async fn history(server: &TestServer, root: &std::path::Path) {
    let dir = root.join("history");
    let account = jid("alice@localhost");
    let (read, unread) = (jid("bob@localhost"), jid("carol@localhost"));
    let filled = Instant::now();
    warbler::bench_support::populate_chat(&dir, &account, &read, HISTORY, 0).await;
    warbler::bench_support::populate_chat(&dir, &account, &unread, HISTORY, UNREAD).await;
    println!(
        "history: stored 2 x {HISTORY} messages in {:.2} s",
        filled.elapsed().as_secs_f64()
    );
    let (handle, events) = start_core(server, &dir);
    let mut client = Client {
        handle,
        events,
        jid: account.clone(),
        data_dir: dir,
    };
    client
        .wait(|e| matches!(e, Event::ChatsLoaded { .. }))
        .await;
    for (peer, what) in [
        (read, "all read, newest 50 loaded"),
        (unread, "the newest 1000 to read, 1010 loaded"),
    ] {
        let mut times = Vec::new();
        let mut loaded = 0;
        for _ in 0..20 {
            let t = Instant::now();
            client.send(Command::OpenChat {
                account: account.clone(),
                peer: peer.clone(),
            });
            let history = client
                .wait(|e| matches!(e, Event::ChatHistory { .. }))
                .await;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            if let Event::ChatHistory { messages, .. } = history {
                loaded = messages.len();
            }
        }
        times.sort_by(f64::total_cmp);
        println!(
            "history: open a chat of {HISTORY} messages ({what}): median {:.2} ms, max {:.2} ms (20 runs, {loaded} loaded)",
            times[times.len() / 2],
            times[times.len() - 1]
        );
    }
    client.shutdown().await;
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--flood-sender") {
        flood_sender(args[2].clone(), args[3].clone()).await;
        return;
    }
    if !args.iter().any(|a| a == "--bench") {
        // `cargo test --all-targets` runs bench binaries too; measuring
        // belongs to `cargo bench`.
        println!("core benchmarks: run with `cargo bench --bench core`");
        return;
    }
    let arrivals = ArrivalClock::default();
    arrivals.install();
    let server = TestServer::start(&[("alice", "pw-a"), ("mallory", "pw-m")]);
    let root = tempfile::tempdir().expect("temp");
    history(&server, root.path()).await;
    flood(&server, root.path(), &arrivals).await;
}

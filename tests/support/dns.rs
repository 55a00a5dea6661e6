//! A tiny authoritative DNS server on 127.0.0.1 for tests: it answers the
//! SRV and A records a test gives it, says NXDOMAIN for every other name,
//! and remembers every question it was asked.
//!
//! It speaks DNS over UDP only, with hickory-proto's message types (the
//! resolver's own): its answers are small, so they are never truncated and
//! a resolver has no reason to retry over TCP. It runs on its own thread,
//! independent of any async runtime, and stops when dropped.
//!
//! ```ignore
//! let dns = Zone::new()
//!     .srv("_xmpp-client._tcp.warbler.test", 5222, "xmpp.warbler.test")
//!     .a("xmpp.warbler.test")
//!     .start();
//! let name_server = dns.address();
//! ```

use std::net::{Ipv4Addr, SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use hickory_resolver::proto::op::{Message, MessageType, OpCode, ResponseCode};
use hickory_resolver::proto::rr::rdata::{A, SRV};
use hickory_resolver::proto::rr::{Name, RData, Record};

/// Time to live of every record handed out.
const TTL: u32 = 60;
/// How often the server thread checks whether it should stop.
const POLL: Duration = Duration::from_millis(50);

/// The records a [`TestDns`] serves; build it, then [`Zone::start`].
#[derive(Debug, Default, Clone)]
pub struct Zone {
    records: Vec<Record>,
}

impl Zone {
    /// An empty zone: every question gets NXDOMAIN.
    pub fn new() -> Self {
        Self::default()
    }

    /// An SRV record `name` → `target`:`port` (priority 0, weight 0).
    /// A `target` of `"."` says the service is not offered (RFC 2782).
    pub fn srv(self, name: &str, port: u16, target: &str) -> Self {
        self.srv_with_priority(name, 0, port, target)
    }

    /// An SRV record with a priority (lower is tried first).
    pub fn srv_with_priority(mut self, name: &str, priority: u16, port: u16, target: &str) -> Self {
        let rdata = RData::SRV(SRV::new(priority, 0, port, fqdn(target)));
        self.records
            .push(Record::from_rdata(fqdn(name), TTL, rdata));
        self
    }

    /// An A record `name` → 127.0.0.1.
    pub fn a(mut self, name: &str) -> Self {
        let rdata = RData::A(A(Ipv4Addr::LOCALHOST));
        self.records
            .push(Record::from_rdata(fqdn(name), TTL, rdata));
        self
    }

    /// Serve these records on an ephemeral UDP port of 127.0.0.1.
    pub fn start(self) -> TestDns {
        let socket = UdpSocket::bind(("127.0.0.1", 0))
            .unwrap_or_else(|e| panic!("Could not bind the test DNS server: {e}"));
        socket
            .set_read_timeout(Some(POLL))
            .expect("set the DNS socket's read timeout");
        let address = socket.local_addr().expect("the DNS socket's address");
        let stop = Arc::new(AtomicBool::new(false));
        let questions = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let stop = Arc::clone(&stop);
            let questions = Arc::clone(&questions);
            std::thread::Builder::new()
                .name("test-dns".into())
                .spawn(move || serve(&socket, &self, &stop, &questions))
                .expect("start the test DNS thread")
        };
        TestDns {
            address,
            stop,
            questions,
            thread: Some(thread),
        }
    }

    /// The answer to one query message.
    fn answer(&self, query: &Message) -> Message {
        let mut response = Message::response(query.metadata.id, query.metadata.op_code);
        response.metadata.recursion_desired = query.metadata.recursion_desired;
        response.metadata.authoritative = true;
        response.add_queries(query.queries.iter().cloned());
        let Some(question) = query.queries.first() else {
            response.metadata.response_code = ResponseCode::FormErr;
            return response;
        };
        if query.metadata.op_code != OpCode::Query || query.queries.len() != 1 {
            response.metadata.response_code = ResponseCode::NotImp;
            return response;
        }
        let name = question.name().to_lowercase();
        let same_name: Vec<&Record> = self
            .records
            .iter()
            .filter(|r| r.name.to_lowercase() == name)
            .collect();
        if same_name.is_empty() {
            response.metadata.response_code = ResponseCode::NXDomain;
            return response;
        }
        // The name exists: its records of the asked type, or none (NODATA).
        response.add_answers(
            same_name
                .into_iter()
                .filter(|r| r.record_type() == question.query_type())
                .cloned(),
        );
        response
    }
}

/// A running test DNS server; stops when dropped.
#[derive(Debug)]
pub struct TestDns {
    address: SocketAddr,
    stop: Arc<AtomicBool>,
    questions: Arc<Mutex<Vec<String>>>,
    thread: Option<JoinHandle<()>>,
}

impl TestDns {
    /// Where to send questions (127.0.0.1 and an ephemeral UDP port).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Every question asked so far, in order, as `"<TYPE> <name>"` with a
    /// fully qualified name, e.g. `"SRV _xmpp-client._tcp.warbler.test."`.
    pub fn questions(&self) -> Vec<String> {
        self.questions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Whether the question `"<TYPE> <name>"` was asked (see
    /// [`TestDns::questions`]).
    pub fn was_asked(&self, question: &str) -> bool {
        self.questions().iter().any(|q| q == question)
    }
}

impl Drop for TestDns {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(socket: &UdpSocket, zone: &Zone, stop: &AtomicBool, questions: &Mutex<Vec<String>>) {
    let mut buffer = [0u8; 4096];
    while !stop.load(Ordering::Relaxed) {
        let (len, peer) = match socket.recv_from(&mut buffer) {
            Ok(received) => received,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                continue;
            }
            Err(e) => {
                eprintln!("Test DNS server: could not receive: {e}");
                return;
            }
        };
        let Ok(query) = Message::from_vec(&buffer[..len]) else {
            eprintln!("Test DNS server: ignoring a packet that is not a DNS message");
            continue;
        };
        if query.metadata.message_type != MessageType::Query {
            continue;
        }
        if let Ok(mut asked) = questions.lock() {
            asked.extend(
                query
                    .queries
                    .iter()
                    .map(|q| format!("{} {}", q.query_type(), q.name())),
            );
        }
        match zone.answer(&query).to_vec() {
            Ok(bytes) => {
                if let Err(e) = socket.send_to(&bytes, peer) {
                    eprintln!("Test DNS server: could not answer {peer}: {e}");
                }
            }
            Err(e) => eprintln!("Test DNS server: could not encode an answer: {e}"),
        }
    }
}

/// A fully qualified name from text with or without the final dot.
fn fqdn(name: &str) -> Name {
    let mut name =
        Name::from_ascii(name).unwrap_or_else(|e| panic!("{name:?} is not a DNS name: {e}"));
    name.set_fqdn(true);
    name
}

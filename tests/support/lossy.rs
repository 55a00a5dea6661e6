//! A lossy path between two call ends on 127.0.0.1: a UDP relay that loses
//! a chosen share of the media packets and counts what crosses it.
//!
//! For each UDP candidate an end announces (127.0.0.1, port P), the relay
//! binds a socket of its own (port Q) and the other end is told the
//! candidate with port Q instead; the real candidate never reaches it, so
//! every pair ICE can select runs through the relay. What arrives at Q from
//! anyone but P goes to P (from Q); what arrives at Q from P goes back to
//! the last other address seen there. Each end sees the other's relay ports
//! as host or peer-reflexive candidates.
//!
//! Only SRTP and SRTCP packets (first byte 128..=191, RFC 7983) are lost,
//! each with the given probability, drawn from a seeded xorshift per socket;
//! STUN and DTLS always pass, so connecting and keying are not disturbed.
//! The relay counts, per direction, the packets forwarded and lost, and the
//! RTP packets forwarded per payload type (the RTP header is not encrypted
//! in SRTP), so a test can tell retransmissions (RFC 4588, their own
//! payload type) from the original packets without asking GStreamer.

#![allow(dead_code)]

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// One end of the call: which way a packet crosses the relay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Caller,
    Callee,
}

impl End {
    fn index(self) -> usize {
        match self {
            End::Caller => 0,
            End::Callee => 1,
        }
    }

    fn other(self) -> End {
        match self {
            End::Caller => End::Callee,
            End::Callee => End::Caller,
        }
    }
}

/// What crossed the relay in one direction.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    /// Every packet passed on (STUN, DTLS and media).
    pub forwarded: u64,
    /// SRTP and SRTCP packets passed on.
    pub media_forwarded: u64,
    /// SRTP and SRTCP packets lost on purpose.
    pub media_dropped: u64,
    /// SRTP packets passed on, by RTP payload type.
    pub rtp_by_payload_type: HashMap<u8, u64>,
}

impl Counts {
    /// SRTP packets of payload type `pt` passed on.
    pub fn rtp(&self, pt: u8) -> u64 {
        self.rtp_by_payload_type.get(&pt).copied().unwrap_or(0)
    }
}

/// The kinds of packet sharing a port (RFC 7983), as far as the relay cares.
#[derive(Debug, PartialEq, Eq)]
enum Kind {
    /// SRTP, with its payload type.
    Rtp(u8),
    Rtcp,
    /// STUN, DTLS and anything else: never lost.
    Other,
}

fn kind(packet: &[u8]) -> Kind {
    match packet {
        [128..=191, second, ..] => match second {
            // RTCP packet types 192..=223 (RFC 5761), where an RTP
            // marker bit and payload type would read 64..=95.
            192..=223 => Kind::Rtcp,
            _ => Kind::Rtp(second & 0x7f),
        },
        _ => Kind::Other,
    }
}

/// Shared between the path, its announcers and its socket threads.
struct Shared {
    loss: f64,
    seed: u64,
    stop: AtomicBool,
    /// Indexed by the end a packet comes from.
    counts: Mutex<[Counts; 2]>,
    /// (end, real port) → relay port, so a candidate announced again
    /// reuses its socket.
    relays: Mutex<HashMap<(usize, u16), u16>>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

/// The relay. Its sockets close when it is dropped.
pub struct LossyPath {
    shared: Arc<Shared>,
}

impl LossyPath {
    /// A path losing `loss` (0..=1) of the media packets each way; `seed`
    /// makes the losses repeatable for the same packet sequence.
    pub fn new(loss: f64, seed: u64) -> Self {
        LossyPath {
            shared: Arc::new(Shared {
                loss,
                seed,
                stop: AtomicBool::new(false),
                counts: Mutex::new([Counts::default(), Counts::default()]),
                relays: Mutex::new(HashMap::new()),
                threads: Mutex::new(Vec::new()),
            }),
        }
    }

    /// What `from` sent across so far.
    pub fn counts(&self, from: End) -> Counts {
        self.shared.counts.lock().expect("counts")[from.index()].clone()
    }

    /// For `end`'s candidates on their way to the other end: a UDP
    /// candidate on 127.0.0.1 comes out rewritten to a relay port, any
    /// other candidate is kept back.
    pub fn announcer(&self, end: End) -> impl FnMut(u32, &str) -> Option<String> + Send + 'static {
        let shared = self.shared.clone();
        move |_mline, candidate| shared.relay(end, candidate)
    }
}

impl Drop for LossyPath {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        let threads = std::mem::take(&mut *self.shared.threads.lock().expect("threads"));
        for thread in threads {
            let _ = thread.join();
        }
    }
}

impl Shared {
    /// The candidate with the port of its relay socket, bound on first use.
    fn relay(self: &Arc<Self>, end: End, candidate: &str) -> Option<String> {
        let mut fields: Vec<&str> = candidate.split_whitespace().collect();
        let udp = fields.get(2).is_some_and(|t| t.eq_ignore_ascii_case("udp"));
        if !udp || fields.get(4) != Some(&"127.0.0.1") {
            return None;
        }
        let port: u16 = fields.get(5)?.parse().ok()?;
        let mut relays = self.relays.lock().expect("relays");
        let relay_port = match relays.get(&(end.index(), port)) {
            Some(&relay_port) => relay_port,
            None => {
                let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).expect("relay socket");
                socket
                    .set_read_timeout(Some(Duration::from_millis(20)))
                    .expect("read timeout");
                let relay_port = socket.local_addr().expect("relay address").port();
                let target = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
                // Each socket its own sequence of losses, repeatable.
                let seed =
                    self.seed ^ (relays.len() as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                let shared = self.clone();
                let thread = std::thread::Builder::new()
                    .name(format!("lossy-{relay_port}"))
                    .spawn(move || shared.pump(socket, end, target, seed))
                    .expect("relay thread");
                self.threads.lock().expect("threads").push(thread);
                relays.insert((end.index(), port), relay_port);
                relay_port
            }
        };
        let relay_port = relay_port.to_string();
        fields[5] = &relay_port;
        Some(fields.join(" "))
    }

    /// Passes packets across one relay socket until the path is dropped.
    fn pump(&self, socket: UdpSocket, owner: End, target: SocketAddr, seed: u64) {
        let mut random = XorShift(seed.max(1));
        let mut peer: Option<SocketAddr> = None;
        let mut buffer = [0u8; 65_536];
        while !self.stop.load(Ordering::Relaxed) {
            let Ok((length, source)) = socket.recv_from(&mut buffer) else {
                continue;
            };
            let packet = &buffer[..length];
            let (from, destination) = if source == target {
                match peer {
                    Some(peer) => (owner, peer),
                    None => continue,
                }
            } else {
                peer = Some(source);
                (owner.other(), target)
            };
            let kind = kind(packet);
            let lost = kind != Kind::Other && random.chance(self.loss);
            {
                let mut counts = self.counts.lock().expect("counts");
                let counts = &mut counts[from.index()];
                if lost {
                    counts.media_dropped += 1;
                    continue;
                }
                counts.forwarded += 1;
                if kind != Kind::Other {
                    counts.media_forwarded += 1;
                }
                if let Kind::Rtp(pt) = kind {
                    *counts.rtp_by_payload_type.entry(pt).or_default() += 1;
                }
            }
            let _ = socket.send_to(packet, destination);
        }
    }
}

/// Marsaglia's xorshift64: cheap, seeded, good enough to pick losses.
struct XorShift(u64);

impl XorShift {
    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        ((self.0 >> 11) as f64) / ((1u64 << 53) as f64) < p
    }
}

#[test]
fn packets_are_told_apart_as_rfc_7983_says() {
    assert_eq!(kind(&[0, 1, 0, 0]), Kind::Other); // STUN binding request
    assert_eq!(kind(&[22, 254, 253]), Kind::Other); // DTLS handshake
    assert_eq!(kind(&[0x80, 98]), Kind::Rtp(98));
    assert_eq!(kind(&[0x80, 0x80 | 96]), Kind::Rtp(96)); // marker bit set
    assert_eq!(kind(&[0x81, 205]), Kind::Rtcp); // generic NACK
    assert_eq!(kind(&[0x80]), Kind::Other);
}

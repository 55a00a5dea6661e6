//! Two media engines in one process, talking over 127.0.0.1: SDP and
//! candidates are handed across directly (no XMPP). Each side sends a test
//! tone of its own frequency and a test picture, and measures what arrives.

#![allow(dead_code)]

use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::mpsc::UnboundedReceiver;
use warbler::jingle::media::{
    AudioInput, AudioOutput, MediaConfig, MediaEngine, MediaEvent, SdpKind, VideoInput,
    VideoOutput, VideoSize,
};

/// The last 100 ms of received audio, for tone detection.
const WINDOW: usize = 4_800;

/// Received audio and video of one side.
#[derive(Default)]
pub struct Received {
    samples: Mutex<Vec<f32>>,
    pub frames: AtomicU64,
    pub last_frame_size: Mutex<(u32, u32)>,
}

impl Received {
    /// Adds samples at the end of the window.
    pub fn push(&self, samples: &[f32]) {
        if let Ok(mut window) = self.samples.lock() {
            window.extend_from_slice(samples);
            let excess = window.len().saturating_sub(WINDOW);
            window.drain(..excess);
        }
    }

    /// Forgets what arrived so far: what is heard next arrived after this.
    pub fn forget(&self) {
        if let Ok(mut window) = self.samples.lock() {
            window.clear();
        }
    }

    /// Power of `frequency` in the last 100 ms (Goertzel), per sample.
    pub fn power_at(&self, frequency: f64) -> f64 {
        let window = self.samples.lock().map(|w| w.clone()).unwrap_or_default();
        goertzel(&window, frequency, 48_000.0)
    }

    /// Whether `expected` clearly dominates `other` in what arrived.
    pub fn hears(&self, expected: f64, other: f64) -> bool {
        let (p, q) = (self.power_at(expected), self.power_at(other));
        p > 1e-3 && p > 20.0 * q
    }
}

/// Goertzel's algorithm: the power of one frequency in a block, normalised
/// by its length (a full-scale sine gives about 0.25).
pub fn goertzel(samples: &[f32], frequency: f64, rate: f64) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    let n = samples.len() as f64;
    let coefficient = 2.0 * (2.0 * std::f64::consts::PI * frequency / rate).cos();
    let (mut s1, mut s2) = (0.0f64, 0.0f64);
    for &x in samples {
        let s0 = f64::from(x) + coefficient * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    (s1 * s1 + s2 * s2 - coefficient * s1 * s2) / (n * n)
}

/// What becomes of each of a side's loopback candidates on its way to the
/// other side: the candidate to hand over instead, or `None` to keep it back.
pub type Announce = Box<dyn FnMut(u32, &str) -> Option<String> + Send>;

/// One end of a loopback call.
pub struct Side {
    pub engine: MediaEngine,
    pub events: UnboundedReceiver<MediaEvent>,
    pub received: Arc<Received>,
    /// Every event so far, in order.
    pub log: Vec<MediaEvent>,
    /// Our candidates not yet handed to the other side.
    pub outgoing: Vec<(u32, String)>,
    /// All our candidates.
    pub candidates: Vec<(u32, String)>,
    pub tone: f64,
    /// When the first audio and video from the other side were decoded.
    pub first_audio_at: Option<Instant>,
    pub first_video_at: Option<Instant>,
    /// Rewrites our candidates for the other side (e.g. to send it through a
    /// relay); without it they are handed over as they are.
    pub announce: Option<Announce>,
}

/// A media configuration sending `tone` Hz and videotestsrc `pattern` at
/// `size` on 127.0.0.1, and what it receives.
pub fn config(tone: f64, pattern: i32, size: VideoSize) -> (MediaConfig, Arc<Received>) {
    let received = Arc::new(Received::default());
    let audio = received.clone();
    let video = received.clone();
    let config = MediaConfig {
        local_addresses: vec![IpAddr::V4(Ipv4Addr::LOCALHOST)],
        audio_input: AudioInput::TestTone { frequency: tone },
        video_input: VideoInput::TestPattern(pattern),
        audio_output: AudioOutput::Samples(Arc::new(move |s| audio.push(s))),
        video_output: VideoOutput::Frames(Arc::new(move |frame| {
            video.frames.fetch_add(1, Ordering::Relaxed);
            if let Ok(mut size) = video.last_frame_size.lock() {
                *size = (frame.width, frame.height);
            }
        })),
        video_size: size,
        ..MediaConfig::default()
    };
    (config, received)
}

/// A side sending `tone` Hz and videotestsrc `pattern` at `size`.
pub fn side(tone: f64, pattern: i32, size: VideoSize) -> Side {
    let (config, received) = config(tone, pattern, size);
    side_with(config, received, tone)
}

/// A side with its own media configuration, sending `tone` Hz one way or
/// another; `received` is where what it plays is measured.
pub fn side_with(config: MediaConfig, received: Arc<Received>, tone: f64) -> Side {
    let (engine, events) = MediaEngine::new(config).expect("media engine");
    Side {
        engine,
        events,
        received,
        log: Vec::new(),
        outgoing: Vec::new(),
        candidates: Vec::new(),
        tone,
        first_audio_at: None,
        first_video_at: None,
        announce: None,
    }
}

impl Side {
    /// Takes every event that is already waiting.
    pub fn drain(&mut self) {
        while let Ok(event) = self.events.try_recv() {
            self.record(event);
        }
    }

    fn record(&mut self, event: MediaEvent) {
        if let MediaEvent::LocalCandidate { mline, candidate } = &event {
            self.outgoing.push((*mline, candidate.clone()));
            self.candidates.push((*mline, candidate.clone()));
        }
        match event {
            MediaEvent::FirstAudioDecoded => self.first_audio_at = Some(Instant::now()),
            MediaEvent::FirstVideoDecoded => self.first_video_at = Some(Instant::now()),
            _ => {}
        }
        self.log.push(event);
    }

    /// Waits (bounded) for our next local description of `kind`.
    pub async fn local_description(&mut self, kind: SdpKind, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(sdp) = self.log.iter().find_map(|e| match e {
                MediaEvent::LocalDescription { kind: k, sdp } if *k == kind => Some(sdp.clone()),
                _ => None,
            }) {
                return sdp;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(left, self.events.recv()).await {
                Ok(Some(event)) => self.record(event),
                Ok(None) => panic!("event channel closed; events: {:?}", self.log),
                Err(_) => panic!(
                    "no local {kind:?} within {timeout:?}; events: {:?}",
                    self.log
                ),
            }
        }
    }

    pub fn saw(&self, wanted: impl Fn(&MediaEvent) -> bool) -> bool {
        self.log.iter().any(wanted)
    }

    /// Fails, with every event, if the media ever reported a failure.
    pub fn assert_never_failed(&self) {
        assert!(
            !self.saw(|e| matches!(e, MediaEvent::Failed { .. })),
            "{:?}",
            self.log
        );
    }

    /// Candidates on any address but 127.0.0.1.
    pub fn non_loopback_candidates(&self) -> Vec<String> {
        self.candidates
            .iter()
            .filter(|(_, c)| candidate_address(c) != Some("127.0.0.1"))
            .map(|(_, c)| c.clone())
            .collect()
    }
}

/// The connection address of `candidate:…` (fifth field).
pub fn candidate_address(candidate: &str) -> Option<&str> {
    candidate.split_whitespace().nth(4)
}

/// The port of `candidate:…` (sixth field).
pub fn candidate_port(candidate: &str) -> Option<u16> {
    candidate.split_whitespace().nth(5)?.parse().ok()
}

/// Hands each side's new loopback candidates to the other, each through
/// its side's `announce` if it has one.
pub fn forward_candidates(a: &mut Side, b: &mut Side) {
    forward(a, b);
    forward(b, a);
}

fn forward(from: &mut Side, to: &Side) {
    for (mline, candidate) in from.outgoing.drain(..) {
        if candidate_address(&candidate) != Some("127.0.0.1") {
            continue;
        }
        let announced = match from.announce.as_mut() {
            Some(announce) => announce(mline, &candidate),
            None => Some(candidate),
        };
        if let Some(candidate) = announced {
            to.engine
                .add_remote_candidate(mline, &candidate)
                .expect("add candidate");
        }
    }
}

/// The offer/answer exchange; `tamper` may rewrite the answer before the
/// offerer sees it. Returns (offer, answer).
pub async fn negotiate(
    a: &mut Side,
    b: &mut Side,
    video: bool,
    tamper: impl Fn(&str) -> String,
) -> (String, String) {
    negotiate_with(a, b, video, str::to_owned, tamper).await
}

/// [`negotiate`], with the offer rewritten by `offer_edit` on its way.
pub async fn negotiate_with(
    a: &mut Side,
    b: &mut Side,
    video: bool,
    offer_edit: impl Fn(&str) -> String,
    tamper: impl Fn(&str) -> String,
) -> (String, String) {
    let step = Duration::from_secs(10);
    a.engine.add_audio().expect("add audio");
    if video {
        a.engine.add_video().expect("add video");
    }
    a.engine.create_offer().expect("create offer");
    let offer = a.local_description(SdpKind::Offer, step).await;
    b.engine.add_audio().expect("add audio");
    if video {
        b.engine.add_video().expect("add video");
    }
    b.engine
        .set_remote_description(SdpKind::Offer, &offer_edit(&offer))
        .expect("set offer");
    // The caller's candidates trickle in while the callee rings.
    a.drain();
    forward(a, b);
    b.engine.create_answer().expect("create answer");
    let answer = b.local_description(SdpKind::Answer, step).await;
    a.engine
        .set_remote_description(SdpKind::Answer, &tamper(&answer))
        .expect("set answer");
    (offer, answer)
}

/// Pumps events and candidates between the sides every 20 ms until `done`
/// holds or `timeout` passes; returns whether `done` held.
pub async fn run_until(
    a: &mut Side,
    b: &mut Side,
    timeout: Duration,
    mut done: impl FnMut(&Side, &Side) -> bool,
) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        a.drain();
        b.drain();
        forward_candidates(a, b);
        if done(a, b) {
            return true;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return false;
        }
        // Wake for the next event of either side, or to re-check `done`.
        let tick = left.min(Duration::from_millis(20));
        tokio::select! {
            Some(event) = a.events.recv() => a.record(event),
            Some(event) = b.events.recv() => b.record(event),
            () = tokio::time::sleep(tick) => {}
        }
    }
}

/// The m-line sections of an SDP text (without the session part).
pub fn mlines(sdp: &str) -> Vec<String> {
    sdp.split("\r\nm=")
        .skip(1)
        .map(|section| format!("m={section}"))
        .collect()
}

/// The value of the first `a=<key>:` line of an SDP section.
pub fn attribute<'a>(section: &'a str, key: &str) -> Option<&'a str> {
    let prefix = format!("a={key}:");
    section
        .lines()
        .find_map(|line| line.trim_end().strip_prefix(prefix.as_str()))
}

/// The SDP with every `media` m-line offering only the formats named
/// `encoding` (any case), as a peer that has nothing else would offer:
/// other formats leave the `m=` line with their rtpmap, fmtp and rtcp-fb.
pub fn only_codec(sdp: &str, media: &str, encoding: &str) -> String {
    let mut out = String::new();
    let mut keep: Option<Vec<String>> = None;
    let lines: Vec<&str> = sdp.split_inclusive('\n').collect();
    for (index, line) in lines.iter().enumerate() {
        let text = line.trim_end();
        if let Some(mline) = text.strip_prefix("m=") {
            keep = None;
            if mline.starts_with(&format!("{media} ")) {
                let section = lines[index + 1..]
                    .iter()
                    .take_while(|l| !l.starts_with("m="));
                let kept: Vec<String> = section
                    .filter_map(|l| l.trim_end().strip_prefix("a=rtpmap:"))
                    .filter_map(|map| map.split_once(' '))
                    .filter(|(_, format)| {
                        format
                            .split('/')
                            .next()
                            .is_some_and(|name| name.eq_ignore_ascii_case(encoding))
                    })
                    .map(|(pt, _)| pt.to_owned())
                    .collect();
                let fields: Vec<&str> = mline.split_whitespace().take(3).collect();
                out.push_str(&format!("m={} {}\r\n", fields.join(" "), kept.join(" ")));
                keep = Some(kept);
                continue;
            }
        }
        let dropped = keep.as_ref().is_some_and(|kept| {
            ["a=rtpmap:", "a=fmtp:", "a=rtcp-fb:"].iter().any(|prefix| {
                text.strip_prefix(prefix)
                    .and_then(|rest| rest.split([' ', ':']).next())
                    .is_some_and(|pt| !kept.iter().any(|k| k == pt))
            })
        });
        if !dropped {
            out.push_str(line);
        }
    }
    out
}

/// The encoding names of the formats an SDP section's `m=` line lists.
pub fn encodings(section: &str) -> Vec<String> {
    let formats: Vec<&str> = section
        .lines()
        .next()
        .map(|m| m.split_whitespace().skip(3).collect())
        .unwrap_or_default();
    formats
        .iter()
        .filter_map(|pt| {
            let prefix = format!("a=rtpmap:{pt} ");
            section
                .lines()
                .find_map(|l| l.trim_end().strip_prefix(prefix.as_str()))
                .and_then(|format| format.split('/').next())
                .map(str::to_ascii_uppercase)
        })
        .collect()
}

/// The GStreamer element factories in a side's pipeline.
pub fn factories(side: &Side) -> Vec<String> {
    factories_of(&side.engine)
}

/// The GStreamer element factories in an engine's pipeline.
pub fn factories_of(engine: &MediaEngine) -> Vec<String> {
    use gstreamer::prelude::*;
    engine
        .pipeline()
        .iterate_recurse()
        .into_iter()
        .flatten()
        .filter_map(|e| e.factory().map(|f| f.name().to_string()))
        .collect()
}

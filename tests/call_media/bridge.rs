//! The same codec checks one layer up, through the Jingle negotiation: two
//! media bridges exchange Jingle contents (no XMPP), the offer's payload
//! types are cut down to one codec per content on the way, and the answer
//! and the media must follow.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc::UnboundedReceiver;
use warbler::jingle::bridge::{BridgeOutput, MediaBridge};
use warbler::jingle::codec::Codec;
use warbler::jingle::media::{self as engine, available_codecs};
use warbler::jingle::session::{ContentSpec, MediaCommand, MediaEvent};
use warbler::model::MediaKind;
use xmpp_parsers::jingle::{Content, ContentId, Creator, Description, Senders};

use super::media::{self, Received};
use super::{CALLEE_TONE, CALLER_TONE, MEDIA_TIMEOUT, SMALL};

struct Peer {
    bridge: MediaBridge,
    events: UnboundedReceiver<engine::MediaEvent>,
    received: Arc<Received>,
    tone: f64,
}

fn peer(tone: f64, pattern: i32, role: Creator) -> Peer {
    let (config, received) = media::config(tone, pattern, SMALL);
    let (bridge, events) = MediaBridge::new(config, role).expect("bridge");
    Peer {
        bridge,
        events,
        received,
        tone,
    }
}

fn spec(name: &str, media: MediaKind) -> ContentSpec {
    ContentSpec {
        name: ContentId(name.to_owned()),
        creator: Creator::Initiator,
        media,
        senders: Senders::Both,
    }
}

/// The encoding names of a content's payload types, in order.
fn names(content: &Content) -> Vec<String> {
    match &content.description {
        Some(Description::Rtp(rtp)) => rtp
            .payload_types
            .iter()
            .filter_map(|pt| pt.name.as_deref().map(str::to_ascii_uppercase))
            .collect(),
        _ => Vec::new(),
    }
}

/// Keeps only the payload types of `codec` in the contents of its media.
fn only(contents: &mut [Content], codec: Codec) {
    for content in contents {
        if let Some(Description::Rtp(rtp)) = &mut content.description
            && rtp.media == codec.media()
        {
            rtp.payload_types.retain(|pt| {
                pt.name
                    .as_deref()
                    .is_some_and(|name| name.eq_ignore_ascii_case(codec.encoding_name()))
            });
        }
    }
}

/// The machine events a bridge reports for its next engine events.
async fn next_events(peer: &mut Peer) -> Vec<MediaEvent> {
    let Ok(Some(event)) = tokio::time::timeout(Duration::from_millis(20), peer.events.recv()).await
    else {
        return Vec::new();
    };
    peer.bridge
        .on_engine_event(event)
        .expect("engine event")
        .into_iter()
        .filter_map(|output| match output {
            BridgeOutput::Machine(event) => Some(event),
            BridgeOutput::FirstDecoded(_) => None,
        })
        .collect()
}

/// Whether both sides hear the other's tone and decoded 30 video frames.
fn done(a: &Peer, b: &Peer) -> bool {
    [(a, CALLEE_TONE), (b, CALLER_TONE)]
        .iter()
        .all(|(p, other)| {
            p.received.hears(*other, p.tone)
                && p.received.frames.load(std::sync::atomic::Ordering::Relaxed) >= 30
        })
}

/// `a` offers audio and video, `edit` changes the offer on its way, `b`
/// answers; runs until [`done`] or the timeout, and returns the answer.
async fn call(a: &mut Peer, b: &mut Peer, edit: impl Fn(&mut Vec<Content>)) -> Vec<Content> {
    a.bridge
        .apply(MediaCommand::CreateOffer {
            contents: vec![
                spec("voice", MediaKind::Audio),
                spec("webcam", MediaKind::Video),
            ],
        })
        .expect("offer");
    let mut answer = None;
    let deadline = Instant::now() + MEDIA_TIMEOUT;
    while !done(a, b) && Instant::now() < deadline {
        for event in next_events(a).await {
            match event {
                MediaEvent::OfferReady { mut contents } => {
                    assert!(names(&contents[0]).contains(&"OPUS".to_owned()));
                    edit(&mut contents);
                    b.bridge
                        .apply(MediaCommand::AcceptOffer { contents })
                        .expect("accept");
                }
                MediaEvent::LocalCandidates { contents } => b
                    .bridge
                    .apply(MediaCommand::AddRemoteCandidates { contents })
                    .expect("candidates"),
                _ => {}
            }
        }
        for event in next_events(b).await {
            match event {
                MediaEvent::AnswerReady { contents } => {
                    answer = Some(contents.clone());
                    a.bridge
                        .apply(MediaCommand::ApplyAnswer { contents })
                        .expect("answer");
                }
                MediaEvent::LocalCandidates { contents } => a
                    .bridge
                    .apply(MediaCommand::AddRemoteCandidates { contents })
                    .expect("candidates"),
                _ => {}
            }
        }
    }
    let report = |p: &Peer, other: f64| {
        format!(
            "{} Hz side: power at {other} Hz {:.5}, stats {:?}",
            p.tone,
            p.received.power_at(other),
            p.bridge.engine().stats()
        )
    };
    assert!(
        done(a, b),
        "{}\n{}",
        report(a, CALLEE_TONE),
        report(b, CALLER_TONE)
    );
    answer.expect("an answer")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jingle_offer_of_pcmu_and_h264_only_is_answered_and_carried_with_them() {
    for codec in [Codec::Pcmu, Codec::H264] {
        if !available_codecs().contains(&codec) {
            eprintln!(
                "SKIPPED: {codec:?} is not available here: its GStreamer elements are not installed (see tests/scripts/install-deps.sh)"
            );
            return;
        }
    }
    let mut a = peer(CALLER_TONE, 0, Creator::Initiator);
    let mut b = peer(CALLEE_TONE, 18, Creator::Responder);
    let answer = call(&mut a, &mut b, |contents| {
        only(contents, Codec::Pcmu);
        only(contents, Codec::H264);
    })
    .await;
    // The offer's RTX was for VP8, which is gone: none in the answer.
    assert_eq!(names(&answer[0]), ["PCMU"], "{answer:?}");
    assert_eq!(names(&answer[1]), ["H264"], "{answer:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn video_retransmission_is_negotiated_in_jingle_and_set_up_on_both_sides() {
    let mut a = peer(CALLER_TONE, 0, Creator::Initiator);
    let mut b = peer(CALLEE_TONE, 18, Creator::Responder);
    let answer = call(&mut a, &mut b, |_| {}).await;
    let Some(Description::Rtp(video)) = &answer[1].description else {
        panic!("no RTP description: {answer:?}");
    };
    let (vp8, rtx) = match video.payload_types.as_slice() {
        [vp8, rtx] => (vp8, rtx),
        other => panic!("VP8 and its RTX expected: {other:?}"),
    };
    assert_eq!(vp8.name.as_deref(), Some("VP8"));
    assert!(
        rtx.name
            .as_deref()
            .is_some_and(|n| n.eq_ignore_ascii_case("rtx"))
    );
    let apt: Vec<(&str, &str)> = rtx
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.value.as_str()))
        .collect();
    assert_eq!(apt, [("apt", vp8.id.to_string().as_str())]);
    assert_eq!(names(&answer[0]), ["OPUS"], "no RTX for audio");
    // Each side resends what the other asks for and reads what it resent.
    for p in [&a, &b] {
        let elements = media::factories_of(p.bridge.engine());
        for wanted in ["rtprtxsend", "rtprtxreceive"] {
            assert!(elements.iter().any(|e| e == wanted), "{elements:?}");
        }
    }
}

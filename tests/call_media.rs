//! The call media engine end to end, headless: two engines in this process
//! call each other over 127.0.0.1 with test tones and test pictures, and
//! each checks what the other really sent arrives, decoded.

#[path = "support/media.rs"]
mod media;

#[path = "call_media/codecs.rs"]
mod codecs;

#[path = "call_media/bridge.rs"]
mod bridge;

#[path = "support/lossy.rs"]
mod lossy;

#[path = "call_media/loss.rs"]
mod loss;

use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::time::Duration;

use gstreamer::prelude::*;

use media::{attribute, candidate_port, mlines, negotiate, negotiate_with, run_until, side};
use warbler::jingle::media::{
    FailureReason, IceState, MediaConfig, MediaEngine, MediaError, MediaEvent, SdpKind, VideoSize,
    list_devices, tamper_fingerprints,
};

/// The caller sends 440 Hz, the callee 880 Hz: a loop-back mix-up (hearing
/// our own tone) fails the tone check.
const CALLER_TONE: f64 = 440.0;
const CALLEE_TONE: f64 = 880.0;
const SMALL: VideoSize = VideoSize {
    width: 320,
    height: 240,
};
/// Generous for a loaded two-core machine; a healthy call needs ~2 s.
const MEDIA_TIMEOUT: Duration = Duration::from_secs(40);

fn is_connected(event: &MediaEvent) -> bool {
    matches!(event, MediaEvent::Connected)
}

fn media_arrived(side: &media::Side, other_tone: f64) -> bool {
    side.saw(is_connected)
        && side.received.frames.load(Ordering::Relaxed) >= 30
        && side.received.hears(other_tone, side.tone)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audio_and_video_flow_both_ways_each_on_its_own_transport() {
    let mut a = side(CALLER_TONE, 0, SMALL);
    let mut b = side(CALLEE_TONE, 18, SMALL);
    let (offer, answer) = negotiate(&mut a, &mut b, true, str::to_owned).await;

    // The SDP contract with the Jingle mapping.
    for (sdp, setup) in [(&offer, "actpass"), (&answer, "active")] {
        assert!(!sdp.contains("a=group:BUNDLE"), "bundled: {sdp}");
        let sections = mlines(sdp);
        assert_eq!(sections.len(), 2, "{sdp}");
        let mut ufrags = HashSet::new();
        for section in &sections {
            assert!(section.contains("a=rtcp-mux"), "{section}");
            assert_eq!(attribute(section, "setup"), Some(setup), "{section}");
            assert!(attribute(section, "mid").is_some(), "{section}");
            let fp = attribute(section, "fingerprint").expect("fingerprint");
            assert!(fp.starts_with("sha-256 "), "{fp}");
            ufrags.insert(attribute(section, "ice-ufrag").expect("ufrag").to_owned());
        }
        assert_eq!(
            ufrags.len(),
            2,
            "each content needs its own ICE credentials"
        );
        assert!(sections[0].starts_with("m=audio"), "{sdp}");
        assert!(sections[1].starts_with("m=video"), "{sdp}");
    }
    let sections = mlines(&offer);
    assert!(sections[0].contains("a=rtpmap:111 OPUS/48000/2"), "{offer}");
    assert!(sections[0].contains("useinbandfec=1"), "{offer}");
    assert!(sections[1].contains("a=rtpmap:98 VP8/90000"), "{offer}");
    // Video retransmission (RFC 4588) for the preferred codec, offered and
    // answered under the offer's number; audio has none.
    for sdp in [&offer, &answer] {
        let sections = mlines(sdp);
        assert!(sections[1].contains("a=rtpmap:96 rtx/90000"), "{sdp}");
        assert!(sections[1].contains("a=fmtp:96 apt=98"), "{sdp}");
        assert!(!sections[0].contains("rtx"), "{sdp}");
    }

    let arrived = run_until(&mut a, &mut b, MEDIA_TIMEOUT, |a, b| {
        media_arrived(a, CALLEE_TONE) && media_arrived(b, CALLER_TONE)
    })
    .await;
    for s in [&a, &b] {
        let other = if s.tone == CALLER_TONE {
            CALLEE_TONE
        } else {
            CALLER_TONE
        };
        assert!(
            arrived,
            "{} Hz side: frames {}, power at {other} Hz {:.5}, at own {} Hz {:.5}, stats {:?}, events {:?}",
            s.tone,
            s.received.frames.load(Ordering::Relaxed),
            s.received.power_at(other),
            s.tone,
            s.received.power_at(s.tone),
            s.engine.stats(),
            s.log
        );
        s.assert_never_failed();
        assert!(s.saw(|e| matches!(e, MediaEvent::FirstAudioDecoded)));
        assert!(s.saw(|e| matches!(e, MediaEvent::FirstVideoDecoded)));
        assert_eq!(
            *s.received.last_frame_size.lock().expect("size"),
            (320, 240)
        );

        // Host candidates on loopback only, on separate ports per content.
        assert!(s.non_loopback_candidates().is_empty(), "{:?}", s.candidates);
        let ports = |mline: u32| -> HashSet<u16> {
            s.candidates
                .iter()
                .filter(|(m, _)| *m == mline)
                .filter_map(|(_, c)| candidate_port(c))
                .collect()
        };
        let (audio_ports, video_ports) = (ports(0), ports(1));
        assert!(
            !audio_ports.is_empty() && !video_ports.is_empty(),
            "{:?}",
            s.candidates
        );
        assert!(audio_ports.is_disjoint(&video_ports), "{:?}", s.candidates);

        // One ICE/DTLS transport per content, each of which connected.
        let stats = s.engine.stats();
        let ids: HashSet<u32> = stats.transports.iter().map(|t| t.transport_id).collect();
        assert_eq!(stats.transports.len(), 2, "{stats:?}");
        assert_eq!(ids.len(), 2, "contents share a transport: {stats:?}");
        for mline in [0, 1] {
            assert!(
                s.saw(
                    |e| matches!(e, MediaEvent::IceStateChanged { mline: m, state }
                    if *m == mline && matches!(state, IceState::Connected | IceState::Completed))
                ),
                "m-line {mline} never connected: {:?}",
                s.log
            );
        }
        assert!(stats.video_frames_decoded >= 30, "{stats:?}");
        assert!(stats.audio_samples_decoded > 0, "{stats:?}");

        // Offered everything, each side chose its favourites.
        let elements = media::factories(s);
        for wanted in [
            "rtpopuspay",
            "rtpvp8pay",
            "rtpopusdepay",
            "rtpvp8depay",
            "rtprtxsend",
            "rtprtxreceive",
        ] {
            assert!(elements.iter().any(|e| e == wanted), "{elements:?}");
        }
        for unwanted in ["rtppcmupay", "rtph264pay"] {
            assert!(!elements.iter().any(|e| e == unwanted), "{elements:?}");
        }
    }
    a.engine.close();
    b.engine.close();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_fingerprint_ends_the_call_with_a_security_error() {
    let mut a = side(CALLER_TONE, 0, SMALL);
    let mut b = side(CALLEE_TONE, 18, SMALL);
    negotiate(&mut a, &mut b, false, tamper_fingerprints).await;
    let failed = |s: &media::Side| s.saw(|e| matches!(e, MediaEvent::Failed { .. }));
    let ended = run_until(&mut a, &mut b, MEDIA_TIMEOUT, |a, _| failed(a)).await;
    assert!(
        ended,
        "the caller accepted a forged certificate: {:?}",
        a.log
    );
    let mismatch = a.log.iter().find_map(|e| match e {
        MediaEvent::FingerprintMismatch {
            mline,
            expected,
            actual,
        } => Some((*mline, expected.clone(), actual.clone())),
        _ => None,
    });
    let (mline, expected, actual) = mismatch.expect("a fingerprint mismatch event");
    assert_eq!(mline, 0);
    assert!(expected.is_some() && actual.is_some() && expected != actual);
    assert!(
        a.saw(|e| matches!(
            e,
            MediaEvent::Failed {
                reason: FailureReason::Security,
                ..
            }
        )),
        "{:?}",
        a.log
    );
    assert!(
        !a.saw(|e| matches!(e, MediaEvent::Connected)),
        "{:?}",
        a.log
    );
    // Let the other side run a little: the caller never let media out to
    // the unverified peer.
    run_until(&mut a, &mut b, Duration::from_millis(500), |_, _| false).await;
    assert_eq!(b.engine.stats().audio_samples_decoded, 0, "{:?}", b.log);
    assert!(matches!(
        a.engine
            .add_remote_candidate(0, "candidate:1 1 UDP 1 127.0.0.1 9 typ host"),
        Err(MediaError::Closed)
    ));
    b.engine.close();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bundle_offer_is_answered_unbundled_and_media_flows() {
    let mut a = side(CALLER_TONE, 0, SMALL);
    let mut b = side(CALLEE_TONE, 18, SMALL);
    // As Conversations offers: both contents in one BUNDLE group.
    let bundle = |offer: &str| {
        let mids: Vec<String> = mlines(offer)
            .iter()
            .filter_map(|m| attribute(m, "mid").map(str::to_owned))
            .collect();
        offer.replacen(
            "a=ice-options",
            &format!("a=group:BUNDLE {}\r\na=ice-options", mids.join(" ")),
            1,
        )
    };
    let (offer, answer) = negotiate_with(&mut a, &mut b, true, bundle, str::to_owned).await;
    assert!(
        bundle(&offer).contains("a=group:BUNDLE audio0 video1"),
        "{offer}"
    );
    assert!(!answer.contains("a=group:BUNDLE"), "{answer}");
    let ufrags: HashSet<String> = mlines(&answer)
        .iter()
        .filter_map(|m| attribute(m, "ice-ufrag").map(str::to_owned))
        .collect();
    assert_eq!(ufrags.len(), 2, "{answer}");
    let arrived = run_until(&mut a, &mut b, MEDIA_TIMEOUT, |a, b| {
        media_arrived(a, CALLEE_TONE) && media_arrived(b, CALLER_TONE)
    })
    .await;
    assert!(arrived, "caller {:?}\ncallee {:?}", a.log, b.log);
    a.engine.close();
    b.engine.close();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_answer_keeps_the_peers_payload_types() {
    let mut a = side(CALLER_TONE, 0, SMALL);
    let mut b = side(CALLEE_TONE, 18, SMALL);
    a.engine.add_audio().expect("audio");
    a.engine.create_offer().expect("offer");
    let offer = a
        .local_description(SdpKind::Offer, Duration::from_secs(10))
        .await;
    // As another client might number Opus.
    let renumbered = offer
        .replace("RTP/SAVPF 111", "RTP/SAVPF 109")
        .replace("a=rtpmap:111 ", "a=rtpmap:109 ")
        .replace("a=fmtp:111 ", "a=fmtp:109 ")
        .replace("a=rtcp-fb:111 ", "a=rtcp-fb:109 ");
    assert_ne!(renumbered, offer);
    b.engine.add_audio().expect("audio");
    b.engine
        .set_remote_description(SdpKind::Offer, &renumbered)
        .expect("offer");
    b.engine.create_answer().expect("answer");
    let answer = b
        .local_description(SdpKind::Answer, Duration::from_secs(10))
        .await;
    let section = &mlines(&answer)[0];
    assert!(section.contains("a=rtpmap:109 OPUS/48000/2"), "{answer}");
    assert!(!section.contains("a=rtpmap:111"), "{answer}");
    a.engine.close();
    b.engine.close();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn video_added_to_an_audio_call_gets_its_own_transport() {
    let mut a = side(CALLER_TONE, 0, SMALL);
    let mut b = side(CALLEE_TONE, 18, SMALL);
    negotiate(&mut a, &mut b, false, str::to_owned).await;
    let heard = run_until(&mut a, &mut b, MEDIA_TIMEOUT, |a, b| {
        a.received.hears(CALLEE_TONE, CALLER_TONE) && b.received.hears(CALLER_TONE, CALLEE_TONE)
    })
    .await;
    assert!(heard, "caller {:?}\ncallee {:?}", a.log, b.log);
    a.log.clear();
    b.log.clear();

    // Jingle content-add / content-accept.
    a.engine.add_video().expect("add video");
    a.engine.create_offer().expect("re-offer");
    let offer = a
        .local_description(SdpKind::Offer, Duration::from_secs(10))
        .await;
    assert_eq!(mlines(&offer).len(), 2, "{offer}");
    b.engine.add_video().expect("add video");
    b.engine
        .set_remote_description(SdpKind::Offer, &offer)
        .expect("re-offer");
    b.engine.create_answer().expect("answer");
    let answer = b
        .local_description(SdpKind::Answer, Duration::from_secs(10))
        .await;
    a.engine
        .set_remote_description(SdpKind::Answer, &answer)
        .expect("answer");
    let video = |s: &media::Side| s.received.frames.load(Ordering::Relaxed) >= 30;
    let arrived = run_until(&mut a, &mut b, MEDIA_TIMEOUT, |a, b| {
        video(a) && video(b) && a.received.hears(CALLEE_TONE, CALLER_TONE)
    })
    .await;
    assert!(arrived, "caller {:?}\ncallee {:?}", a.log, b.log);
    for s in [&a, &b] {
        let stats = s.engine.stats();
        let ids: HashSet<u32> = stats.transports.iter().map(|t| t.transport_id).collect();
        assert_eq!(ids.len(), 2, "{stats:?}");
        s.assert_never_failed();
    }
    a.engine.close();
    b.engine.close();
}

/// The peer's content-modify took our audio away: nothing of ours
/// arrives until it gives it back, while its audio keeps coming.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_content_we_may_not_send_on_carries_nothing_of_ours() {
    let mut a = side(CALLER_TONE, 0, SMALL);
    let mut b = side(CALLEE_TONE, 18, SMALL);
    negotiate(&mut a, &mut b, false, str::to_owned).await;
    let both_ways = |a: &media::Side, b: &media::Side| {
        a.received.hears(CALLEE_TONE, CALLER_TONE) && b.received.hears(CALLER_TONE, CALLEE_TONE)
    };
    assert!(
        run_until(&mut a, &mut b, MEDIA_TIMEOUT, both_ways).await,
        "caller {:?}\ncallee {:?}",
        a.log,
        b.log
    );

    a.engine.set_send_permitted(0, false);
    // What was on its way plays out, then nothing more may arrive.
    run_until(&mut a, &mut b, Duration::from_millis(500), |_, _| false).await;
    b.received.forget();
    a.received.forget();
    run_until(&mut a, &mut b, Duration::from_secs(1), |_, _| false).await;
    let leaked = b.received.power_at(CALLER_TONE);
    assert!(leaked < 1e-5, "the callee heard the caller at {leaked}");
    assert!(
        a.received.hears(CALLEE_TONE, CALLER_TONE),
        "the callee went silent too"
    );

    a.engine.set_send_permitted(0, true);
    assert!(
        run_until(&mut a, &mut b, MEDIA_TIMEOUT, both_ways).await,
        "given back, the caller's audio did not return"
    );
    a.engine.close();
    b.engine.close();
}

#[tokio::test]
async fn bad_requests_are_refused_at_once() {
    let mut a = side(CALLER_TONE, 0, SMALL);
    assert!(matches!(
        a.engine.create_answer(),
        Err(MediaError::InvalidState(_))
    ));
    assert!(matches!(
        a.engine
            .set_remote_description(SdpKind::Offer, "v=0\r\nm=audio\r\n"),
        Err(MediaError::InvalidSdp(_))
    ));
    a.engine.add_audio().expect("audio");
    // A codec no installation of ours has.
    let only_amr = "v=0\r\no=- 1 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n\
                    m=audio 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n\
                    a=rtpmap:96 AMR/8000\r\n";
    assert!(matches!(
        a.engine.set_remote_description(SdpKind::Offer, only_amr),
        Err(MediaError::NoCommonCodec("audio"))
    ));
    a.drain();
    a.engine.close();
    assert!(matches!(a.engine.add_video(), Err(MediaError::Closed)));
}

#[test]
fn device_pipelines_build_with_echo_cancellation() {
    // The default config captures from and plays to devices, with
    // webrtcdsp and its echo probe; building it checks every element and
    // property exists (nothing starts, so no sound card is needed).
    let (engine, _events) = MediaEngine::new(MediaConfig::default()).expect("engine");
    engine.add_audio().expect("microphone branch");
    engine.add_video().expect("camera branch");
    let names: Vec<String> = engine
        .pipeline()
        .iterate_recurse()
        .into_iter()
        .flatten()
        .filter_map(|e| e.factory().map(|f| f.name().to_string()))
        .collect();
    for factory in [
        "webrtcdsp",
        "webrtcechoprobe",
        "opusenc",
        "vp8enc",
        "webrtcbin",
    ] {
        assert!(
            names.iter().any(|n| n == factory),
            "{factory} missing: {names:?}"
        );
    }
    engine.close();
}

#[test]
fn listing_devices_returns_headless() {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(list_devices());
    });
    let devices = receiver
        .recv_timeout(Duration::from_secs(20))
        .expect("device listing hung")
        .expect("device listing");
    // Whatever is there, no monitor of a speaker passes for a microphone.
    assert!(
        devices.iter().all(|d| !d.id.ends_with(".monitor")),
        "{devices:?}"
    );
}

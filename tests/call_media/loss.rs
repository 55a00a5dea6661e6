//! A call over a path that loses media: the two engines reach each other
//! only through a relay that drops about one media packet in twenty each
//! way. Video must ask for what it lost and get it resent (RFC 4588 RTX,
//! seen on the relay as packets of the negotiated RTX payload type), and
//! both pictures and tones must keep coming.

use std::sync::atomic::Ordering;
use std::time::Instant;

use gstreamer as gst;
use gstreamer::prelude::*;
use warbler::jingle::media::MediaEngine;

use super::lossy::{End, LossyPath};
use super::media::{self, mlines, negotiate, run_until, side};
use super::{CALLEE_TONE, CALLER_TONE, MEDIA_TIMEOUT, SMALL};

/// The share of SRTP and SRTCP packets lost, each way.
const LOSS: f64 = 0.05;

/// The payload type an SDP's video section gives `rtx/90000`.
fn rtx_payload_type(sdp: &str) -> Option<u8> {
    let video = mlines(sdp).into_iter().find(|m| m.starts_with("m=video"))?;
    video.lines().find_map(|line| {
        let (pt, format) = line.trim_end().strip_prefix("a=rtpmap:")?.split_once(' ')?;
        format
            .to_ascii_lowercase()
            .starts_with("rtx/")
            .then(|| pt.parse().ok())?
    })
}

fn frames(side: &media::Side) -> u64 {
    side.received.frames.load(Ordering::Relaxed)
}

fn heard(side: &media::Side, other_tone: f64) -> bool {
    side.received.hears(other_tone, side.tone)
}

/// The NACKs webrtcbin (`get-stats`) counts for video: those the side
/// sent for what it received, and those it received for what it sent.
fn video_nacks(engine: &MediaEngine) -> (u32, u32) {
    let Some(webrtcbin) = engine
        .pipeline()
        .iterate_recurse()
        .into_iter()
        .flatten()
        .find(|e| e.factory().is_some_and(|f| f.name() == "webrtcbin"))
    else {
        return (0, 0);
    };
    let promise = gst::Promise::new();
    webrtcbin.emit_by_name::<()>("get-stats", &[&None::<gst::Pad>, &promise]);
    if promise.wait() != gst::PromiseResult::Replied {
        return (0, 0);
    }
    let Some(stats) = promise.get_reply() else {
        return (0, 0);
    };
    let (mut sent, mut received) = (0, 0);
    for (_, value) in stats.iter() {
        let Ok(entry) = value.get::<gst::Structure>() else {
            continue;
        };
        if entry.get::<&str>("kind") != Ok("video") {
            continue;
        }
        let nacks = entry.get::<u32>("nack-count").unwrap_or(0);
        match entry.name().as_str() {
            "inbound-rtp" => sent += nacks,
            "outbound-rtp" => received += nacks,
            _ => {}
        }
    }
    (sent, received)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_video_packets_are_asked_for_and_resent() {
    let path = LossyPath::new(LOSS, 0x5EED_CA11);
    let mut a = side(CALLER_TONE, 0, SMALL);
    let mut b = side(CALLEE_TONE, 18, SMALL);
    a.announce = Some(Box::new(path.announcer(End::Caller)));
    b.announce = Some(Box::new(path.announcer(End::Callee)));
    let started = Instant::now();
    let (offer, answer) = negotiate(&mut a, &mut b, true, str::to_owned).await;
    // Only the relay's candidates may reach the other side.
    for sdp in [&offer, &answer] {
        assert!(!sdp.contains("a=candidate"), "{sdp}");
    }
    // The RTX payload type both sides resend under (none: nothing passes
    // for a retransmission).
    let rtx = rtx_payload_type(&answer);
    assert_eq!(rtx_payload_type(&offer), rtx, "{offer}\n{answer}");
    let vp8: u8 = mlines(&answer)[1]
        .lines()
        .find_map(|l| l.strip_prefix("a=rtpmap:")?.strip_suffix(" VP8/90000"))
        .and_then(|pt| pt.parse().ok())
        .expect("VP8 in the answer");

    // Losses each way, and retransmissions each way for them, while
    // pictures and tones arrive.
    let resent = |end: End| {
        let counts = path.counts(end);
        counts.media_dropped > 0 && rtx.is_some_and(|pt| counts.rtp(pt) > 0)
    };
    let recovered = run_until(&mut a, &mut b, MEDIA_TIMEOUT, |a, b| {
        resent(End::Caller)
            && resent(End::Callee)
            && frames(a) >= 30
            && frames(b) >= 30
            && heard(a, CALLEE_TONE)
            && heard(b, CALLER_TONE)
    })
    .await;
    let summary = |a: &media::Side, b: &media::Side| {
        format!(
            "after {:?}, RTX payload type {rtx:?}, VP8 {vp8}\n\
             caller → callee {:?}\ncallee → caller {:?}\n\
             frames decoded: caller {}, callee {}\n\
             video NACKs (sent, received): caller {:?}, callee {:?}",
            started.elapsed(),
            path.counts(End::Caller),
            path.counts(End::Callee),
            frames(a),
            frames(b),
            video_nacks(&a.engine),
            video_nacks(&b.engine),
        )
    };
    assert!(
        recovered,
        "lost video was not resent each way (or media did not flow): {}\n\
         caller events {:?}\ncallee events {:?}",
        summary(&a, &b),
        a.log,
        b.log
    );
    // Each side asked for what it lost (RTCP NACK, as webrtcbin counts).
    for (name, side) in [("caller", &a), ("callee", &b)] {
        let (asked, _) = video_nacks(&side.engine);
        assert!(asked > 0, "the {name} never asked: {}", summary(&a, &b));
    }

    // The call goes on under loss: 60 more frames each way, both tones.
    let (to_b, to_a) = (frames(&b), frames(&a));
    let lossy_since = Instant::now();
    a.received.forget();
    b.received.forget();
    let going_on = run_until(&mut a, &mut b, MEDIA_TIMEOUT, |a, b| {
        frames(b) >= to_b + 60
            && frames(a) >= to_a + 60
            && heard(a, CALLEE_TONE)
            && heard(b, CALLER_TONE)
    })
    .await;
    assert!(
        going_on,
        "the call stalled under loss: {}\ncaller events {:?}\ncallee events {:?}",
        summary(&a, &b),
        a.log,
        b.log
    );

    // The media really took the lossy path, and lost on it: a clean path
    // cannot pass.
    for end in [End::Caller, End::Callee] {
        let counts = path.counts(end);
        assert!(
            counts.rtp(vp8) >= 100 && counts.media_dropped >= 5,
            "{end:?}: {}",
            summary(&a, &b)
        );
    }
    eprintln!(
        "{}\n60 more frames each way, and both tones, in {:?}",
        summary(&a, &b),
        lossy_since.elapsed()
    );
    a.engine.close();
    b.engine.close();
}

//! Every codec the negotiation accepts really flows: the offer is cut down
//! to one codec per content on its way (as a peer that has nothing else
//! would offer), the answer must choose it, both sides must build their
//! send chains for it, and each side must decode what the other sent.

use std::sync::Mutex;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use gstreamer as gst;
use gstreamer::prelude::*;

use warbler::jingle::codec::Codec;
use warbler::jingle::media::available_codecs;

use super::media::{
    self, encodings, factories, mlines, negotiate_with, only_codec, run_until, side,
};
use super::{CALLEE_TONE, CALLER_TONE, MEDIA_TIMEOUT, SMALL};

/// The RTP payloader and depayloader of a codec: the send chain and the
/// receive chain that must be in both pipelines.
fn rtp_elements(codec: Codec) -> (&'static str, &'static str) {
    match codec {
        Codec::Opus => ("rtpopuspay", "rtpopusdepay"),
        Codec::G722 => ("rtpg722pay", "rtpg722depay"),
        Codec::Pcmu => ("rtppcmupay", "rtppcmudepay"),
        Codec::Pcma => ("rtppcmapay", "rtppcmadepay"),
        Codec::Vp8 => ("rtpvp8pay", "rtpvp8depay"),
        Codec::H264 => ("rtph264pay", "rtph264depay"),
    }
}

/// Whether this installation runs `codec`; says why not if it does not.
fn installed(codec: Codec) -> bool {
    let installed = available_codecs().contains(&codec);
    if !installed {
        eprintln!(
            "SKIPPED: {codec:?} is not available here: its GStreamer elements are not \
             installed (see tests/scripts/install-deps.sh)"
        );
    }
    installed
}

fn heard(side: &media::Side, other_tone: f64) -> bool {
    side.received.hears(other_tone, side.tone)
}

fn saw_video(side: &media::Side) -> bool {
    side.received.frames.load(Ordering::Relaxed) >= 30
}

/// The test tone and picture sources in a pipeline.
fn test_sources(pipeline: &gst::Pipeline) -> Vec<gst::Element> {
    pipeline
        .iterate_recurse()
        .into_iter()
        .flatten()
        .filter(|e| e.factory().is_some_and(|f| f.name().ends_with("testsrc")))
        .collect()
}

/// A call whose offer keeps only `audio` (and `video`, if given).
async fn call_with_only(audio: Codec, video: Option<Codec>) {
    let mut a = side(CALLER_TONE, 0, SMALL);
    let mut b = side(CALLEE_TONE, 18, SMALL);
    let edit = |offer: &str| {
        let offer = only_codec(offer, "audio", audio.encoding_name());
        match video {
            Some(video) => only_codec(&offer, "video", video.encoding_name()),
            None => offer,
        }
    };
    // The caller's sources just before the answer chooses its codecs.
    let caller = a.engine.pipeline().clone();
    let sources = Mutex::new(Vec::new());
    let before_answer = |answer: &str| {
        *sources.lock().expect("sources") = test_sources(&caller);
        answer.to_owned()
    };
    let started = Instant::now();
    let (offer, answer) =
        negotiate_with(&mut a, &mut b, video.is_some(), edit, before_answer).await;
    let negotiated = Instant::now();

    // The caller offered more; the callee was given one codec and chose it.
    assert!(encodings(&mlines(&offer)[0]).len() > 1, "{offer}");
    let answered = mlines(&answer);
    assert_eq!(encodings(&answered[0]), [audio.encoding_name()], "{answer}");
    if let Some(video) = video {
        assert_eq!(encodings(&answered[1]), [video.encoding_name()], "{answer}");
    }

    let arrived = run_until(&mut a, &mut b, MEDIA_TIMEOUT, |a, b| {
        heard(a, CALLEE_TONE)
            && heard(b, CALLER_TONE)
            && (video.is_none() || (saw_video(a) && saw_video(b)))
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
            "{audio:?}/{video:?}, {} Hz side: frames {}, power at {other} Hz {:.5}, at own \
             {} Hz {:.5}, stats {:?}, events {:?}",
            s.tone,
            s.received.frames.load(Ordering::Relaxed),
            s.received.power_at(other),
            s.tone,
            s.received.power_at(s.tone),
            s.engine.stats(),
            s.log
        );
        assert!(
            !s.saw(|e| matches!(e, warbler::jingle::media::MediaEvent::Failed { .. })),
            "{:?}",
            s.log
        );
        // Each side sends the chosen codec, and only it: the encoders built
        // for Opus and VP8 before the choice are gone.
        let elements = factories(s);
        for codec in std::iter::once(audio).chain(video) {
            let (payloader, depayloader) = rtp_elements(codec);
            assert!(
                elements.iter().any(|e| e == payloader),
                "{codec:?}: {elements:?}"
            );
            assert!(
                elements.iter().any(|e| e == depayloader),
                "{codec:?}: {elements:?}"
            );
        }
        for other in [Codec::Opus, Codec::Vp8] {
            if other != audio && Some(other) != video {
                let (payloader, _) = rtp_elements(other);
                assert!(!elements.iter().any(|e| e == payloader), "{elements:?}");
            }
        }
    }
    // Only the encoders were replaced: the caller's sources ran on.
    let sources = sources.into_inner().expect("sources");
    assert_eq!(sources.len(), 1 + usize::from(video.is_some()));
    assert_eq!(test_sources(a.engine.pipeline()), sources);
    let after = |at: Option<Instant>| at.map(|at| at.duration_since(negotiated));
    eprintln!(
        "{audio:?}{}: negotiated in {:?}; first audio after {:?} (caller) and {:?} (callee); \
         first video after {:?} / {:?}",
        video.map(|v| format!(" + {v:?}")).unwrap_or_default(),
        negotiated.duration_since(started),
        after(a.first_audio_at),
        after(b.first_audio_at),
        after(a.first_video_at),
        after(b.first_video_at),
    );
    a.engine.close();
    b.engine.close();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pcmu_audio_and_h264_video_flow_both_ways() {
    if !installed(Codec::Pcmu) || !installed(Codec::H264) {
        return;
    }
    call_with_only(Codec::Pcmu, Some(Codec::H264)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pcma_audio_flows_both_ways() {
    if !installed(Codec::Pcma) {
        return;
    }
    call_with_only(Codec::Pcma, None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn g722_audio_and_vp8_video_flow_both_ways() {
    if !installed(Codec::G722) {
        return;
    }
    call_with_only(Codec::G722, Some(Codec::Vp8)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_offer_lists_every_installed_codec_in_order_of_preference() {
    let mut a = side(CALLER_TONE, 0, SMALL);
    a.engine.add_audio().expect("audio");
    a.engine.add_video().expect("video");
    a.engine.create_offer().expect("offer");
    let offer = a
        .local_description(
            warbler::jingle::media::SdpKind::Offer,
            Duration::from_secs(10),
        )
        .await;
    let sections = mlines(&offer);
    for (section, media) in sections.iter().zip(["audio", "video"]) {
        let mut expected: Vec<&str> = available_codecs()
            .into_iter()
            .filter(|c| c.media() == media)
            .map(Codec::encoding_name)
            .collect();
        if media == "video" {
            // Retransmission, for the preferred codec only (webrtcbin's
            // choice).
            expected.push("RTX");
        }
        assert_eq!(encodings(section), expected, "{offer}");
    }
    // The usual suspects, if this installation has them all.
    if available_codecs().len() == Codec::ALL.len() {
        assert_eq!(
            encodings(&sections[0]),
            ["OPUS", "G722", "PCMU", "PCMA"],
            "{offer}"
        );
        assert_eq!(encodings(&sections[1]), ["VP8", "H264", "RTX"], "{offer}");
        assert!(
            sections[1].contains("packetization-mode=1"),
            "{}",
            sections[1]
        );
    }
    a.engine.close();
}

//! What a call has done so far: decoded audio and video, and which transport
//! carries each content. Cheap counters updated from the media threads.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// A snapshot of a call's media counters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediaStats {
    /// Decoded audio, in 48 kHz samples.
    pub audio_samples_decoded: u64,
    /// Decoded video frames.
    pub video_frames_decoded: u64,
    /// One entry per negotiated content.
    pub transports: Vec<ContentTransport>,
}

/// The transport of one content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentTransport {
    /// m-line index.
    pub mline: u32,
    /// `a=mid`, once negotiated.
    pub mid: Option<String>,
    /// GStreamer's id of the DTLS/ICE transport: contents sharing one
    /// (BUNDLE) would share this id. Never the case here.
    pub transport_id: u32,
}

/// Counters shared with the media threads.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    audio_samples: AtomicU64,
    video_frames: AtomicU64,
    transports: Mutex<Vec<ContentTransport>>,
}

impl Counters {
    /// Adds decoded audio samples; returns whether they were the first.
    pub(crate) fn add_audio(&self, samples: u64) -> bool {
        self.audio_samples.fetch_add(samples, Ordering::Relaxed) == 0 && samples > 0
    }

    /// Adds one decoded video frame; returns whether it was the first.
    pub(crate) fn add_video_frame(&self) -> bool {
        self.video_frames.fetch_add(1, Ordering::Relaxed) == 0
    }

    /// Records (or updates) the transport of a content.
    pub(crate) fn set_transport(&self, transport: ContentTransport) {
        let Ok(mut list) = self.transports.lock() else {
            return;
        };
        match list.iter_mut().find(|t| t.mline == transport.mline) {
            Some(existing) => *existing = transport,
            None => list.push(transport),
        }
        list.sort_by_key(|t| t.mline);
    }

    /// A snapshot.
    pub(crate) fn snapshot(&self) -> MediaStats {
        MediaStats {
            audio_samples_decoded: self.audio_samples.load(Ordering::Relaxed),
            video_frames_decoded: self.video_frames.load(Ordering::Relaxed),
            transports: self
                .transports
                .lock()
                .map(|list| list.clone())
                .unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_decoded_is_reported_once() {
        let counters = Counters::default();
        assert!(!counters.add_audio(0));
        assert!(counters.add_audio(480));
        assert!(!counters.add_audio(480));
        assert!(counters.add_video_frame());
        assert!(!counters.add_video_frame());
        let stats = counters.snapshot();
        assert_eq!(stats.audio_samples_decoded, 960);
        assert_eq!(stats.video_frames_decoded, 2);
    }

    #[test]
    fn transports_are_kept_by_mline() {
        let counters = Counters::default();
        for (mline, id) in [(1, 7), (0, 5), (1, 8)] {
            counters.set_transport(ContentTransport {
                mline,
                mid: None,
                transport_id: id,
            });
        }
        let ids: Vec<_> = counters
            .snapshot()
            .transports
            .iter()
            .map(|t| (t.mline, t.transport_id))
            .collect();
        assert_eq!(ids, vec![(0, 5), (1, 8)]);
    }
}

//! Offers, answers and remote descriptions: webrtcbin's promises turned
//! into events, and each content's send codec chosen from the peer's
//! description (see [`super::choice`]).

use std::sync::{Arc, Weak};

use gstreamer as gst;
use gstreamer::prelude::*;
use gstreamer_sdp as gst_sdp;
use gstreamer_webrtc as gst_webrtc;

use super::choice::{self, ContentView};
use super::codecs::available_codecs;
use super::engine::{Inner, LocalContent};
use super::events::{FailureReason, MediaEvent, SdpKind};
use super::pipeline::rtp_caps;
use super::sdp_info;
use super::{ContentKind, MediaError};
use crate::jingle::codec::Codec;

impl Inner {
    pub(super) fn create_description(self: &Arc<Self>, kind: SdpKind) {
        let weak = Arc::downgrade(self);
        let promise = gst::Promise::with_change_func(move |reply| {
            let Some(inner) = weak.upgrade() else {
                return;
            };
            let field = match kind {
                SdpKind::Offer => "offer",
                SdpKind::Answer => "answer",
            };
            let description = match reply {
                Ok(Some(reply)) => reply
                    .get::<gst_webrtc::WebRTCSessionDescription>(field)
                    .map_err(|_| describe_error(reply)),
                Ok(None) => Err("no description".to_owned()),
                Err(error) => Err(format!("{error:?}")),
            };
            match description {
                Ok(description) => inner.local_description_created(kind, &description),
                Err(error) => inner.fail(
                    FailureReason::Application,
                    format!("Could not create the {field}: {error}"),
                ),
            }
        });
        let signal = match kind {
            SdpKind::Offer => "create-offer",
            SdpKind::Answer => "create-answer",
        };
        self.webrtcbin
            .emit_by_name::<()>(signal, &[&None::<gst::Structure>, &promise]);
    }

    fn local_description_created(
        self: &Arc<Self>,
        kind: SdpKind,
        description: &gst_webrtc::WebRTCSessionDescription,
    ) {
        let sdp = match description.sdp().as_text() {
            Ok(sdp) => sdp,
            Err(error) => {
                self.fail(FailureReason::Application, error.to_string());
                return;
            }
        };
        if kind == SdpKind::Answer
            && let Ok(medias) = sdp_info::parse(&sdp)
            && !medias.is_empty()
            && medias.iter().all(|m| m.port == 0)
        {
            self.fail(
                FailureReason::Application,
                "no content of the offer could be accepted".into(),
            );
            return;
        }
        self.send(MediaEvent::LocalDescription { kind, sdp });
        let promise = self.description_applied_promise("local");
        self.webrtcbin
            .emit_by_name::<()>("set-local-description", &[description, &promise]);
    }

    /// A promise that watches the transports once a description is applied,
    /// or fails the call if webrtcbin refused it.
    fn description_applied_promise(self: &Arc<Self>, which: &'static str) -> gst::Promise {
        let weak: Weak<Self> = Arc::downgrade(self);
        gst::Promise::with_change_func(move |reply| {
            let Some(inner) = weak.upgrade() else {
                return;
            };
            match reply {
                Ok(Some(reply)) if reply.has_field("error") => inner.fail(
                    FailureReason::Application,
                    format!(
                        "Could not apply the {which} description: {}",
                        describe_error(reply)
                    ),
                ),
                Err(error) => inner.fail(
                    FailureReason::Application,
                    format!("Could not apply the {which} description: {error:?}"),
                ),
                Ok(_) => inner.watch_transports(),
            }
        })
    }

    pub(super) fn set_remote_description(
        self: &Arc<Self>,
        kind: SdpKind,
        sdp: &str,
    ) -> Result<(), MediaError> {
        let medias =
            sdp_info::parse(sdp).map_err(|error| MediaError::InvalidSdp(error.to_string()))?;
        let sdp = match kind {
            SdpKind::Offer => sdp_info::without_bundle_groups(sdp),
            SdpKind::Answer => sdp.to_owned(),
        };
        let message = gst_sdp::SDPMessage::parse_buffer(sdp.as_bytes())
            .map_err(|error| MediaError::InvalidSdp(error.to_string()))?;
        // Never hold our lock across calls into webrtcbin's objects.
        let contents: Vec<_> = {
            let state = self.lock();
            if state.ended {
                return Err(MediaError::Closed);
            }
            state.contents.iter().map(Snapshot::of).collect()
        };
        let views: Vec<ContentView> = contents.iter().map(Snapshot::view).collect();
        let available = available_codecs();
        let choices = match kind {
            SdpKind::Offer => choice::for_offer(&views, &medias, &available)?,
            SdpKind::Answer => choice::for_answer(&views, &medias, &available)?,
        };
        if kind == SdpKind::Offer {
            // Our answer names only the chosen codec, under the peer's number.
            for choice in &choices {
                if let Some(content) = contents.get(choice.content) {
                    content.transceiver.set_codec_preferences(Some(&rtp_caps(
                        choice.codec,
                        choice.pt,
                        false,
                    )));
                }
            }
        }
        {
            let mut state = self.lock();
            state.have_remote_offer |= kind == SdpKind::Offer;
            state.remote = medias;
        }
        for choice in choices {
            tracing::debug!(
                content = choice.content,
                codec = ?choice.codec,
                pt = choice.pt,
                "Sending the negotiated codec"
            );
            self.send_codec(choice.content, choice.codec, choice.pt)?;
        }
        self.start()?;
        let sdp_type = match kind {
            SdpKind::Offer => gst_webrtc::WebRTCSDPType::Offer,
            SdpKind::Answer => gst_webrtc::WebRTCSDPType::Answer,
        };
        let description = gst_webrtc::WebRTCSessionDescription::new(sdp_type, message);
        let promise = self.description_applied_promise("remote");
        self.webrtcbin
            .emit_by_name::<()>("set-remote-description", &[&description, &promise]);
        Ok(())
    }
}

/// One of our contents as it was when a remote description arrived.
struct Snapshot {
    kind: ContentKind,
    codec: Codec,
    transceiver: gst_webrtc::WebRTCRTPTransceiver,
}

impl Snapshot {
    fn of(content: &LocalContent) -> Self {
        Self {
            kind: content.kind,
            codec: content.branch.codec(),
            transceiver: content.transceiver.clone(),
        }
    }

    /// What the codec choice needs to know of it.
    fn view(&self) -> ContentView {
        // webrtcbin marks an unassigned m-line with u32::MAX.
        let mline = Some(self.transceiver.mlineindex()).filter(|m| *m != u32::MAX);
        ContentView {
            kind: self.kind,
            mid: self.transceiver.mid().map(|mid| mid.to_string()),
            mline,
            codec: self.codec,
        }
    }
}

fn describe_error(reply: &gst::StructureRef) -> String {
    reply
        .get::<gst::glib::Error>("error")
        .map(|error| error.to_string())
        .unwrap_or_else(|_| reply.to_string())
}

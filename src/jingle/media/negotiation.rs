//! Offers, answers and remote descriptions: webrtcbin's promises turned
//! into events, and the peer's payload types adopted when answering.

use std::sync::{Arc, Weak};

use gstreamer as gst;
use gstreamer::prelude::*;
use gstreamer_sdp as gst_sdp;
use gstreamer_webrtc as gst_webrtc;

use super::engine::{Inner, LocalContent};
use super::events::{FailureReason, MediaEvent, SdpKind};
use super::pipeline::rtp_caps;
use super::sdp_info::{self, RemoteMedia};
use super::{ContentKind, MediaError};

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
        {
            let mut state = self.lock();
            if state.ended {
                return Err(MediaError::Closed);
            }
            if kind == SdpKind::Offer {
                adopt_payload_types(&state.contents, &medias)?;
                state.have_remote_offer = true;
            }
            state.remote = medias;
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

/// Makes our not yet negotiated contents use the payload types of the
/// peer's offer for Opus and VP8, so that the answer keeps its numbers.
fn adopt_payload_types(
    contents: &[LocalContent],
    medias: &[RemoteMedia],
) -> Result<(), MediaError> {
    let mut used = Vec::new();
    for content in contents.iter().filter(|c| c.transceiver.mid().is_none()) {
        let Some(media) = medias
            .iter()
            .find(|m| m.kind == content.kind.as_str() && !used.contains(&m.mline))
        else {
            continue;
        };
        used.push(media.mline);
        let (encoding, name) = match content.kind {
            ContentKind::Audio => ("OPUS", "audio"),
            ContentKind::Video => ("VP8", "video"),
        };
        let pt = media
            .payload_type(encoding)
            .ok_or(MediaError::NoCommonCodec(name))?;
        content.branch.set_payload_type(pt);
        content
            .transceiver
            .set_codec_preferences(Some(&rtp_caps(content.kind, pt, false)));
    }
    Ok(())
}

fn describe_error(reply: &gst::StructureRef) -> String {
    reply
        .get::<gst::glib::Error>("error")
        .map(|error| error.to_string())
        .unwrap_or_else(|_| reply.to_string())
}
